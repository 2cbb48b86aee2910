//! Arabic pages read right to left: the bundled site built with Arabic among its languages
//! says `dir="rtl"` on every Arabic page and `dir="ltr"` on the others, marks the English
//! content inside an Arabic page `lang="en" dir="ltr"` (so its addresses and figures read
//! as written), names the way each language in the switcher runs, and mirrors the
//! indicator charts. The browser test (tests/browser.rs) checks the same pages' layout.

mod common;

use std::fs;

/// The bundled site with Arabic added to its languages, built; returns the temp folder
/// and the output folder. Until the Arabic strings file is in the theme, English strings
/// stand in for it (what is checked here is direction, not wording).
fn built_with_arabic() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = common::site_copy();
    let root = site.path();
    let ar = root.join("themes/default/i18n/ar.yaml");
    if !ar.is_file() {
        let en = common::read(root, "themes/default/i18n/en.yaml");
        let strings = en
            .lines()
            .map(|l| {
                if l.starts_with("language_name:") {
                    "language_name: العربية"
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(&ar, strings + "\n").unwrap();
    }
    let config = common::read(root, "content/site.yaml");
    let config: Vec<&str> = config
        .lines()
        .map(|l| {
            if l.starts_with("languages:") {
                "languages: [en, fr, ar]"
            } else {
                l
            }
        })
        .collect();
    fs::write(root.join("content/site.yaml"), config.join("\n") + "\n").unwrap();
    let out = root.join("public");
    let build = common::egovsite(
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--quiet",
        ],
        root,
    );
    assert!(
        build.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    (site, out)
}

#[test]
fn arabic_pages_run_right_to_left_and_english_inside_them_left_to_right() {
    let (_site, out) = built_with_arabic();
    let ar = common::read(&out, "ar/countries/lao-pdr.html");
    let en = common::read(&out, "countries/lao-pdr.html");
    let fr = common::read(&out, "fr/countries/lao-pdr.html");
    assert!(ar.starts_with(r#"<!DOCTYPE html><html lang="ar" dir="rtl""#));
    assert!(en.starts_with(r#"<!DOCTYPE html><html lang="en" dir="ltr""#));
    assert!(fr.starts_with(r#"<!DOCTYPE html><html lang="fr" dir="ltr""#));
    for page in ["ar/index.html", "ar/questions/index.html", "ar/search.html"] {
        assert!(
            common::read(&out, page).contains(r#"<html lang="ar" dir="rtl""#),
            "{page}"
        );
    }

    // The answers (in English, the content's language) and the question wording inside
    // the Arabic page read left to right; on the French page they need no dir.
    assert!(
        ar.contains(r#"<div class="detail" lang="en" dir="ltr">"#),
        "Arabic profile: an answer without its direction"
    );
    assert!(ar.contains(r#"<div lang="en" dir="ltr"><p>Country name</p>"#));
    assert!(fr.contains(r#"<div class="detail" lang="en">"#));
    assert!(!fr.contains(r#"lang="en" dir="#));
    // An English answer in the Arabic page is never left without its direction.
    assert!(
        !ar.contains(r#"lang="en">"#),
        "a lang=en without dir on the Arabic page"
    );
    assert!(
        !ar.contains("lang=en>"),
        "a lang=en without dir on the Arabic page"
    );

    // The switcher names each language's direction where it differs from the page's.
    assert!(en.contains(r#"hreflang="ar" lang="ar" dir="rtl">العربية</a>"#));
    assert!(ar.contains(r#"hreflang="en" lang="en" dir="ltr">English</a>"#));
    assert_eq!(
        fr.matches(r#"dir="rtl""#).count(),
        1,
        "on the French page only the link to Arabic runs right to left"
    );

    // The indicator charts are mirrored on the Arabic page only.
    let svg = |html: &str| {
        let start = html.find("<svg viewBox").expect("a chart on the profile");
        html[start..start + html[start..].find('>').unwrap()].to_string()
    };
    assert!(svg(&ar).contains(r#"direction="rtl""#), "{}", svg(&ar));
    assert!(!svg(&en).contains("direction"), "{}", svg(&en));

    // Web addresses shown on their own read left to right in every language.
    let directory = common::read(&out, "ar/overview/covid-19-response-and-recovery.html");
    let address = directory
        .split("class=address>")
        .nth(1)
        .expect("an address in the directory");
    assert!(
        address.starts_with("<a href=")
            && address[..address.find('>').unwrap()].contains("dir=ltr"),
        "{}",
        &address[..120.min(address.len())]
    );
    // The printed page's address is isolated from the Arabic words before it.
    assert!(ar.contains("<bdi>https://"));
}

#[test]
fn the_theme_uses_logical_directions_only() {
    // Physical sides would not mirror on an Arabic page: margins, paddings, borders,
    // positions and alignment are written as inline/block start and end.
    for file in ["style.css", "search.css"] {
        let css = common::read(&common::repo(), &format!("themes/default/static/{file}"));
        let physical = [
            "-left",
            "-right",
            "-top",
            "-bottom",
            "{left:",
            ";left:",
            "{right:",
            ";right:",
            "{top:",
            ";top:",
            "{bottom:",
            ";bottom:",
            "text-align:left",
            "text-align:right",
            "float:left",
            "float:right",
        ];
        for word in physical {
            assert!(!css.contains(word), "{file} uses {word}");
        }
    }
    // Fonts per script, system fonts only.
    let css = common::read(&common::repo(), "themes/default/static/style.css");
    for font in [
        "[lang]:lang(ar)",
        "\"Noto Naskh Arabic\"",
        "Tahoma",
        "[lang]:lang(zh)",
        "\"Noto Sans CJK SC\"",
        "\"Microsoft YaHei\"",
        "\"PingFang SC\"",
    ] {
        assert!(css.contains(font), "style.css lacks {font}");
    }
    assert!(!css.contains("@font-face") && !css.contains("url("));
}
