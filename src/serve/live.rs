//! Serve's incremental engine: the last good build's model, kept so that a saved answers
//! file or document is shown before the whole site is rebuilt. A changed file is read and
//! checked alone, applied to the model, and the page groups that show it (as
//! [`Group::shows`] declares, the same groups the full plan makes) are re-rendered, in
//! waves: the file's own pages first, then the pages that compare it with every country.
//! Anything this cannot apply alone (a new file, a changed edition or date, any other kind
//! of file) is left to the full rebuild, which always follows.

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;

use crate::build::{self, Prepared};
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::model;
use crate::output::OutFile;
use crate::render::memo::Memo;
use crate::render::pages::{self, Group};
pub use crate::render::pages::{Source, Wave};
use crate::render::templates;
use crate::timing::Timer;
use crate::validate;

/// A site rendered in memory for `serve`, kept with its model.
pub struct Live {
    prep: Prepared,
}

/// What [`render_live`] produced: every file of the site, and the model behind them.
pub struct LiveBuild {
    pub files: Vec<OutFile>,
    pub pages: usize,
    pub live: Live,
}

/// [`build::render`], keeping the model for [`Live::apply`].
pub fn render_live(root: &Path, base_url: Option<&str>) -> Result<LiveBuild, Vec<Diagnostic>> {
    let mut timer = Timer::new();
    let mut prep = build::prepare(root, base_url, &mut timer)?;
    let (files, pages) = build::render_prepared(&mut prep, None, &mut timer)?;
    Ok(LiveBuild {
        files,
        pages,
        live: Live { prep },
    })
}

impl Live {
    /// Apply a change to the file `rel` (relative to `root`): an answers file or a
    /// document, read and checked alone. `None` when the change is not one this can do
    /// alone: build everything instead. On problems in the file, the model is left as it
    /// was and the problems are returned.
    pub fn apply(&mut self, root: &Path, rel: &Path) -> Option<Result<Source, Vec<Diagnostic>>> {
        self.update_answers(root, rel)
            .or_else(|| self.update_document(root, rel))
    }

    /// [`Live::apply`] for an answers file (`content/countries/<slug>/<edition>.yaml`) the
    /// model already has, whose edition is unchanged.
    pub fn update_answers(
        &mut self,
        root: &Path,
        rel: &Path,
    ) -> Option<Result<Source, Vec<Diagnostic>>> {
        let parts = components(rel);
        let [content, countries, slug, file] = parts.as_slice() else {
            return None;
        };
        if content != "content" || countries != "countries" || !file.ends_with(".yaml") {
            return None;
        }
        let site = &mut self.prep.site;
        let ci = site.countries.iter().position(|c| &c.slug == slug)?;
        let ri = site.countries[ci]
            .responses
            .iter()
            .position(|r| r.file == rel)?;
        let af = match content::load_answers(root, rel) {
            Ok(af) => af,
            Err(d) => return Some(Err(vec![d])),
        };
        if af.value.edition != site.countries[ci].responses[ri].edition {
            return None;
        }
        let problems = validate::validate_answers(&af, site.editions.iter().map(|e| &e.cat));
        if !problems.is_empty() {
            return Some(Err(problems));
        }
        let ei = site
            .editions
            .iter()
            .position(|e| e.id == af.value.edition)?;
        site.countries[ci].responses[ri] = model::response(&site.editions[ei], af);
        Some(Ok(Source::Answers {
            country: ci,
            edition: ei,
        }))
    }

    /// [`Live::apply`] for a news item or report (`content/news/*.md`,
    /// `content/reports/*.md`) the model already has, whose date is unchanged (a new date
    /// moves the document in every list).
    pub fn update_document(
        &mut self,
        root: &Path,
        rel: &Path,
    ) -> Option<Result<Source, Vec<Diagnostic>>> {
        let parts = components(rel);
        let [top, dir, file] = parts.as_slice() else {
            return None;
        };
        let kind = [content::DocKind::Report, content::DocKind::News]
            .into_iter()
            .find(|k| k.dir() == dir)?;
        if top != "content" || !file.ends_with(".md") {
            return None;
        }
        let site = &mut self.prep.site;
        let di = site
            .documents
            .iter()
            .position(|d| d.kind == kind && d.file == rel)?;
        let loaded = match content::load_doc(root, kind, rel) {
            Ok(d) => d,
            Err(d) => return Some(Err(vec![d])),
        };
        let countries: HashSet<&str> = site.countries.iter().map(|c| c.slug.as_str()).collect();
        let topics = validate::doc_topic_keys(Some(&site.doc_topics));
        let problems = validate::validate_document(&loaded, &countries, &topics);
        if !problems.is_empty() {
            return Some(Err(problems));
        }
        // Checked before the Markdown is rendered: a valid date always parses.
        if content::PartialDate::from_value(&loaded.meta.value.date)
            != Some(site.documents[di].date)
        {
            return None;
        }
        site.documents[di] = model::document(loaded);
        Some(Ok(Source::Document(di)))
    }

    /// The waves in which the pages showing `source` are re-rendered, first first (only
    /// waves that have pages).
    pub fn waves(&self, source: Source) -> Vec<Wave> {
        let site = &self.prep.site;
        let mut waves: Vec<Wave> = Group::all(site)
            .filter_map(|g| g.shows(site, source))
            .collect();
        waves.sort();
        waves.dedup();
        waves
    }

    /// The pages of wave `wave` that show `source`, in every language.
    pub fn pages(&self, source: Source, wave: Wave) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
        let site = &self.prep.site;
        let groups: Vec<Group> = Group::all(site)
            .filter(|g| g.shows(site, source) == Some(wave))
            .collect();
        let strings = &self.prep.strings;
        let memo = Memo::new(strings.len());
        let plan = build::plan_languages(site, strings, &memo, |site, t, prefix, memo| {
            pages::plan_groups(site, t, prefix, memo, &groups)
        });
        // Bound to a name so that the plan, which borrows `memo`, is dropped before it.
        let files = plan
            .par_iter()
            .map_init(
                || templates::renderer(site, strings),
                |renderer, (i, p)| {
                    let html =
                        templates::render_page(&self.prep.tera, site, p, strings, *i, renderer)?;
                    Ok(OutFile {
                        path: p.path.clone(),
                        bytes: html,
                    })
                },
            )
            .collect::<Result<Vec<_>, Diagnostic>>()
            .map_err(|d| vec![d]);
        files
    }
}

/// The components of a relative path, as text.
fn components(rel: &Path) -> Vec<String> {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}
