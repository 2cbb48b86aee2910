//! Mistakes staff can make: each gives `file:line:column: what; expected ...`, exit code 1,
//! and nothing written (the previous output stays as it was).

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// Build once so an output exists, then break content and check the output is untouched.
fn break_and_build(edit: impl FnOnce(&Path)) -> (String, i32, tempfile::TempDir) {
    let dir = site_copy();
    let ok = egovsite(&["build", "--root", "."], dir.path());
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let before = fs::read(dir.path().join("public/countries/lao-pdr.html")).unwrap();
    edit(dir.path());
    let out = egovsite(&["build", "--root", "."], dir.path());
    let after = fs::read(dir.path().join("public/countries/lao-pdr.html")).unwrap();
    assert_eq!(
        before, after,
        "a failed build must leave the previous output as it was"
    );
    assert!(
        !dir.path().join(".public.staging").exists(),
        "no staging folder left behind"
    );
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
        dir,
    )
}

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

#[test]
fn malformed_yaml_gives_position_and_writes_nothing() {
    let (stderr, code, _dir) = break_and_build(|root| {
        replace_in(
            root,
            "content/countries/cambodia/country.yaml",
            "iso3: KHM",
            "iso3: [KHM",
        );
    });
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("content/countries/cambodia/country.yaml:"),
        "{stderr}"
    );
    assert!(stderr.contains("; expected "), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
}

#[test]
fn unknown_question_id_is_reported_at_its_line() {
    let rel = "content/countries/lao-pdr/msq-2022.yaml";
    let (stderr, code, dir) = break_and_build(|root| {
        replace_in(root, rel, "  q7:\n", "  q999:\n");
    });
    assert_eq!(code, 1, "{stderr}");
    let line = line_of(dir.path(), rel, "q999:");
    let expected = format!("{rel}:{line}:3: unknown question id `q999` for edition `msq-2022`; expected a question id of that edition: `q1` … `q126`");
    assert!(
        stderr.contains(&expected),
        "wanted {expected}\ngot {stderr}"
    );
}

#[test]
fn all_problems_are_reported_in_one_run() {
    let dir = site_copy();
    replace_in(
        dir.path(),
        "content/countries/lao-pdr/msq-2022.yaml",
        "  q7:\n",
        "  q999:\n",
    );
    replace_in(
        dir.path(),
        "content/news/lao-digital-government-decree-vi.md",
        "date: 2022",
        "date: 2022-13",
    );
    replace_in(
        dir.path(),
        "content/reports/odsc-lao-pdr-2021-outcome-report.md",
        "countries: [lao-pdr]",
        "countries: [laos]",
    );
    let out = egovsite(&["check", "--root", "."], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("unknown question id `q999`"), "{stderr}");
    assert!(
        stderr.contains("bad date `2022-13`; expected `YYYY`, `YYYY-MM` or `YYYY-MM-DD`"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown country `laos`"), "{stderr}");
    assert!(stderr.contains("3 problem(s) found"), "{stderr}");
    assert!(!dir.path().join("public").exists(), "check writes nothing");
}

#[test]
fn wrong_kind_of_answer() {
    let dir = site_copy();
    let rel = "content/countries/cambodia/msq-2021.yaml";
    replace_in(
        dir.path(),
        rel,
        "  q14:\n    choice: \"unknown\"\n",
        "  q14:\n    choice: maybe\n",
    );
    replace_in(
        dir.path(),
        rel,
        "  q20:\n    text: |-\n",
        "  q20:\n    choice: \"yes\"\n    text: |-\n",
    );
    let out = egovsite(&["check", "--root", "."], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`maybe` is not an option of question 14; expected `yes`, `no`, `unknown`"),
        "{stderr}"
    );
}

#[test]
fn typo_in_a_field_name_is_an_error() {
    let dir = site_copy();
    replace_in(
        dir.path(),
        "content/countries/lao-pdr/country.yaml",
        "official_name:",
        "oficial_name:",
    );
    let out = egovsite(&["check", "--root", "."], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("content/countries/lao-pdr/country.yaml:2:1: invalid YAML: unknown field `oficial_name`; expected one of"), "{stderr}");
}

#[test]
fn bad_slug_and_missing_front_matter_end() {
    let dir = site_copy();
    fs::write(
        dir.path().join("content/news/Bad_Name.md"),
        "---\ntitle: x\ndate: 2022\nlanguage: en\nsource: {publisher: x}\n---\nBody\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("content/reports/open.md"),
        "---\ntitle: never closed\n",
    )
    .unwrap();
    let out = egovsite(&["check", "--root", "."], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("content/reports/open.md:1:1: front matter has no closing `---` line"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/news/Bad_Name.md:1:1: file name `Bad_Name`"),
        "{stderr}"
    );
}
