//! A small scanner of the HTML this program writes: start tags with their attributes, the
//! links of a page with their text, and its element ids. Document splitting uses it to find
//! the ids of each part, the open data to list an answer's links, and the link checker
//! (`links.rs`) to check every page.

use std::collections::HashSet;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
