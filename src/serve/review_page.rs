//! The staff-only review page of `egovsite serve`, at `/_review/`: the list `egovsite
//! review` prints (src/review.rs), as a page linking each answer to its place in the
//! preview. It is added to the served files after each good build and is never written by
//! `egovsite build` (no page of the site links to it, and no site path can clash with it:
//! slugs never start with `_`).

use std::path::Path;
use std::sync::Arc;

use super::Files;

/// Add the review page to the files of a build of the site at `root`.
pub(crate) fn add(root: &Path, files: &mut Files) {
    // The content has just been built, so it loads; problems would only hide the page.
    let (Some(content), _) = crate::content::load(root) else {
        return;
    };
    let reviews = crate::review::collect(&content, None);
    let page = crate::review::html(&reviews);
    files.insert(
        crate::review::SERVE_PATH.to_string(),
        Arc::from(page.into_bytes()),
    );
}
