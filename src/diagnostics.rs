//! Problems found in content, reported as `file:line:column: what is wrong; what was expected`.
//!
//! Every stage that reads content collects [`Diagnostic`]s instead of stopping at the first
//! one, so staff see all their mistakes in one run.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one content file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What was expected instead.
    pub expected: String,
}

impl Diagnostic {
    pub fn new(
        file: impl Into<PathBuf>,
        pos: Pos,
        message: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            expected: expected.into(),
        }
    }

    /// A problem with a whole file (unreadable, missing, too large).
    pub fn file(file: &Path, message: impl Into<String>, expected: impl Into<String>) -> Self {
        Diagnostic::new(file, Pos::START, message, expected)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.line.max(1);
        let column = self.column.max(1);
        // Messages quote content (and file names come from it): written escaped, so that
        // an escape sequence in a title cannot recolour, rewrite or hide terminal output.
        write!(
            f,
            "{}:{}:{}: {}",
            escape_terminal(&self.file.display().to_string()),
            line,
            column,
            escape_terminal(&self.message)
        )?;
        if !self.expected.is_empty() {
            write!(f, "; expected {}", escape_terminal(&self.expected))?;
        }
        Ok(())
    }
}

/// Whether a terminal would act on `c` instead of showing it: control characters (C0 but
/// tab, DEL, C1, among them ESC and the line breaks) and the invisible marks that reorder
/// or separate text (bidirectional overrides and isolates, line and paragraph separators).
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// `s` with every character a terminal would act on written visibly as an escape
/// (`\u{1b}`, `\n`), for printing text that comes from content. Other text is unchanged
/// and not copied.
pub fn escape_terminal(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(acts_on_terminal) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if acts_on_terminal(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A 1-based position in a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }

    /// Shift a position found in an embedded text (front matter) by the lines before it.
    pub fn below(self, lines_before: usize) -> Self {
        Pos {
            line: self.line + lines_before,
            column: self.column,
        }
    }
}

/// All problems of a run, sorted by file and position for stable output.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort();
        self.0.dedup();
        self.0
    }
}

/// The error a failed load/validate/build returns: every problem found.
#[derive(Debug)]
pub struct ContentErrors(pub Vec<Diagnostic>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for ContentErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_in_messages_cannot_drive_the_terminal() {
        let d = Diagnostic::new(
            "content/news/\u{1b}[2Jx.md",
            Pos::new(3, 8),
            "title `\u{1b}]0;owned\u{7}red\u{1b}[31m` \u{202e}txt.exe\nerror: fake",
            "no \u{9b}CSI",
        );
        let shown = d.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{shown:?}"
        );
        assert_eq!(
            shown,
            "content/news/\\u{1b}[2Jx.md:3:8: title `\\u{1b}]0;owned\\u{7}red\\u{1b}[31m` \\u{202e}txt.exe\\nerror: fake; expected no \\u{9b}CSI"
        );
        assert!(matches!(
            escape_terminal("plain\ttext é"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
