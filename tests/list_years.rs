//! Lists of news items and reports narrowed down by year, country and topic (issue 18:
//! "paginate the news and report lists, with filters by year, country and topic"): each
//! value has its own paginated list, linked from every page of the kind's lists, and topics
//! are shown by their names from content/document-topics.yaml, never by their keys.

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

/// A news item `slug` of 2023 about `countries` on `topics`.
fn write_news(root: &std::path::Path, slug: &str, title: &str, countries: &str, topics: &str) {
    fs::write(
        root.join(format!("content/news/{slug}.md")),
        format!(
            "---\ntitle: \"{title}\"\ndate: 2023-05-04\ncountries: [{countries}]\ntopics: [{topics}]\nlanguage: en\nsource:\n  publisher: \"Test desk\"\n---\n\nText of {slug}.\n"
        ),
    )
    .unwrap();
}

#[test]
fn news_and_reports_get_a_list_per_topic_and_per_country() {
    let dir = site_copy();
    write_news(
        dir.path(),
        "cambodia-one-stop-shops",
        "Cambodia opens one-stop shops",
        "cambodia",
        "one-stop-shops",
    );
    let built = render(dir.path(), None).unwrap_or_else(|e| panic!("{e:?}"));
    let files = &built.files;

    // The topic's list holds the item on that topic and no other, under the topic's name.
    let topic = page(files, "news/topics/one-stop-shops/index.html");
    let text = main_text(topic);
    assert!(text.contains("News: One-stop shops"), "{text}");
    assert!(text.contains("Cambodia opens one-stop shops"), "{text}");
    assert!(!text.contains("Lào đẩy mạnh"), "{text}");
    let fr = main_text(page(files, "fr/news/topics/one-stop-shops/index.html"));
    assert!(fr.contains("Actualités : Guichets uniques"), "{fr}");
    // Reports have their own topic lists: the ODSC report is on one-stop shops too.
    let reports = main_text(page(files, "reports/topics/one-stop-shops/index.html"));
    assert!(reports.contains("One-Door-Service Centers"), "{reports}");
    assert!(!reports.contains("Cambodia opens"), "{reports}");
    // A topic only reports give has no news list.
    assert!(!files
        .iter()
        .any(|f| f.path.starts_with("news/topics/data-governance/")));

    // The filters on every page of the news lists: countries and topics with their
    // counts, linking their lists, and a way back to the whole list.
    let all = page(files, "news/index.html");
    let all_text = main_text(all);
    assert!(
        all_text.contains("By country: Cambodia (1) · Lao PDR (1)"),
        "{all_text}"
    );
    assert!(all_text.contains("By topic:"), "{all_text}");
    assert!(all_text.contains("One-stop shops (1)"), "{all_text}");
    assert!(
        all_text.contains("Decree on digital government (1)"),
        "{all_text}"
    );
    assert!(links_ending(all, "news/topics/one-stop-shops/index.html"));
    assert!(links_ending(all, "news/countries/cambodia/index.html"));
    assert!(links_ending(topic, "news/index.html"), "back to every item");
    assert!(links_ending(topic, "news/countries/lao-pdr/index.html"));
    assert!(
        main_text(page(files, "fr/news/index.html")).contains("Par thème :"),
        "the filters speak the page's language"
    );
    let cambodia = main_text(page(files, "news/countries/cambodia/index.html"));
    assert!(cambodia.contains("Cambodia opens"), "{cambodia}");
    assert!(!cambodia.contains("Lào đẩy mạnh"), "{cambodia}");
    // Every report is about Lao PDR: a country filter would narrow nothing down.
    let reports_all = main_text(page(files, "reports/index.html"));
    assert!(!reports_all.contains("By country"), "{reports_all}");
    assert!(reports_all.contains("By topic:"), "{reports_all}");

    // Readers see names, never keys: the lists' filters and a document's topics.
    for path in ["news/index.html", "reports/index.html"] {
        let text = main_text(page(files, path));
        assert!(!text.contains("one-stop-shops"), "{path}: {text}");
    }
    let doc = page(files, "news/lao-digital-government-decree-vi.html");
    let doc_text = main_text(doc);
    for name in [
        "Topics: Decree on digital government",
        "Digital government strategy",
        "Legal framework",
    ] {
        assert!(doc_text.contains(name), "{name}: {doc_text}");
    }
    assert!(
        !doc_text.contains("digital-government-decree"),
        "{doc_text}"
    );
    assert!(links_ending(
        doc,
        "news/topics/digital-government-decree/index.html"
    ));
    assert!(
        main_text(page(files, "fr/news/lao-digital-government-decree-vi.html"))
            .contains("Thèmes : Décret sur l")
    );

    // A country's profile links its lists.
    assert!(links_ending(
        page(files, "countries/cambodia.html"),
        "news/countries/cambodia/index.html"
    ));
    assert!(links_ending(
        page(files, "countries/lao-pdr.html"),
        "reports/countries/lao-pdr/index.html"
    ));

    // The lists are in the sitemap, and every link of every page resolves.
    let sitemap = page(files, "sitemap.xml");
    assert!(
        sitemap.contains("news/topics/one-stop-shops/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("fr/reports/countries/lao-pdr/</loc>"),
        "{sitemap}"
    );
    let broken = egovsite::links::check(files, "/egov-profiles/");
    assert!(broken.is_empty(), "{:?}", broken.first());
}

#[test]
fn a_topic_without_a_name_is_an_error_where_the_document_gives_it() {
    let dir = site_copy();
    // Line 5, after `topics: [`: the key misspelt.
    write_news(
        dir.path(),
        "misspelt",
        "Misspelt topic",
        "cambodia",
        "one-stop-shop",
    );
    let out = egovsite(&["check"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/news/misspelt.md:5:10: topic `one-stop-shop` has no label in content/document-topics.yaml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `one-stop-shops`?"),
        "{stderr}"
    );
}

#[test]
fn a_topic_name_missing_for_a_site_language_is_an_error() {
    let dir = site_copy();
    let file = dir.path().join("content/document-topics.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .position(|l| l == "legal-framework:")
        .expect("the bundled file names legal-framework")
        + 1;
    fs::write(&file, text.replace("  fr: Cadre juridique\n", "")).unwrap();
    let out = egovsite(&["check"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "content/document-topics.yaml:{line}:1: topic `legal-framework` has no label in `fr`"
        )),
        "{stderr}"
    );
}
