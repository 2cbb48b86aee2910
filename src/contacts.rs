//! Personal data kept out of the repository: respondents' names and e-mail addresses live
//! in a private file beside the answers file, `content/countries/<slug>/<edition>.contacts.yaml`,
//! which the site's `.gitignore` excludes (`egovsite new` writes that line, and this
//! repository has it too). The committed answers file carries none.
//!
//! When the private file is present its entries are the answers file's `contacts`
//! (published only with `publish_contacts: true`); when it is absent, the site builds
//! without them. [`warnings`] finds e-mail addresses and `contacts:` blocks in the files
//! that are committed.

use std::fs;
use std::path::{Path, PathBuf};

use crate::content::{yaml, AnswerFile, Loaded};
use crate::diagnostics::{Diagnostic, Pos};

/// The ending of private contacts files.
pub const SUFFIX: &str = ".contacts.yaml";

/// The line that keeps private contacts files out of git (in `.gitignore`).
pub const GITIGNORE_LINE: &str = "*.contacts.yaml";

/// Whether `path` is a private contacts file.
pub fn is_private(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(SUFFIX))
}

/// The private contacts file of the answers file `answers` (both relative to the site root):
/// `content/countries/lao-pdr/msq-2022.yaml` → `content/countries/lao-pdr/msq-2022.contacts.yaml`.
pub fn private_file(answers: &Path) -> PathBuf {
    let stem = answers
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    answers.with_file_name(format!("{stem}{SUFFIX}"))
}

/// Add the entries of the answers file's private contacts file, when there is one, to its
/// `contacts` (an entry of the private file wins over one of the same question in the
/// answers file).
pub fn attach(root: &Path, af: &mut Loaded<AnswerFile>) -> Result<(), Diagnostic> {
    let rel = private_file(&af.file);
    if !root.join(&rel).is_file() {
        return Ok(());
    }
    let text = crate::content::read_text(root, &rel)?;
    let parsed = yaml::parse::<Option<std::collections::BTreeMap<String, String>>>(&text, &rel, 0)?;
    for (qid, value) in parsed.value.unwrap_or_default() {
        let id_ok =
            qid.len() > 1 && qid.starts_with('q') && qid[1..].bytes().all(|b| b.is_ascii_digit());
        if !id_ok {
            return Err(Diagnostic::new(
                &rel,
                parsed.spans.get(&qid),
                format!("`{qid}` is not a question id"),
                "one line per contact question, `q2: Name` or `q5: name@example.org`",
            ));
        }
        af.value.contacts.insert(qid, value);
    }
    Ok(())
}

/// The comment at the top of a private contacts file, for the country `country`.
pub fn header(country: &str) -> String {
    let country: String = country.chars().filter(|c| !c.is_control()).collect();
    format!(
        "# Personal data: the names and e-mail addresses of the people who answered for {country}.\n\
         # Not committed: the site's .gitignore excludes *.contacts.yaml, so this file stays on\n\
         # this computer (keep a copy in the team's private storage). The site shows these only\n\
         # when site.yaml sets publish_contacts: true, and builds without them when the file is absent.\n"
    )
}

/// Problems worth a warning in the files that are committed (every file under `content/`
/// but the private contacts files): e-mail addresses, which anyone can read on GitHub
/// once the repository is public, and answers files that still keep a `contacts:` block.
pub fn warnings(root: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let content = root.join("content");
    for entry in walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() || is_private(entry.path()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let is_text = rel
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "md" | "txt" | "csv" | "json" | "html"));
        if !is_text {
            continue;
        }
        let Ok(text) = fs::read_to_string(entry.path()) else {
            continue;
        };
        let in_countries = rel.starts_with("content/countries");
        let mut lines = text.lines().enumerate().peekable();
        while let Some((i, line)) = lines.next() {
            if in_countries && line.starts_with("contacts:") && line.trim_end() != "contacts: {}" {
                let has_entries = line.trim_end().len() > "contacts:".len()
                    || lines.peek().is_some_and(|(_, next)| next.starts_with(' '));
                if has_entries {
                    out.push(Diagnostic::new(
                        rel,
                        Pos::new(i + 1, 1),
                        "respondents' names and addresses are kept in the answers file, which is committed to the repository",
                        format!(
                            "them moved to {} beside it (not committed; see the staff guide, \"Where contacts live\")",
                            private_file(rel).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
                        ),
                    ));
                }
            }
            for (col, address) in emails(line) {
                out.push(Diagnostic::new(
                    rel,
                    Pos::new(i + 1, col),
                    format!("an e-mail address (`{address}`) in a file that is committed to the repository, where anyone can read it once the repository is public"),
                    format!("a person's contacts in the private {SUFFIX} file beside the answers (see the staff guide, \"Where contacts live\"); an organisation's public address can stay"),
                ));
            }
        }
    }
    out
}

/// The e-mail addresses in `line`, with their 1-based columns (in characters).
fn emails(line: &str) -> Vec<(usize, String)> {
    let user_char = |c: char| c.is_alphanumeric() || "._%+-".contains(c);
    let host_char = |c: char| c.is_alphanumeric() || ".-".contains(c);
    let mut out = Vec::new();
    for (at, _) in line.match_indices('@') {
        let before = &line[..at];
        let user_start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| user_char(*c))
            .last()
            .map(|(i, _)| i);
        let Some(start) = user_start else { continue };
        let after = &line[at + 1..];
        let host_len: usize = after
            .chars()
            .take_while(|c| host_char(*c))
            .map(char::len_utf8)
            .sum();
        let host = after[..host_len].trim_end_matches(['.', '-']);
        let user = before[start..].trim_start_matches('.');
        let tld_ok = host.rsplit_once('.').is_some_and(|(name, tld)| {
            !name.is_empty() && tld.len() >= 2 && tld.chars().all(char::is_alphabetic)
        });
        if user.is_empty() || !tld_ok {
            continue;
        }
        let col = line[..line.len() - before[start..].len() - after.len() - 1]
            .chars()
            .count()
            + (before[start..].len() - user.len())
            + 1;
        out.push((col, format!("{user}@{host}")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_addresses_with_their_columns() {
        assert_eq!(
            emails("  q5: sonesavanh@mtc.gov.la"),
            [(7, "sonesavanh@mtc.gov.la".to_string())]
        );
        assert_eq!(
            emails("write to a.b-c@mptc.gov.kh. Thanks"),
            [(10, "a.b-c@mptc.gov.kh".to_string())]
        );
        assert!(emails("@handle and a@b and x@localhost and name [at] example.org").is_empty());
    }

    #[test]
    fn private_file_names() {
        let p = private_file(Path::new("content/countries/lao-pdr/msq-2022.yaml"));
        assert_eq!(
            p,
            Path::new("content/countries/lao-pdr/msq-2022.contacts.yaml")
        );
        assert!(is_private(&p));
        assert!(!is_private(Path::new(
            "content/countries/lao-pdr/msq-2022.yaml"
        )));
    }
}
