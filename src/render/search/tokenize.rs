//! The tokeniser: how a text becomes the words the index stores and a query looks up.
//! Lower case, Latin diacritics folded by a table that `meta.json` also carries (so that
//! `search.js` folds exactly the same way), split on anything neither letter nor digit,
//! short words and stop words left out.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// Terms shorter than this (in characters) are not indexed.
pub const MIN_CHARS: usize = 2;

/// Longest word indexed, in bytes. Longer "words" (a run of letters with no space, as a
/// pasted hash or a malformed file makes) are not words anyone searches for, and each
/// character of one could add a level of term-file splitting.
pub const MAX_TOKEN_BYTES: usize = 64;

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

pub(super) fn fold_map() -> &'static FxHashMap<char, &'static str> {
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
pub(super) fn each_token(text: &str, mut f: impl FnMut(&str)) {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

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
}
