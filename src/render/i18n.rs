//! Interface strings per language, from the theme's `i18n/<lang>.yaml`. Every language
//! must define exactly the keys of the default language: a missing or extra key is a
//! `check` error, never a silent fallback to another language.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::{read_text, yaml};
use crate::diagnostics::{Diagnostic, Pos};

/// The strings of one language.
#[derive(Debug, Clone)]
pub struct Strings {
    pub lang: String,
    pub map: BTreeMap<String, String>,
}

impl Strings {
    /// The string for `key` (keys are checked at load time, so a miss is a theme bug).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The string for `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// "August 2022" in this language, as precise as the date given. The first of a
    /// month is written with `day_first` ("1" in English, "1er" in French).
    pub fn date(&self, d: &crate::content::PartialDate) -> String {
        let month = d.month.map(|m| self.get(&format!("month_{m}")).to_string());
        match (d.day, month) {
            (Some(1), Some(m)) => format!("{} {m} {}", self.get("day_first"), d.year),
            (Some(day), Some(m)) => format!("{day} {m} {}", d.year),
            (None, Some(m)) => format!("{m} {}", d.year),
            _ => d.year.to_string(),
        }
    }
}

/// Load the strings of `languages` (the first is the default) from `<theme>/i18n/`.
/// `root` is the site root, for file names in messages.
pub fn load(
    root: &Path,
    theme_dir: &Path,
    languages: &[String],
) -> Result<Vec<Strings>, Vec<Diagnostic>> {
    let rel_dir: PathBuf = theme_dir
        .strip_prefix(root)
        .unwrap_or(theme_dir)
        .join("i18n");
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for lang in languages {
        let rel = rel_dir.join(format!("{lang}.yaml"));
        if !root.join(&rel).is_file() {
            errors.push(Diagnostic::file(
                &rel,
                format!("no interface strings for language `{lang}`"),
                format!(
                    "a file {} translating every key of the default language",
                    rel.display()
                ),
            ));
            continue;
        }
        match read_text(root, &rel)
            .and_then(|t| yaml::parse::<BTreeMap<String, String>>(&t, &rel, 0).map(|p| (p, t)))
        {
            Ok((parsed, text)) => loaded.push((rel, parsed, text.lines().count())),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some((default_file, default, _)) = loaded.first() else {
        return Ok(Vec::new());
    };
    for (file, other, lines) in loaded.iter().skip(1) {
        for key in default.value.keys() {
            if !other.value.contains_key(key) {
                errors.push(Diagnostic::new(
                    file,
                    Pos::new(lines + 1, 1),
                    format!("missing translation key `{key}`"),
                    format!("`{key}: ...` as in {}", default_file.display()),
                ));
            }
        }
        for key in other.value.keys() {
            if !default.value.contains_key(key) {
                errors.push(Diagnostic::new(
                    file,
                    other.spans.get(key),
                    format!("unknown translation key `{key}`"),
                    format!("only keys defined in {}", default_file.display()),
                ));
            }
        }
    }
    for (file, strings, _) in &loaded {
        for (key, value) in &strings.value {
            if value.trim().is_empty() {
                errors.push(Diagnostic::new(
                    file,
                    strings.spans.get(key),
                    format!("empty translation for `{key}`"),
                    "a translated text",
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(languages
        .iter()
        .zip(loaded)
        .map(|(lang, (_, parsed, _))| Strings {
            lang: lang.clone(),
            map: parsed.value,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::PartialDate;

    fn strings(lang: &str, pairs: &[(&str, &str)]) -> Strings {
        Strings {
            lang: lang.into(),
            map: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn dates_are_written_in_the_page_language_and_no_more_precise_than_given() {
        let fr = strings(
            "fr",
            &[
                ("month_12", "décembre"),
                ("month_11", "novembre"),
                ("day_first", "1er"),
            ],
        );
        let date = |year, month, day| PartialDate { year, month, day };
        assert_eq!(fr.date(&date(2026, Some(12), Some(2))), "2 décembre 2026");
        assert_eq!(fr.date(&date(2026, Some(12), Some(1))), "1er décembre 2026");
        assert_eq!(fr.date(&date(2021, Some(11), None)), "novembre 2021");
        assert_eq!(fr.date(&date(2022, None, None)), "2022");
        let en = strings("en", &[("month_12", "December"), ("day_first", "1")]);
        assert_eq!(en.date(&date(2026, Some(12), Some(1))), "1 December 2026");
    }
}
