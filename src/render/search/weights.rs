//! Index building: each record's terms, weighed (fixed weights for titles and context,
//! BM25 for the text, times the term's inverse document frequency) into integer postings,
//! tokenising in parallel and interning terms on one core.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::records::Record;
use super::tokenize::{each_token, tokenize};

/// Weights: a term in a country's name, in a record's title, in its context (publisher,
/// question number, the country of an answer). A term in the text weighs up to
/// `TEXT_SCALE × (K1 + 1)`, by BM25: more for more occurrences, with diminishing returns,
/// and less in texts longer than the average, so long reports do not drown short answers.
/// Each term's weight is then multiplied by its BM25 inverse document frequency (rarer
/// terms weigh more) and rounded, so a query only adds integers, in Rust as in the script.
pub(super) const W_NAME: f64 = 20.0;
pub(super) const W_TITLE: f64 = 10.0;
pub(super) const W_CONTEXT: f64 = 3.0;
const TEXT_SCALE: f64 = 4.0;
const K1: f64 = 1.2;
const B: f64 = 0.75;

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
pub(super) fn weigh(records: &[Record]) -> Vec<(String, Vec<(u32, u32)>)> {
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
