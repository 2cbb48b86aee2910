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
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            line,
            column,
            self.message
        )?;
        if !self.expected.is_empty() {
            write!(f, "; expected {}", self.expected)?;
        }
        Ok(())
    }
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
