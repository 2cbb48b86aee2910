//! `egovsite review`: how far the review of each country's answers has got, for the people
//! who check imported answers against the export before they are published.
//!
//! Per country: answers marked `reviewed: true` out of all answers, the choices the
//! importer inferred (with its reason), the answers with an editorial note, where the
//! contacts are, and whether consent to publish is recorded (`consent:` in `country.yaml`).
//! [`text`] is what the command prints, [`checklist`] a Markdown checklist with a line per
//! answer, [`html`] the staff-only page `egovsite serve` shows at `/_review/` (never part of
//! a build).
//!
//! It reads content as `check` does, but does not need it to be valid: a half-reviewed
//! country with a problem still gets its list.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::content::PartialDate;
use crate::content::{Catalogue, Choice, ConsentStatus, Content};
use crate::markup::escape::escape as esc;

/// Where `serve` shows the review (relative to the site root).
pub const SERVE_PATH: &str = "_review/index.html";

/// One country's review state.
#[derive(Debug, Clone)]
pub struct CountryReview {
    pub slug: String,
    pub name: String,
    /// `content/countries/<slug>/country.yaml`.
    pub country_file: PathBuf,
    pub consent: Consent,
    /// Newest edition first.
    pub responses: Vec<ResponseReview>,
}

/// What `consent:` in `country.yaml` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consent {
    NotRecorded,
    Recorded {
        status: ConsentStatus,
        date: Option<String>,
        record: Option<String>,
    },
}

/// One answers file's review state.
#[derive(Debug, Clone)]
pub struct ResponseReview {
    pub edition: String,
    /// The answers file, relative to the site root.
    pub file: PathBuf,
    /// The export it was imported from, as its header names it.
    pub export: Option<String>,
    /// The page showing these answers, relative to the site root
    /// (`countries/lao-pdr.html`, or `countries/lao-pdr/msq-2021.html` for older editions).
    pub page: String,
    /// Every answer, in questionnaire order.
    pub items: Vec<Item>,
    /// Whether the private contacts file is present.
    pub contacts_file: PathBuf,
    pub contacts_present: bool,
}

impl ResponseReview {
    pub fn reviewed(&self) -> usize {
        self.items.iter().filter(|i| i.reviewed).count()
    }
}

/// One answer.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub number: u32,
    pub label: String,
    /// Line of the answer in the answers file.
    pub line: usize,
    /// Line of the question in the export, when the export was given (`--export`).
    pub export_line: Option<usize>,
    pub reviewed: bool,
    /// The inferred choice and the importer's reason.
    pub inferred: Option<(String, String)>,
    pub note: Option<String>,
}

/// The review state of every country (or of the one named by `only`), in slug order.
pub fn collect(content: &Content, only: Option<&str>) -> Vec<CountryReview> {
    let catalogues: BTreeMap<&str, &Catalogue> = content
        .catalogues
        .iter()
        .map(|c| (c.value.id.as_str(), &c.value))
        .collect();
    let mut out = Vec::new();
    for c in &content.countries {
        if only.is_some_and(|o| o != c.slug) {
            continue;
        }
        let name = c
            .info
            .as_ref()
            .map(|i| i.value.name.clone())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| c.slug.clone());
        let consent = match c.info.as_ref().and_then(|i| i.value.consent.as_ref()) {
            None => Consent::NotRecorded,
            Some(k) => Consent::Recorded {
                status: k.status,
                date: k.date.as_ref().map(|d| {
                    PartialDate::from_value(d)
                        .map(|p| p.iso())
                        .unwrap_or_else(|| match d {
                            crate::content::DateValue::Year(y) => y.to_string(),
                            crate::content::DateValue::Text(t) => t.clone(),
                        })
                }),
                record: k.record.clone(),
            },
        };
        let newest = c.answers.iter().map(|a| a.value.edition.as_str()).max();
        let mut responses = Vec::new();
        for af in &c.answers {
            let v = &af.value;
            let page = if Some(v.edition.as_str()) == newest {
                format!("countries/{}.html", c.slug)
            } else {
                format!("countries/{}/{}.html", c.slug, v.edition)
            };
            let cat = catalogues.get(v.edition.as_str());
            let mut items: Vec<Item> = v
                .answers
                .iter()
                .filter_map(|(qid, a)| {
                    let q = cat.and_then(|c| c.questions.iter().find(|q| &q.id == qid));
                    if q.is_some_and(|q| q.kind.is_personal()) {
                        return None;
                    }
                    let inferred = a.inferred.as_ref().map(|why| {
                        let choice = match &a.choice {
                            Some(Choice::One(s)) => s.clone(),
                            Some(Choice::Many(v)) => v.join(", "),
                            None => String::new(),
                        };
                        (choice, why.clone())
                    });
                    Some(Item {
                        id: qid.clone(),
                        number: q.map(|q| q.number).unwrap_or(u32::MAX),
                        label: q.map(|q| q.label.clone()).unwrap_or_default(),
                        line: af.spans.get(&format!("answers.{qid}")).line,
                        export_line: None,
                        reviewed: a.reviewed,
                        inferred,
                        note: a.note.clone(),
                    })
                })
                .collect();
            items.sort_by(|a, b| a.number.cmp(&b.number).then(a.id.cmp(&b.id)));
            let contacts_file = crate::contacts::private_file(&af.file);
            responses.push(ResponseReview {
                edition: v.edition.clone(),
                file: af.file.clone(),
                export: v.source.file.clone(),
                page,
                items,
                contacts_present: content.root.join(&contacts_file).is_file(),
                contacts_file,
            });
        }
        responses.sort_by(|a, b| b.edition.cmp(&a.edition));
        out.push(CountryReview {
            slug: c.slug.clone(),
            name,
            country_file: c.dir.join("country.yaml"),
            consent,
            responses,
        });
    }
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    out
}

/// Record where each question of `response` is in its export: `lines` maps question id to
/// the export's line.
pub fn add_export_lines(response: &mut ResponseReview, lines: &BTreeMap<String, usize>) {
    for item in &mut response.items {
        item.export_line = lines.get(&item.id).copied();
    }
}

/// What to do about consent, in one line.
pub fn consent_line(c: &CountryReview) -> String {
    match &c.consent {
        Consent::NotRecorded => format!(
            "not recorded: ask the government for written consent to publish these answers, then add `consent:` to {} (staff guide, \"Consent to publish\")",
            c.country_file.display()
        ),
        Consent::Recorded { status, date, record } => {
            let what = match status {
                ConsentStatus::Given => "given",
                ConsentStatus::Asked => "asked for, no answer yet: do not publish until it is given",
                ConsentStatus::Refused => "refused: remove this country's answers before publishing",
            };
            let mut s = what.to_string();
            if let Some(d) = date {
                let _ = write!(s, " ({d})");
            }
            if let Some(r) = record {
                let _ = write!(s, "; record: {r}");
            }
            s
        }
    }
}

fn choice_shown(choice: &str) -> String {
    match choice {
        "yes" => "Yes".into(),
        "no" => "No".into(),
        other => other.to_string(),
    }
}

/// The review as `egovsite review` prints it.
pub fn text(reviews: &[CountryReview]) -> String {
    let mut s = String::new();
    for c in reviews {
        let _ = writeln!(s, "{} ({})", c.name, c.slug);
        let _ = writeln!(s, "  consent to publish: {}", consent_line(c));
        if c.responses.is_empty() {
            let _ = writeln!(s, "  no answers file yet");
        }
        for r in &c.responses {
            let total = r.items.len();
            let done = r.reviewed();
            let _ = writeln!(s, "  {} ({})", r.edition, r.file.display());
            let _ = writeln!(
                s,
                "    reviewed: {done} of {total} answers{}",
                if done == total { " (all)" } else { "" }
            );
            let waiting: Vec<&Item> = r.items.iter().filter(|i| !i.reviewed).collect();
            if !waiting.is_empty() {
                let _ = writeln!(s, "    not reviewed yet ({}):", waiting.len());
                for i in waiting {
                    let _ = writeln!(s, "      {:<5} line {:<5} {}", i.id, i.line, i.label);
                }
            }
            let inferred: Vec<&Item> = r.items.iter().filter(|i| i.inferred.is_some()).collect();
            let _ = writeln!(s, "    inferred choices ({}):", inferred.len());
            for i in inferred {
                let (choice, why) = i.inferred.as_ref().expect("filtered");
                let _ = writeln!(
                    s,
                    "      {:<5} line {:<5} {} because {}{}",
                    i.id,
                    i.line,
                    choice_shown(choice),
                    why,
                    if i.reviewed {
                        " (reviewed)"
                    } else {
                        " (to check)"
                    }
                );
            }
            let notes: Vec<&Item> = r.items.iter().filter(|i| i.note.is_some()).collect();
            let _ = writeln!(s, "    answers with notes ({}):", notes.len());
            for i in notes {
                let note = i.note.as_deref().unwrap_or("");
                let first = note.lines().next().unwrap_or("");
                let more = if note.lines().count() > 1 { " …" } else { "" };
                let _ = writeln!(s, "      {:<5} line {:<5} {first}{more}", i.id, i.line);
            }
            let _ = writeln!(
                s,
                "    contacts: {} ({})",
                r.contacts_file.display(),
                if r.contacts_present {
                    "present on this computer, not committed"
                } else {
                    "absent: the site builds without them"
                }
            );
        }
        s.push('\n');
    }
    let countries = reviews.len();
    let complete = reviews
        .iter()
        .filter(|c| {
            !c.responses.is_empty() && c.responses.iter().all(|r| r.reviewed() == r.items.len())
        })
        .count();
    let consented = reviews
        .iter()
        .filter(|c| {
            matches!(
                c.consent,
                Consent::Recorded {
                    status: ConsentStatus::Given,
                    ..
                }
            )
        })
        .count();
    let _ = writeln!(
        s,
        "{countries} {}: {complete} with every answer reviewed, {consented} with consent to publish recorded",
        if countries == 1 { "country" } else { "countries" }
    );
    s
}

/// A Markdown checklist: a box per answer, ticked when reviewed, with the answer's line in
/// its file, the export's line (when known) and the answer's address on the site.
pub fn checklist(reviews: &[CountryReview], base_url: &str) -> String {
    let base = if base_url.ends_with('/') {
        base_url.to_string()
    } else {
        format!("{base_url}/")
    };
    let mut s = String::from("# Review checklist\n");
    for c in reviews {
        for r in &c.responses {
            let _ = writeln!(s, "\n## {} — {}\n", c.name, r.edition);
            let _ = writeln!(
                s,
                "Reviewed {} of {} answers. Consent to publish: {}.\n",
                r.reviewed(),
                r.items.len(),
                consent_line(c)
            );
            let export = r.export.as_deref().unwrap_or("the export");
            let _ = writeln!(
                s,
                "- [{}] Consent to publish recorded in `{}`",
                if matches!(
                    c.consent,
                    Consent::Recorded {
                        status: ConsentStatus::Given,
                        ..
                    }
                ) {
                    "x"
                } else {
                    " "
                },
                c.country_file.display()
            );
            for i in &r.items {
                let mut line = format!(
                    "- [{}] **{}** {} — `{}:{}`",
                    if i.reviewed { "x" } else { " " },
                    i.id,
                    md_text(&i.label),
                    r.file.display(),
                    i.line
                );
                if let Some(n) = i.export_line {
                    let _ = write!(line, " · export `{export}:{n}`");
                }
                let _ = write!(line, " · [on the site]({base}{}#{})", r.page, i.id);
                if let Some((choice, why)) = &i.inferred {
                    let _ = write!(
                        line,
                        " · inferred {} because {}",
                        choice_shown(choice),
                        md_text(why)
                    );
                }
                if let Some(n) = &i.note {
                    let _ = write!(line, " · note: {}", md_text(n.lines().next().unwrap_or("")));
                }
                s.push_str(&line);
                s.push('\n');
            }
        }
    }
    s
}

/// Text for a Markdown list item: no line breaks, and characters that would start markup
/// escaped.
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '*' | '_' | '[' | ']' | '<' | '>' | '`' | '\\' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The staff-only page `egovsite serve` shows at `/_review/`: the same as [`text`], with
/// each answer linked to its place on the previewed site.
pub fn html(reviews: &[CountryReview]) -> String {
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Review queue (staff only)</title>\
         <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.4}\
         .todo{color:#8a1c00}.done{color:#1b6b2a}td,th{padding:.15rem .5rem;text-align:left;vertical-align:top}\
         .note{background:#fff6d5;padding:.5rem 1rem;border-left:4px solid #d9a400}</style></head><body>\n\
         <h1>Review queue</h1>\n<p class=\"note\">Staff only: this page is shown by <code>egovsite serve</code> \
         and is never part of the published site. The same list is printed by <code>egovsite review</code>.</p>\n",
    );
    for c in reviews {
        let _ = writeln!(
            s,
            "<section id=\"{}\"><h2>{}</h2>",
            esc(&c.slug),
            esc(&c.name)
        );
        let consent_class = if matches!(
            c.consent,
            Consent::Recorded {
                status: ConsentStatus::Given,
                ..
            }
        ) {
            "done"
        } else {
            "todo"
        };
        let _ = writeln!(
            s,
            "<p>Consent to publish: <span class=\"{consent_class}\">{}</span></p>",
            esc(&consent_line(c))
        );
        for r in &c.responses {
            let _ = writeln!(
                s,
                "<h3>{} <small>({})</small></h3>\n<p>Reviewed: <strong>{} of {}</strong> answers.</p>",
                esc(&r.edition),
                esc(&r.file.display().to_string()),
                r.reviewed(),
                r.items.len()
            );
            let _ = writeln!(
                s,
                "<table><thead><tr><th>Answer</th><th>Line</th><th>Reviewed</th><th>Inferred choice</th><th>Note</th></tr></thead><tbody>"
            );
            for i in &r.items {
                let inferred = i
                    .inferred
                    .as_ref()
                    .map(|(c, why)| format!("{} because {}", choice_shown(c), why))
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    "<tr><td><a href=\"../{}#{}\">{} {}</a></td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&r.page),
                    esc(&i.id),
                    esc(&i.id),
                    esc(&i.label),
                    i.line,
                    if i.reviewed { "done" } else { "todo" },
                    if i.reviewed { "yes" } else { "not yet" },
                    esc(&inferred),
                    esc(i.note.as_deref().unwrap_or(""))
                );
            }
            s.push_str("</tbody></table>\n");
        }
        s.push_str("</section>\n");
    }
    s.push_str("</body></html>\n");
    s
}

/// The export's line of each question, for `--export`: the export read against the
/// edition's catalogue as `import` reads it.
pub fn export_lines(export: &Path, cat: &Catalogue) -> Result<BTreeMap<String, usize>, String> {
    let bytes =
        std::fs::read(export).map_err(|e| format!("{}: cannot read: {e}", export.display()))?;
    let text = crate::import::decode(&bytes).map_err(|e| e.into_diagnostic(export).to_string())?;
    let parsed = crate::import::parse_export(&text, cat)
        .map_err(|e| e.into_diagnostic(export).to_string())?;
    Ok(parsed
        .questions
        .iter()
        .filter_map(|q| Some((q.id.clone(), q.line?)))
        .collect())
}
