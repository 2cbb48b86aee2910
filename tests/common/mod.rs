//! Helpers shared by the integration tests: a copy of the real site in a temporary folder,
//! and reading what a build wrote.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A temporary copy of the bundled site (content/ and themes/).
pub fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    dir
}

/// Run the egovsite binary.
pub fn egovsite(args: &[&str], cwd: &Path) -> Output {
    egovsite_with_env(args, cwd, &[])
}

/// Run the egovsite binary with extra environment variables.
pub fn egovsite_with_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_egovsite"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

pub fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// All files of an output folder, as the link checker wants them.
pub fn output_files(out: &Path) -> Vec<egovsite::output::OutFile> {
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push(egovsite::output::OutFile {
                path: rel,
                bytes: fs::read(e.path()).unwrap(),
            });
        }
    }
    files
}

/// Whether some `tag` on the page has `attr` equal to `value` (quoted or not).
pub fn has_attr(html: &str, tag: &str, attr: &str, value: &str) -> bool {
    egovsite::markup::html::start_tags(html)
        .iter()
        .any(|t| t.name == tag && t.attr(attr) == Some(value))
}

/// Whether the page links to exactly `href`.
pub fn links_to(html: &str, href: &str) -> bool {
    egovsite::markup::html::extract_links(html)
        .iter()
        .any(|(h, _)| h == href)
}

/// What a reader sees inside `<main>`: tags removed, entities decoded, whitespace collapsed.
pub fn main_text(html: &str) -> String {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    visible_text(&html[start..end])
}

/// Text of an HTML fragment with tags removed and entities decoded, whitespace collapsed.
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Invented respondents' names and addresses: the private contacts files
/// (`<edition>.contacts.yaml`, never committed) a staff member's copy of the site holds.
pub const TEST_CONTACTS: &[(&str, &str)] = &[
    (
        "content/countries/lao-pdr/msq-2022.contacts.yaml",
        "q2: Tester LAOREVIEW\nq5: tester.lao@example.gov.la\nq15: Dr. Official LAOCIO\nq18: official.lao@example.gov.la\n",
    ),
    (
        "content/countries/cambodia/msq-2021.contacts.yaml",
        "q2: Mr. Tester Khmerline\nq5: tester-khm@example.gov.kh\nq15: H.E Official Khmercio\nq18: official-khm@example.gov.kh\n",
    ),
];

/// Write [`TEST_CONTACTS`] into the site at `root`.
pub fn add_test_contacts(root: &Path) {
    for (rel, text) in TEST_CONTACTS {
        fs::write(root.join(rel), text).unwrap();
    }
}
