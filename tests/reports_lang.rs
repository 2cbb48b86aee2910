//! Reports read like the original, made better, and languages are marked (issue 19): the
//! ODSC outcome report whole on one page beside its parts, footnotes a reader can follow
//! both ways, no heading left empty, lists instead of "#" markers in table cells, its
//! indicator values linked to Lao PDR's indicators; on French pages every English passage
//! inside `lang="en"`, dates and numbers written the French way.

mod common;

use std::sync::OnceLock;

use egovsite::build::render;
use egovsite::output::OutFile;

const REPORT: &str = "reports/odsc-lao-pdr-2021-outcome-report";

fn files() -> &'static [OutFile] {
    static FILES: OnceLock<Vec<OutFile>> = OnceLock::new();
    FILES.get_or_init(|| {
        render(&common::repo(), None)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .files
    })
}

fn find(files: &[OutFile], path: &str) -> Option<String> {
    files
        .iter()
        .find(|f| f.path == path)
        .map(|f| String::from_utf8(f.bytes.clone()).unwrap())
}

fn page(path: &str) -> String {
    find(files(), path).unwrap_or_else(|| panic!("no page {path}"))
}

/// The report's pages in `prefix` ("" or "fr/"): its parts, then its single-page view.
fn report_pages(prefix: &str) -> (Vec<(String, String)>, String) {
    let mut parts = vec![(
        format!("{prefix}{REPORT}.html"),
        page(&format!("{prefix}{REPORT}.html")),
    )];
    for n in 2.. {
        let path = format!("{prefix}{REPORT}/part-{n}.html");
        match find(files(), &path) {
            Some(html) => parts.push((path, html)),
            None => break,
        }
    }
    (parts, page(&format!("{prefix}{REPORT}/all.html")))
}

/// The document body of a report page.
fn body(html: &str) -> &str {
    let start = html.find("class=doc-body").expect("document body");
    let end = html[start..]
        .find("<nav class=parts")
        .map_or(html.len(), |i| start + i);
    &html[start..end]
}

fn ids(html: &str, tag: &str) -> Vec<String> {
    egovsite::markup::html::start_tags(html)
        .into_iter()
        .filter(|t| t.name == tag)
        .filter_map(|t| t.attr("id").map(str::to_string))
        .collect()
}

#[test]
fn the_whole_report_is_on_one_page_beside_its_parts() {
    for prefix in ["", "fr/"] {
        let (parts, whole) = report_pages(prefix);
        assert!(parts.len() >= 2, "the report is long enough to be in parts");
        for (path, html) in &parts {
            assert!(
                egovsite::markup::html::extract_links(html)
                    .iter()
                    .any(|(h, _)| h.ends_with(&format!("{prefix}{REPORT}/all.html"))),
                "{path} links to the single-page view"
            );
        }
        // Every heading of every part is on the single page, and its links go to it.
        let whole_ids: Vec<String> = ["h2", "h3", "h4"]
            .iter()
            .flat_map(|t| ids(&whole, t))
            .collect();
        for (path, html) in &parts {
            for id in ["h2", "h3", "h4"].iter().flat_map(|t| ids(body(html), t)) {
                assert!(
                    whole_ids.contains(&id),
                    "{path}: heading {id} not on all.html"
                );
            }
        }
        assert!(
            whole.contains("class=toc"),
            "the single page has the contents"
        );
        assert!(
            whole.contains("href=\"#fn-1\""),
            "notes link within the page"
        );
        for n in 1..=parts.len() {
            let target = if n == 1 {
                format!("{prefix}{REPORT}.html")
            } else {
                format!("{prefix}{REPORT}/part-{n}.html")
            };
            assert!(
                egovsite::markup::html::extract_links(&whole)
                    .iter()
                    .any(|(h, _)| h.ends_with(&target)),
                "all.html links to part {n}"
            );
        }
        // The summary, shown on the first part, is on the single page too.
        assert!(whole.contains("editor-summary"));
    }
}

#[test]
fn the_report_footnote_is_a_note_with_a_back_link_and_no_bare_number_id() {
    let (parts, whole) = report_pages("");
    for (path, html) in parts
        .iter()
        .chain([(String::from("all.html"), whole.clone())].iter())
    {
        for t in egovsite::markup::html::start_tags(html) {
            if let Some(id) = t.attr("id") {
                assert!(
                    !id.bytes().all(|b| b.is_ascii_digit()),
                    "{path}: <{} id=\"{id}\">",
                    t.name
                );
            }
        }
    }
    let reference = whole
        .find(r##"<a href="#fn-1" id="fnref-1""##)
        .expect("the reference links to its note and has an id to come back to");
    let note = whole.find(r#"<li id="fn-1">"#).expect("the note");
    let next_section = whole
        .find("<h2 id=\"7-action-planning-process-for-successful-one-door-service-centers\"")
        .expect("section 7");
    assert!(
        reference < note && note < next_section,
        "the note closes section 6, after the text that refers to it"
    );
    let note_html = &whole[note..note + whole[note..].find("</li>").unwrap()];
    assert!(
        note_html.contains(r##"<a href="#fnref-1" class="footnote-back""##),
        "{note_html}"
    );
    assert!(note_html.contains("One-third is derived from the Telecommunications"));
    // In the parts, the note is in the same part as the text that refers to it.
    let with_ref: Vec<_> = parts
        .iter()
        .filter(|(_, h)| h.contains("id=\"fnref-1\""))
        .collect();
    assert_eq!(with_ref.len(), 1);
    assert!(with_ref[0].1.contains(r#"<li id="fn-1">"#));
}

#[test]
fn no_heading_of_the_report_is_left_empty() {
    let (_, whole) = report_pages("");
    let html = body(&whole);
    let tags = egovsite::markup::html::start_tags(html);
    let level = |name: &str| -> Option<u8> {
        name.strip_prefix('h')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=6).contains(n))
    };
    let mut checked = 0;
    for t in &tags {
        let Some(l) = level(&t.name) else { continue };
        let close = html[t.end..]
            .find(&format!("</{}>", t.name))
            .map(|i| t.end + i)
            .expect("closed heading");
        let next = tags.iter().find(|n| n.end > close + 5);
        if let Some(next) = next {
            if let Some(nl) = level(&next.name) {
                assert!(
                    nl > l,
                    "heading {:?} has nothing under it before the next heading",
                    t.attr("id")
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 40, "{checked} headings");
    assert_eq!(
        whole
            .matches("The figure under this heading in the original report is not reproduced here")
            .count(),
        7,
        "each annex chart the source text dropped is named as missing"
    );
}

#[test]
fn bullet_markers_in_table_cells_are_lists() {
    let (_, whole) = report_pages("");
    assert!(
        whole.contains("<td><ul><li>Clear budget allocation from MOF/DPs to support the ministries</li><li>Enhancing capacity of officials across all levels</li><li>Mindset of the officials</li></ul></td>"),
        "Table 1's actions are a list"
    );
    for cell in whole.split("<td").skip(1) {
        let text = common::visible_text(
            &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap_or(cell.len())],
        );
        assert!(
            !text.starts_with('#') && !text.contains(" # "),
            "cell {text:?}"
        );
    }
}

#[test]
fn the_indicator_values_the_report_quotes_link_to_lao_pdrs_indicators() {
    for prefix in ["", "fr/"] {
        let (parts, whole) = report_pages(prefix);
        let links = egovsite::markup::html::extract_links(&whole);
        let egdi = links
            .iter()
            .find(|(_, text)| text == "the EGDI of Lao PDR is 0.3288")
            .expect("section 6.1's EGDI is a link");
        assert_eq!(egdi.0, "../../countries/lao-pdr.html#indicators");
        assert!(links.iter().any(|(h, text)| text
            == "OSI at 0.1941, TII at 0.2383 and HCI at 0.5539"
            && h == "../../countries/lao-pdr.html#indicators"));
        // In whichever part holds section 6.1, the link resolves from that part's folder.
        let (path, html) = parts
            .iter()
            .find(|(_, h)| h.contains("id=\"6-1-e-government-trends-in-lao\""))
            .unwrap();
        let depth = path.matches('/').count();
        let expected = format!(
            "{}countries/lao-pdr.html#indicators",
            "../".repeat(depth - prefix.matches('/').count())
        );
        assert!(
            egovsite::markup::html::extract_links(html)
                .iter()
                .any(|(h, _)| *h == expected),
            "{path} links to {expected}"
        );
        assert!(
            page(&format!("{prefix}countries/lao-pdr.html")).contains("id=\"indicators\"")
                || page(&format!("{prefix}countries/lao-pdr.html")).contains("id=indicators")
        );
    }
}

#[test]
fn the_original_publication_is_linked_only_where_content_records_its_address() {
    // The ODSC report's source text names no address for the original: none is shown.
    let (parts, _) = report_pages("");
    assert!(!parts[0].1.contains("The original publication"));
    // A document whose front matter records one links to it.
    let dir = common::site_copy();
    let news = dir
        .path()
        .join("content/news/lao-digital-government-decree-vi.md");
    let text = std::fs::read_to_string(&news).unwrap();
    let text = text.replacen(
        "  publisher: \"Nhân Dân (NDO)\"\n",
        "  publisher: \"Nhân Dân (NDO)\"\n  url: https://example.org/original-article\n",
        1,
    );
    assert!(text.contains("example.org/original-article"));
    std::fs::write(&news, text).unwrap();
    let files = render(dir.path(), None)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .files;
    let html = find(&files, "news/lao-digital-government-decree-vi.html").unwrap();
    assert!(
        html.contains(r#"<a href="https://example.org/original-article" rel="noopener noreferrer" hreflang="vi">The original publication</a>"#),
        "{}",
        &html[html.find("class=meta").unwrap()..][..600]
    );
    let fr = find(&files, "fr/news/lao-digital-government-decree-vi.html").unwrap();
    assert!(fr.contains(">La publication originale</a>"));
}

/// Every text node of `html` with the language it is in (the nearest `lang` attribute)
/// and the classes of the elements around it. Pages keep their closing tags.
fn texts_with_lang(html: &str) -> Vec<(String, Vec<String>, String)> {
    const VOID: [&str; 13] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut out = Vec::new();
    let mut stack: Vec<(String, String, String)> = Vec::new();
    let tags = egovsite::markup::html::start_tags(html);
    let mut pos = 0;
    let mut next_tag = 0;
    while pos < html.len() {
        let Some(lt) = html[pos..].find('<').map(|i| pos + i) else {
            break;
        };
        let text = &html[pos..lt];
        if !text.trim().is_empty() {
            if let Some((name, lang, _)) = stack.last() {
                if name != "script" && name != "style" && name != "title" {
                    let classes = stack.iter().map(|(_, _, c)| c.clone()).collect();
                    out.push((lang.clone(), classes, text.trim().to_string()));
                }
            }
        }
        if html[lt..].starts_with("</") {
            let end = lt + html[lt..].find('>').unwrap();
            let name = html[lt + 2..end].trim().to_ascii_lowercase();
            if let Some(i) = stack.iter().rposition(|(n, _, _)| *n == name) {
                stack.truncate(i);
            }
            pos = end + 1;
        } else if html[lt..].starts_with("<!") {
            pos = lt + html[lt..].find('>').unwrap() + 1;
        } else {
            while tags[next_tag].end <= lt {
                next_tag += 1;
            }
            let t = &tags[next_tag];
            pos = t.end;
            if !VOID.contains(&t.name.as_str()) {
                let lang = t
                    .attr("lang")
                    .map(str::to_string)
                    .or_else(|| stack.last().map(|(_, l, _)| l.clone()))
                    .unwrap_or_default();
                let class = t.attr("class").unwrap_or("").to_string();
                stack.push((t.name.clone(), lang, class));
                if t.name == "script" || t.name == "style" {
                    let close = format!("</{}>", t.name);
                    pos = html[pos..].find(&close).map_or(html.len(), |i| pos + i);
                }
            }
        }
    }
    out
}

#[test]
fn french_profiles_mark_the_english_answers_and_question_texts() {
    let html = page("fr/countries/lao-pdr.html");
    assert!(html.contains("<html lang=\"fr\"") || html.contains("<html lang=fr"));
    let texts = texts_with_lang(&html);
    let in_class = |classes: &[String], c: &str| {
        classes
            .iter()
            .any(|cl| cl.split_whitespace().any(|x| x == c))
    };
    let mut answers = 0;
    for (lang, classes, text) in &texts {
        if in_class(classes, "detail") {
            answers += 1;
            assert_eq!(lang, "en", "answer text in {lang}: {text:?}");
        }
    }
    assert!(answers > 30, "{answers} answer texts checked");
    // Question labels and section titles come from the English questionnaire.
    let label = texts
        .iter()
        .find(|(_, _, t)| t == "National e-government portal(s)")
        .expect("a question label");
    assert_eq!(label.0, "en");
    let section = texts
        .iter()
        .find(|(_, _, t)| t.starts_with("A. Institutional"))
        .expect("a section title");
    assert_eq!(section.0, "en");
    // The French interface around them stays French.
    let ui = texts
        .iter()
        .find(|(_, _, t)| t == "Question telle que posée")
        .expect("interface text");
    assert_eq!(ui.0, "fr");
    // site.yaml's source and licence texts are English.
    let licence = texts
        .iter()
        .find(|(_, _, t)| t.starts_with("Answers are the responding governments"))
        .expect("licence in the footer");
    assert_eq!(licence.0, "en");
    // The English profile carries no lang attribute for them: it is in the content's language.
    let en = page("countries/lao-pdr.html");
    assert!(!en.contains("<div class=detail lang") && !en.contains("<div class=\"detail\" lang"));
}

#[test]
fn no_english_passage_on_a_french_page_is_left_unmarked() {
    // The passages taken from content: answers, questions, reports, section titles and
    // question labels, site.yaml's texts. Each known English passage below must be inside
    // lang="en" on every French page that shows it.
    let passages = [
        "Please select whichever applies",
        "National e-government portal(s)",
        "D. Strategy and Implementation",
        "Kingdom of Cambodia",
        "E-Government Country Profiles",
        "Outcome Report of the Inter-Ministerial Workshop held on 28 October 2021",
        "1. OVERVIEW OF THE INTER-MINISTERIAL TECHNICAL WORKSHOP",
    ];
    let mut seen = vec![0; passages.len()];
    for f in files() {
        if !(f.path.starts_with("fr/") && f.path.ends_with(".html")) {
            continue;
        }
        let html = String::from_utf8(f.bytes.clone()).unwrap();
        for (lang, _, text) in texts_with_lang(&html) {
            for (i, p) in passages.iter().enumerate() {
                if text == *p {
                    seen[i] += 1;
                    assert_eq!(lang, "en", "{}: {p:?} is not marked English", f.path);
                }
            }
        }
    }
    for (p, n) in passages.iter().zip(seen) {
        assert!(n > 0, "{p:?} not found on any French page");
    }
}

#[test]
fn french_pages_write_dates_and_numbers_the_french_way() {
    let list = page("fr/reports/index.html");
    assert!(
        list.contains(">novembre 2021</time>"),
        "the report's date, as precise as content (a month)"
    );
    let profile = page("fr/countries/lao-pdr.html");
    let text = common::main_text(&profile);
    assert!(text.contains("0,3288"), "EGDI with a decimal comma");
    assert!(
        !text.contains("0.3288"),
        "no English decimal point on the French profile"
    );
    let en = common::main_text(&page("countries/lao-pdr.html"));
    assert!(en.contains("0.3288") && !en.contains("0,3288"));
}
