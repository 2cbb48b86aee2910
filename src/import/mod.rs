//! `egovsite import`: turn an export of the online form's "View results" page into
//! `content/countries/<slug>/<edition>.yaml`.
//!
//! [`parse_export`] reads the export against the edition's catalogue (pure, no disk);
//! [`run`] loads the catalogue, reads the export, writes the answers file (and a
//! `country.yaml` to fill in when the country is new) atomically, and returns a summary.
//!
//! Answers marked `reviewed: true` in an existing answers file are the reviewed truth: a
//! re-import with `--force` keeps them as they are and takes everything else from the export.

pub mod infer;
pub mod parse;
pub mod yaml_out;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::content::{self, yaml, AnswerFile, Catalogue};
use crate::diagnostics::Diagnostic;
use crate::output::write_atomic;

pub use parse::{decode, parse_export, Outcome, ParseError, Parsed, QuestionResult, Warning};
pub use yaml_out::{answers_yaml, contacts_yaml, country_yaml, Header};

/// Largest export accepted (the real ones are about 20 KB).
pub const MAX_EXPORT_BYTES: u64 = 16 * 1024 * 1024;

/// What `egovsite import <export.txt> --edition <id> --country <slug> [--force] [--dry-run]`
/// asks for.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Site root (the folder holding `content/`).
    pub root: PathBuf,
    /// The export file.
    pub export: PathBuf,
    /// Questionnaire edition id (`content/questionnaires/<edition>.yaml`).
    pub edition: String,
    /// Country slug (`content/countries/<country>/`).
    pub country: String,
    /// Replace an existing answers file (its reviewed answers are kept).
    pub force: bool,
    /// Write nothing; return what would be written.
    pub dry_run: bool,
    /// Import an incomplete export (questions missing, closing text missing) and mark the
    /// answers file `partial: true`; without it such an export is refused.
    pub allow_partial: bool,
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    /// Human-readable summary: counts, then warnings with the export's line numbers, then
    /// the files written (or that would be written).
    pub summary: String,
    /// Files written (empty on a dry run).
    pub written: Vec<PathBuf>,
    /// The answers file's text.
    pub answers_yaml: String,
    /// The `country.yaml` text, when the country had none and one is (or would be) created.
    pub country_yaml: Option<String>,
}

/// Run an import. Errors name the export (with line and column where they concern its
/// text), the catalogue, or the target file that exists without `--force`.
pub fn run(opts: &ImportOptions) -> Result<ImportOutcome, Diagnostic> {
    let export = &opts.export;
    if let Err(why) = crate::slug::check(&opts.edition) {
        return Err(Diagnostic::file(
            export,
            format!("edition id `{}` {why}", opts.edition),
            format!(
                "an edition in content/questionnaires/: {}",
                editions(&opts.root)
            ),
        ));
    }
    if let Err(why) = crate::slug::check(&opts.country) {
        return Err(Diagnostic::file(
            export,
            format!("country slug `{}` {why}", opts.country),
            "lowercase letters, digits and hyphens (e.g. `lao-pdr`)",
        ));
    }
    let cat_rel = Path::new("content")
        .join("questionnaires")
        .join(format!("{}.yaml", opts.edition));
    if !opts.root.join(&cat_rel).is_file() {
        return Err(Diagnostic::file(
            export,
            format!(
                "unknown edition `{}` (no {})",
                opts.edition,
                cat_rel.display()
            ),
            format!(
                "an edition in content/questionnaires/: {}",
                editions(&opts.root)
            ),
        ));
    }
    let cat_text = content::read_text(&opts.root, &cat_rel)?;
    let cat: Catalogue = yaml::parse::<Catalogue>(&cat_text, &cat_rel, 0)?.value;
    if cat.id != opts.edition {
        return Err(Diagnostic::file(
            &cat_rel,
            format!("catalogue declares id `{}`", cat.id),
            format!("id `{}` (the file name)", opts.edition),
        ));
    }

    // The export.
    let len = fs::metadata(export)
        .map_err(|e| {
            Diagnostic::file(
                export,
                format!("cannot read the export: {e}"),
                "a readable file",
            )
        })?
        .len();
    if len > MAX_EXPORT_BYTES {
        return Err(Diagnostic::file(
            export,
            format!("the export is {len} bytes, larger than the limit of {MAX_EXPORT_BYTES}"),
            "the text of one respondent's \"View results\" page",
        ));
    }
    let bytes = fs::read(export).map_err(|e| {
        Diagnostic::file(
            export,
            format!("cannot read the export: {e}"),
            "a readable file",
        )
    })?;
    let text = decode(&bytes).map_err(|e| e.into_diagnostic(export))?;
    let parsed = parse_export(&text, &cat).map_err(|mut e| {
        if let Some(other) = matching_edition(&opts.root, &opts.edition, &text) {
            e.message
                .push_str(&format!("; the export matches edition `{other}`"));
            e.expected = format!(
                "--edition {other} (the export is of that edition), or {}",
                e.expected
            );
        }
        e.into_diagnostic(export)
    })?;
    let export_name = export
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| export.display().to_string());
    if parsed.is_partial() && !opts.allow_partial {
        let missing = parsed.count(Outcome::Missing);
        let what = if missing > 0 {
            format!(
                "the export is incomplete: {missing} of the {} questions of edition {} are missing (file truncated after line {}?)",
                parsed.questions.len(),
                cat.id,
                parsed.last_question_line.max(1)
            )
        } else {
            "the export is incomplete: the form's closing text is missing after the last question, so the file may be truncated".to_string()
        };
        return Err(Diagnostic::new(
            export,
            crate::diagnostics::Pos::new(parsed.last_question_line.max(1), 1),
            format!("{what}; nothing written"),
            "a complete export (save the \"View results\" page again), or --allow-partial to import what is there (the answers file is then marked `partial: true`); --dry-run --allow-partial lists what is missing",
        ));
    }
    let mut af = parsed.answer_file(Some(&export_name));
    af.partial = parsed.is_partial();

    // The target.
    let dir_rel = Path::new("content").join("countries").join(&opts.country);
    let target_rel = dir_rel.join(format!("{}.yaml", opts.edition));
    let target = opts.root.join(&target_rel);
    let mut notes: Vec<String> = Vec::new();
    if target.exists() {
        if !opts.force && !opts.dry_run {
            return Err(Diagnostic::file(
                &target_rel,
                "the answers file already exists",
                "--force to replace it (answers marked `reviewed: true` in it are kept)",
            ));
        }
        if !opts.force {
            notes.push(format!(
                "{} exists: the import needs --force to replace it",
                target_rel.display()
            ));
        }
        match keep_reviewed(&opts.root, &target_rel, &mut af) {
            Ok((kept, differing)) if kept > 0 => {
                notes.push(format!(
                    "kept {kept} reviewed answer{} of the existing file ({} differ from this export)",
                    plural(kept),
                    differing.len()
                ));
                if !differing.is_empty() {
                    let list: Vec<String> = differing
                        .iter()
                        .map(|id| {
                            let q = parsed.questions.iter().find(|q| q.id == *id);
                            match q.and_then(|q| q.line.map(|l| (q.number, l))) {
                                Some((n, l)) => format!("{id} (question {n}, export line {l})"),
                                None => format!("{id} (not in this export)"),
                            }
                        })
                        .collect();
                    notes.push(format!(
                        "reviewed answers whose text in this export differs from the reviewed version (kept as reviewed; compare them with the export again): {}",
                        list.join(", ")
                    ));
                }
            }
            Ok(_) => {}
            Err(d) => notes.push(format!(
                "the existing file could not be read, so no reviewed answers are kept from it: {d}"
            )),
        }
    }

    let order: Vec<&str> = cat.questions.iter().map(|q| q.id.as_str()).collect();
    let answers_text = answers_yaml(
        &af,
        &order,
        &Header {
            export: &export_name,
        },
    );
    // The file must read back as exactly what was meant, before anything is written.
    match yaml::parse::<AnswerFile>(&answers_text, &target_rel, 0) {
        Ok(back) if back.value.answers == af.answers && back.value.contacts.is_empty() => {}
        Ok(_) => {
            return Err(Diagnostic::file(
                &target_rel,
                "internal error: the answers file does not read back as written; nothing written",
                "a bug report with the export",
            ))
        }
        Err(e) => {
            return Err(Diagnostic::file(
                &target_rel,
                format!("internal error: the answers file would not parse ({e}); nothing written"),
                "a bug report with the export",
            ))
        }
    }

    // Names and addresses go to the private file beside the answers, which is not committed.
    let contacts_rel = crate::contacts::private_file(&target_rel);
    let contacts_text = yaml_out::contacts_yaml(
        &af,
        &order,
        parsed.country_name.as_deref().unwrap_or(&opts.country),
    );

    let country_rel = dir_rel.join("country.yaml");
    let country_text = (!opts.root.join(&country_rel).exists())
        .then(|| country_yaml(parsed.country_name.as_deref(), &export_name));

    let mut written = Vec::new();
    if !opts.dry_run {
        write_atomic(&target, answers_text.as_bytes()).map_err(|e| {
            Diagnostic::file(
                &target_rel,
                format!("cannot write: {e}"),
                "a writable content folder",
            )
        })?;
        written.push(target.clone());
        if let Some(c) = &contacts_text {
            let path = opts.root.join(&contacts_rel);
            write_atomic(&path, c.as_bytes()).map_err(|e| {
                Diagnostic::file(
                    &contacts_rel,
                    format!("cannot write: {e}"),
                    "a writable content folder",
                )
            })?;
            written.push(path);
        }
        if let Some(c) = &country_text {
            let path = opts.root.join(&country_rel);
            // Never replace a country.yaml, even one created meanwhile.
            if !path.exists() {
                write_atomic(&path, c.as_bytes()).map_err(|e| {
                    Diagnostic::file(
                        &country_rel,
                        format!("cannot write: {e}"),
                        "a writable content folder",
                    )
                })?;
                written.push(path);
            }
        }
    }

    let mut summary = summary(&parsed, &cat, &opts.country, &export_name, &opts.export);
    for n in &notes {
        let _ = writeln!(summary, "note: {n}");
    }
    let verb = if opts.dry_run { "would write" } else { "wrote" };
    let _ = writeln!(summary, "{verb} {}", target_rel.display());
    if contacts_text.is_some() {
        let _ = writeln!(
            summary,
            "{verb} {} (respondents' names and addresses: kept out of git by .gitignore, never committed)",
            contacts_rel.display()
        );
    }
    if country_text.is_some() {
        let _ = writeln!(
            summary,
            "{verb} {} (fill in the fields listed under to_review)",
            country_rel.display()
        );
    }
    if opts.dry_run {
        summary.push_str("dry run: nothing written\n");
    }
    Ok(ImportOutcome {
        summary,
        written,
        answers_yaml: answers_text,
        country_yaml: country_text,
    })
}

/// Replace the imported answers by the reviewed answers of the existing file at `rel`.
/// Returns how many were kept and the ids of those whose export text (choice, text, other
/// text, no-answer text) differs from the import, in catalogue order of `af`'s ids.
fn keep_reviewed(
    root: &Path,
    rel: &Path,
    af: &mut AnswerFile,
) -> Result<(usize, Vec<String>), Diagnostic> {
    let text = content::read_text(root, rel)?;
    let old = yaml::parse::<AnswerFile>(&text, rel, 0)?.value;
    let mut kept = 0;
    let mut differing = Vec::new();
    let from_export = |a: &crate::content::Answer| {
        (
            a.choice.clone(),
            a.text.clone(),
            a.other.clone(),
            a.no_answer.clone(),
        )
    };
    for (id, a) in old.answers {
        if !a.reviewed {
            continue;
        }
        let imported = af.answers.get(&id).cloned().unwrap_or_default();
        if from_export(&imported) != from_export(&a) {
            differing.push(id.clone());
        }
        af.answers.insert(id, a);
        kept += 1;
    }
    differing.sort_by_key(|id| {
        (
            id.trim_start_matches(|c: char| !c.is_ascii_digit())
                .parse::<u32>()
                .unwrap_or(u32::MAX),
            id.clone(),
        )
    });
    Ok((kept, differing))
}

/// Another edition under `content/questionnaires/` that `text` (an export) reads as
/// completely, for an error that names it.
fn matching_edition(root: &Path, tried: &str, text: &str) -> Option<String> {
    let dir = Path::new("content").join("questionnaires");
    let mut ids: Vec<String> = fs::read_dir(root.join(&dir))
        .ok()?
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            (p.extension().is_some_and(|x| x == "yaml"))
                .then(|| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .flatten()
        })
        .filter(|id| id != tried)
        .collect();
    ids.sort();
    ids.into_iter().find(|id| {
        let rel = dir.join(format!("{id}.yaml"));
        content::read_text(root, &rel)
            .ok()
            .and_then(|t| yaml::parse::<Catalogue>(&t, &rel, 0).ok())
            .and_then(|c| parse_export(text, &c.value).ok())
            .is_some_and(|p| p.count(Outcome::Missing) == 0)
    })
}

/// The editions under `content/questionnaires/`, for messages.
fn editions(root: &Path) -> String {
    let mut ids: Vec<String> = fs::read_dir(root.join("content").join("questionnaires"))
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let p = e.path();
                    (p.extension().is_some_and(|x| x == "yaml"))
                        .then(|| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                        .flatten()
                })
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    if ids.is_empty() {
        "none found".to_string()
    } else {
        ids.iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The summary of an import: counts by outcome, then every warning with its line.
pub fn summary(
    parsed: &Parsed,
    cat: &Catalogue,
    country: &str,
    export_name: &str,
    export: &Path,
) -> String {
    let c = |o| parsed.count(o);
    let total = parsed.questions.len();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "import of {export_name} as edition {} for {country}",
        cat.id
    );
    let mut facts = Vec::new();
    if let Some(r) = &parsed.respondent {
        facts.push(format!("respondent {r}"));
    }
    if let Some(t) = &parsed.time_to_complete {
        facts.push(format!("time to complete {t}"));
    }
    if let Some(o) = &parsed.organisation {
        facts.push(format!("organisation: {}", parse::clip(o, 60)));
    }
    if !facts.is_empty() {
        let _ = writeln!(s, "  {}", facts.join(", "));
    }
    let answered =
        c(Outcome::Text) + c(Outcome::Contact) + c(Outcome::Explicit) + c(Outcome::Other);
    let _ = writeln!(
        s,
        "  questions matched:   {:>3} of {total}",
        parsed.matched()
    );
    let _ = writeln!(
        s,
        "  answered:            {answered:>3}  (text {}, contacts {}, explicit choices {}, \"Other\" texts {})",
        c(Outcome::Text),
        c(Outcome::Contact),
        c(Outcome::Explicit),
        c(Outcome::Other)
    );
    let _ = writeln!(
        s,
        "  choices inferred:    {:>3}  (\"yes\": detail given in a follow-up asked only after \"yes\")",
        c(Outcome::Inferred)
    );
    let _ = writeln!(
        s,
        "  choices unknown:     {:>3}  (the export lists every option)",
        c(Outcome::Unknown)
    );
    let _ = writeln!(
        s,
        "  no answer:           {:>3}  (\"No data\", \"n/a\" or similar)",
        c(Outcome::NoAnswer)
    );
    let _ = writeln!(s, "  empty:               {:>3}", c(Outcome::Empty));
    let missing = c(Outcome::Missing);
    if missing > 0 {
        let tail = parsed
            .questions
            .iter()
            .rev()
            .take_while(|q| q.outcome == Outcome::Missing)
            .count();
        let mut line = format!("  missing:             {missing:>3}");
        if tail > 0 {
            let _ = write!(
                line,
                "  ({tail} at the end: file truncated after line {}?)",
                parsed.last_question_line.max(1)
            );
        }
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s, "  warnings:            {:>3}", parsed.warnings.len());
    for w in &parsed.warnings {
        let _ = writeln!(
            s,
            "warning: {}:{}: {}",
            export.display(),
            w.line.max(1),
            w.message
        );
    }
    s
}
