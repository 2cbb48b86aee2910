//! The query engine in Rust, for tests and checks: runs a query over the produced files
//! exactly as `search.js` does in the browser, so that both can be compared.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::layout::{shard_key, term_path, DIR, META_PATH, SHARD_SIZE};
use super::tokenize::tokenize;
use crate::output::OutFile;

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

/// Run query `q` over the index files among `files` (as [`files`](super::files) produced them), best
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
    use super::super::layout::index;
    use super::super::records::record;
    use super::*;

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
}
