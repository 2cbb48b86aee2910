//! Internal link checking over rendered output: every `href`/`src` that stays inside the
//! site must name a file that exists and, with a `#fragment`, an element id on that page.

use std::collections::{BTreeMap, HashMap, HashSet};

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

/// One start tag of an HTML page, with its attributes (quoted or not, as minified HTML
/// writes them) and where it ends in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub end: usize,
}

impl StartTag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every start tag of an HTML page, in order. Comments and end tags are skipped.
pub fn start_tags(html: &str) -> Vec<StartTag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off + 1;
        i = start;
        if html[start..].starts_with("!--") {
            i = html[start..]
                .find("-->")
                .map(|e| start + e + 3)
                .unwrap_or(b.len());
            continue;
        }
        if start >= b.len() || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let mut j = start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let name = html[start..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let n0 = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let attr = html[n0..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let v0 = j + 1;
                    let v1 = html[v0..]
                        .find(q as char)
                        .map(|e| v0 + e)
                        .unwrap_or(b.len());
                    value = decode_entities(&html[v0..v1]);
                    j = (v1 + 1).min(b.len());
                } else {
                    let v0 = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = decode_entities(&html[v0..j]);
                }
            }
            if attr.is_empty() {
                j += 1;
                continue;
            }
            attrs.push((attr, value));
        }
        let end = (j + 1).min(b.len());
        // The content of these elements is text, not markup, up to their end tag.
        let raw_text = matches!(
            name.as_str(),
            "title" | "textarea" | "script" | "style" | "xmp" | "noembed" | "noframes"
        );
        let close = format!("</{name}");
        out.push(StartTag { name, attrs, end });
        i = end;
        if raw_text {
            i = html[end..]
                .to_ascii_lowercase()
                .find(&close)
                .map(|e| end + e)
                .unwrap_or(b.len());
        }
    }
    out
}

/// Links found in one HTML page: (href, link text).
pub fn extract_links(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in start_tags(html) {
        let Some(href) = tag.attr("href").or_else(|| tag.attr("src")) else {
            continue;
        };
        let text = if tag.name == "a" {
            let tail = &html[tag.end..];
            let stop = tail.find("</a>").unwrap_or(0);
            let mut cut = stop.min(300);
            while !tail.is_char_boundary(cut) {
                cut -= 1;
            }
            strip_tags(&tail[..cut])
        } else {
            String::new()
        };
        out.push((decode_entities(href), text));
    }
    out
}

/// Element ids of a page.
pub fn extract_ids(html: &str) -> HashSet<String> {
    start_tags(html)
        .into_iter()
        .filter_map(|t| t.attr("id").map(str::to_string))
        .collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(out.trim())
}

/// Decode the entities an HTML escaper writes (attribute values and text as browsers read them).
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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
    fn reads_quoted_and_unquoted_attributes() {
        let tags = start_tags(
            r#"<!-- <a href=x> --><a class=c href=../a.html#q1 title="A b">t</a><h2 id='x y'>"#,
        );
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0].attr("href"), Some("../a.html#q1"));
        assert_eq!(tags[0].attr("title"), Some("A b"));
        assert_eq!(tags[1].attr("id"), Some("x y"));
        assert_eq!(
            extract_links(r#"<a href=a.html><b>Go</b> on</a>"#),
            vec![("a.html".to_string(), "Go on".to_string())]
        );
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
