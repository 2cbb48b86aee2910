//! Personal data stays out of the repository: contacts live in a private
//! `<edition>.contacts.yaml` beside the answers, which .gitignore excludes; the site builds
//! with them (shown only with publish_contacts) and without them.

mod common;

use std::fs;
use std::path::Path;

use common::*;

const PRIVATE: &str = "content/countries/lao-pdr/msq-2022.contacts.yaml";

fn set_publish(root: &Path, on: bool) {
    let p = root.join("content/site.yaml");
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains("publish_contacts: false"));
    if on {
        fs::write(
            &p,
            text.replace("publish_contacts: false", "publish_contacts: true"),
        )
        .unwrap();
    }
}

fn build(root: &Path) -> String {
    let out = egovsite(&["build", "--root", "."], root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    read(root, "public/countries/lao-pdr.html")
}

#[test]
fn committed_content_has_no_email_address_or_contacts_block() {
    let warnings = egovsite::contacts::warnings(&repo());
    assert!(warnings.is_empty(), "{warnings:#?}");
    for slug in ["lao-pdr/msq-2022", "cambodia/msq-2021"] {
        let text = read(&repo(), &format!("content/countries/{slug}.yaml"));
        assert!(!text.contains("contacts:"), "{slug}");
        assert!(!text.contains('@'), "{slug}");
    }
}

#[test]
fn the_private_file_is_ignored_by_git_here_and_in_new_sites() {
    let ignore = read(&repo(), ".gitignore");
    assert!(
        ignore
            .lines()
            .any(|l| l == egovsite::contacts::GITIGNORE_LINE),
        "{ignore}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    egovsite::scaffold::create(&site).unwrap();
    let ignore = read(&site, ".gitignore");
    assert!(
        ignore
            .lines()
            .any(|l| l == egovsite::contacts::GITIGNORE_LINE),
        "{ignore}"
    );
    let answers = read(&site, "content/countries/exampleland/sample-2024.yaml");
    assert!(
        !answers.contains('@') && !answers.contains("contacts:"),
        "{answers}"
    );
    let private = read(
        &site,
        "content/countries/exampleland/sample-2024.contacts.yaml",
    );
    assert!(private.contains("q3: jane@example.org"), "{private}");
}

#[test]
fn builds_without_the_private_file() {
    let dir = site_copy();
    set_publish(dir.path(), true);
    assert!(!dir.path().join(PRIVATE).exists());
    let html = build(dir.path());
    assert!(html.contains("Lao PDR"));
    assert!(!html.contains("[at]"), "no contact to show");
}

#[test]
fn builds_with_the_private_file_and_shows_it_only_when_published() {
    let dir = site_copy();
    fs::write(
        dir.path().join(PRIVATE),
        "# test contacts\nq2: Test Respondent\nq5: test.respondent@example.gov.la\n",
    )
    .unwrap();
    let hidden = build(dir.path());
    assert!(
        !hidden.contains("Test Respondent"),
        "publish_contacts is false"
    );
    assert!(!hidden.contains("example.gov.la"));

    set_publish(dir.path(), true);
    let shown = build(dir.path());
    assert!(
        shown.contains("Test Respondent"),
        "publish_contacts: true shows them"
    );
    assert!(shown.contains("test.respondent [at] example.gov.la"));
}

#[test]
fn a_bad_private_file_is_reported_at_its_line() {
    let dir = site_copy();
    fs::write(dir.path().join(PRIVATE), "q2: Test Respondent\nname: x\n").unwrap();
    let out = egovsite(&["check", "--root", "."], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{PRIVATE}:2:1: `name` is not a question id")),
        "{stderr}"
    );
}

#[test]
fn import_writes_contacts_to_the_private_file_only() {
    let dir = site_copy();
    let export = repo().join("tests/fixtures/import/cambodia-msq-export.txt");
    let out = egovsite(
        &[
            "import",
            export.to_str().unwrap(),
            "--edition",
            "msq-2021",
            "--country",
            "cambodia-copy",
        ],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("wrote content/countries/cambodia-copy/msq-2021.contacts.yaml (respondents' names and addresses: kept out of git by .gitignore, never committed)"), "{stderr}");
    let answers = read(dir.path(), "content/countries/cambodia-copy/msq-2021.yaml");
    assert!(
        !answers.contains('@') && !answers.contains("\ncontacts:"),
        "{answers}"
    );
    // Which contact questions were answered is recorded, without the personal data, so
    // the published site says "not published" for them rather than "no answer".
    assert!(
        answers.contains("contacts_private: [q2, q5, q15, q18]"),
        "{answers}"
    );
    let private = read(
        dir.path(),
        "content/countries/cambodia-copy/msq-2021.contacts.yaml",
    );
    assert!(private.starts_with("# Personal data"), "{private}");
    assert!(private.contains("@mptc.gov.kh"), "{private}");
    // The imported answers read back with their contacts from the private file.
    let af = egovsite::content::load_answers(
        dir.path(),
        Path::new("content/countries/cambodia-copy/msq-2021.yaml"),
    )
    .unwrap();
    assert_eq!(af.value.contacts.len(), 4, "{:?}", af.value.contacts);
}

#[test]
fn a_contacts_block_left_in_a_committed_answers_file_is_a_warning() {
    let dir = site_copy();
    let rel = "content/countries/cambodia/msq-2021.yaml";
    let text = read(dir.path(), rel);
    // The layout answers files had before contacts moved out: names, no address.
    let old = text.replacen(
        "answers:\n",
        "contacts:\n  q2: Mr. Tester Khmerline\nanswers:\n",
        1,
    );
    fs::write(dir.path().join(rel), old).unwrap();
    let out = egovsite(&["check", "--root", "."], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "a warning only: {stderr}");
    let line = read(dir.path(), rel)
        .lines()
        .position(|l| l == "contacts:")
        .unwrap()
        + 1;
    assert!(stderr.contains(&format!("warning: {rel}:{line}:1: respondents' names and addresses are kept in the answers file, which is committed to the repository; expected them moved to msq-2021.contacts.yaml beside it")), "{stderr}");
}
