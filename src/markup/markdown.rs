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
    /// Byte offset in [`Rendered::text`] where the heading's title starts (search splits a
    /// long document's text into its sections with it).
    #[serde(skip)]
    pub at: usize,
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
    // Text over the limits (which validation reports) is shown as plain text: its tables
    // are never built, its HTML never parsed.
    if table_problem(md).is_some() {
        return as_plain_text(md);
    }
    let mut raw_html = RawHtml::default();
    let mut events: Vec<Event> = Vec::new();
    let mut toc = Vec::new();
    let mut text = String::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut link_depth = 0usize;
    let mut code_depth = 0usize;
    let mut depth = 0usize;
    let mut heading: Option<(HeadingLevel, Vec<Event>, String)> = None;
    // Where each heading's title starts in `text`, before whitespace is collapsed.
    let mut marks: Vec<usize> = Vec::new();
    // The events one source event becomes (reused: no allocation per event).
    let mut out: Vec<Event> = Vec::new();

    for ev in Parser::new_ext(md, options()) {
        if let Event::Html(h) | Event::InlineHtml(h) = &ev {
            raw_html.feed(h, 0);
            if raw_html.too_deep.is_some() {
                return as_plain_text(md);
            }
        }
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
                        at: 0,
                    });
                    marks.push(text.len());
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
    let needs = sanitize_all || events.iter().any(needs_sanitizer);
    let events = footnotes(events);
    let html = if needs {
        sanitized_html(events, md.len())
    } else {
        safe_html(events, md.len())
    };
    let (text, marks) = collapse_ws_marked(&text, &marks);
    for (entry, at) in toc.iter_mut().zip(marks) {
        entry.at = at;
    }
    Rendered {
        // Minified once here, as the templates are, so pages need no minification pass.
        html: crate::output::minify::markdown(&html),
        toc,
        text,
    }
}

/// For the fuzz target and tests: `md` rendered both ways, through the fast path that skips
/// the sanitiser (where [`needs_sanitizer`] allows it) and through the sanitiser, each
/// written one canonical way (attribute order, quotes, entities). They must be equal: the
/// fast path may only skip what the sanitiser would leave as it is.
#[doc(hidden)]
pub fn fast_and_sanitised(md: &str, style: Style) -> (String, String) {
    let canonical = |html: &str| {
        let mut cfg = minify_html::Cfg::new();
        cfg.keep_closing_tags = true;
        String::from_utf8_lossy(&minify_html::minify(html.as_bytes(), &cfg)).into_owned()
    };
    (
        canonical(&render_with(md, style, false).html),
        canonical(&render_with(md, style, true).html),
    )
}

/// The Markdown extensions the site uses.
fn options() -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts
}

/// Most columns a table may have.
pub const MAX_TABLE_COLUMNS: usize = 100;

/// Most table cells one text may hold in all, counting every row as having all the
/// columns of its table (the Markdown parser fills up short rows): a table 20,000 columns
/// wide with a short line per row once took gigabytes.
pub const MAX_TABLE_CELLS: usize = 200_000;

/// Most HTML elements written in a text (raw HTML) that may be open inside each other: a
/// parser takes time in proportion to depth for every tag, so 100,000 nested `<div>`s took
/// half a minute.
pub const MAX_HTML_NESTING: usize = 100;

/// Something in a Markdown text that stops it from being rendered as written, at a byte
/// offset into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub expected: String,
}

/// What in `md` cannot be rendered as written: a table or raw HTML over the limits above,
/// or raw HTML that swallows the rest of the text (an unclosed comment, `<script>`,
/// `<style>`, `<template>`, `<math>` and the like, which the sanitiser then removes with
/// everything after it). Linear in the length of `md`.
pub fn problems(md: &str) -> Vec<Problem> {
    if let Some(p) = table_problem(md) {
        return vec![p];
    }
    if !md.contains('<') {
        return Vec::new();
    }
    let mut raw = RawHtml::default();
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        if let Event::Html(h) | Event::InlineHtml(h) = &ev {
            // In a block quote or list the event's text lacks the line's markers.
            let start = range.end.saturating_sub(h.len()).max(range.start);
            raw.feed(h, start);
            if raw.too_deep.is_some() {
                break;
            }
        }
    }
    raw.problems()
}

/// A byte offset in `text` as a 1-based (line, column), columns counted in characters.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Rendered as text, each paragraph escaped: for text over the limits.
fn as_plain_text(md: &str) -> Rendered {
    let mut html = String::with_capacity(md.len() + md.len() / 8);
    for para in md.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        html.push_str("<p>");
        let _ = pulldown_cmark_escape::escape_html(&mut html, para);
        html.push_str("</p>");
    }
    Rendered {
        html,
        toc: Vec::new(),
        text: collapse_ws(md),
    }
}

/// The first table over [`MAX_TABLE_COLUMNS`] or [`MAX_TABLE_CELLS`], found line by line
/// without parsing (the parser would build the cells first). It counts more than the
/// parser would make (every line up to a blank one as a row, any line of dashes and pipes
/// under text as a header), never fewer.
fn table_problem(md: &str) -> Option<Problem> {
    if !md.contains('|') {
        return None;
    }
    let mut cells = 0usize;
    let mut columns: Option<usize> = None;
    let mut after_text = false;
    let mut offset = 0;
    for line in md.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
        let blank = body.trim().is_empty();
        if let Some(n) = columns {
            if blank {
                columns = None;
            } else {
                cells += n;
            }
        } else if after_text && !blank {
            if let Some(n) = delimiter_columns(body) {
                if n > MAX_TABLE_COLUMNS {
                    return Some(Problem {
                        offset: start,
                        message: format!("table with {n} columns"),
                        expected: format!("at most {MAX_TABLE_COLUMNS} columns in a table"),
                    });
                }
                columns = Some(n);
                cells += 2 * n;
            }
        }
        if cells > MAX_TABLE_CELLS {
            return Some(Problem {
                offset: start,
                message: format!(
                    "tables with more than {MAX_TABLE_CELLS} cells in all (rows times columns)"
                ),
                expected: "smaller tables: split a large one, or publish the data as a file".into(),
            });
        }
        after_text = !blank;
    }
    None
}

/// The number of columns of a table's delimiter row (`| --- | :-: |`), or `None` when
/// `line` is not one.
fn delimiter_columns(line: &str) -> Option<usize> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    let mut n = 0;
    for cell in t.split('|') {
        let c = cell.trim();
        let c = c.strip_prefix(':').unwrap_or(c);
        let c = c.strip_suffix(':').unwrap_or(c);
        if c.is_empty() || !c.bytes().all(|b| b == b'-') {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// Elements that never have content (no end tag follows).
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose end tag may be left out: the next one of their kind closes them, so
/// writing many does not nest them.
const OPTIONAL_END: &[&str] = &[
    "body", "caption", "colgroup", "dd", "dt", "head", "html", "li", "optgroup", "option", "p",
    "rb", "rp", "rt", "rtc", "tbody", "td", "tfoot", "th", "thead", "tr",
];

/// Elements whose content is text up to their end tag: left open, they swallow the rest.
const RAW_TEXT: &[&str] = &[
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
];

/// Elements the sanitiser removes with all they hold: left open, the rest goes with them.
const SWALLOWING: &[&str] = &["math", "svg", "template"];

/// The raw HTML of a Markdown text, followed in order as the sanitiser's HTML parser reads
/// it, for elements nested deeper than [`MAX_HTML_NESTING`] and for comments and elements
/// left open that would swallow the rest of the text. An approximation that errs towards
/// counting an element as open.
#[derive(Debug, Default)]
struct RawHtml {
    /// Elements open, by name, with the offset of their start tag.
    open: Vec<(String, usize)>,
    /// Inside a comment or raw-text element: what ends it, where it started, what it is.
    inside: Option<(String, usize, String)>,
    /// Where nesting first went past the limit.
    too_deep: Option<usize>,
}

impl RawHtml {
    /// Read `html`, which starts at byte `at` of the Markdown text.
    fn feed(&mut self, html: &str, at: usize) {
        let lower = html.to_ascii_lowercase();
        let b = lower.as_bytes();
        let mut i = 0;
        while i < b.len() && self.too_deep.is_none() {
            if let Some((end, ..)) = &self.inside {
                let Some(e) = find_end(&lower[i..], end) else {
                    return;
                };
                i += e;
                self.inside = None;
                continue;
            }
            let Some(lt) = lower[i..].find('<') else {
                return;
            };
            let p = i + lt;
            let rest = &lower[p..];
            if let Some(after) = rest.strip_prefix("<!--") {
                if after.starts_with('>') || after.starts_with("->") {
                    i = p + 4; // `<!-->` and `<!--->`: empty comments
                } else {
                    self.inside = Some(("-->".into(), at + p, "comment `<!--`".into()));
                    i = p + 4;
                }
                continue;
            }
            let closing = rest.starts_with("</");
            let name_start = if closing { 2 } else { 1 };
            let name_len = rest[name_start..]
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
                .count();
            if name_len == 0 || !rest.as_bytes()[name_start].is_ascii_alphabetic() {
                i = p + 1;
                continue;
            }
            let name = &rest[name_start..name_start + name_len];
            let end = p + tag_length(rest);
            let self_closing = lower[..end].ends_with("/>");
            i = end;
            if closing {
                self.close(name);
            } else if RAW_TEXT.contains(&name) {
                let end = if name == "plaintext" {
                    String::new() // never ends
                } else {
                    format!("</{name}")
                };
                self.inside = Some((end, at + p, format!("`<{name}>`")));
            } else if VOID_ELEMENTS.contains(&name)
                || OPTIONAL_END.contains(&name)
                || (self_closing && (name == "math" || name == "svg"))
            {
                continue;
            } else {
                self.open.push((name.to_string(), at + p));
                if self.open.len() > MAX_HTML_NESTING {
                    self.too_deep = Some(at + p);
                }
            }
        }
    }

    /// An end tag: it closes the innermost open element of its name (and those opened
    /// inside it), if any; a `<template>` is closed only by its own end tag.
    fn close(&mut self, name: &str) {
        for k in (0..self.open.len()).rev() {
            if self.open[k].0 == name {
                self.open.truncate(k);
                return;
            }
            if self.open[k].0 == "template" {
                return;
            }
        }
    }

    fn problems(self) -> Vec<Problem> {
        if let Some(offset) = self.too_deep {
            return vec![Problem {
                offset,
                message: format!("HTML elements nested more than {MAX_HTML_NESTING} deep"),
                expected: format!(
                    "at most {MAX_HTML_NESTING} HTML elements inside each other (close each one)"
                ),
            }];
        }
        let mut out = Vec::new();
        let swallows = "is never closed: the sanitiser would remove it with everything after it";
        for (name, offset) in &self.open {
            if SWALLOWING.contains(&name.as_str()) {
                out.push(Problem {
                    offset: *offset,
                    message: format!("`<{name}>` {swallows}"),
                    expected: format!("`</{name}>` after its content"),
                });
            }
        }
        if let Some((end, offset, what)) = self.inside {
            let expected = if end.is_empty() {
                "no `<plaintext>` (it cannot be closed)".to_string()
            } else if end == "-->" {
                "`-->` at the end of the comment".to_string()
            } else {
                format!("`{end}>` after its content")
            };
            out.push(Problem {
                offset,
                message: format!("{what} {swallows}"),
                expected,
            });
        }
        out.sort_by_key(|p| p.offset);
        out
    }
}

/// Where the comment or raw-text element ending with `end` (`-->`, `</script`) ends in
/// `s`: just past that end (and the rest of its end tag).
fn find_end(s: &str, end: &str) -> Option<usize> {
    if end.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(e) = s[from..].find(end) {
        let after = from + e + end.len();
        if end == "-->" {
            return Some(after);
        }
        // `</script` ends the element only as a whole tag name.
        match s.as_bytes().get(after) {
            Some(c) if c.is_ascii_alphanumeric() => from = after,
            _ => return Some(after + tag_length(&s[after..]).min(s.len() - after)),
        }
    }
    None
}

/// The length of the tag `s` starts with, up to and with its `>` outside quotes (all of
/// `s` when it has none).
fn tag_length(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.bytes().enumerate() {
        match (quote, c) {
            (None, b'>') => return i + 1,
            (None, b'"' | b'\'') if i > 0 && s.as_bytes()[i - 1] == b'=' => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    s.len()
}

/// HTML of events that may hold raw HTML: made by pulldown-cmark, then cleaned by the
/// allow-list sanitiser.
fn sanitized_html(events: Vec<Event>, size: usize) -> String {
    let mut html = String::with_capacity(size * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitize(&captions_from_bold_paragraphs(&html))
}

/// Whether an event needs the sanitiser. An allow-list: only events [`safe_html`] is known
/// to write as the sanitiser would leave them skip it (text, emphasis, lists, tables,
/// footnotes, code, headings without attributes, links to addresses the sanitiser keeps,
/// images, which it leaves out). Anything else (raw HTML, a link it would change, code with
/// an unusual language name, and any kind of event a newer pulldown-cmark or another
/// option adds) goes through the sanitiser; parsing the HTML again, the costliest step of
/// rendering Markdown, is skipped only for the rest.
fn needs_sanitizer(ev: &Event) -> bool {
    !match ev {
        Event::Text(t) | Event::Code(t) => plain_chars(t),
        Event::SoftBreak | Event::HardBreak | Event::Rule => true,
        Event::FootnoteReference(name) => plain_chars(name),
        Event::Start(tag) => safe_start(tag),
        Event::End(end) => matches!(
            end,
            TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(None)
                | TagEnd::CodeBlock
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::FootnoteDefinition
                | TagEnd::Table
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::TableCell
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// Whether text has only characters an HTML parser reads back as they are: no control
/// characters but tab and line feed (a parser turns a carriage return into a line feed).
fn plain_chars(t: &str) -> bool {
    !t.bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f)
}

/// [`needs_sanitizer`] for a start tag.
fn safe_start(tag: &Tag) -> bool {
    match tag {
        Tag::Paragraph
        | Tag::BlockQuote(None)
        | Tag::List(_)
        | Tag::Item
        | Tag::Table(_)
        | Tag::TableHead
        | Tag::TableRow
        | Tag::TableCell
        | Tag::Emphasis
        | Tag::Strong
        | Tag::Strikethrough
        | Tag::Image { .. } => true,
        Tag::FootnoteDefinition(name) => plain_chars(name),
        Tag::Heading { classes, attrs, .. } => classes.is_empty() && attrs.is_empty(),
        Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Indented) => true,
        Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info)) => {
            // Written as `class="language-<first word>"`.
            info.split_whitespace().next().is_none_or(|lang| {
                lang.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_+.#".contains(&b))
            })
        }
        Tag::Link {
            link_type,
            dest_url,
            title,
            ..
        } => {
            matches!(
                link_type,
                LinkType::Inline
                    | LinkType::Reference
                    | LinkType::ReferenceUnknown
                    | LinkType::Collapsed
                    | LinkType::CollapsedUnknown
                    | LinkType::Shortcut
                    | LinkType::ShortcutUnknown
                    | LinkType::Autolink
                    | LinkType::Email
            ) && plain_chars(title)
                && allowed_url(&link_href(*link_type, dest_url))
        }
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
                let _ =
                    pulldown_cmark_escape::escape_href(&mut a, &link_href(link_type, &dest_url));
                a.push('"');
                if !title.is_empty() {
                    a.push_str(" title=\"");
                    a.push_str(&escape(&title));
                    a.push('"');
                }
                a.push_str(&format!(" rel=\"{LINK_REL}\">"));
                Event::InlineHtml(CowStr::from(a))
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

/// Footnotes as notes a reader can follow both ways. pulldown-cmark writes a definition
/// where it stands in the text (in the middle of a section, as a lone superscript number)
/// with the note's name as its id (`id="1"`) and no way back. Here each note is numbered in
/// the order it is first referred to; the reference is `<a id="fnref-N" href="#fn-N">`, and
/// the notes referred to in a section are listed at the end of that section (before the
/// next `h2`, so they stay in the same page part) as `<li id="fn-N">` ending in a ↩ link
/// back to the first reference. Later references to a note get ids `fnref-N-2`, ... A
/// reference to a note that is not defined stays as written; a note never referred to is
/// listed at the end, so no text is lost. The HTML written is what the sanitiser keeps
/// as it is (links get its `rel`), so both ways of rendering agree.
fn footnotes(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events.iter().any(|e| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    }) {
        return events;
    }
    // Definitions, taken out of the text.
    let mut defs: HashMap<String, Vec<Event>> = HashMap::new();
    let mut def_order: Vec<String> = Vec::new();
    let mut text: Vec<Event> = Vec::with_capacity(events.len());
    let mut current: Option<(String, Vec<Event>)> = None;
    for ev in events {
        match ev {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                current = Some((name.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((name, body)) = current.take() {
                    // A second definition of the same name cannot be referred to, but is
                    // kept (listed with the unused notes) under a name no reference has
                    // (the parser turns NUL into U+FFFD).
                    let key = if defs.contains_key(&name) {
                        format!("\0{}", def_order.len())
                    } else {
                        name
                    };
                    def_order.push(key.clone());
                    defs.insert(key, body);
                }
            }
            ev => match current.as_mut() {
                Some((_, body)) => body.push(ev),
                None => text.push(ev),
            },
        }
    }
    let mut number: HashMap<String, usize> = HashMap::new();
    let mut refs: HashMap<usize, usize> = HashMap::new();
    let mut pending: Vec<usize> = Vec::new();
    let mut bodies: Vec<Option<Vec<Event>>> = Vec::new();
    let mut referred: Vec<bool> = Vec::new();
    let mut out: Vec<Event> = Vec::with_capacity(text.len() + 16);
    fn flush<'a>(
        pending: &mut Vec<usize>,
        bodies: &mut [Option<Vec<Event<'a>>>],
        referred: &[bool],
        number: &HashMap<String, usize>,
        out: &mut Vec<Event<'a>>,
    ) {
        if pending.is_empty() {
            return;
        }
        let first = pending[0];
        let start = if first == 1 {
            String::new()
        } else {
            format!(" start=\"{first}\"")
        };
        out.push(Event::Html(CowStr::from(format!(
            "<ol class=\"footnotes\"{start}>"
        ))));
        for n in pending.drain(..) {
            // A note referring to a note links to it if it has a number (no id of its
            // own: the back-link goes to the first reference in the text).
            let mut body: Vec<Event> = bodies[n - 1]
                .take()
                .unwrap_or_default()
                .into_iter()
                .map(|e| match e {
                    Event::FootnoteReference(name) => match number.get(name.as_ref()) {
                        Some(m) => Event::InlineHtml(CowStr::from(format!(
                            "<sup class=\"footnote-ref\"><a href=\"#fn-{m}\" rel=\"{LINK_REL}\">{m}</a></sup>"
                        ))),
                        None => Event::Text(CowStr::from(format!("[^{name}]"))),
                    },
                    e => e,
                })
                .collect();
            if !referred[n - 1] {
                out.push(Event::Html(CowStr::from(format!("<li id=\"fn-{n}\">"))));
                out.extend(body);
                out.push(Event::Html(CowStr::from("</li>")));
                continue;
            }
            let back = Event::InlineHtml(CowStr::from(format!(
                " <a href=\"#fnref-{n}\" class=\"footnote-back\" rel=\"{LINK_REL}\">↩</a>"
            )));
            if matches!(body.last(), Some(Event::End(TagEnd::Paragraph))) {
                let end = body.pop();
                body.push(back);
                body.extend(end);
            } else {
                body.push(back);
            }
            out.push(Event::Html(CowStr::from(format!("<li id=\"fn-{n}\">"))));
            out.extend(body);
            out.push(Event::Html(CowStr::from("</li>")));
        }
        out.push(Event::Html(CowStr::from("</ol>\n")));
    }
    for ev in text {
        match ev {
            Event::FootnoteReference(name) => {
                let Some(body) = defs
                    .remove(name.as_ref())
                    .map(Some)
                    .or_else(|| number.contains_key(name.as_ref()).then_some(None))
                else {
                    out.push(Event::Text(CowStr::from(format!("[^{name}]"))));
                    continue;
                };
                let n = match number.get(name.as_ref()) {
                    Some(&n) => n,
                    None => {
                        let n = number.len() + 1;
                        number.insert(name.to_string(), n);
                        bodies.push(body);
                        referred.push(true);
                        pending.push(n);
                        n
                    }
                };
                let seen = refs.entry(n).or_insert(0);
                *seen += 1;
                let id = if *seen == 1 {
                    format!("fnref-{n}")
                } else {
                    format!("fnref-{n}-{seen}")
                };
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{id}\" rel=\"{LINK_REL}\">{n}</a></sup>"
                ))));
            }
            Event::Start(Tag::Heading { level, .. }) if level <= HeadingLevel::H2 => {
                flush(&mut pending, &mut bodies, &referred, &number, &mut out);
                out.push(ev);
            }
            ev => out.push(ev),
        }
    }
    // Notes never referred to: listed at the end, numbered after the others.
    for name in def_order {
        if let Some(body) = defs.remove(&name) {
            let n = number.len() + 1;
            number.insert(name, n);
            bodies.push(Some(body));
            referred.push(false);
            pending.push(n);
        }
    }
    flush(&mut pending, &mut bodies, &referred, &number, &mut out);
    out
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

/// [`collapse_ws`], also moving the ascending byte offsets `marks` of `s` to where the
/// first word at or after each one starts in the result (its end when none follows).
fn collapse_ws_marked(s: &str, marks: &[usize]) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut moved = Vec::with_capacity(marks.len());
    let mut next = marks.iter().peekable();
    for word in s.split_whitespace() {
        let start = word.as_ptr() as usize - s.as_ptr() as usize;
        if !out.is_empty() {
            out.push(' ');
        }
        while next.next_if(|&&m| m <= start).is_some() {
            moved.push(out.len());
        }
        out.push_str(word);
    }
    moved.resize(marks.len(), out.len());
    (out, moved)
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
    fn each_heading_knows_where_its_title_starts_in_the_text() {
        let r = render(
            "Lead   text.\n\n## Part  *one*\n\nBody\n\n- a\n- b\n\n## Two\n",
            DOCUMENT,
        );
        let at: Vec<&str> = r.toc.iter().map(|t| &r.text[t.at..]).collect();
        assert_eq!(at, ["Part one Body a b Two", "Two"], "{:?}", r.text);
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
        assert!(
            r.html.contains(r##"<sup class="footnote-ref"><a href="#fn-1" id="fnref-1" rel="noopener noreferrer">1</a></sup>"##),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r##"<li id="fn-1"><p>Note. <a href="#fnref-1" class="footnote-back" rel="noopener noreferrer">↩</a></p></li>"##),
            "{}",
            r.html
        );
        assert!(!r.html.contains("id=\"1\""), "{}", r.html);
    }

    #[test]
    fn footnotes_close_their_section_and_link_back() {
        // As in the ODSC report: the note is defined in the middle of a section.
        let md = "## A\n\nText[^1] and again[^1].\n\n[^1]: The note.\n\n[^1]: Twice.\n\nMore of A[^b].\n\n## B\n\nB's text[^u].\n\n[^b]: Second.\n\n[^unused]: Never referred to.\n";
        let html = render(md, DOCUMENT).html;
        let a_end = html.find("<h2 id=\"b\"").expect("heading B");
        let (a, b) = html.split_at(a_end);
        // Both notes of section A are listed at its end, in reference order; the note's
        // text is no longer between "Text" and "More of A".
        let text = a.find("and again").unwrap();
        let more = a.find("More of A").unwrap();
        let list = a.find("<ol class=\"footnotes\">").expect("notes of A");
        assert!(text < more && more < list, "{a}");
        assert!(a.contains("id=\"fnref-1-2\""), "{a}");
        assert!(
            a.contains("<li id=\"fn-2\"><p>Second. <a href=\"#fnref-2\""),
            "{a}"
        );
        // An undefined reference stays as written; an unused note is kept, with no
        // back-link to a reference that does not exist, numbered after the others.
        assert!(b.contains("[^u]"), "{b}");
        assert!(
            b.contains("<ol class=\"footnotes\" start=\"3\"><li id=\"fn-3\"><p>Twice.</p></li><li id=\"fn-4\"><p>Never referred to.</p></li></ol>"),
            "{b}"
        );
        assert!(!html.contains("fnref-3"), "{html}");
        same_both_ways(md);
    }

    /// Markdown without raw HTML skips the sanitiser: its HTML must be what the sanitiser
    /// would have made of it (the same elements, attributes and text; the two may write
    /// an entity or order attributes differently).
    fn same_both_ways(md: &str) {
        for style in [DOCUMENT, ANSWER] {
            let (fast_canonical, checked_canonical) = fast_and_sanitised(md, style);
            assert_eq!(fast_canonical, checked_canonical, "for Markdown:\n{md}");
            let fast = render_with(md, style, false).html;
            let checked = render_with(md, style, true).html;
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

    /// Random Markdown from pieces that make every kind of element, with a fixed seed.
    fn random_markdown(seed: &mut u64, pieces: usize, any_piece: bool) -> String {
        const PIECES: &[&str] = &[
            "*",
            "**",
            "_",
            "~~",
            "`",
            "``",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "&",
            "# ",
            "## ",
            "\n",
            "\n\n",
            "- ",
            "1. ",
            "7) ",
            "> ",
            "|",
            "| --- |",
            "---",
            "===",
            "\\",
            "!",
            "[^1]",
            "\n[^1]: ",
            "[^a b]",
            ":",
            "\"",
            "'",
            "\t",
            "    ",
            "```",
            "```rust x",
            "~~~",
            "&amp;",
            "&#0;",
            "&#x1;",
            "&nbsp;",
            "\r",
            "\u{1}",
            "\u{7f}",
            "\u{85}",
            "http://x.org/a_(b)",
            "https://a.gov.la/?q=1&r='2'",
            "www.a.gov.la",
            "a.gov.la",
            "mailto:x@y.org",
            "<x@y.org>",
            "<https://x.org>",
            "javascript:alert(1)",
            "data:x",
            "[t](https://x.org \"ti\")",
            "[r][x]\n\n[x]: /y",
            "![i](a.png)",
            "word",
            "b c",
            "é",
            "Tiếng",
            "\u{200b}",
            "\u{feff}",
            "{#id}",
            "<b>",
            "</b>",
            "<!-- c -->",
            "&lt;script&gt;",
            "%20",
            "#",
            "\\*",
            "1.",
            "  \n",
            "[ ]",
            "[x] ",
        ];
        let mut md = String::new();
        for _ in 0..pieces {
            // xorshift64*
            *seed ^= *seed >> 12;
            *seed ^= *seed << 25;
            *seed ^= *seed >> 27;
            let r = seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
            let piece = PIECES[(r >> 33) as usize % PIECES.len()];
            // Most samples leave out what always needs the sanitiser, so that most of them
            // test the fast path.
            if any_piece
                || !(piece.contains('<') || piece.chars().any(|c| c.is_control() && c != '\n'))
            {
                md.push_str(piece);
            }
        }
        md
    }

    #[test]
    fn the_fast_path_matches_the_sanitiser_on_random_markdown() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        // More with EGOVSITE_SAMPLES=100000 (the fuzz target fast_path searches further).
        let n: usize = std::env::var("EGOVSITE_SAMPLES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1500);
        let mut fast = 0;
        for i in 0..n {
            let md = random_markdown(&mut seed, 40, i % 4 == 0);
            if !Parser::new_ext(&md, options()).any(|e| needs_sanitizer(&e)) {
                fast += 1;
            }
            same_both_ways(&md);
        }
        // Enough of them took the fast path for the comparison to mean something.
        assert!(fast > n / 4, "{fast} of {n} samples took the fast path");
    }

    #[test]
    fn the_fast_path_is_an_allow_list() {
        use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, MetadataBlockKind};
        // Events the fast path does not know go through the sanitiser, whatever they are.
        for ev in [
            Event::InlineMath(CowStr::from("x")),
            Event::DisplayMath(CowStr::from("x")),
            Event::TaskListMarker(true),
            Event::Start(Tag::HtmlBlock),
            Event::Start(Tag::BlockQuote(Some(BlockQuoteKind::Warning))),
            Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle)),
            Event::Start(Tag::DefinitionList),
            Event::Start(Tag::Superscript),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(CowStr::from("x\"y")))),
            Event::Text(CowStr::from("carriage\rreturn")),
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                id: None,
                classes: vec![CowStr::from("c")],
                attrs: vec![],
            }),
        ] {
            assert!(needs_sanitizer(&ev), "{ev:?}");
        }
    }

    #[test]
    fn tables_over_the_limits_are_found_before_parsing() {
        let wide = format!(
            "{}\n{}\n{}",
            "a|".repeat(20_000),
            "-|".repeat(20_000),
            "x\n".repeat(1000)
        );
        let p = problems(&wide);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(line_column(&wide, p[0].offset), (2, 1));
        assert!(p[0].message.contains("20000 columns"), "{p:?}");
        // Within the columns, but too many cells in all: 100 columns, 2,001 one-letter rows.
        let long = format!(
            "{}\n{}\n{}",
            "a|".repeat(100),
            "-|".repeat(100),
            "x\n".repeat(2001)
        );
        let p = problems(&long);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("cells"), "{p:?}");
        // Rendering such text stays cheap: it is shown as text.
        let r = render(&wide, DOCUMENT);
        assert!(!r.html.contains("<table"));
        assert!(r.html.len() < 2 * wide.len());
        // The site's own tables pass.
        assert!(problems("| a | b |\n|---|:-:|\n| 1 | 2 |\n").is_empty());
    }

    #[test]
    fn deeply_nested_html_is_refused_not_parsed() {
        let md = "<div>".repeat(100_000);
        let p = problems(&md);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].offset, 5 * MAX_HTML_NESTING);
        let start = std::time::Instant::now();
        let r = render(&md, DOCUMENT);
        assert!(r.html.starts_with("<p>&lt;div&gt;"), "{}", &r.html[..40]);
        // Half a minute before; milliseconds now (generous for a loaded debug build).
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
        // Paragraphs, list items and void elements do not nest; closed elements do not add up.
        let flat = "<p>a<br><li>b".repeat(1000) + &"<div><b>x</b></div>".repeat(1000);
        assert!(problems(&flat).is_empty());
        let legit = format!("{}x{}", "<div>".repeat(100), "</div>".repeat(100));
        assert!(problems(&legit).is_empty());
    }

    #[test]
    fn unclosed_html_that_swallows_the_rest_is_reported_where_it_opens() {
        for (md, at, what) in [
            ("Intro.\n\n<!-- note\n\n# Rest\n\nText.", (3, 1), "comment"),
            ("Intro <script>x\n\nRest.", (1, 7), "<script>"),
            ("Intro.\n\n<style>\np {}\n\nRest.", (3, 1), "<style>"),
            ("Intro.\n\n<template>\n\nRest.", (3, 1), "<template>"),
            ("Intro.\n\n> x <math>\n\nRest.", (3, 5), "<math>"),
            ("<div><template></div>\n\nRest.", (1, 6), "<template>"),
            ("A <TEXTAREA>b\n\nRest.", (1, 3), "<textarea>"),
        ] {
            let p = problems(md);
            assert_eq!(p.len(), 1, "{md:?}: {p:?}");
            assert_eq!(line_column(md, p[0].offset), at, "{md:?}: {p:?}");
            assert!(p[0].message.contains(what), "{md:?}: {p:?}");
            assert!(p[0].message.contains("never closed"), "{md:?}: {p:?}");
        }
        for md in [
            "<!-- a -->\n\nText.",
            "<!---->x <!-->",
            "<script>x</script >\n\nText.",
            "<template><p>a</p></template>",
            "<math/> and <svg><path/></svg>",
            "Write `<script>` or `<!--` in code.\n\n```\n<style>\n```\n",
            "A &lt;script&gt; in text.",
            "<scripts>x</scripts>",
        ] {
            assert!(problems(md).is_empty(), "{md:?}: {:?}", problems(md));
        }
    }
}
