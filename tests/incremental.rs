//! `serve` applies a change to one answers file without rebuilding the site: the country's
//! pages and the comparison pages are re-rendered from the updated model. These tests
//! check that dependency map against full builds: the pages the quick path renders are
//! byte-identical to a full build's after the edit, and no other page of a full build
//! changed (only the data files and the search index, which the full rebuild that follows
//! in `serve` brings up to date).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use egovsite::build::render;
use egovsite::output::OutFile;
use egovsite::serve::live::{render_live, Wave};

const ANSWERS: &str = "content/countries/lao-pdr/msq-2022.yaml";

fn by_path(files: Vec<OutFile>) -> BTreeMap<String, Vec<u8>> {
    files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

/// The Lao answers file with a new editor's note on q39 and a new written answer on q40.
fn edit(root: &Path) {
    let path = root.join(ANSWERS);
    let text = fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "\n  q39:\n",
        "\n  q39:\n    note: \"QUICK-NOTE checked again.\"\n",
        1,
    );
    let at = text.find("\n  q40:\n").expect("q40 answered");
    let rest = &text[at + "\n  q40:\n".len()..];
    let end = rest
        .find("\n  q")
        .map_or(text.len(), |i| at + "\n  q40:\n".len() + i);
    let text = format!(
        "{}\n  q40:\n    text: \"QUICK-DETAIL at www.example.gov.la\"{}",
        &text[..at],
        &text[end..]
    );
    fs::write(&path, text).unwrap();
}

#[test]
fn one_answers_file_updates_exactly_the_pages_a_full_build_changes() {
    let site = common::site_copy();
    let root = site.path();
    let before = by_path(render(root, None).unwrap().files);
    let mut live = render_live(root, None).unwrap().live;

    edit(root);
    let change = live
        .update_answers(root, Path::new(ANSWERS))
        .expect("an answers file is updated on its own")
        .unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(live.waves(change), [Wave::Own, Wave::Compared]);
    let mut quick = by_path(live.pages(change, Wave::Own).unwrap());
    let own: Vec<String> = quick.keys().cloned().collect();
    assert!(
        own.contains(&"countries/lao-pdr.html".to_string()),
        "{own:?}"
    );
    assert!(
        own.contains(&"fr/countries/lao-pdr.html".to_string()),
        "{own:?}"
    );
    assert!(own.iter().all(|p| p.contains("lao-pdr")), "{own:?}");
    quick.extend(by_path(live.pages(change, Wave::Compared).unwrap()));

    let after = by_path(render(root, None).unwrap().files);
    for (path, bytes) in &quick {
        assert!(
            after.get(path) == Some(bytes),
            "{path} differs from a full build's"
        );
    }
    let profile = String::from_utf8_lossy(&quick["countries/lao-pdr.html"]).into_owned();
    assert!(profile.contains("QUICK-NOTE") && profile.contains("QUICK-DETAIL"));
    assert!(quick.keys().any(|p| p.starts_with("questions/")
        && String::from_utf8_lossy(&quick[p]).contains("QUICK-DETAIL")));
    // Everything else a full build changed is data or the search index.
    for (path, bytes) in &after {
        if before.get(path) != Some(bytes) && !quick.contains_key(path) {
            assert!(
                path.starts_with("data/") || path.starts_with("search/"),
                "{path} changed but is not re-rendered by the quick path"
            );
        }
    }
}

#[test]
fn a_broken_answers_file_is_reported_and_changes_nothing() {
    let site = common::site_copy();
    let root = site.path();
    let mut live = render_live(root, None).unwrap().live;
    let path = root.join(ANSWERS);
    let good = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        good.replacen(
            "\n  q39:\n    choice: \"yes\"",
            "\n  q39:\n    choice: maybe",
            1,
        ),
    )
    .unwrap();
    let problems = live
        .update_answers(root, Path::new(ANSWERS))
        .expect("handled on its own")
        .expect_err("an invalid choice is a problem");
    let text: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with(&format!("{ANSWERS}:")) && t.contains("maybe")),
        "{text:?}"
    );
    // Not a file this can do alone: a country.yaml, a document, a new answers file.
    for other in [
        "content/countries/lao-pdr/country.yaml",
        "content/news/lao-digital-government-decree-vi.md",
        "content/countries/lao-pdr/msq-2021.yaml",
    ] {
        assert!(
            live.update_answers(root, Path::new(other)).is_none(),
            "{other}"
        );
    }
    // A changed edition needs a full build.
    fs::write(
        &path,
        good.replacen("edition: msq-2022", "edition: msq-2021", 1),
    )
    .unwrap();
    assert!(live.update_answers(root, Path::new(ANSWERS)).is_none());
}

const NEWS: &str = "content/news/lao-digital-government-decree-vi.md";

#[test]
fn one_document_updates_its_own_pages_as_a_full_build_renders_them() {
    let site = common::site_copy();
    let root = site.path();
    let before = by_path(render(root, None).unwrap().files);
    let mut live = render_live(root, None).unwrap().live;
    let path = root.join(NEWS);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        format!("{text}\n\nQUICK-PARAGRAPH added by the staff.\n"),
    )
    .unwrap();

    let change = live
        .update_document(root, Path::new(NEWS))
        .expect("a document is updated on its own")
        .unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(
        live.waves(change),
        [Wave::Own],
        "a document is on no comparison page"
    );
    let quick = by_path(live.pages(change, Wave::Own).unwrap());
    let paths: Vec<&String> = quick.keys().collect();
    assert_eq!(
        paths,
        [
            "ar/news/lao-digital-government-decree-vi.html",
            "es/news/lao-digital-government-decree-vi.html",
            "fr/news/lao-digital-government-decree-vi.html",
            "news/lao-digital-government-decree-vi.html",
            "ru/news/lao-digital-government-decree-vi.html",
            "zh/news/lao-digital-government-decree-vi.html"
        ],
        "the news item's page in each of the six interface languages"
    );
    let after = by_path(render(root, None).unwrap().files);
    for (path, bytes) in &quick {
        assert!(
            String::from_utf8_lossy(bytes).contains("QUICK-PARAGRAPH"),
            "{path} shows the edit"
        );
        assert!(
            after.get(path) == Some(bytes),
            "{path} differs from a full build's"
        );
        assert!(before.get(path) != Some(bytes), "{path} changed");
    }
}

#[test]
fn a_broken_document_is_reported_and_other_changes_need_a_full_build() {
    let site = common::site_copy();
    let root = site.path();
    let mut live = render_live(root, None).unwrap().live;
    let path = root.join(NEWS);
    let good = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        good.replacen("countries: [lao-pdr]", "countries: [laos]", 1),
    )
    .unwrap();
    let problems = live
        .update_document(root, Path::new(NEWS))
        .expect("handled on its own")
        .expect_err("an unknown country is a problem");
    let text: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with(&format!("{NEWS}:9:")) && t.contains("unknown country `laos`")),
        "{text:?}"
    );
    // The model was left as it was: the good file applies again.
    fs::write(&path, &good).unwrap();
    assert!(matches!(
        live.update_document(root, Path::new(NEWS)),
        Some(Ok(_))
    ));
    // A new date moves the item in every list: a full build.
    fs::write(&path, good.replacen("date: 2022", "date: 2023", 1)).unwrap();
    assert!(live.update_document(root, Path::new(NEWS)).is_none());
    // Not documents, or not known to the model yet.
    fs::write(root.join("content/news/new-item.md"), &good).unwrap();
    for other in [
        ANSWERS,
        "content/news/new-item.md",
        "content/site.yaml",
        "themes/default/templates/document.html",
    ] {
        assert!(
            live.update_document(root, Path::new(other)).is_none(),
            "{other}"
        );
    }
}
