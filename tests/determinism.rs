//! The same input builds byte-identical output: twice in a row, and with one worker thread
//! or several (pages are rendered in parallel, so any order taken from thread timing would
//! show here). The corpus is the real site plus enough generated news items, some sharing
//! a date, to give every thread work and every list ties to break.

mod common;

use std::fs;
use std::path::Path;

use common::{egovsite_with_env, output_files, site_copy};

fn build_with_threads(root: &Path, out: &Path, threads: &str) {
    let out = out.to_str().expect("a UTF-8 temporary path");
    let result = egovsite_with_env(
        &["build", "--quiet", "--root", ".", "--output", out],
        root,
        &[("RAYON_NUM_THREADS", threads)],
    );
    assert!(
        result.status.success(),
        "build with {threads} thread(s) failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
}

#[test]
fn one_thread_and_many_threads_build_identical_output() {
    let site = site_copy();
    let news = site.path().join("content/news");
    for i in 0..120 {
        // Three items per date: the order of equal dates must not depend on timing.
        let day = 1 + (i / 3) % 28;
        let month = 1 + (i / 84) % 12;
        let text = format!(
            "---\ntitle: \"Generated item {i:03}\"\ndate: 2023-{month:02}-{day:02}\n\
             countries: [{country}]\ntopics: [digital-government-strategy]\nlanguage: en\n\
             source:\n  publisher: \"Test desk\"\n---\n\n## Summary {i}\n\n\
             Item {i} about e-government portals, open data and digital identity.\n\n\
             - one\n- two\n\n| a | b |\n|---|---|\n| {i} | x |\n",
            country = if i % 2 == 0 { "lao-pdr" } else { "cambodia" },
        );
        fs::write(news.join(format!("generated-{i:03}.md")), text).unwrap();
    }
    let outs = tempfile::tempdir().unwrap();
    let one = outs.path().join("one");
    let many = outs.path().join("many");
    let again = outs.path().join("again");
    build_with_threads(site.path(), &one, "1");
    build_with_threads(site.path(), &many, "4");
    build_with_threads(site.path(), &again, "4");
    let one = output_files(&one);
    let many = output_files(&many);
    let again = output_files(&again);
    assert!(
        one.iter().any(|f| f.path == "news/generated-119.html"),
        "the generated items were built"
    );
    for other in [&many, &again] {
        let a: Vec<&str> = one.iter().map(|f| f.path.as_str()).collect();
        let b: Vec<&str> = other.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(a, b, "the same files are written");
        for (x, y) in one.iter().zip(other.iter()) {
            assert!(x.bytes == y.bytes, "{} differs between builds", x.path);
        }
    }
}
