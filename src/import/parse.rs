//! Reading an export of the online form's "View results" page against a questionnaire
//! catalogue.
//!
//! The catalogue drives the parse: every question is looked for, in order, as a line
//! `<number>. <text>` whose text matches the catalogue's. Lines that look like question
//! numbers but are out of sequence or carry other text stay in the answer they sit in.
//! Form text known from the catalogue (section headings and notes, headings printed before a
//! question, question notes, the options of choice questions, the closing text) is skipped;
//! everything else between two questions is the first one's answer.
//!
//! Parsing is pure (no disk access), never panics on any input and runs in time roughly
//! linear in the size of the export.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::infer::{self, Verdict};
use crate::content::{
    Answer, AnswerFile, Catalogue, Choice, FollowUpAsked, Provenance, Question, QuestionKind,
};
use crate::diagnostics::{Diagnostic, Pos};

/// How the form export is described in `source.document`.
pub const DOCUMENT: &str = "Export of the online form's \"View results\" page";

/// Longest stretch of a line compared with form text (longer lines are answers anyway).
const MAX_COMPARE_CHARS: usize = 4000;
/// Most words of a line used in fuzzy comparisons.
const MAX_WORDS: usize = 400;
/// Two texts of four words or more whose word overlap (Dice coefficient) reaches this are
/// taken as the same form text (small wording or typing differences).
const FUZZY: f64 = 0.8;

/// What the respondent wrote instead of an answer (compared lowercased, without a final
/// full stop).
const NO_ANSWER: &[&str] = &[
    "no data",
    "n/a",
    "n.a",
    "na",
    "nil",
    "-",
    "--",
    "---",
    "not applicable",
];

/// A problem that stops the import, at a position in the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub expected: String,
}

impl ParseError {
    fn new(line: usize, message: impl Into<String>, expected: impl Into<String>) -> Self {
        ParseError {
            line,
            column: if line == 0 { 0 } else { 1 },
            message: message.into(),
            expected: expected.into(),
        }
    }

    /// The error as a [`Diagnostic`] about `file` (the export).
    pub fn into_diagnostic(self, file: &Path) -> Diagnostic {
        Diagnostic::new(
            file,
            Pos::new(self.line, self.column),
            self.message,
            self.expected,
        )
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}",
            self.line.max(1),
            self.column.max(1),
            self.message
        )?;
        if !self.expected.is_empty() {
            write!(f, "; expected {}", self.expected)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

/// Something the import did not take as it is, at a line of the export.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// 1-based line of the export (0: the file as a whole).
    pub line: usize,
    pub message: String,
}

/// What the export gave for one question of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The question was not found in the export.
    Missing,
    /// Text (text, links and country questions).
    Text,
    /// A name or e-mail address, kept under `contacts`.
    Contact,
    /// "No data", "n/a" and the like.
    NoAnswer,
    /// Nothing at all.
    Empty,
    /// A choice the export records explicitly (only one option printed, or marked).
    Explicit,
    /// The respondent's own "Other" text.
    Other,
    /// A Yes/No inferred from a non-empty follow-up detail.
    Inferred,
    /// A choice the export does not record.
    Unknown,
}

/// One question of the catalogue and what the import made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionResult {
    pub id: String,
    pub number: u32,
    /// Line of the question in the export.
    pub line: Option<usize>,
    pub outcome: Outcome,
}

/// An export read against a catalogue.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub edition: String,
    /// Respondent number from the header ("164", or 49 from "< 49 Anonymous >").
    pub respondent: Option<String>,
    /// "406:12".
    pub time_to_complete: Option<String>,
    /// The respondent's organisation (answer to the respondent-organization question).
    pub organisation: Option<String>,
    /// The country name as written (answer to the `country` question).
    pub country_name: Option<String>,
    /// Names and e-mail addresses by question id.
    pub contacts: BTreeMap<String, String>,
    /// Answers by question id; questions left empty have no entry.
    pub answers: BTreeMap<String, Answer>,
    /// Every question of the catalogue, in order.
    pub questions: Vec<QuestionResult>,
    pub warnings: Vec<Warning>,
    /// Number of lines in the export.
    pub lines: usize,
    /// Last line of the export that belongs to a question (for "truncated after line").
    pub last_question_line: usize,
    /// The form's closing text is missing after the last question (the file may be cut).
    pub trailer_missing: bool,
}

impl Parsed {
    /// How many questions had `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.questions
            .iter()
            .filter(|q| q.outcome == outcome)
            .count()
    }

    /// The questions found in the export.
    pub fn matched(&self) -> usize {
        self.questions.len() - self.count(Outcome::Missing)
    }

    /// Whether the export is incomplete: questions of the edition are missing, or the form's
    /// closing text is (the file may be truncated).
    pub fn is_partial(&self) -> bool {
        self.count(Outcome::Missing) > 0 || self.trailer_missing
    }

    /// The answers file for `content/countries/<slug>/<edition>.yaml`.
    pub fn answer_file(&self, export_file: Option<&str>) -> AnswerFile {
        AnswerFile {
            edition: self.edition.clone(),
            partial: self.is_partial(),
            source: Provenance {
                document: DOCUMENT.to_string(),
                file: export_file.map(str::to_string),
                respondent: self.respondent.clone(),
                time_to_complete: self.time_to_complete.clone(),
                organisation: self.organisation.clone(),
            },
            contacts: self.contacts.clone(),
            contacts_private: Vec::new(),
            answers: self.answers.clone(),
        }
    }
}

// ------------------------------------------------------------------------------------------
// Decoding and normalising

/// Decode an export's bytes: UTF-16 (little or big endian) when it starts with a UTF-16
/// byte order mark, as Windows saves "Unicode text", else UTF-8; refuse invalid text and NUL
/// bytes (with line and column), strip a byte order mark, turn CRLF and CR line ends into LF.
pub fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, false)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, true)),
        _ => None,
    };
    let owned;
    let text = if let Some((rest, big_endian)) = utf16 {
        owned = decode_utf16(rest, big_endian)?;
        owned.as_str()
    } else {
        match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let upto = bytes.get(..e.valid_up_to()).unwrap_or_default();
                let (line, column) = position_of(upto);
                return Err(ParseError {
                line,
                column,
                message: "the export is not valid UTF-8".into(),
                expected: "the export saved as UTF-8 text (or as Unicode text, UTF-16 with its byte order mark)".into(),
            });
            }
        }
    };
    if let Some(i) = text.find('\0') {
        let (line, column) = position_of(text.as_bytes().get(..i).unwrap_or_default());
        return Err(ParseError {
            line,
            column,
            message: "the export contains a NUL byte: it is not a text file".into(),
            expected: "the text of the form's \"View results\" page".into(),
        });
    }
    Ok(normalise(text))
}

/// UTF-16 code units (after the byte order mark) to a string; an odd byte or an unpaired
/// surrogate is an error at its line and column.
fn decode_utf16(bytes: &[u8], big_endian: bool) -> Result<String, ParseError> {
    let units = bytes.chunks(2).map(|c| match (c, big_endian) {
        ([a, b], false) => Ok(u16::from_le_bytes([*a, *b])),
        ([a, b], true) => Ok(u16::from_be_bytes([*a, *b])),
        _ => Err(()),
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut bad = false;
    let mut odd = false;
    let units: Vec<u16> = units
        .filter_map(|u| match u {
            Ok(u) => Some(u),
            Err(()) => {
                odd = true;
                None
            }
        })
        .collect();
    for c in char::decode_utf16(units.iter().copied()) {
        match c {
            Ok(c) => out.push(c),
            Err(_) => {
                bad = true;
                break;
            }
        }
    }
    if bad || odd {
        let (line, column) = position_of(out.as_bytes());
        return Err(ParseError {
            line,
            column,
            message: if bad {
                "the export is not valid UTF-16 (an unpaired surrogate)".into()
            } else {
                "the export is not valid UTF-16 (an odd number of bytes)".into()
            },
            expected: "the export saved again as UTF-8 or Unicode text".into(),
        });
    }
    Ok(out)
}

/// 1-based line and column (in characters) just after `valid` (UTF-8 bytes).
fn position_of(valid: &[u8]) -> (usize, usize) {
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = valid
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let column = String::from_utf8_lossy(valid.get(start..).unwrap_or_default())
        .chars()
        .filter(|&c| c != '\r')
        .count()
        + 1;
    (line, column)
}

/// Strip a byte order mark and turn CRLF and lone CR line ends into LF.
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

/// Text as compared with form text: `*` removed, typographic quotes and dashes made plain,
/// whitespace collapsed, lowercased.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_COMPARE_CHARS));
    let mut space = false;
    for c in s.chars().take(MAX_COMPARE_CHARS) {
        let c = match c {
            '*' => continue,
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '`' | '\u{00B4}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// `norm` without a final full stop, colon or semicolon (for options: "No." is "No").
fn loose(s: &str) -> String {
    let n = norm(s);
    n.trim_end_matches(['.', ':', ';', ' ']).to_string()
}

fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .collect()
}

/// Word overlap of two normalised texts (Dice coefficient over word multisets).
fn dice(a: &str, b: &str) -> f64 {
    let mut wa = words(a);
    let mut wb = words(b);
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    wa.sort_unstable();
    wb.sort_unstable();
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < wa.len() && j < wb.len() {
        match wa[i].cmp(wb[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    (2 * common) as f64 / (wa.len() + wb.len()) as f64
}

/// Whether normalised `line` reads as the normalised form text `form`: equal, or (both of
/// four words or more) nearly equal.
fn same_text(line: &str, form: &str) -> bool {
    if line == form {
        return true;
    }
    words(line).len() >= 4 && words(form).len() >= 4 && dice(line, form) >= FUZZY
}

/// Whether `prefix` is `full` or a prefix of it ending at a word boundary.
fn word_prefix(full: &str, prefix: &str) -> bool {
    full.starts_with(prefix) && matches!(full.as_bytes().get(prefix.len()), None | Some(b' '))
}

/// `12. text` → (12, "text"). The number is followed by a full stop and a space (or the end).
fn numbered(line: &str) -> Option<(u32, &str)> {
    let s = line.trim_start();
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 5 {
        return None;
    }
    let (num, rest) = s.split_at(digits);
    let rest = rest.strip_prefix('.')?;
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    Some((num.parse().ok()?, rest.trim()))
}

/// The non-empty normalised lines of a piece of form text.
fn units(text: &str) -> Vec<String> {
    text.lines().map(norm).filter(|u| !u.is_empty()).collect()
}

// ------------------------------------------------------------------------------------------
// The catalogue, prepared for matching

struct Form<'a> {
    q: &'a Question,
    /// Normalised lines of the question text.
    units: Vec<String>,
    /// All of them joined by spaces.
    full: String,
    /// Normalised lines of the note printed after the question.
    note: Vec<String>,
    note_full: String,
    /// Form text printed before this question: a section heading and note when the
    /// question opens a section, then its `before` headings.
    before: Vec<String>,
    /// Option texts, loosely normalised.
    options: Vec<String>,
}

impl Form<'_> {
    /// Whether the text of a numbered line with this question's number is this question.
    fn matches(&self, t: &str) -> bool {
        let Some(first) = self.units.first() else {
            return false;
        };
        if t.is_empty() {
            return false;
        }
        if t == first || t == self.full {
            return true;
        }
        let short = words(first).len() < 4;
        if word_prefix(&self.full, t) && t.len() >= first.len().min(12) {
            return !short || t.len() >= first.len();
        }
        if short {
            return false;
        }
        if word_prefix(t, first) {
            return true;
        }
        same_text(t, first) || same_text(t, &self.full)
    }
}

fn prepare(cat: &Catalogue) -> Vec<Form<'_>> {
    let mut forms: Vec<Form> = Vec::with_capacity(cat.questions.len());
    let mut prev_section: Option<&str> = None;
    for q in &cat.questions {
        let mut before = Vec::new();
        if prev_section != Some(q.section.as_str()) {
            if let Some(s) = cat.sections.iter().find(|s| s.key == q.section) {
                if s.key != "intro" {
                    before.push(norm(&format!("{}. {}", s.key, s.title)));
                    before.push(norm(&s.title));
                }
                if let Some(n) = &s.note {
                    before.extend(units(n));
                }
            }
        }
        for b in &q.before {
            before.extend(units(b));
        }
        let units_ = units(&q.text);
        let note = q.note.as_deref().map(units).unwrap_or_default();
        forms.push(Form {
            q,
            full: units_.join(" "),
            units: units_,
            note_full: note.join(" "),
            note,
            before,
            options: q.options.iter().map(|o| loose(o)).collect(),
        });
        prev_section = Some(q.section.as_str());
    }
    forms
}

// ------------------------------------------------------------------------------------------
// Finding the questions

#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// 0-based line of `<number>. <text>`.
    line: usize,
    /// Index of the question in the catalogue.
    q: usize,
    /// The question text sat on the next line (the numbered line held only the number).
    text_line: usize,
}

/// The longest chain of candidates with increasing question index (in line order), taking
/// the earliest line where several chains are equally long.
fn chain(cands: &[Candidate]) -> Vec<Candidate> {
    // start_len[i]: length of the longest increasing chain that starts at cands[i].
    let mut start_len = vec![0usize; cands.len()];
    let mut tails: Vec<i64> = Vec::new();
    for (i, c) in cands.iter().enumerate().rev() {
        let key = -(c.q as i64);
        let pos = tails.partition_point(|&t| t < key);
        if pos == tails.len() {
            tails.push(key);
        } else {
            tails[pos] = key;
        }
        start_len[i] = pos + 1;
    }
    let mut need = tails.len();
    let mut out = Vec::with_capacity(need);
    let mut prev: Option<usize> = None;
    for (i, c) in cands.iter().enumerate() {
        if need == 0 {
            break;
        }
        if prev.is_none_or(|p| c.q > p) && start_len[i] == need {
            out.push(*c);
            prev = Some(c.q);
            need -= 1;
        }
    }
    out
}

// ------------------------------------------------------------------------------------------
// The parse

struct Ctx<'a> {
    lines: Vec<&'a str>,
    warnings: Vec<Warning>,
    /// Text written where a choice question has no "Other" option, kept beside the choice:
    /// (line, question id, the text clipped), warned about once the choice is final.
    comments: Vec<(usize, String, String)>,
}

impl Ctx<'_> {
    fn warn(&mut self, line0: usize, message: String) {
        self.warnings.push(Warning {
            line: line0 + 1,
            message,
        });
    }
    fn blank(&self, i: usize) -> bool {
        self.lines.get(i).is_none_or(|l| l.trim().is_empty())
    }
}

/// Read `text` (an export) against `cat`.
pub fn parse_export(text: &str, cat: &Catalogue) -> Result<Parsed, ParseError> {
    let text = normalise(text);
    let forms = prepare(cat);
    let total = forms.len();
    let mut cx = Ctx {
        lines: text.split('\n').collect(),
        warnings: Vec::new(),
        comments: Vec::new(),
    };
    // A final line end does not start another line.
    if cx.lines.len() > 1 && cx.lines.last() == Some(&"") {
        cx.lines.pop();
    }
    let n_lines = cx.lines.len();
    if total == 0 {
        return Err(ParseError::new(
            0,
            format!("edition {} has no questions", cat.id),
            "a catalogue with questions",
        ));
    }

    // Every line `<number>. <text>` whose number is a question's: a candidate when its text
    // matches, a mismatch otherwise.
    let mut by_number: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, f) in forms.iter().enumerate() {
        by_number.entry(f.q.number).or_default().push(i);
    }
    let mut cands = Vec::new();
    let mut mismatches: Vec<(usize, usize, String)> = Vec::new(); // (line, question, text)
    for (i, line) in cx.lines.iter().enumerate() {
        let Some((num, rest)) = numbered(line) else {
            continue;
        };
        let Some(qs) = by_number.get(&num) else {
            continue;
        };
        let mut t = norm(rest);
        let mut text_line = i;
        if t.is_empty() {
            // "12." alone: the text may follow on the next non-blank line.
            if let Some(j) = (i + 1..n_lines.min(i + 4)).find(|&j| !cx.blank(j)) {
                t = norm(cx.lines[j]);
                text_line = j;
            }
        }
        match qs.iter().find(|&&q| forms[q].matches(&t)) {
            Some(&q) => cands.push(Candidate {
                line: i,
                q,
                text_line,
            }),
            None => {
                for &q in qs {
                    mismatches.push((i, q, rest.chars().take(200).collect()));
                }
            }
        }
    }
    let found = chain(&cands);

    // Too little found: another edition, a truncated file or not an export at all.
    if found.len() * 2 < total {
        let mut is_found = vec![false; total];
        for c in &found {
            is_found[c.q] = true;
        }
        let mismatch = mismatches
            .iter()
            .filter(|(_, q, _)| !is_found[*q])
            .min_by_key(|(line, q, _)| (*q, *line));
        let mismatched = mismatches.iter().filter(|(_, q, _)| !is_found[*q]).count();
        if let Some((line, q, t)) = mismatch.filter(|_| mismatched >= 3 || found.is_empty()) {
            let f = &forms[*q];
            return Err(ParseError::new(
                line + 1,
                format!(
                    "export is of another edition: question {} reads \"{}\" ({} of {} questions of {} found)",
                    f.q.number,
                    clip(t, 90),
                    found.len(),
                    total,
                    cat.id
                ),
                format!(
                    "an export of edition {} (question {}: \"{}\")",
                    cat.id,
                    f.q.number,
                    clip(&first_line(&f.q.text), 90)
                ),
            ));
        }
        if found.is_empty() {
            return Err(ParseError::new(
                0,
                format!("no question of edition {} found in the export", cat.id),
                format!(
                    "the text of the form's \"View results\" page, starting with question 1: \"{}\"",
                    clip(&first_line(&forms[0].q.text), 90)
                ),
            ));
        }
        let last = found.last().map(|c| c.line + 1).unwrap_or(1);
        return Err(ParseError::new(
            n_lines,
            format!(
                "only {} of {} questions of edition {} found (file truncated after line {}?)",
                found.len(),
                total,
                cat.id,
                last
            ),
            "a complete export of the form's \"View results\" page",
        ));
    }

    // Where each question starts; where the text of a question missing from the export
    // would start (a numbered line with its number but other text).
    let mut at: Vec<Option<Candidate>> = vec![None; total];
    for c in &found {
        at[c.q] = Some(*c);
    }

    let header_end = found.first().map(|c| c.line).unwrap_or(n_lines);
    let mut parsed = Parsed {
        edition: cat.id.clone(),
        respondent: None,
        time_to_complete: None,
        organisation: None,
        country_name: None,
        contacts: BTreeMap::new(),
        answers: BTreeMap::new(),
        questions: Vec::with_capacity(total),
        warnings: Vec::new(),
        lines: n_lines,
        last_question_line: 0,
        trailer_missing: false,
    };
    let first_q = found.first().map(|c| c.q).unwrap_or(0);
    let header_form: Vec<&String> = forms[..=first_q.min(total - 1)]
        .iter()
        .flat_map(|f| f.before.iter())
        .collect();
    read_header(&mut cx, 0, header_end, &header_form, &mut parsed);

    // Bodies: for each found question, the lines up to the next found question (or to the
    // line where a missing question in between starts).
    let mut bodies: Vec<Option<Body>> = vec![None; total];
    for (k, c) in found.iter().enumerate() {
        let next = found.get(k + 1);
        let next_line = next.map(|n| n.line).unwrap_or(n_lines);
        let next_q = next.map(|n| n.q).unwrap_or(total);
        // A missing question whose numbered line (with other text) sits in between ends
        // this answer; its lines are reported, not imported.
        let cut = mismatches
            .iter()
            .filter(|(line, q, _)| {
                *line > c.text_line && *line < next_line && *q > c.q && *q < next_q
            })
            .map(|(line, _, _)| *line)
            .min();
        let end = cut.unwrap_or(next_line);
        if let Some(cut) = cut {
            let upto = last_nonblank(&cx, cut, next_line).unwrap_or(cut);
            cx.warn(
                cut,
                format!(
                    "lines {}-{} not imported: they follow a question number that does not match the catalogue (see the missing question below)",
                    cut + 1,
                    upto + 1
                ),
            );
        }
        let mut form_after: Vec<&String> = forms[c.q + 1..next_q.min(total)]
            .iter()
            .flat_map(|f| f.before.iter())
            .collect();
        if next_q < total {
            form_after.extend(forms[next_q].before.iter());
        }
        let trailer: Vec<String> = if next.is_none() {
            cat.trailer.iter().flat_map(|t| units(t)).collect()
        } else {
            Vec::new()
        };
        let body = body_of(
            &cx,
            &forms[c.q],
            c.text_line + 1,
            end,
            &form_after,
            &trailer,
        );
        if next.is_none() && !cat.trailer.is_empty() && !body.trailer_seen {
            parsed.trailer_missing = true;
            cx.warn(
                n_lines.saturating_sub(1),
                format!(
                    "the form's closing text (\"{}\") is missing after question {}: the file may be truncated",
                    clip(&first_line(&cat.trailer[0]), 60),
                    forms[c.q].q.number
                ),
            );
        }
        parsed.last_question_line = parsed
            .last_question_line
            .max(body.last_line.unwrap_or(c.line) + 1);
        bodies[c.q] = Some(body);
    }

    // Missing questions.
    for (i, f) in forms.iter().enumerate() {
        if at[i].is_some() {
            continue;
        }
        let next_found = at[i + 1..].iter().flatten().next();
        let prev_found = at[..i].iter().flatten().next_back();
        let lo = prev_found.map(|c| c.line).unwrap_or(0);
        let hi = next_found.map(|c| c.line).unwrap_or(n_lines);
        let seen = mismatches
            .iter()
            .find(|(line, q, _)| *q == i && *line > lo && *line < hi);
        match (seen, next_found) {
            (Some((line, _, t)), _) => cx.warn(
                *line,
                format!(
                    "question {} not found: this line reads \"{}\"; expected \"{}\"",
                    f.q.number,
                    clip(t, 70),
                    clip(&first_line(&f.q.text), 70)
                ),
            ),
            (None, Some(n)) => cx.warn(
                n.line,
                format!(
                    "question {} (\"{}\") not found before this line",
                    f.q.number,
                    clip(&first_line(&f.q.text), 60)
                ),
            ),
            (None, None) => cx.warn(
                n_lines.saturating_sub(1),
                format!(
                    "question {} (\"{}\") not found: the file ends before it",
                    f.q.number,
                    clip(&first_line(&f.q.text), 60)
                ),
            ),
        }
    }

    // Answers.
    let mut outcomes = vec![Outcome::Missing; total];
    for (i, f) in forms.iter().enumerate() {
        let Some(body) = &bodies[i] else { continue };
        let (outcome, answer) = answer_of(&mut cx, f, body);
        outcomes[i] = outcome;
        match f.q.kind {
            k if k.is_personal() => {
                if let Some(v) = answer.and_then(|a| a.text) {
                    parsed.contacts.insert(f.q.id.clone(), v);
                }
            }
            _ => {
                if let Some(a) = answer {
                    if f.q.kind == QuestionKind::Country {
                        parsed.country_name = a.text.clone();
                    }
                    if f.q.topic == "respondent-organization" {
                        parsed.organisation = a.text.as_deref().map(one_line);
                    }
                    parsed.answers.insert(f.q.id.clone(), a);
                }
            }
        }
    }

    // Yes/No questions whose follow-up, asked only after "yes", is answered: an inferred
    // "yes" when the detail shows one (see `infer`).
    for (i, f) in forms.iter().enumerate() {
        if f.q.kind != QuestionKind::YesNo || outcomes[i] != Outcome::Unknown {
            continue;
        }
        let details: Vec<(usize, &Form)> = forms
            .iter()
            .enumerate()
            .filter(|(j, g)| {
                g.q.follow_up_of.as_deref() == Some(f.q.id.as_str())
                    && g.q.follow_up_asked == Some(FollowUpAsked::IfYes)
                    && outcomes[*j] == Outcome::Text
            })
            .collect();
        let verdicts: Vec<(usize, &Form, Verdict)> = details
            .into_iter()
            .filter_map(|(j, g)| {
                let text = parsed.answers.get(&g.q.id)?.text.as_deref()?;
                Some((j, g, infer::judge(&f.q.text, text)))
            })
            .collect();
        let chosen = verdicts
            .iter()
            .find(|(_, _, v)| matches!(v, Verdict::Yes { borderline: None }))
            .or_else(|| {
                verdicts
                    .iter()
                    .find(|(_, _, v)| matches!(v, Verdict::Yes { .. }))
            })
            .or_else(|| verdicts.first());
        let Some((j, g, verdict)) = chosen else {
            continue;
        };
        let line = at[*j].map(|c| c.line).unwrap_or(0);
        let Some(a) = parsed.answers.get_mut(&f.q.id) else {
            continue;
        };
        match verdict {
            Verdict::Yes { borderline } => {
                a.choice = Some(Choice::One("yes".into()));
                outcomes[i] = Outcome::Inferred;
                match borderline {
                    None => a.inferred = Some(format!("detail given in {}", g.q.id)),
                    Some(p) => {
                        a.inferred = Some(format!(
                            "detail given in {}; to check: part of it speaks of \"{p}\"",
                            g.q.id
                        ));
                        cx.warn(
                            line,
                            format!(
                                "question {}: wrote `choice: \"yes\"`, inferred from the detail in question {}, which also speaks of \"{p}\" (a draft, plan or absence): check it",
                                f.q.number, g.q.number
                            ),
                        );
                    }
                }
            }
            Verdict::Draft { phrase } => {
                a.note = Some(format!(
                    "Not recorded in the export, and not inferred from {}: its detail speaks of a law or policy being drafted, planned or considered (\"{phrase}\"), not of one in force.",
                    g.q.id
                ));
                cx.warn(
                    line,
                    format!(
                        "question {}: wrote `choice: \"unknown\"` with a note: the detail in question {} speaks of \"{phrase}\" (a draft, plan or intention), so no \"yes\" is inferred",
                        f.q.number, g.q.number
                    ),
                );
            }
            Verdict::None { phrase } => {
                a.note = Some(format!(
                    "Not recorded in the export, and not inferred from {}: its detail says \"{phrase}\".",
                    g.q.id
                ));
                cx.warn(
                    line,
                    format!(
                        "question {}: wrote `choice: \"unknown\"` with a note: the detail in question {} says \"{phrase}\", so no \"yes\" is inferred",
                        f.q.number, g.q.number
                    ),
                );
            }
        }
    }

    // Text written beside a choice, now that the choice is final.
    for (line, id, clipped) in std::mem::take(&mut cx.comments) {
        let Some(a) = parsed.answers.get(&id) else {
            continue;
        };
        let choice = match &a.choice {
            Some(Choice::One(v)) => format!("`choice: \"{v}\"`"),
            Some(Choice::Many(vs)) => format!("`choice: {vs:?}`"),
            None => "no choice".to_string(),
        };
        let number = forms
            .iter()
            .find(|f| f.q.id == id)
            .map(|f| f.q.number)
            .unwrap_or(0);
        cx.warn(
            line,
            format!(
                "question {number}: \"{clipped}\" is not one of its options and the question has no \"Other\" option; wrote it as `text` beside {choice}"
            ),
        );
    }

    parsed.questions = forms
        .iter()
        .enumerate()
        .map(|(i, f)| QuestionResult {
            id: f.q.id.clone(),
            number: f.q.number,
            line: at[i].map(|c| c.line + 1),
            outcome: outcomes[i],
        })
        .collect();
    // By line; warnings on one line stay in the order found (catalogue order).
    cx.warnings.sort_by_key(|w| w.line);
    cx.warnings.dedup();
    parsed.warnings = cx.warnings;
    Ok(parsed)
}

fn last_nonblank(cx: &Ctx, from: usize, to: usize) -> Option<usize> {
    (from..to).rev().find(|&i| !cx.blank(i))
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .replace("**", "")
        .trim()
        .to_string()
}

/// At most `n` characters of `s`, with "..." when cut.
pub(crate) fn clip(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n.saturating_sub(3)).collect();
    out.push_str("...");
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ------------------------------------------------------------------------------------------
// Header

fn read_header(cx: &mut Ctx, from: usize, to: usize, form: &[&String], parsed: &mut Parsed) {
    for i in from..to.min(cx.lines.len()) {
        let raw = cx.lines[i].trim();
        if raw.is_empty() {
            continue;
        }
        let n = norm(raw);
        if n.is_empty() || form.iter().any(|f| same_text(&n, f)) {
            continue;
        }
        if matches!(
            n.as_str(),
            "view results" | "respondent" | "time to complete" | "anonymous" | "< anonymous >"
        ) {
            continue;
        }
        // "< 49 Anonymous >"
        if let Some(inner) = raw.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
            let inner = inner.trim();
            let digits: String = inner.chars().take_while(char::is_ascii_digit).collect();
            if !digits.is_empty() {
                set_respondent(cx, i, parsed, digits.clone());
                let rest = inner.get(digits.len()..).unwrap_or("").trim();
                if !rest.is_empty() && !rest.eq_ignore_ascii_case("anonymous") {
                    cx.warn(
                        i,
                        "the header names the respondent; the name is not imported (the contacts come from the questions)".into(),
                    );
                }
                continue;
            }
        }
        let value = strip_label(&n, "respondent").or_else(|| strip_label(&n, "time to complete"));
        let v = value.as_deref().unwrap_or(n.as_str());
        if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            set_respondent(cx, i, parsed, v.to_string());
            continue;
        }
        if is_duration(v) {
            if parsed.time_to_complete.is_some() {
                cx.warn(
                    i,
                    format!("a second time to complete (\"{v}\") in the header; ignored"),
                );
            } else {
                parsed.time_to_complete = Some(v.to_string());
            }
            continue;
        }
        cx.warn(
            i,
            format!("header line \"{}\" not recognised; ignored", clip(raw, 60)),
        );
    }
}

fn set_respondent(cx: &mut Ctx, i: usize, parsed: &mut Parsed, v: String) {
    if parsed.respondent.is_some() {
        cx.warn(
            i,
            format!("a second respondent number (\"{v}\") in the header; ignored"),
        );
    } else {
        parsed.respondent = Some(v);
    }
}

fn strip_label(n: &str, label: &str) -> Option<String> {
    let rest = n.strip_prefix(label)?;
    let rest = rest.trim_start_matches([':', ' ']);
    (!rest.is_empty()).then(|| rest.to_string())
}

/// "406:12", "1:02:03".
fn is_duration(v: &str) -> bool {
    let parts: Vec<&str> = v.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit()))
}

// ------------------------------------------------------------------------------------------
// One question's lines

#[derive(Debug, Clone)]
struct Body {
    /// 0-based line indexes of the answer (blank lines included, trimmed at both ends).
    lines: Vec<usize>,
    last_line: Option<usize>,
    trailer_seen: bool,
}

/// The answer lines of question `f`, from `start` (after its numbered line) to `end`:
/// the rest of the question text and its note skipped at the start, form text of what
/// follows (`after`) skipped at the end.
fn body_of(
    cx: &Ctx,
    f: &Form,
    start: usize,
    end: usize,
    after: &[&String],
    trailer: &[String],
) -> Body {
    let end = end.min(cx.lines.len());
    let mut i = start.min(end);
    // The numbered line's own text, to follow a question text spread over several lines.
    let mut acc = cx
        .lines
        .get(start.saturating_sub(1))
        .map(|l| numbered(l).map(|(_, t)| norm(t)).unwrap_or_else(|| norm(l)))
        .unwrap_or_default();
    let mut used_units = vec![false; f.units.len()];
    if let Some(u) = used_units.first_mut() {
        *u = true;
    }
    while i < end {
        if cx.blank(i) {
            i += 1;
            continue;
        }
        let n = norm(cx.lines[i]);
        if n.is_empty() {
            // A lone "*" (the required mark on a line of its own).
            i += 1;
            continue;
        }
        let joined = if acc.is_empty() {
            n.clone()
        } else {
            format!("{acc} {n}")
        };
        if acc.len() < f.full.len() && word_prefix(&f.full, &joined) {
            acc = joined;
            i += 1;
            continue;
        }
        if let Some(u) = (1..f.units.len()).find(|&u| !used_units[u] && same_text(&n, &f.units[u]))
        {
            used_units[u] = true;
            i += 1;
            continue;
        }
        let is_note = f.note.iter().any(|u| same_text(&n, u))
            || (!f.note_full.is_empty() && n.len() >= 12 && word_prefix(&f.note_full, &n));
        if is_note {
            i += 1;
            continue;
        }
        break;
    }
    let mut j = end;
    let mut trailer_seen = false;
    loop {
        while j > i && cx.blank(j - 1) {
            j -= 1;
        }
        if j <= i {
            break;
        }
        let n = norm(cx.lines[j - 1]);
        if trailer.iter().any(|t| same_text(&n, t)) {
            trailer_seen = true;
            j -= 1;
        } else if n.is_empty() || after.iter().any(|a| same_text(&n, a)) {
            j -= 1;
        } else {
            break;
        }
    }
    let lines: Vec<usize> = (i..j).collect();
    Body {
        last_line: lines.last().copied(),
        lines,
        trailer_seen,
    }
}

/// Markdown from answer lines: trailing spaces dropped, runs of blank lines made one blank
/// line (paragraphs), lines that Markdown would read as a heading underline or a rule
/// escaped.
fn markdown(cx: &Ctx, lines: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut blank = false;
    for &i in lines {
        let l = cx.lines[i].trim_end();
        if l.trim().is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push(String::new());
            blank = false;
        }
        out.push(escape_rule(l));
    }
    out.join("\n")
}

/// A line of only `-`, `=`, `_` or `*` (a setext underline or thematic break in Markdown)
/// gets a backslash so it stays text.
fn escape_rule(l: &str) -> String {
    let t = l.trim_start();
    let indent = l.len() - t.len();
    let mut chars = t.chars().filter(|c| !c.is_whitespace());
    if let Some(c) = chars.next() {
        if indent <= 3 && matches!(c, '-' | '=' | '_' | '*') && chars.all(|d| d == c) {
            return format!("{}\\{}", &l[..indent], t);
        }
    }
    l.to_string()
}

fn is_no_answer(text: &str) -> bool {
    let n = norm(text);
    let n = n.trim_end_matches('.');
    NO_ANSWER.contains(&n)
}

/// A list marker or option box at the start of an option line: (selected?, rest).
fn strip_marker(line: &str) -> (Option<bool>, &str) {
    let t = line.trim();
    const SELECTED: &[&str] = &[
        "☑", "☒", "✓", "✔", "●", "◉", "[x]", "[X]", "(x)", "(X)", "(•)",
    ];
    const UNSELECTED: &[&str] = &["☐", "○", "◯", "[ ]", "( )"];
    for m in SELECTED {
        if let Some(r) = t.strip_prefix(m) {
            return (Some(true), r.trim());
        }
    }
    for m in UNSELECTED {
        if let Some(r) = t.strip_prefix(m) {
            return (Some(false), r.trim());
        }
    }
    for m in ["- ", "• ", "* ", "– "] {
        if let Some(r) = t.strip_prefix(m) {
            return (None, r.trim());
        }
    }
    (None, t)
}

fn answer_of(cx: &mut Ctx, f: &Form, body: &Body) -> (Outcome, Option<Answer>) {
    let q = f.q;
    if q.kind.is_choice() {
        return choice_answer(cx, f, body);
    }
    let raw: Vec<&str> = body.lines.iter().map(|&i| cx.lines[i].trim()).collect();
    let raw = raw.join("\n");
    if raw.trim().is_empty() {
        return (Outcome::Empty, None);
    }
    if is_no_answer(&raw) {
        let a = Answer {
            no_answer: Some(one_line(&raw)),
            ..Answer::default()
        };
        // Personal data is never kept as an answer.
        return if q.kind.is_personal() {
            (Outcome::NoAnswer, None)
        } else {
            (Outcome::NoAnswer, Some(a))
        };
    }
    if q.kind.is_personal() {
        let first = body.lines.first().copied().unwrap_or(0);
        let mut v = one_line(&raw);
        if q.kind == QuestionKind::Email && !looks_like_email(&v) {
            let found: Vec<String> = v
                .split(|c: char| {
                    c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '(' | ')')
                })
                .map(|w| w.trim_start_matches("mailto:").trim_end_matches('.'))
                .filter(|w| looks_like_email(w))
                .map(str::to_string)
                .collect();
            if found.is_empty() {
                cx.warn(
                    first,
                    format!(
                        "question {}: \"{}\" is not an e-mail address; not imported",
                        q.number,
                        clip(&v, 60)
                    ),
                );
                return (Outcome::Empty, None);
            }
            // Every address is kept; only separators and other words are dropped.
            let kept = found.join("; ");
            let dropped: Vec<&str> = v
                .split(|c: char| {
                    c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '(' | ')')
                })
                .map(|w| w.trim_start_matches("mailto:").trim_end_matches('.'))
                .filter(|w| !w.is_empty() && !looks_like_email(w))
                .collect();
            if !dropped.is_empty() {
                cx.warn(
                    first,
                    format!(
                        "question {}: kept the e-mail address{} {kept} of \"{}\" (not kept: \"{}\")",
                        q.number,
                        if found.len() > 1 { "es" } else { "" },
                        clip(&v, 60),
                        clip(&dropped.join(" "), 40)
                    ),
                );
            }
            v = kept;
        }
        return (
            Outcome::Contact,
            Some(Answer {
                text: Some(v),
                ..Answer::default()
            }),
        );
    }
    (
        Outcome::Text,
        Some(Answer {
            text: Some(markdown(cx, &body.lines)),
            ..Answer::default()
        }),
    )
}

/// A line made only of option labels (and "Other"), such as " Yes No": the options in
/// order (`None` for "Other"), or `None` when the line is anything else. `l` and `options`
/// are loosely normalised.
fn options_on_one_line(l: &str, options: &[String]) -> Option<Vec<Option<usize>>> {
    let mut rest = l.trim();
    let mut found = Vec::new();
    while !rest.is_empty() {
        let (m, len) = options
            .iter()
            .enumerate()
            .map(|(i, o)| (Some(i), o.as_str()))
            .chain([(None, "other (please specify)"), (None, "other")])
            .filter(|(_, o)| !o.is_empty() && word_prefix(rest, o))
            .map(|(i, o)| (i, o.len()))
            .max_by_key(|&(_, len)| len)?;
        found.push(m);
        rest = rest[len..].trim_start_matches([' ', '-', '•', ',', ';', '/', '.']);
    }
    (found.len() >= 2).then_some(found)
}

fn looks_like_email(s: &str) -> bool {
    let mut parts = s.split('@');
    matches!((parts.next(), parts.next(), parts.next()),
        (Some(a), Some(b), None) if !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.ends_with('.') && !s.contains(char::is_whitespace))
}

fn choice_answer(cx: &mut Ctx, f: &Form, body: &Body) -> (Outcome, Option<Answer>) {
    let q = f.q;
    let mut seen: Vec<usize> = Vec::new();
    let mut marked: Vec<usize> = Vec::new();
    let mut any_marker = false;
    let mut placeholder = false;
    let mut texts: Vec<(usize, String)> = Vec::new();
    let mut last_option_line = None;
    for &i in &body.lines {
        let raw = cx.lines[i];
        if raw.trim().is_empty() {
            continue;
        }
        let (mark, rest) = strip_marker(raw);
        any_marker |= mark.is_some();
        let l = loose(rest);
        if l.is_empty() {
            continue;
        }
        if let Some(o) = f.options.iter().position(|o| *o == l) {
            if !seen.contains(&o) {
                seen.push(o);
            }
            if mark == Some(true) && !marked.contains(&o) {
                marked.push(o);
            }
            last_option_line = Some(i);
            continue;
        }
        if l == "other" || l == "other (please specify)" {
            placeholder = true;
            last_option_line = Some(i);
            continue;
        }
        // Several option labels on one line (" Yes No"): the options, never answer text.
        if let Some(found) = options_on_one_line(&l, &f.options) {
            for o in found {
                match o {
                    Some(o) if !seen.contains(&o) => seen.push(o),
                    Some(_) => {}
                    None => placeholder = true,
                }
            }
            last_option_line = Some(i);
            continue;
        }
        // "Other: text"
        let own = rest
            .strip_prefix("Other:")
            .or_else(|| rest.strip_prefix("other:"))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(rest);
        texts.push((i, own.trim_end().to_string()));
    }
    let unknown = || Answer {
        choice: Some(Choice::One("unknown".into())),
        ..Answer::default()
    };
    let value = |o: usize| -> String {
        if q.kind == QuestionKind::YesNo {
            q.options[o].to_lowercase()
        } else {
            q.options[o].clone()
        }
    };
    let yes_no_ok =
        |o: usize| q.kind != QuestionKind::YesNo || matches!(value(o).as_str(), "yes" | "no");

    if !texts.is_empty() {
        let first = texts[0].0;
        let joined = texts
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        if seen.is_empty() && !placeholder && is_no_answer(&joined) {
            return (
                Outcome::NoAnswer,
                Some(Answer {
                    no_answer: Some(one_line(&joined)),
                    ..Answer::default()
                }),
            );
        }
        if last_option_line.is_some_and(|l| l > first) {
            cx.warn(
                first,
                format!(
                    "question {}: text among the options taken as the respondent's {}",
                    q.number,
                    if q.other { "\"Other\" text" } else { "comment" }
                ),
            );
        }
        if q.other {
            let mut a = Answer {
                other: Some(joined),
                ..Answer::default()
            };
            if q.kind == QuestionKind::MultipleChoice {
                let explicit = !seen.is_empty() && seen.len() < q.options.len() && !placeholder;
                a.choice = Some(if explicit {
                    seen.sort_unstable();
                    Choice::Many(seen.iter().map(|&o| value(o)).collect())
                } else {
                    Choice::One("unknown".into())
                });
            }
            return (Outcome::Other, Some(a));
        }
        // Warned about once the choice is final (an inference may still change it).
        cx.comments.push((first, q.id.clone(), clip(&joined, 50)));
        let mut a = unknown();
        a.text = Some(joined);
        return (Outcome::Unknown, Some(a));
    }

    // Options marked as selected ("☑ Yes").
    if any_marker {
        marked.sort_unstable();
        let ok = marked.iter().all(|&o| yes_no_ok(o));
        return match (q.kind, marked.len()) {
            (_, 0) => (Outcome::Unknown, Some(unknown())),
            (QuestionKind::MultipleChoice, _) => (
                Outcome::Explicit,
                Some(Answer {
                    choice: Some(Choice::Many(marked.iter().map(|&o| value(o)).collect())),
                    ..Answer::default()
                }),
            ),
            (_, 1) if ok => (
                Outcome::Explicit,
                Some(Answer {
                    choice: Some(Choice::One(value(marked[0]))),
                    ..Answer::default()
                }),
            ),
            _ => {
                let line = body.lines.first().copied().unwrap_or(0);
                cx.warn(
                    line,
                    format!(
                        "question {}: several options marked; choice left unknown",
                        q.number
                    ),
                );
                (Outcome::Unknown, Some(unknown()))
            }
        };
    }

    // A strict subset of the options printed: the export records the selection.
    if !seen.is_empty() && seen.len() < q.options.len() {
        let line = body.lines.first().copied().unwrap_or(0);
        if placeholder {
            cx.warn(
                line,
                format!(
                    "question {}: only some of its options are listed; choice left unknown",
                    q.number
                ),
            );
            return (Outcome::Unknown, Some(unknown()));
        }
        seen.sort_unstable();
        if q.kind == QuestionKind::MultipleChoice {
            return (
                Outcome::Explicit,
                Some(Answer {
                    choice: Some(Choice::Many(seen.iter().map(|&o| value(o)).collect())),
                    ..Answer::default()
                }),
            );
        }
        if seen.len() == 1 && yes_no_ok(seen[0]) {
            return (
                Outcome::Explicit,
                Some(Answer {
                    choice: Some(Choice::One(value(seen[0]))),
                    ..Answer::default()
                }),
            );
        }
        cx.warn(
            line,
            format!(
                "question {}: only some of its options are listed; choice left unknown",
                q.number
            ),
        );
    }
    (Outcome::Unknown, Some(unknown()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_lines() {
        assert_eq!(numbered("12. Health *"), Some((12, "Health *")));
        assert_eq!(
            numbered("9. - E-participation"),
            Some((9, "- E-participation"))
        );
        assert_eq!(numbered("12."), Some((12, "")));
        assert_eq!(numbered("1.5 million"), None);
        assert_eq!(numbered("a) item"), None);
        assert_eq!(numbered("123456. x"), None);
    }

    #[test]
    fn normalising() {
        assert_eq!(norm("  **Is  there** any *"), "is there any");
        assert_eq!(norm("people’s — “x”"), "people's - \"x\"");
        assert_eq!(loose("- No."), "- no");
        assert_eq!(loose("No."), "no");
    }

    #[test]
    fn decoding() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb\rc").unwrap(), "a\nb\nc");
        let e = decode(b"ok\nab\xFFcd").unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        let e = decode(b"x\0").unwrap_err();
        assert_eq!((e.line, e.column), (1, 2));
    }

    #[test]
    fn chain_prefers_longest_then_earliest() {
        let c = |line, q| Candidate {
            line,
            q,
            text_line: line,
        };
        // q2 appears twice before q3: the earlier one is taken.
        let got = chain(&[c(0, 0), c(1, 1), c(2, 2), c(3, 2), c(4, 3)]);
        assert_eq!(
            got.iter().map(|c| c.line).collect::<Vec<_>>(),
            vec![0, 1, 2, 4]
        );
        // An out-of-sequence q1 inside q3's answer is not taken.
        let got = chain(&[c(0, 0), c(1, 1), c(2, 2), c(3, 1), c(4, 3)]);
        assert_eq!(
            got.iter().map(|c| c.line).collect::<Vec<_>>(),
            vec![0, 1, 2, 4]
        );
    }

    #[test]
    fn rules_are_escaped() {
        assert_eq!(escape_rule("-"), "\\-");
        assert_eq!(escape_rule("  ==="), "  \\===");
        assert_eq!(escape_rule("- item"), "- item");
        assert_eq!(escape_rule("a-"), "a-");
    }
}
