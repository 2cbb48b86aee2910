//! The real bundled site, built once into a temporary folder and checked as a reader would:
//! pages exist, show the answers, compare countries, and every link resolves.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use common::*;
use egovsite::build::{build, BuildOptions};
use egovsite::content::AnswerFile;

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

fn site() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut opts = BuildOptions::new(repo());
        opts.output = out.clone();
        let report = build(&opts).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.pages > 50, "{report}");
        Built { _dir: dir, out }
    })
}

fn page(rel: &str) -> String {
    read(&site().out, rel)
}

/// Every answers file of the bundled content, by country slug.
fn answer_files() -> BTreeMap<(String, String), AnswerFile> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(repo().join("content/countries")).sort_by_file_name() {
        let e = e.unwrap();
        let p = e.path();
        if p.extension().is_some_and(|x| x == "yaml") && p.file_name().unwrap() != "country.yaml" {
            let slug = p
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(p).unwrap();
            let af: AnswerFile = serde_yaml::from_str(&text).unwrap();
            out.insert((slug, af.edition.clone()), af);
        }
    }
    out
}

#[test]
fn home_lists_countries_and_documents() {
    let home = page("index.html");
    assert!(has_attr(&home, "html", "lang", "en"));
    for c in ["Lao PDR", "Cambodia"] {
        assert!(home.contains(c), "home lacks {c}");
    }
    assert!(home.contains("Implementing One-Door-Service Centers"));
    assert!(home.contains("Lào đẩy mạnh phát triển Chính phủ số"));
}

#[test]
fn every_country_and_every_answer_appears_on_its_profile() {
    let files = answer_files();
    assert!(
        files.len() >= 2,
        "expected the Lao PDR and Cambodia answers, found {}",
        files.len()
    );
    for ((slug, edition), af) in &files {
        let html = page(&format!("countries/{slug}.html"));
        let text = main_text(&html);
        let catalogue =
            std::fs::read_to_string(repo().join(format!("content/questionnaires/{edition}.yaml")))
                .unwrap();
        let cat: egovsite::content::Catalogue = serde_yaml::from_str(&catalogue).unwrap();
        for q in &cat.questions {
            assert!(
                has_attr(&html, "article", "id", &q.id),
                "{slug}: no anchor #{}",
                q.id
            );
        }
        for (qid, a) in &af.answers {
            if let Some(t) = &a.text {
                let plain = egovsite::markup::answer_text::render(t).text;
                // Compare without whitespace: links and line breaks change spacing, not words.
                let probe: String = plain.split_whitespace().take(8).collect();
                let squeezed: String = text.split_whitespace().collect();
                assert!(
                    squeezed.contains(&probe),
                    "{slug} {qid}: answer text `{probe}` not on the profile"
                );
            }
            if let Some(o) = &a.other {
                assert!(
                    text.contains(o.as_str()),
                    "{slug} {qid}: Other text `{o}` missing"
                );
            }
        }
    }
}

#[test]
fn choices_are_shown_plainly() {
    let lao = main_text(&page("countries/lao-pdr.html"));
    assert!(
        lao.contains("Not recorded"),
        "unknown choices must read 'Not recorded'"
    );
    assert!(
        lao.contains("Inferred: yes"),
        "inferred choices must say so"
    );
    let cambodia = main_text(&page("countries/cambodia.html"));
    assert!(
        cambodia.contains("Other: 15 Years"),
        "Cambodia's strategy cycle is the Other text"
    );
}

#[test]
fn bare_web_addresses_are_links() {
    let lao = page("countries/lao-pdr.html");
    assert!(
        links_to(&lao, "http://www.laoservicesportal.gov.la"),
        "bare www address not linked"
    );
}

#[test]
fn topic_page_compares_both_editions() {
    let html = page("questions/legal-data-protection.html");
    let text = main_text(&html);
    assert!(
        text.contains("Lao PDR") && text.contains("Cambodia"),
        "{text}"
    );
    assert!(
        text.contains("Lao PDR question 39"),
        "Lao answered question 39 of its edition"
    );
    assert!(
        text.contains("Cambodia question 38"),
        "Cambodia answered question 38 of its edition"
    );
    assert!(text.contains("Law on data protection"));
    assert!(text.contains("Law on e-commerce has an article on data protection"));
    assert!(links_to(&html, "../countries/lao-pdr.html#q39"));
    assert!(links_to(&html, "../countries/cambodia.html#q38"));
}

#[test]
fn profile_answers_link_to_their_comparison() {
    let html = page("countries/lao-pdr.html");
    assert!(links_to(&html, "../questions/legal-data-protection.html"));
}

#[test]
fn questions_index_groups_topics_by_section() {
    let text = main_text(&page("questions/index.html"));
    for s in [
        "Institutional / Organizational Framework",
        "Legal Framework",
        "COVID-19 Response and Recovery",
        "Crisis/Emergency Response and Recovery",
    ] {
        assert!(text.contains(s), "section {s} missing");
    }
}

#[test]
fn portal_directory_lists_both_countries() {
    let html = page("overview/institutional-organizational-framework.html");
    assert!(
        html.contains("laoservicesportal.gov.la"),
        "Lao portal missing"
    );
    assert!(html.contains("seva.gov.kh"), "Cambodia portal missing");
    assert!(html.contains("National e-government portal") || html.contains("Directory"));
}

#[test]
fn legal_framework_matrix_uses_words_not_only_colour() {
    let html = page("overview/legal-framework.html");
    assert!(has_attr(&html, "table", "class", "matrix"));
    assert!(has_attr(&html, "th", "scope", "col"));
    let text = main_text(&html);
    assert!(text.contains("Inferred: yes") || text.contains("Not recorded"));
}

#[test]
fn region_and_grouping_lists() {
    let region = main_text(&page("countries/regions/south-eastern-asia.html"));
    assert!(region.contains("Lao PDR") && region.contains("Cambodia"));
    let lldc = main_text(&page(
        "countries/groupings/landlocked-developing-countries.html",
    ));
    assert!(lldc.contains("Lao PDR") && !lldc.contains("Cambodia"));
}

#[test]
fn report_has_real_tables_toc_and_footnote() {
    // The report is long enough to be split into parts: read them all.
    let first = page("reports/odsc-lao-pdr-2021-outcome-report.html");
    let html = format!(
        "{first}{}",
        page("reports/odsc-lao-pdr-2021-outcome-report/part-2.html")
    );
    assert!(
        links_to(
            &first,
            "../reports/odsc-lao-pdr-2021-outcome-report/part-2.html"
        ),
        "part navigation"
    );
    assert!(
        html.matches("<table").count() >= 4,
        "tab-separated tables and the agenda must be tables"
    );
    assert!(html.contains("<th>Building Blocks</th>"));
    assert!(html.contains("<caption>Agenda of the Workshop</caption>"));
    assert!(
        html.contains("<caption>Table 1: Organizational structures and processes</caption>"),
        "bold line before a table is its caption"
    );
    assert!(
        html.contains(r#"<li id="fn-1">"#),
        "footnote listed as a note"
    );
    assert!(html.contains("<figcaption>"));
    // The report's figures were not carried over: no image in the text (the header's
    // logo is the site's).
    let in_main = |h: &str| h[h.find("<main").unwrap()..h.find("</main>").unwrap()].to_string();
    assert!(
        !in_main(&first).contains("<img") && !in_main(&html[first.len()..]).contains("<img"),
        "no broken images"
    );
    assert!(
        has_attr(&first, "nav", "class", "toc"),
        "report has a table of contents"
    );
}

#[test]
fn news_item_keeps_its_language() {
    let html = page("news/lao-digital-government-decree-vi.html");
    assert!(
        has_attr(&html, "div", "lang", "vi"),
        "body marked Vietnamese"
    );
    assert!(
        has_attr(&html, "h1", "lang", "vi"),
        "title marked Vietnamese"
    );
    assert!(html.contains("Summary written by the editors"));
    let list = page("news/index.html");
    assert!(list.contains("lao-digital-government-decree-vi.html"));
}

#[test]
fn reports_and_news_newest_first_and_feed() {
    let feed = page("feed.xml");
    assert!(feed.starts_with("<?xml"));
    assert_eq!(feed.matches("<entry").count(), 2);
    let news_pos = feed.find("lao-digital-government-decree-vi").unwrap();
    let report_pos = feed.find("odsc-lao-pdr-2021-outcome-report").unwrap();
    assert!(
        news_pos < report_pos,
        "2022 news item comes before the 2021 report"
    );
}

#[test]
fn site_files_for_github_pages() {
    let out = &site().out;
    for f in [
        "404.html",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "style.css",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let sitemap = page("sitemap.xml");
    assert!(sitemap
        .contains("<loc>https://example.github.io/egov-profiles/countries/lao-pdr.html</loc>"));
    assert!(!sitemap.contains("404.html"));
    let notfound = page("404.html");
    assert!(
        links_to(&notfound, "/egov-profiles/index.html"),
        "404 links use the base path"
    );
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let files = output_files(&site().out);
    let checked: usize = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| egovsite::markup::html::extract_links(&String::from_utf8_lossy(&f.bytes)).len())
        .sum();
    assert!(
        checked > 1000,
        "only {checked} links found: the checker is not reading the pages"
    );
    let broken = egovsite::links::check(&files, "/egov-profiles/");
    assert!(
        broken.is_empty(),
        "{} broken links, first: {}",
        broken.len(),
        broken
            .iter()
            .take(5)
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn pages_are_minified_and_accessible() {
    let html = page("countries/cambodia.html");
    assert!(!html.contains("\n\n"), "minified");
    assert!(has_attr(&html, "main", "id", "main"));
    assert!(has_attr(&html, "nav", "aria-label", "Main"));
    assert_eq!(html.matches("<h1").count(), 1);
}

#[test]
fn contacts_are_not_published_by_default() {
    for e in output_files(&site().out) {
        let text = String::from_utf8_lossy(&e.bytes);
        for needle in [
            "sonesavanh@mtc.gov.la",
            "khemera-mok@mptc.gov.kh",
            "Sonesavanh KITTIPHANH",
            "Khemera Mok",
        ] {
            assert!(!text.contains(needle), "{} publishes {needle}", e.path);
        }
    }
}

#[test]
fn same_input_builds_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = BuildOptions::new(repo());
    opts.output = dir.path().join("again");
    build(&opts).unwrap();
    let a = output_files(&site().out);
    let b = output_files(&opts.output);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.path, y.path);
        assert!(x.bytes == y.bytes, "{} differs between builds", x.path);
    }
}

#[test]
fn french_tree_mirrors_the_english_one() {
    let out = &site().out;
    let english: Vec<String> = output_files(out)
        .into_iter()
        .map(|f| f.path)
        .filter(|p| {
            p.ends_with(".html")
                && !["ar/", "es/", "fr/", "ru/", "zh/"]
                    .iter()
                    .any(|lang| p.starts_with(lang))
                && p != "404.html"
                && !p.starts_with("search")
        })
        .collect();
    for p in &english {
        assert!(out.join("fr").join(p).exists(), "fr/{p} missing");
    }
    let fr = page("fr/countries/lao-pdr.html");
    assert!(has_attr(&fr, "html", "lang", "fr"));
    let text = main_text(&fr);
    assert!(
        text.contains("Informations clés")
            && text.contains("Non enregistré")
            && text.contains("Déduit : oui"),
        "French interface strings"
    );
    assert!(
        text.contains("Lao Services Portal"),
        "content stays as written"
    );
    // hreflang alternates and the language switcher.
    assert!(has_attr(&fr, "link", "hreflang", "en"));
    assert!(has_attr(&fr, "link", "hreflang", "x-default"));
    assert!(links_to(
        &fr,
        "https://example.github.io/egov-profiles/countries/lao-pdr.html"
    ));
    assert!(
        links_to(&fr, "../../countries/lao-pdr.html"),
        "switcher links to the English page"
    );
    let en = page("countries/lao-pdr.html");
    assert!(
        links_to(&en, "../fr/countries/lao-pdr.html"),
        "switcher links to the French page"
    );
    let news = page("fr/news/lao-digital-government-decree-vi.html");
    assert!(
        has_attr(&news, "div", "lang", "vi"),
        "the Vietnamese body keeps its language on the French page"
    );
    assert!(main_text(&news).contains("Résumé"));
}

#[test]
fn missing_translation_key_is_a_check_error() {
    let dir = site_copy();
    let rel = "themes/default/i18n/fr.yaml";
    let text = read(dir.path(), rel);
    let cut: String = text
        .lines()
        .filter(|l| !l.starts_with("nav_news:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join(rel), cut).unwrap();
    let out = egovsite(&["check", "--root", "."], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("themes/default/i18n/fr.yaml:") && err.contains("missing translation key `nav_news`; expected `nav_news: ...` as in themes/default/i18n/en.yaml"), "{err}");
}

#[test]
fn no_page_exceeds_100_kb_with_its_css() {
    let out = &site().out;
    let css = std::fs::metadata(out.join("style.css")).unwrap().len();
    for f in output_files(out) {
        // A long report's single-page view (`<slug>/all.html`) is the whole report by
        // design, for reading straight through and printing; its parts keep the budget.
        if f.path.ends_with(".html")
            && f.path != "search.html"
            && !f.path.ends_with("/search.html")
            && !f.path.ends_with("/all.html")
        {
            // A country's profile shows every answer as given: its budget grows with the
            // answers files it renders (Viet Nam's export alone is 135 KB of text).
            let slug = f
                .path
                .strip_suffix(".html")
                .and_then(|p| p.rsplit_once("countries/"))
                .map(|(_, s)| s)
                .filter(|s| !s.contains('/'));
            let answers: u64 = slug
                .and_then(|s| std::fs::read_dir(repo().join("content/countries").join(s)).ok())
                .map(|rd| {
                    rd.flatten()
                        .filter(|e| e.file_name() != "country.yaml")
                        .filter_map(|e| e.metadata().ok())
                        .map(|m| m.len())
                        .sum()
                })
                .unwrap_or(0);
            let total = f.bytes.len() as u64 + css;
            assert!(
                total <= 100 * 1024 + answers * 3 / 2,
                "{} is {} bytes with its CSS",
                f.path,
                total
            );
        }
    }
}

#[test]
fn charts_have_text_alternatives() {
    let html = page("countries/lao-pdr.html");
    let tags = egovsite::markup::html::start_tags(&html);
    let svgs: Vec<_> = tags.iter().filter(|t| t.name == "svg").collect();
    assert!(!svgs.is_empty(), "the EGDI rank series is drawn");
    for svg in svgs {
        assert_eq!(svg.attr("role"), Some("img"));
        let label = svg.attr("aria-labelledby").expect("labelled chart");
        assert!(has_attr(&html, "title", "id", label), "chart title element");
    }
    assert!(main_text(&html).contains("EGDI rank by year"));
    // The figures are in the table of indicators right before the chart.
    assert!(has_attr(&html, "table", "id", "indicators"));
    // The per-section bars repeat what the table beside them says in numbers.
    assert!(has_attr(&html, "table", "class", "glance"));
    assert!(has_attr(&html, "span", "aria-hidden", "true"));
}

#[test]
fn json_ld_parses_on_every_page_that_has_it() {
    let mut found = 0;
    for f in output_files(&site().out) {
        if !f.path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&f.bytes);
        let mut rest: &str = &html;
        while let Some(i) = rest.find("application/ld+json") {
            let after = &rest[i..];
            let start = after.find('>').unwrap() + 1;
            let end = after.find("</script>").unwrap();
            let value: serde_json::Value = serde_json::from_str(&after[start..end])
                .unwrap_or_else(|e| panic!("{}: JSON-LD does not parse: {e}", f.path));
            assert!(value.get("@type").is_some(), "{}", f.path);
            found += 1;
            rest = &after[end..];
        }
    }
    assert!(
        found >= 5,
        "home, profiles and documents carry JSON-LD ({found})"
    );
}

#[test]
fn a_site_template_overrides_the_theme() {
    let dir = site_copy();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    let theme_home = read(dir.path(), "themes/default/templates/home.html");
    std::fs::write(
        dir.path().join("templates/home.html"),
        theme_home.replace("<p class=\"lead\">", "<p class=\"lead\">Our own welcome. "),
    )
    .unwrap();
    let out = egovsite(&["build", "--root", "."], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(read(dir.path(), "public/index.html").contains("Our own welcome."));
}

#[test]
fn a_mistake_in_a_site_template_names_its_file_line_and_column() {
    let dir = site_copy();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    let mistakes = [
        ("{% if %}", "4:7", "expected one of"),
        ("{{ page.title | shout }}", "4:17", "Unknown filter `shout`"),
        ("{{ <badge x={1} /> }}", "4:4", "Unknown component `badge`"),
    ];
    for (bad, place, message) in mistakes {
        std::fs::write(
            dir.path().join("templates/home.html"),
            format!("{{% extends \"base.html\" %}}\n{{% block content %}}\n<p>Welcome</p>\n{bad}\n{{% endblock content %}}\n"),
        )
        .unwrap();
        let out = egovsite(&["build", "--root", "."], dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{bad}: {err}");
        assert!(
            err.contains(&format!("templates/home.html:{place}: template error: ")),
            "{bad}: {err}"
        );
        assert!(err.contains(message), "{bad}: {err}");
        assert!(!dir.path().join("public").exists(), "nothing written");
    }
    // A value the page does not have: the page and template are named.
    std::fs::write(
        dir.path().join("templates/home.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.welcome_text }}{% endblock content %}",
    )
    .unwrap();
    let out = egovsite(&["build", "--root", "."], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("templates/home.html:1:1: cannot render index.html: ")
            && err.contains("`welcome_text` is not defined"),
        "{err}"
    );
}

#[test]
fn a_topic_answered_by_one_country_says_so_in_the_singular() {
    // Only Cambodia's edition asks about a COVID-19 portal.
    let html = page("questions/covid-portal.html");
    assert!(
        html.contains("National COVID-19 portal: the answer of 1 country</caption>"),
        "{}",
        html
    );
    assert!(page("questions/strategy-emerging-tech-robotics.html")
        .contains("answers of 3 countries</caption>"));
}

/// A strings file made from the English one: the same texts (a test needs the
/// keys, not a translation), each count message with the plural forms `forms` its language's rules
/// need, and `replace` for the keys the test reads.
fn strings_for(forms: &[&str], replace: &[(&str, &str)]) -> String {
    let en = read(&repo(), "themes/default/i18n/en.yaml");
    let entries: Vec<(String, String)> = en
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains(": "))
        .map(|l| {
            let (k, v) = l.split_once(": ").unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    let keys: std::collections::BTreeSet<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
    let mut out = String::new();
    for (k, v) in &entries {
        if let Some(base) = k.strip_suffix("_one").filter(|b| keys.contains(b)) {
            for form in forms {
                let v = replace
                    .iter()
                    .find(|(r, _)| *r == format!("{base}_{form}"))
                    .map(|(_, t)| format!("\"{t}\""))
                    .unwrap_or_else(|| v.clone());
                out.push_str(&format!("{base}_{form}: {v}\n"));
            }
            continue;
        }
        let v = replace
            .iter()
            .find(|(r, _)| r == k)
            .map(|(_, t)| format!("\"{t}\""))
            .unwrap_or_else(|| v.clone());
        out.push_str(&format!("{k}: {v}\n"));
    }
    out
}

/// A copy of the bundled site in all six languages, with Egypt added (a country without
/// answers yet) so that a French list has an accented name to sort.
fn six_language_site() -> tempfile::TempDir {
    let dir = site_copy();
    let root = dir.path();
    let site_yaml = read(root, "content/site.yaml")
        .replace("languages: [en, fr]", "languages: [en, fr, es, ru, zh, ar]");
    std::fs::write(root.join("content/site.yaml"), site_yaml).unwrap();
    let i18n = root.join("themes/default/i18n");
    let ru = strings_for(
        &["one", "few", "many"],
        &[
            ("topic_caption", "{label}: ответы {n} стран"),
            ("topic_caption_one", "{label}: ответ {n} страны"),
            ("topic_caption_few", "{label}: ответы {n} стран"),
            ("topic_caption_many", "{label}: ответы {n} стран"),
            ("date_day_month_year", "{day} {month} {year} г."),
            ("date_month_year", "{month} {year} г."),
            ("month_11_day", "ноября"),
            ("month_11", "ноябрь"),
        ],
    );
    std::fs::write(i18n.join("ru.yaml"), ru).unwrap();
    std::fs::write(i18n.join("es.yaml"), strings_for(&["one"], &[])).unwrap();
    std::fs::write(i18n.join("zh.yaml"), strings_for(&[], &[])).unwrap();
    let ar = strings_for(
        &["zero", "one", "two", "few", "many"],
        &[
            ("topic_caption_one", "{label}: إجابة بلد واحد"),
            ("topic_caption", "{label}: إجابات {n} بلد"),
        ],
    );
    std::fs::write(i18n.join("ar.yaml"), ar).unwrap();
    let egypt = root.join("content/countries/egypt");
    std::fs::create_dir_all(&egypt).unwrap();
    std::fs::write(
        egypt.join("country.yaml"),
        "name: Egypt\nofficial_name: Arab Republic of Egypt\niso3: EGY\nregion: Northern Africa\nconsent:\n  status: asked\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_site_in_the_six_languages_names_sorts_and_counts_in_each() {
    let dir = six_language_site();
    let out = dir.path().join("public");
    let build = egovsite(&["build", "--output", "public"], dir.path());
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let page = |rel: &str| read(&out, rel);

    // Viet Nam's profile is titled with the UN's name in each language.
    let zh = page("zh/countries/viet-nam.html");
    assert!(has_attr(&zh, "html", "lang", "zh"));
    assert!(zh.contains("<title>越南"), "{zh}");
    assert!(main_text(&zh).contains("越南"));
    assert!(main_text(&zh).contains("东南亚"), "region named in Chinese");
    let ar = page("ar/countries/viet-nam.html");
    assert!(ar.contains("<title>فييت نام"), "{ar}");
    let ru = page("ru/countries/viet-nam.html");
    assert!(ru.contains("<title>Вьетнам"));
    // The default language keeps the content's name; other pages carry no English mark
    // on a translated name.
    assert!(page("countries/viet-nam.html").contains("<title>Viet Nam"));
    assert!(page("fr/countries/cambodia.html").contains("<h1>Cambodge"));

    // Lists sort by the page language, not by bytes: "Égypte" before "République ...".
    let fr_list = main_text(&page("fr/countries/index.html"));
    let at = |name: &str| {
        fr_list
            .find(name)
            .unwrap_or_else(|| panic!("{name} in {fr_list}"))
    };
    assert!(at("Cambodge") < at("Égypte"));
    assert!(at("Égypte") < at("République démocratique populaire lao"));
    assert!(at("République démocratique populaire lao") < at("Viet Nam"));
    let es_list = main_text(&page("es/countries/index.html"));
    assert!(es_list.find("Camboya").unwrap() < es_list.find("Egipto").unwrap());

    // Counts take each language's plural form.
    assert!(
        page("ru/questions/covid-portal.html").contains("ответ 1 страны</caption>"),
        "Russian one"
    );
    assert!(page("ru/questions/strategy-emerging-tech-robotics.html")
        .contains("ответы 3 стран</caption>"));
    assert!(page("ar/questions/covid-portal.html").contains("إجابة بلد واحد</caption>"));

    // Dates come from the language's keys (the ODSC outcome report: November 2021).
    let ru_reports = main_text(&page("ru/reports/index.html"));
    assert!(ru_reports.contains("ноябрь 2021 г."), "{ru_reports}");

    // Numbers: Western digits on Arabic pages.
    let ar_ind = main_text(&page("ar/indicators.html"));
    assert!(ar_ind.contains("0.") && !ar_ind.contains('٠'), "{ar_ind}");

    // The open data keep the default names.
    let csv = read(&out, "data/answers.csv");
    assert!(csv.contains("Viet Nam") && !csv.contains("越南"));
}

#[test]
fn a_french_page_counts_and_writes_numbers_and_dates_as_before() {
    let caption = page("fr/questions/covid-portal.html");
    assert!(caption.contains("réponse de 1 pays</caption>"), "{caption}");
    assert!(page("fr/questions/strategy-emerging-tech-robotics.html")
        .contains("réponses de 3 pays</caption>"));
    let ind = main_text(&page("fr/indicators.html"));
    assert!(ind.contains("0,"), "decimal comma: {ind}");
    let en_ind = main_text(&page("indicators.html"));
    assert!(
        en_ind.contains("0.") && !en_ind.contains("0,"),
        "decimal point"
    );
}

#[test]
fn a_missing_plural_form_and_an_unknown_language_are_check_errors() {
    let dir = site_copy();
    let root = dir.path();
    let site_yaml = read(root, "content/site.yaml").replace(
        "languages: [en, fr, ar, es, ru, zh]",
        "languages: [en, fr, ru, de]",
    );
    std::fs::write(root.join("content/site.yaml"), &site_yaml).unwrap();
    // Russian without the "many" forms.
    std::fs::write(
        root.join("themes/default/i18n/ru.yaml"),
        strings_for(&["one", "few"], &[]),
    )
    .unwrap();
    let out = egovsite(&["check", "--root", "."], root);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let line = site_yaml
        .lines()
        .position(|l| l.starts_with("languages:"))
        .unwrap()
        + 1;
    let column = site_yaml.lines().nth(line - 1).unwrap().find("de").unwrap() + 1;
    assert!(
        err.contains(&format!(
            "content/site.yaml:{line}:{column}: `de` is not an interface language egovsite has; expected one of the UN's six languages: ar, en, es, fr, ru, zh"
        )),
        "{err}"
    );
    assert!(
        err.contains("themes/default/i18n/ru.yaml:")
            && err.contains("missing plural form `n_answers_many`"),
        "{err}"
    );
}

#[test]
fn a_country_name_in_a_language_the_site_lacks_or_empty_is_a_check_error() {
    let dir = site_copy();
    let root = dir.path();
    // A site in English and French only, so that Russian is not one of its languages.
    let site_yaml = read(root, "content/site.yaml")
        .replace("languages: [en, fr, ar, es, ru, zh]", "languages: [en, fr]");
    std::fs::write(root.join("content/site.yaml"), site_yaml).unwrap();
    let rel = "content/countries/viet-nam/country.yaml";
    let text = read(root, rel).replace(
        "official_name:",
        "names:\n  fr: \"\"\n  ru: Вьетнам\nofficial_name:",
    );
    std::fs::write(root.join(rel), &text).unwrap();
    let line = |key: &str| text.lines().position(|l| l.starts_with(key)).unwrap() + 1;
    let out = egovsite(&["check", "--root", "."], root);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{rel}:{}:7: the name in `fr` is empty",
            line("  fr:")
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{rel}:{}:3: `names` gives a name in `ru`, which is not a language of the site; expected one of the languages site.yaml lists: fr",
            line("  ru:")
        )),
        "{err}"
    );
}
