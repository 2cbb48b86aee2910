//! Open data downloads: every answer as one CSV table (`data/answers.csv`), one JSON file
//! per country (`data/countries/<slug>.json`), and a Frictionless Data Package descriptor
//! (`data/datapackage.json`) naming them all.
//!
//! Pure functions of the model: same model, same bytes (no timestamps, no map iteration
//! order). Personal data (questions of kind `person_name` and `email`, and each response's
//! `contacts`) appears only when `site.yaml` sets `publish_contacts: true`, and then with
//! e-mail addresses written `name [at] domain`, as on the pages.
//!
//! The CSV is safe to open in a spreadsheet: a cell that would start with `=`, `+`, `-`,
//! `@`, a tab or a carriage return starts with a single quote instead, as OWASP advises
//! against CSV injection, so that no cell is taken for a formula (see [`CSV_NEUTRALISED`]).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Provenance, Question};
use crate::model::{AnswerView, Country, Edition, Response, Site};
use crate::output::OutFile;
use crate::render::views::urls;
use crate::slug::slugify;

/// The folder of the data files, relative to the output root.
pub const DIR: &str = "data";
/// The answers table.
pub const CSV_PATH: &str = "data/answers.csv";
/// The Data Package descriptor.
pub const PACKAGE_PATH: &str = "data/datapackage.json";
/// How the values of a multiple-choice answer are joined in the `choice` column.
pub const CHOICE_SEPARATOR: &str = "; ";

/// First characters that make a spreadsheet read a cell as a formula (OWASP's list for CSV
/// injection), and the quote itself: a CSV cell starting with one gets a `'` in front, so
/// that removing the first quote of any cell that starts with one gives the value back.
pub const CSV_NEUTRALISED: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// How the Data Package descriptor explains the quote added by [`cell`].
const CSV_NOTE: &str = "A cell whose value starts with =, +, -, @, a tab, a carriage return or a single quote has a single quote (') added in front, so that spreadsheets show it as text and never run it as a formula (OWASP's advice against CSV injection). To get the value as written, remove the first character of every cell that starts with a quote. The JSON files under countries/ hold every value unchanged.";

/// A contact value as published: e-mail addresses written `name [at] domain`, exactly as
/// the answer pages show them, so that no output holds an address in harvestable form.
pub fn obfuscate_contact(value: &str) -> String {
    value.replace('@', " [at] ")
}

/// Where a country's JSON file lives, relative to the output root.
pub fn country_path(c: &Country) -> String {
    format!("{DIR}/countries/{}.json", c.slug)
}

/// One column of `answers.csv`: its name, Table Schema type and meaning.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Column {
    pub name: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub description: &'static str,
}

pub(crate) const fn col(
    name: &'static str,
    kind: &'static str,
    description: &'static str,
) -> Column {
    Column {
        name,
        kind,
        description,
    }
}

/// The columns of `answers.csv`, in order. The header row and the Data Package schema are
/// both written from this list.
pub const COLUMNS: &[Column] = &[
    col("country", "string", "Country slug, as in the site's addresses (countries/<slug>.html)."),
    col("country_name", "string", "Short name of the country."),
    col("iso3", "string", "ISO 3166-1 alpha-3 code of the country."),
    col("edition", "string", "Questionnaire edition id (see the site for the evidence each edition's name rests on)."),
    col("question_id", "string", "Question id within the edition: \"q\" followed by the number printed in the form."),
    col("question_number", "integer", "Number of the question as printed in the form."),
    col("topic", "string", "Topic key shared by the same question across editions; join on it to compare editions."),
    col("label", "string", "Short label of the question."),
    col("section", "string", "Questionnaire section: its letter, or \"intro\" for the questions before section A."),
    col("kind", "string", "Kind of question: country, person_name, email, text, links, yes_no, single_choice or multiple_choice."),
    col("choice", "string", "Choice kinds: the recorded choice (yes/no, or the option text; several options joined by \"; \"); \"unknown\" when the export does not record which option was selected; empty when no option was chosen and for other kinds."),
    col("inferred", "boolean", "true when the choice is not recorded in the export but inferred by the editors (see inferred_reason)."),
    col("inferred_reason", "string", "Why the choice was inferred; empty unless inferred is true."),
    col("other", "string", "The respondent's own \"Other\" text."),
    col("detail", "string", "The written answer as the respondent typed it, line breaks kept; a link the export wrote as <address> or [text](address) appears as the address or text a reader sees."),
    col("no_answer", "string", "What the respondent wrote instead of an answer (e.g. \"No data\")."),
    col("answered", "boolean", "true when the respondent gave anything for this question (including an unrecorded choice or a no-answer statement)."),
    col("source_document", "string", "Document the answers were taken from."),
    col("source_file", "string", "File name of the export the answers were imported from."),
];

const _: () = assert!(COLUMNS.len() == 19, "answers_csv writes 19 cells per row");

/// The CSV table's primary key.
pub const PRIMARY_KEY: [&str; 3] = ["country", "edition", "question_id"];

/// Every data file: the CSV, one JSON per country, and the descriptor naming them.
pub fn files(site: &Site) -> Vec<OutFile> {
    let out = std::sync::Mutex::new(Vec::new());
    let _ = each_file::<()>(site, &|path, bytes| {
        out.lock().unwrap_or_else(|e| e.into_inner()).push(OutFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        });
        Ok(())
    });
    let mut out = out.into_inner().unwrap_or_else(|e| e.into_inner());
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Produce the data files one by one (countries in parallel), handing each to `put` as
/// soon as it is ready, so they are never all in memory.
pub fn each_file<E: Send>(site: &Site, put: &crate::output::Put<'_, E>) -> Result<(), E> {
    put(CSV_PATH, &answers_csv(site))?;
    put(
        crate::render::indicators::CSV_PATH,
        &crate::render::indicators::csv(site),
    )?;
    site.countries
        .par_iter()
        .try_for_each(|c| put(&country_path(c), &country_json(site, c)))?;
    put(PACKAGE_PATH, &datapackage(site))
}

/// One answer (or the absence of one) as the data files give it.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerRecord {
    pub question_id: String,
    pub question_number: u32,
    pub topic: String,
    pub label: String,
    pub section: String,
    pub section_title: String,
    pub kind: &'static str,
    /// Choice kinds only: the recorded choice, `unknown`, or `None` when nothing was chosen.
    pub choice: Option<String>,
    /// The selected options one by one (empty when not recorded or not a choice kind).
    pub choices: Vec<String>,
    pub inferred: bool,
    pub inferred_reason: Option<String>,
    pub other: Option<String>,
    /// The written answer as plain text.
    pub detail: Option<String>,
    /// Web addresses linked from the written answer.
    pub links: Vec<String>,
    pub no_answer: Option<String>,
    pub answered: bool,
    /// A person checked this answer against the source.
    pub reviewed: bool,
    /// An editorial note by the site's staff.
    pub note: Option<String>,
}

/// Whether a question may appear in the data files.
fn published(site: &Site, q: &Question) -> bool {
    site.config.publish_contacts || !q.kind.is_personal()
}

/// The answers of one response in catalogue order, personal questions left out unless
/// contacts are published.
pub fn records(site: &Site, ed: &Edition, r: &Response) -> Vec<AnswerRecord> {
    ed.cat
        .questions
        .iter()
        .filter(|q| published(site, q))
        .map(|q| record(site, ed, q, r))
        .collect()
}

fn record(site: &Site, ed: &Edition, q: &Question, r: &Response) -> AnswerRecord {
    let a: Option<&AnswerView> = r.answers.get(&q.id);
    let personal = q.kind.is_personal();
    let contact = if personal && site.config.publish_contacts {
        r.contacts.get(&q.id).map(|v| obfuscate_contact(v))
    } else {
        None
    };
    let choice = if !q.kind.is_choice() {
        None
    } else {
        match a {
            Some(a) if a.choice_unknown => Some("unknown".to_string()),
            Some(a) if !a.choices.is_empty() => Some(a.choices.join(CHOICE_SEPARATOR)),
            _ => None,
        }
    };
    let detail = contact
        .clone()
        .or_else(|| a.and_then(|a| a.detail_text.clone()));
    let links = a
        .and_then(|a| a.detail_html.as_deref())
        .map(|html| {
            let mut seen = Vec::new();
            for (href, _) in crate::markup::html::extract_links(html) {
                if !seen.contains(&href) {
                    seen.push(href);
                }
            }
            seen
        })
        .unwrap_or_default();
    let answered = if personal {
        contact.is_some()
    } else {
        a.is_some_and(|a| !a.is_empty() || a.no_answer.is_some())
    };
    AnswerRecord {
        question_id: q.id.clone(),
        question_number: q.number,
        topic: q.topic.clone(),
        label: q.label.clone(),
        section: q.section.clone(),
        section_title: ed.section_title(&q.section).to_string(),
        kind: q.kind.as_str(),
        choice,
        choices: a.map(|a| a.choices.clone()).unwrap_or_default(),
        inferred: a.is_some_and(|a| a.inferred.is_some()),
        inferred_reason: a.and_then(|a| a.inferred.clone()),
        other: a.and_then(|a| a.other.clone()),
        detail,
        links,
        no_answer: a.and_then(|a| a.no_answer.clone()),
        answered,
        reviewed: a.is_some_and(|a| a.reviewed),
        note: a.and_then(|a| a.note.clone()),
    }
}

fn edition<'s>(site: &'s Site, id: &str) -> Option<&'s Edition> {
    site.editions.iter().find(|e| e.id == id)
}

/// A CSV cell: line breaks normalised to `\n`, so the file uses one line ending
/// throughout, and a `'` in front when the value starts with a character of
/// [`CSV_NEUTRALISED`] (checked on the value as given, before a leading carriage return
/// becomes a line feed), so that no spreadsheet takes the cell for a formula.
pub(crate) fn cell(s: Option<&str>) -> String {
    let Some(s) = s else {
        return String::new();
    };
    let text = s.replace("\r\n", "\n").replace('\r', "\n");
    if s.starts_with(CSV_NEUTRALISED) {
        format!("'{text}")
    } else {
        text
    }
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// `data/answers.csv`: one row per country × edition answered × question, countries in
/// site order, editions newest first, questions in catalogue order. RFC 4180 quoting,
/// UTF-8 without a byte-order mark, `\n` line endings, cells that could be taken for a
/// formula neutralised (see [`cell`]).
pub fn answers_csv(site: &Site) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    w.write_record(&header).expect("writing to memory");
    for c in &site.countries {
        for r in &c.responses {
            let Some(ed) = edition(site, &r.edition) else {
                continue;
            };
            for rec in records(site, ed, r) {
                let number = rec.question_number.to_string();
                let row: [Option<&str>; 19] = [
                    Some(&c.slug),
                    Some(&c.info.name),
                    Some(&c.info.iso3),
                    Some(&ed.id),
                    Some(&rec.question_id),
                    Some(&number),
                    Some(&rec.topic),
                    Some(&rec.label),
                    Some(&rec.section),
                    Some(rec.kind),
                    rec.choice.as_deref(),
                    Some(bool_str(rec.inferred)),
                    rec.inferred_reason.as_deref(),
                    rec.other.as_deref(),
                    rec.detail.as_deref(),
                    rec.no_answer.as_deref(),
                    Some(bool_str(rec.answered)),
                    Some(&r.source.document),
                    r.source.file.as_deref(),
                ];
                let row = row.map(cell);
                w.write_record(&row).expect("writing to memory");
            }
        }
    }
    w.into_inner().expect("writing to memory")
}

#[derive(Serialize)]
struct CountryDoc<'a> {
    slug: &'a str,
    name: &'a str,
    official_name: &'a str,
    iso3: &'a str,
    region: &'a str,
    groupings: &'a [String],
    languages: &'a [String],
    indicators: &'a [crate::content::Indicator],
    /// The country's profile page.
    url: String,
    /// How to cite the profile.
    citation: String,
    /// Newest edition first.
    responses: Vec<ResponseDoc<'a>>,
}

#[derive(Serialize)]
struct ResponseDoc<'a> {
    edition: &'a str,
    edition_title: &'a str,
    /// The page showing these answers.
    url: String,
    provenance: &'a Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    contacts: Option<BTreeMap<&'a str, String>>,
    answers: Vec<AnswerRecord>,
}

fn pretty(v: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(v).expect("data files serialise");
    bytes.push(b'\n');
    bytes
}

/// `data/countries/<slug>.json`: the country's facts and, per edition answered (newest
/// first), its answers in catalogue order with their provenance.
pub fn country_json(site: &Site, c: &Country) -> Vec<u8> {
    let responses = c
        .responses
        .iter()
        .filter_map(|r| {
            let ed = edition(site, &r.edition)?;
            Some(ResponseDoc {
                edition: &ed.id,
                edition_title: &ed.cat.title,
                url: format!("{}{}", site.base_url, urls::response(c, &ed.id)),
                provenance: &r.source,
                contacts: site.config.publish_contacts.then(|| {
                    r.contacts
                        .iter()
                        .map(|(k, v)| (k.as_str(), obfuscate_contact(v)))
                        .collect()
                }),
                answers: records(site, ed, r),
            })
        })
        .collect();
    pretty(&CountryDoc {
        slug: &c.slug,
        name: &c.info.name,
        official_name: &c.info.official_name,
        iso3: &c.info.iso3,
        region: &c.info.region,
        groupings: &c.info.groupings,
        languages: &c.info.languages,
        indicators: &c.info.indicators,
        url: format!("{}{}", site.base_url, urls::country(c)),
        citation: crate::render::cite::profile_in_data(site, c),
        responses,
    })
}

#[derive(Serialize)]
struct Package<'a> {
    profile: &'static str,
    name: String,
    title: &'a str,
    description: &'a str,
    homepage: &'a str,
    /// How to cite the data (a property of this site's own; Data Package allows them).
    citation: String,
    licenses: Vec<License<'a>>,
    sources: Vec<Source<'a>>,
    resources: Vec<Resource>,
}

#[derive(Serialize)]
struct License<'a> {
    /// Where the licence is stated (the site's footer).
    path: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct Source<'a> {
    title: &'a str,
}

#[derive(Serialize)]
struct Resource {
    name: String,
    /// Relative to the descriptor's folder (`data/`).
    path: String,
    profile: &'static str,
    title: String,
    description: String,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dialect: Option<Dialect>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<Schema>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dialect {
    delimiter: &'static str,
    line_terminator: &'static str,
    quote_char: &'static str,
    double_quote: bool,
    header: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Schema {
    fields: &'static [Column],
    primary_key: [&'static str; 3],
    missing_values: [&'static str; 0],
}

/// `data/datapackage.json`: a Frictionless Data Package descriptor naming every data file.
///
/// The profile is `data-package` with the CSV as a `tabular-data-resource`: the
/// `tabular-data-package` profile requires every resource to be tabular, which the
/// per-country JSON files are not.
pub fn datapackage(site: &Site) -> Vec<u8> {
    let cfg = &site.config;
    let mut resources = vec![csv_resource(
        "answers",
        CSV_PATH,
        "Questionnaire answers, all countries",
        format!(
            "One row per country, questionnaire edition answered and question, in catalogue order. {CSV_NOTE}"
        ),
        COLUMNS,
        PRIMARY_KEY,
    )];
    resources.push(indicators_resource());
    for c in &site.countries {
        resources.push(Resource {
            name: format!("country-{}", c.slug),
            path: rel(&country_path(c)),
            profile: "data-resource",
            title: format!("E-government profile of {}", c.info.name),
            description: format!(
                "Facts about {}, its indicators (each with year and source) and its answers to each questionnaire edition, with provenance.",
                c.info.name
            ),
            format: "json",
            mediatype: "application/json",
            encoding: "utf-8",
            dialect: None,
            schema: None,
        });
    }
    let name = match slugify(&cfg.title) {
        s if s.is_empty() => "egovsite".to_string(),
        s => s,
    };
    pretty(&Package {
        profile: "data-package",
        name,
        title: &cfg.title,
        description: &cfg.description,
        homepage: &site.base_url,
        citation: crate::render::cite::data_in_data(site),
        licenses: vec![License {
            path: &site.base_url,
            title: &cfg.licence,
        }],
        sources: vec![Source { title: &cfg.source }],
        resources,
    })
}

/// `indicators.csv` as a tabular resource with its schema.
fn indicators_resource() -> Resource {
    use crate::render::indicators;
    csv_resource(
        "indicators",
        indicators::CSV_PATH,
        "Country indicators (EGDI, its components and ranks)",
        format!(
            "One row per country, indicator and year, as the site's content records them, \
             each with its source. No value is estimated or filled in. {CSV_NOTE}"
        ),
        indicators::COLUMNS,
        indicators::PRIMARY_KEY,
    )
}

/// A CSV table the site writes (UTF-8, `,`, `"` quoting, `\n`, a header row) as a tabular
/// resource with its schema.
fn csv_resource(
    name: &str,
    path: &str,
    title: &str,
    description: String,
    fields: &'static [Column],
    primary_key: [&'static str; 3],
) -> Resource {
    Resource {
        name: name.into(),
        path: rel(path),
        profile: "tabular-data-resource",
        title: title.into(),
        description,
        format: "csv",
        mediatype: "text/csv",
        encoding: "utf-8",
        dialect: Some(Dialect {
            delimiter: ",",
            line_terminator: "\n",
            quote_char: "\"",
            double_quote: true,
            header: true,
        }),
        schema: Some(Schema {
            fields,
            primary_key,
            missing_values: [],
        }),
    }
}

/// A data file's path relative to the descriptor's folder.
fn rel(path: &str) -> String {
    path.strip_prefix(DIR)
        .and_then(|p| p.strip_prefix('/'))
        .unwrap_or(path)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_unique_and_typed() {
        let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len());
        for c in COLUMNS {
            assert!(
                ["string", "integer", "boolean"].contains(&c.kind),
                "{}",
                c.name
            );
            assert!(!c.description.is_empty());
        }
        for k in PRIMARY_KEY {
            assert!(COLUMNS.iter().any(|c| c.name == k));
        }
    }

    #[test]
    fn cells_use_one_line_ending() {
        assert_eq!(cell(Some("a\r\nb\rc\nd")), "a\nb\nc\nd");
        assert_eq!(cell(None), "");
    }

    #[test]
    fn cells_that_look_like_formulas_start_with_a_quote() {
        for (given, written) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-www.example.gov", "'-www.example.gov"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\n=1"),
            ("a=1", "a=1"),
            (" =1", " =1"),
            ("'=1", "''=1"),
            ("", ""),
        ] {
            assert_eq!(cell(Some(given)), written, "{given:?}");
        }
    }

    #[test]
    fn contacts_are_written_without_a_plain_at_sign() {
        assert_eq!(obfuscate_contact("a.b@gov.kh"), "a.b [at] gov.kh");
        assert_eq!(obfuscate_contact("Mr. Mok"), "Mr. Mok");
    }

    #[test]
    fn paths_are_relative_to_the_descriptor() {
        assert_eq!(rel(CSV_PATH), "answers.csv");
        assert_eq!(rel("data/countries/lao-pdr.json"), "countries/lao-pdr.json");
    }
}
