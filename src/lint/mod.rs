//! Staff checks: mistakes that are valid YAML and fit the content format, but are almost
//! never what the person meant, and that would otherwise be published in silence.
//!
//! - a field of an answer (`reviewed: true`, `note:`, ...) indented into the answer's text,
//!   where it becomes part of what readers see;
//! - a region outside the UN M49 list ([`m49`]), which would make a region page of its own;
//! - a grouping spelt like another one but not quite (`Asean` next to `ASEAN`);
//! - a `to_review` list the importer left in `country.yaml`;
//! - site settings that list the countries by hand and no longer match the content;
//! - a malformed `consent` record.
//!
//! Called from [`crate::validate::validate`]; each problem is a [`Diagnostic`] at the
//! file, line and column to change, with the fix in plain words.

pub mod m49;

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::PartialDate;
use crate::content::{AnswerFile, Content, CountryInfo, Loaded};
use crate::diagnostics::{Diagnostic, Pos};

/// The fields of an answer: a line of an answer's text that starts like one of them was
/// almost certainly meant as that field.
const ANSWER_FIELDS: &[&str] = &[
    "reviewed",
    "note",
    "inferred",
    "choice",
    "other",
    "no_answer",
    "text",
];

/// Every staff check over the whole content.
pub fn check(content: &Content) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &content.countries {
        for af in &c.answers {
            out.extend(fields_in_text(&content.root, af));
        }
        if let Some(info) = &c.info {
            out.extend(region(info));
            out.extend(to_review(info));
            out.extend(consent(info));
        }
    }
    out.extend(groupings(content));
    out.extend(site_country_list(content));
    out
}

/// The answer fields written inside a text (`text:` or `note:` block) of one answers file.
pub fn fields_in_text(root: &Path, af: &Loaded<AnswerFile>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The file's own lines, read only when a suspicious line is found, to point at it.
    let mut raw: Option<Vec<String>> = None;
    for (qid, a) in &af.value.answers {
        for (field, value) in [("text", &a.text), ("note", &a.note)] {
            let Some(value) = value else { continue };
            for line in value.lines() {
                let Some(name) = field_like(line) else {
                    continue;
                };
                let path = format!("answers.{qid}.{field}");
                let key_pos = af.spans.get(&path);
                let value_pos = af.spans.value(&path);
                let lines = raw.get_or_insert_with(|| {
                    crate::content::read_text(root, &af.file)
                        .map(|t| t.lines().map(str::to_string).collect())
                        .unwrap_or_default()
                });
                let at = lines
                    .iter()
                    .enumerate()
                    .skip(value_pos.line.saturating_sub(1))
                    .find(|(_, l)| l.trim() == line.trim())
                    .map(|(i, l)| Pos::new(i + 1, l.len() - l.trim_start().len() + 1))
                    .unwrap_or(value_pos);
                out.push(Diagnostic::new(
                    &af.file,
                    at,
                    format!(
                        "`{}` is indented too far: it has become part of the {field} of {qid}, and the page would show it to readers",
                        line.trim()
                    ),
                    format!(
                        "`{name}:` lined up with `{field}:` above it (starting in column {}), not with the lines of the {field}",
                        key_pos.column
                    ),
                ));
            }
        }
    }
    out
}

/// The field a line of text looks like (`reviewed: true` → `reviewed`), if any.
fn field_like(line: &str) -> Option<&'static str> {
    let t = line.trim();
    ANSWER_FIELDS.iter().copied().find(|f| {
        t.strip_prefix(f)
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|rest| {
                let v = rest.trim();
                match *f {
                    // `reviewed:` takes only true or false.
                    "reviewed" => v == "true" || v == "false",
                    // A block (`text: |-`) or a value after a space.
                    _ => rest.is_empty() || rest.starts_with(' '),
                }
            })
    })
}

fn region(info: &Loaded<CountryInfo>) -> Option<Diagnostic> {
    let r = info.value.region.trim();
    if r.is_empty() || m49::is_region(r) {
        return None;
    }
    let hint = match m49::suggest(r) {
        Some(s) => format!("did you mean `{s}`? "),
        None => String::new(),
    };
    Some(Diagnostic::new(
        &info.file,
        info.spans.value("region"),
        format!(
            "region `{r}` is not one of the UN M49 regions the site uses, so it would get a region page with only this country"
        ),
        format!(
            "{hint}a UN M49 sub-region or intermediate region, spelt as the UN spells it (the list is in docs/content-format.md, \"Regions\")"
        ),
    ))
}

fn to_review(info: &Loaded<CountryInfo>) -> Option<Diagnostic> {
    let left = &info.value.to_review;
    if left.is_empty() {
        return None;
    }
    let names: Vec<String> = left.iter().map(|f| format!("`{f}`")).collect();
    Some(Diagnostic::new(
        &info.file,
        info.spans.get("to_review"),
        format!(
            "`to_review` is still here: the importer listed {} for a person to fill in or check",
            names.join(", ")
        ),
        "those fields filled in and checked, then the whole `to_review:` line deleted",
    ))
}

fn consent(info: &Loaded<CountryInfo>) -> Option<Diagnostic> {
    let c = info.value.consent.as_ref()?;
    let date = c.date.as_ref()?;
    if PartialDate::from_value(date).is_some() {
        return None;
    }
    let shown = match date {
        crate::content::DateValue::Year(y) => y.to_string(),
        crate::content::DateValue::Text(s) => s.clone(),
    };
    Some(Diagnostic::new(
        &info.file,
        info.spans.value("consent.date"),
        format!(
            "the consent date `{shown}` is not a date: {}",
            crate::plain::date_problem(&shown)
        ),
        "the date the consent was given, as `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`)",
    ))
}

/// Letters and digits only, lower-cased: `Least-developed Countries` → `leastdevelopedcountries`.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether two different names are most likely one name spelt two ways.
fn near(a: &str, b: &str) -> bool {
    let (x, y) = (squash(a), squash(b));
    if x == y {
        return true;
    }
    let len = x.chars().count().max(y.chars().count());
    len >= 6 && strsim::damerau_levenshtein(&x, &y) <= (len / 10).max(2)
}

/// The candidate closest to `name` when it is similar enough (`threshold`, 0 to 1, on the
/// squashed forms), or when a candidate starts with `name` (`Latin America`).
pub fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    threshold: f64,
) -> Option<&'a str> {
    let n = squash(name);
    if n.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let s = squash(c);
        let mut score = strsim::normalized_damerau_levenshtein(&n, &s);
        if n.len() >= 5 && s.starts_with(&n) {
            score = score.max(threshold);
        }
        if score >= threshold && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

fn groupings(content: &Content) -> Vec<Diagnostic> {
    // name → (countries using it, the first use's position), in first-use order.
    let mut uses: BTreeMap<&str, Vec<(&Loaded<CountryInfo>, usize)>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for c in &content.countries {
        let Some(info) = &c.info else { continue };
        for (i, g) in info.value.groupings.iter().enumerate() {
            let g = g.as_str();
            if !uses.contains_key(g) {
                order.push(g);
            }
            uses.entry(g).or_default().push((info, i));
        }
    }
    let mut out = Vec::new();
    for (i, a) in order.iter().enumerate() {
        for b in &order[i + 1..] {
            if !near(a, b) {
                continue;
            }
            // The name fewer countries use is the odd one out; on a tie, either may be
            // the one meant, so both are reported.
            let (na, nb) = (uses[a].len(), uses[b].len());
            let mut pairs = Vec::new();
            if na <= nb {
                pairs.push((*a, *b));
            }
            if nb <= na {
                pairs.push((*b, *a));
            }
            for (odd, usual) in pairs {
                let by: Vec<&str> = uses[usual]
                    .iter()
                    .filter_map(|(info, _)| info.file.parent()?.file_name()?.to_str())
                    .collect();
                let expected = if na == nb {
                    format!("one spelling in every country.yaml, `{usual}` or `{odd}`")
                } else {
                    format!("`{usual}`, spelt the same way in every country.yaml")
                };
                for (info, j) in &uses[odd] {
                    out.push(Diagnostic::new(
                        &info.file,
                        info.spans.value(&format!("groupings.{j}")),
                        format!(
                            "grouping `{odd}` differs only in case or spelling from `{usual}` (used by {}), so it would get a page of its own",
                            by.join(", ")
                        ),
                        expected.clone(),
                    ));
                }
            }
        }
    }
    out
}

/// site.yaml's texts must not list the countries by hand: the footer lists them from the
/// answers files. A text that names some of the countries with answers but not all of them
/// was written for an older set of countries.
fn site_country_list(content: &Content) -> Vec<Diagnostic> {
    let names: Vec<&str> = content
        .countries
        .iter()
        .filter(|c| !c.answers.is_empty())
        .filter_map(|c| c.info.as_ref().map(|i| i.value.name.as_str()))
        .filter(|n| !n.trim().is_empty())
        .collect();
    let s = &content.site;
    let mut out = Vec::new();
    for (field, text) in [
        ("source", &s.value.source),
        ("description", &s.value.description),
    ] {
        let (named, missing): (Vec<&str>, Vec<&str>) =
            names.iter().partition(|n| text.contains(**n));
        if named.is_empty() || missing.is_empty() {
            continue;
        }
        let quote = |v: &[&str]| {
            v.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(Diagnostic::new(
            &s.file,
            s.spans.value(field),
            format!(
                "`{field}` names {} but not {}, which the site now also has answers from",
                quote(&named),
                quote(&missing)
            ),
            "no list of countries here: the footer lists the countries from their answers files, so delete the list (for example \"(Lao PDR, Cambodia)\")".to_string(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_that_look_like_fields() {
        assert_eq!(field_like("reviewed: true"), Some("reviewed"));
        assert_eq!(
            field_like("  note: checked with the ministry"),
            Some("note")
        );
        assert_eq!(field_like("choice: \"yes\""), Some("choice"));
        assert_eq!(field_like("text: |-"), Some("text"));
        assert_eq!(field_like("reviewed: by the ministry"), None);
        assert_eq!(field_like("Note: the portal moved"), None);
        assert_eq!(field_like("notes: x"), None);
        assert_eq!(field_like("https://example.org/"), None);
    }

    #[test]
    fn near_names() {
        assert!(near("ASEAN", "Asean"));
        assert!(near(
            "Least developed countries",
            "Least-developed countries"
        ));
        assert!(near(
            "Least developed countries",
            "Least developped countries"
        ));
        assert!(!near(
            "Least developed countries",
            "Landlocked developing countries"
        ));
        assert!(!near("OECD", "OPEC"));
        assert!(!near("G20", "G77"));
        assert!(!near("African Union", "European Union"));
    }
}
