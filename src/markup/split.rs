//! Splitting a long document into parts at its top-level headings, so that no page grows
//! past what a reader on a slow connection should download at once. Links to headings and
//! footnotes in another part are rewritten to point there.

use std::collections::HashMap;

/// Body HTML per page part, before the page chrome and minification.
pub const PART_BUDGET: usize = 60 * 1024;

/// A document body in parts; `part_of` tells in which part each element id lives.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    pub html: Vec<String>,
    pub part_of: HashMap<String, usize>,
}

/// File name of part `n` (0-based) of document `slug`, relative to the document's folder.
pub fn part_file(slug: &str, n: usize) -> String {
    if n == 0 {
        format!("{slug}.html")
    } else {
        format!("{slug}/part-{}.html", n + 1)
    }
}

/// File name of the whole of document `slug` on one page, relative to the document's
/// folder (beside its parts).
pub fn whole_file(slug: &str) -> String {
    format!("{slug}/all.html")
}

/// `html` with its relative links (`../countries/lao-pdr.html#indicators`) adjusted for a
/// page one folder further down. A document's relative links are written relative to its
/// first page (`reports/<slug>.html`); its other parts and its single-page view live in
/// `reports/<slug>/`. Links to an id (`#x`), absolute addresses and root-relative paths
/// are left as they are.
pub fn one_folder_down(html: &str) -> String {
    const HREF: &str = "href=\"";
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.find(HREF) {
        out.push_str(&rest[..i + HREF.len()]);
        let after = &rest[i + HREF.len()..];
        let end = after.find('"').unwrap_or(after.len());
        let href = &after[..end];
        let head = href.split(['/', '?', '#']).next().unwrap_or("");
        if !href.is_empty() && !href.starts_with(['#', '/']) && !head.contains(':') {
            out.push_str("../");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Relative link from part `from` to part `to` of the same document.
fn relative(slug: &str, from: usize, to: usize) -> String {
    match (from, to) {
        (0, _) => part_file(slug, to),
        (_, 0) => format!("../{slug}.html"),
        (_, n) => format!("part-{}.html", n + 1),
    }
}

/// Split `html` (sanitised output of the Markdown renderer) before `<h2` headings, packing
/// sections greedily into parts of at most `budget` bytes (a single longer section stays
/// whole). A body within the budget is kept as it is, in one part (`part_of` stays empty:
/// every id is in part 0).
pub fn split(slug: &str, html: String, budget: usize) -> Parts {
    if html.len() <= budget {
        return Parts {
            html: vec![html],
            part_of: HashMap::new(),
        };
    }
    let html = html.as_str();
    let mut cuts = vec![0];
    let mut from = 1;
    while let Some(i) = html.get(from..).and_then(|rest| rest.find("<h2")) {
        cuts.push(from + i);
        from += i + 3;
    }
    cuts.push(html.len());
    let mut parts: Vec<String> = vec![String::new()];
    for w in cuts.windows(2) {
        let section = &html[w[0]..w[1]];
        let last = parts.last_mut().expect("one part at least");
        if !last.is_empty() && last.len() + section.len() > budget {
            parts.push(section.to_string());
        } else {
            last.push_str(section);
        }
    }
    let mut part_of = HashMap::new();
    for (n, part) in parts.iter().enumerate() {
        for id in crate::markup::html::extract_ids(part) {
            part_of.entry(id).or_insert(n);
        }
    }
    if parts.len() > 1 {
        for part in parts.iter_mut().skip(1) {
            *part = one_folder_down(part);
        }
        for (n, part) in parts.iter_mut().enumerate() {
            let mut out = String::with_capacity(part.len());
            let mut rest = part.as_str();
            while let Some(i) = rest.find("href=\"#") {
                out.push_str(&rest[..i]);
                let after = &rest[i + 7..];
                let end = after.find('"').unwrap_or(after.len());
                let id = &after[..end];
                match part_of.get(id) {
                    Some(&p) if p != n => {
                        out.push_str(&format!("href=\"{}#{id}", relative(slug, n, p)))
                    }
                    _ => out.push_str(&format!("href=\"#{id}")),
                }
                rest = &after[end..];
            }
            out.push_str(rest);
            *part = out;
        }
    }
    Parts {
        html: parts,
        part_of,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_documents_stay_whole() {
        let p = split("r", "<p>x</p><h2 id=\"a\">A</h2><p>y</p>".into(), 1000);
        assert_eq!(p.html.len(), 1);
    }

    #[test]
    fn long_documents_split_at_h2_and_links_follow() {
        let body = format!(
            "<p><a href=\"#b\">to B</a><sup><a href=\"#fn\">1</a></sup></p><h2 id=\"a\">A</h2>{}<h2 id=\"b\">B</h2>{}<div id=\"fn\">note</div>",
            "a".repeat(80),
            "b".repeat(80)
        );
        let p = split("rep", body, 100);
        assert_eq!(p.html.len(), 3, "{:?}", p.html);
        assert!(
            p.html[0].contains("href=\"rep/part-3.html#b\""),
            "{}",
            p.html[0]
        );
        assert!(p.html[0].contains("href=\"rep/part-3.html#fn\""));
        assert_eq!(p.part_of["a"], 1);
        assert_eq!(part_file("rep", 2), "rep/part-3.html");
        assert_eq!(relative("rep", 2, 0), "../rep.html");
        assert_eq!(relative("rep", 1, 2), "part-3.html");
    }

    #[test]
    fn relative_links_follow_a_part_one_folder_down() {
        let body = format!(
            "<p><a href=\"../countries/x.html#indicators\">x</a></p><h2 id=\"a\">A</h2>{}<h2 id=\"b\">B</h2><p><a href=\"../countries/x.html#indicators\">x</a> <a href=\"https://un.org/a\">u</a> <a href=\"mailto:a@b.org\">m</a> <a href=\"/root.html\">r</a> <a href=\"#a\">a</a></p>",
            "a".repeat(80)
        );
        let p = split("rep", body, 100);
        assert_eq!(p.html.len(), 3, "{:?}", p.html);
        assert!(p.html[0].contains("href=\"../countries/x.html#indicators\""));
        let last = &p.html[2];
        assert!(
            last.contains("href=\"../../countries/x.html#indicators\""),
            "{last}"
        );
        assert!(last.contains("href=\"https://un.org/a\""));
        assert!(last.contains("href=\"mailto:a@b.org\""));
        assert!(last.contains("href=\"/root.html\""));
        assert!(last.contains("href=\"part-2.html#a\""), "{last}");
    }
}
