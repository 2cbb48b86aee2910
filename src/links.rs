//! Internal link checking over rendered output: every `href`/`src` that stays inside the
//! site must name a file that exists and, with a `#fragment`, an element id on that page.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::markup::html::{extract_ids, extract_links};
use crate::output::OutFile;

/// A link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    pub page: String,
    pub href: String,
    pub text: String,
    pub reason: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The link's text and address come from content: escaped for the terminal.
        let esc = crate::diagnostics::escape_terminal;
        write!(
            f,
            "{}: link \"{}\" to `{}`: {}",
            esc(&self.page),
            esc(&self.text),
            esc(&self.href),
            self.reason
        )
    }
}

/// Resolve `href` found on `page` against the site; `None` for external links.
pub fn resolve(page: &str, href: &str, base_path: &str) -> Option<(String, Option<String>)> {
    if href.is_empty()
        || href.starts_with("mailto:")
        || href.contains("://")
        || href.starts_with("//")
        || href.starts_with("data:")
        || href.starts_with("javascript:")
    {
        return None;
    }
    let (path, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let joined = if path.is_empty() {
        page.to_string()
    } else if let Some(abs) = path.strip_prefix('/') {
        let bp = base_path.trim_start_matches('/');
        abs.strip_prefix(bp).unwrap_or(abs).to_string()
    } else {
        let dir = page.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        if dir.is_empty() {
            path.to_string()
        } else {
            format!("{dir}/{path}")
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut target = parts.join("/");
    if target.is_empty() || joined.ends_with('/') {
        target = if target.is_empty() {
            "index.html".into()
        } else {
            format!("{target}/index.html")
        };
    }
    Some((target, frag))
}

/// Check every internal link and anchor of the HTML files among `files`.
pub fn check(files: &[OutFile], base_path: &str) -> Vec<BrokenLink> {
    let existing: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let html: BTreeMap<&str, String> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| {
            (
                f.path.as_str(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    let ids: HashMap<&str, HashSet<String>> =
        html.iter().map(|(p, h)| (*p, extract_ids(h))).collect();
    let mut broken = Vec::new();
    for (page, h) in &html {
        for (href, text) in extract_links(h) {
            let Some((target, frag)) = resolve(page, &href, base_path) else {
                continue;
            };
            let target = if existing.contains(target.as_str())
                || !existing.contains(format!("{target}/index.html").as_str())
            {
                target
            } else {
                format!("{target}/index.html")
            };
            if !existing.contains(target.as_str()) {
                broken.push(BrokenLink {
                    page: page.to_string(),
                    href,
                    text,
                    reason: format!("no file `{target}` in the site"),
                });
                continue;
            }
            if let Some(frag) = frag.filter(|f| !f.is_empty()) {
                if let Some(page_ids) = ids.get(target.as_str()) {
                    if !page_ids.contains(&frag) {
                        broken.push(BrokenLink {
                            page: page.to_string(),
                            href,
                            text,
                            reason: format!("no element with id `{frag}` on `{target}`"),
                        });
                    }
                }
            }
        }
    }
    broken.sort();
    broken.dedup();
    broken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_links_are_printed_escaped() {
        let b = BrokenLink {
            page: "news/a.html".into(),
            href: "x\u{1b}]0;t\u{7}.html".into(),
            text: "see \u{202e}this".into(),
            reason: "no such page".into(),
        };
        assert_eq!(
            b.to_string(),
            "news/a.html: link \"see \\u{202e}this\" to `x\\u{1b}]0;t\\u{7}.html`: no such page"
        );
    }

    #[test]
    fn resolves_relative_and_base_paths() {
        assert_eq!(
            resolve("countries/a.html", "../questions/x.html#q1", "/"),
            Some(("questions/x.html".into(), Some("q1".into())))
        );
        assert_eq!(
            resolve("a/b/c.html", "../../", "/"),
            Some(("index.html".into(), None))
        );
        assert_eq!(
            resolve("404.html", "/egov/countries/", "/egov/"),
            Some(("countries/index.html".into(), None))
        );
        assert_eq!(resolve("x.html", "https://example.org/", "/"), None);
    }

    #[test]
    fn reports_missing_pages_and_anchors() {
        let files = vec![
            OutFile { path: "index.html".into(), bytes: br#"<a href="b.html#there">B</a> <a href="c.html">C</a> <a href="b.html#here">ok</a>"#.to_vec() },
            OutFile { path: "b.html".into(), bytes: br#"<h2 id="here">x</h2>"#.to_vec() },
        ];
        let broken = check(&files, "/");
        assert_eq!(broken.len(), 2, "{broken:?}");
        assert!(broken.iter().any(|b| b.href == "c.html" && b.text == "C"));
        assert!(broken.iter().any(|b| b.reason.contains("`there`")));
    }
}
