//! The one module that parses YAML (so the parser can be swapped in one place).
//!
//! Values are deserialised with serde_yaml; a second pass over yaml-rust2's event stream
//! records where every mapping key and sequence item starts, so later validation can point
//! at `file:line:column`. The event pass also rejects what staff never need and attackers
//! love: anchors/aliases (alias bombs), duplicate keys and absurd nesting.

use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::{Diagnostic, Pos};

/// Deepest nesting of mappings and sequences accepted in a content file.
pub const MAX_DEPTH: usize = 48;

/// Where each value of a YAML document starts, by dotted path (`answers.q39.choice`,
/// `questions.3.topic`). Mapping entries point at their key.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    positions: HashMap<String, Pos>,
    /// The first text value holding a [`forbidden_char`], and that character.
    control: Option<(Pos, char)>,
}

impl Spans {
    /// Position of `path`, or of its nearest recorded parent, or the start of the file.
    pub fn get(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return *pos;
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return self.positions.get("").copied().unwrap_or(Pos::START),
            }
        }
    }

    /// An error at the first text value (or key) of the file that holds a control
    /// character (see [`forbidden_char`]); content files are refused with it. Parsing
    /// itself keeps them, so that the importer can check what it wrote.
    pub fn refuse_control_chars(&self, file: &Path) -> Result<(), Diagnostic> {
        match self.control {
            None => Ok(()),
            Some((pos, c)) => Err(Diagnostic::new(
                file,
                pos,
                format!(
                    "text holds the control character U+{:04X}, which XML (the feed, the sitemap) cannot carry and terminals act on",
                    c as u32
                ),
                "text without control characters (tabs and line breaks are fine)",
            )),
        }
    }

    /// Position of the value (not the key) at `path`, when recorded.
    pub fn value(&self, path: &str) -> Pos {
        self.positions
            .get(&format!("{path}#value"))
            .copied()
            .unwrap_or_else(|| self.get(path))
    }
}

/// A deserialised value with the positions of its parts.
#[derive(Debug)]
pub struct Located<T> {
    pub value: T,
    pub spans: Spans,
}

/// Parse `src` (the text of `file`, or an embedded part of it starting after
/// `lines_before` lines) into `T`.
pub fn parse<T: DeserializeOwned>(
    src: &str,
    file: &Path,
    lines_before: usize,
) -> Result<Located<T>, Diagnostic> {
    let spans = scan(src, file, lines_before)?;
    match serde_yaml::from_str::<T>(src) {
        Ok(value) => Ok(Located { value, spans }),
        Err(err) => Err(serde_error(&err, file, lines_before, Some(&spans))),
    }
}

/// Parse `src` into a generic value tree, after the same checks as [`parse`] (aliases,
/// duplicate keys). No command reads YAML loosely: the tests use it to try those checks on
/// YAML of any shape.
#[cfg(test)]
fn parse_value(src: &str, file: &Path) -> Result<serde_yaml::Value, Diagnostic> {
    scan(src, file, 0)?;
    serde_yaml::from_str(src).map_err(|e| serde_error(&e, file, 0, None))
}

fn serde_error(
    err: &serde_yaml::Error,
    file: &Path,
    lines_before: usize,
    spans: Option<&Spans>,
) -> Diagnostic {
    let mut pos = err
        .location()
        .map(|l| Pos::new(l.line(), l.column()))
        .unwrap_or(Pos::START)
        .below(lines_before);
    let mut text = err.to_string();
    if let Some(i) = text.find(" at line ") {
        text.truncate(i);
    }
    // A value of the wrong kind: point at its name (`reviewed:`), which is what to move.
    if let (Some(spans), Some(path)) = (spans, crate::plain::wrong_kind_path(&text)) {
        pos = spans.get(path);
    }
    // In plain words first, serde's own words after (src/plain.rs).
    let (message, expected) = crate::plain::yaml_value_error(&text);
    Diagnostic::new(file, pos, message, expected)
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        seen: HashMap<String, Pos>,
    },
    Seq {
        path: String,
        index: usize,
    },
}

struct Recorder<'a> {
    file: &'a Path,
    lines_before: usize,
    stack: Vec<Frame>,
    spans: Spans,
    error: Option<Diagnostic>,
}

fn join(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.to_string()
    } else {
        format!("{path}.{part}")
    }
}

impl Recorder<'_> {
    fn pos(&self, mark: &Marker) -> Pos {
        Pos::new(mark.line(), mark.col() + 1).below(self.lines_before)
    }

    fn fail(&mut self, pos: Pos, message: String, expected: &str) {
        if self.error.is_none() {
            self.error = Some(Diagnostic::new(self.file, pos, message, expected));
        }
    }

    /// A value (scalar or container) starts here: return its path and record it.
    fn value_path(&mut self, pos: Pos) -> Option<String> {
        let path = match self.stack.last_mut() {
            None => String::new(),
            Some(Frame::Seq { path, index }) => {
                let p = join(path, &index.to_string());
                *index += 1;
                self.spans.positions.insert(p.clone(), pos);
                p
            }
            Some(Frame::Map { path, key, .. }) => {
                let k = key.take()?;
                join(path, &k)
            }
        };
        self.spans.positions.insert(format!("{path}#value"), pos);
        Some(path)
    }
}

impl MarkedEventReceiver for Recorder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let pos = self.pos(&mark);
        match ev {
            Event::Alias(_) => self.fail(
                pos,
                "YAML aliases (*name) are not supported".into(),
                "each value written out in full",
            ),
            Event::Scalar(_, _, anchor, _) if anchor > 0 => self.fail(
                pos,
                "YAML anchors (&name) are not supported".into(),
                "each value written out in full",
            ),
            Event::Scalar(text, ..) => {
                if self.spans.control.is_none() {
                    if let Some(c) = text.chars().find(|&c| forbidden_char(c)) {
                        self.spans.control = Some((pos, c));
                    }
                }
                if let Some(Frame::Map { path, key, seen }) = self.stack.last_mut() {
                    if key.is_none() {
                        let full = join(path, &text);
                        if let Some(first) = seen.get(&text) {
                            let message = format!(
                                "duplicate key `{text}` (first given at line {})",
                                first.line
                            );
                            self.fail(
                                pos,
                                message,
                                "each question or field once: keep one of the two, with what both hold merged into it",
                            );
                            return;
                        }
                        seen.insert(text.clone(), pos);
                        self.spans.positions.insert(full, pos);
                        *key = Some(text);
                        return;
                    }
                }
                self.value_path(pos);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) if anchor > 0 => self
                .fail(
                    pos,
                    "YAML anchors (&name) are not supported".into(),
                    "each value written out in full",
                ),
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(
                        pos,
                        format!("YAML nested deeper than {MAX_DEPTH} levels"),
                        "a flatter structure",
                    );
                    return;
                }
                let is_map = matches!(ev, Event::MappingStart(..));
                if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
                    self.fail(
                        pos,
                        "a mapping or list used as a key".into(),
                        "plain text keys",
                    );
                    return;
                }
                let path = self.value_path(pos).unwrap_or_default();
                self.stack.push(if is_map {
                    Frame::Map {
                        path,
                        key: None,
                        seen: HashMap::new(),
                    }
                } else {
                    Frame::Seq { path, index: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Characters no text value may hold: control characters other than tab and line breaks
/// (written escaped, as `"\u0001"`, they reach the feed and sitemap, which XML 1.0 forbids,
/// and the terminal in messages), DEL and the C1 controls, and the non-characters U+FFFE
/// and U+FFFF, also not allowed in XML.
pub fn forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

fn scan(src: &str, file: &Path, lines_before: usize) -> Result<Spans, Diagnostic> {
    let mut rec = Recorder {
        file,
        lines_before,
        stack: Vec::new(),
        spans: Spans::default(),
        error: None,
    };
    rec.spans
        .positions
        .insert(String::new(), Pos::START.below(lines_before));
    let mut parser = Parser::new_from_str(src);
    if let Err(e) = parser.load(&mut rec, false) {
        let m = e.marker();
        let line = src.lines().nth(m.line().saturating_sub(1)).unwrap_or("");
        let (message, expected) = crate::plain::yaml_syntax_error(e.info(), line);
        return Err(Diagnostic::new(
            file,
            Pos::new(m.line(), m.col() + 1).below(lines_before),
            message,
            expected,
        ));
    }
    match rec.error {
        Some(d) => Err(d),
        None => Ok(rec.spans),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Doc {
        a: std::collections::BTreeMap<String, String>,
    }

    #[test]
    fn positions_point_at_keys() {
        let src = "a:\n  x: one\n  yy: two\n";
        let got: Located<Doc> = parse(src, Path::new("f.yaml"), 0).unwrap();
        assert_eq!(got.spans.get("a.yy"), Pos::new(3, 3));
        assert_eq!(got.spans.value("a.yy"), Pos::new(3, 7));
        assert_eq!(got.spans.get("a.missing.deeper"), Pos::new(1, 1));
    }

    #[test]
    fn duplicate_keys_are_refused_with_both_lines() {
        let err = parse::<Doc>("a:\n  x: 1\n  x: 2\n", Path::new("f.yaml"), 0).unwrap_err();
        assert_eq!((err.line, err.column), (3, 3));
        assert!(err.message.contains("duplicate key `x`"), "{}", err.message);
        assert!(err.message.contains("line 2"));
    }

    #[test]
    fn aliases_are_refused() {
        let src = "a: &x [1, 2]\nb: [*x, *x]\n";
        let err = parse_value(src, Path::new("bomb.yaml")).unwrap_err();
        assert!(err.message.contains("anchors") || err.message.contains("aliases"));
    }

    #[test]
    fn escaped_control_characters_are_refused_where_written() {
        for (src, code) in [
            ("a:\n  x: \"bell\\u0007\"\n", "U+0007"),
            ("a:\n  x: \"esc \\e[31m\"\n", "U+001B"),
            ("a:\n  x: \"\\x85\"\n", "U+0085"),
            ("a:\n  x: \"\\uFFFE\"\n", "U+FFFE"),
        ] {
            let parsed = parse::<Doc>(src, Path::new("f.yaml"), 0).unwrap();
            let err = parsed
                .spans
                .refuse_control_chars(Path::new("f.yaml"))
                .unwrap_err();
            assert_eq!((err.line, err.column), (2, 6), "{src}: {err}");
            assert!(err.message.contains(code), "{src}: {err}");
        }
        let ok = parse::<Doc>("a:\n  x: \"tab\\tand\\nline\"\n", Path::new("f.yaml"), 0);
        assert!(ok
            .unwrap()
            .spans
            .refuse_control_chars(Path::new("f.yaml"))
            .is_ok());
    }

    #[test]
    fn syntax_errors_carry_a_position_shifted_by_front_matter() {
        let err = parse::<Doc>("a:\n  x: [1, 2\n", Path::new("f.md"), 1).unwrap_err();
        assert!(err.line >= 2, "{err}");
        assert!(err.to_string().starts_with("f.md:"));
    }
}
