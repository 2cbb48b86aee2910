//! Writing answers files by hand (not through serde) so they read well and come out the
//! same every time: answers in catalogue order, `"yes"`/`"no"` quoted, text as `|` blocks.
//!
//! Every string goes through [`scalar`] or [`block`], which choose a representation that
//! any YAML parser reads back as exactly that string (plain when safe, quoted otherwise,
//! escaped when it holds characters a block or plain scalar cannot carry).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::content::{Answer, AnswerFile, Choice};

/// Characters YAML allows unescaped in block and plain scalars (tab aside), minus those some
/// parsers take for line breaks or a byte order mark.
fn printable(c: char) -> bool {
    matches!(c,
        '\u{20}'..='\u{7E}'
        | '\u{A0}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Whether `s` can be written as a plain (unquoted) scalar and read back as the same string.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !s.chars().all(printable) || s.trim() != s {
        return false;
    }
    // Indicators that may not start a plain scalar, and digits/signs (numbers, dates, times).
    if "-?:,[]{}#&*!|>'\"%@`+.~=".contains(first) {
        return false;
    }
    // A digit may start text such as "15 Years", never a number, date or time: only when a
    // space follows within the first word and no date shape (`2022-08-01 10:00`) is there.
    if first.is_ascii_digit() {
        let word = s.split(' ').next().unwrap_or(s);
        let text_like = s.contains(' ')
            && word.bytes().all(|b| b.is_ascii_digit())
            && s.split(' ')
                .nth(1)
                .is_some_and(|w| w.starts_with(|c: char| c.is_alphabetic()));
        if !text_like {
            return false;
        }
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains(":\t") {
        return false;
    }
    // Words YAML 1.1 reads as booleans or null.
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null" | "nan" | "inf"
    )
}

/// `s` in double quotes with every character that needs it escaped.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if printable(c) => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// A one-line representation of `s` (plain, single-quoted or double-quoted).
pub fn scalar(s: &str) -> String {
    if plain_ok(s) {
        return s.to_string();
    }
    if s.chars().all(printable) && (s.contains('"') || s.contains('\\')) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    double_quoted(s)
}

/// `key: value` for a text value at `indent` spaces: a literal block (`|`) for text of
/// several lines, else [`scalar`].
pub fn block(out: &mut String, indent: usize, key: &str, s: &str) {
    write_text(out, indent, key, s, false);
}

/// `key: value` as a literal block (`|-`) whenever the text allows one, even on one line.
pub fn text_block(out: &mut String, indent: usize, key: &str, s: &str) {
    write_text(out, indent, key, s, true);
}

fn write_text(out: &mut String, indent: usize, key: &str, s: &str, always: bool) {
    let pad = " ".repeat(indent);
    if !(always || s.contains('\n')) || !block_ok(s) {
        let _ = writeln!(out, "{pad}{key}: {}", scalar(s));
        return;
    }
    let body = s.strip_suffix('\n').unwrap_or(s);
    let chomp = if !s.ends_with('\n') {
        "-"
    } else if body.ends_with('\n') {
        "+"
    } else {
        ""
    };
    let first = s.lines().find(|l| !l.is_empty()).unwrap_or("");
    let indicator = if first.starts_with(' ') { "2" } else { "" };
    let _ = writeln!(out, "{pad}{key}: |{indicator}{chomp}");
    for line in body.split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}  {line}");
        }
    }
}

/// Whether a multi-line `s` can be a literal block scalar: printable characters only, at
/// least one non-empty line, no line of spaces only (they would confuse the indentation).
fn block_ok(s: &str) -> bool {
    s.chars().all(|c| c == '\n' || printable(c))
        && s.lines().any(|l| !l.is_empty())
        && s.lines().all(|l| l.is_empty() || !l.trim().is_empty())
}

/// What `egovsite import` writes at the top of an answers file.
pub struct Header<'a> {
    /// The export's file name.
    pub export: &'a str,
}

/// The private contacts file (`<edition>.contacts.yaml`, see [`crate::contacts`]) holding
/// the respondents' names and addresses in the order of `order`, or `None` when the export
/// gave none.
pub fn contacts_yaml(af: &AnswerFile, order: &[&str], country: &str) -> Option<String> {
    if af.contacts.is_empty() {
        return None;
    }
    let mut out = crate::contacts::header(country);
    for (id, v) in ordered(&af.contacts, order) {
        // A block at the top level: the text starts in column 3.
        block(&mut out, 0, &key(id), v);
    }
    Some(out)
}

/// The whole answers file: a comment, `edition`, `source`, then `answers` in the order of
/// `order` (question ids; ids not listed follow in sorted order). Contacts are left out:
/// they go to the private file of [`contacts_yaml`].
pub fn answers_yaml(af: &AnswerFile, order: &[&str], header: &Header) -> String {
    let mut out = String::new();
    let name: String = header
        .export
        .chars()
        .map(|c| if printable(c) { c } else { '?' })
        .collect();
    let _ = writeln!(out, "# Generated by `egovsite import` from {name}.");
    out.push_str(
        "# Answers a person has checked against the export are marked `reviewed: true`; where\n\
         # such an answer differs from the export, the reviewed version is the one to keep.\n",
    );
    let _ = writeln!(out, "edition: {}", scalar(&af.edition));
    if af.partial {
        out.push_str(
            "# The export was incomplete (imported with --allow-partial): the questions it lacks\n\
             # have no answer here. Import a complete export with --force to replace this file.\n\
             partial: true\n",
        );
    }
    out.push_str("source:\n");
    let s = &af.source;
    let _ = writeln!(out, "  document: {}", scalar(&s.document));
    for (key, v) in [
        ("file", &s.file),
        ("respondent", &s.respondent),
        ("time_to_complete", &s.time_to_complete),
        ("organisation", &s.organisation),
    ] {
        if let Some(v) = v {
            block(&mut out, 2, key, v);
        }
    }
    // No `contacts`: names and addresses go to the private file ([`contacts_yaml`]), which
    // is not committed. Which questions it answers (ids only) stays here, so that a site
    // built without the private file says "not published" rather than "no answer".
    let mut private: Vec<&str> = af
        .contacts
        .keys()
        .map(String::as_str)
        .chain(af.contacts_private.iter().map(String::as_str))
        .collect();
    private.sort_by_key(|id| {
        (
            order.iter().position(|o| o == id).unwrap_or(usize::MAX),
            id.to_string(),
        )
    });
    private.dedup();
    if !private.is_empty() {
        out.push_str(
            "# Personal-data questions answered in the private contacts file (names and\n\
             # e-mail addresses are never committed; see the staff guide, \"Where contacts live\").\n",
        );
        let _ = writeln!(out, "contacts_private: [{}]", private.join(", "));
    }
    if af.answers.is_empty() {
        out.push_str("answers: {}\n");
        return out;
    }
    out.push_str("answers:\n");
    for (id, a) in ordered(&af.answers, order) {
        let _ = writeln!(out, "  {}:", key(id));
        answer(&mut out, a);
    }
    out
}

fn key(id: &str) -> String {
    scalar(id)
}

fn ordered<'a, V>(map: &'a BTreeMap<String, V>, order: &[&str]) -> Vec<(&'a str, &'a V)> {
    let mut out: Vec<(&str, &V)> = order
        .iter()
        .filter_map(|id| map.get_key_value(*id).map(|(k, v)| (k.as_str(), v)))
        .collect();
    for (k, v) in map {
        if !order.contains(&k.as_str()) {
            out.push((k.as_str(), v));
        }
    }
    out
}

fn answer(out: &mut String, a: &Answer) {
    let empty = a == &Answer::default();
    if empty {
        // An entry with nothing in it still has to be a mapping.
        out.pop();
        out.push_str(" {}\n");
        return;
    }
    match &a.choice {
        Some(Choice::One(v)) => {
            let _ = writeln!(out, "    choice: {}", double_quoted(v));
        }
        Some(Choice::Many(vs)) => {
            let items: Vec<String> = vs.iter().map(|v| double_quoted(v)).collect();
            let _ = writeln!(out, "    choice: [{}]", items.join(", "));
        }
        None => {}
    }
    if let Some(v) = &a.other {
        block(out, 4, "other", v);
    }
    if let Some(v) = &a.inferred {
        block(out, 4, "inferred", v);
    }
    if let Some(v) = &a.text {
        text_block(out, 4, "text", v);
    }
    if let Some(v) = &a.no_answer {
        block(out, 4, "no_answer", v);
    }
    if a.reviewed {
        out.push_str("    reviewed: true\n");
    }
    if let Some(v) = &a.note {
        text_block(out, 4, "note", v);
    }
}

/// UN short names the export may spell otherwise (compared in lowercase, letters only).
const UN_SHORT_NAMES: &[(&str, &str)] = &[
    ("vietnam", "Viet Nam"),
    ("laopdr", "Lao PDR"),
    ("laos", "Lao PDR"),
    ("southkorea", "Republic of Korea"),
    ("northkorea", "Democratic People's Republic of Korea"),
    ("ivorycoast", "Côte d'Ivoire"),
    ("turkey", "Türkiye"),
];

/// Words kept in capitals when a name in capitals is put in normal case.
const ACRONYMS: &[&str] = &["PDR", "DPR", "USA", "UK", "UAE", "SAR", "US", "DR"];

/// Words written in lowercase inside a name ("Bosnia and Herzegovina").
const SMALL_WORDS: &[&str] = &[
    "of", "and", "the", "da", "de", "del", "des", "du", "la", "le", "les", "y", "et",
];

/// A country name as the export writes it, in normal case: a UN short name when the name is
/// one of a few known spellings ("VIETNAM" is "Viet Nam"); a name typed in capitals gets
/// capitals at word starts only ("VIET NAM" is "Viet Nam", "LAO PDR" is "Lao PDR",
/// "BOSNIA AND HERZEGOVINA" is "Bosnia and Herzegovina"); any other name is kept as typed.
pub fn normal_case(name: &str) -> String {
    let key: String = name
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if let Some((_, un)) = UN_SHORT_NAMES.iter().find(|(k, _)| *k == key) {
        return (*un).to_string();
    }
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    for (i, word) in name.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        if ACRONYMS.contains(&word) {
            out.push_str(word);
        } else if i > 0 && SMALL_WORDS.contains(&lower.as_str()) {
            out.push_str(&lower);
        } else if let Some(rest) = lower.strip_prefix("d'").filter(|_| i > 0) {
            out.push_str("d'");
            out.push_str(&capitalise_parts(rest));
        } else {
            out.push_str(&capitalise_parts(&lower));
        }
    }
    out
}

/// A capital after the start and after each hyphen ("guinea-bissau" is "Guinea-Bissau").
fn capitalise_parts(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c == '-';
    }
    out
}

/// A `country.yaml` for a country first met in an export: the name it gives, every other
/// field empty and listed under `to_review` for a person to fill.
pub fn country_yaml(name: Option<&str>, export: &str) -> String {
    let export: String = export
        .chars()
        .map(|c| if printable(c) { c } else { '?' })
        .collect();
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.contains('\n'))
        .map(normal_case);
    let name = name.as_deref();
    // The name is as the respondent typed it: a person checks it like every other field.
    let to_review = [
        "name",
        "official_name",
        "iso3",
        "region",
        "groupings",
        "languages",
    ];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Created by `egovsite import` from {export}. The export gives only the country's name:"
    );
    out.push_str("# fill in the fields listed under to_review, then remove them from that list.\n");
    let _ = writeln!(out, "name: {}", scalar(name.unwrap_or("")));
    out.push_str("official_name: \"\"\niso3: \"\"\nregion: \"\"\ngroupings: []\nlanguages: []\n");
    let _ = writeln!(out, "to_review: [{}]", to_review.join(", "));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{yaml, Provenance};
    use std::path::Path;

    fn round_trip(af: &AnswerFile) -> AnswerFile {
        let order = ["q2", "q1"];
        let text = answers_yaml(af, &order, &Header { export: "x.txt" });
        match yaml::parse::<AnswerFile>(&text, Path::new("t.yaml"), 0) {
            Ok(l) => l.value,
            Err(e) => panic!("{e}\n---\n{text}"),
        }
    }

    /// The private contacts file written and read back.
    fn contacts_round_trip(af: &AnswerFile) -> BTreeMap<String, String> {
        let text = contacts_yaml(af, &["q2", "q1"], "Lao PDR").unwrap();
        match yaml::parse::<BTreeMap<String, String>>(&text, Path::new("t.contacts.yaml"), 0) {
            Ok(l) => l.value,
            Err(e) => panic!("{e}\n---\n{text}"),
        }
    }

    fn file_with(strings: &[&str]) -> AnswerFile {
        let mut answers = BTreeMap::new();
        let mut contacts = BTreeMap::new();
        for (i, s) in strings.iter().enumerate() {
            answers.insert(
                format!("q{i}"),
                Answer {
                    text: Some(s.to_string()),
                    other: Some(s.to_string()),
                    note: Some(s.to_string()),
                    choice: Some(Choice::Many(vec![s.to_string(), "yes".into()])),
                    reviewed: i % 2 == 0,
                    ..Answer::default()
                },
            );
            contacts.insert(format!("q{i}"), s.to_string());
        }
        AnswerFile {
            edition: "msq-2022".into(),
            partial: false,
            source: Provenance {
                document: "Export of the online form's \"View results\" page".into(),
                file: Some("a b.txt".into()),
                respondent: Some("164".into()),
                time_to_complete: Some("406:12".into()),
                organisation: Some("Dept: of #1".into()),
            },
            contacts,
            contacts_private: Vec::new(),
            answers,
        }
    }

    const NASTY: &[&str] = &[
        "",
        " ",
        "yes",
        "No",
        "null",
        "~",
        "406:12",
        "15 Years",
        "- item",
        "- a\n- b",
        "  indented first line\nsecond",
        "\n\nleading blank lines",
        "trailing newline\n",
        "two trailing newlines\n\n",
        "trailing spaces   \nline two  ",
        "   \n   ",
        "line\n   \nspaces-only line between",
        "***",
        "*",
        "|",
        ">",
        "#not a comment",
        "a # b",
        "key: value",
        "ends with colon:",
        "'quoted'",
        "\"double\"",
        "back\\slash",
        "tab\there",
        "\ttab first\nline",
        "ctrl \u{1}\u{7f}\u{85} chars",
        "line\u{2028}sep",
        "bom \u{feff} inside",
        "emoji 😀 and ລາວ",
        "<https://dgc.gov.la/>",
        "http://x.la/a?b=1#frag: x",
        "---\n...\n---",
        "para one\n\npara two\n\n- list\n- list",
        "%YAML",
        "@at",
        "`tick`",
        "0x1F",
        "1e3",
        ".5",
        "+1",
        "-1",
        "2022-08-01",
        "2001-12-14 21:59:43.10 -5",
        "15 Years",
        "1 2",
        "12 :x",
        "3 Ten-year",
        "[flow]",
        "{flow}",
        "&anchor",
        "*alias",
        "!tag",
        "?q",
        "\r\nwindows\r\n",
        "\n",
        "\n\n",
    ];

    #[test]
    fn nasty_strings_round_trip() {
        let af = file_with(NASTY);
        let back = round_trip(&af);
        assert_eq!(back.answers, af.answers);
        assert!(back.contacts.is_empty(), "no contacts in the answers file");
        assert_eq!(contacts_round_trip(&af), af.contacts);
        assert_eq!(back.source.document, af.source.document);
        assert_eq!(back.source.organisation, af.source.organisation);
        assert_eq!(back.source.time_to_complete.as_deref(), Some("406:12"));
        assert_eq!(back.source.respondent.as_deref(), Some("164"));
    }

    #[test]
    fn random_strings_round_trip() {
        // A small deterministic generator: strings built from characters YAML finds awkward.
        const ALPHABET: &[char] = &[
            'a', 'Z', '0', ' ', ' ', '\n', '\n', '\t', '-', ':', '#', '"', '\'', '\\', '|', '>',
            '*', '&', '!', '%', '@', '`', '[', ']', '{', '}', ',', '?', '.', 'ລ', '\u{85}',
            '\u{1}', '\u{2028}', '\u{feff}', '😀', '\r',
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut strings = Vec::new();
        for _ in 0..400 {
            let len = (next() % 12) as usize;
            let s: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            strings.push(s);
        }
        let refs: Vec<&str> = strings.iter().map(String::as_str).collect();
        let af = file_with(&refs);
        let back = round_trip(&af);
        assert_eq!(back.answers, af.answers);
        assert!(back.contacts.is_empty(), "no contacts in the answers file");
        assert_eq!(contacts_round_trip(&af), af.contacts);
    }

    #[test]
    fn readable_output() {
        let mut af = file_with(&[]);
        af.answers.insert(
            "q1".into(),
            Answer {
                text: Some("Lao PDR".into()),
                ..Answer::default()
            },
        );
        af.answers.insert(
            "q2".into(),
            Answer {
                choice: Some(Choice::One("yes".into())),
                inferred: Some("detail given in q3".into()),
                text: None,
                ..Answer::default()
            },
        );
        af.answers.insert(
            "q3".into(),
            Answer {
                text: Some("one\n\ntwo".into()),
                reviewed: true,
                ..Answer::default()
            },
        );
        let text = answers_yaml(&af, &["q1", "q2", "q3"], &Header { export: "e.txt" });
        assert!(
            text.contains("  q1:\n    text: |-\n      Lao PDR\n"),
            "{text}"
        );
        assert_eq!(scalar("15 Years"), "15 Years");
        assert_eq!(scalar("406:12"), "\"406:12\"");
        assert_eq!(scalar("2022 10:00"), "\"2022 10:00\"");
        assert!(
            text.contains("    choice: \"yes\"\n    inferred: detail given in q3\n"),
            "{text}"
        );
        assert!(
            text.contains("    text: |-\n      one\n\n      two\n    reviewed: true\n"),
            "{text}"
        );
        assert!(
            text.contains("  document: Export of the online form's \"View results\" page\n"),
            "{text}"
        );
        assert_eq!(scalar("it's \"x\": y"), "'it''s \"x\": y'");
        assert!(text.contains("  respondent: \"164\"\n"), "{text}");
    }

    #[test]
    fn names_in_capitals_get_normal_case() {
        assert_eq!(normal_case("VIET NAM"), "Viet Nam");
        assert_eq!(normal_case("Vietnam"), "Viet Nam");
        assert_eq!(normal_case("LAO PDR"), "Lao PDR");
        assert_eq!(
            normal_case("BOSNIA AND HERZEGOVINA"),
            "Bosnia and Herzegovina"
        );
        assert_eq!(normal_case("GUINEA-BISSAU"), "Guinea-Bissau");
        assert_eq!(normal_case("CÔTE D'IVOIRE"), "Côte d'Ivoire");
        assert_eq!(
            normal_case("UNITED STATES OF AMERICA"),
            "United States of America"
        );
        // A name typed in normal case stays as typed.
        assert_eq!(normal_case("Cambodia"), "Cambodia");
        assert_eq!(normal_case("Lao PDR"), "Lao PDR");
    }

    #[test]
    fn country_file_parses() {
        for name in [Some("Lao PDR"), None, Some("Côte d'Ivoire: \"x\"")] {
            let text = country_yaml(name, "e.txt");
            let c = yaml::parse::<crate::content::CountryInfo>(&text, Path::new("c.yaml"), 0)
                .unwrap_or_else(|e| panic!("{e}\n{text}"))
                .value;
            assert_eq!(c.name, name.unwrap_or(""));
            assert!(c.iso3.is_empty() && c.region.is_empty() && c.languages.is_empty());
            assert!(c.to_review.contains(&"iso3".to_string()));
            assert!(c.to_review.contains(&"name".to_string()));
        }
    }
}
