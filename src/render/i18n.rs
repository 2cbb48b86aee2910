//! Interface strings per language, from the theme's `i18n/<lang>.yaml`. Every language
//! must define exactly the keys of the default language: a missing or extra key is a
//! `check` error, never a silent fallback to another language. Count messages are the
//! exception the plural rules make: a key `K` holds CLDR's "other" form, and `K_one`,
//! `K_few`, ... the forms a language's rules need (Russian `one few many`, Chinese none),
//! whatever the default language has.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::content::{read_text, yaml};
use crate::diagnostics::{Diagnostic, Pos};
use crate::render::locale::{self, LANGUAGES, PLURAL_SUFFIXES};

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
        fill_text(self.get(key), args)
    }

    /// The form of count message `key` for `n` in this language (`key_one`, `key_few`,
    /// ..., or `key` itself, CLDR's "other"), unfilled.
    pub fn plural_form<'a>(&'a self, key: &'a str, n: u64) -> &'a str {
        plural_form(&self.map, &self.lang, key, n)
    }

    /// Count message `key` for `n`: the language's form for `n`, with `{n}` written as
    /// the language writes numbers and the other placeholders filled from `args`.
    pub fn plural(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let n_text = self.number(n);
        let mut all = vec![("n", n_text.as_str())];
        all.extend_from_slice(args);
        fill_text(self.plural_form(key, n), &all)
    }

    /// A whole number as this language writes it.
    pub fn number(&self, n: u64) -> String {
        locale::get(&self.lang).integer(n)
    }

    /// "August 2022" in this language, as precise as the date given, from the keys
    /// `date_day_month_year` and `date_month_year` with `month_N` (a month named alone)
    /// and `month_N_day` (a month after a day number, "1 декабря"). The first of a month
    /// is written with `day_first` ("1" in English, "1er" in French).
    pub fn date(&self, d: &crate::content::PartialDate) -> String {
        let year = d.year.to_string();
        match (d.day, d.month) {
            (Some(day), Some(m)) => {
                let day = if day == 1 {
                    self.get("day_first").to_string()
                } else {
                    day.to_string()
                };
                self.fill(
                    "date_day_month_year",
                    &[
                        ("day", &day),
                        ("month", self.get(&format!("month_{m}_day"))),
                        ("year", &year),
                    ],
                )
            }
            (None, Some(m)) => self.fill(
                "date_month_year",
                &[("month", self.get(&format!("month_{m}"))), ("year", &year)],
            ),
            _ => year,
        }
    }
}

/// `text` with each `{name}` of `args` replaced by its value.
fn fill_text(text: &str, args: &[(&str, &str)]) -> String {
    let mut s = text.to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// The form of count message `key` for `n` among `map`, a language's strings.
pub fn plural_form<'a>(
    map: &'a BTreeMap<String, String>,
    lang: &str,
    key: &'a str,
    n: u64,
) -> &'a str {
    let category = locale::get(lang).plural(n);
    if category != "other" {
        if let Some(form) = map.get(&format!("{key}_{category}")) {
            return form;
        }
    }
    map.get(key).map(String::as_str).unwrap_or(key)
}

/// `key`'s count message and plural category when it is a variant (`n_answers_few` of
/// `n_answers`), given the keys that exist.
fn variant_of(key: &str, is_key: impl Fn(&str) -> bool) -> Option<(&str, &str)> {
    PLURAL_SUFFIXES.iter().find_map(|&cat| {
        let base = key.strip_suffix(cat)?.strip_suffix('_')?;
        is_key(base).then_some((base, cat))
    })
}

/// Where a site declares each of its languages (`content/site.yaml` and the position of
/// the language's entry), for errors about a language as such.
pub struct Declared<'a> {
    pub file: &'a Path,
    pub at: Vec<Pos>,
}

/// Load the strings of `languages` (the first is the default) from `<theme>/i18n/`.
/// `root` is the site root, for file names in messages; `declared` says where the site
/// lists each language, so that a language that cannot be had is reported there.
pub fn load(
    root: &Path,
    theme_dir: &Path,
    languages: &[String],
    declared: Option<&Declared>,
) -> Result<Vec<Strings>, Vec<Diagnostic>> {
    let rel_dir: PathBuf = theme_dir
        .strip_prefix(root)
        .unwrap_or(theme_dir)
        .join("i18n");
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    let at_declaration = |i: usize, rel: &Path, message: String, expected: String| match declared {
        Some(d) => Diagnostic::new(
            d.file,
            d.at.get(i).copied().unwrap_or(Pos::new(1, 1)),
            message,
            expected,
        ),
        None => Diagnostic::file(rel, message, expected),
    };
    for (i, lang) in languages.iter().enumerate() {
        let rel = rel_dir.join(format!("{lang}.yaml"));
        if !LANGUAGES.contains(&lang.as_str()) {
            errors.push(at_declaration(
                i,
                &rel,
                format!("`{lang}` is not an interface language egovsite has"),
                format!("one of the UN's six languages: {}", LANGUAGES.join(", ")),
            ));
            continue;
        }
        if !root.join(&rel).is_file() {
            errors.push(at_declaration(
                i,
                &rel,
                format!(
                    "no interface strings for language `{lang}`: {} does not exist",
                    rel.display()
                ),
                format!(
                    "a file {} translating every key of the default language, or `{lang}` left out of the languages",
                    rel.display()
                ),
            ));
            continue;
        }
        match read_text(root, &rel)
            .and_then(|t| yaml::parse::<BTreeMap<String, String>>(&t, &rel, 0).map(|p| (p, t)))
        {
            Ok((parsed, text)) => loaded.push((lang.clone(), rel, parsed, text.lines().count())),
            Err(e) => errors.push(e),
        }
    }
    // The other languages are checked against the default one, when it could be read.
    if loaded.first().map(|l| &l.0) != languages.first() {
        return if errors.is_empty() {
            Ok(Vec::new())
        } else {
            Err(errors)
        };
    }
    let Some((_, default_file, default, _)) = loaded.first() else {
        return Ok(Vec::new());
    };
    let is_default_key = |k: &str| default.value.contains_key(k);
    // Count messages: keys with a plural variant in any language.
    let counted: BTreeSet<&str> = loaded
        .iter()
        .flat_map(|(_, _, s, _)| s.value.keys())
        .filter_map(|k| variant_of(k, is_default_key).map(|(base, _)| base))
        .collect();
    for (n, (lang, file, strings, lines)) in loaded.iter().enumerate() {
        let rules = locale::get(lang);
        let end = Pos::new(lines + 1, 1);
        if n > 0 {
            for key in default.value.keys() {
                if variant_of(key, is_default_key).is_none() && !strings.value.contains_key(key) {
                    errors.push(Diagnostic::new(
                        file,
                        end,
                        format!("missing translation key `{key}`"),
                        format!("`{key}: ...` as in {}", default_file.display()),
                    ));
                }
            }
        }
        for key in strings.value.keys() {
            match variant_of(key, is_default_key) {
                Some((_, cat)) if !rules.known_variants().contains(&cat) => {
                    errors.push(Diagnostic::new(
                        file,
                        strings.spans.get(key),
                        format!("`{key}` is a `{cat}` plural form, which `{lang}` does not have"),
                        plural_expectation(lang),
                    ))
                }
                Some(_) => {}
                None if n > 0 && !is_default_key(key) => errors.push(Diagnostic::new(
                    file,
                    strings.spans.get(key),
                    format!("unknown translation key `{key}`"),
                    format!("only keys defined in {}", default_file.display()),
                )),
                None => {}
            }
        }
        for base in &counted {
            for cat in rules.needed_variants() {
                let key = format!("{base}_{cat}");
                if !strings.value.contains_key(&key) {
                    errors.push(Diagnostic::new(
                        file,
                        end,
                        format!("missing plural form `{key}`"),
                        format!("`{key}: ...`: {}", plural_expectation(lang)),
                    ));
                }
            }
        }
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
    Ok(loaded
        .into_iter()
        .map(|(lang, _, parsed, _)| Strings {
            lang,
            map: parsed.value,
        })
        .collect())
}

/// Which plural forms `lang` writes for each count message, said for a message.
fn plural_expectation(lang: &str) -> String {
    let needed = locale::get(lang).needed_variants();
    if needed.is_empty() {
        format!("`{lang}` writes each count message once, under its own key (no plural forms)")
    } else {
        format!(
            "`{lang}` writes each count message `K` (CLDR \"other\") with {} (its plural rules for whole numbers)",
            needed
                .iter()
                .map(|c| format!("`K_{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
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

    const DATE_KEYS: [(&str, &str); 2] = [
        ("date_day_month_year", "{day} {month} {year}"),
        ("date_month_year", "{month} {year}"),
    ];

    #[test]
    fn dates_are_written_in_the_page_language_and_no_more_precise_than_given() {
        let mut fr = DATE_KEYS.to_vec();
        fr.extend([
            ("month_12", "décembre"),
            ("month_12_day", "décembre"),
            ("month_11", "novembre"),
            ("day_first", "1er"),
        ]);
        let fr = strings("fr", &fr);
        let date = |year, month, day| PartialDate { year, month, day };
        assert_eq!(fr.date(&date(2026, Some(12), Some(2))), "2 décembre 2026");
        assert_eq!(fr.date(&date(2026, Some(12), Some(1))), "1er décembre 2026");
        assert_eq!(fr.date(&date(2021, Some(11), None)), "novembre 2021");
        assert_eq!(fr.date(&date(2022, None, None)), "2022");
        let mut en = DATE_KEYS.to_vec();
        en.extend([
            ("month_12", "December"),
            ("month_12_day", "December"),
            ("day_first", "1"),
        ]);
        let en = strings("en", &en);
        assert_eq!(en.date(&date(2026, Some(12), Some(1))), "1 December 2026");
        assert_eq!(
            en.date(&date(12026, Some(12), None)),
            "December 12026",
            "no grouping"
        );
    }

    #[test]
    fn a_russian_date_names_the_month_in_the_genitive_after_a_day() {
        let ru = strings(
            "ru",
            &[
                ("date_day_month_year", "{day} {month} {year} г."),
                ("date_month_year", "{month} {year} г."),
                ("month_12", "декабрь"),
                ("month_12_day", "декабря"),
                ("day_first", "1"),
            ],
        );
        let date = |year, month, day| PartialDate { year, month, day };
        assert_eq!(ru.date(&date(2026, Some(12), Some(1))), "1 декабря 2026 г.");
        assert_eq!(
            ru.date(&date(2026, Some(12), Some(15))),
            "15 декабря 2026 г."
        );
        assert_eq!(ru.date(&date(2026, Some(12), None)), "декабрь 2026 г.");
    }

    #[test]
    fn count_messages_take_the_form_of_the_language_and_fall_back_to_other() {
        let ru = strings(
            "ru",
            &[
                ("n_answers", "{n} ответа"),
                ("n_answers_one", "{n} ответ"),
                ("n_answers_few", "{n} ответа"),
                ("n_answers_many", "{n} ответов"),
            ],
        );
        let forms: Vec<String> = [1, 3, 5, 21, 1234]
            .iter()
            .map(|&n| ru.plural("n_answers", n, &[]))
            .collect();
        assert_eq!(
            forms,
            [
                "1 ответ",
                "3 ответа",
                "5 ответов",
                "21 ответ",
                "1\u{a0}234 ответа"
            ]
        );
        let ar = strings(
            "ar",
            &[
                ("n", "other {n}"),
                ("n_zero", "zero {n}"),
                ("n_one", "one {n}"),
                ("n_two", "two {n}"),
                ("n_few", "few {n}"),
                ("n_many", "many {n}"),
            ],
        );
        let forms: Vec<String> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|&n| ar.plural("n", n, &[]))
            .collect();
        assert_eq!(
            forms,
            ["zero 0", "one 1", "two 2", "few 3", "many 11", "other 100"]
        );
        // French "one" is 0 and 1; a language without the variant uses the key itself.
        let fr = strings(
            "fr",
            &[
                ("n_answers", "{n} réponses"),
                ("n_answers_one", "{n} réponse"),
            ],
        );
        assert_eq!(fr.plural("n_answers", 0, &[]), "0 réponse");
        assert_eq!(fr.plural("n_answers", 2, &[]), "2 réponses");
        let zh = strings("zh", &[("n_answers", "{n} 个回答")]);
        assert_eq!(zh.plural("n_answers", 1, &[]), "1 个回答");
        assert_eq!(
            fr.plural("n_answers", 1, &[("label", "x")]),
            "1 réponse",
            "other placeholders filled too"
        );
    }

    /// A theme folder with the given language files, under a fresh site root.
    fn theme(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let i18n = dir.path().join("themes/default/i18n");
        std::fs::create_dir_all(&i18n).unwrap();
        for (lang, text) in files {
            std::fs::write(i18n.join(format!("{lang}.yaml")), text).unwrap();
        }
        dir
    }

    fn load_langs(dir: &Path, langs: &[&str]) -> Result<Vec<Strings>, Vec<Diagnostic>> {
        let langs: Vec<String> = langs.iter().map(|s| s.to_string()).collect();
        let declared = Declared {
            file: Path::new("content/site.yaml"),
            at: (0..langs.len()).map(|i| Pos::new(4, 13 + 4 * i)).collect(),
        };
        load(dir, &dir.join("themes/default"), &langs, Some(&declared))
    }

    const EN: &str = "title: Title\nn_answers: \"{n} answers\"\nn_answers_one: \"{n} answer\"\n";

    #[test]
    fn each_language_writes_the_plural_forms_its_rules_need() {
        let ok = theme(&[
            ("en", EN),
            ("zh", "title: 标题\nn_answers: \"{n} 个回答\"\n"),
            (
                "ru",
                "title: Заголовок\nn_answers: \"{n} ответа\"\nn_answers_one: \"{n} ответ\"\nn_answers_few: \"{n} ответа\"\nn_answers_many: \"{n} ответов\"\n",
            ),
        ]);
        let loaded = load_langs(ok.path(), &["en", "zh", "ru"]).expect("valid");
        assert_eq!(loaded[2].plural("n_answers", 5, &[]), "5 ответов");

        let missing = theme(&[
            ("en", EN),
            (
                "ru",
                "title: Заголовок\nn_answers: \"{n} ответа\"\nn_answers_one: \"{n} ответ\"\nn_answers_few: \"{n} ответа\"\n",
            ),
        ]);
        let errors = load_langs(missing.path(), &["en", "ru"]).unwrap_err();
        let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert_eq!(errors.len(), 1, "{text:?}");
        assert!(
            text[0].contains("themes/default/i18n/ru.yaml:5:1")
                && text[0].contains("missing plural form `n_answers_many`"),
            "{}",
            text[0]
        );

        let foreign = theme(&[
            ("en", EN),
            (
                "zh",
                "title: 标题\nn_answers: \"{n} 个回答\"\nn_answers_one: \"{n} 个回答\"\n",
            ),
        ]);
        let errors = load_langs(foreign.path(), &["en", "zh"]).unwrap_err();
        assert!(
            errors[0].to_string().contains("i18n/zh.yaml:3:1")
                && errors[0].to_string().contains("`one` plural form"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn a_language_outside_the_six_or_without_strings_is_an_error_where_the_site_lists_it() {
        let dir = theme(&[("en", EN)]);
        let errors = load_langs(dir.path(), &["en", "de", "es"]).unwrap_err();
        let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].contains("content/site.yaml:4:17")
                && text[0].contains("`de` is not an interface language"),
            "{}",
            text[0]
        );
        assert!(text[0].contains("ar, en, es, fr, ru, zh"), "{}", text[0]);
        assert!(
            text[1].contains("content/site.yaml:4:21")
                && text[1].contains("no interface strings for language `es`"),
            "{}",
            text[1]
        );
    }
}
