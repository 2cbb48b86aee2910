//! The bundled site read in a real browser: builds it into a temporary folder, serves it
//! under its base URL's path and runs `tests/browser/check.js` (headless Chromium through
//! playwright-core, with axe-core). At 320, 390 and 1366 px no page of the sample may
//! scroll sideways, a typed search query must list results, axe-core must find no serious
//! or critical violation, every page must say its language's direction (`dir="rtl"` on
//! Arabic pages) with text in other languages reading their own way, the focus ring must
//! have 3:1 contrast and the printed profile must keep its legend, question wording, date
//! and address. Screenshots land in
//! `target/tmp/browser-screenshots/` for people to look at.
//!
//! Needs Chromium (`/usr/bin/chromium`, or `CHROMIUM`) and `npm ci` in `tests/browser/`.
//! When CI is set (as `.ci/run` and CI services do) a missing piece fails the test; on a
//! developer's machine the test says loudly what is missing and skips.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// What is missing to run the browser checks, if anything.
fn missing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if !chromium().is_file() {
        out.push(format!(
            "Chromium at {} (apt-get install chromium, or set CHROMIUM)",
            chromium().display()
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        out.push("node on PATH (apt-get install nodejs)".into());
    }
    for module in ["playwright-core", "axe-core"] {
        if !dir.join("node_modules").join(module).is_dir() {
            out.push(format!(
                "{module} in tests/browser/node_modules (run `npm ci` in tests/browser)"
            ));
        }
    }
    out
}

#[test]
fn the_site_reads_well_in_a_real_browser() {
    let dir = common::repo().join("tests/browser");
    let missing = missing(&dir);
    if !missing.is_empty() {
        let msg = format!(
            "the browser checks cannot run; missing: {}",
            missing.join("; ")
        );
        if in_ci() {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
        return;
    }

    // The site is served below a path, as a GitHub Pages project site is, so that the
    // 404 page is checked at depth in both languages.
    let site = common::site_copy();
    let out = site.path().join("public");
    let build = common::egovsite(
        &[
            "build",
            "--root",
            site.path().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            "https://readers.example/egov-profiles/",
            "--quiet",
        ],
        site.path(),
    );
    assert!(
        build.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&build.stderr)
    );

    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    let run = Command::new("node")
        .arg(dir.join("check.js"))
        .arg("--site")
        .arg(&out)
        .arg("--shots")
        .arg(&shots)
        .arg("--mount")
        .arg("/egov-profiles/")
        .arg("--chromium")
        .arg(chromium())
        .current_dir(&dir)
        .output()
        .expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    println!("{report}");
    assert!(run.status.success(), "the browser checks failed:\n{report}");
    // The run checked what it says, in both languages, and left screenshots.
    for needle in [
        "[en] profile",
        "[fr] profile",
        "[en] matrix",
        "[fr] comparison",
        "[en] search (search.html) at 320 px: typing",
        "[fr] 404",
        // Every page says its direction (dir="rtl" on Arabic pages, once the site lists
        // Arabic: the languages come from the built home page's language switcher).
        "[fr] home (fr/index.html) at 320 px: dir=\"ltr\", text in other languages reads its own way",
        "at 1366 px: printed with legend, question wording, date and address",
        "all browser checks passed",
    ] {
        assert!(
            report.contains(needle),
            "the run lacks {needle:?}:\n{report}"
        );
    }
    for shot in [
        "en-profile-390.png",
        "fr-matrix-1366.png",
        "en-search-320.png",
    ] {
        assert!(shots.join(shot).is_file(), "no screenshot {shot}");
    }
}
