//! Country and region names in each interface language, and the order in which a page of
//! that language lists them.
//!
//! A country's `name` in `country.yaml` is its name in the site's default language, and
//! `names: {fr: ..., ar: ...}` may give it in others. Otherwise a page in one of the UN's
//! six languages shows the official short name of the UN Statistics Division's M49 table
//! (`m49_names.tsv`, whose header gives its source), found by ISO alpha-3 code; a country
//! the table does not have keeps its default name, marked with the default language.
//! Regions (the content's `region:`, an M49 sub-region or intermediate region written in
//! English) are named from the same table by their M49 code. Names sort by the page
//! language's collation (ICU4X), not by bytes.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::model::{Country, Group};
use crate::render::locale;

/// The M49 names table: `C`/`R`, the key, then the names in [`TABLE_LANGUAGES`] order.
const TABLE: &str = include_str!("m49_names.tsv");
const TABLE_LANGUAGES: [&str; 6] = ["ar", "en", "es", "fr", "ru", "zh"];

/// The table, parsed once: (kind, key) → names in [`TABLE_LANGUAGES`] order.
fn table() -> &'static HashMap<(&'static str, &'static str), [&'static str; 6]> {
    static PARSED: OnceLock<HashMap<(&str, &str), [&str; 6]>> = OnceLock::new();
    PARSED.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let cells: Vec<&str> = l.split('\t').collect();
                let names: [&str; 6] = cells.get(2..8)?.try_into().ok()?;
                Some(((cells[0], cells[1]), names))
            })
            .collect()
    })
}

fn m49(kind: &str, key: &str, lang: &str) -> Option<&'static str> {
    let column = TABLE_LANGUAGES.iter().position(|l| *l == lang)?;
    table().get(&(kind, key)).map(|names| names[column])
}

/// A country's or area's M49 name in `lang`, by ISO 3166-1 alpha-3 code.
pub fn m49_country(iso3: &str, lang: &str) -> Option<&'static str> {
    m49("C", iso3, lang)
}

/// A region's M49 name in `lang`, by its English M49 name (as content writes it).
pub fn m49_region(english: &str, lang: &str) -> Option<&'static str> {
    let (code, _, _) = crate::lint::m49::REGIONS
        .iter()
        .find(|(_, name, _)| *name == english)?;
    m49("R", code, lang)
}

/// A name as a page shows it. `lang` is set when the name is not in the page's language
/// (a default-language name standing in for a missing translation).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub lang: Option<String>,
}

/// The names of one language's pages.
#[derive(Debug, Clone)]
pub struct Names {
    pub lang: String,
    /// By index into `Site::countries`.
    pub countries: Vec<Name>,
    /// Indexes into `Site::countries`, in the language's order of names.
    pub country_order: Vec<usize>,
    /// By index into `Site::regions`.
    pub regions: Vec<Name>,
    /// Indexes into `Site::regions`, in the language's order of names.
    pub region_order: Vec<usize>,
    /// Indexes into `Site::groupings` (named as written), in the language's order.
    pub grouping_order: Vec<usize>,
    region_index: HashMap<String, usize>,
    /// Each country's index by slug.
    slug_index: HashMap<String, usize>,
    /// Each country's place in `country_order`.
    rank: Vec<usize>,
}

impl Names {
    /// The names for pages in `lang`, on a site whose default language is `default`.
    pub fn new(
        countries: &[Country],
        regions: &[Group],
        groupings: &[Group],
        default: &str,
        lang: &str,
    ) -> Names {
        let marked = |text: &str| Name {
            text: text.to_string(),
            lang: (lang != default).then(|| default.to_string()),
        };
        let country_names: Vec<Name> = countries
            .iter()
            .map(|c| {
                if let Some(own) = c.info.names.get(lang) {
                    return Name {
                        text: own.clone(),
                        lang: None,
                    };
                }
                if lang == default {
                    return marked(&c.info.name);
                }
                match m49_country(&c.info.iso3, lang) {
                    Some(n) => Name {
                        text: n.to_string(),
                        lang: None,
                    },
                    None => marked(&c.info.name),
                }
            })
            .collect();
        let region_names: Vec<Name> = regions
            .iter()
            .map(|g| match m49_region(&g.name, lang) {
                Some(n) if lang != default => Name {
                    text: n.to_string(),
                    lang: None,
                },
                _ => marked(&g.name),
            })
            .collect();
        let rules = locale::get(lang);
        let country_order = sorted_by_name(rules, country_names.len(), |i| &country_names[i].text);
        let region_order = sorted_by_name(rules, region_names.len(), |i| &region_names[i].text);
        let grouping_order = sorted_by_name(rules, groupings.len(), |i| &groupings[i].name);
        let mut rank = vec![0; countries.len()];
        for (place, &ci) in country_order.iter().enumerate() {
            rank[ci] = place;
        }
        Names {
            lang: lang.to_string(),
            countries: country_names,
            country_order,
            regions: region_names,
            region_order,
            grouping_order,
            region_index: regions
                .iter()
                .enumerate()
                .map(|(i, g)| (g.name.clone(), i))
                .collect(),
            slug_index: countries
                .iter()
                .enumerate()
                .map(|(i, c)| (c.slug.clone(), i))
                .collect(),
            rank,
        }
    }

    /// Country `c`'s name on this language's pages (`c` one of the site's countries).
    pub fn of(&self, c: &Country) -> &Name {
        &self.countries[self.slug_index[&c.slug]]
    }

    /// Country `ci`'s name on this language's pages.
    pub fn country(&self, ci: usize) -> &str {
        &self.countries[ci].text
    }

    /// The region named `english` in content, as this language's pages name it.
    pub fn region(&self, english: &str) -> Name {
        match self.region_index.get(english) {
            Some(&i) => self.regions[i].clone(),
            None => Name {
                text: english.to_string(),
                lang: None,
            },
        }
    }

    /// Country indexes `list` in this language's order of names.
    pub fn sorted(&self, list: &[usize]) -> Vec<usize> {
        let mut out = list.to_vec();
        out.sort_by_key(|&ci| self.rank[ci]);
        out
    }
}

/// The indexes `0..len` in the order of their names by `rules`' collation (ties in
/// index order, so the order is the same on every build).
fn sorted_by_name<'n>(
    rules: &locale::Rules,
    len: usize,
    name: impl Fn(usize) -> &'n str,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| rules.compare(name(a), name(b)).then(a.cmp(&b)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_every_country_in_the_six_languages() {
        assert_eq!(m49_country("VNM", "zh"), Some("越南"));
        assert_eq!(m49_country("VNM", "ar"), Some("فييت نام"));
        assert_eq!(m49_country("KHM", "fr"), Some("Cambodge"));
        assert_eq!(
            m49_country("LAO", "ru"),
            Some("Лаосская Народно-Демократическая Республика")
        );
        assert_eq!(m49_country("DEU", "es"), Some("Alemania"));
        assert_eq!(m49_country("VNM", "vi"), None);
        assert_eq!(
            m49_region("South-eastern Asia", "fr"),
            Some("Asie du Sud-Est")
        );
        assert_eq!(m49_region("South-eastern Asia", "zh"), Some("东南亚"));
        // Every row has six non-empty names; 248 areas (ISO codes are unique).
        let rows = table();
        assert!(rows
            .values()
            .all(|n| n.iter().all(|s| !s.trim().is_empty())));
        assert_eq!(rows.keys().filter(|(k, _)| *k == "C").count(), 248);
        // Every region content may name has its names.
        for (_, name, _) in crate::lint::m49::REGIONS {
            if *name != "Channel Islands" {
                assert!(m49_region(name, "ar").is_some(), "{name}");
            }
        }
    }
}
