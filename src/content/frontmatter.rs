//! Splitting a Markdown document into its YAML front matter and body.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Pos};

/// Returns (front matter, body, number of lines before the body).
pub fn split<'a>(text: &'a str, file: &Path) -> Result<(&'a str, &'a str, usize), Diagnostic> {
    let rest =
        match text.strip_prefix("---\n") {
            Some(r) => r,
            None => return Err(Diagnostic::new(
                file,
                Pos::START,
                "document does not start with front matter",
                "a first line `---`, then YAML fields (title, date, language, source), then `---`",
            )),
        };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let fm = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok((fm, body, i + 2));
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        file,
        Pos::START,
        "front matter has no closing `---` line",
        "the front matter to end with a line `---` before the Markdown body",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let (fm, body, n) = split("---\ntitle: x\n---\nHello\n", Path::new("a.md")).unwrap();
        assert_eq!(fm, "title: x\n");
        assert_eq!(body, "Hello\n");
        assert_eq!(n, 3);
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        let e = split("---\ntitle: x\nbody\n", Path::new("a.md")).unwrap_err();
        assert!(e.message.contains("no closing"));
    }
}
