//! What readers see on the bundled site, checked in the HTML (tests/browser.rs checks the
//! same site in a real browser): no internal codes in reader-facing text, plurals right
//! in both languages, wide tables in named scrolling regions, compact profiles whose
//! collapsed sections print open, and a print line with the page's address.

mod common;

use std::sync::OnceLock;

use egovsite::build::render;
use egovsite::output::OutFile;

fn files() -> &'static [OutFile] {
    static FILES: OnceLock<Vec<OutFile>> = OnceLock::new();
    FILES.get_or_init(|| {
        render(&common::repo(), None)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .files
    })
}

fn page(path: &str) -> String {
    let f = files()
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no page {path}"));
    String::from_utf8(f.bytes.clone()).unwrap()
}

fn pages() -> impl Iterator<Item = (&'static str, String)> {
    files()
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path.as_str(), String::from_utf8(f.bytes.clone()).unwrap()))
}

#[test]
fn reader_facing_text_shows_no_internal_codes_and_plurals_agree() {
    for (path, html) in pages() {
        let text = common::main_text(&html);
        assert!(!text.contains("(1 questions)"), "{path}: (1 questions)");
        assert!(!text.contains(" 1 answers"), "{path}: 1 answers");
        assert!(!text.contains(" 1 réponses"), "{path}: 1 réponses");
        // The methodology page names the edition ids on purpose: it explains how each
        // edition is named and what the `edition` column of the data files holds.
        for id in ["msq-2021", "msq-2022"] {
            let methodology = path.ends_with("about.html");
            assert!(
                methodology || !text.contains(id),
                "{path} shows the edition id {id}"
            );
        }
        // A document in another language is named by its language, not its code.
        assert!(!text.contains("· in vi"), "{path}: in vi");
        assert!(!text.contains("· en vi "), "{path}: en vi");
        // Section titles lose the form's [NEW] marker (a question's own wording keeps it).
        let h1 = &html[html.find("<h1").unwrap()..html.find("</h1>").unwrap()];
        assert!(!h1.contains("[NEW]"), "{path}: heading {h1}");
        let title = &html[html.find("<title>").unwrap()..html.find("</title>").unwrap()];
        assert!(!title.contains("[NEW]"), "{path}: title {title}");
    }
    let home = common::main_text(&page("index.html"));
    assert!(home.contains("Other information (1 question)"), "{home}");
    assert!(home.contains("in Vietnamese"), "{home}");
    let fr = common::main_text(&page("fr/index.html"));
    assert!(fr.contains("(1 question)"), "{fr}");
    assert!(fr.contains("en vietnamien"), "{fr}");
    let compare = common::main_text(&page("questions/portal-national.html"));
    assert!(compare.contains("Cambodia question 7"), "{compare}");
    let countries = common::main_text(&page("countries/index.html"));
    assert!(
        countries.contains("edition answered by Cambodia (2021)"),
        "{countries}"
    );
    let profile = common::main_text(&page("countries/lao-pdr.html"));
    assert!(profile.contains("Languages Lao"), "{profile}");
    assert!(
        common::main_text(&page("fr/countries/cambodia.html")).contains("Langues khmer"),
        "French profile names the language in French"
    );
}

#[test]
fn wide_tables_scroll_in_named_focusable_regions() {
    for (path, html) in pages() {
        for table in ["matrix", "compare", "glance", "indicators", "countries"] {
            let needle = format!("<table class={table}>");
            let Some(at) = html.find(&needle) else {
                continue;
            };
            let before = &html[..at];
            let open = before.rfind("<div").expect("table inside a box");
            let div = &before[open..];
            for attr in [
                "class=\"scroll",
                "role=region",
                "tabindex=0",
                "aria-labelledby=",
            ] {
                let alt = attr.replace('=', "=\"");
                assert!(
                    div.contains(attr)
                        || div.contains(&alt)
                        || div.contains(&attr.replace('"', "")),
                    "{path}: the {table} table's box lacks {attr}: {div}"
                );
            }
            let label = div
                .split("aria-labelledby=")
                .nth(1)
                .unwrap()
                .trim_start_matches('"')
                .split(['"', ' ', '>'])
                .next()
                .unwrap();
            assert!(
                html.contains(&format!("<caption id={label}>"))
                    || html.contains(&format!("<caption id=\"{label}\">")),
                "{path}: the {table} box is named by a caption ({label})"
            );
        }
    }
    let matrix = page("overview/legal-framework.html");
    assert!(
        matrix.contains("class=scroll-hint"),
        "the matrix says it scrolls"
    );
}

#[test]
fn profiles_are_compact_and_their_sections_print_open() {
    let html = page("countries/lao-pdr.html");
    // The section index links to each collapsible section.
    let sections = html.matches("class=q-section").count();
    assert!(sections >= 5, "{sections} collapsible sections");
    let index = &html[html.find("class=section-index").unwrap()..];
    assert!(
        index.contains("href=\"#section-a\""),
        "the index links to section A"
    );
    assert!(
        html.contains("id=section-a") || html.contains("id=\"section-a\""),
        "section A is the index's target"
    );
    // Printed, every section and question wording opens, and the legend stays.
    let css = common::read(&common::repo(), "themes/default/static/style.css");
    let print = &css[css.find("@media print").unwrap()..];
    assert!(print.contains("details::details-content"), "{print}");
    assert!(print.contains(".print-only{display:block}"), "{print}");
    let hidden = print.split("{display:none}").next().unwrap();
    assert!(
        !hidden.contains(".legend"),
        "print hides the legend: {hidden}"
    );
    // Every page carries its address for print.
    assert!(html.contains("class=\"print-only print-source\""));
    assert!(
        html.contains("https://example.github.io/egov-profiles/countries/lao-pdr.html</bdi></p>")
    );
}

#[test]
fn news_and_report_lists_are_paginated_at_stable_addresses() {
    let site = common::site_copy();
    let news = site.path().join("content/news");
    for i in 1..=30 {
        std::fs::write(
            news.join(format!("item-{i:02}.md")),
            format!(
                "---\ntitle: \"Test news item {i}\"\ndate: 2019-{:02}-{:02}\ncountries: [lao-pdr]\nlanguage: en\nsource:\n  publisher: \"Test publisher\"\n---\n\nBody of item {i}.\n",
                (i - 1) / 28 + 1,
                (i - 1) % 28 + 1
            ),
        )
        .unwrap();
    }
    let out = site.path().join("public");
    let build = common::egovsite(
        &[
            "build",
            "--root",
            site.path().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--quiet",
        ],
        site.path(),
    );
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    // The items of the list (the pager's links are in a list of their own).
    let items = |html: &str| {
        let list = &html[html.find("class=doc-list").unwrap()..];
        list[..list.find("</ul>").unwrap()].matches("<li>").count()
    };
    let first = common::read(&out, "news/index.html");
    let second = common::read(&out, "news/page-2.html");
    // 31 news items: the bundled one (2022, newest) and 30 from 2019, 25 a page.
    assert_eq!(items(&first), 25, "{first}");
    assert_eq!(items(&second), 6, "{second}");
    assert!(!out.join("news/page-3.html").exists());
    assert!(common::links_to(&first, "../news/page-2.html"));
    assert!(common::links_to(&second, "../news/index.html"));
    assert!(common::has_attr(&second, "a", "rel", "prev"));
    let text = common::main_text(&second);
    assert!(text.contains("Items 26 to 31, page 2 of 2"), "{text}");
    assert!(
        text.contains("Test news item 1 "),
        "the oldest is last: {text}"
    );
    assert!(common::read(&out, "fr/news/page-2.html").contains("page 2 sur 2"));
    // One page needs no pager.
    let reports = common::read(&out, "reports/index.html");
    assert!(!reports.contains("class=pager"), "{reports}");
    let broken = egovsite::links::check(&common::output_files(&out), "/egov-profiles/");
    assert!(broken.is_empty(), "{broken:#?}");
}
