//! A site with more countries than `pages::REGION_SPLIT_OVER` (issue 18, "every page stays
//! light at full scale"): comparison pages list regions, each region's answers have a page
//! of their own, and overviews link to them instead of listing every country's links. The
//! bundled site (three countries) is left as it is: see tests/site.rs and tests/readers.rs.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;

use common::*;
use egovsite::build::render;
use egovsite::output::OutFile;
use egovsite::render::pages::REGION_SPLIT_OVER;

/// The bundled site plus enough copies of Cambodia's answers, as made-up countries of two
/// made-up regions, to pass the threshold.
fn large_site(root: &Path) {
    let from = root.join("content/countries/cambodia");
    let n = REGION_SPLIT_OVER + 2;
    for i in 0..n {
        let dir = root.join(format!("content/countries/testland-{i:02}"));
        fs::create_dir_all(&dir).unwrap();
        for e in fs::read_dir(&from).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with("msq-") && name.ends_with(".yaml") && !name.contains("contacts") {
                fs::copy(e.path(), dir.join(&name)).unwrap();
            }
        }
        let region = if i % 2 == 0 {
            "Northern Europe"
        } else {
            "Western Africa"
        };
        let iso3 = format!(
            "Q{}{}",
            (b'A' + (i / 26) as u8) as char,
            (b'A' + (i % 26) as u8) as char
        );
        let mut f = fs::File::create(dir.join("country.yaml")).unwrap();
        writeln!(
            f,
            "name: Testland {i:02}\nofficial_name: Republic of Testland {i:02}\niso3: {iso3}\nregion: {region}\ngroupings: []\nlanguages: [en]"
        )
        .unwrap();
    }
}

/// Whether `html` links to an address ending with `suffix`.
fn links_ending(html: &str, suffix: &str) -> bool {
    egovsite::markup::html::extract_links(html)
        .iter()
        .any(|(h, _)| h.ends_with(suffix))
}

fn page<'a>(files: &'a [OutFile], path: &str) -> &'a str {
    let f = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no page {path}"));
    std::str::from_utf8(&f.bytes).unwrap()
}

#[test]
fn comparison_pages_of_a_large_site_are_split_by_region_and_overviews_summarised() {
    let dir = site_copy();
    large_site(dir.path());
    let built = render(dir.path(), None).unwrap_or_else(|e| panic!("{e:?}"));
    let files = &built.files;
    let site = &built.site;
    assert!(site.countries.len() > REGION_SPLIT_OVER);
    let topic = site
        .topics
        .iter()
        .find(|t| t.key == "legal-data-protection")
        .expect("the data protection topic");

    // The topic's page: the question and every region with its number of countries, no
    // table of every country.
    let index = page(files, "questions/legal-data-protection.html");
    for (slug, label) in [
        ("south-eastern-asia", "(3 countries)"),
        ("northern-europe", "(21 countries)"),
        ("western-africa", "(21 countries)"),
    ] {
        assert!(
            links_ending(index, &format!("/legal-data-protection/{slug}.html")),
            "no link to {slug} on the topic page"
        );
        assert!(main_text(index).contains(label), "{label}");
    }
    assert!(!index.contains("compare-cap"));
    assert!(main_text(index).contains("Answers by region"));
    assert!(main_text(index).contains(&topic.label));

    // A region's page: its countries' answers and none of another region's.
    let region = page(
        files,
        "questions/legal-data-protection/south-eastern-asia.html",
    );
    let text = main_text(region);
    assert!(region.contains("compare-cap"));
    for name in ["Cambodia", "Lao PDR", "Viet Nam"] {
        assert!(text.contains(name), "{name} missing from its region's page");
    }
    assert!(
        !text.contains("Testland"),
        "another region's country: {text}"
    );
    assert!(
        egovsite::markup::html::extract_links(region)
            .iter()
            .any(|(h, _)| h.contains("countries/cambodia.html#")),
        "no link to Cambodia's answer"
    );
    assert!(
        links_ending(region, "/legal-data-protection/northern-europe.html"),
        "no link to the other regions"
    );
    let north = main_text(page(
        files,
        "questions/legal-data-protection/northern-europe.html",
    ));
    assert!(north.contains("Testland 00") && !north.contains("Testland 01"));
    // French too.
    let fr = page(
        files,
        "fr/questions/legal-data-protection/south-eastern-asia.html",
    );
    assert!(main_text(fr).contains("Autres régions"));

    // The overview with link directories links to the comparison page instead of listing
    // each country's links.
    let overview = files
        .iter()
        .filter(|f| f.path.starts_with("overview/") && f.path != "overview/index.html")
        .map(|f| std::str::from_utf8(&f.bytes).unwrap())
        .find(|h| h.contains("dir-1"))
        .expect("an overview with link directories");
    assert!(overview.contains("region by region, on the comparison page"));
    assert!(!overview.contains("Testland 00</a></dt>"));

    // Every link of the split site resolves.
    let broken = egovsite::links::check(files, "/egov-profiles/");
    assert!(
        broken.is_empty(),
        "{} broken links: {:?}",
        broken.len(),
        broken.first()
    );
}

#[test]
fn the_bundled_site_keeps_one_comparison_page_per_topic() {
    let built = render(&repo(), None).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(built.site.countries.len() <= REGION_SPLIT_OVER);
    let html = page(&built.files, "questions/legal-data-protection.html");
    assert!(html.contains("compare-cap"));
    assert!(!main_text(html).contains("Answers by region"));
    assert!(!built
        .files
        .iter()
        .any(|f| f.path.starts_with("questions/legal-data-protection/")));
}
