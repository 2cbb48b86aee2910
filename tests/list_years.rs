//! Lists of news items and reports narrowed down by year (issue 18: "paginate the news and
//! report lists, with filters by year"): each year has its own paginated list, linked from
//! every page of the kind's list.

mod common;

use std::fs;

use common::*;
use egovsite::build::render;
use egovsite::output::OutFile;

fn page<'a>(files: &'a [OutFile], path: &str) -> &'a str {
    let f = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no page {path}"));
    std::str::from_utf8(&f.bytes).unwrap()
}

fn links_ending(html: &str, suffix: &str) -> bool {
    egovsite::markup::html::extract_links(html)
        .iter()
        .any(|(h, _)| h.ends_with(suffix))
}

#[test]
fn news_of_several_years_get_a_list_per_year() {
    let dir = site_copy();
    // The bundled news item is of 2022; 27 more of 2019 fill two pages of that year.
    for i in 0..27 {
        fs::write(
            dir.path().join(format!("content/news/older-{i:02}.md")),
            format!(
                "---\ntitle: \"Older item {i:02}\"\ndate: 2019-03-{:02}\ncountries: [cambodia]\ntopics: []\nlanguage: en\nsource:\n  publisher: \"Test desk\"\n---\n\nText of item {i:02}.\n",
                i % 28 + 1
            ),
        )
        .unwrap();
    }
    let built = render(dir.path(), None).unwrap_or_else(|e| panic!("{e:?}"));
    let files = &built.files;

    let all = page(files, "news/index.html");
    assert!(main_text(all).contains("By year"));
    assert!(links_ending(all, "news/2022/index.html"));
    assert!(links_ending(all, "news/2019/index.html"));
    assert!(main_text(all).contains("2019 (27)"), "{}", main_text(all));

    let y2022 = main_text(page(files, "news/2022/index.html"));
    assert!(y2022.contains("Lào đẩy mạnh"), "{y2022}");
    assert!(!y2022.contains("Older item"), "{y2022}");
    let y2019 = page(files, "news/2019/index.html");
    assert!(main_text(y2019).contains("Older item"));
    assert!(
        links_ending(y2019, "news/2019/page-2.html"),
        "a year's list is paginated too"
    );
    assert!(
        links_ending(y2019, "news/index.html"),
        "a way back to every year"
    );
    let second = main_text(page(files, "news/2019/page-2.html"));
    assert_eq!(second.matches("Older item").count(), 2, "{second}");
    assert!(main_text(page(files, "fr/news/2019/index.html")).contains("Par année"));

    // Reports are all of one year: no year list.
    assert!(!main_text(page(files, "reports/index.html")).contains("By year"));
    let broken = egovsite::links::check(files, "/egov-profiles/");
    assert!(broken.is_empty(), "{:?}", broken.first());
}
