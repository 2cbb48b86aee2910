//! Directory entries read from an answer that lists web addresses (a "links" question:
//! portals, agencies): each address with the name the respondent typed beside it.
//!
//! Nothing is invented or reworded. The name is a piece of the answer's own line, cut at
//! the nearest boundary a reader would see (a sentence, a `;`, a ` - ` separator, an
//! inline "2)"), taken from before the address ("Lao Services Portal (www...)") or, when
//! nothing stands there, from brackets right after it ("<https://...> (one stop for
//! business registration)"). A line that ends in ":" and has no address heads the names
//! below it ("MIC Portal:"), up to the next numbered item or line of prose; inside such a
//! group, it names the address on the next line ("a) Vietnamese version:"). An address
//! with no words beside it has no name.
//! Long names keep their last words, marked with "…". The full answer stays one link away.

use crate::markup::answer_text;

/// Most words kept of a name; longer ones keep their end, after "…".
const MAX_NAME_WORDS: usize = 12;

/// One address of an answer, with the words typed beside it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// The name as typed next to the address, when there is one.
    pub name: Option<String>,
    /// The address as typed (the export's brackets taken out).
    pub address: String,
    /// Where the address leads.
    pub href: String,
}

/// The entries of an answer's text, in the order typed.
pub fn entries(src: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    // A heading line ("2. National Business Registration Portal:") names a group; a
    // heading within a group ("a) Vietnamese version:") names the address on the next
    // line when that line names none itself.
    let mut group: Option<String> = None;
    let mut label: Option<String> = None;
    for line in src.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let numbered = starts_with_number(line);
        let links = answer_text::line_links(line);
        if links.is_empty() {
            let t = strip_marker(line.trim());
            match t.strip_suffix(':').map(str::trim) {
                Some(h) if !h.is_empty() && h.split_whitespace().count() <= MAX_NAME_WORDS => {
                    if group.is_some() && !numbered {
                        label = Some(h.to_string());
                    } else {
                        group = Some(h.to_string());
                        label = None;
                    }
                }
                _ => {
                    group = None;
                    label = None;
                }
            }
            continue;
        }
        if numbered {
            group = None;
        }
        let mut from = 0;
        for l in &links {
            let before = line.get(from..l.span.start).unwrap_or("");
            let rest = &line[l.span.end..];
            let (after, used) = bracketed_after(rest);
            let own = name_before(before).or(after).or_else(|| label.take());
            from = l.span.end + used;
            let name = match (&group, own) {
                (Some(g), Some(n)) => Some(format!("{g}: {n}")),
                (Some(g), None) => Some(g.clone()),
                (None, n) => n,
            };
            out.push(Entry {
                name,
                address: l.shown.clone(),
                href: l.href.clone(),
            });
        }
        label = None;
    }
    out
}

/// Whether a line starts with a numbered list marker ("4.", "2)", "(3)").
fn starts_with_number(line: &str) -> bool {
    let t = line.trim_start();
    answer_text::is_list_line(t)
        && t.trim_start_matches('(')
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
}

/// Words in brackets right after an address (`(one stop for business registration)`),
/// and how many bytes of `rest` they and what closes the address take. A `)` closing
/// brackets the address stood in is taken too.
fn bracketed_after(rest: &str) -> (Option<String>, usize) {
    let trimmed = rest.trim_start();
    let skipped = rest.len() - trimmed.len();
    if let Some(inner) = trimmed.strip_prefix('(') {
        if let Some(close) = inner.find(')') {
            let words = inner[..close].trim();
            let name = (!words.is_empty()).then(|| shorten(words));
            return (name, skipped + 1 + close + 1);
        }
    }
    if trimmed.starts_with(')') {
        return (None, skipped + 1);
    }
    (None, 0)
}

/// The name typed before an address: the last piece of `before`, without separators,
/// list markers, an opening bracket or a trailing remark in brackets.
fn name_before(before: &str) -> Option<String> {
    // A `)` at the end closes a remark (dropped below); at the start, brackets an
    // earlier address stood in.
    let trim_edges = |s: &str| -> String {
        let sep =
            |c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '•' | ',' | ';' | ':');
        s.trim_start_matches(|c: char| sep(c) || matches!(c, '(' | ')'))
            .trim_end_matches(|c: char| sep(c) || c == '(')
            .to_string()
    };
    let mut t = trim_edges(before);
    // The last piece: after the last sentence end, ";", " - " or ": ".
    let cut = last_boundary(&t);
    t = trim_edges(&t[cut..]);
    let t = strip_marker(&t).trim().to_string();
    // A remark in brackets after a name ("General Department of ICT (is the central
    // body ...)") is about it, not part of it.
    let t = match (t.ends_with(')'), t.rfind('(')) {
        (true, Some(open)) if !t[..open].trim().is_empty() => t[..open].trim().to_string(),
        _ => t,
    };
    // A bracket opened and not closed ("central cities (visit at <...>") holds the
    // address: the name is what stands before it.
    let t = match t.rfind('(') {
        Some(open) if !t[open..].contains(')') && !t[..open].trim().is_empty() => {
            t[..open].to_string()
        }
        _ => t,
    };
    let t = t.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '-'));
    let words = t.split_whitespace().count();
    if words == 0 || t.eq_ignore_ascii_case("and") || t.eq_ignore_ascii_case("or") {
        return None;
    }
    Some(shorten(t))
}

/// Where the last piece of `t` starts: after a sentence end (". " before a capital), a
/// ";", a " - " separator, a ": " or an inline list marker ("; 2) ", " b) ").
fn last_boundary(t: &str) -> usize {
    let mut cut = 0;
    let bytes = t.as_bytes();
    for (i, c) in t.char_indices() {
        let next = t[i + c.len_utf8()..].chars().nth(1);
        let after_space = t[i + c.len_utf8()..].starts_with(' ');
        match c {
            '.' if after_space && next.is_some_and(char::is_uppercase) => cut = i + 1,
            ';' => cut = i + 1,
            ':' if after_space => cut = i + 1,
            '-' | '–' if i > 0 && bytes[i - 1] == b' ' && after_space => cut = i + c.len_utf8(),
            ')' if after_space => {
                // An inline marker: "1)" or "b)" standing after a space or at the start.
                let start = t[..i].rfind(' ').map_or(0, |s| s + 1);
                let label = &t[start..i];
                if !label.is_empty()
                    && label.len() <= 3
                    && label.bytes().all(|b| b.is_ascii_alphanumeric())
                {
                    cut = start;
                }
            }
            _ => {}
        }
    }
    cut
}

/// `t` without a leading list marker ("-", "•", "1.", "a)", "(2)").
fn strip_marker(t: &str) -> &str {
    let t = t.trim_start();
    if !answer_text::is_list_line(t) {
        return t;
    }
    let first = t.chars().next().unwrap_or(' ');
    if matches!(
        first,
        '-' | '–' | '—' | '•' | '·' | '▪' | '◦' | '●' | '○' | '*' | '+'
    ) {
        return t[first.len_utf8()..].trim_start();
    }
    match t.find([')', '.']) {
        Some(end) if end <= 5 => t[end + 1..].trim_start(),
        _ => t,
    }
}

/// At most [`MAX_NAME_WORDS`] words: the last ones, after "…", when there are more.
fn shorten(t: &str) -> String {
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() <= MAX_NAME_WORDS {
        return words.join(" ");
    }
    format!("…{}", words[words.len() - MAX_NAME_WORDS..].join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(src: &str) -> Vec<(Option<String>, String)> {
        entries(src)
            .into_iter()
            .map(|e| (e.name, e.address))
            .collect()
    }

    fn named(name: &str, address: &str) -> (Option<String>, String) {
        (Some(name.to_string()), address.to_string())
    }

    #[test]
    fn names_before_an_address_and_in_brackets_after_it() {
        // As Lao PDR typed its portals: the names stand before, the addresses in brackets.
        let lao = "Lao Services Portal (www.laoservicesportal.gov.la) The website contains all information. Lao PDR Trade Portal (laotradeportal.gov.la) is the single-stop point.";
        assert_eq!(
            names(lao),
            [
                named("Lao Services Portal", "www.laoservicesportal.gov.la"),
                named("Lao PDR Trade Portal", "laotradeportal.gov.la"),
            ]
        );
        // As Cambodia typed them: addresses between " - ", some with a remark after.
        let kh = "- www.seva.gov.kh - <https://nsw.gov.kh/> - <https://www.registrationservices.gov.kh/en/home/> (one stop for business registration) - map.moe.gov.kh";
        assert_eq!(
            names(kh),
            [
                (None, "www.seva.gov.kh".to_string()),
                (None, "https://nsw.gov.kh/".to_string()),
                named(
                    "one stop for business registration",
                    "https://www.registrationservices.gov.kh/en/home/"
                ),
                (None, "map.moe.gov.kh".to_string()),
            ]
        );
    }

    #[test]
    fn list_markers_separators_and_headings() {
        let vn = "a) Vietnamese version: <http://chinhphu.vn/>\nb) English version: <https://vietnam.gov.vn/>";
        assert_eq!(
            names(vn),
            [
                named("Vietnamese version", "http://chinhphu.vn/"),
                named("English version", "https://vietnam.gov.vn/"),
            ]
        );
        let mic = "MIC Portal:\n\n- Vietnamese version: <https://mic.gov.vn/>";
        assert_eq!(
            names(mic),
            [named(
                "MIC Portal: Vietnamese version",
                "https://mic.gov.vn/"
            )]
        );
        // As Viet Nam numbered its other portals: groups, labels on their own line.
        let vn = "1. Single Window: <https://vnsw.gov.vn/>\n\n2. Legal Documents:\n\na) Vietnamese version:\n<http://vbpl.vn/vn>\n\nEnglish version:\n<http://vbpl.vn/en>\n\n3. Investment: <https://fdi.gov.vn/>\n<https://smedx.vn/>\nSee the cities (visit at <https://ngsp.gov.vn/>)";
        assert_eq!(
            names(vn),
            [
                named("Single Window", "https://vnsw.gov.vn/"),
                named("Legal Documents: Vietnamese version", "http://vbpl.vn/vn"),
                named("Legal Documents: English version", "http://vbpl.vn/en"),
                named("Investment", "https://fdi.gov.vn/"),
                (None, "https://smedx.vn/".to_string()),
                named("See the cities", "https://ngsp.gov.vn/"),
            ]
        );
        let inline = "Portals detailed: 1) Inviting ideas of the public: <https://a.gov.vn/x>; 2) Draft laws: <https://a.gov.vn/y> and <https://b.gov.vn/>";
        assert_eq!(
            names(inline),
            [
                named("Inviting ideas of the public", "https://a.gov.vn/x"),
                named("Draft laws", "https://a.gov.vn/y"),
                (None, "https://b.gov.vn/".to_string()),
            ]
        );
    }

    #[test]
    fn remarks_are_dropped_and_long_names_keep_their_end() {
        let kh = "General Department of ICT (is the central body to coordinate), www.mptc.gov.kh. However, more.";
        assert_eq!(
            names(kh),
            [named("General Department of ICT", "www.mptc.gov.kh")]
        );
        let long = "The ministry plays the central role in implementing e-Government in the country based on Decree No. 48/2022/ND-CP dated July 26, 2022 (<https://vanban.chinhphu.vn/?docid=1>)";
        let e = entries(long);
        assert_eq!(
            e[0].name.as_deref(),
            Some("…in the country based on Decree No. 48/2022/ND-CP dated July 26, 2022")
        );
        assert_eq!(e[0].href, "https://vanban.chinhphu.vn/?docid=1");
    }
}
