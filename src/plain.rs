//! Errors in plain words: what the YAML parser, the date check and the command line report
//! in programmer's terms, said in everyday words for the people who keep the content.
//!
//! Each message says what is wrong and where (the diagnostic's file:line:column), the
//! `expected` part says what to do, and the parser's own words follow in brackets for
//! whoever needs them (`(YAML parser: invalid type: boolean `true`, expected struct Answer)`).

use std::path::Path;

/// `(message, expected)` for a value serde_yaml could not read into the content's types.
/// `raw` is serde_yaml's text without its position: `answers.reviewed: invalid type:
/// boolean `true`, expected struct Answer`.
pub fn yaml_value_error(raw: &str) -> (String, String) {
    // serde_yaml puts the path of the value first: `answers.q7: unknown field ...`.
    let (path, core) = match raw.split_once(": ") {
        Some((p, rest)) if !p.contains(' ') && !p.is_empty() => (p, rest),
        _ => ("", raw),
    };
    let detail = format!(" (YAML parser: {raw})");
    let under = if path.is_empty() {
        " at the top of this file".to_string()
    } else {
        format!(" under `{}`", path_shown(path))
    };
    let (found, wanted) = match core.split_once(", expected ") {
        Some((f, w)) => (f, w),
        None => (core, ""),
    };
    if let Some(name) = between(found, "unknown field `", "`") {
        let fields = backticked(wanted);
        let hint = match crate::lint::closest(name, fields.iter().copied(), 0.5) {
            Some(f) => format!("did you mean `{f}`? "),
            None => String::new(),
        };
        let list = if fields.is_empty() {
            String::new()
        } else {
            format!(
                "the names that can be used here are {}",
                fields
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return (
            format!("`{name}` is not a name this file knows{under}, so its value would be lost: a misspelt name, or a line indented too far or not enough"),
            format!("{hint}{list}{detail}"),
        );
    }
    if let Some(name) = between(found, "missing field `", "`") {
        return (
            format!("`{name}` is missing{under}"),
            format!(
                "a line `{name}: ...` there (docs/content-format.md says what it holds){detail}"
            ),
        );
    }
    if let Some(value) = between(found, "unknown variant `", "`") {
        let values = backticked(wanted);
        let hint = match crate::lint::closest(value, values.iter().copied(), 0.5) {
            Some(v) => format!("did you mean `{v}`? "),
            None => String::new(),
        };
        return (
            format!(
                "`{value}` is not one of the values `{}` can take",
                path_shown(path)
            ),
            format!(
                "{hint}one of {}{detail}",
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if let Some(kind) = found.strip_prefix("invalid type: ") {
        let key = path.rsplit('.').next().unwrap_or(path);
        if wanted == "struct Answer" {
            let value = shown_value(kind);
            if key.starts_with('q') && key[1..].bytes().all(|b| b.is_ascii_digit()) {
                return (
                    format!("the answer to {key} is written on the same line as `{key}:`"),
                    format!("the answer's fields on the lines below, indented under `{key}:`, e.g. `choice: \"yes\"` or `text: |-` followed by the text{detail}"),
                );
            }
            return (
                format!("`{key}: {value}` is not indented under a question: at this level each line must be a question (`q7:`), so it reads as a question called `{key}`"),
                format!("`{key}:` indented under the question it belongs to, lined up with that question's `text:` or `choice:`{detail}"),
            );
        }
        return (
            format!(
                "`{}` holds {} where {} is needed",
                path_shown(path),
                kind_words(kind),
                kind_words(wanted)
            ),
            format!("{}{detail}", how_to_write(wanted)),
        );
    }
    (
        format!("this part of the file does not fit the content format{under}"),
        format!("the layout shown in docs/content-format.md{detail}"),
    )
}

/// The path of a value of the wrong kind in serde_yaml's text (`answers.reviewed` in
/// `answers.reviewed: invalid type: boolean ...`), to point at its name.
pub fn wrong_kind_path(raw: &str) -> Option<&str> {
    let (path, core) = raw.split_once(": ")?;
    (!path.is_empty() && !path.contains(' ') && core.starts_with("invalid type: ")).then_some(path)
}

/// `(message, expected)` for text that is not well-formed YAML. `info` is the parser's
/// description; `line` the text of the line it stopped at.
pub fn yaml_syntax_error(info: &str, line: &str) -> (String, String) {
    let detail = format!(" (YAML parser: {info})");
    if line.contains('\t') {
        return (
            "this line is indented with a tab character, which YAML does not allow".into(),
            format!("spaces instead of the tab (set your editor to insert spaces){detail}"),
        );
    }
    if info.contains("mapping values are not allowed") {
        return (
            "this line has a `: ` where YAML does not expect a new name: a text containing `: ` must be in quotes, or the line is indented differently from its neighbours".into(),
            format!("the text put in double quotes (\"...\") or in a `|-` block, and the line lined up with the lines around it{detail}"),
        );
    }
    if info.contains("did not find expected key")
        || info.contains("did not find expected '-'")
        || info.contains("block mapping")
    {
        return (
            "this line is not lined up with the lines around it".into(),
            format!("each name at the same indentation as the names beside it (count the spaces at the start of the lines){detail}"),
        );
    }
    if info.contains("could not find expected ':'") {
        return (
            "a line is missing its `:` (each line here is `name: value`)".into(),
            format!("`name: value`, or a text over several lines written as a `|-` block{detail}"),
        );
    }
    if info.contains("quoted scalar") || info.contains("unexpected end of stream") {
        return (
            "a quotation mark is opened and never closed".into(),
            format!("the closing quotation mark at the end of the text{detail}"),
        );
    }
    (
        "this line is not valid YAML".into(),
        format!("well-formed YAML: check indentation, colons and quotes{detail}"),
    )
}

/// Why `s` is not a date the site accepts: "there is no month 13".
pub fn date_problem(s: &str) -> String {
    const MONTHS: [&str; 12] = crate::content::MONTHS_EN;
    let parts: Vec<&str> = s.trim().split('-').collect();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if s.trim().is_empty() {
        return "it is empty".into();
    }
    if parts.len() > 3 || !parts.iter().all(|p| digits(p)) {
        return "dates are written as numbers, year first, with hyphens (5 August 2022 is `2022-08-05`)".into();
    }
    if parts[0].len() != 4 {
        return "the year needs four digits".into();
    }
    let year: i32 = parts[0].parse().unwrap_or(0);
    let Some(m) = parts.get(1) else {
        return "the year is not valid".into();
    };
    if m.len() != 2 {
        return format!("the month needs two digits (`{:0>2}`)", m);
    }
    let month: u32 = m.parse().unwrap_or(0);
    if !(1..=12).contains(&month) {
        return format!("there is no month {month}: months run from 01 to 12");
    }
    let Some(d) = parts.get(2) else {
        return "the month is not valid".into();
    };
    if d.len() != 2 {
        return format!("the day needs two digits (`{:0>2}`)", d);
    }
    let day: u32 = d.parse().unwrap_or(0);
    let last = match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    };
    let name = MONTHS[month as usize - 1];
    if day == 0 {
        return "there is no day 00: days start at 01".into();
    }
    if day > last {
        return format!("{name} {year} has only {last} days");
    }
    "it is not a date".into()
}

/// The error for a site folder that is not one (no `content/`), or `None` when it is.
pub fn not_a_site(root: &Path) -> Option<String> {
    if root.join("content").is_dir() {
        return None;
    }
    let shown = if root == Path::new(".") {
        "this folder".to_string()
    } else {
        format!("`{}`", root.display())
    };
    Some(format!(
        "{shown} is not a site's folder: it has no content/ folder. Run this in the site's folder (the one holding content/), or name that folder with --root, e.g. `egovsite check --root path/to/site`"
    ))
}

/// `answers.q7` as staff read it; serde's `questions[3]` stays as it is.
fn path_shown(path: &str) -> &str {
    if path.is_empty() {
        "this value"
    } else {
        path
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = s.strip_prefix(start)?;
    Some(&rest[..rest.find(end)?])
}

/// Every `name` in backticks in `s`.
fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// serde's "boolean `true`" → "true", "string \"yes\"" → "yes".
fn shown_value(kind: &str) -> String {
    if let Some(v) = between(kind, "boolean `", "`") {
        return v.to_string();
    }
    if let Some(rest) = kind.strip_prefix("string ") {
        return rest.trim_matches('"').to_string();
    }
    kind.to_string()
}

/// serde's names of kinds of values in everyday words.
fn kind_words(kind: &str) -> String {
    let k = kind.trim();
    if k.starts_with("boolean") || k == "a boolean" {
        "`true` or `false`".into()
    } else if let Some(v) = k.strip_prefix("string ") {
        format!("the text {v}")
    } else if k.starts_with("a string") {
        "a text".into()
    } else if k.starts_with("sequence") || k.starts_with("a sequence") {
        "a list".into()
    } else if k.starts_with("map") || k.starts_with("struct") || k.starts_with("a map") {
        "a group of indented lines".into()
    } else if k.starts_with("integer")
        || k.starts_with("i32")
        || k.starts_with("i64")
        || k.starts_with("u32")
        || k.starts_with("u64")
    {
        "a whole number".into()
    } else if k.starts_with("floating") || k.starts_with("f64") {
        "a number".into()
    } else if k.starts_with("unit") {
        "nothing".into()
    } else {
        k.to_string()
    }
}

fn how_to_write(wanted: &str) -> String {
    let w = wanted.trim();
    if w.starts_with("a sequence") {
        "a list: `[first, second]` on the same line, or one `- item` per line below".into()
    } else if w.starts_with("struct") || w.starts_with("a map") {
        "the fields on the lines below, indented".into()
    } else if w.starts_with("a string") {
        "text, in double quotes when it contains `:` or starts with a special character".into()
    } else if w.starts_with("a boolean") {
        "`true` or `false`".into()
    } else {
        format!("{} (see docs/content-format.md)", kind_words(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_say_what_is_wrong() {
        assert_eq!(
            date_problem("2022-13-01"),
            "there is no month 13: months run from 01 to 12"
        );
        assert_eq!(date_problem("2023-02-29"), "February 2023 has only 28 days");
        assert_eq!(date_problem("2022-04-31"), "April 2022 has only 30 days");
        assert_eq!(date_problem("2022-8"), "the month needs two digits (`08`)");
        assert_eq!(date_problem("22-08"), "the year needs four digits");
        assert!(date_problem("5 August 2022").contains("`2022-08-05`"));
    }

    #[test]
    fn value_errors_in_plain_words() {
        let (m, e) = yaml_value_error(
            "answers.reviewed: invalid type: boolean `true`, expected struct Answer",
        );
        assert!(
            m.starts_with("`reviewed: true` is not indented under a question"),
            "{m}"
        );
        assert!(e.ends_with("(YAML parser: answers.reviewed: invalid type: boolean `true`, expected struct Answer)"), "{e}");
        let (m, e) = yaml_value_error(
            "unknown field `oficial_name`, expected one of `name`, `official_name`, `iso3`",
        );
        assert!(
            m.starts_with("`oficial_name` is not a name this file knows at the top of this file"),
            "{m}"
        );
        assert!(e.starts_with("did you mean `official_name`?"), "{e}");
        let (m, _) =
            yaml_value_error("groupings: invalid type: string \"ASEAN\", expected a sequence");
        assert_eq!(
            m,
            "`groupings` holds the text \"ASEAN\" where a list is needed"
        );
    }
}
