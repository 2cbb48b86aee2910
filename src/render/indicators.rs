//! Country indicators (EGDI and its components, ranks) as data: the `data/indicators.csv`
//! table and its schema, and the cross-country comparison behind `indicators.html`, with
//! region and grouping averages.
//!
//! Every value comes from a country's `country.yaml` with its year and source; nothing is
//! estimated, carried forward or filled in. An average is computed only from the values
//! that exist for that indicator and year, and says how many countries it covers.

use serde::Serialize;

use crate::content::Indicator;
use crate::model::{Country, Group, Site};
use crate::render::data::{col, Column};
use crate::render::views::{urls, Link};

/// The indicators table, relative to the output root.
pub const CSV_PATH: &str = "data/indicators.csv";

/// The columns of `indicators.csv`, in order: the header row and the Data Package schema
/// are both written from this list.
pub const COLUMNS: &[Column] = &[
    col("country", "string", "Country slug, as in the site's addresses (countries/<slug>.html)."),
    col("country_name", "string", "Short name of the country."),
    col("iso3", "string", "ISO 3166-1 alpha-3 code of the country."),
    col("indicator", "string", "Indicator as named by its source (e.g. EGDI, Online Service Index (OSI), EGDI rank)."),
    col("year", "integer", "Year the value refers to, as the source gives it (e.g. the edition of the UN E-Government Survey)."),
    col("value", "number", "The value as the source states it: an index between 0 and 1, or a rank (1 = first)."),
    col("source", "string", "Where the value was taken from."),
];

const _: () = assert!(COLUMNS.len() == 7, "csv writes 7 cells per row");

/// The table's primary key: one value per country, indicator and year.
pub const PRIMARY_KEY: [&str; 3] = ["country", "indicator", "year"];

/// Whether an indicator is a rank (smaller is better; drawn with 1 at the top, never
/// averaged).
pub fn is_rank(name: &str) -> bool {
    name.to_lowercase().split_whitespace().any(|w| w == "rank")
}

/// A value as written in content: the shortest form that reads back to the same number,
/// in the notation of `lang` (ICU4X: "0,3288" in French, "0.3288" in English).
pub fn format_value(v: f64, lang: &str) -> String {
    crate::render::locale::get(lang).decimal(&format!("{v}"))
}

/// How many decimals `v` is written with in content.
fn decimals(v: f64) -> usize {
    format!("{v}")
        .split_once('.')
        .map(|(_, d)| d.len())
        .unwrap_or(0)
}

/// A value that is usable: it names its source and is a finite number.
fn sourced(i: &Indicator) -> bool {
    !i.source.trim().is_empty() && i.value.is_finite()
}

/// A text cell, written as in `answers.csv`: one line ending, and a `'` in front of a
/// value a spreadsheet would take for a formula (see the descriptor's note).
fn cell(s: &str) -> String {
    crate::render::data::cell(Some(s))
}

/// `data/indicators.csv`: one row per country, indicator and year as content records them,
/// countries in site order and each country's indicators in the order written. RFC 4180
/// quoting, UTF-8 without a byte-order mark, `\n` line endings.
pub fn csv(site: &Site) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    w.write_record(&header).expect("writing to memory");
    for c in &site.countries {
        for i in c.info.indicators.iter().filter(|i| sourced(i)) {
            let row: [String; 7] = [
                c.slug.clone(),
                cell(&c.info.name),
                c.info.iso3.clone(),
                cell(&i.name),
                i.year.to_string(),
                format!("{}", i.value),
                cell(&i.source),
            ];
            w.write_record(&row).expect("writing to memory");
        }
    }
    w.into_inner().expect("writing to memory")
}

/// One country's value in a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct ValueRow {
    pub country: Link,
    pub value: String,
    pub source: String,
}

/// The mean over the countries of a region or grouping that have a value.
#[derive(Debug, Clone, Serialize)]
pub struct Average {
    pub group: Link,
    /// "region" or "grouping".
    pub kind: &'static str,
    pub value: String,
    /// Countries whose value the mean is computed from.
    pub covered: usize,
    /// Countries in the region or grouping.
    pub members: usize,
    pub countries: Vec<String>,
}

/// One indicator in one year, across countries.
#[derive(Debug, Clone, Serialize)]
pub struct YearBlock {
    pub year: i32,
    pub anchor: String,
    pub rows: Vec<ValueRow>,
    pub averages: Vec<Average>,
}

/// One indicator, newest year first.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorBlock {
    pub name: String,
    pub anchor: String,
    pub rank: bool,
    pub years: Vec<YearBlock>,
}

/// Every indicator that at least one country has a sourced value for, in the order they
/// first appear (countries in site order), each by year (newest first) with every
/// country that has a value for that year and, for indices (not ranks), the average of
/// each region and grouping over the members that have a value.
pub fn comparison(site: &Site, lang: &str) -> Vec<IndicatorBlock> {
    let country_names = site.names(lang);
    let rules = crate::render::locale::get(lang);
    let mut names: Vec<&str> = Vec::new();
    for c in &site.countries {
        for i in c.info.indicators.iter().filter(|i| sourced(i)) {
            if !names.contains(&i.name.as_str()) {
                names.push(&i.name);
            }
        }
    }
    names
        .into_iter()
        .map(|name| {
            let anchor = crate::slug::slugify(name);
            let mut years: Vec<i32> = site
                .countries
                .iter()
                .flat_map(|c| c.info.indicators.iter())
                .filter(|i| i.name == name && sourced(i))
                .map(|i| i.year)
                .collect();
            years.sort_unstable_by(|a, b| b.cmp(a));
            years.dedup();
            let rank = is_rank(name);
            let years = years
                .into_iter()
                .map(|year| {
                    let mut rows: Vec<ValueRow> = site
                        .countries
                        .iter()
                        .filter_map(|c| {
                            value_of(c, name, year).map(|i| ValueRow {
                                country: Link {
                                    url: urls::country(c),
                                    text: country_names.of(c).text.clone(),
                                },
                                value: format_value(i.value, lang),
                                source: i.source.clone(),
                            })
                        })
                        .collect();
                    rows.sort_by(|a, b| rules.compare(&a.country.text, &b.country.text));
                    let mut averages = Vec::new();
                    if !rank {
                        for (kind, groups, url) in [
                            ("region", &site.regions, urls::region as fn(&str) -> String),
                            ("grouping", &site.groupings, urls::grouping),
                        ] {
                            let mut found: Vec<Average> = groups
                                .iter()
                                .filter_map(|g| average(site, g, kind, url, (name, year), lang))
                                .collect();
                            found.sort_by(|a, b| rules.compare(&a.group.text, &b.group.text));
                            averages.extend(found);
                        }
                    }
                    YearBlock {
                        year,
                        anchor: format!("{anchor}-{year}"),
                        rows,
                        averages,
                    }
                })
                .collect();
            IndicatorBlock {
                name: name.to_string(),
                anchor,
                rank,
                years,
            }
        })
        .collect()
}

/// The country's sourced value of `name` for `year`, if content records one.
fn value_of<'c>(c: &'c Country, name: &str, year: i32) -> Option<&'c Indicator> {
    c.info
        .indicators
        .iter()
        .find(|i| i.name == name && i.year == year && sourced(i))
}

/// The mean of a group's sourced values, rounded to the most decimals any of them is
/// written with (never more precise than its inputs); `None` when no member has a value.
fn average(
    site: &Site,
    g: &Group,
    kind: &'static str,
    url: fn(&str) -> String,
    (name, year): (&str, i32),
    lang: &str,
) -> Option<Average> {
    let found: Vec<(&Country, f64)> = g
        .countries
        .iter()
        .map(|&ci| &site.countries[ci])
        .filter_map(|c| value_of(c, name, year).map(|i| (c, i.value)))
        .collect();
    if found.is_empty() {
        return None;
    }
    let places = found.iter().map(|(_, v)| decimals(*v)).max().unwrap_or(0);
    let mean = found.iter().map(|(_, v)| v).sum::<f64>() / found.len() as f64;
    let text = crate::render::locale::get(lang).decimal(&format!("{mean:.places$}"));
    let names = site.names(lang);
    let group_name = if kind == "region" {
        names.region(&g.name).text
    } else {
        g.name.clone()
    };
    let mut countries: Vec<String> = found
        .iter()
        .map(|(c, _)| names.of(c).text.clone())
        .collect();
    let rules = crate::render::locale::get(lang);
    countries.sort_by(|a, b| rules.compare(a, b));
    Some(Average {
        group: Link {
            url: url(&g.slug),
            text: group_name,
        },
        kind,
        value: text,
        covered: found.len(),
        members: g.countries.len(),
        countries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_told_from_indices() {
        assert!(is_rank("EGDI rank"));
        assert!(is_rank("Rank in EPI"));
        assert!(!is_rank("EGDI"));
        assert!(!is_rank("Frankness index"));
    }

    #[test]
    fn values_keep_their_written_precision() {
        assert_eq!(format_value(0.3288, "en"), "0.3288");
        assert_eq!(format_value(0.3288, "fr"), "0,3288");
        assert_eq!(format_value(167.0, "fr"), "167");
        assert_eq!(decimals(0.5539), 4);
        assert_eq!(decimals(156.0), 0);
    }

    #[test]
    fn columns_are_unique_and_typed() {
        let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len());
        for k in PRIMARY_KEY {
            assert!(COLUMNS.iter().any(|c| c.name == k));
        }
    }
}
