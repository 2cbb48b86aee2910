//! The publisher's identity set in site.yaml (publisher, logo, favicon, accent colour) as
//! readers meet it on every page and in every citation, the errors staff get for a bad
//! value, and the portals overview read as a directory.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use egovsite::build::{build, BuildOptions};

const PUBLISHER: &str = "United Nations Department of Economic and Social Affairs (UN DESA)";

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
        build(&opts).unwrap_or_else(|e| panic!("{e}"));
        Built { _dir: dir, out }
    })
}

fn page(rel: &str) -> String {
    read(&site().out, rel)
}

/// The part of a page between `start` and the end of the element it opens.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in page"));
    let to = html[from..].find(end).map_or(html.len(), |i| from + i);
    &html[from..to]
}

#[test]
fn every_page_shows_the_publisher_logo_favicon_and_accent() {
    for (rel, root) in [
        ("index.html", ""),
        ("countries/lao-pdr.html", "../"),
        ("fr/about.html", "../"),
    ] {
        let html = page(rel);
        let header = between(&html, "<header", "</header>");
        assert!(
            has_attr(header, "img", "src", &format!("{root}logo.svg")),
            "{rel}: {header}"
        );
        assert!(
            has_attr(header, "img", "alt", ""),
            "{rel}: the mark is decorative next to the title"
        );
        assert!(visible_text(header).contains(PUBLISHER), "{rel}: {header}");
        let head = between(&html, "<head", "</head>");
        assert!(
            has_attr(head, "link", "href", &format!("{root}favicon.svg"))
                && has_attr(head, "link", "type", "image/svg+xml"),
            "{rel}: {head}"
        );
        assert!(
            has_attr(&html, "html", "style", "--accent:#00609c"),
            "{rel}: the accent colour of site.yaml, on the root element"
        );
        let footer = between(&html, "<footer", "</footer>");
        assert!(
            links_to(footer, "https://publicadministration.un.org/"),
            "{rel}: the publisher's address: {footer}"
        );
        assert!(visible_text(footer).contains(PUBLISHER));
        let lang = if rel.starts_with("fr/") { "fr/" } else { "" };
        assert!(
            links_to(footer, &format!("{root}{lang}about.html")),
            "{rel}: methodology: {footer}"
        );
        assert!(
            links_to(footer, &format!("{root}data/answers.csv")),
            "{rel}: {footer}"
        );
    }
    for f in ["logo.svg", "favicon.svg"] {
        let svg = read(&site().out, f);
        assert!(svg.starts_with("<svg"), "{f}");
    }
    let fr = visible_text(between(&page("fr/index.html"), "<footer", "</footer>"));
    assert!(fr.contains("Publié par"), "{fr}");
}

#[test]
fn citations_name_the_publisher() {
    let html = page("countries/lao-pdr.html");
    let text = main_text(&html);
    assert!(
        text.contains(&format!(
            "How to cite: {PUBLISHER}, E-Government Country Profiles, “Lao PDR: e-government profile”"
        )),
        "{text}"
    );
    let package = read(&site().out, "data/datapackage.json");
    let v: serde_json::Value = serde_json::from_str(&package).unwrap();
    let cite = v["citation"]
        .as_str()
        .unwrap_or_else(|| panic!("{package}"));
    assert!(
        cite.starts_with(&format!("{PUBLISHER}, E-Government Country Profiles, ")),
        "{cite}"
    );
}

#[test]
fn buttons_and_inputs_are_styled_with_large_targets() {
    let css = read(&site().out, "style.css");
    let rule = css
        .split('}')
        .find(|r| r.trim_start().starts_with("button,input[type=search]"))
        .unwrap_or_else(|| panic!("no rule for buttons and inputs: {css}"));
    assert!(rule.contains("min-height:44px"), "{rule}");
    assert!(
        css.contains("font-variant-numeric:tabular-nums"),
        "tables line up figures"
    );
}

#[test]
fn the_portals_overview_is_a_directory_of_names_addresses_and_answers() {
    let html = page("overview/institutional-organizational-framework.html");
    let dir = between(&html, "<section class=directory", "</section>");
    // One group of rows per country, each row a name as typed and an address.
    let rows: Vec<String> = dir
        .split("<tr")
        .skip(2)
        .map(|r| visible_text(&format!("<tr{r}")))
        .collect();
    let row = |needle: &str| {
        rows.iter()
            .find(|r| r.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle}: {rows:#?}"))
            .clone()
    };
    assert_eq!(
        row("laoservicesportal"),
        "Lao PDR Lao Services Portal www.laoservicesportal.gov.la Answer to question 7"
    );
    assert_eq!(
        row("laotradeportal"),
        "Lao PDR Trade Portal laotradeportal.gov.la"
    );
    assert_eq!(
        row("registrationservices"),
        "one stop for business registration https://www.registrationservices.gov.kh/en/home/"
    );
    assert_eq!(
        row("chinhphu.vn"),
        "Viet Nam Vietnamese version http://chinhphu.vn/ Answer to question 7"
    );
    assert_eq!(
        row("www.seva.gov.kh"),
        "Cambodia no name typed www.seva.gov.kh Answer to question 7"
    );
    // Addresses link where the answer's own text links them; each country's answer is
    // linked at its place in the profile.
    for href in [
        "http://www.laoservicesportal.gov.la",
        "http://laotradeportal.gov.la",
        "https://vietnam.gov.vn/",
        "http://www.seva.gov.kh",
        "../countries/lao-pdr.html#q7",
        "../countries/cambodia.html#q7",
        "../countries/viet-nam.html#q7",
    ] {
        assert!(links_to(dir, href), "{href}: {dir}");
    }
    assert!(has_attr(dir, "th", "scope", "rowgroup"));
    assert!(!dir.contains("<dl>"), "a table, not the answer text");
}

/// `egovsite check` on a copy of the site after `change`: its messages and exit code.
fn check_after(change: impl FnOnce(&Path)) -> (String, Option<i32>) {
    let dir = site_copy();
    change(dir.path());
    let out = egovsite(&["check", "--root", "."], dir.path());
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

fn set_in_site_yaml(root: &Path, from: &str, to: &str) -> usize {
    let path = root.join("content/site.yaml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from}");
    let text = text.replacen(from, to, 1);
    fs::write(&path, &text).unwrap();
    // The line of the change.
    text[..text.find(to).unwrap()].matches('\n').count() + 1
}

#[test]
fn a_pale_accent_is_refused_with_its_contrast_at_its_place() {
    let mut line = 0;
    let (err, code) = check_after(|root| {
        line = set_in_site_yaml(root, "accent: \"#00609c\"", "accent: \"#7fa7d0\"");
    });
    assert_eq!(code, Some(1), "{err}");
    let at = format!("content/site.yaml:{line}:9:");
    assert!(err.contains(&at), "{at} in {err}");
    assert!(
        err.contains("accent `#7fa7d0` has a contrast of 2.51:1 against white"),
        "{err}"
    );
    assert!(err.contains("at least 4.5:1"), "{err}");
}

#[test]
fn bad_identity_values_are_named_at_their_place() {
    let mut lines = Vec::new();
    let (err, code) = check_after(|root| {
        lines.push(set_in_site_yaml(
            root,
            "accent: \"#00609c\"",
            "accent: navy",
        ));
        lines.push(set_in_site_yaml(
            root,
            "logo: logo.svg",
            "logo: missing.svg",
        ));
        lines.push(set_in_site_yaml(
            root,
            "favicon: favicon.svg",
            "favicon: ../README.md",
        ));
        lines.push(set_in_site_yaml(
            root,
            "url: https://publicadministration.un.org/",
            "url: publicadministration.un.org",
        ));
    });
    assert_eq!(code, Some(1), "{err}");
    for (line, col, message) in [
        (lines[0], 9, "accent `navy` is not a CSS hex colour"),
        (
            lines[1],
            7,
            "logo `missing.svg` is in neither content/static/ nor themes/default/static/",
        ),
        (
            lines[2],
            10,
            "favicon `../README.md` is not a path inside content/static/",
        ),
        (
            lines[3],
            8,
            "publisher url `publicadministration.un.org` is not a web address",
        ),
    ] {
        let at = format!("content/site.yaml:{line}:{col}: {message}");
        assert!(err.contains(&at), "{at} in {err}");
    }
}

#[test]
fn a_site_without_identity_fields_builds_without_them() {
    let dir = site_copy();
    let path = dir.path().join("content/site.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            ![
                "publisher:",
                "  name:",
                "  url:",
                "logo:",
                "favicon:",
                "accent:",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        })
        .collect();
    fs::write(&path, kept.join("\n") + "\n").unwrap();
    let out = dir.path().join("out");
    let mut opts = BuildOptions::new(dir.path().to_path_buf());
    opts.output = out.clone();
    build(&opts).unwrap_or_else(|e| panic!("{e}"));
    let home = read(&out, "index.html");
    assert!(
        !home.contains("class=logo") && !home.contains("--accent:"),
        "{home}"
    );
    assert!(!home.contains("rel=icon"));
    let lao = main_text(&read(&out, "countries/lao-pdr.html"));
    assert!(
        lao.contains("How to cite: E-Government Country Profiles, “Lao PDR"),
        "the title alone stands for the author: {lao}"
    );
}
