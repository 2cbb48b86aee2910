//! Structured data (schema.org JSON-LD) for search engines and data catalogues: the site's
//! open data as a `Dataset`, each country profile as a `Dataset`, each report and news item
//! as a `Report` or `NewsArticle`.
//!
//! Every function returns JSON text safe to place inside
//! `<script type="application/ld+json">…</script>` as it is (and to mark `safe` in a
//! template): `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026`, and the line
//! separators U+2028 and U+2029 as escapes too, so no content can close the script element
//! or open a comment, while the JSON still parses to the original strings.

use serde_json::{json, Value};

use crate::content::DocKind;
use crate::model::{Country, Document, Site};
use crate::render::data;
use crate::render::views::urls;

/// Serialise `v` as JSON that cannot end or confuse the `<script>` element it sits in.
pub fn to_script_json(v: &Value) -> String {
    let text = serde_json::to_string(v).expect("JSON values serialise");
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text.as_str();
    // Outside strings JSON never contains these characters, so escaping them everywhere
    // only ever touches string contents.
    while let Some(i) = rest.find(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        out.push_str(&rest[..i]);
        let ch = rest[i..].chars().next().expect("a character at i");
        out.push_str(match ch {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            _ => "\\u2029",
        });
        rest = &rest[i + ch.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The `<script>` element holding `json` (output of this module's functions).
pub fn script(json: &str) -> String {
    format!("<script type=\"application/ld+json\">{json}</script>")
}

fn abs(site: &Site, rel: &str) -> String {
    format!("{}{}", site.base_url, rel)
}

fn organisation(site: &Site) -> Value {
    json!({"@type": "Organization", "name": site.config.title, "url": site.base_url})
}

fn licence(site: &Site) -> Value {
    json!({"@type": "CreativeWork", "name": "Licence", "text": site.config.licence, "url": site.base_url})
}

fn country_place(c: &Country) -> Value {
    json!({"@type": "Country", "name": c.info.name, "alternateName": c.info.official_name, "identifier": c.info.iso3})
}

/// The site's open data as a schema.org `Dataset`, with the CSV table and the Data Package
/// descriptor as downloads. For the home page (or a data page).
pub fn dataset(site: &Site) -> String {
    let cfg = &site.config;
    let v = json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": cfg.title,
        "description": cfg.description,
        "url": site.base_url,
        "inLanguage": cfg.language,
        "isAccessibleForFree": true,
        "license": licence(site),
        "creator": organisation(site),
        "publisher": organisation(site),
        "isBasedOn": {"@type": "CreativeWork", "text": cfg.source},
        "spatialCoverage": site.countries.iter().map(country_place).collect::<Vec<_>>(),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": "Questionnaire answers, all countries (CSV)",
                "encodingFormat": "text/csv",
                "contentUrl": abs(site, data::CSV_PATH),
            },
            {
                "@type": "DataDownload",
                "name": "Data Package descriptor (Frictionless Data)",
                "encodingFormat": "application/json",
                "contentUrl": abs(site, data::PACKAGE_PATH),
            },
        ],
    });
    to_script_json(&v)
}

/// A report as a schema.org `Report`, a news item as a `NewsArticle`. The date keeps the
/// precision the source gives (`2021-11`), never an invented day.
pub fn document(site: &Site, doc: &Document) -> String {
    let url = abs(site, &urls::document(doc));
    let about: Vec<Value> = doc
        .meta
        .countries
        .iter()
        .filter_map(|slug| site.countries.iter().find(|c| &c.slug == slug))
        .map(country_place)
        .collect();
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": match doc.kind {
            DocKind::Report => "Report",
            DocKind::News => "NewsArticle",
        },
        "headline": doc.meta.title,
        "name": doc.meta.title,
        "datePublished": doc.date.iso(),
        "inLanguage": doc.meta.language,
        "publisher": {"@type": "Organization", "name": doc.meta.source.publisher},
        "sdPublisher": organisation(site),
        "url": url,
        "mainEntityOfPage": url,
        "about": about,
    });
    let obj = v.as_object_mut().expect("an object");
    if let Some(src) = &doc.meta.source.url {
        obj.insert("isBasedOn".into(), Value::String(src.clone()));
    }
    if let Some(summary) = &doc.summary_text {
        obj.insert("description".into(), Value::String(summary.clone()));
    }
    if !doc.meta.topics.is_empty() {
        // The topics by their labels in the site's language (the page this describes).
        let labels: Vec<&str> = doc
            .meta
            .topics
            .iter()
            .map(|k| site.doc_topic_label(k, &site.config.language))
            .collect();
        obj.insert("keywords".into(), json!(labels));
    }
    to_script_json(&v)
}

/// A country profile as a schema.org `Dataset`, with the country's JSON file as download.
pub fn country(site: &Site, c: &Country) -> String {
    let editions: Vec<&str> = c
        .responses
        .iter()
        .map(|r| {
            site.editions
                .iter()
                .find(|e| e.id == r.edition)
                .map(|e| e.cat.title.as_str())
                .unwrap_or(r.edition.as_str())
        })
        .collect();
    let description = if editions.is_empty() {
        format!("Facts about {} ({}).", c.info.name, c.info.official_name)
    } else {
        format!(
            "The answers of {} ({}) to: {}; with facts about the country and the provenance of every answer.",
            c.info.name,
            c.info.official_name,
            editions.join("; ")
        )
    };
    let v = json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": format!("E-government profile of {}", c.info.name),
        "description": description,
        "url": abs(site, &urls::country(c)),
        "inLanguage": site.config.language,
        "isAccessibleForFree": true,
        "license": licence(site),
        "creator": organisation(site),
        "publisher": organisation(site),
        "about": country_place(c),
        "spatialCoverage": country_place(c),
        "isPartOf": {"@type": "Dataset", "name": site.config.title, "url": site.base_url},
        "distribution": [{
            "@type": "DataDownload",
            "name": format!("E-government profile of {} (JSON)", c.info.name),
            "encodingFormat": "application/json",
            "contentUrl": abs(site, &data::country_path(c)),
        }],
    });
    to_script_json(&v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVIL: &str = "</script><script>alert(1)</script> & <!-- \u{2028}\u{2029}";

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let v = json!({"@type": "Report", "headline": EVIL, "nested": [{"name": EVIL}]});
        let text = to_script_json(&v);
        for bad in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!text.contains(bad), "{bad:?} left in {text}");
        }
        let page = script(&text);
        assert_eq!(page.matches("</script").count(), 1, "{page}");
        assert!(page.ends_with("</script>"));
        // Still JSON, and it reads back as the original strings.
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
        assert_eq!(back["headline"], EVIL);
        assert_eq!(back["nested"][0]["name"], EVIL);
    }

    #[test]
    fn plain_text_is_left_readable() {
        let v = json!({"name": "Lao PDR — e-government \"profile\"", "n": 1.5});
        let text = to_script_json(&v);
        assert!(text.contains("Lao PDR — e-government"));
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
    }
}
