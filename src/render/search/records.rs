//! What is indexed: the records (one per search result) made from the site's model, each
//! with the title, address, snippet and kind a result shows, and the texts it is found by
//! with their weights. Personal data is never read; e-mail addresses are masked in
//! snippets.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;

use super::weights::{W_CONTEXT, W_NAME, W_TITLE};
use crate::content::DocKind;
use crate::markup::markdown;
use crate::model::Site;
use crate::render::indicators;
use crate::render::views::urls;

/// Length of a record's snippet, in characters.
pub const SNIPPET_CHARS: usize = 160;

/// One search result's source: what the result shows and the weighted texts it is found by.
#[derive(Debug, Clone)]
pub(super) struct Record<'a> {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) snippet: String,
    pub(super) kind: &'static str,
    /// Language of the record when not the site's.
    pub(super) lang: Option<String>,
    /// Short texts with their fixed weight (title, context).
    pub(super) heads: Vec<(String, f64)>,
    /// The text, weighted by BM25 (a document's own text is borrowed, not copied).
    pub(super) text: Cow<'a, str>,
}

/// Every record, in id order: countries, topics, documents (newest first), answers.
pub(super) fn records(site: &Site) -> Vec<Record<'_>> {
    let mut out = Vec::new();
    for c in &site.countries {
        let i = &c.info;
        let mut about = vec![i.official_name.clone(), i.region.clone()];
        about.extend(i.groupings.iter().cloned());
        let about = about.join(" · ");
        // One index serves every interface language: the country is also found by its
        // name and its region's name in each of them ("越南", "فييت نام", "Вьетнам").
        let mut names = vec![i.name.clone()];
        let mut regions = vec![i.region.clone()];
        for n in &site.names {
            let name = &n.of(c).text;
            if !names.contains(name) {
                names.push(name.clone());
            }
            let region = n.region(&i.region).text;
            if !regions.contains(&region) {
                regions.push(region);
            }
        }
        out.push(Record {
            title: i.name.clone(),
            url: urls::country(c),
            snippet: snippet(&about),
            kind: "country",
            lang: None,
            heads: vec![
                (names.join(" "), W_NAME),
                (
                    format!(
                        "{about} {} {} {}",
                        regions[1..].join(" "),
                        i.iso3,
                        i.languages.join(" ")
                    ),
                    W_CONTEXT,
                ),
            ],
            text: Cow::Borrowed(""),
        });
    }
    for topic in &site.topics {
        let section = &site.sections[topic.section];
        let mut context = vec![section.title.clone()];
        let mut texts = Vec::new();
        for &(ei, qi) in &topic.questions {
            let q = &site.editions[ei].cat.questions[qi];
            context.push(format!("q{}", q.number));
            texts.push(markdown::plain_text(&q.text));
        }
        out.push(Record {
            title: topic.label.clone(),
            url: urls::topic(&topic.key),
            snippet: snippet(texts.first().map(String::as_str).unwrap_or("")),
            kind: "topic",
            lang: None,
            heads: vec![
                (topic.label.clone(), W_TITLE),
                (context.join(" "), W_CONTEXT),
            ],
            text: Cow::Owned(texts.join(" ")),
        });
    }
    // Documents, made in parallel and kept in order.
    let documents: Vec<Vec<Record>> = site
        .documents
        .par_iter()
        .map(|d| {
            let summary = d.summary_text.clone().unwrap_or_default();
            let lead = if summary.trim().is_empty() {
                &d.text
            } else {
                &summary
            };
            let mut context = vec![d.meta.source.publisher.clone()];
            context.extend(d.meta.topics.iter().cloned());
            let kind = match d.kind {
                DocKind::Report => "report",
                DocKind::News => "news",
            };
            let lang = (d.meta.language != site.config.language).then(|| d.meta.language.clone());
            let sections = sections(d);
            let (head_text, rest) = sections
                .split_first()
                .map_or((d.text.as_str(), &[][..]), |(first, rest)| {
                    (first.text, rest)
                });
            let mut records = vec![Record {
                title: d.meta.title.clone(),
                url: urls::document(d),
                snippet: snippet(lead),
                kind,
                lang: lang.clone(),
                heads: vec![
                    (d.meta.title.clone(), W_TITLE),
                    (context.join(" "), W_CONTEXT),
                ],
                text: if summary.is_empty() {
                    Cow::Borrowed(head_text)
                } else {
                    Cow::Owned(format!("{summary} {head_text}"))
                },
            }];
            // A document in several pages: each section after the first is a record of
            // its own, opening the part that holds it at its heading.
            for sec in rest {
                records.push(Record {
                    title: format!("{} · {}", d.meta.title, sec.heading),
                    url: sec.url.clone(),
                    snippet: snippet(sec.text),
                    kind,
                    lang: lang.clone(),
                    heads: vec![(sec.heading.to_string(), W_TITLE)],
                    text: Cow::Borrowed(sec.text),
                });
            }
            records
        })
        .collect();
    out.extend(documents.into_iter().flatten());
    for c in &site.countries {
        for (ri, r) in c.responses.iter().enumerate() {
            let Some(ed) = site.editions.iter().find(|e| e.id == r.edition) else {
                continue;
            };
            for q in &ed.cat.questions {
                // Personal data is never indexed, whatever `publish_contacts` says.
                if q.kind.is_personal() {
                    continue;
                }
                let Some(a) = r.answers.get(&q.id) else {
                    continue;
                };
                if a.is_empty() && a.no_answer.is_none() {
                    continue;
                }
                let label = a.choice_label.as_deref();
                let mut parts: Vec<&str> = label.into_iter().collect();
                parts.extend(a.detail_text.as_deref());
                if let Some(o) = a.other.as_deref() {
                    if !label.is_some_and(|l| l.contains(o)) {
                        parts.push(o);
                    }
                }
                parts.extend(a.no_answer.as_deref());
                let text = parts.join(" · ");
                let mut title = format!("{} · Q{} {}", c.info.name, q.number, q.label);
                if ri > 0 {
                    title.push_str(&format!(" ({})", ed.id));
                }
                out.push(Record {
                    title,
                    url: urls::answer(c, &ed.id, &q.id),
                    snippet: snippet(&text),
                    kind: "answer",
                    lang: None,
                    heads: vec![
                        (q.label.clone(), W_TITLE),
                        (format!("{} q{}", c.info.name, q.number), W_CONTEXT),
                    ],
                    text: Cow::Owned(text),
                });
            }
        }
    }
    out.extend(indicator_records(site));
    out
}

/// The indicators, after the answers: one record per indicator (leading to its section
/// of the indicators page, with the newest year's values as the snippet) and one per
/// country that has values (leading to the profile's indicators table). Only sourced
/// values, as the indicators page shows them; numbers as content writes them.
fn indicator_records(site: &Site) -> Vec<Record<'static>> {
    let lang = site.config.language.as_str();
    let blocks = indicators::comparison(site, lang);
    let mut out = Vec::new();
    // Per country (site order): the names and "name value (year)" of its values.
    let mut by_country: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for b in &blocks {
        let newest = b.years.first();
        let snippet_text = newest
            .map(|y| {
                let values: Vec<String> = y
                    .rows
                    .iter()
                    .map(|r| format!("{} {}", r.country.text, r.value))
                    .collect();
                format!("{}: {}", y.year, values.join(" · "))
            })
            .unwrap_or_default();
        let mut countries: Vec<&str> = Vec::new();
        let mut years = Vec::new();
        for y in &b.years {
            years.push(y.year.to_string());
            for r in &y.rows {
                if !countries.contains(&r.country.text.as_str()) {
                    countries.push(&r.country.text);
                }
                let (names, values) = by_country.entry(r.country.url.clone()).or_default();
                if !names.contains(&b.name) {
                    names.push(b.name.clone());
                }
                values.push(format!("{} {} ({})", b.name, r.value, y.year));
            }
        }
        out.push(Record {
            title: b.name.clone(),
            url: format!("indicators.html#{}", b.anchor),
            snippet: snippet(&snippet_text),
            kind: "indicator",
            lang: None,
            heads: vec![
                (b.name.clone(), W_TITLE),
                (
                    format!("{} {}", countries.join(" "), years.join(" ")),
                    W_CONTEXT,
                ),
            ],
            text: Cow::Owned(snippet_text),
        });
    }
    for c in &site.countries {
        let Some((names, values)) = by_country.remove(&urls::country(c)) else {
            continue;
        };
        // Found by the country's name and its indicators' names: an indicator's own
        // record (its title) ranks above each country that has it.
        let values = values.join(" · ");
        out.push(Record {
            title: format!("{} · {}", c.info.name, names.join(", ")),
            url: format!("{}#indicators", urls::country(c)),
            snippet: snippet(&values),
            kind: "indicator",
            lang: None,
            heads: vec![(c.info.name.clone(), W_TITLE), (names.join(" "), W_CONTEXT)],
            text: Cow::Borrowed(""),
        });
    }
    out
}

/// One top-level section of a document split into parts: its heading, the address of the
/// part holding it with the heading's anchor, and its text (the heading's title first).
struct Section<'a> {
    heading: &'a str,
    url: String,
    text: &'a str,
}

/// The sections of a document in several parts, cut at its `<h2>` headings (where the
/// parts are cut): the text before the first one (url: the document's first page), then one
/// per heading. Empty for a document in one part, which stays one record.
fn sections(d: &crate::model::Document) -> Vec<Section<'_>> {
    if d.parts.html.len() < 2 {
        return Vec::new();
    }
    let heads: Vec<&markdown::TocEntry> = d
        .toc
        .iter()
        .filter(|t| t.level == 2 && t.at <= d.text.len() && d.text.is_char_boundary(t.at))
        .collect();
    let mut out = vec![Section {
        heading: "",
        url: urls::document(d),
        text: &d.text[..heads.first().map_or(d.text.len(), |h| h.at)],
    }];
    for (i, h) in heads.iter().enumerate() {
        let end = heads.get(i + 1).map_or(d.text.len(), |next| next.at);
        let part = d.parts.part_of.get(&h.id).copied().unwrap_or(0);
        out.push(Section {
            heading: &h.title,
            url: format!(
                "{}/{}#{}",
                d.kind.dir(),
                crate::markup::split::part_file(&d.slug, part),
                h.id
            ),
            text: d.text[h.at..end].trim_end(),
        });
    }
    out
}

fn is_email(word: &str) -> bool {
    word.split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
}

/// The first [`SNIPPET_CHARS`] characters of `text`, whitespace collapsed, cut at a word,
/// e-mail addresses masked.
fn snippet(text: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let word = if is_email(word) { "[e-mail]" } else { word };
        let n = word.chars().count();
        let sep = usize::from(len > 0);
        if len + sep + n > SNIPPET_CHARS {
            if len == 0 {
                out.extend(word.chars().take(SNIPPET_CHARS));
            }
            out.push('…');
            return out;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(word);
        len += sep + n;
    }
    out
}

/// A record of kind "answer" found by its title and `text`, for the index's unit tests.
#[cfg(test)]
pub(super) fn record(title: &str, url: &str, text: &str) -> Record<'static> {
    Record {
        title: title.into(),
        url: url.into(),
        snippet: snippet(text),
        kind: "answer",
        lang: None,
        heads: vec![(title.into(), W_TITLE)],
        text: Cow::Owned(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_short_and_mask_addresses() {
        let s = snippet("Write to  someone@ministry.gov.la or (info@example.org) now");
        assert_eq!(s, "Write to [e-mail] or [e-mail] now");
        let long = "word ".repeat(100);
        let s = snippet(&long);
        assert!(
            s.chars().count() <= SNIPPET_CHARS + 1 && s.ends_with('…'),
            "{s}"
        );
    }
}
