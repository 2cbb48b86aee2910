//! The about and methodology page, the corrected "answered" counts and the suggested
//! citations, checked on the real bundled site.

mod common;

use std::sync::OnceLock;

use common::*;
use egovsite::build::{render, Rendered};
use egovsite::render::views::{tally, Tally};

fn bundled() -> &'static Rendered {
    static R: OnceLock<Rendered> = OnceLock::new();
    R.get_or_init(|| render(&repo(), None).unwrap_or_else(|d| panic!("{d:?}")))
}

/// The text a reader sees (the minifier writes apostrophes as `&apos;`).
fn text_of(html: &str) -> String {
    visible_text(html).replace("&apos;", "'")
}

fn page(path: &str) -> &'static str {
    let f = bundled()
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not produced"));
    std::str::from_utf8(&f.bytes).unwrap()
}

#[test]
fn the_about_page_explains_editions_marks_publication_and_citing() {
    let site = &bundled().site;
    for (path, heading, unknown, licence_h) in [
        (
            "about.html",
            "About and methodology",
            "Not recorded",
            "Licence",
        ),
        (
            "fr/about.html",
            "À propos et méthodologie",
            "Non enregistré",
            "Licence",
        ),
    ] {
        let html = page(path);
        let text = text_of(html);
        assert!(text.contains(heading), "{path}");
        // Every edition, with the evidence its name rests on.
        for e in &site.editions {
            assert!(text.contains(&e.id), "{path}: {}", e.id);
            let basis_start: String = e
                .cat
                .name_basis
                .split_whitespace()
                .take(6)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                text.contains(&basis_start),
                "{path}: name basis of {}",
                e.id
            );
        }
        // How to read each mark.
        assert!(text.contains(unknown), "{path}");
        for anchor in [
            "reading",
            "answered",
            "indicators",
            "publication",
            "licence",
            "cite",
        ] {
            assert!(
                html.contains(&format!("id={anchor} "))
                    || html.contains(&format!("id={anchor}>"))
                    || html.contains(&format!("id=\"{anchor}\"")),
                "{path}: #{anchor}"
            );
        }
        // The licence as site.yaml states it, and the data citation.
        assert!(text.contains(licence_h), "{path}");
        let licence_start: String = site
            .config
            .licence
            .split_whitespace()
            .take(8)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(&licence_start), "{path}: licence text");
        assert!(
            text.contains(&format!("{}data/datapackage.json", site.base_url)),
            "{path}"
        );
        assert!(
            text.contains(&format!("{}countries/", site.base_url)),
            "{path}: example"
        );
    }
    // The French page marks the English content it quotes.
    let fr = page("fr/about.html");
    assert!(fr.contains(r#"lang="en""#) || fr.contains("lang=en"));
}

#[test]
fn every_page_links_the_about_page_from_its_footer_and_legends_link_it_too() {
    for f in &bundled().files {
        if f.path.ends_with(".html") {
            let html = std::str::from_utf8(&f.bytes).unwrap();
            let footer = &html[html.find("<footer").unwrap_or_else(|| panic!("{}", f.path))..];
            assert!(
                footer.contains("about.html\""),
                "{}: footer links about",
                f.path
            );
        }
    }
    for path in [
        "countries/lao-pdr.html",
        "fr/countries/cambodia.html",
        "overview/legal-framework.html",
    ] {
        let Some(f) = bundled().files.iter().find(|f| f.path == path) else {
            assert!(!path.starts_with("overview"), "{path}");
            continue;
        };
        let html = std::str::from_utf8(&f.bytes).unwrap();
        let legend = &html[html
            .find("class=legend")
            .unwrap_or_else(|| panic!("{path}"))..];
        let legend = &legend[..legend.find("</p>").unwrap()];
        assert!(legend.contains("about.html#reading"), "{path}: {legend}");
    }
}

#[test]
fn not_recorded_answers_are_not_counted_as_answered() {
    let site = &bundled().site;
    let lao = site.countries.iter().find(|c| c.slug == "lao-pdr").unwrap();
    let r = &lao.responses[0];
    let ed = site.edition(&r.edition);
    let mut counts = [0usize; 4];
    for q in ed.cat.questions.iter().filter(|q| !q.kind.is_personal()) {
        let a = r.answers.get(&q.id);
        let k = match tally(a) {
            Tally::Answered => {
                let a = a.expect("an answered question has an answer");
                assert!(
                    a.detail_html.is_some()
                        || a.other.is_some()
                        || (!a.choices.is_empty() && a.inferred.is_none()),
                    "{}: answered means a recorded choice or text",
                    q.id
                );
                0
            }
            Tally::Inferred => 1,
            Tally::NotRecorded => 2,
            Tally::NoAnswer => 3,
        };
        counts[k] += 1;
    }
    // The issue: "102 of 122 answered" counted 22 Not recorded answers as answered.
    assert_eq!(counts.iter().sum::<usize>(), 122);
    // 23 since the importer stopped inferring "yes" from q34, a follow-up the form asks
    // whatever the choice (q33 went back to not recorded).
    assert_eq!(counts[2], 23);
    let [answered, inferred, unknown, empty] = counts;
    assert!(answered <= 122 - 23);
    let text = text_of(page("countries/lao-pdr.html"));
    let expected = format!(
        "{answered} of 122 questions answered; {inferred} inferred, {unknown} not recorded, {empty} no answer."
    );
    assert!(text.contains(&expected), "{expected}");
    assert!(!text.contains("102 of 122"));
    let fr = text_of(page("fr/countries/lao-pdr.html"));
    assert!(fr.contains(&format!("{answered} questions sur 122 ont une réponse")));
}

#[test]
fn profiles_and_downloads_carry_a_suggested_citation() {
    let site = &bundled().site;
    let url = format!("{}countries/lao-pdr.html", site.base_url);
    let en = text_of(page("countries/lao-pdr.html"));
    // The work is by the publisher site.yaml names, then the site's title.
    let publisher = site
        .config
        .publisher
        .as_ref()
        .expect("the bundled site's publisher");
    let author = format!("{}, {}", publisher.name, site.config.title);
    let cite = format!(
        "{author}, “Lao PDR: e-government profile”, answers to the UN DESA Member States Questionnaire — edition answered by Lao PDR (2022 or later), {url}"
    );
    assert!(en.contains(&cite), "{cite}");
    let fr = text_of(page("fr/countries/lao-pdr.html"));
    // French pages name the country by its UN name in French (M49); the edition's title is
    // content, quoted as written.
    assert!(fr.contains(&format!(
        "{author}, « République démocratique populaire lao : profil d'administration électronique », réponses au UN DESA Member States Questionnaire — edition answered by Lao PDR (2022 or later), {url}"
    )));
    let files = egovsite::render::data::files(site);
    let json = |path: &str| -> serde_json::Value {
        let f = files.iter().find(|f| f.path == path).unwrap();
        serde_json::from_slice(&f.bytes).unwrap()
    };
    assert_eq!(
        json("data/countries/lao-pdr.json")["citation"],
        cite.as_str()
    );
    let package = json("data/datapackage.json");
    let c = package["citation"].as_str().unwrap();
    assert!(
        c.starts_with(&author) && c.ends_with("data/datapackage.json"),
        "{c}"
    );
    // Deterministic: no access date, nothing from the clock.
    assert!(!c.contains("ccessed") && !cite.contains("ccessed"));
}

#[test]
fn the_feed_and_pages_show_dates_only_as_precise_as_content() {
    let feed = page("feed.xml");
    // The news item is dated only "2022" and the report "November 2021": the exact
    // precision is in dc:date; Atom's mandatory <updated> holds the period's first instant.
    let entry = |slug: &str| -> &str {
        let at = feed.find(slug).unwrap();
        let start = feed[..at].rfind("<entry").unwrap();
        &feed[start..start + feed[start..].find("</entry>").unwrap()]
    };
    let news = entry("lao-digital-government-decree-vi");
    assert!(news.contains("<dc:date>2022</dc:date>"), "{news}");
    assert!(news.contains("<updated>2022-01-01T00:00:00Z</updated>"));
    let report = entry("odsc-lao-pdr-2021-outcome-report");
    assert!(report.contains("<dc:date>2021-11</dc:date>"), "{report}");
    assert!(feed.contains(r#"xmlns:dc="http://purl.org/dc/elements/1.1/""#));
    // The invented first day appears nowhere else in the feed, and on no page.
    let without_updated: String = feed
        .split("<updated>")
        .map(|p| p.split_once("</updated>").map_or(p, |(_, rest)| rest))
        .collect();
    assert!(!without_updated.contains("2022-01-01") && !without_updated.contains("2021-11-01"));
    for f in &bundled().files {
        if f.path.ends_with(".html") || f.path.ends_with(".json") {
            let text = String::from_utf8_lossy(&f.bytes);
            for invented in [
                "2022-01-01",
                "1 January 2022",
                "1 janvier 2022",
                "2021-11-01",
            ] {
                assert!(!text.contains(invented), "{}: {invented}", f.path);
            }
        }
    }
}
