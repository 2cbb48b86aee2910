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
        stderr.contains("bad date `2022-13`: there is no month 13: months run from 01 to 12; expected `YYYY`, `YYYY-MM` or `YYYY-MM-DD`"),
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
    assert!(stderr.contains("content/countries/lao-pdr/country.yaml:2:1: `oficial_name` is not a name this file knows"), "{stderr}");
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

// ---------------------------------------------------------------------------------------
// The silent mistakes `check` now catches, and the ten messages staff meet most often, in
// plain words. Each test pins the wording: what is wrong, where, and what to do, with the
// parser's own words after it.

/// `check` on a copy of the site after `edit`: its stderr and exit code.
fn check_after(edit: impl FnOnce(&Path)) -> (String, i32, tempfile::TempDir) {
    let dir = site_copy();
    edit(dir.path());
    let out = egovsite(&["check", "--root", "."], dir.path());
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
        dir,
    )
}

const LAO: &str = "content/countries/lao-pdr/msq-2022.yaml";
const LAO_COUNTRY: &str = "content/countries/lao-pdr/country.yaml";
const KHM_COUNTRY: &str = "content/countries/cambodia/country.yaml";

#[test]
fn reviewed_indented_into_a_text_answer_is_caught() {
    // Two spaces too far: the line becomes part of the answer's text.
    let (stderr, code, dir) = check_after(|root| {
        replace_in(
            root,
            LAO,
            "      Digital Government Center\n    reviewed: true\n  q6:",
            "      Digital Government Center\n      reviewed: true\n  q6:",
        );
    });
    assert_eq!(code, 1, "{stderr}");
    let line = line_of(dir.path(), LAO, "      reviewed: true");
    let want = format!(
        "{LAO}:{line}:7: `reviewed: true` is indented too far: it has become part of the text of q4, and the page would show it to readers; expected `reviewed:` lined up with `text:` above it (starting in column 5), not with the lines of the text"
    );
    assert!(stderr.contains(&want), "wanted {want}\ngot {stderr}");
}

#[test]
fn a_field_outside_its_question_says_indent_it() {
    // The other way round: `reviewed: true` at the level of the question ids.
    let (stderr, code, dir) = check_after(|root| {
        replace_in(
            root,
            LAO,
            "      Digital Government Center\n    reviewed: true\n",
            "      Digital Government Center\n  reviewed: true\n",
        );
    });
    assert_eq!(code, 1, "{stderr}");
    let text = fs::read_to_string(dir.path().join(LAO)).unwrap();
    let line = text.lines().position(|l| l == "  reviewed: true").unwrap() + 1;
    assert!(
        stderr.contains(&format!("{LAO}:{line}:3: ")),
        "points at the line: {stderr}"
    );
    assert!(stderr.contains("`reviewed: true` is not indented under a question: at this level each line must be a question (`q7:`), so it reads as a question called `reviewed`; expected `reviewed:` indented under the question it belongs to, lined up with that question's `text:` or `choice:` (YAML parser: answers.reviewed: invalid type: boolean `true`, expected struct Answer)"), "{stderr}");
}

#[test]
fn a_bad_date_says_why() {
    let (stderr, code, _dir) = check_after(|root| {
        replace_in(
            root,
            "content/news/lao-digital-government-decree-vi.md",
            "date: 2022",
            "date: 2022-13-01",
        );
    });
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("bad date `2022-13-01`: there is no month 13: months run from 01 to 12; expected `YYYY`, `YYYY-MM` or `YYYY-MM-DD`"), "{stderr}");
}

#[test]
fn a_day_past_the_end_of_the_month_says_how_long_the_month_is() {
    let (stderr, code, _dir) = check_after(|root| {
        replace_in(
            root,
            "content/news/lao-digital-government-decree-vi.md",
            "date: 2022",
            "date: 2023-02-29",
        );
    });
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("bad date `2023-02-29`: February 2023 has only 28 days"),
        "{stderr}"
    );
}

#[test]
fn running_outside_a_site_says_where_to_run() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["check"][..],
        &["build"],
        &["review"],
        &["serve", "--port", "0"],
        &["import", "x.txt", "--edition", "msq-2022", "--country", "x"],
    ] {
        let out = egovsite(args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("error: this folder is not a site's folder: it has no content/ folder. Run this in the site's folder (the one holding content/), or name that folder with --root"), "{args:?}: {stderr}");
    }
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn an_unknown_name_suggests_the_one_meant() {
    let (stderr, code, _dir) = check_after(|root| {
        replace_in(root, LAO_COUNTRY, "official_name:", "oficial_name:");
    });
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(&format!("{LAO_COUNTRY}:2:1: `oficial_name` is not a name this file knows at the top of this file, so its value would be lost: a misspelt name, or a line indented too far or not enough; expected did you mean `official_name`? the names that can be used here are `name`, `names`, `official_name`")), "{stderr}");
    assert!(
        stderr.contains("(YAML parser: unknown field `oficial_name`, expected one of"),
        "technical detail after: {stderr}"
    );
}

#[test]
fn a_misspelt_region_is_caught_with_a_suggestion() {
    let (stderr, code, dir) = check_after(|root| {
        replace_in(
            root,
            KHM_COUNTRY,
            "region: South-eastern Asia",
            "region: South-East Asia",
        );
    });
    assert_eq!(code, 1, "{stderr}");
    let line = line_of(dir.path(), KHM_COUNTRY, "region:");
    assert!(stderr.contains(&format!("{KHM_COUNTRY}:{line}:9: region `South-East Asia` is not one of the UN M49 regions the site uses, so it would get a region page with only this country; expected did you mean `South-eastern Asia`?")), "{stderr}");
}

#[test]
fn a_grouping_spelt_differently_is_caught() {
    let (stderr, code, dir) = check_after(|root| {
        replace_in(root, KHM_COUNTRY, "  - ASEAN", "  - Asean");
        replace_in(
            root,
            LAO_COUNTRY,
            "  - Least developed countries",
            "  - Least-developed countries",
        );
    });
    assert_eq!(code, 1, "{stderr}");
    let line = line_of(dir.path(), LAO_COUNTRY, "Least-developed");
    // Both spellings used once: the later country's is reported.
    assert!(stderr.contains(&format!("{LAO_COUNTRY}:{line}:5: grouping `Least-developed countries` differs only in case or spelling from `Least developed countries` (used by cambodia), so it would get a page of its own")), "{stderr}");
    // Two countries against one: the one spelling that differs is reported, with the
    // spelling the others use as the one expected.
    assert!(
        stderr.contains("grouping `Asean` differs only in case or spelling from `ASEAN` (used by lao-pdr, viet-nam), so it would get a page of its own; expected `ASEAN`, spelt the same way in every country.yaml"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("grouping `ASEAN` differs"),
        "the majority spelling is not reported: {stderr}"
    );
}

#[test]
fn a_leftover_to_review_is_caught() {
    let (stderr, code, dir) = check_after(|root| {
        let p = root.join(LAO_COUNTRY);
        let text = fs::read_to_string(&p).unwrap();
        fs::write(&p, format!("{text}to_review: [region, groupings]\n")).unwrap();
    });
    assert_eq!(code, 1, "{stderr}");
    let line = line_of(dir.path(), LAO_COUNTRY, "to_review:");
    assert!(stderr.contains(&format!("{LAO_COUNTRY}:{line}:1: `to_review` is still here: the importer listed `region`, `groupings` for a person to fill in or check; expected those fields filled in and checked, then the whole `to_review:` line deleted")), "{stderr}");
}

#[test]
fn a_tab_in_the_indentation_is_named() {
    let (stderr, code, _dir) = check_after(|root| {
        replace_in(root, LAO_COUNTRY, "  - ASEAN", "\t- ASEAN");
    });
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("this line is indented with a tab character, which YAML does not allow; expected spaces instead of the tab"),
        "{stderr}"
    );
}

#[test]
fn a_missing_field_says_which_line_to_add() {
    let (stderr, code, _dir) = check_after(|root| {
        replace_in(root, LAO_COUNTRY, "iso3: LAO\n", "");
    });
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "`iso3` is missing at the top of this file; expected a line `iso3: ...` there"
        ),
        "{stderr}"
    );
}

#[test]
fn text_where_a_list_is_needed_says_how_to_write_a_list() {
    let (stderr, code, _dir) = check_after(|root| {
        replace_in(root, LAO_COUNTRY, "languages: [lo]", "languages: lo");
    });
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("`languages` holds the text \"lo\" where a list is needed; expected a list: `[first, second]` on the same line, or one `- item` per line below"), "{stderr}");
}

#[test]
fn a_hand_written_country_list_in_site_settings_is_caught_when_a_country_is_added() {
    let (stderr, code, _dir) = check_after(|root| {
        replace_in(
            root,
            "content/site.yaml",
            "source: >-\n",
            "source: >-\n  UN DESA Member States Questionnaire exports (Lao PDR, Cambodia).\n",
        );
        add_third_country(root);
    });
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("content/site.yaml:"), "{stderr}");
    assert!(stderr.contains("`source` names `Cambodia`, `Lao PDR` but not `Testland`, `Viet Nam`, which the site now also has answers from; expected no list of countries here"), "{stderr}");
}

/// A third country with answers: Cambodia's answers under another name and code.
fn add_third_country(root: &Path) {
    let dir = root.join("content/countries/testland");
    fs::create_dir_all(&dir).unwrap();
    let info = fs::read_to_string(root.join(KHM_COUNTRY))
        .unwrap()
        .replace("name: Cambodia", "name: Testland")
        .replace("Kingdom of Cambodia", "Republic of Testland")
        .replace("iso3: KHM", "iso3: XTL");
    fs::write(dir.join("country.yaml"), info).unwrap();
    fs::copy(
        root.join("content/countries/cambodia/msq-2021.yaml"),
        dir.join("msq-2021.yaml"),
    )
    .unwrap();
}

#[test]
fn the_footer_lists_the_countries_from_content() {
    let dir = site_copy();
    add_third_country(dir.path());
    let out = egovsite(&["build", "--root", "."], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Each language names the countries as its UN short names (a country without one, such
    // as Testland, keeps its own name) and sorts them by its own rules.
    for (page, names) in [
        ("index.html", "Cambodia, Lao PDR, Testland, Viet Nam."),
        (
            "countries/lao-pdr.html",
            "Cambodia, Lao PDR, Testland, Viet Nam.",
        ),
        (
            "fr/index.html",
            "Cambodge, République démocratique populaire lao, Testland, Viet Nam.",
        ),
    ] {
        let html = read(dir.path(), &format!("public/{page}"));
        let footer = &html[html.find("<footer").expect("a footer")..];
        assert!(footer.contains(names), "{page}: {footer}");
    }
}

#[test]
fn an_email_address_in_a_committed_file_is_a_warning() {
    let rel = "content/news/lao-digital-government-decree-vi.md";
    let dir = site_copy();
    let clean = egovsite(&["check", "--root", "."], dir.path());
    assert!(
        !String::from_utf8_lossy(&clean.stderr).contains("warning"),
        "the bundled content has no e-mail address: {}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let text = fs::read_to_string(dir.path().join(rel)).unwrap();
    fs::write(
        dir.path().join(rel),
        format!("{text}\nWrite to someone.else@example.gov.la for details.\n"),
    )
    .unwrap();
    // A private contacts file may hold addresses: it is not committed.
    fs::write(
        dir.path()
            .join("content/countries/lao-pdr/msq-2022.contacts.yaml"),
        "q5: private.person@example.gov.la\n",
    )
    .unwrap();
    let out = egovsite(&["check", "--root", "."], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "a warning only: {stderr}");
    let line = line_of(dir.path(), rel, "someone.else@");
    assert!(stderr.contains(&format!("warning: {rel}:{line}:10: an e-mail address (`someone.else@example.gov.la`) in a file that is committed to the repository, where anyone can read it once the repository is public")), "{stderr}");
    assert!(!stderr.contains("private.person"), "{stderr}");
}
