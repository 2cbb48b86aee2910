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
//!   tokeniser's tables (folding, dropped marks, the ranges of scripts written without
//!   spaces, stop words, word lengths) so the script tokenises exactly as the build did,
//!   the term-file keys that were split, and a hash of all index files (the script adds
//!   it to every address, so a cached older file is never mixed in).
//! - `search/t/<hex>.json`: `{term: [[record id, weight], ...]}` for every term whose key
//!   is the term's first 2 characters (a CJK term's first character); `<hex>` is the
//!   key's UTF-8 in lower-case hex. A file that would exceed [`SPLIT_BYTES`] is split by one more character (the key joins
//!   `split` in meta.json), so no term file grows with the site beyond that, except one
//!   holding a single very common term.
//! - `search/r/<n>.json`: records `n × 500 ...` as `[title, url, snippet, kind]`, with the
//!   record's language fifth when it is not the site's (a Vietnamese news item).
//!
//! A query is tokenised like the text (in every script: see `tokenize.rs` for the
//! folding of each and the bigrams of Chinese, Japanese and Korean); every word must
//! match (AND); the last word also
//! matches terms that start with it (results as you type), at half weight, a record
//! counting its best match; records rank by the sum of their words' weights, then by
//! record id (countries, topics, documents, answers, indicators). [`search`] and [`query`] run this
//! algorithm in Rust over the produced files and `search.js` mirrors it step for step;
//! the tests check that both give the same results.
//!
//! Pure function of the model: same model, same bytes.
//!
//! The parts: `tokenize` (words and folding, shared with the script through
//! `meta.json`), `records` (what is indexed), `weights` (postings and their weights),
//! `layout` (the files) and `query` (the Rust query engine the tests use).

mod layout;
mod query;
mod records;
mod tokenize;
mod weights;

pub use layout::{
    shard_key, term_path, DIR, KEY_CHARS, META_PATH, SHARD_SIZE, SPLIT_BYTES, VERSION,
};
pub use query::{query, search, Hit};
pub use records::SNIPPET_CHARS;
pub use tokenize::{tokenize, MAX_TOKEN_BYTES, MIN_CHARS, STOP_WORDS};

use crate::model::Site;
use crate::output::{OutFile, Put};

/// The search index of the site: `search/meta.json`, `search/t/*.json`, `search/r/*.json`.
pub fn files(site: &Site) -> Vec<OutFile> {
    layout::index(records::records(site), &site.config.language)
}

/// [`files`], each handed to `put` as soon as it is made, so that the index's files are
/// never all in memory at once.
pub fn each_file<E>(site: &Site, put: &Put<'_, E>) -> Result<(), E> {
    layout::index_each(records::records(site), &site.config.language, put)
}
