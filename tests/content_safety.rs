//! Content that tries to reach outside the site, break a page or a feed, or make the build
//! work without end: each is refused by `check` at file:line:column, and a site's own
//! templates keep what their authors wrote.

mod common;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

/// `check` on the site at `root`: exit status and what it printed on stderr.
fn check(root: &Path) -> (Option<i32>, String) {
    let out = egovsite(&["check", "--root", "."], root);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A news item with this front matter title and body.
fn news(root: &Path, name: &str, title: &str, body: &str) {
    fs::write(
        root.join("content/news").join(name),
        format!(
            "---\ntitle: {title}\ndate: 2023\nlanguage: en\nsource: {{publisher: p}}\n---\n{body}"
        ),
    )
    .unwrap();
}

/// Replace `from` (which must be there) with `to` in a file of the site.
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let text = read(root, rel);
    assert!(text.contains(from), "{rel} lacks {from:?}");
    fs::write(root.join(rel), text.replacen(from, to, 1)).unwrap();
}

#[cfg(unix)]
fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

#[cfg(unix)]
#[test]
fn content_and_theme_folders_linked_outside_the_site_are_refused() {
    use std::os::unix::fs::symlink;
    let dir = site_copy();
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let o = outside.path();
    // content/reports is itself a link to a folder outside, holding a plain file.
    fs::create_dir_all(o.join("reports")).unwrap();
    fs::write(
        o.join("reports/secret.md"),
        "---\ntitle: secret\ndate: 2023\nlanguage: en\nsource: {publisher: p}\n---\nsecret\n",
    )
    .unwrap();
    fs::remove_dir_all(root.join("content/reports")).unwrap();
    symlink(o.join("reports"), root.join("content/reports")).unwrap();
    // A country folder that is a link outside.
    copy_tree(
        &root.join("content/countries/cambodia"),
        &o.join("stolen-country"),
    );
    symlink(
        o.join("stolen-country"),
        root.join("content/countries/stolen"),
    )
    .unwrap();
    // A folder inside the theme's templates that leads outside.
    fs::create_dir_all(o.join("partials")).unwrap();
    symlink(
        o.join("partials"),
        root.join("themes/default/templates/partials"),
    )
    .unwrap();

    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    for place in [
        "content/reports:1:1: folder is a symbolic link leading outside the site root",
        "content/countries/stolen:1:1: folder is a symbolic link leading outside the site root",
        "themes/default/templates/partials:1:1: folder is a symbolic link leading outside the site root",
    ] {
        assert!(err.contains(place), "{place}\n{err}");
    }
    let out = egovsite(&["build", "--root", "."], root);
    assert_eq!(out.status.code(), Some(1));
    assert!(!root.join("public").exists());
}

#[cfg(unix)]
#[test]
fn a_theme_that_is_a_link_outside_is_refused_and_links_inside_are_fine() {
    use std::os::unix::fs::symlink;
    let dir = site_copy();
    let root = dir.path();
    // Inside the site: content/news lives in another folder of the site.
    fs::rename(root.join("content/news"), root.join("news-here")).unwrap();
    symlink(root.join("news-here"), root.join("content/news")).unwrap();
    let (code, err) = check(root);
    assert_eq!(code, Some(0), "{err}");

    let outside = tempfile::tempdir().unwrap();
    fs::rename(root.join("themes/default"), outside.path().join("default")).unwrap();
    symlink(outside.path().join("default"), root.join("themes/default")).unwrap();
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("themes/default:1:1: folder is a symbolic link leading outside the site root"),
        "{err}"
    );
}

#[test]
fn base_urls_must_be_web_addresses() {
    let dir = site_copy();
    let root = dir.path();
    // From the command line: refused before anything is read or written, status 2.
    for bad in [
        "javascript:alert(1)//",
        "data:text/html,x",
        "https://x.org/\">",
        "",
    ] {
        let out = egovsite(&["build", "--root", ".", "--base-url", bad], root);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
        assert!(
            err.contains("the base URL") && err.contains("http:// or https://"),
            "{bad}: {err}"
        );
        assert!(!root.join("public").exists());
    }
    // In site.yaml: at the value.
    edit(
        root,
        "content/site.yaml",
        "base_url: https://example.github.io/egov-profiles/",
        "base_url: \"javascript:alert(document.domain)//\"",
    );
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("content/site.yaml:6:11: base_url `javascript:alert(document.domain)//` is not an http:// or https:// address"),
        "{err}"
    );
}

#[test]
fn work_on_hostile_markdown_is_bounded_and_reported() {
    let dir = site_copy();
    let root = dir.path();
    // 100,000 nested elements: 500 KB, half a minute to sanitise before.
    news(
        root,
        "deep.md",
        "Deep",
        &format!("Intro.\n\n{}\n", "<div>".repeat(100_000)),
    );
    // A table 20,000 columns wide: gigabytes once filled up row by row.
    news(
        root,
        "wide.md",
        "Wide",
        &format!(
            "{}\n{}\n{}",
            "a|".repeat(20_000),
            "-|".repeat(20_000),
            "x\n".repeat(5_000)
        ),
    );
    let start = Instant::now();
    let (code, err) = check(root);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("content/news/deep.md:9:501: HTML elements nested more than 100 deep"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/news/wide.md:8:1: table with 20000 columns; expected at most 100 columns"
        ),
        "{err}"
    );
}

#[test]
fn unclosed_html_that_would_swallow_the_rest_is_reported() {
    let dir = site_copy();
    let root = dir.path();
    news(
        root,
        "comment.md",
        "Comment",
        "Intro.\n\n<!-- editor's note\n\n## Findings\n\nEverything here would vanish.\n",
    );
    news(
        root,
        "template.md",
        "Template",
        "A <template> here.\n\nRest.\n",
    );
    // An answer is plain text: the same tag in it is shown as typed, so it is no error.
    edit(
        root,
        "content/countries/lao-pdr/msq-2022.yaml",
        "    text: |-\n      Lao PDR\n",
        "    text: |-\n      Lao PDR\n      <style>\n",
    );
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("content/news/comment.md:9:1: comment `<!--` is never closed"),
        "{err}"
    );
    assert!(
        err.contains("content/news/template.md:7:3: `<template>` is never closed"),
        "{err}"
    );
    assert!(!err.contains("msq-2022.yaml"), "{err}");
    assert!(err.contains("2 problem(s) found"), "{err}");
    // Without the two news items, the site builds and the answer shows the tag as typed.
    fs::remove_file(root.join("content/news/comment.md")).unwrap();
    fs::remove_file(root.join("content/news/template.md")).unwrap();
    let (code, err) = check(root);
    assert_eq!(code, Some(0), "{err}");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let built = egovsite(
        &["build", "--root", ".", "--output", public.to_str().unwrap()],
        root,
    );
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let page = read(&public, "countries/lao-pdr.html");
    assert!(
        page.contains("Lao PDR<br>&lt;style&gt;"),
        "the tag shown as typed"
    );
}

#[test]
fn control_characters_in_yaml_text_are_refused_where_written() {
    let dir = site_copy();
    let root = dir.path();
    news(root, "bell.md", "\"Ring \\u0001 \\e[31m\"", "Body.\n");
    edit(
        root,
        "content/site.yaml",
        "title: E-Government Country Profiles",
        "title: \"Profiles\\x0c\"",
    );
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("content/news/bell.md:2:8: text holds the control character U+0001"),
        "{err}"
    );
    assert!(
        err.contains("content/site.yaml:1:8: text holds the control character U+000C"),
        "{err}"
    );
}

#[test]
fn indicators_must_be_finite_numbers() {
    let dir = site_copy();
    let root = dir.path();
    edit(
        root,
        "content/countries/lao-pdr/country.yaml",
        "value: 0.3288",
        "value: .nan",
    );
    edit(
        root,
        "content/countries/lao-pdr/country.yaml",
        "value: 0.1941",
        "value: -.inf",
    );
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(
            "content/countries/lao-pdr/country.yaml:14:12: indicator `EGDI` has the value NaN"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/countries/lao-pdr/country.yaml:18:12: indicator `Online Service Index (OSI)` has the value -inf"),
        "{err}"
    );
}

#[test]
fn region_and_grouping_names_sharing_a_page_are_refused() {
    let dir = site_copy();
    let root = dir.path();
    // Cambodia's file (read first) spells ASEAN another way.
    let cambodia = read(root, "content/countries/cambodia/country.yaml");
    assert!(cambodia.contains("  - ASEAN\n"), "{cambodia}");
    edit(
        root,
        "content/countries/cambodia/country.yaml",
        "  - ASEAN\n",
        "  - asean\n  - \"東南アジア\"\n  - \"---\"\n",
    );
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("content/countries/lao-pdr/country.yaml:6:5: grouping name `ASEAN` and `asean` (in content/countries/cambodia/country.yaml) would share the page of `asean`"),
        "{err}"
    );
    assert!(
        err.contains("grouping name `東南アジア` has no letters or digits a page address can use"),
        "{err}"
    );
    assert!(
        err.contains("grouping name `---` has no letters or digits a page address can use"),
        "{err}"
    );
}

#[test]
fn file_names_in_the_wrong_case_or_reserved_by_windows_are_refused() {
    let dir = site_copy();
    let root = dir.path();
    news(root, "shouting.MD", "Shouting", "Body.\n");
    news(root, "com0.md", "Port", "Body.\n");
    news(root, "lpt0.md", "Port", "Body.\n");
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("content/news/shouting.MD:1:1: file ends in .MD; expected the .md extension, in lowercase"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/news/com0.md:1:1: file name `com0` is a reserved device name on Windows"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/news/lpt0.md:1:1: file name `lpt0`"),
        "{err}"
    );
}

#[test]
fn content_never_drives_the_terminal() {
    let dir = site_copy();
    let root = dir.path();
    // A folder name carrying an escape sequence (clear screen), and a value with a
    // right-to-left override (YAML text cannot hold control characters at all).
    fs::create_dir_all(root.join("content/countries/\u{1b}[2Jevil")).unwrap();
    fs::write(
        root.join("content/countries/\u{1b}[2Jevil/country.yaml"),
        "name: x\nofficial_name: x\niso3: EVL\nregion: x\n",
    )
    .unwrap();
    fs::write(
        root.join("content/countries/lao-pdr/msq-2022.contacts.yaml"),
        "q5: \"not mail \u{202e}gpj.exe\"\n",
    )
    .unwrap();
    let (code, err) = check(root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    assert!(err.contains("content/countries/\\u{1b}[2Jevil"), "{err}");
    assert!(
        err.contains("`not mail \\u{202e}gpj.exe` is not an e-mail address"),
        "{err}"
    );
}

#[test]
fn a_sites_own_template_keeps_its_attribute_quotes() {
    let dir = site_copy();
    let root = dir.path();
    let payload = "x onmouseover=alert(1) autofocus";
    news(root, "payload.md", payload, "Body.\n");
    // The site's own document template puts the title into an attribute, written without
    // spaces inside the braces (the template minifier once took such quotes away).
    fs::create_dir_all(root.join("templates")).unwrap();
    let theme = read(root, "themes/default/templates/document.html");
    let own = theme.replacen(
        "<article aria-labelledby=\"doc-title\">",
        "<article aria-labelledby=\"doc-title\"><p title=\"{{d.title}}\" data-kind='{{d.kind}}'>{{d.title}}</p>",
        1,
    );
    assert_ne!(own, theme);
    fs::write(root.join("templates/document.html"), own).unwrap();
    let out = egovsite(&["build", "--root", "."], root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = read(root, "public/news/payload.html");
    assert!(
        page.contains("<p title=\"x onmouseover=alert(1) autofocus\" data-kind='News'>"),
        "{page}"
    );
    let tags = egovsite::markup::html::start_tags(&page);
    assert!(
        tags.iter()
            .all(|t| t.attr("onmouseover").is_none() && t.attr("autofocus").is_none()),
        "{page}"
    );
    // The bundled pages are still minified: no line breaks between block elements.
    let home = read(root, "public/index.html");
    assert!(!home.contains(">\n<") && !home.contains("\n  <"), "{home}");
    assert!(has_attr(&home, "a", "class", "skip"));
}
