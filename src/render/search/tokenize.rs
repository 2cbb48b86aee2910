//! The tokeniser: how a text becomes the words the index stores and a query looks up.
//! `search.js` tokenises queries exactly the same way, from the tables `meta.json` carries
//! (folding, dropped marks, the CJK ranges, stop words, lengths); the tests run both on the
//! same texts.
//!
//! The rules, in order, on the lower-cased text:
//!
//! - **Dropped marks** (the word goes on as if they were not there): combining diacritics
//!   U+0300–U+036F (decomposed Latin, Cyrillic "е" + U+0308), Arabic tashkeel/harakat
//!   U+064B–U+065F and the superscript alef U+0670, and the tatweel U+0640 (a stretching
//!   stroke, not a letter), so "الحُكُومَة" and "الحكـومة" are "الحكومه".
//! - **Folding** ([`FOLD`]): Latin letters with diacritics to their base letters ("Lào" →
//!   "lao", "ß" → "ss"); Russian "ё" to "е" (Russian text writes "е" for both); Arabic
//!   alef with hamza or madda and alef wasla (أ إ آ ٱ) to bare alef ا, alef maksura ى and
//!   yeh with hamza ئ to yeh ي, teh marbuta ة to heh ه, waw with hamza ؤ to waw و; the
//!   Arabic-Indic (٠–٩) and Persian (۰–۹) digits and the full-width letters and digits of
//!   Chinese and Japanese text (Ａ, ０) to ASCII.
//! - **Words**: a run of letters and digits (Rust's `char::is_alphanumeric`, JavaScript's
//!   `\p{Alphabetic}` and `\p{N}`); anything else separates words. A word is indexed when it
//!   has at least [`MIN_CHARS`] characters, at most [`MAX_TOKEN_BYTES`] bytes, and is not
//!   one of the English [`STOP_WORDS`]. Two-letter words of every script are kept (Arabic
//!   "من", Russian "по"); only one-letter words go (the Arabic "و" written apart).
//! - **Scripts written without spaces** ([`CJK`]: Han, hiragana, katakana, hangul): a run
//!   of such characters is a word of its own, even when Latin letters or digits touch it
//!   ("2022年" is "2022" and "年"), and is indexed as its overlapping character bigrams
//!   ("数字政府" → "数字", "字政", "政府"); a run of one character is indexed as itself,
//!   so that a query of one character still finds it. Bigrams are never too short or stop
//!   words. A query is cut the same way and, as every word must match, all its bigrams
//!   must be in the record.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// Terms shorter than this (in characters) are not indexed; a run of one CJK character is.
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

/// Marks dropped from words (inclusive code point ranges): combining diacritics, Arabic
/// tashkeel and the superscript alef, the Arabic tatweel.
pub const DROP: &[(u32, u32)] = &[
    (0x300, 0x36f),
    (0x640, 0x640),
    (0x64b, 0x65f),
    (0x670, 0x670),
];

/// Scripts written without spaces between words (inclusive code point ranges): Hangul
/// Jamo, the ideographic iteration and number marks (々 〆 〇), hiragana and katakana,
/// Hangul compatibility jamo, katakana phonetic extensions, CJK Extension A, CJK Unified
/// Ideographs, Hangul Jamo Extended-A, Hangul syllables, Hangul Jamo Extended-B, CJK
/// compatibility ideographs, half-width katakana, CJK Extensions B–F with the
/// compatibility supplement, CJK Extensions G–H. Only letters and digits among them count.
pub const CJK: &[(u32, u32)] = &[
    (0x1100, 0x11ff),
    (0x3005, 0x3007),
    (0x3040, 0x30ff),
    (0x3130, 0x318f),
    (0x31f0, 0x31ff),
    (0x3400, 0x4dbf),
    (0x4e00, 0x9fff),
    (0xa960, 0xa97f),
    (0xac00, 0xd7af),
    (0xd7b0, 0xd7ff),
    (0xf900, 0xfaff),
    (0xff66, 0xff9f),
    (0x20000, 0x2fa1f),
    (0x30000, 0x323af),
];

/// Letters (lower case) and what they fold to, so that "Lào" finds "Lao", "chinh phu"
/// finds "chính phủ", "елка" finds "ёлка" and "احمد" finds "أحمد". See the module doc.
pub const FOLD: &[(&str, &str)] = &[
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
    // Russian.
    ("е", "ё"),
    // Arabic letter variants.
    ("ا", "أإآٱ"),
    ("ي", "ىئ"),
    ("ه", "ة"),
    ("و", "ؤ"),
    // Arabic-Indic, Persian and full-width digits.
    ("0", "٠۰０"),
    ("1", "١۱１"),
    ("2", "٢۲２"),
    ("3", "٣۳３"),
    ("4", "٤۴４"),
    ("5", "٥۵５"),
    ("6", "٦۶６"),
    ("7", "٧۷７"),
    ("8", "٨۸８"),
    ("9", "٩۹９"),
];

/// Full-width Latin letters (lower case) fold to these, in order.
const FULL_WIDTH: (&str, &str) = (
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
    "abcdefghijklmnopqrstuvwxyz",
);

/// Every folded character and what it becomes: [`FOLD`] and the full-width letters.
pub(super) fn fold_map() -> &'static FxHashMap<char, &'static str> {
    static MAP: OnceLock<FxHashMap<char, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        let (wide, ascii) = FULL_WIDTH;
        FOLD.iter()
            .flat_map(|&(to, from)| from.chars().map(move |c| (c, to)))
            .chain(wide.chars().enumerate().map(|(i, c)| (c, &ascii[i..i + 1])))
            .collect()
    })
}

fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let c = u32::from(c);
    ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// Whether `c` (a letter or digit) belongs to a script written without spaces.
pub(super) fn is_cjk(c: char) -> bool {
    in_ranges(CJK, c)
}

/// The words of `text` as the index stores them (see the module doc): lower case, marks
/// dropped, letters folded, split on every character that is neither a letter nor a digit,
/// without 1-character words and stop words; runs of CJK characters as their bigrams.
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
    // The run of CJK characters being read, and a buffer for its bigrams.
    let mut run: Vec<char> = Vec::new();
    let mut gram = String::new();
    let end_word = |word: &mut String, f: &mut dyn FnMut(&str)| {
        if is_token(word) {
            f(word);
        }
        word.clear();
    };
    let mut end_run = |run: &mut Vec<char>, f: &mut dyn FnMut(&str)| {
        if let [c] = run[..] {
            gram.clear();
            gram.push(c);
            f(&gram);
        }
        for pair in run.windows(2) {
            gram.clear();
            gram.extend(pair);
            f(&gram);
        }
        run.clear();
    };
    for c in lower.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                end_run(&mut run, &mut f);
                word.push(c);
            } else {
                end_word(&mut word, &mut f);
                end_run(&mut run, &mut f);
            }
        } else if in_ranges(DROP, c) {
            continue;
        } else if let Some(to) = fold.get(&c) {
            end_run(&mut run, &mut f);
            word.push_str(to);
        } else if c.is_alphanumeric() {
            if is_cjk(c) {
                end_word(&mut word, &mut f);
                run.push(c);
            } else {
                end_run(&mut run, &mut f);
                word.push(c);
            }
        } else {
            end_word(&mut word, &mut f);
            end_run(&mut run, &mut f);
        }
    }
    end_word(&mut word, &mut f);
    end_run(&mut run, &mut f);
}

/// Whether a lower-cased, folded word is indexed: [`MIN_CHARS`] characters at least, at
/// most [`MAX_TOKEN_BYTES`] bytes, and not a stop word.
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

    /// Every folded character is a lower-case letter or digit folded once, to letters or
    /// digits that fold no further, outside the dropped marks and the CJK ranges.
    #[test]
    fn fold_table_is_lower_case_and_unambiguous() {
        let mut seen = BTreeSet::new();
        for (to, from) in FOLD {
            assert!(!to.is_empty());
            for c in to.chars() {
                assert!(c.is_alphanumeric() && c.to_lowercase().eq([c]), "{to}");
                assert!(!fold_map().contains_key(&c), "{to} folds again");
            }
            for c in from.chars() {
                assert!(seen.insert(c), "{c} folds twice");
                assert!(!c.is_ascii() && c.is_alphanumeric());
                assert!(!in_ranges(DROP, c) && !is_cjk(c), "{c}");
                assert_eq!(
                    c.to_lowercase().to_string(),
                    c.to_string(),
                    "{c} is not lower case"
                );
            }
        }
        assert_eq!(fold_map().len(), seen.len() + 26);
    }

    #[test]
    fn arabic_tashkeel_superscript_alef_and_tatweel_are_dropped() {
        // Fatha, damma, kasra, shadda, sukun, tanween; the superscript alef; the tatweel.
        assert_eq!(tokenize("الحُكُومَةُ"), tokenize("الحكومة"));
        assert_eq!(tokenize("مُحَمَّدٌ"), ["محمد"]);
        assert_eq!(tokenize("هٰذا"), ["هذا"]);
        assert_eq!(tokenize("الحكـــومة"), tokenize("الحكومة"));
        // A mark between letters does not cut the word.
        assert_eq!(tokenize("بِسْمِ").len(), 1);
    }

    #[test]
    fn arabic_alef_variants_fold_to_bare_alef() {
        for word in ["أحمد", "إحمد", "آحمد", "ٱحمد"] {
            assert_eq!(tokenize(word), ["احمد"], "{word}");
        }
        assert_eq!(tokenize("الإلكترونية"), tokenize("الالكترونيه"));
    }

    #[test]
    fn arabic_alef_maksura_and_yeh_with_hamza_fold_to_yeh() {
        assert_eq!(tokenize("على"), ["علي"]);
        assert_eq!(tokenize("مسائل"), ["مسايل"]);
    }

    #[test]
    fn arabic_teh_marbuta_folds_to_heh() {
        assert_eq!(tokenize("حكومة"), ["حكومه"]);
    }

    #[test]
    fn arabic_waw_with_hamza_folds_to_waw() {
        assert_eq!(tokenize("مسؤول"), ["مسوول"]);
    }

    #[test]
    fn arabic_indic_persian_and_full_width_digits_are_ascii() {
        assert_eq!(tokenize("٢٠٢٤"), ["2024"]);
        assert_eq!(tokenize("۲۰۲۴"), ["2024"]);
        assert_eq!(tokenize("２０２４"), ["2024"]);
        assert_eq!(tokenize("ＥＧＤＩ"), ["egdi"]);
    }

    #[test]
    fn russian_yo_folds_to_ye() {
        assert_eq!(tokenize("Отчёт ЁЛКА"), ["отчет", "елка"]);
        // Decomposed: "е" and the combining diaeresis.
        assert_eq!(tokenize("отче\u{308}т"), ["отчет"]);
    }

    #[test]
    fn short_arabic_and_russian_words_are_kept() {
        assert_eq!(tokenize("من في و"), ["من", "في"]);
        assert_eq!(tokenize("по на в"), ["по", "на"]);
    }

    #[test]
    fn han_runs_become_overlapping_bigrams() {
        assert_eq!(tokenize("数字政府"), ["数字", "字政", "政府"]);
        // A run of one character is itself; punctuation and other scripts end a run.
        assert_eq!(tokenize("国"), ["国"]);
        assert_eq!(tokenize("政府，国。"), ["政府", "国"]);
        assert_eq!(
            tokenize("2024年推出EGDI平台"),
            ["2024", "年推", "推出", "egdi", "平台"]
        );
        // Bigrams are never stop words or too short, whatever the stop list holds.
        assert!(tokenize("的是").contains(&"的是".to_string()));
    }

    #[test]
    fn kana_and_hangul_runs_become_bigrams_too() {
        assert_eq!(tokenize("デジタル"), ["デジ", "ジタ", "タル"]);
        assert_eq!(tokenize("ひらがな"), ["ひら", "らが", "がな"]);
        assert_eq!(tokenize("전자 정부"), ["전자", "정부"]);
        assert_eq!(tokenize("々"), ["々"]);
    }

    #[test]
    fn a_long_han_run_is_not_a_word_too_long() {
        let run = "数字".repeat(100);
        assert_eq!(tokenize(&run).len(), 199);
    }
}
