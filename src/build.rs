//! The pipeline: load → validate → model → plan pages → render → write. `check` stops
//! after rendering in memory; `build` also writes, atomically. `serve` renders in memory
//! too, and keeps the model for its incremental engine (`serve::live`).

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::{self, Content};
use crate::diagnostics::{ContentErrors, Diagnostic};
use crate::model::{self, Site};
use crate::output::{self, OutFile};
use crate::render::memo::Memo;
use crate::render::{feeds, i18n, pages, templates};
use crate::timing::Timer;
use crate::validate;

pub use crate::timing::Phase;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Folder holding content/ and themes/.
    pub root: PathBuf,
    /// Output folder (default `<root>/public`).
    pub output: PathBuf,
    /// Overrides site.yaml's base_url (e.g. for a GitHub Pages project site).
    pub base_url: Option<String>,
    /// Replace an existing output folder that egovsite did not make (it has no
    /// [`output::guard::MANIFEST`]). Some folders are refused even so: see
    /// [`output::guard::check_target`].
    pub force: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            output: root.join("public"),
            root,
            base_url: None,
            force: false,
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
    pub timings: Vec<Phase>,
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
    /// The output folder may not be replaced (see [`output::guard`]): nothing was changed.
    Refused(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Content(e) => write!(f, "{e}"),
            BuildError::Io(p, e) => write!(
                f,
                "{}: cannot write output: {e}",
                output::guard::printable(p)
            ),
            BuildError::Refused(why) => write!(f, "{why}"),
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
    let site = &content.site;
    let theme = content.root.join("themes").join(&site.value.theme);
    let languages = site.value.all_languages();
    // Where site.yaml names each language: its entry in `languages`, else `language`.
    let at = languages
        .iter()
        .map(
            |lang| match site.value.languages.iter().position(|l| l == lang) {
                Some(i) => site.spans.value(&format!("languages.{i}")),
                None => site.spans.value("language"),
            },
        )
        .collect();
    let declared = i18n::Declared {
        file: &site.file,
        at,
    };
    i18n::load(&content.root, &theme, &languages, Some(&declared))
}

/// Everything the site consists of, in memory, in a stable order.
pub struct Rendered {
    pub site: Site,
    pub files: Vec<OutFile>,
    pub pages: usize,
    /// How long each phase took, for `--verbose`.
    pub timings: Vec<Phase>,
}

/// Called after each page is rendered with (pages done, pages in all), from any thread.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Receives each finished output file (path relative to the output, bytes), from any thread.
type Sink<'a> = &'a output::Put<'a, std::io::Error>;

/// The model with what rendering needs: compiled templates and every language's strings.
pub(crate) struct Prepared {
    pub(crate) site: Site,
    pub(crate) tera: tera::Tera,
    pub(crate) strings: Vec<i18n::Strings>,
}

pub(crate) fn prepare(
    root: &Path,
    base_url: Option<&str>,
    timer: &mut Timer,
) -> Result<Prepared, Vec<Diagnostic>> {
    let content = load(root)?;
    let strings = interface_strings(&content)?;
    timer.lap("load and validate");
    let site = model::build(content, base_url);
    timer.lap("model and Markdown");
    let tera = templates::load(&site.root, &site.theme_dir).map_err(|d| vec![d])?;
    Ok(Prepared {
        site,
        tera,
        strings,
    })
}

/// The pages `plan_for` gives in every language of the site, each with the index of its
/// language's strings.
pub(crate) fn plan_languages<'s>(
    site: &'s Site,
    strings: &'s [i18n::Strings],
    memo: &'s Memo,
    plan_for: impl Fn(&'s Site, &'s i18n::Strings, &str, &'s Memo) -> Vec<pages::Page<'s>> + Sync,
) -> Vec<(usize, pages::Page<'s>)> {
    // Languages planned side by side: a plan makes thousands of document cards.
    let plans: Vec<Vec<pages::Page<'s>>> = strings
        .par_iter()
        .map(|t| plan_for(site, t, &templates::lang_prefix(site, &t.lang), memo))
        .collect();
    plans
        .into_iter()
        .enumerate()
        .flat_map(|(i, plan)| plan.into_iter().map(move |p| (i, p)))
        .collect()
}

/// Why producing the files stopped.
enum EmitError {
    Content(Vec<Diagnostic>),
    Io(String, std::io::Error),
}

/// What the model holds after [`emit`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum AfterPages {
    /// Everything: the model is kept (serve renders pages from it again).
    KeepModel,
    /// The documents' page HTML is freed once their pages are written, so that the
    /// search index, built next, reuses that memory: `build` needs no more of it.
    FreeDocumentHtml,
}

/// Render every file of the site and hand each to `sink` as soon as it is ready. Pages are
/// rendered in parallel and never held all at once. Returns the number of pages.
fn emit(
    prep: &mut Prepared,
    after_pages: AfterPages,
    progress: Option<Progress>,
    sink: Sink,
    timer: &mut Timer,
) -> Result<usize, EmitError> {
    let site = &prep.site;
    let strings = &prep.strings;
    // Static files: the theme's, then the site's own, which win over theme files and
    // generated files of the same path.
    let mut statics: Vec<(String, PathBuf)> = theme_static(&site.theme_dir.join("static"));
    for (abs, rel) in &site.static_files {
        statics.push((rel.to_string_lossy().replace('\\', "/"), abs.clone()));
    }
    let mut seen = HashSet::new();
    statics.reverse();
    statics.retain(|(rel, _)| seen.insert(rel.clone()));
    statics.sort();
    let overridden = |path: &str| seen.contains(path);
    let put = |path: &str, bytes: &[u8]| -> Result<(), EmitError> {
        if overridden(path) {
            return Ok(());
        }
        sink(path, bytes).map_err(|e| EmitError::Io(path.to_string(), e))
    };

    let memo = Memo::new(strings.len());
    let plan = plan_languages(site, strings, &memo, pages::plan);
    timer.lap("plan pages");
    let done = AtomicUsize::new(0);
    let failures: Vec<EmitError> = plan
        .par_iter()
        .map_init(
            || templates::renderer(site, strings),
            |renderer, (i, p)| {
                let result = templates::render_page(&prep.tera, site, p, strings, *i, renderer)
                    .map_err(|d| EmitError::Content(vec![d]))
                    .and_then(|html| put(&p.path, &html));
                if let Some(report) = progress {
                    report(done.fetch_add(1, Ordering::Relaxed) + 1, plan.len());
                }
                result.err()
            },
        )
        .flatten()
        .collect();
    timer.lap("pages: templates and writing");
    let mut problems = Vec::new();
    for f in failures {
        match f {
            EmitError::Content(d) => problems.extend(d),
            io => return Err(io),
        }
    }
    if !problems.is_empty() {
        return Err(EmitError::Content(problems));
    }

    let page_paths: Vec<&str> = plan.iter().map(|(_, p)| p.path.as_str()).collect();
    put("feed.xml", feeds::atom(site).as_bytes())?;
    put("sitemap.xml", feeds::sitemap(site, &page_paths).as_bytes())?;
    let pages = plan.len();
    // The plan's shared views (document cards in every language) are not needed any more:
    // freed before the search index, the phase that needs the most memory.
    drop(page_paths);
    drop(plan);
    if after_pages == AfterPages::FreeDocumentHtml {
        // Only the pages' HTML goes: the search index still needs how many parts a
        // document has and which part holds each heading, to point a hit at its section.
        for d in &mut prep.site.documents {
            for html in &mut d.parts.html {
                *html = String::new();
            }
        }
    }
    let site = &prep.site;
    put("robots.txt", feeds::robots(site).as_bytes())?;
    put(".nojekyll", b"")?;
    // One after the other, each file written as it is made: memory stays low.
    crate::render::data::each_file(site, &put)?;
    timer.lap("feeds and data files");
    crate::render::search::each_file(site, &put)?;
    timer.lap("search index");
    for (rel, abs) in &statics {
        let bytes = fs::read(abs).map_err(|e| {
            EmitError::Content(vec![Diagnostic::file(
                abs,
                format!("cannot read static file: {e}"),
                "a readable file",
            )])
        })?;
        sink(rel, &bytes).map_err(|e| EmitError::Io(rel.clone(), e))?;
    }
    timer.lap("static files");
    Ok(pages)
}

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
    let mut timer = Timer::new();
    let mut prep = prepare(root, base_url, &mut timer)?;
    let (files, pages) = render_prepared(&mut prep, progress, &mut timer)?;
    Ok(Rendered {
        site: prep.site,
        pages,
        files,
        timings: timer.laps,
    })
}

/// Every file of a prepared site, in memory, sorted by path; and the number of pages.
pub(crate) fn render_prepared(
    prep: &mut Prepared,
    progress: Option<Progress>,
    timer: &mut Timer,
) -> Result<(Vec<OutFile>, usize), Vec<Diagnostic>> {
    let files = Mutex::new(Vec::new());
    let sink = |path: &str, bytes: &[u8]| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(OutFile {
                path: path.to_string(),
                bytes: bytes.to_vec(),
            });
        Ok(())
    };
    let pages = match emit(prep, AfterPages::KeepModel, progress, &sink, timer) {
        Ok(n) => n,
        Err(EmitError::Content(d)) => return Err(d),
        Err(EmitError::Io(path, e)) => {
            return Err(vec![Diagnostic::file(
                Path::new(&path),
                format!("cannot produce file: {e}"),
                "",
            )])
        }
    };
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, pages))
}

/// The theme's static files as (relative path, absolute path), in name order.
fn theme_static(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            (
                rel.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            )
        })
        .collect()
}

/// Build the site into `opts.output`. On any content problem nothing is written.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with(opts, None, &|_| {})
}

/// [`build`], reporting progress while pages are rendered, and calling `waiting` (with
/// the lock file) when another build into the same output holds it: this build then waits
/// for that one to end.
///
/// The output is checked before anything else (see [`output::guard`]) and locked for the
/// whole build. Each file goes to disk (into a staging folder) as soon as it is rendered;
/// the staging folder replaces the output only when the whole site was written.
pub fn build_with(
    opts: &BuildOptions,
    progress: Option<Progress>,
    waiting: &dyn Fn(&Path),
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let out = output::guard::check_target(&opts.root, &opts.output).map_err(BuildError::Refused)?;
    let io_error = |e| BuildError::Io(opts.output.clone(), e);
    let _lock = output::lock::OutputLock::acquire(&out, waiting).map_err(io_error)?;
    // Checked under the lock: a build that held it may have changed the folder.
    output::guard::check_replaceable(&out, opts.force).map_err(BuildError::Refused)?;
    let mut timer = Timer::new();
    let mut prep = prepare(&opts.root, opts.base_url.as_deref(), &mut timer)?;
    let staging = output::Staging::begin(&out).map_err(io_error)?;
    let sink = |path: &str, bytes: &[u8]| staging.put(path, bytes);
    // On an error the staging folder is dropped, and with it everything written so far.
    let pages = match emit(
        &mut prep,
        AfterPages::FreeDocumentHtml,
        progress,
        &sink,
        &mut timer,
    ) {
        Ok(n) => n,
        Err(EmitError::Content(d)) => return Err(d.into()),
        Err(EmitError::Io(path, e)) => return Err(BuildError::Io(opts.output.join(path), e)),
    };
    let files = staging.files();
    let stats = staging
        .finish(&prep.site.config.keep_files)
        .map_err(io_error)?;
    timer.lap("swap in");
    Ok(BuildReport {
        pages,
        files,
        written: stats.written,
        bytes: stats.bytes,
        elapsed: start.elapsed(),
        timings: timer.laps,
    })
}
