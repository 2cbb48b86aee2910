//! Nothing injected, nothing leaked, nothing written outside the output, nothing lost:
//! hostile and broken input against the real site.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

/// Payloads placed in every kind of field.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "<a href=\"javascript:alert(4)\">j</a>",
    "<a href=\"jav&#x09;ascript:alert(5)\">k</a>",
    "<a href=\" JaVaScRiPt:alert(6)\">l</a>",
    "<a href=\"vbscript:msgbox(7)\">m</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==\">n</a>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<object data=\"x\"></object><embed src=\"x\">",
    "<style>body{display:none}</style>",
    "<p style=\"background:url(javascript:alert(9))\">s</p>",
    "\"><script>alert(10)</script>",
    "'><body onload=alert(11)>",
    "[md](javascript:alert(12)) [md2](data:text/html,x) ![i](javascript:alert(13))",
    "<details open ontoggle=alert(14)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(15)>",
];

fn yaml_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Look through every output file for anything a browser would execute.
fn assert_no_script(out: &Path) {
    for f in output_files(out) {
        let text = String::from_utf8_lossy(&f.bytes);
        let lower = text.to_lowercase();
        if f.path.ends_with(".html") {
            for tag in egovsite::markup::html::start_tags(&text) {
                // JSON-LD, the search page's own script and site.js (files of the theme).
                let ok_script = tag.name == "script"
                    && (tag.attr("type") == Some("application/ld+json")
                        || f.path.ends_with("search.html")
                            && tag.attr("src").is_some_and(|s| s.ends_with("search.js"))
                        || tag.attr("src").is_some_and(|s| {
                            s.trim_start_matches("../") == "site.js"
                                || f.path == "404.html"
                                    && s.ends_with("/site.js")
                                    && !s.contains(':')
                        }));
                assert!(
                    !matches!(
                        tag.name.as_str(),
                        "script" | "iframe" | "object" | "embed" | "style" | "math" | "svg"
                    ) || ok_script
                        || tag.name == "svg" && tag.attrs.iter().all(|(n, _)| !n.starts_with("on")),
                    "{}: <{}> from content",
                    f.path,
                    tag.name
                );
                for (name, value) in &tag.attrs {
                    assert!(
                        !name.starts_with("on"),
                        "{}: event handler {name}={value}",
                        f.path
                    );
                    if matches!(
                        name.as_str(),
                        "href" | "src" | "action" | "formaction" | "data" | "xlink:href"
                    ) {
                        let v: String = value
                            .chars()
                            .filter(|c| !c.is_whitespace() && !c.is_control())
                            .collect::<String>()
                            .to_lowercase();
                        for scheme in ["javascript:", "vbscript:", "data:"] {
                            assert!(!v.starts_with(scheme), "{}: {name}={value}", f.path);
                        }
                    }
                    if name == "style" {
                        assert!(
                            !value.to_lowercase().contains("url("),
                            "{}: style {value}",
                            f.path
                        );
                    }
                }
            }
            // JSON-LD blocks must not be closable from content.
            let mut rest = lower.as_str();
            while let Some(i) = rest.find("application/ld+json") {
                let after = &rest[i..];
                let end = after.find("</script>").unwrap_or(after.len());
                assert!(
                    !after[..end].contains("<script") && !after[..end].contains("<!--"),
                    "{}: JSON-LD breaks out",
                    f.path
                );
                rest = &after[end.min(after.len())..];
                if end == after.len() {
                    break;
                }
                rest = &rest[9..];
            }
        } else if f.path.ends_with(".xml") {
            assert!(!lower.contains("<script"), "{}: script in XML", f.path);
        }
    }
}

#[test]
fn xss_payloads_in_every_field_never_become_script() {
    let dir = site_copy();
    let root = dir.path();
    let all = PAYLOADS.join(" ");
    let q = yaml_quote(&all);
    // Markdown fields close what the payloads leave open (`<svg ...>`, `<math>...<style>`),
    // which `check` would otherwise refuse, as it would remove the rest of the text.
    let closers = "</style></math></svg>";
    let q_md = yaml_quote(&format!("{all} {closers}"));
    // YAML strings: site settings, country facts, catalogue labels and question texts.
    let site = read(root, "content/site.yaml").replacen(
        "title: E-Government Country Profiles",
        &format!("title: {q}"),
        1,
    );
    fs::write(root.join("content/site.yaml"), site).unwrap();
    let country = read(root, "content/countries/cambodia/country.yaml")
        .replacen("name: Cambodia", &format!("name: {q}"), 1)
        // No payload in `region`: it must be one of the UN M49 names (src/lint/m49.rs).
        .replacen("  - ASEAN", &format!("  - {q}"), 1);
    fs::write(
        root.join("content/countries/cambodia/country.yaml"),
        country,
    )
    .unwrap();
    let cat = read(root, "content/questionnaires/msq-2021.yaml").replacen(
        "label: Data privacy/protection law\n",
        &format!("label: {q}\n"),
        1,
    );
    fs::write(root.join("content/questionnaires/msq-2021.yaml"), cat).unwrap();
    // Answers: Markdown detail, Other text, inferred reason, no-answer text, editor note.
    let mut answers = read(root, "content/countries/cambodia/msq-2021.yaml");
    answers.push_str(&format!(
        "  q80:\n    text: |\n{}      {closers}\n    note: {q}\n  q84:\n    text: {q_md}\n  q86:\n    no_answer: {q}\n",
        PAYLOADS.iter().map(|p| format!("      {p}\n")).collect::<String>()
    ));
    answers = answers.replacen("    other: 15 Years", &format!("    other: {q}"), 1);
    fs::write(
        root.join("content/countries/cambodia/msq-2021.yaml"),
        answers,
    )
    .unwrap();
    // Documents: front matter strings and the Markdown body.
    fs::write(
        root.join("content/news/xss-test.md"),
        format!(
            "---\ntitle: {q}\ndate: 2023-01\ncountries: [cambodia]\nlanguage: en\nsource:\n  publisher: {q}\n  url: \"https://example.org/?q=<script>\"\nsummary: {q_md}\ndate_basis: {q}\n---\n# {all}\n\n{}\n\n| a | b |\n|---|---|\n| {} | x |\n\n{closers}\n",
            PAYLOADS.join("\n\n"),
            PAYLOADS[1]
        ),
    )
    .unwrap();
    let out = egovsite(&["build", "--root", "."], root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The payload text must be there (escaped), not silently dropped everywhere.
    let news = read(root, "public/news/xss-test.html");
    assert!(
        main_text(&news).contains("<script>alert(1)</script>"),
        "the payload is shown as text, not dropped"
    );
    assert_no_script(&root.join("public"));
}

#[test]
fn hostile_urls_and_slugs_are_refused_by_check() {
    let dir = site_copy();
    let root = dir.path();
    fs::write(
        root.join("content/news/bad-url.md"),
        "---\ntitle: t\ndate: 2023\nlanguage: en\nsource:\n  publisher: p\n  url: \"javascript:alert(1)\"\n---\nx\n",
    )
    .unwrap();
    fs::write(
        root.join("content/news/con.md"),
        "---\ntitle: t\ndate: 2023\nlanguage: en\nsource: {publisher: p}\n---\nx\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("content/countries/Evil..Name")).unwrap();
    fs::write(
        root.join("content/countries/Evil..Name/country.yaml"),
        "name: x\nofficial_name: x\niso3: EVL\nregion: x\n",
    )
    .unwrap();
    let site = read(root, "content/site.yaml").replacen(
        "keep_files: [CNAME]",
        "keep_files: [\"../escape\"]",
        1,
    );
    fs::write(root.join("content/site.yaml"), site).unwrap();
    let out = egovsite(&["check", "--root", "."], root);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "content/news/bad-url.md:7:8: source URL `javascript:alert(1)` is not a web address"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "content/news/con.md:1:1: file name `con` is a reserved device name on Windows"
        ),
        "{err}"
    );
    assert!(
        err.contains("country folder name `Evil..Name` contains characters other than"),
        "{err}"
    );
    assert!(
        err.contains("`../escape` is not a plain file name"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_leaving_the_site_are_refused() {
    let dir = site_copy();
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: secret\ndate: 2023\nlanguage: en\nsource: {publisher: p}\n---\nsecret\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        root.join("content/reports/secret.md"),
    )
    .unwrap();
    fs::create_dir_all(root.join("content/static")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", root.join("content/static/passwd")).unwrap();
    let out = egovsite(&["build", "--root", "."], root);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/reports/secret.md:1:1: symbolic link points outside the site root"),
        "{err}"
    );
    assert!(
        err.contains("content/static/passwd:1:1: symbolic link points outside the site root"),
        "{err}"
    );
    assert!(!root.join("public").exists());
}

#[test]
fn every_email_address_in_content_stays_unpublished() {
    // A copy of the site with the private contacts files staff keep (never committed).
    let copy = site_copy();
    add_test_contacts(copy.path());
    let repo = copy.path().to_path_buf();
    let mut emails = Vec::new();
    for e in walkdir::WalkDir::new(repo.join("content")) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let text = fs::read_to_string(e.path()).unwrap_or_default();
        for word in text.split(|c: char| c.is_whitespace() || "<>()\"',;:[]".contains(c)) {
            let w = word.trim_matches('.');
            if let Some((user, host)) = w.split_once('@') {
                if !user.is_empty() && host.contains('.') {
                    emails.push(w.to_string());
                }
            }
        }
    }
    assert!(
        emails.len() >= 4,
        "the private contacts hold respondents' and CIOs' addresses: {emails:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = egovsite(
        &[
            "build",
            "--root",
            repo.to_str().unwrap(),
            "--output",
            dir.path().join("o").to_str().unwrap(),
        ],
        &repo,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in output_files(&dir.path().join("o")) {
        let text = String::from_utf8_lossy(&f.bytes);
        for e in &emails {
            assert!(!text.contains(e.as_str()), "{} publishes {e}", f.path);
        }
    }
}

#[test]
fn published_contacts_are_obfuscated() {
    let dir = site_copy();
    let root = dir.path();
    let site = read(root, "content/site.yaml").replacen(
        "publish_contacts: false",
        "publish_contacts: true",
        1,
    );
    fs::write(root.join("content/site.yaml"), site).unwrap();
    add_test_contacts(root);
    let out = egovsite(&["build", "--root", "."], root);
    assert!(out.status.success());
    let html = read(root, "public/countries/cambodia.html");
    assert!(
        html.contains("Mr. Tester Khmerline"),
        "names are shown when publish_contacts is set"
    );
    assert!(
        !html.contains("tester-khm@example.gov.kh"),
        "addresses are never shown in harvestable form"
    );
    assert!(html.contains("tester-khm [at] example.gov.kh"));
}

fn check_stderr(root: &Path) -> (Option<i32>, String) {
    let out = egovsite(&["check", "--root", "."], root);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_input_is_a_clear_bounded_error() {
    // Alias bomb.
    let dir = site_copy();
    let mut bomb = String::from("edition: msq-2021\nsource: {document: x}\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..9 {
        bomb.push_str(&format!(
            "{}: &{} [*{},*{},*{},*{},*{},*{},*{},*{},*{}]\n",
            (b'a' + i) as char,
            (b'a' + i) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char
        ));
    }
    fs::write(
        dir.path().join("content/countries/cambodia/msq-2021.yaml"),
        bomb,
    )
    .unwrap();
    let (code, err) = check_stderr(dir.path());
    assert_eq!(code, Some(1));
    assert!(
        err.contains(
            "content/countries/cambodia/msq-2021.yaml:3:7: YAML anchors (&name) are not supported"
        ),
        "{err}"
    );

    // Duplicate keys, invalid UTF-8, a huge file, deep nesting.
    let dir = site_copy();
    let root = dir.path();
    let answers = read(root, "content/countries/lao-pdr/msq-2022.yaml");
    fs::write(
        root.join("content/countries/lao-pdr/msq-2022.yaml"),
        answers.replacen("answers:\n", "answers:\n  q1:\n    text: a\n", 1),
    )
    .unwrap();
    fs::write(
        root.join("content/countries/cambodia/country.yaml"),
        b"name: Cambodia\nofficial_name: \xff\xfe\n",
    )
    .unwrap();
    let huge = fs::File::create(root.join("content/news/huge.md")).unwrap();
    huge.set_len(100 * 1024 * 1024).unwrap();
    fs::write(root.join("content/news/deep.md"), format!("---\ntitle: deep\ndate: 2023\nlanguage: en\nsource: {{publisher: p}}\n---\n{} end\n\n{}x{}\n", ">".repeat(10_000), "*".repeat(5000), "*".repeat(5000))).unwrap();
    let (code, err) = check_stderr(root);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("content/countries/lao-pdr/msq-2022.yaml:")
            && err.contains("duplicate key `q1` (first given at line"),
        "{err}"
    );
    assert!(
        err.contains("content/countries/cambodia/country.yaml:2:16: file is not valid UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("content/news/huge.md:1:1: file is 104857600 bytes, larger than the limit"),
        "{err}"
    );
    assert!(
        !err.contains("deep.md"),
        "deep nesting is bounded, not an error: {err}"
    );
}

#[test]
fn killed_builds_never_leave_a_partial_site() {
    let dir = site_copy();
    let root = dir.path();
    let first = egovsite(&["build", "--root", "."], root);
    assert!(first.status.success());
    let reference: Vec<(String, Vec<u8>)> = output_files(&root.join("public"))
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect();
    // Killed at moments the build itself marks on disk (no delays): at once, once it holds
    // the lock, once its staging folder exists, then as the staging folder fills up.
    let staged = |root: &Path| {
        walkdir::WalkDir::new(root.join(".public.staging"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .count()
    };
    let moments: [(&str, usize); 10] = [
        ("at once", 0),
        ("holding the lock", 0),
        ("staging", 0),
        ("1 file staged", 1),
        ("10 files staged", 10),
        ("100 files staged", 100),
        ("300 files staged", 300),
        ("500 files staged", 500),
        (
            "all but a few files staged",
            reference.len().saturating_sub(5),
        ),
        ("every file staged", reference.len()),
    ];
    for (k, (moment, files)) in moments.into_iter().enumerate() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_egovsite"))
            .args(["build", "--root", "."])
            .current_dir(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if k > 0 {
            // Until the moment comes, or the build ends first (then nothing is killed).
            while child.try_wait().unwrap().is_none() {
                let reached = match k {
                    1 => root.join(".public.lock").exists(),
                    2 => root.join(".public.staging").exists(),
                    _ => staged(root) >= files,
                };
                if reached {
                    break;
                }
                std::thread::yield_now();
            }
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now: Vec<(String, Vec<u8>)> = output_files(&root.join("public"))
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect();
        assert_eq!(
            now.len(),
            reference.len(),
            "kill {moment} left {} files instead of {}",
            now.len(),
            reference.len()
        );
        assert!(now == reference, "kill {moment} changed the output");
    }
    // The next build cleans up whatever a killed one left beside the output.
    assert!(egovsite(&["build", "--root", "."], root).status.success());
    let leftovers: Vec<_> = fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_is_exactly_what_the_build_produced_plus_kept_files() {
    let dir = site_copy();
    let root = dir.path();
    // A folder the build made (it carries the mark), with files it did not write.
    assert!(egovsite(&["build", "--root", "."], root).status.success());
    fs::write(root.join("public/CNAME"), "profiles.example.org\n").unwrap();
    fs::write(root.join("public/stale.html"), "old").unwrap();
    assert!(egovsite(&["build", "--root", "."], root).status.success());
    assert_eq!(
        read(root, "public/CNAME"),
        "profiles.example.org\n",
        "CNAME is listed in keep_files"
    );
    assert!(
        !root.join("public/stale.html").exists(),
        "files the build does not produce are removed"
    );
}
