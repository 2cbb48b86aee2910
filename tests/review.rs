//! `egovsite review`: progress of the review per country, the Markdown checklist, and the
//! staff-only page `serve` shows (never part of a build).

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use common::*;

const LAO: &str = "content/countries/lao-pdr/msq-2022.yaml";

fn replace_in(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

fn line_of(root: &Path, rel: &str, needle: &str) -> usize {
    let text = fs::read_to_string(root.join(rel)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

fn stdout_of(args: &[&str], root: &Path) -> String {
    let out = egovsite(args, root);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn review_counts_reviewed_answers_and_lists_what_is_left() {
    let dir = site_copy();
    let root = dir.path();
    // Two answers not reviewed yet, one of them with a note.
    replace_in(
        root,
        LAO,
        "      Digital Government Center\n    reviewed: true\n  q6:",
        "      Digital Government Center\n  q6:",
    );
    replace_in(
        root,
        LAO,
        "  q6:\n    choice: \"unknown\"\n    reviewed: true\n",
        "  q6:\n    choice: \"unknown\"\n    note: Ask the ministry which option applies.\n",
    );
    let text = stdout_of(&["review", "--root", "."], root);
    let q4 = line_of(root, LAO, "  q4:");
    let q6 = line_of(root, LAO, "  q6:");
    let q19 = line_of(root, LAO, "  q19:");
    assert!(text.contains(&format!(
        "Lao PDR (lao-pdr)\n  consent to publish: not recorded: ask the government for written consent to publish these answers, then add `consent:` to content/countries/lao-pdr/country.yaml (staff guide, \"Consent to publish\")\n  msq-2022 ({LAO})\n    reviewed: 100 of 102 answers\n    not reviewed yet (2):\n      q4    line {q4:<5} Respondent organization\n      q6    line {q6:<5} Respondent's capacity to answer\n"
    )), "{text}");
    assert!(
        text.contains(&format!(
            "      q19   line {q19:<5} Yes because detail given in q20 (reviewed)\n"
        )),
        "inferred choices with their reasons: {text}"
    );
    assert!(
        text.contains(&format!(
            "    answers with notes (1):\n      q6    line {q6:<5} Ask the ministry which option applies.\n"
        )),
        "{text}"
    );
    assert!(text.contains("  msq-2021 (content/countries/cambodia/msq-2021.yaml)\n    reviewed: 101 of 101 answers (all)\n"), "{text}");
    assert!(
        text.ends_with(
            "3 countries: 2 with every answer reviewed, 0 with consent to publish recorded\n"
        ),
        "{text}"
    );
}

#[test]
fn consent_recorded_in_country_yaml_is_shown() {
    let dir = site_copy();
    let root = dir.path();
    let p = root.join("content/countries/cambodia/country.yaml");
    let text = fs::read_to_string(&p).unwrap();
    fs::write(
        &p,
        format!("{text}consent:\n  status: given\n  date: 2026-11-02\n  record: letter MPTC/2026/114, filed in the team's drive\n"),
    )
    .unwrap();
    let out = stdout_of(&["review", "--root", ".", "--country", "cambodia"], root);
    assert!(out.starts_with("Cambodia (cambodia)\n  consent to publish: given (2026-11-02); record: letter MPTC/2026/114, filed in the team's drive\n"), "{out}");
    assert!(
        !out.contains("Lao PDR"),
        "only the country asked for: {out}"
    );
    assert!(
        out.ends_with(
            "1 country: 1 with every answer reviewed, 1 with consent to publish recorded\n"
        ),
        "{out}"
    );
    // The site still checks; a misspelt status is refused in plain words.
    let check = egovsite(&["check", "--root", "."], root);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    fs::write(&p, format!("{text}consent:\n  status: yes\n")).unwrap();
    let check = egovsite(&["check", "--root", "."], root);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("`yes` is not one of the values `consent.status` can take; expected one of `given`, `asked`, `refused`"), "{stderr}");
}

#[test]
fn unknown_country_is_named_with_the_known_ones() {
    let dir = site_copy();
    let out = egovsite(&["review", "--root", ".", "--country", "laos"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "there is no country `laos` in content/countries/; the countries are: cambodia, lao-pdr"
    ));
}

#[test]
fn checklist_links_each_answer_to_its_lines_and_its_page() {
    let dir = site_copy();
    let root = dir.path();
    let export = repo().join("tests/fixtures/import/cambodia-msq-export.txt");
    let md = stdout_of(
        &[
            "review",
            "--root",
            ".",
            "--country",
            "cambodia",
            "--checklist",
            "--export",
            export.to_str().unwrap(),
        ],
        root,
    );
    assert!(
        md.starts_with(
            "# Review checklist\n\n## Cambodia — msq-2021\n\nReviewed 101 of 101 answers."
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "- [ ] Consent to publish recorded in `content/countries/cambodia/country.yaml`\n"
        ),
        "{md}"
    );
    // q20's line in the export is the line holding its question number and text.
    let rel = "content/countries/cambodia/msq-2021.yaml";
    let line = line_of(root, rel, "  q20:");
    let item = md
        .lines()
        .find(|l| l.contains("**q20**"))
        .unwrap_or_else(|| panic!("no q20 item: {md}"));
    assert!(item.starts_with("- [x] **q20** "), "{item}");
    assert!(item.contains(&format!("`{rel}:{line}`")), "{item}");
    assert!(
        item.contains(
            "[on the site](https://example.github.io/egov-profiles/countries/cambodia.html#q20)"
        ),
        "{item}"
    );
    let at = item
        .find("export `cambodia-msq-export.txt:")
        .expect("export line")
        + "export `cambodia-msq-export.txt:".len();
    let n: usize = item[at..].split('`').next().unwrap().parse().unwrap();
    let export_text = fs::read_to_string(&export).unwrap();
    let export_line = export_text.lines().nth(n - 1).unwrap();
    assert!(
        export_line.trim_start().starts_with("20"),
        "line {n} of the export: {export_line:?}"
    );
    let q19 = md.lines().find(|l| l.contains("**q19**")).unwrap();
    assert!(
        q19.ends_with(" · inferred Yes because detail given in q20"),
        "{q19}"
    );
}

fn get(addr: std::net::SocketAddr, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[test]
fn serve_shows_the_review_page_and_build_never_writes_it() {
    let dir = site_copy();
    let root = dir.path();
    replace_in(
        root,
        LAO,
        "      Digital Government Center\n    reviewed: true\n  q6:",
        "      Digital Government Center\n  q6:",
    );
    let server = egovsite::serve::start(&egovsite::serve::ServeOptions {
        root: root.to_path_buf(),
        bind: "127.0.0.1".into(),
        port: 0,
        open: false,
    })
    .expect("serve starts");
    let (status, page) = get(server.addr(), "/_review/");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<h1>Review queue</h1>"), "{page}");
    assert!(page.contains("never part of the published site"), "{page}");
    assert!(
        page.contains("Reviewed: <strong>101 of 102</strong> answers."),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"../countries/lao-pdr.html#q4\">q4 Respondent organization</a>"),
        "{page}"
    );
    server.stop();

    let out = egovsite(&["build", "--root", "."], root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = root.join("public");
    assert!(public.join("index.html").is_file());
    for e in walkdir::WalkDir::new(&public) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(!rel.contains("_review"), "{rel} in the build output");
        if e.file_type().is_file() && rel.ends_with(".html") {
            let html = fs::read_to_string(e.path()).unwrap();
            assert!(!html.contains("_review"), "{rel} links the review page");
            assert!(!html.contains("Review queue"), "{rel}");
        }
    }
}
