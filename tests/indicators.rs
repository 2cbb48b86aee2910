//! Country indicators as data and as pages, checked on the real bundled site: the
//! `indicators.csv` table, its Data Package schema and the country JSON carry exactly the
//! values content records (with year and source); the chart draws ranks with 1 at the top.

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use common::*;
use egovsite::build::{render, Rendered};
use egovsite::output::OutFile;
use egovsite::render::{data, indicators};
use serde_json::Value;

struct Data {
    rendered: Rendered,
    files: Vec<OutFile>,
}

fn bundled() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let rendered = render(&repo(), None).unwrap_or_else(|d| {
            panic!(
                "{}",
                d.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        let files = data::files(&rendered.site);
        Data { rendered, files }
    })
}

fn text<'a>(files: &'a [OutFile], path: &str) -> &'a str {
    let f = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not produced"));
    std::str::from_utf8(&f.bytes).unwrap()
}

fn rows(files: &[OutFile]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text(files, indicators::CSV_PATH).as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn the_csv_holds_every_recorded_value_and_nothing_else() {
    let d = bundled();
    let site = &d.rendered.site;
    let (header, rows) = rows(&d.files);
    assert_eq!(
        header,
        [
            "country",
            "country_name",
            "iso3",
            "indicator",
            "year",
            "value",
            "source"
        ]
    );
    // What content records, country by country, in the order written.
    let mut expected = Vec::new();
    for c in &site.countries {
        for i in &c.info.indicators {
            expected.push((
                c.slug.clone(),
                i.name.clone(),
                i.year,
                i.value,
                i.source.clone(),
            ));
        }
    }
    assert!(expected.len() >= 7, "Lao PDR records seven values");
    let got: Vec<(String, String, i32, f64, String)> = rows
        .iter()
        .map(|r| {
            (
                r[0].clone(),
                r[3].clone(),
                r[4].parse().unwrap(),
                r[5].parse().unwrap(),
                r[6].clone(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    // Known values, as written in content/countries/lao-pdr/country.yaml.
    let lao: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "lao-pdr").collect();
    assert!(lao
        .iter()
        .any(|r| r[3] == "EGDI" && r[4] == "2020" && r[5] == "0.3288" && r[2] == "LAO"));
    assert!(lao
        .iter()
        .any(|r| r[3] == "EGDI rank" && r[4] == "2016" && r[5] == "148"));
    // Cambodia records no indicator: no row is invented for it.
    assert!(rows.iter().all(|r| r[0] != "cambodia"));
    // The primary key holds.
    let keys: BTreeSet<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[3].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(keys.len(), rows.len());
    let text = text(&d.files, indicators::CSV_PATH);
    assert!(!text.contains('\r') && text.ends_with('\n'));
}

#[test]
fn the_data_package_describes_the_indicators_table() {
    let d = bundled();
    let package: Value = serde_json::from_str(text(&d.files, data::PACKAGE_PATH)).unwrap();
    let res = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "indicators.csv")
        .expect("indicators.csv is a resource");
    assert_eq!(res["profile"], "tabular-data-resource");
    assert_eq!(res["name"], "indicators");
    let fields: Vec<(String, String)> = res["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let (header, _) = rows(&d.files);
    assert_eq!(
        fields.iter().map(|f| f.0.clone()).collect::<Vec<_>>(),
        header
    );
    assert!(fields.contains(&("year".into(), "integer".into())));
    assert!(fields.contains(&("value".into(), "number".into())));
    assert_eq!(
        res["schema"]["primaryKey"],
        serde_json::json!(["country", "indicator", "year"])
    );
    // Every resource's file exists.
    for r in package["resources"].as_array().unwrap() {
        let path = format!("data/{}", r["path"].as_str().unwrap());
        assert!(d.files.iter().any(|f| f.path == path), "{path}");
    }
}

#[test]
fn the_country_json_carries_indicators_with_year_and_source() {
    let d = bundled();
    let v: Value = serde_json::from_str(text(&d.files, "data/countries/lao-pdr.json")).unwrap();
    let list = v["indicators"].as_array().unwrap();
    let rank_2020 = list
        .iter()
        .find(|i| i["name"] == "EGDI rank" && i["year"] == 2020)
        .expect("the 2020 rank");
    assert_eq!(rank_2020["value"], 167.0);
    assert!(rank_2020["source"]
        .as_str()
        .unwrap()
        .contains("outcome report"));
    let v: Value = serde_json::from_str(text(&d.files, "data/countries/cambodia.json")).unwrap();
    assert_eq!(v["indicators"], serde_json::json!([]));
}

/// A page of the bundled site, as rendered.
fn page(path: &str) -> &'static str {
    text(&bundled().rendered.files, path)
}

/// The `cy` of the chart point drawn for `value` in `svg`.
fn point_y(svg: &str, value: &str) -> f64 {
    let at = svg
        .find(&format!(r#"data-value="{value}""#))
        .unwrap_or_else(|| panic!("no point for {value}"));
    let tag = &svg[svg[..at].rfind("<circle").unwrap()..at];
    let v = tag.split(r#"cy=""#).nth(1).unwrap();
    v[..v.find('"').unwrap()].parse().unwrap()
}

#[test]
fn the_rank_chart_draws_rank_one_at_the_top_with_axes_and_a_table() {
    for (path, axis, year) in [
        ("countries/lao-pdr.html", "Rank (1 = first)", "Year"),
        ("fr/countries/lao-pdr.html", "Rang (1 = premier)", "Année"),
    ] {
        let html = page(path);
        let figure = html.find("<figure class=chart>").expect("a chart");
        let start = figure + html[figure..].find("<svg").unwrap();
        let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
        // 148th (2016) is a better rank than 167th (2020): it is drawn higher (smaller y).
        assert!(point_y(svg, "148") < point_y(svg, "167"), "{path}");
        assert!(point_y(svg, "148") < point_y(svg, "156"), "{path}");
        assert!(
            svg.contains("axis axis-y") && svg.contains("axis axis-x"),
            "{path}"
        );
        assert!(
            svg.contains(axis) && svg.contains(&format!(">{year}<")),
            "{path}"
        );
        assert!(svg.contains("viewBox=") && svg.contains(r#"width="100%""#));
        assert!(!svg.contains(r#"width="320""#), "scales with the page");
        // The same figures, with their sources, in the table right before the chart.
        let table = &html[html[..figure].rfind("<table").unwrap()..figure];
        assert!(
            table.contains("indicators"),
            "{path}: the table of indicators"
        );
        for (y, v) in [("2008", "156"), ("2016", "148"), ("2020", "167")] {
            assert!(
                table.contains(&format!("<td>{y}</td><td>{v}</td>")),
                "{path}: {y} {v}"
            );
        }
        assert!(
            html[figure..].contains("figures and sources in the table above")
                || html[figure..].contains("valeurs et sources dans le tableau ci-dessus")
        );
    }
}

#[test]
fn the_indicators_page_compares_countries_with_averages_from_existing_values_only() {
    let dir = site_copy();
    let file = dir.path().join("content/countries/cambodia/country.yaml");
    let mut yaml = std::fs::read_to_string(&file).unwrap();
    assert!(!yaml.contains("indicators:"));
    yaml.push_str(
        "indicators:\n  - name: EGDI\n    year: 2020\n    value: 0.5\n    source: \"Test source A\"\n  - name: EGDI\n    year: 2018\n    value: 0.4\n    source: \"Test source B\"\n  - name: EGDI rank\n    year: 2020\n    value: 124\n    source: \"Test source C\"\n",
    );
    std::fs::write(&file, yaml).unwrap();
    let rendered = render(dir.path(), None).unwrap_or_else(|d| panic!("{d:?}"));
    let blocks = indicators::comparison(&rendered.site, "en");
    let egdi = blocks.iter().find(|b| b.name == "EGDI").unwrap();
    assert_eq!(
        egdi.years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2020, 2018]
    );
    let y2020 = &egdi.years[0];
    assert_eq!(y2020.rows.len(), 2);
    let region = |y: &indicators::YearBlock, name: &str| {
        y.averages
            .iter()
            .find(|a| a.group.text == name)
            .cloned()
            .unwrap_or_else(|| panic!("no average for {name}"))
    };
    // Two of the three countries of South-eastern Asia have a 2020 value (Viet Nam's
    // profile records none): (0.3288 + 0.5) / 2, covering 2 of 3.
    let sea = region(y2020, "South-eastern Asia");
    assert_eq!(
        (sea.value.as_str(), sea.covered, sea.members),
        ("0.4144", 2, 3)
    );
    // Only Lao PDR is landlocked: its own value, covering 1 of 1.
    let lldc = region(y2020, "Landlocked developing countries");
    assert_eq!((lldc.value.as_str(), lldc.covered), ("0.3288", 1));
    // 2018: only Cambodia has a value; Lao PDR's 2020 value is not carried back.
    let y2018 = &egdi.years[1];
    assert_eq!(y2018.rows.len(), 1);
    assert_eq!(y2018.rows[0].country.text, "Cambodia");
    let sea = region(y2018, "South-eastern Asia");
    assert_eq!(
        (sea.value.as_str(), sea.covered, sea.members),
        ("0.4", 1, 3)
    );
    assert!(region_absent(y2018, "Landlocked developing countries"));
    // Ranks are compared but never averaged.
    let rank = blocks.iter().find(|b| b.name == "EGDI rank").unwrap();
    assert!(rank.rank && rank.years.iter().all(|y| y.averages.is_empty()));
    assert_eq!(rank.years[0].rows.len(), 2);
    // French figures use a decimal comma.
    let fr = indicators::comparison(&rendered.site, "fr");
    let sea = region(&fr[0].years[0], "Asie du Sud-Est");
    assert_eq!(sea.value, "0,4144");

    fn region_absent(y: &indicators::YearBlock, name: &str) -> bool {
        y.averages.iter().all(|a| a.group.text != name)
    }
}

#[test]
fn the_indicators_page_is_built_and_linked_from_every_page() {
    for (path, heading, value) in [
        ("indicators.html", "<h1>Indicators</h1>", "0.3288"),
        ("fr/indicators.html", "<h1>Indicateurs</h1>", "0,3288"),
    ] {
        let html = page(path);
        assert!(html.contains(heading), "{path}");
        assert!(html.contains(value), "{path}");
        assert!(
            html.contains("data/indicators.csv"),
            "{path} links the table"
        );
        // South-eastern Asia's average covers one of its two countries.
        assert!(
            html.contains("1 of 2") || html.contains("1 sur 2"),
            "{path} says what an average covers"
        );
    }
    // English content on the French page is marked as English.
    assert!(
        page("fr/indicators.html").contains(r#"<span lang="en">EGDI rank</span>"#)
            || page("fr/indicators.html").contains(r#"<span lang=en>EGDI rank</span>"#)
    );
    for f in &bundled().rendered.files {
        if f.path.ends_with(".html") && f.path != "404.html" {
            let html = std::str::from_utf8(&f.bytes).unwrap();
            assert!(
                html.contains("indicators.html\""),
                "{} links the indicators",
                f.path
            );
        }
    }
}
