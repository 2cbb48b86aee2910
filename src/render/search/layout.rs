//! The index's file layout: record files of [`SHARD_SIZE`] records, term files keyed by
//! their terms' first characters (split by one more character when too large),
//! `meta.json` describing both, and the fingerprint that ties them together. Files are made
//! in path order and handed on one by one.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde_json::{json, Value};

use super::records::Record;
use super::tokenize::{fold_map, is_cjk, CJK, DROP, MAX_TOKEN_BYTES, MIN_CHARS, STOP_WORDS};
use super::weights::weigh;
use crate::output::{OutFile, Put};

/// The folder of the index, relative to the output root.
pub const DIR: &str = "search";
/// The index's description, read first by the script.
pub const META_PATH: &str = "search/meta.json";
/// Format version of the index files; the script refuses any other.
pub const VERSION: u32 = 2;
/// Records per file under `search/r/`.
pub const SHARD_SIZE: usize = 500;
/// Characters of a term that name its term file (more for split keys).
pub const KEY_CHARS: usize = 2;
/// Characters of a CJK term (a bigram, or one character alone) that name its term file:
/// its first, so that a query of one character finds every bigram it starts in one file.
pub const CJK_KEY_CHARS: usize = 1;
/// A term file larger than this is split by one more character of its terms.
pub const SPLIT_BYTES: usize = 96 * 1024;

type Postings<'a> = BTreeMap<&'a str, &'a [(u32, u32)]>;

/// Term files as (path, JSON text), in path order.
type TermFiles = Vec<(String, String)>;

/// The first `k` characters of `term` (all of it when shorter).
fn key_of(term: &str, k: usize) -> &str {
    term.char_indices().nth(k).map_or(term, |(i, _)| &term[..i])
}

/// How many characters of `term` name its term file before any split: [`CJK_KEY_CHARS`]
/// for a CJK term, else [`KEY_CHARS`].
fn key_chars(term: &str) -> usize {
    if term.chars().next().is_some_and(is_cjk) {
        CJK_KEY_CHARS
    } else {
        KEY_CHARS
    }
}

/// The key of the term file holding `term`: its first [`KEY_CHARS`] characters
/// ([`CJK_KEY_CHARS`] for a CJK term), one more for each of them that is a split key.
pub fn shard_key(term: &str, split: &BTreeSet<String>) -> String {
    let chars = term.chars().count();
    let mut k = key_chars(term).min(chars);
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

pub(super) fn index(records: Vec<Record>, lang: &str) -> Vec<OutFile> {
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
pub(super) fn index_each<E>(records: Vec<Record>, lang: &str, put: &Put<'_, E>) -> Result<(), E> {
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
        let k = key_chars(first);
        let key = key_of(first, k);
        let n = rest.iter().take_while(|t| key_of(t, k) == key).count();
        groups.push(&rest[..n]);
        rest = &rest[n..];
    }
    let mut split = Vec::new();
    for chunk in groups.chunks(32) {
        let made: Vec<(TermFiles, Vec<String>)> = chunk
            .par_iter()
            .map(|group| {
                let (mut files, mut split) = (Vec::new(), Vec::new());
                let k = key_chars(group[0]);
                place(group, k, &postings, &mut split, &mut |key, text| {
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
        "cjk_key_chars": CJK_KEY_CHARS,
        "min_chars": MIN_CHARS,
        "max_bytes": MAX_TOKEN_BYTES,
        "split": split,
        "lang": lang,
        "hash": format!("{hash:016x}"),
        "stop": STOP_WORDS,
        "fold": fold,
        "drop": DROP,
        "cjk": CJK,
    });
    put(
        META_PATH,
        &serde_json::to_vec(&meta).expect("meta serialises"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::query::query;
    use super::super::records::record;
    use super::super::tokenize::tokenize;
    use super::*;

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
        // A CJK bigram's file is named by its first character, like the character alone.
        assert_eq!(shard_key("数字", &BTreeSet::new()), "数");
        assert_eq!(shard_key("数", &BTreeSet::new()), "数");
        let split: BTreeSet<String> = ["数".to_string()].into();
        assert_eq!(shard_key("数字", &split), "数字");
        assert_eq!(term_path("la"), "search/t/6c61.json");
    }

    /// The index at the scale the site is meant for: 193 countries × 120 answers, 5,000
    /// news items, 200 reports, words drawn from a skewed vocabulary. Slow in a debug
    /// build: `cargo test --lib render::search::layout::tests::scale -- --ignored --nocapture`.
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
