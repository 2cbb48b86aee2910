//! Full-text search without a server: an inverted index written as small JSON files under
//! `search/`, which `search.js` fetches only on the search page and only for the words
//! typed. Pages that do not search download nothing of it.
//!
//! What is indexed, one record each: every country profile (name, official name, region,
//! groupings), every topic page (label, section, the question as asked), every report and
//! news item (title, summary, body, in whatever language it is written; a document split
//! into several pages is one record per top-level section, pointing at the page that holds
//! it and at its heading) and every answer
//! given (country × edition × question, linking to the answer's anchor), then every
//! indicator (EGDI and the others: its section of the indicators page) and every
//! country's indicators (the profile's table), from sourced values only. Personal-data
//! questions and the `contacts` block are never read, and e-mail addresses are masked in
//! the snippets.
//!
//! The files:
//!
//! - `search/meta.json`: format version, number of records, records per record file, the
//!   tokeniser's tables (diacritic folding, stop words) so the script tokenises exactly as
//!   the build did, the term-file keys that were split, and a hash of all index files
//!   (the script adds it to every address, so a cached older file is never mixed in).
//! - `search/t/<hex>.json`: `{term: [[record id, weight], ...]}` for every term whose key
//!   is the term's first 2 characters; `<hex>` is the key's UTF-8 in lower-case hex. A file
//!   that would exceed [`SPLIT_BYTES`] is split by one more character (the key joins
//!   `split` in meta.json), so no term file grows with the site beyond that, except one
//!   holding a single very common term.
//! - `search/r/<n>.json`: records `n × 500 ...` as `[title, url, snippet, kind]`, with the
//!   record's language fifth when it is not the site's (a Vietnamese news item).
//!
//! A query is tokenised like the text; every word must match (AND); the last word also
//! matches terms that start with it (results as you type), at half weight, a record
//! counting its best match; records rank by the sum of their words' weights, then by
//! record id (countries, topics, documents, answers, indicators). [`search`] and [`query`] run this
//! algorithm in Rust over the produced files and `search.js` mirrors it step for step;
//! the tests check that both give the same results.
//!
//! Pure function of the model: same model, same bytes.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{json, Value};

use crate::content::DocKind;
use crate::markup::markdown;
use crate::model::Site;
use crate::output::{OutFile, Put};
use crate::render::indicators;
use crate::render::views::urls;

/// The folder of the index, relative to the output root.
pub const DIR: &str = "search";
/// The index's description, read first by the script.
pub const META_PATH: &str = "search/meta.json";
/// Format version of the index files; the script refuses any other.
pub const VERSION: u32 = 1;
/// Records per file under `search/r/`.
pub const SHARD_SIZE: usize = 500;
/// Characters of a term that name its term file (more for split keys).
pub const KEY_CHARS: usize = 2;
/// Terms shorter than this (in characters) are not indexed.
pub const MIN_CHARS: usize = 2;

/// Longest word indexed, in bytes. Longer "words" (a run of letters with no space, as a
/// pasted hash or a malformed file makes) are not words anyone searches for, and each
/// character of one could add a level of term-file splitting.
pub const MAX_TOKEN_BYTES: usize = 64;
/// A term file larger than this is split by one more character of its terms.
pub const SPLIT_BYTES: usize = 96 * 1024;
/// Length of a record's snippet, in characters.
pub const SNIPPET_CHARS: usize = 160;

/// Weights: a term in a country's name, in a record's title, in its context (publisher,
/// question number, the country of an answer). A term in the text weighs up to
/// `TEXT_SCALE × (K1 + 1)`, by BM25: more for more occurrences, with diminishing returns,
/// and less in texts longer than the average, so long reports do not drown short answers.
/// Each term's weight is then multiplied by its BM25 inverse document frequency (rarer
/// terms weigh more) and rounded, so a query only adds integers, in Rust as in the script.
const W_NAME: f64 = 20.0;
const W_TITLE: f64 = 10.0;
const W_CONTEXT: f64 = 3.0;
const TEXT_SCALE: f64 = 4.0;
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// English words too common to search for. "it" and "no" are kept (IT, yes/no answers).
pub const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in", "into",
    "is", "its", "of", "on", "or", "our", "such", "than", "that", "the", "their", "there", "these",
    "they", "this", "those", "to", "was", "were", "which", "will", "with",
];

/// Latin letters with diacritics (lower case) and what they fold to, so that "Lào" finds
/// "Lao" and "chinh phu" finds "chính phủ". Combining marks U+0300–U+036F are dropped
/// as well, for text in decomposed form.
const FOLD: &[(&str, &str)] = &[
    ("a", "àáâãäåāăąǎǟǡǻạảấầẩẫậắằẳẵặ"),
    ("c", "çćĉċč"),
    ("d", "ďđð"),
    ("e", "èéêëēĕėęěẹẻẽếềểễệ"),
    ("g", "ĝğġģǧ"),
    ("h", "ĥħ"),
    ("i", "ìíîïĩīĭįıǐỉị"),
    ("j", "ĵ"),
    ("k", "ķǩ"),
    ("l", "ĺļľŀł"),
    ("n", "ñńņňǹ"),
    ("o", "òóôõöøōŏőơǒǫọỏốồổỗộớờởỡợ"),
    ("r", "ŕŗř"),
    ("s", "śŝşšș"),
    ("t", "ţťŧț"),
    ("u", "ùúûüũūŭůűųưǔǖǘǚǜụủứừửữự"),
    ("w", "ŵẁẃẅ"),
    ("y", "ýÿŷỳỵỷỹ"),
    ("z", "źżž"),
    ("ae", "æ"),
    ("oe", "œ"),
    ("ss", "ß"),
    ("th", "þ"),
];

fn fold_map() -> &'static FxHashMap<char, &'static str> {
    static MAP: OnceLock<FxHashMap<char, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        FOLD.iter()
            .flat_map(|&(to, from)| from.chars().map(move |c| (c, to)))
            .collect()
    })
}

/// The words of `text` as the index stores them: lower case, diacritics folded, split on
/// every character that is neither a letter nor a digit, without 1-character words and
/// stop words.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_token(text, |w| out.push(w.to_string()));
    out
}

/// [`tokenize`] without a `String` per word: `f` is called with each word in turn, in a
/// buffer that is reused. Most text is ASCII, which needs no table look-up.
fn each_token(text: &str, mut f: impl FnMut(&str)) {
    let fold = fold_map();
    let lower = text.to_lowercase();
    let mut word = String::new();
    let mut flush = |word: &mut String| {
        if is_token(word) {
            f(word);
        }
        word.clear();
    };
    for c in lower.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                word.push(c);
            } else {
                flush(&mut word);
            }
        } else if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        } else if let Some(to) = fold.get(&c) {
            word.push_str(to);
        } else if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word);
        }
    }
    flush(&mut word);
}

/// Whether a lower-cased, folded word is indexed: [`MIN_CHARS`] characters at least, and
/// not a stop word.
fn is_token(word: &str) -> bool {
    // A character is at most 4 bytes: only short words need counting.
    let long_enough = word.len() >= 4 * MIN_CHARS || word.chars().count() >= MIN_CHARS;
    long_enough && word.len() <= MAX_TOKEN_BYTES && !STOP_WORDS.contains(&word)
}

/// One search result's source: what the result shows and the weighted texts it is found by.
#[derive(Debug, Clone)]
struct Record<'a> {
    title: String,
    url: String,
    snippet: String,
    kind: &'static str,
    /// Language of the record when not the site's.
    lang: Option<String>,
    /// Short texts with their fixed weight (title, context).
    heads: Vec<(String, f64)>,
    /// The text, weighted by BM25 (a document's own text is borrowed, not copied).
    text: Cow<'a, str>,
}

/// Every record, in id order: countries, topics, documents (newest first), answers.
fn records(site: &Site) -> Vec<Record<'_>> {
    let mut out = Vec::new();
    for c in &site.countries {
        let i = &c.info;
        let mut about = vec![i.official_name.clone(), i.region.clone()];
        about.extend(i.groupings.iter().cloned());
        let about = about.join(" · ");
        out.push(Record {
            title: i.name.clone(),
            url: urls::country(c),
            snippet: snippet(&about),
            kind: "country",
            lang: None,
            heads: vec![
                (i.name.clone(), W_NAME),
                (
                    format!("{about} {} {}", i.iso3, i.languages.join(" ")),
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

/// A record's terms: the fixed weight of those in its heads, and how often each occurs in
/// its text; and the number of words of its text.
struct Terms {
    heads: FxHashMap<String, f64>,
    text: FxHashMap<String, u32>,
    len: usize,
}

fn terms(r: &Record) -> Terms {
    let mut heads: FxHashMap<String, f64> = FxHashMap::default();
    for (h, weight) in &r.heads {
        let mut seen = FxHashSet::default();
        for t in tokenize(h) {
            if seen.insert(t.clone()) {
                *heads.entry(t).or_default() += weight;
            }
        }
    }
    let mut len = 0;
    let mut text: FxHashMap<String, u32> = FxHashMap::default();
    each_token(&r.text, |t| {
        len += 1;
        match text.get_mut(t) {
            Some(n) => *n += 1,
            None => {
                text.insert(t.to_string(), 1);
            }
        }
    });
    Terms { heads, text, len }
}

/// Records are tokenised this many at a time, so that only one batch's term maps are in
/// memory together.
const BATCH: usize = 256;

/// A term in one record: (term id, weight from heads, occurrences in the text). Head
/// weights are sums of a few small whole numbers: exact in an `f32`, which keeps the
/// largest structure of the index at 12 bytes per occurrence.
type Occurrence = (u32, f32, u32);

/// Every term of the index with its postings, `[(record id, integer weight)]` in record
/// order. Terms are interned as they are met, so each is stored once however many records
/// hold it.
fn weigh(records: &[Record]) -> Vec<(String, Vec<(u32, u32)>)> {
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut names: Vec<String> = Vec::new();
    let mut df: Vec<u32> = Vec::new();
    let mut per_record: Vec<(Vec<Occurrence>, usize)> = Vec::with_capacity(records.len());
    let mut add = |t: Terms| {
        let mut intern = |term: String| -> u32 {
            if let Some(&id) = ids.get(&term) {
                return id;
            }
            let id = names.len() as u32;
            names.push(term.clone());
            ids.insert(term, id);
            df.push(0);
            id
        };
        let mut row: Vec<Occurrence> = Vec::with_capacity(t.heads.len() + t.text.len());
        for (term, head) in t.heads {
            row.push((intern(term), head as f32, 0));
        }
        for (term, tf) in t.text {
            row.push((intern(term), 0.0, tf));
        }
        row.sort_by_key(|e| e.0);
        row.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                kept.1 += later.1;
                kept.2 += later.2;
                true
            } else {
                false
            }
        });
        for e in &row {
            df[e.0 as usize] += 1;
        }
        per_record.push((row, t.len));
    };
    // Interning runs on one core: each batch is interned while the next is tokenised.
    let mut batches = records.chunks(BATCH);
    let mut pending: Vec<Terms> = Vec::new();
    loop {
        let next = batches.next();
        let (tokenised, ()) = rayon::join(
            || next.map(|b| b.par_iter().map(terms).collect::<Vec<Terms>>()),
            || pending.drain(..).for_each(&mut add),
        );
        match tokenised {
            Some(t) => pending = t,
            None => break,
        }
    }
    drop(ids);
    let n = records.len() as f64;
    let avg = (per_record.iter().map(|r| r.1).sum::<usize>() as f64 / n.max(1.0)).max(1.0);
    // Each term's postings are exactly its document frequency: no spare capacity.
    let mut postings: Vec<Vec<(u32, u32)>> =
        df.iter().map(|&d| Vec::with_capacity(d as usize)).collect();
    for (id, (row, len)) in per_record.into_iter().enumerate() {
        let norm = K1 * (1.0 - B + B * len as f64 / avg);
        for (term, head, tf) in row {
            let d = f64::from(df[term as usize]);
            let idf = (1.0 + (n - d + 0.5) / (d + 0.5)).ln();
            let tf = f64::from(tf);
            let text = TEXT_SCALE * tf * (K1 + 1.0) / (tf + norm);
            let w = ((f64::from(head) + text) * idf).round().max(1.0) as u32;
            postings[term as usize].push((id as u32, w));
        }
    }
    names.into_iter().zip(postings).collect()
}

type Postings<'a> = BTreeMap<&'a str, &'a [(u32, u32)]>;

/// Term files as (path, JSON text), in path order.
type TermFiles = Vec<(String, String)>;

/// The first `k` characters of `term` (all of it when shorter).
fn key_of(term: &str, k: usize) -> &str {
    term.char_indices().nth(k).map_or(term, |(i, _)| &term[..i])
}

/// The key of the term file holding `term`: its first [`KEY_CHARS`] characters, one more
/// for each of them that is a split key.
pub fn shard_key(term: &str, split: &BTreeSet<String>) -> String {
    let chars = term.chars().count();
    let mut k = KEY_CHARS.min(chars);
    while k < chars && split.contains(key_of(term, k)) {
        k += 1;
    }
    key_of(term, k).to_string()
}

/// Where the term file of `key` lives.
pub fn term_path(key: &str) -> String {
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{DIR}/t/{hex}.json")
}

fn shard_json(terms: &[&str], postings: &Postings) -> String {
    let map: BTreeMap<&str, &[(u32, u32)]> = terms.iter().map(|t| (*t, postings[t])).collect();
    serde_json::to_string(&map).expect("term file serialises")
}

/// Put sorted `terms` into term files keyed by their first `k` characters, splitting a
/// file that would exceed [`SPLIT_BYTES`] by the next character: the term equal to the
/// key stays in the key's file, longer terms move to files with longer keys.
fn place(
    terms: &[&str],
    k: usize,
    postings: &Postings,
    split: &mut Vec<String>,
    out: &mut dyn FnMut(&str, String),
) {
    let mut i = 0;
    while i < terms.len() {
        let key = key_of(terms[i], k);
        let mut j = i + 1;
        // Sorted, so the terms of one key are together.
        while j < terms.len() && key_of(terms[j], k) == key {
            j += 1;
        }
        let group = &terms[i..j];
        let text = shard_json(group, postings);
        if text.len() > SPLIT_BYTES && group.iter().any(|t| *t != key) {
            split.push(key.to_string());
            let (exact, longer): (Vec<&str>, Vec<&str>) = group.iter().partition(|t| **t == key);
            if !exact.is_empty() {
                out(key, shard_json(&exact, postings));
            }
            place(&longer, k + 1, postings, split, out);
        } else {
            out(key, text);
        }
        i = j;
    }
}

/// FNV-1a, 64 bits: a stable fingerprint of the index (std's hasher may change).
fn fnv1a(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

/// The search index of the site: `search/meta.json`, `search/t/*.json`, `search/r/*.json`.
pub fn files(site: &Site) -> Vec<OutFile> {
    index(records(site), &site.config.language)
}

/// [`files`], each handed to `put` as soon as it is made, so that the index's files are
/// never all in memory at once.
pub fn each_file<E>(site: &Site, put: &Put<'_, E>) -> Result<(), E> {
    index_each(records(site), &site.config.language, put)
}

fn index(records: Vec<Record>, lang: &str) -> Vec<OutFile> {
    let files = std::sync::Mutex::new(Vec::new());
    let put = |path: &str, bytes: &[u8]| -> Result<(), ()> {
        files.lock().expect("not poisoned").push(OutFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        });
        Ok(())
    };
    let _ = index_each(records, lang, &put);
    let mut files = files.into_inner().expect("not poisoned");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Make the index files and hand each to `put`. They are made in the order of their
/// paths, in which `meta.json`'s hash covers them (record files, then term files by key).
fn index_each<E>(records: Vec<Record>, lang: &str, put: &Put<'_, E>) -> Result<(), E> {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut last_path = String::new();
    let mut emit = |path: String, bytes: &[u8]| -> Result<(), E> {
        debug_assert!(path > last_path, "{path} after {last_path}");
        fnv1a(&mut hash, path.as_bytes());
        fnv1a(&mut hash, &[0]);
        fnv1a(&mut hash, bytes);
        put(&path, bytes)?;
        last_path = path;
        Ok(())
    };
    let weights = weigh(&records);
    // Record files, in the order of their paths ("10.json" before "2.json").
    let mut shards: Vec<(String, usize)> = (0..records.len().div_ceil(SHARD_SIZE))
        .map(|n| (format!("{DIR}/r/{n}.json"), n))
        .collect();
    shards.sort();
    for (path, n) in shards {
        let chunk = &records[n * SHARD_SIZE..((n + 1) * SHARD_SIZE).min(records.len())];
        let rows: Vec<Value> = chunk
            .iter()
            .map(|r| {
                let mut row = vec![
                    json!(r.title),
                    json!(r.url),
                    json!(r.snippet),
                    json!(r.kind),
                ];
                if let Some(l) = &r.lang {
                    row.push(json!(l));
                }
                Value::Array(row)
            })
            .collect();
        emit(
            path,
            &serde_json::to_vec(&rows).expect("record file serialises"),
        )?;
    }
    let record_count = records.len();
    // The records' texts are no longer needed while the term files are made.
    drop(records);
    let postings: Postings = weights
        .iter()
        .map(|(t, p)| (t.as_str(), p.as_slice()))
        .collect();
    let terms: Vec<&str> = postings.keys().copied().collect();
    // The terms of each key, made into files in parallel a few dozen keys at a time (so
    // that only those files are in memory together), then written in key order.
    let mut groups: Vec<&[&str]> = Vec::new();
    let mut rest = &terms[..];
    while let Some(first) = rest.first() {
        let key = key_of(first, KEY_CHARS);
        let n = rest
            .iter()
            .take_while(|t| key_of(t, KEY_CHARS) == key)
            .count();
        groups.push(&rest[..n]);
        rest = &rest[n..];
    }
    let mut split = Vec::new();
    for chunk in groups.chunks(32) {
        let made: Vec<(TermFiles, Vec<String>)> = chunk
            .par_iter()
            .map(|group| {
                let (mut files, mut split) = (Vec::new(), Vec::new());
                place(group, KEY_CHARS, &postings, &mut split, &mut |key, text| {
                    files.push((term_path(key), text))
                });
                (files, split)
            })
            .collect();
        for (files, keys) in made {
            for (path, text) in files {
                emit(path, text.as_bytes())?;
            }
            split.extend(keys);
        }
    }
    split.sort();
    let fold: BTreeMap<String, &str> = fold_map()
        .iter()
        .map(|(c, to)| (c.to_string(), *to))
        .collect();
    let meta = json!({
        "version": VERSION,
        "records": record_count,
        "shard_size": SHARD_SIZE,
        "key_chars": KEY_CHARS,
        "min_chars": MIN_CHARS,
        "split": split,
        "lang": lang,
        "hash": format!("{hash:016x}"),
        "stop": STOP_WORDS,
        "fold": fold,
    });
    put(
        META_PATH,
        &serde_json::to_vec(&meta).expect("meta serialises"),
    )
}

/// One result of [`search`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: u64,
    pub score: u64,
    pub title: String,
    pub url: String,
    pub snippet: String,
    pub kind: String,
}

/// Run query `q` over the index files among `files` (as [`files`] produced them), best
/// first: the algorithm `search.js` runs in the browser.
pub fn search(files: &[OutFile], q: &str) -> Vec<Hit> {
    let load = |path: &str| -> Option<Value> {
        let f = files.iter().find(|f| f.path == path)?;
        serde_json::from_slice(&f.bytes).ok()
    };
    let Some(meta) = load(META_PATH) else {
        return Vec::new();
    };
    let split: BTreeSet<String> = meta["split"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let shard_size = meta["shard_size"]
        .as_u64()
        .unwrap_or(SHARD_SIZE as u64)
        .max(1);
    let words = tokenize(q);
    let mut scores: Option<BTreeMap<u64, u64>> = None;
    for (i, word) in words.iter().enumerate() {
        let prefix = i + 1 == words.len();
        let mut found: BTreeMap<u64, u64> = BTreeMap::new();
        if let Some(Value::Object(shard)) = load(&term_path(&shard_key(word, &split))) {
            for (term, postings) in &shard {
                let exact = term == word;
                if !(exact || prefix && term.starts_with(word.as_str())) {
                    continue;
                }
                for p in postings.as_array().into_iter().flatten() {
                    if let (Some(id), Some(w)) = (p[0].as_u64(), p[1].as_u64()) {
                        // A longer word found by its start weighs half; a record counts
                        // its best match.
                        let w = if exact { w } else { w / 2 };
                        let best = found.entry(id).or_default();
                        *best = (*best).max(w);
                    }
                }
            }
        }
        scores = Some(match scores {
            None => found,
            Some(prev) => prev
                .into_iter()
                .filter_map(|(id, s)| found.get(&id).map(|w| (id, s + w)))
                .collect(),
        });
    }
    let mut ranked: Vec<(u64, u64)> = scores.unwrap_or_default().into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut record_files: BTreeMap<u64, Value> = BTreeMap::new();
    ranked
        .into_iter()
        .filter_map(|(id, score)| {
            let n = id / shard_size;
            let rows = record_files
                .entry(n)
                .or_insert_with(|| load(&format!("{DIR}/r/{n}.json")).unwrap_or(Value::Null));
            let row = &rows[(id % shard_size) as usize];
            let text = |i: usize| row[i].as_str().map(str::to_string);
            Some(Hit {
                id,
                score,
                title: text(0)?,
                url: text(1)?,
                snippet: text(2)?,
                kind: text(3)?,
            })
        })
        .collect()
}

/// [`search`] reduced to (url, title) pairs, best first.
pub fn query(files: &[OutFile], q: &str) -> Vec<(String, String)> {
    search(files, q)
        .into_iter()
        .map(|h| (h.url, h.title))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(title: &str, url: &str, text: &str) -> Record<'static> {
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

    #[test]
    fn a_word_of_a_quarter_million_letters_is_not_indexed() {
        // It once split term files one character at a time: minutes, then a stack overflow.
        let long = "a".repeat(250_000);
        assert!(tokenize(&format!("short {long} words")) == ["short", "words"]);
        let records = vec![record("Long", "x.html", &long)];
        let files = index(records, "en");
        assert!(files.len() < 10, "{} files", files.len());
    }

    #[test]
    fn tokenize_folds_case_diacritics_and_drops_noise() {
        assert_eq!(
            tokenize("Lào đẩy mạnh Chính phủ số"),
            ["lao", "day", "manh", "chinh", "phu", "so"]
        );
        // Decomposed text folds the same way.
        assert_eq!(tokenize("La\u{300}o"), ["lao"]);
        assert_eq!(
            tokenize("The law on a Data-privacy act, 2022"),
            ["law", "data", "privacy", "act", "2022"]
        );
        assert_eq!(
            tokenize("www.laoservicesportal.gov.la"),
            ["www", "laoservicesportal", "gov", "la"]
        );
        assert_eq!(tokenize("Straße ŒUVRE Ærø"), ["strasse", "oeuvre", "aero"]);
        assert_eq!(tokenize("IT no"), ["it", "no"]);
        assert!(tokenize("a b c , . —").is_empty());
    }

    #[test]
    fn fold_table_is_lower_case_and_unambiguous() {
        let mut seen = BTreeSet::new();
        for (to, from) in FOLD {
            assert!(to.chars().all(|c| c.is_ascii_lowercase()));
            for c in from.chars() {
                assert!(seen.insert(c), "{c} folds twice");
                assert!(!c.is_ascii());
                assert_eq!(
                    c.to_lowercase().to_string(),
                    c.to_string(),
                    "{c} is not lower case"
                );
            }
        }
    }

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

    #[test]
    fn and_prefix_and_ranking() {
        let recs = vec![
            record(
                "Cybersecurity law",
                "a.html#q1",
                "The cybersecurity law was adopted.",
            ),
            record(
                "Data law",
                "b.html#q2",
                "Cybercrime and cybersecurity drafts.",
            ),
            record("Portal", "c.html#q3", "The national portal."),
        ];
        let files = index(recs.clone(), "en");
        let urls = |q: &str| {
            query(&files, q)
                .into_iter()
                .map(|(u, _)| u)
                .collect::<Vec<_>>()
        };
        assert_eq!(urls("cyber"), ["a.html#q1", "b.html#q2"]);
        assert_eq!(urls("law cybersec"), ["a.html#q1", "b.html#q2"]);
        assert_eq!(urls("data cyber"), ["b.html#q2"]);
        // Only the last word is a prefix.
        assert!(urls("cyber law").is_empty());
        assert_eq!(urls("PORTAL"), ["c.html#q3"]);
        assert!(urls("the").is_empty());
        assert!(urls("").is_empty());
    }

    #[test]
    fn output_is_deterministic() {
        let recs: Vec<Record> = (0..50)
            .map(|i| {
                record(
                    &format!("Title {i}"),
                    &format!("p{i}.html"),
                    &format!("word{} shared text {}", i % 7, i),
                )
            })
            .collect();
        let a = index(recs.clone(), "en");
        let b = index(recs.clone(), "en");
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.path, y.path);
            assert_eq!(x.bytes, y.bytes);
        }
    }

    /// Many records sharing a few prefixes: the big term files split, none exceeds the
    /// limit unless it holds one term only, and queries still find everything.
    #[test]
    fn large_term_files_split_by_the_next_character() {
        let recs: Vec<Record> = (0..4000)
            .map(|i| {
                let text = format!(
                    "government gov{} govern{} governance{} portal{} goal{}",
                    i % 97,
                    i % 89,
                    i % 83,
                    i % 500,
                    i % 3
                );
                record(&format!("R{i}"), &format!("r{i}.html"), &text)
            })
            .collect();
        let files = index(recs.clone(), "en");
        let meta: Value =
            serde_json::from_slice(&files.iter().find(|f| f.path == META_PATH).unwrap().bytes)
                .unwrap();
        let split: Vec<&str> = meta["split"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(split.contains(&"go"), "{split:?}");
        for f in files.iter().filter(|f| f.path.starts_with("search/t/")) {
            let terms: BTreeMap<String, Value> = serde_json::from_slice(&f.bytes).unwrap();
            assert!(
                f.bytes.len() <= SPLIT_BYTES || terms.len() == 1,
                "{} is {} bytes",
                f.path,
                f.bytes.len()
            );
        }
        assert_eq!(query(&files, "government").len(), 4000);
        assert_eq!(
            query(&files, "governance17").len(),
            (0..4000).filter(|i| i % 83 == 17).count()
        );
        assert_eq!(
            query(&files, "govern1").len(),
            query(&files, "government govern1").len()
        );
        assert!(query(&files, "governance1").len() > query(&files, "governance17").len());
        assert_eq!(query(&files, "goal2 portal499").len(), 2);
        // Two letters of a split key find the term equal to the key only (none here).
        assert!(query(&files, "go").is_empty());
    }

    #[test]
    fn shard_keys_follow_splits() {
        let split: BTreeSet<String> = ["go", "gov"].iter().map(|s| s.to_string()).collect();
        assert_eq!(shard_key("government", &split), "gove");
        assert_eq!(shard_key("gov", &split), "gov");
        assert_eq!(shard_key("go", &split), "go");
        assert_eq!(shard_key("goal", &split), "goa");
        assert_eq!(shard_key("data", &split), "da");
        assert_eq!(shard_key("ລາວ", &BTreeSet::new()), "ລາ");
        assert_eq!(term_path("la"), "search/t/6c61.json");
    }

    /// The index at the scale the site is meant for: 193 countries × 120 answers, 5,000
    /// news items, 200 reports, words drawn from a skewed vocabulary. Slow in a debug
    /// build: `cargo test --lib render::search::tests::scale -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn scale() {
        let syllables = [
            "go", "ver", "na", "ment", "dig", "it", "al", "ser", "vi", "ce", "da", "ta", "pro",
            "tec", "tion", "por", "tal", "law", "cy", "ber", "se", "cu", "ri", "ty", "pub", "lic",
            "re", "port", "in", "for", "ma", "con", "sul", "e", "par", "ti", "ci", "lào", "chính",
        ];
        let mut state = 42_u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let vocab: Vec<String> = (0..30_000)
            .map(|_| {
                let n = 2 + next() % 3;
                (0..n)
                    .map(|_| syllables[next() % syllables.len()])
                    .collect()
            })
            .collect();
        let mut words = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    // Log-uniform ranks: a few words very common, most rare (Zipf-like).
                    let u = (next() % 1_000_000) as f64 / 1_000_000.0;
                    vocab[((vocab.len() as f64).powf(u) as usize - 1).min(vocab.len() - 1)].as_str()
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut recs = Vec::new();
        for i in 0..193 * 120 {
            recs.push(record(
                &format!("Country{} · Q{} {}", i / 120, i % 120, words(3)),
                &format!("countries/c{}.html#q{}", i / 120, i % 120),
                &words(40),
            ));
        }
        for i in 0..5000 {
            recs.push(record(&words(8), &format!("news/n{i}.html"), &words(300)));
        }
        for i in 0..200 {
            recs.push(record(
                &words(8),
                &format!("reports/r{i}.html"),
                &words(4000),
            ));
        }
        let start = std::time::Instant::now();
        let files = index(recs.clone(), "en");
        let elapsed = start.elapsed();
        let terms: Vec<&OutFile> = files
            .iter()
            .filter(|f| f.path.starts_with("search/t/"))
            .collect();
        let records: Vec<&OutFile> = files
            .iter()
            .filter(|f| f.path.starts_with("search/r/"))
            .collect();
        let size = |fs: &[&OutFile]| fs.iter().map(|f| f.bytes.len()).sum::<usize>();
        let biggest = terms.iter().max_by_key(|f| f.bytes.len()).unwrap();
        let multi_max = terms
            .iter()
            .filter(|f| {
                serde_json::from_slice::<BTreeMap<String, Value>>(&f.bytes)
                    .unwrap()
                    .len()
                    > 1
            })
            .map(|f| f.bytes.len())
            .max()
            .unwrap();
        let meta = files.iter().find(|f| f.path == META_PATH).unwrap();
        eprintln!(
            "{} records in {elapsed:?}: {} term files ({} KiB, largest {} at {} KiB, largest with several terms {} KiB), {} record files ({} KiB, largest {} KiB), meta {} KiB",
            recs.len(),
            terms.len(),
            size(&terms) / 1024,
            biggest.path,
            biggest.bytes.len() / 1024,
            multi_max / 1024,
            records.len(),
            size(&records) / 1024,
            records.iter().map(|f| f.bytes.len()).max().unwrap() / 1024,
            meta.bytes.len() / 1024,
        );
        assert!(multi_max <= SPLIT_BYTES);
        assert!(records.iter().all(|f| f.bytes.len() < 200 * 1024));
    }
}
