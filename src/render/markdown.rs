//! Markdown to safe HTML: pulldown-cmark with tables and footnotes, bare web addresses
//! made into links, heading anchors and a table of contents. Raw HTML in content, and link
//! addresses the allow-list would drop, go through an allow-list sanitiser (ammonia) so
//! content can never inject script; Markdown without them is written directly as the
//! sanitiser would leave it (a test compares both ways).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::slug::slugify;

/// One heading of a document, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// The text without markup, for search, CSV and descriptions.
    pub text: String,
}

/// How to render one piece of Markdown.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Headings are moved down to at least this level (answers sit under an h3).
    pub min_heading: u8,
}

pub const DOCUMENT: Style = Style { min_heading: 2 };
pub const ANSWER: Style = Style { min_heading: 4 };

/// Nesting deeper than this is flattened to text: pathological input stays bounded.
const MAX_NESTING: usize = 64;

pub fn render(md: &str, style: Style) -> Rendered {
    render_with(md, style, false)
}

/// [`render`]; `sanitize_all` sends even Markdown without raw HTML through the sanitiser
/// (for tests: both ways give the same HTML).
fn render_with(md: &str, style: Style, sanitize_all: bool) -> Rendered {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut events: Vec<Event> = Vec::new();
    let mut toc = Vec::new();
    let mut text = String::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut link_depth = 0usize;
    let mut code_depth = 0usize;
    let mut depth = 0usize;
    let mut heading: Option<(HeadingLevel, Vec<Event>, String)> = None;
    // The events one source event becomes (reused: no allocation per event).
    let mut out: Vec<Event> = Vec::new();

    for ev in Parser::new_ext(md, opts) {
        let too_deep = match &ev {
            Event::Start(_) => {
                depth += 1;
                depth > MAX_NESTING
            }
            Event::End(_) => {
                let deep = depth > MAX_NESTING;
                depth = depth.saturating_sub(1);
                deep
            }
            _ => depth > MAX_NESTING,
        };
        if too_deep {
            if let Event::Text(t) = &ev {
                text.push_str(t);
                events.push(Event::Text(t.clone()));
            }
            continue;
        }
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((shift(level, style.min_heading), Vec::new(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, inner, title)) = heading.take() {
                    let title = title.trim().to_string();
                    let mut id = slugify(&title);
                    let base = id.clone();
                    let mut n = 1;
                    while !used_ids.insert(id.clone()) {
                        n += 1;
                        id = format!("{base}-{n}");
                    }
                    toc.push(TocEntry {
                        level: level as u8,
                        id: id.clone(),
                        title: title.clone(),
                    });
                    events.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id)),
                        classes: vec![],
                        attrs: vec![],
                    }));
                    events.extend(inner);
                    events.push(Event::End(TagEnd::Heading(level)));
                    text.push_str(&title);
                    text.push('\n');
                }
            }
            ev => {
                match &ev {
                    Event::Start(Tag::Link { .. }) => link_depth += 1,
                    Event::End(TagEnd::Link) => link_depth = link_depth.saturating_sub(1),
                    Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
                    Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
                    _ => {}
                }
                match ev {
                    Event::Text(t) if link_depth == 0 && code_depth == 0 => {
                        if let Some((_, _, title)) = heading.as_mut() {
                            title.push_str(&t);
                        } else {
                            text.push_str(&t);
                        }
                        autolink(t, &mut out);
                    }
                    Event::Text(t) | Event::Code(t) => {
                        if let Some((_, _, title)) = heading.as_mut() {
                            title.push_str(&t);
                        } else {
                            text.push_str(&t);
                        }
                        out.push(Event::Text(t));
                    }
                    Event::SoftBreak | Event::HardBreak => {
                        text.push(' ');
                        out.push(ev);
                    }
                    Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                        text.push(' ');
                        out.push(ev);
                    }
                    other => out.push(other),
                }
                match heading.as_mut() {
                    Some((_, inner, _)) => inner.append(&mut out),
                    None => events.append(&mut out),
                }
            }
        }
    }
    let html = if sanitize_all || events.iter().any(needs_sanitizer) {
        sanitized_html(events, md.len())
    } else {
        safe_html(events, md.len())
    };
    Rendered {
        // Minified once here, as the templates are, so pages need no minification pass.
        html: crate::output::minify::markdown(&html),
        toc,
        text: collapse_ws(&text),
    }
}

/// HTML of events that may hold raw HTML: made by pulldown-cmark, then cleaned by the
/// allow-list sanitiser.
fn sanitized_html(events: Vec<Event>, size: usize) -> String {
    let mut html = String::with_capacity(size * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitize(&captions_from_bold_paragraphs(&html))
}

/// Whether an event needs the sanitiser: raw HTML, or a link address it would remove.
/// Without them, the events make only elements that [`safe_html`] writes as the sanitiser
/// would leave them, and parsing the HTML again (the costliest step of rendering
/// Markdown) is skipped.
fn needs_sanitizer(ev: &Event) -> bool {
    match ev {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) => !allowed_url(&link_href(*link_type, dest_url)),
        _ => false,
    }
}

/// The address pulldown-cmark gives a link (`mailto:` added to e-mail autolinks).
fn link_href(link_type: LinkType, dest: &str) -> String {
    if link_type == LinkType::Email {
        format!("mailto:{dest}")
    } else {
        dest.to_string()
    }
}

/// Whether the sanitiser keeps `href` as it is written into the page: an absolute
/// address with an allowed scheme, or a relative one.
fn allowed_url(dest: &str) -> bool {
    let mut escaped = String::new();
    let _ = pulldown_cmark_escape::escape_href(&mut escaped, dest);
    // The value the sanitiser checks is the attribute with its entities decoded.
    let value = escaped.replace("&amp;", "&").replace("&#x27;", "'");
    match url::Url::parse(&value) {
        Ok(u) => URL_SCHEMES.contains(&u.scheme()),
        Err(e) => e == url::ParseError::RelativeUrlWithoutBase,
    }
}

/// Link schemes kept by the sanitiser.
const URL_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// The `rel` of every link, as the sanitiser sets it.
const LINK_REL: &str = "noopener noreferrer";

/// HTML of events without raw HTML, as the sanitiser would leave it: links get
/// `rel="noopener noreferrer"`, images are left out (they are not on the allow-list) and
/// table cells have no alignment style.
fn safe_html(events: Vec<Event>, size: usize) -> String {
    let mut numbers: HashMap<CowStr, usize> = HashMap::new();
    let mut number = |name: CowStr<'_>| {
        let next = numbers.len() + 1;
        *numbers
            .entry(CowStr::from(name.into_string()))
            .or_insert(next)
    };
    let escape = |s: &str| {
        let mut out = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut out, s);
        out
    };
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut image_depth = 0usize;
    for ev in events {
        if image_depth > 0 {
            match ev {
                Event::Start(Tag::Image { .. }) => image_depth += 1,
                Event::End(TagEnd::Image) => image_depth -= 1,
                _ => {}
            }
            continue;
        }
        out.push(match ev {
            Event::Start(Tag::Image { .. }) => {
                image_depth = 1;
                continue;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let mut a = String::from("<a href=\"");
                let _ = pulldown_cmark_escape::escape_href(&mut a, &link_href(link_type, &dest_url));
                a.push('"');
                if !title.is_empty() {
                    a.push_str(" title=\"");
                    a.push_str(&escape(&title));
                    a.push('"');
                }
                a.push_str(&format!(" rel=\"{LINK_REL}\">"));
                Event::InlineHtml(CowStr::from(a))
            }
            Event::FootnoteReference(name) => {
                let id = escape(&name);
                Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-reference\"><a href=\"#{id}\" rel=\"{LINK_REL}\">{}</a></sup>",
                    number(name)
                )))
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let id = escape(&name);
                Event::Html(CowStr::from(format!(
                    "\n<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{}</sup>",
                    number(name)
                )))
            }
            Event::Start(Tag::Table(alignments)) => Event::Start(Tag::Table(vec![
                pulldown_cmark::Alignment::None;
                alignments.len()
            ])),
            other => other,
        });
    }
    let mut html = String::with_capacity(size * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    captions_from_bold_paragraphs(&html)
}

/// A paragraph that is only bold text right before a table is that table's caption
/// ("**Table 1: ...**" in reports): make it a real `<caption>` so screen readers announce it.
fn captions_from_bold_paragraphs(html: &str) -> String {
    const OPEN: &str = "<p><strong>";
    const CLOSE: &str = "</strong></p>\n<table>";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(CLOSE) {
        let before = &rest[..i];
        let caption_start = before.rfind(OPEN).map(|j| (j, &before[j + OPEN.len()..]));
        match caption_start {
            Some((j, caption))
                if !caption.contains("<p>")
                    && !caption.contains("</p>")
                    && !caption.contains("</strong>") =>
            {
                out.push_str(&before[..j]);
                out.push_str("<table><caption>");
                out.push_str(caption);
                out.push_str("</caption>");
            }
            _ => out.push_str(&rest[..i + CLOSE.len()]),
        }
        rest = &rest[i + CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

fn shift(level: HeadingLevel, min: u8) -> HeadingLevel {
    let n = (level as u8).max(min).min(6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Plain text of a Markdown fragment (for CSV cells and descriptions).
pub fn plain_text(md: &str) -> String {
    render(md, ANSWER).text
}

/// Emit `t` as text, with web addresses turned into links.
fn autolink<'a>(t: CowStr<'a>, out: &mut Vec<Event<'a>>) {
    let links = find_links(&t);
    if links.is_empty() {
        // Most text: the event as the parser gave it, not copied.
        out.push(Event::Text(t));
        return;
    }
    let mut last = 0;
    for (start, end, href) in links {
        if start > last {
            out.push(Event::Text(CowStr::from(t[last..start].to_string())));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: CowStr::from(href),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        out.push(Event::Text(CowStr::from(t[start..end].to_string())));
        out.push(Event::End(TagEnd::Link));
        last = end;
    }
    if last < t.len() {
        out.push(Event::Text(CowStr::from(t[last..].to_string())));
    }
}

/// Well-known top-level domains accepted for bare addresses without `www.` or a scheme.
const BARE_TLDS: &[&str] = &[
    "com", "org", "net", "int", "gov", "edu", "info", "io", "la", "kh", "vn", "th", "mm", "id",
    "ph", "my", "sg", "bn", "un", "eu", "uk",
];

/// Longest text taken as one web address.
const MAX_AUTOLINK: usize = 2048;

/// Byte ranges of web addresses in plain text, with their link targets.
pub fn find_links(t: &str) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    if !may_hold_link(t) {
        return found;
    }
    let bytes = t.as_bytes();
    let mut i = 0;
    while i < t.len() {
        // Token boundaries: whitespace and a few opening delimiters.
        let rest = &t[i..];
        let step = rest.chars().next().map(char::len_utf8).unwrap_or(1);
        if i > 0 {
            let prev = bytes[i - 1];
            if !(prev.is_ascii_whitespace() || b"(<[\"'-".contains(&prev) || prev >= 0x80) {
                i += step;
                continue;
            }
        }
        // Addresses longer than this are not auto-linked, which keeps the scan linear.
        let mut window = rest.len().min(MAX_AUTOLINK);
        while !rest.is_char_boundary(window) {
            window -= 1;
        }
        let token_end = rest[..window]
            .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
            .unwrap_or(window);
        let token = trim_trailing(&rest[..token_end]);
        if let Some(href) = link_target(token) {
            found.push((i, i + token.len(), href));
            i += token.len().max(1);
        } else {
            // Skip to just after the next character a link may follow inside this token.
            let raw = &rest[..token_end];
            i += raw
                .char_indices()
                .find(|(_, c)| "(<[\"'-".contains(*c) || !c.is_ascii())
                .map(|(p, c)| p + c.len_utf8())
                .unwrap_or(token_end)
                .max(step);
        }
    }
    found
}

/// Whether `t` may hold an address [`link_target`] accepts: one with `://`, or a host
/// whose labels (letters, digits, hyphens) are joined by dots. Most text has neither, and
/// is passed over at the speed of a search for `.`.
fn may_hold_link(t: &str) -> bool {
    let bytes = t.as_bytes();
    t.contains("://")
        || t.match_indices('.').any(|(i, _)| {
            bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-')
        })
}

fn trim_trailing(token: &str) -> &str {
    let mut t = token;
    loop {
        let Some(c) = t.chars().last() else { return t };
        let strip = match c {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '”' | '’' | '»' => true,
            ')' => t.matches('(').count() < t.matches(')').count(),
            ']' => t.matches('[').count() < t.matches(']').count(),
            _ => false,
        };
        if !strip {
            return t;
        }
        t = &t[..t.len() - c.len_utf8()];
    }
}

fn link_target(token: &str) -> Option<String> {
    // Every address has a dot in its host: most words are out at once.
    if !token.contains('.') {
        return None;
    }
    let starts = |prefix: &str| {
        token
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    if starts("https://") || starts("http://") {
        let host = &token[token.find("//")? + 2..];
        return (host.len() > 2 && host.contains('.')).then(|| token.to_string());
    }
    let host_end = token.find(['/', '?', '#']).unwrap_or(token.len());
    let host = &token[..host_end];
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        || host.bytes().any(|b| b.is_ascii_uppercase())
    {
        return None;
    }
    let tld = labels[labels.len() - 1];
    if tld.len() < 2 || !tld.bytes().all(|b| b.is_ascii_lowercase()) || labels[0].len() < 2 {
        return None;
    }
    if labels[0] == "www" || BARE_TLDS.contains(&tld) {
        Some(format!("http://{token}"))
    } else {
        None
    }
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        let mut tags = b.clone_tags();
        for t in ["img", "map", "area", "details", "summary"] {
            tags.remove(t);
        }
        tags.insert("section");
        b.tags(tags);
        b.add_generic_attributes(["id", "class", "lang", "dir"]);
        let mut attrs: HashMap<&str, HashSet<&str>> = HashMap::new();
        attrs.insert("th", ["scope", "colspan", "rowspan"].into_iter().collect());
        attrs.insert("td", ["colspan", "rowspan"].into_iter().collect());
        attrs.insert("a", ["href", "hreflang", "title"].into_iter().collect());
        attrs.insert("ol", ["start"].into_iter().collect());
        b.tag_attributes(attrs);
        b.url_schemes(["http", "https", "mailto"].into_iter().collect());
        b.link_rel(Some("noopener noreferrer"));
        b
    })
}

/// Remove everything not on the allow-list from an HTML fragment.
pub fn sanitize(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn bare_addresses_become_links() {
        let r = render(
            "See www.laoservicesportal.gov.la, and map.moe.gov.kh.",
            ANSWER,
        );
        assert!(r.html.contains(r#"<a href="http://www.laoservicesportal.gov.la" rel="noopener noreferrer">www.laoservicesportal.gov.la</a>,"#), "{}", r.html);
        assert!(
            r.html.contains(r#"href="http://map.moe.gov.kh""#),
            "{}",
            r.html
        );
    }

    #[test]
    fn no_false_links() {
        for t in [
            "e.g. this",
            "version 4.0",
            "Mr. Smith",
            "report.pdf",
            "U.N. work",
            "i.e.",
            "“ộ” x.y",
        ] {
            assert!(find_links(t).is_empty(), "{t}: {:?}", find_links(t));
        }
        let l = find_links("(https://a.gov.la/x_(y)) end");
        assert_eq!(l[0].2, "https://a.gov.la/x_(y)");
    }

    #[test]
    fn links_after_delimiters_inside_a_token() {
        let l = find_links("see(www.a.gov.la) and “www.b.gov.la”");
        assert_eq!(
            l.iter().map(|x| x.2.as_str()).collect::<Vec<_>>(),
            ["http://www.a.gov.la", "http://www.b.gov.la"]
        );
    }

    #[test]
    fn angle_links_and_plain_urls_once() {
        let r = render("<https://dgc.gov.la/> and http://x.gov.la/a?b=1", ANSWER);
        assert_eq!(r.html.matches("<a ").count(), 2, "{}", r.html);
    }

    #[test]
    fn scripts_and_js_urls_are_removed() {
        let md = "<script>alert(1)</script>\n\n<p onclick=\"x()\">hi</p>\n\n[a](javascript:alert(1)) <a href=\"jav&#x09;ascript:alert(1)\">b</a> [c](data:text/html,x)";
        let h = render(md, DOCUMENT).html;
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("onclick"), "{h}");
        assert!(h.contains(">a</a>") && h.contains(">b</a>"), "{h}");
        assert!(
            !h.contains("href=\"javascript")
                && !h.contains("href=\"jav")
                && !h.contains("href=\"data:"),
            "{h}"
        );
    }

    #[test]
    fn headings_get_ids_and_shift() {
        let r = render("# Title\n\n## Part\n\n## Part\n", DOCUMENT);
        assert_eq!(
            r.toc.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["title", "part", "part-2"]
        );
        // Minified: no line breaks between blocks.
        assert!(
            r.html
                .starts_with(r#"<h2 id="title">Title</h2><h2 id="part">"#),
            "{}",
            r.html
        );
    }

    #[test]
    fn bold_line_before_a_table_becomes_its_caption() {
        let r = render("**Table 1: Actions**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n**Not a caption**\n\nText.\n", DOCUMENT);
        assert!(
            r.html
                .contains("<table><caption>Table 1: Actions</caption>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<p><strong>Not a caption</strong></p>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn tables_and_footnotes() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1]\n\n[^1]: Note.\n",
            DOCUMENT,
        );
        assert!(r.html.contains("<th>a</th>"), "{}", r.html);
        assert!(r.html.contains("footnote-definition"), "{}", r.html);
    }

    /// `html` written one canonical way (attribute order, quotes, entities), so that two
    /// pieces of HTML compare equal when a browser reads the same elements from them.
    fn canonical(html: &str) -> String {
        let mut cfg = minify_html::Cfg::new();
        cfg.keep_closing_tags = true;
        String::from_utf8(minify_html::minify(html.as_bytes(), &cfg)).unwrap()
    }

    /// Markdown without raw HTML skips the sanitiser: its HTML must be what the sanitiser
    /// would have made of it (the same elements, attributes and text; the two may write
    /// an entity or order attributes differently).
    fn same_both_ways(md: &str) {
        for style in [DOCUMENT, ANSWER] {
            let fast = render_with(md, style, false).html;
            let checked = render_with(md, style, true).html;
            assert_eq!(canonical(&fast), canonical(&checked), "for Markdown:\n{md}");
            // Both minified alike: the same line breaks.
            assert_eq!(
                fast.matches('\n').count(),
                checked.matches('\n').count(),
                "for Markdown:\n{md}"
            );
        }
    }

    #[test]
    fn html_without_the_sanitiser_is_what_the_sanitiser_makes() {
        for md in [
            "# Title\n\nText with *emphasis*, **strong**, ~~struck~~ and `code`.\n",
            "See www.laoservicesportal.gov.la, <https://dgc.gov.la/> and [the law](https://a.gov.la/x?a=1&b='2' \"Its title\").",
            "Mail <info@example.org> or [us](mailto:x@example.org); [relative](../countries/lao-pdr.html#q3), [anchor](#part).",
            "1. one\n2. two\n   - nested\n   - list\n\n5. starts at five\n\n> quoted\n> text\n",
            "| Left | Centre | Right |\n|:---|:---:|---:|\n| a | b | c |\n| 1 | 2 & 3 | <x> |\n",
            "**Table 1: Actions**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            "Text[^1] and more[^note].\n\n[^note]: The second.\n[^1]: The first, with a [link](https://x.org).\n",
            "An image ![alt *text*](https://x.org/a.png \"t\") and ![nested ![inner](b.png)](c.png) here.",
            "```rust\nfn main() { println!(\"<hi>\"); }\n```\n\n    indented code\n\n---\n\nline  \nbreak",
            "Entities: &amp; &lt; &copy; &nbsp; &#x27; \"quotes\" 'single' < > & end.",
            "Tiếng Việt: Chính phủ số — «guillemets» “curly” ‘marks’ … ✓",
            "[empty]() [spaces](<a b.html>) [query](?x=1) [upper](HTTPS://X.ORG/Y) [ftp](ftp://x.org)",
            "Setext\n======\n\nSub\n---\n\n### Deep heading with [link](https://x.org)\n",
            "- [ ] not a task list\n- item with `code <b>`\n\n***bold italic*** \\*escaped\\*",
        ] {
            same_both_ways(md);
        }
        // The site's own documents.
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                // Front matter and all: only the HTML of the two ways is compared.
                let body = text.splitn(3, "---\n").nth(2).unwrap_or(&text);
                if !render(body, DOCUMENT).html.is_empty() {
                    let fast = render_with(body, DOCUMENT, false).html;
                    let checked = render_with(body, DOCUMENT, true).html;
                    assert_eq!(fast, checked, "{}", entry.path().display());
                }
            }
        }
    }

    #[test]
    fn links_the_sanitiser_would_change_go_through_it() {
        for md in [
            "[a](javascript:alert(1))",
            "[b](data:text/html,x)",
            "[c](http://[bad)",
            "<b>raw</b>",
        ] {
            let events: Vec<Event> = Parser::new(md).collect();
            assert!(events.iter().any(needs_sanitizer), "{md}");
        }
        let events: Vec<Event> = Parser::new("[ok](https://x.org) [rel](a/b.html)").collect();
        assert!(!events.iter().any(needs_sanitizer));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let md = ">".repeat(10_000) + " deep";
        let r = render(&md, DOCUMENT);
        assert!(r.text.contains("deep"));
    }
}
