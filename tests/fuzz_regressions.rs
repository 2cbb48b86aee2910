//! Replays inputs found by the fuzz targets in fuzz/ (kept in tests/fixtures/fuzz/<target>/)
//! through the same code paths, so what once crashed or hung stays fixed.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egovsite::content::{
    frontmatter, yaml, AnswerFile, Catalogue, CountryInfo, DocMeta, SiteConfig,
};
use egovsite::markup::markdown::{render, ANSWER, DOCUMENT};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| (e.path(), fs::read(e.path()).unwrap()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Each input must finish quickly: a hang is a failure too.
fn bounded(path: &Path, f: impl FnOnce()) {
    let start = Instant::now();
    f();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{} took {:?}",
        path.display(),
        start.elapsed()
    );
}

#[test]
fn content_loader_inputs() {
    for (path, data) in inputs("content_loader") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        bounded(&path, || {
            let f = Path::new("fuzz.yaml");
            let _ = yaml::parse::<AnswerFile>(text, f, 0);
            let _ = yaml::parse::<Catalogue>(text, f, 0);
            let _ = yaml::parse::<CountryInfo>(text, f, 0);
            let _ = yaml::parse::<SiteConfig>(text, f, 0);
            if let Ok((fm, _, lines)) = frontmatter::split(text, Path::new("fuzz.md")) {
                let _ = yaml::parse::<DocMeta>(fm, Path::new("fuzz.md"), lines);
            }
        });
    }
}

#[test]
fn markdown_inputs() {
    for (path, data) in inputs("markdown") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        bounded(&path, || {
            for style in [DOCUMENT, ANSWER] {
                let html = render(text, style).html.to_ascii_lowercase();
                assert!(
                    !html.contains("<script"),
                    "{}: script survived",
                    path.display()
                );
            }
        });
    }
}

#[test]
fn import_inputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cats: Vec<Catalogue> = ["msq-2022", "msq-2021"]
        .iter()
        .map(|e| {
            serde_yaml::from_str(
                &fs::read_to_string(root.join(format!("content/questionnaires/{e}.yaml"))).unwrap(),
            )
            .unwrap()
        })
        .collect();
    for (path, data) in inputs("import") {
        bounded(&path, || {
            if let Ok(text) = egovsite::import::decode(&data) {
                for cat in &cats {
                    let _ = egovsite::import::parse_export(&text, cat);
                }
            }
        });
    }
}
