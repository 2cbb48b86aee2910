//! `egovsite new`: the scaffolded site builds, passes the link check, carries the whole
//! default theme, and never overwrites anything.

use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn new_site_builds_without_problems_or_broken_links() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-site");
    let written = egovsite::scaffold::create(&dir).unwrap();
    assert!(
        written.iter().all(|p| p.starts_with(&dir) && p.is_file()),
        "{written:?}"
    );
    for rel in [
        "content/site.yaml",
        "content/questionnaires/sample-2024.yaml",
        "content/countries/exampleland/country.yaml",
        "content/countries/exampleland/sample-2024.yaml",
        "themes/default/templates/base.html",
        "themes/default/static/style.css",
    ] {
        assert!(dir.join(rel).is_file(), "{rel} missing");
    }
    let has_report = fs::read_dir(dir.join("content/reports"))
        .unwrap()
        .any(|e| e.unwrap().path().extension().is_some_and(|x| x == "md"));
    assert!(has_report, "no report");

    let rendered = egovsite::build::render(&dir, None).unwrap_or_else(|problems| {
        let list: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        panic!("the new site does not build:\n{}", list.join("\n"))
    });
    let broken = egovsite::links::check(&rendered.files, &rendered.site.base_path);
    assert!(broken.is_empty(), "{broken:#?}");

    let page = |path: &str| {
        let f = rendered.files.iter().find(|f| f.path == path);
        String::from_utf8(f.unwrap_or_else(|| panic!("no {path}")).bytes.clone()).unwrap()
    };
    let country = page("countries/exampleland.html");
    assert!(country.contains("Exampleland"));
    assert!(country.contains("National Digital Government Strategy"));
    // Contacts stay unpublished by default.
    assert!(!country.contains("jane@example.org"));
    assert!(rendered
        .files
        .iter()
        .any(|f| f.path.starts_with("reports/") && f.path != "reports/index.html"));
}

#[test]
fn new_site_carries_the_whole_default_theme() {
    let theme = repo().join("themes/default");
    let mut on_disk = Vec::new();
    for e in walkdir::WalkDir::new(&theme).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(repo())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            on_disk.push(rel);
        }
    }
    let embedded_files = egovsite::scaffold::theme_files();
    let mut embedded: Vec<String> = embedded_files.iter().map(|(p, _)| p.clone()).collect();
    embedded.sort();
    on_disk.sort();
    // A mismatch after adding or removing a theme file only means the library was not
    // rebuilt since: `touch src/scaffold.rs`.
    assert_eq!(
        embedded, on_disk,
        "the embedded theme differs from themes/default"
    );
    for (rel, bytes) in &embedded_files {
        assert_eq!(
            &fs::read(repo().join(rel)).unwrap()[..],
            *bytes,
            "{rel} differs"
        );
    }
}

#[test]
fn refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let keep = tmp.path().join("notes.txt");
    fs::write(&keep, "mine").unwrap();
    let err = egovsite::scaffold::create(tmp.path()).unwrap_err();
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(fs::read_to_string(&keep).unwrap(), "mine");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);

    let file = tmp.path().join("a-file");
    fs::write(&file, "x").unwrap();
    assert!(egovsite::scaffold::create(&file).is_err());
}

#[test]
fn accepts_an_existing_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let written = egovsite::scaffold::create(tmp.path()).unwrap();
    assert!(written.len() > 5);
    assert!(egovsite::build::load(Path::new(tmp.path())).is_ok());
}
