//! What differs between interface languages beyond their strings, from the Unicode CLDR
//! through ICU4X: which plural form a count takes (`icu_plurals`), how numbers are written
//! (`icu_decimal`: grouping and decimal separators) and how names sort (`icu_collator`).
//!
//! Arabic pages write numbers with Western digits (`ar-u-nu-latn`), so that figures read
//! as in the data files, the CSV and the sources quoted.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Mutex, OnceLock};

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};

/// The interface languages a site may list: the six official languages of the UN.
pub const LANGUAGES: [&str; 6] = ["ar", "en", "es", "fr", "ru", "zh"];

/// The suffixes of plural variants of a message key, in CLDR's order (`other` is the key
/// itself).
pub const PLURAL_SUFFIXES: [&str; 5] = ["zero", "one", "two", "few", "many"];

/// One language's rules and formatters, made once.
pub struct Rules {
    plurals: PluralRules,
    decimal: DecimalFormatter,
    collator: CollatorBorrowed<'static>,
}

/// The BCP 47 locale ICU4X is asked for: Arabic with Western digits.
fn locale_id(lang: &str) -> Locale {
    let tag = if lang == "ar" { "ar-u-nu-latn" } else { lang };
    Locale::from_str(tag).unwrap_or(Locale::UNKNOWN)
}

/// The rules and formatters of `lang` (an interface language; any other tag gets CLDR's
/// root data).
pub fn get(lang: &str) -> &'static Rules {
    static MADE: OnceLock<Mutex<HashMap<String, &'static Rules>>> = OnceLock::new();
    let mut made = MADE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(l) = made.get(lang) {
        return l;
    }
    let id = locale_id(lang);
    let l: &'static Rules = Box::leak(Box::new(Rules {
        plurals: PluralRules::try_new_cardinal((&id).into())
            .or_else(|_| PluralRules::try_new_cardinal(Default::default()))
            .expect("CLDR root plural rules are compiled in"),
        decimal: DecimalFormatter::try_new((&id).into(), Default::default())
            .or_else(|_| DecimalFormatter::try_new(Default::default(), Default::default()))
            .expect("CLDR root decimal symbols are compiled in"),
        collator: Collator::try_new((&id).into(), CollatorOptions::default())
            .or_else(|_| Collator::try_new(Default::default(), CollatorOptions::default()))
            .expect("CLDR root collation is compiled in"),
    }));
    made.insert(lang.to_string(), l);
    l
}

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

impl Rules {
    /// The CLDR plural category of the whole number `n`: "one", "few", "other", ...
    pub fn plural(&self, n: u64) -> &'static str {
        category_name(self.plurals.category_for(n))
    }

    /// The categories other than "other" that whole numbers from 0 to 1000 fall in: the
    /// variants a language file must write for each count message.
    pub fn needed_variants(&self) -> Vec<&'static str> {
        let mut seen: Vec<&'static str> = (0..=1000u64)
            .map(|n| self.plural(n))
            .filter(|c| *c != "other")
            .collect();
        seen.sort_by_key(|c| PLURAL_SUFFIXES.iter().position(|s| s == c));
        seen.dedup();
        seen
    }

    /// Every category the language's rules have (some only for millions or fractions).
    pub fn known_variants(&self) -> Vec<&'static str> {
        self.plurals
            .categories()
            .map(category_name)
            .filter(|c| *c != "other")
            .collect()
    }

    /// A whole number as the language writes it ("1,234", "1 234", "1.234").
    pub fn integer(&self, n: u64) -> String {
        self.decimal.format_to_string(&Decimal::from(n))
    }

    /// A number written in content or computed ("0.3288", "-2.5") in the language's
    /// notation, keeping exactly its digits; text that is not a number is returned as is.
    pub fn decimal(&self, written: &str) -> String {
        match Decimal::from_str(written) {
            Ok(d) => self.decimal.format_to_string(&d),
            Err(_) => written.to_string(),
        }
    }

    /// How two names sort for readers of this language.
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_counts_take_one_few_and_many() {
        let ru = get("ru");
        assert_eq!(ru.plural(1), "one");
        assert_eq!(ru.plural(3), "few");
        assert_eq!(ru.plural(5), "many");
        assert_eq!(ru.plural(21), "one");
        assert_eq!(ru.plural(11), "many");
        assert_eq!(ru.needed_variants(), ["one", "few", "many"]);
    }

    #[test]
    fn arabic_counts_take_all_six_forms() {
        let ar = get("ar");
        let forms: Vec<&str> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|&n| ar.plural(n))
            .collect();
        assert_eq!(forms, ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!(ar.needed_variants(), ["zero", "one", "two", "few", "many"]);
    }

    #[test]
    fn french_one_covers_zero_and_one_and_chinese_has_no_variant() {
        let fr = get("fr");
        assert_eq!(
            (fr.plural(0), fr.plural(1), fr.plural(2)),
            ("one", "one", "other")
        );
        assert_eq!(fr.needed_variants(), ["one"]);
        assert!(fr.known_variants().contains(&"many"), "millions");
        assert_eq!(get("en").needed_variants(), ["one"]);
        assert_eq!(get("es").needed_variants(), ["one"]);
        assert!(get("zh").needed_variants().is_empty());
        assert_eq!(get("zh").plural(1), "other");
    }

    #[test]
    fn numbers_are_written_per_language_with_western_digits_in_arabic() {
        assert_eq!(get("en").integer(1234567), "1,234,567");
        assert_eq!(get("fr").integer(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(get("es").integer(1234567), "1.234.567");
        // Spanish groups only from five digits (CLDR minimum grouping digits).
        assert_eq!(get("es").integer(1234), "1234");
        assert_eq!(get("ru").integer(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(get("zh").integer(1234567), "1,234,567");
        assert_eq!(get("ar").integer(1234567), "1,234,567");
        assert_eq!(get("en").decimal("0.3288"), "0.3288");
        assert_eq!(get("fr").decimal("0.3288"), "0,3288");
        assert_eq!(get("ru").decimal("0.50"), "0,50", "written precision kept");
        assert_eq!(get("ar").decimal("0.5539"), "0.5539");
        assert_eq!(get("en").decimal("167"), "167");
    }

    #[test]
    fn names_sort_by_the_language_not_by_bytes() {
        let fr = get("fr");
        let mut names = vec!["Zambie", "Égypte", "Espagne", "Éthiopie", "Allemagne"];
        names.sort_by(|a, b| fr.compare(a, b));
        assert_eq!(
            names,
            ["Allemagne", "Égypte", "Espagne", "Éthiopie", "Zambie"]
        );
        let es = get("es");
        let mut names = vec!["Nueva Zelandia", "Níger", "Ñandú", "Noruega", "Oman"];
        names.sort_by(|a, b| es.compare(a, b));
        assert_eq!(
            names,
            ["Níger", "Noruega", "Nueva Zelandia", "Ñandú", "Oman"]
        );
    }
}
