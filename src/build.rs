//! The pipeline: load → validate → model → plan pages → render → write. `check` stops
//! after rendering in memory; `build` also writes, atomically.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::{self, Content};
use crate::diagnostics::{ContentErrors, Diagnostic};
use crate::model::{self, Site};
use crate::output::{self, minify, OutFile};
use crate::render::{feeds, i18n, pages, templates};
use crate::validate;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Folder holding content/ and themes/.
    pub root: PathBuf,
    /// Output folder (default `<root>/public`).
    pub output: PathBuf,
    /// Overrides site.yaml's base_url (e.g. for a GitHub Pages project site).
    pub base_url: Option<String>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            output: root.join("public"),
            root,
            base_url: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    /// Files new or changed since the previous build (the others were left as they were).
    pub written: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    /// How long each phase took.
    pub timings: Vec<(&'static str, Duration)>,
}

impl fmt::Display for BuildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} pages ({} files, {} changed, {:.1} KiB) in {} ms",
            self.pages,
            self.files,
            self.written,
            self.bytes as f64 / 1024.0,
            self.elapsed.as_millis()
        )
    }
}

#[derive(Debug)]
pub enum BuildError {
    /// Problems in content: nothing was written.
    Content(ContentErrors),
    /// Writing the output failed: the previous output is left as it was.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Content(e) => write!(f, "{e}"),
            BuildError::Io(p, e) => write!(f, "{}: cannot write output: {e}", p.display()),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<Vec<Diagnostic>> for BuildError {
    fn from(d: Vec<Diagnostic>) -> Self {
        BuildError::Content(ContentErrors(d))
    }
}

/// Load and validate all content; every problem is returned at once.
pub fn load(root: &Path) -> Result<Content, Vec<Diagnostic>> {
    let (content, mut problems) = content::load(root);
    let Some(content) = content else {
        return Err(problems);
    };
    problems.extend(validate::validate(&content));
    if let Err(e) = interface_strings(&content) {
        problems.extend(e);
    }
    if problems.is_empty() {
        Ok(content)
    } else {
        problems.sort();
        problems.dedup();
        Err(problems)
    }
}

/// The theme's interface strings for every language of the site, checked for missing keys.
fn interface_strings(content: &Content) -> Result<Vec<i18n::Strings>, Vec<Diagnostic>> {
    let theme = content.root.join("themes").join(&content.site.value.theme);
    i18n::load(&content.root, &theme, &content.site.value.all_languages())
}

/// Everything the site consists of, in memory, in a stable order.
pub struct Rendered {
    pub site: Site,
    pub files: Vec<OutFile>,
    pub pages: usize,
    /// How long each phase took, for `--verbose`.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Called after each page is rendered with (pages done, pages in all), from any thread.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Load, validate, model and render without touching the output folder.
pub fn render(root: &Path, base_url: Option<&str>) -> Result<Rendered, Vec<Diagnostic>> {
    render_with(root, base_url, None)
}

/// [`render`], reporting progress while pages are rendered.
pub fn render_with(
    root: &Path,
    base_url: Option<&str>,
    progress: Option<Progress>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let content = load(root)?;
    let strings = interface_strings(&content)?;
    lap("load and validate", &mut timings);
    let site = model::build(content, base_url);
    lap("model and Markdown", &mut timings);
    let tera = templates::load(&site.root, &site.theme_dir).map_err(|d| vec![d])?;
    // Every language's pages, each with the index of its strings.
    let plan: Vec<(usize, pages::Page)> = strings
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            let prefix = templates::lang_prefix(&site, &t.lang);
            pages::plan(&site, t, &prefix)
                .into_iter()
                .map(move |p| (i, p))
        })
        .collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let html: Vec<Result<OutFile, Diagnostic>> = plan
        .par_iter()
        .map(|(i, p)| {
            let text = templates::render_page(&tera, &site, p, &strings[*i], &strings)?;
            let file = OutFile {
                path: p.path.clone(),
                bytes: minify::html(&text),
            };
            if let Some(report) = progress {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                report(n, plan.len());
            }
            Ok(file)
        })
        .collect();
    lap("templates and minification", &mut timings);
    let mut files = Vec::with_capacity(html.len() + 8);
    let mut errors = Vec::new();
    for r in html {
        match r {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let page_paths: Vec<&str> = plan.iter().map(|(_, p)| p.path.as_str()).collect();
    files.push(OutFile {
        path: "feed.xml".into(),
        bytes: feeds::atom(&site).into_bytes(),
    });
    files.push(OutFile {
        path: "sitemap.xml".into(),
        bytes: feeds::sitemap(&site, &page_paths).into_bytes(),
    });
    files.push(OutFile {
        path: "robots.txt".into(),
        bytes: feeds::robots(&site).into_bytes(),
    });
    files.push(OutFile {
        path: ".nojekyll".into(),
        bytes: Vec::new(),
    });
    files.extend(crate::render::data::files(&site));
    files.extend(crate::render::search::files(&site));
    copy_static(&site.theme_dir.join("static"), &mut files, &mut errors);
    for (abs, rel) in &site.static_files {
        match fs::read(abs) {
            Ok(bytes) => files.push(OutFile {
                path: rel.to_string_lossy().replace('\\', "/"),
                bytes,
            }),
            Err(e) => errors.push(Diagnostic::file(
                abs,
                format!("cannot read static file: {e}"),
                "a readable file",
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Later files (content/static) override earlier ones (theme) of the same path.
    let mut seen = std::collections::HashSet::new();
    files.reverse();
    files.retain(|f| seen.insert(f.path.clone()));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    lap("feeds, data and search files", &mut timings);
    Ok(Rendered {
        site,
        pages: plan.len(),
        files,
        timings,
    })
}

fn copy_static(dir: &Path, files: &mut Vec<OutFile>, errors: &mut Vec<Diagnostic>) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        match fs::read(entry.path()) {
            Ok(bytes) => files.push(OutFile {
                path: rel.to_string_lossy().replace('\\', "/"),
                bytes,
            }),
            Err(e) => errors.push(Diagnostic::file(
                entry.path(),
                format!("cannot read theme file: {e}"),
                "a readable file",
            )),
        }
    }
}

/// Build the site into `opts.output`. On any content problem nothing is written.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with(opts, None)
}

/// [`build`], reporting progress while pages are rendered.
pub fn build_with(
    opts: &BuildOptions,
    progress: Option<Progress>,
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let mut rendered = render_with(&opts.root, opts.base_url.as_deref(), progress)?;
    let write_start = Instant::now();
    let stats = output::publish(
        &opts.output,
        &rendered.files,
        &rendered.site.config.keep_files,
    )
    .map_err(|e| BuildError::Io(opts.output.clone(), e))?;
    Ok(BuildReport {
        pages: rendered.pages,
        files: rendered.files.len(),
        written: stats.written,
        bytes: stats.bytes,
        elapsed: start.elapsed(),
        timings: {
            rendered.timings.push(("write", write_start.elapsed()));
            rendered.timings
        },
    })
}
