//! Loading `content/`: reads every file, parses YAML and front matter into the typed
//! structs of [`types`], and keeps source positions for error messages.
//!
//! Loading never stops at the first bad file: it returns every problem it finds.

mod date;
pub mod frontmatter;
pub mod types;
pub mod yaml;

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics};
pub use date::{PartialDate, MONTHS_EN};
pub use types::*;
use yaml::Spans;

/// Largest content file accepted (a 100 MB file is a mistake, not content).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A parsed file with where it came from.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// Path relative to the site root, as shown in messages (`content/site.yaml`).
    pub file: PathBuf,
    pub value: T,
    pub spans: Spans,
}

#[derive(Debug, Clone)]
pub struct CountryFiles {
    pub slug: String,
    /// The folder, relative to the site root.
    pub dir: PathBuf,
    pub info: Option<Loaded<CountryInfo>>,
    pub answers: Vec<Loaded<AnswerFile>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    Report,
    News,
}

impl DocKind {
    pub fn dir(self) -> &'static str {
        match self {
            DocKind::Report => "reports",
            DocKind::News => "news",
        }
    }
}

#[derive(Debug, Clone)]
pub struct LoadedDoc {
    pub kind: DocKind,
    pub slug: String,
    pub meta: Loaded<DocMeta>,
    pub body: String,
    /// Lines before the body (front matter), to place Markdown positions.
    pub body_line: usize,
}

/// Everything under `content/`, parsed but not yet cross-checked.
#[derive(Debug, Clone)]
pub struct Content {
    pub root: PathBuf,
    pub site: Loaded<SiteConfig>,
    pub catalogues: Vec<Loaded<Catalogue>>,
    pub countries: Vec<CountryFiles>,
    pub documents: Vec<LoadedDoc>,
    /// The labels of the documents' topic keys (`content/document-topics.yaml`), when the
    /// file exists.
    pub doc_topics: Option<Loaded<DocTopicLabels>>,
    /// Files under content/static/, relative to that folder, copied as they are.
    pub static_files: Vec<PathBuf>,
}

/// Read a content file as UTF-8 text, refusing oversized files, invalid UTF-8 and links
/// that lead outside the site root.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let path = root.join(rel);
    let meta = fs::symlink_metadata(&path)
        .map_err(|e| Diagnostic::file(rel, format!("cannot read file: {e}"), "a readable file"))?;
    if meta.file_type().is_symlink() {
        let target = fs::canonicalize(&path).map_err(|e| {
            Diagnostic::file(rel, format!("broken symbolic link: {e}"), "a regular file")
        })?;
        let base = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        if !target.starts_with(&base) {
            return Err(Diagnostic::file(
                rel,
                format!(
                    "symbolic link points outside the site root (to {})",
                    target.display()
                ),
                "a file inside the site folder",
            ));
        }
    }
    let len = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE_BYTES {
        return Err(Diagnostic::file(
            rel,
            format!("file is {len} bytes, larger than the limit of {MAX_FILE_BYTES}"),
            "a content file under 16 MiB",
        ));
    }
    let bytes = fs::read(&path)
        .map_err(|e| Diagnostic::file(rel, format!("cannot read file: {e}"), "a readable file"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Diagnostic::new(
            rel,
            crate::diagnostics::Pos::new(line, column),
            "file is not valid UTF-8",
            "text saved as UTF-8",
        )
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    // Most files have no carriage returns: those are returned without a copy.
    Ok(if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

/// Read one answers file (`rel` relative to the site root), as [`load`] does.
pub fn load_answers(root: &Path, rel: &Path) -> Result<Loaded<AnswerFile>, Diagnostic> {
    let mut af = load_yaml(root, rel)?;
    // Respondents' names and addresses, from the private file beside it (src/contacts.rs).
    crate::contacts::attach(root, &mut af)?;
    Ok(af)
}

fn load_yaml<T: DeserializeOwned>(root: &Path, rel: &Path) -> Result<Loaded<T>, Diagnostic> {
    let text = read_text(root, rel)?;
    let parsed = yaml::parse::<T>(&text, rel, 0)?;
    parsed.spans.refuse_control_chars(rel)?;
    Ok(Loaded {
        file: rel.to_path_buf(),
        value: parsed.value,
        spans: parsed.spans,
    })
}

/// Sorted entries of a folder (relative paths), or none when it does not exist.
fn list(root: &Path, rel: &Path) -> Result<Vec<(PathBuf, fs::FileType)>, Diagnostic> {
    let dir = root.join(rel);
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let rd = fs::read_dir(&dir).map_err(|e| {
        Diagnostic::file(rel, format!("cannot read folder: {e}"), "a readable folder")
    })?;
    let mut out = Vec::new();
    for entry in rd.flatten() {
        let ft = entry.file_type().map_err(|e| {
            Diagnostic::file(rel, format!("cannot read folder: {e}"), "a readable folder")
        })?;
        out.push((rel.join(entry.file_name()), ft));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e == ext)
}

/// Whether `path` ends in `ext` written in other letter case (`.MD`, `.Yaml`): such a file
/// would be skipped on one system and read on another, so it is refused.
fn has_ext_other_case(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e != ext && e.eq_ignore_ascii_case(ext))
}

/// The problem with a file whose extension is a known one in the wrong letter case.
fn wrong_case(path: &Path, ext: &str) -> Diagnostic {
    let shown = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    Diagnostic::file(
        path,
        format!("file ends in .{shown}"),
        format!("the .{ext} extension, in lowercase"),
    )
}

/// Load all of `<root>/content`: what could be loaded, and every problem met on the way.
/// The content is `None` only when site.yaml itself is unusable.
pub fn load(root: &Path) -> (Option<Content>, Vec<Diagnostic>) {
    let mut errors = Diagnostics::default();
    let content = Path::new("content");

    let site = match load_yaml::<SiteConfig>(root, &content.join("site.yaml")) {
        Ok(s) => Some(s),
        Err(e) => {
            errors.push(e);
            None
        }
    };

    // Questionnaire catalogues.
    let mut catalogues = Vec::new();
    match list(root, &content.join("questionnaires")) {
        Ok(entries) => {
            let mut files: Vec<PathBuf> = Vec::new();
            for (p, ft) in entries {
                if ft.is_dir() {
                    continue;
                }
                if has_ext(&p, "yaml") {
                    files.push(p);
                } else if has_ext_other_case(&p, "yaml") {
                    errors.push(wrong_case(&p, "yaml"));
                }
            }
            for r in files
                .par_iter()
                .map(|f| load_yaml::<Catalogue>(root, f))
                .collect::<Vec<_>>()
            {
                match r {
                    Ok(c) => catalogues.push(c),
                    Err(e) => errors.push(e),
                }
            }
        }
        Err(e) => errors.push(e),
    }

    // Countries: one folder each, read in parallel.
    let mut countries = Vec::new();
    match list(root, &content.join("countries")) {
        Ok(entries) => {
            let mut dirs = Vec::new();
            for (dir, ft) in entries {
                if ft.is_dir() || (ft.is_symlink() && root.join(&dir).is_dir()) {
                    // A linked folder is read like a folder; [`outside_links`] refuses one
                    // that leads outside the site root.
                    dirs.push(dir);
                } else if has_ext(&dir, "yaml")
                    || has_ext(&dir, "yml")
                    || has_ext_other_case(&dir, "yaml")
                    || has_ext_other_case(&dir, "yml")
                {
                    errors.push(Diagnostic::file(
                        &dir,
                        "country file outside a country folder",
                        "content/countries/<slug>/country.yaml and <edition>.yaml",
                    ));
                }
            }
            for (cf, problems) in dirs
                .par_iter()
                .map(|dir| load_country(root, dir))
                .collect::<Vec<_>>()
            {
                errors.extend(problems);
                countries.push(cf);
            }
        }
        Err(e) => errors.push(e),
    }

    // Reports and news.
    let mut doc_files = Vec::new();
    for kind in [DocKind::Report, DocKind::News] {
        match list(root, &content.join(kind.dir())) {
            Ok(entries) => {
                for (p, ft) in entries {
                    if ft.is_dir() {
                        continue;
                    }
                    if has_ext(&p, "md") {
                        doc_files.push((kind, p));
                    } else if has_ext_other_case(&p, "md") {
                        errors.push(wrong_case(&p, "md"));
                    } else if has_ext(&p, "markdown") || has_ext_other_case(&p, "markdown") {
                        errors.push(Diagnostic::file(
                            &p,
                            "document ends in .markdown",
                            "the .md extension",
                        ));
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    let docs: Vec<Result<LoadedDoc, Diagnostic>> = doc_files
        .par_iter()
        .map(|(kind, f)| load_doc(root, *kind, f))
        .collect();
    let mut documents = Vec::new();
    for d in docs {
        match d {
            Ok(d) => documents.push(d),
            Err(e) => errors.push(e),
        }
    }

    let doc_topics = match load_doc_topics(root) {
        Ok(labels) => labels,
        Err(e) => {
            errors.push(e);
            None
        }
    };

    let static_files = list_static(root, &content.join("static"), &mut errors);

    // Folders that lead outside the site: content/ and everything in it, the site's own
    // templates, and the theme (whose name validation checks).
    errors.extend(outside_links(root, content, false));
    errors.extend(outside_links(root, Path::new("templates"), true));
    if let Some(theme) = site.as_ref().map(|s| s.value.theme.as_str()) {
        if crate::slug::check(theme).is_ok() {
            errors.extend(outside_links(root, &Path::new("themes").join(theme), true));
        }
    }

    let content = site.map(|site| Content {
        root: root.to_path_buf(),
        site,
        catalogues,
        countries,
        documents,
        doc_topics,
        static_files,
    });
    (content, errors.sorted())
}

/// Where the labels of the documents' topic keys are written, relative to the site root.
pub const DOC_TOPICS_FILE: &str = "content/document-topics.yaml";

/// Read [`DOC_TOPICS_FILE`], as [`load`] does: `None` when there is no such file (a site
/// whose documents give no topics needs none); an empty file is no labels.
pub fn load_doc_topics(root: &Path) -> Result<Option<Loaded<DocTopicLabels>>, Diagnostic> {
    let rel = Path::new(DOC_TOPICS_FILE);
    if fs::symlink_metadata(root.join(rel)).is_err() {
        return Ok(None);
    }
    let loaded = load_yaml::<Option<DocTopicLabels>>(root, rel)?;
    Ok(Some(Loaded {
        file: loaded.file,
        value: loaded.value.unwrap_or_default(),
        spans: loaded.spans,
    }))
}

/// One country's folder: `country.yaml` and its answers files, with the problems found.
fn load_country(root: &Path, dir: &Path) -> (CountryFiles, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let slug = dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut cf = CountryFiles {
        slug,
        dir: dir.to_path_buf(),
        info: None,
        answers: Vec::new(),
    };
    let files = match list(root, dir) {
        Ok(files) => files,
        Err(e) => return (cf, vec![e]),
    };
    let mut yaml_files = Vec::new();
    for (p, ft) in files {
        if ft.is_dir() {
            continue;
        }
        if has_ext(&p, "yaml") || has_ext(&p, "yml") {
            yaml_files.push(p);
        } else if has_ext_other_case(&p, "yaml") || has_ext_other_case(&p, "yml") {
            errors.push(wrong_case(&p, "yaml"));
        }
    }
    for f in yaml_files {
        if has_ext(&f, "yml") {
            errors.push(Diagnostic::file(
                &f,
                "file ends in .yml",
                "the .yaml extension",
            ));
            continue;
        }
        if crate::contacts::is_private(&f) {
            // Read with its answers file (load_answers).
            continue;
        }
        if stem(&f) == "country" {
            match load_yaml::<CountryInfo>(root, &f) {
                Ok(i) => cf.info = Some(i),
                Err(e) => errors.push(e),
            }
        } else {
            match load_answers(root, &f) {
                Ok(a) => cf.answers.push(a),
                Err(e) => errors.push(e),
            }
        }
    }
    (cf, errors)
}

/// Read one document (`rel` relative to the site root), as [`load`] does.
pub fn load_doc(root: &Path, kind: DocKind, rel: &Path) -> Result<LoadedDoc, Diagnostic> {
    let text = read_text(root, rel)?;
    let (fm, body, body_line) = frontmatter::split(&text, rel)?;
    let parsed = yaml::parse::<DocMeta>(fm, rel, 1)?;
    parsed.spans.refuse_control_chars(rel)?;
    Ok(LoadedDoc {
        kind,
        slug: stem(rel),
        meta: Loaded {
            file: rel.to_path_buf(),
            value: parsed.value,
            spans: parsed.spans,
        },
        body: body.to_string(),
        body_line,
    })
}

fn list_static(root: &Path, rel: &Path, errors: &mut Diagnostics) -> Vec<PathBuf> {
    let dir = root.join(rel);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() || e.path_is_symlink() => {
                if let Ok(r) = e.path().strip_prefix(&dir) {
                    let shown = rel.join(r);
                    if e.path_is_symlink() {
                        if e.path().is_dir() {
                            // A linked folder: [`outside_links`] refuses it when it leads
                            // outside the site root.
                            if fs::canonicalize(e.path()).is_ok_and(|t| {
                                !t.starts_with(fs::canonicalize(root).unwrap_or_default())
                            }) {
                                continue;
                            }
                        }
                        if let Err(d) = read_text_or_binary_check(root, &shown) {
                            errors.push(d);
                            continue;
                        }
                    }
                    out.push(r.to_path_buf());
                }
            }
            Ok(_) => {}
            Err(e) => errors.push(Diagnostic::file(
                rel,
                format!("cannot read folder: {e}"),
                "a readable folder",
            )),
        }
    }
    out
}

/// Symbolic links under `rel` (a folder relative to the site root) that lead outside the
/// site root: `rel` itself or a folder above it, every linked folder inside it, and with
/// `files_too` every linked file (content files are checked as they are read, by
/// [`read_text`]). Linked folders inside the root are followed; loops are reported.
pub fn outside_links(root: &Path, rel: &Path, files_too: bool) -> Vec<Diagnostic> {
    let dir = root.join(rel);
    let mut out = Vec::new();
    if fs::symlink_metadata(&dir).is_err() {
        return out;
    }
    let base = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let leaves = |p: &Path| fs::canonicalize(p).ok().filter(|t| !t.starts_with(&base));
    let refuse = |shown: &Path, target: &Path, what: &str| {
        Diagnostic::file(
            shown,
            format!(
                "{what} is a symbolic link leading outside the site root (to {})",
                target.display()
            ),
            format!("a {what} inside the site folder"),
        )
    };
    match fs::canonicalize(&dir) {
        Ok(t) if !t.starts_with(&base) => {
            out.push(refuse(rel, &t, "folder"));
            return out;
        }
        Ok(_) => {}
        Err(e) => {
            out.push(Diagnostic::file(
                rel,
                format!("broken symbolic link: {e}"),
                "a folder inside the site folder",
            ));
            return out;
        }
    }
    let mut walk = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // A broken link is reported where the file is read; a loop only here.
                if let (Some(_), Some(p)) = (e.loop_ancestor(), e.path()) {
                    let shown = rel.join(p.strip_prefix(&dir).unwrap_or(p));
                    out.push(Diagnostic::file(
                        &shown,
                        "symbolic link loop: the folder links to a folder that holds it",
                        "a folder inside the site folder",
                    ));
                }
                continue;
            }
        };
        if !entry.path_is_symlink() {
            continue;
        }
        let Some(target) = leaves(entry.path()) else {
            continue;
        };
        let shown = rel.join(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
        if entry.file_type().is_dir() {
            walk.skip_current_dir();
            out.push(refuse(&shown, &target, "folder"));
        } else if files_too {
            out.push(refuse(&shown, &target, "file"));
        }
    }
    out
}

/// Static files may be binary; only check that a symlink stays inside the root.
fn read_text_or_binary_check(root: &Path, rel: &Path) -> Result<(), Diagnostic> {
    let target = fs::canonicalize(root.join(rel)).map_err(|e| {
        Diagnostic::file(rel, format!("broken symbolic link: {e}"), "a regular file")
    })?;
    let base = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if target.starts_with(&base) {
        Ok(())
    } else {
        Err(Diagnostic::file(
            rel,
            "symbolic link points outside the site root",
            "a file inside the site folder",
        ))
    }
}
