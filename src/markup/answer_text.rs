//! Answer text as it was typed: the plain-text renderer for questionnaire answers.
//!
//! Answers are text typed into a form, not Markdown, so nothing in them is read as
//! markup: `_`, `*`, `#`, `[`, `]`, `<`, `>` and leading numbers show exactly as written,
//! and every line, paragraph, list marker and number stays where the respondent put it.
//! The structure added is light and never changes a character:
//!
//! - a blank line separates paragraphs (`<p>`); the lines of a paragraph are joined with
//!   `<br>`;
//! - two or more consecutive lines that start with a list marker ("-", "•", "1.", "a)",
//!   "(2)" and the like) are a list (`<ul class="typed-list">`, one `<li>` per line), with
//!   each marker kept as visible text and the list's own bullets hidden by the stylesheet,
//!   so a list restarting at "1." still reads "1.";
//! - every web address, bare domain (`www.x.gov.kh`, `mptc.gov.kh`) and e-mail address is
//!   a link to exactly that address. A marker glued to an address ("-www.mpwt.gov.kh") is
//!   not part of it.
//!
//! Two notations come from the form's export, not from the respondent: an address in
//! angle brackets (`<https://dgc.gov.la/>`) is how the export marks a link the form
//! showed, and `[text](https://...)` a link whose text is not its address. The first is
//! shown as the address alone, linked, without its brackets; the second as its text
//! (the export's backslash escapes taken out), linked to its address. An address in
//! angle brackets that holds a space (`<https://xaydungchinh sach.chinhphu.vn/>`) names no
//! host as written: it is shown as typed, brackets and all, and nothing in it is linked,
//! since either half alone would lead to a host the respondent did not name.

use std::sync::OnceLock;

use linkify::{LinkFinder, LinkKind};

/// One answer's text, rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerText {
    /// Safe HTML: paragraphs, line breaks, typed lists and links; everything else escaped.
    pub html: String,
    /// The text a reader sees, with the typed line breaks (`\n`) and paragraphs (`\n\n`):
    /// the source less the export's link brackets. For search, CSV and JSON.
    pub text: String,
    /// The link targets, in order of appearance (one per linked address).
    pub links: Vec<String>,
    /// Each link as typed, for [`line_links`]: its byte range in its line and its text.
    typed: Vec<(std::ops::Range<usize>, String)>,
}

/// An address typed on one line of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineLink {
    /// Byte range of the address in the line, the export's brackets included.
    pub span: std::ops::Range<usize>,
    /// The address as shown (the brackets taken out), or a `[text](...)` link's text.
    pub shown: String,
    /// The link target.
    pub href: String,
}

/// The addresses of one line of answer text, found exactly as [`render`] links them.
pub fn line_links(line: &str) -> Vec<LineLink> {
    let mut out = AnswerText::default();
    inline(line, &mut out);
    out.typed
        .into_iter()
        .zip(out.links)
        .map(|((span, shown), href)| LineLink { span, shown, href })
        .collect()
}

/// The `rel` of every link, as in rendered Markdown.
const LINK_REL: &str = "noopener noreferrer";

/// Top-level domains accepted for a bare domain written without `www.` or a scheme
/// (`moh.gov.la`, `gisportal.info`): without such a list, "report.pdf" or "e.g" would be
/// links. The same list the Markdown autolinker has always accepted.
const BARE_TLDS: &[&str] = &[
    "com", "org", "net", "int", "gov", "edu", "info", "io", "la", "kh", "vn", "th", "mm", "id",
    "ph", "my", "sg", "bn", "un", "eu", "uk",
];

/// The longest address read inside the export's `[text](address)` notation.
const MAX_ADDRESS: usize = 4096;

/// Render answer text typed into a form.
pub fn render(src: &str) -> AnswerText {
    let src = src.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = AnswerText::default();
    let paragraphs = paragraphs(&src);
    for (pi, lines) in paragraphs.iter().enumerate() {
        if pi > 0 {
            out.text.push_str("\n\n");
        }
        let mut i = 0;
        while i < lines.len() {
            let run = lines[i..].iter().take_while(|l| is_list_line(l)).count();
            if run >= 2 {
                out.html.push_str("<ul class=\"typed-list\">");
                for (k, line) in lines[i..i + run].iter().enumerate() {
                    if i + k > 0 {
                        out.text.push('\n');
                    }
                    out.html.push_str("<li>");
                    inline(line, &mut out);
                    out.html.push_str("</li>");
                }
                out.html.push_str("</ul>");
                i += run;
            } else {
                // Up to the next list of two or more lines.
                let mut end = i + 1;
                while end < lines.len() {
                    let next_run = lines[end..].iter().take_while(|l| is_list_line(l)).count();
                    if next_run >= 2 {
                        break;
                    }
                    end += next_run.max(1);
                }
                out.html.push_str("<p>");
                for (k, line) in lines[i..end].iter().enumerate() {
                    if k > 0 {
                        out.html.push_str("<br>");
                    }
                    if i + k > 0 {
                        out.text.push('\n');
                    }
                    inline(line, &mut out);
                }
                out.html.push_str("</p>");
                i = end;
            }
        }
    }
    out
}

/// Blank-line separated paragraphs, each a list of its lines (trailing spaces dropped).
fn paragraphs(src: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in src.split('\n') {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a line starts with a list marker: a bullet ("-", "•", "–", "·", "▪", "◦",
/// "* ", "+ ", "o "), a number or letter with "." or ")" ("1.", "12)", "a)", "iv."), or one
/// in brackets ("(1)", "(b)").
pub fn is_list_line(line: &str) -> bool {
    let t = line.trim_start();
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let followed_by_space = |rest: &str| rest.is_empty() || rest.starts_with(char::is_whitespace);
    // Dashes and bullets may be glued to the item ("-Ministry of ..."); "*", "+" and "o"
    // are markers only before a space.
    if matches!(first, '-' | '–' | '—' | '•' | '·' | '▪' | '◦' | '●' | '○')
        || matches!(first, '*' | '+' | 'o') && followed_by_space(chars.as_str())
    {
        return true;
    }
    if let Some(inner) = t.strip_prefix('(') {
        if let Some(close) = inner.find(')') {
            let label = &inner[..close];
            return is_label(label) && followed_by_space(&inner[close + 1..]);
        }
        return false;
    }
    let label_end = t
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(t.len());
    let label = &t[..label_end];
    let rest = &t[label_end..];
    is_label(label)
        && (rest.starts_with('.') || rest.starts_with(')'))
        && followed_by_space(&rest[1..])
}

/// A list label: up to three digits, one letter, or a short lowercase roman numeral.
fn is_label(label: &str) -> bool {
    let n = label.len();
    (1..=3).contains(&n) && label.bytes().all(|b| b.is_ascii_digit())
        || n == 1 && label.bytes().all(|b| b.is_ascii_alphabetic())
        || (1..=4).contains(&n) && label.bytes().all(|b| matches!(b, b'i' | b'v' | b'x'))
}

fn finder() -> &'static LinkFinder {
    static FINDER: OnceLock<LinkFinder> = OnceLock::new();
    FINDER.get_or_init(|| {
        let mut f = LinkFinder::new();
        f.url_must_have_scheme(false);
        // Host names in ASCII only: a bullet or quote glued to a domain ("•www.x.gov.kh",
        // "“www.x.gov.la”") is then not taken for part of it.
        f.url_can_be_iri(false);
        f.kinds(&[LinkKind::Url, LinkKind::Email]);
        f
    })
}

/// One line: escaped text and links, into `out`.
fn inline(line: &str, out: &mut AnswerText) {
    let mut rest = line;
    while let Some(at) = rest.find(['<', '[']) {
        // Where `rest` starts in the line (it is always the line's end).
        let base = line.len() - rest.len();
        let after = &rest[at + 1..];
        if rest[at..].starts_with('[') {
            match labelled(after) {
                Some((label, url, len)) => {
                    plain(&rest[..at], base, out);
                    let span = base + at..base + at + 1 + len;
                    link(url, &unescape(label), span, out);
                    rest = &after[len..];
                }
                None => {
                    plain(&rest[..at + 1], base, out);
                    rest = after;
                }
            }
            continue;
        }
        match bracketed(after) {
            Bracketed::Link(len) => {
                plain(&rest[..at], base, out);
                let url = &after[..len];
                link(url, url, base + at..base + at + len + 2, out);
                rest = &after[len + 1..];
            }
            Bracketed::Broken(len) => {
                // Shown as typed; nothing in it linked.
                plain(&rest[..at], base, out);
                text(&rest[at..at + 1 + len + 1], out);
                rest = &after[len + 1..];
            }
            Bracketed::No => {
                plain(&rest[..at + 1], base, out);
                rest = after;
            }
        }
    }
    plain(rest, line.len() - rest.len(), out);
}

/// What follows a `[`, when it is the export's mark of a link whose text is not its
/// address, `[text](https://...)`: the text, the address, and the length of all that
/// after the `[`. The address may hold balanced brackets (`.../3167%20QD%20(1).pdf`).
fn labelled(after: &str) -> Option<(&str, &str, usize)> {
    // Each look stops at the next `[`, and an address is at most MAX_ADDRESS long: a
    // line of brackets is read in linear time.
    let mid = after.find(['[', ']'])?;
    if !after[mid..].starts_with("](") || mid == 0 {
        return None;
    }
    let label = &after[..mid];
    let target = &after[mid + 2..];
    let mut depth = 0usize;
    let mut end = None;
    for (i, c) in target.char_indices().take(MAX_ADDRESS) {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = Some(i);
                break;
            }
            ')' => depth -= 1,
            c if c.is_whitespace() => return None,
            _ => {}
        }
    }
    let url = &target[..end?];
    let lower = url.to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    (web && url::Url::parse(url).is_ok_and(|u| u.has_host())).then_some((
        label,
        url,
        mid + 2 + url.len() + 1,
    ))
}

/// A link text of the export with its backslash escapes (`\(`, `\_`) taken out.
fn unescape(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut chars = label.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            continue;
        }
        out.push(c);
    }
    out
}

enum Bracketed {
    /// `<address>`: the export's mark of a link; the address is this many bytes long.
    Link(usize),
    /// `<https://a b>`: an address with a space, this many bytes up to the `>`.
    Broken(usize),
    No,
}

/// What follows a `<`: an address up to its `>`, or not.
fn bracketed(after: &str) -> Bracketed {
    let Some(close) = after.find(['>', '<']) else {
        return Bracketed::No;
    };
    if !after[close..].starts_with('>') {
        return Bracketed::No;
    }
    let inner = &after[..close];
    let scheme = ["http://", "https://", "mailto:"].iter().any(|s| {
        inner
            .get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    if !scheme {
        return Bracketed::No;
    }
    if inner.contains(char::is_whitespace) {
        return Bracketed::Broken(close);
    }
    if url::Url::parse(inner).is_ok_and(|u| u.has_host() || u.scheme() == "mailto") {
        Bracketed::Link(close)
    } else {
        Bracketed::No
    }
}

/// Text that may hold addresses: each found one linked, the rest escaped. `t` starts at
/// byte `base` of its line.
fn plain(t: &str, base: usize, out: &mut AnswerText) {
    let mut last = 0;
    for l in finder().links(&unglue_dashes(t)) {
        let Some((start, href)) = target(t, l.start(), l.end(), l.kind()) else {
            continue;
        };
        text(&t[last..start], out);
        link(&href, &t[start..l.end()], base + start..base + l.end(), out);
        last = l.end();
    }
    text(&t[last..], out);
}

/// `t` with the dashes that start a word ("-www.mpwt.gov.kh", "--Ministry") made spaces,
/// byte for byte, for the link finder: a host name never starts with a dash, and the
/// finder would otherwise reject the whole address. Offsets stay those of `t`.
fn unglue_dashes(t: &str) -> std::borrow::Cow<'_, str> {
    if !t.contains('-') {
        return std::borrow::Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    let mut word_start = true;
    for c in t.chars() {
        if c == '-' && word_start {
            out.push(' ');
            continue;
        }
        word_start = c.is_whitespace();
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

/// The start and link target of an address linkify found at `start..end`, or `None`
/// when it is not one the site links (an unknown scheme, a file name like "report.pdf").
fn target(t: &str, start: usize, end: usize, kind: &LinkKind) -> Option<(usize, String)> {
    let found = &t[start..end];
    match kind {
        LinkKind::Email => Some((start, format!("mailto:{found}"))),
        LinkKind::Url => {
            let lower = found.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                let u = url::Url::parse(found).ok()?;
                return u.has_host().then(|| (start, found.to_string()));
            }
            if found.contains("://") {
                return None;
            }
            let host_end = found.find(['/', '?', '#', ':']).unwrap_or(found.len());
            let host = &found[..host_end];
            let labels: Vec<&str> = host.split('.').collect();
            let tld = labels.last()?.to_ascii_lowercase();
            let ok = labels.len() >= 2
                && labels.iter().all(|l| {
                    !l.is_empty()
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
                && (labels[0].eq_ignore_ascii_case("www") || BARE_TLDS.contains(&tld.as_str()));
            let href = format!("http://{found}");
            (ok && url::Url::parse(&href).is_ok()).then_some((start, href))
        }
        _ => None,
    }
}

fn link(href: &str, shown: &str, span: std::ops::Range<usize>, out: &mut AnswerText) {
    out.html.push_str("<a href=\"");
    escape(href, &mut out.html);
    out.html.push_str("\" rel=\"");
    out.html.push_str(LINK_REL);
    out.html.push_str("\">");
    text(shown, out);
    out.html.push_str("</a>");
    out.links.push(href.to_string());
    out.typed.push((span, shown.to_string()));
}

/// Text shown as it is.
fn text(t: &str, out: &mut AnswerText) {
    escape(t, &mut out.html);
    out.text.push_str(t);
}

fn escape(t: &str, html: &mut String) {
    for c in t.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            c => html.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hrefs(t: &str) -> Vec<String> {
        render(t).links
    }

    #[test]
    fn line_links_give_where_each_address_was_typed() {
        let line = "Portal -www.a.gov.kh and <https://b.gov.la/> or [B](https://c.gov.vn/x)";
        let found = line_links(line);
        let typed: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|l| (&line[l.span.clone()], l.shown.as_str(), l.href.as_str()))
            .collect();
        assert_eq!(
            typed,
            [
                ("www.a.gov.kh", "www.a.gov.kh", "http://www.a.gov.kh"),
                (
                    "<https://b.gov.la/>",
                    "https://b.gov.la/",
                    "https://b.gov.la/"
                ),
                ("[B](https://c.gov.vn/x)", "B", "https://c.gov.vn/x"),
            ]
        );
    }

    #[test]
    fn underscores_stay_in_the_address() {
        let url = "https://vbpl.vn/hethongvanban?class_id=1&_page=1&mode=detail&document_id=199754";
        let r = render(&format!("See <{url}> and {url}"));
        assert_eq!(r.links, [url, url]);
        assert!(
            r.html
                .contains("class_id=1&amp;_page=1&amp;mode=detail&amp;document_id=199754\""),
            "{}",
            r.html
        );
        assert_eq!(r.text, format!("See {url} and {url}"));
    }

    #[test]
    fn numbering_and_markers_stay_as_typed() {
        let src = "Intro:\n1. one\n2. two\n\nThen:\n1. again\n2. and again\na) sub\nb) sub\n- dash\n• bullet";
        let r = render(src);
        assert_eq!(r.text, src);
        assert!(
            r.html.starts_with("<p>Intro:</p><ul class=\"typed-list\"><li>1. one</li><li>2. two</li></ul><p>Then:</p><ul class=\"typed-list\"><li>1. again</li>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<li>a) sub</li><li>b) sub</li>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<ol"), "{}", r.html);
    }

    #[test]
    fn markdown_syntax_shows_as_typed() {
        let src =
            "# not a heading\n*not emphasis*\nand _this_ [x](y) <b>no</b> 3 < 4 > 2 & done\n---";
        let r = render(src);
        assert_eq!(r.text, src);
        assert!(r.html.contains("# not a heading<br>*not emphasis*<br>and _this_ [x](y) &lt;b&gt;no&lt;/b&gt; 3 &lt; 4 &gt; 2 &amp; done<br>---"), "{}", r.html);
        assert!(r.links.is_empty());
    }

    #[test]
    fn a_marker_before_a_domain_is_not_part_of_it() {
        assert_eq!(
            hrefs("- www.seva.gov.kh -www.mpwt.gov.kh/en/home •www.moc.gov.kh -Ministry, mptc.gov.kh; (moh.gov.la) niptict.edu.kh--> <https://www.cadt.edu.kh/>"),
            [
                "http://www.seva.gov.kh",
                "http://www.mpwt.gov.kh/en/home",
                "http://www.moc.gov.kh",
                "http://mptc.gov.kh",
                "http://moh.gov.la",
                "http://niptict.edu.kh",
                "https://www.cadt.edu.kh/",
            ]
        );
    }

    #[test]
    fn bare_domains_accepted_before_stay_accepted() {
        for (t, href) in [
            (
                "www.laoservicesportal.gov.la,",
                "http://www.laoservicesportal.gov.la",
            ),
            ("map.moe.gov.kh.", "http://map.moe.gov.kh"),
            ("see(www.a.gov.la)", "http://www.a.gov.la"),
            ("“www.b.gov.la”", "http://www.b.gov.la"),
            ("www.gisportal.info", "http://www.gisportal.info"),
            (
                "www.customs.gov.kh/en_gb/",
                "http://www.customs.gov.kh/en_gb/",
            ),
            ("(https://a.gov.la/x_(y)) end", "https://a.gov.la/x_(y)"),
        ] {
            assert_eq!(hrefs(t), [href], "{t}");
        }
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
            "Decision No. 766/QĐ-TTg",
            "javascript:alert(1) <javascript:alert(1)> ftp://x.org",
            "<http://>",
        ] {
            assert!(hrefs(t).is_empty(), "{t}: {:?}", hrefs(t));
        }
    }

    #[test]
    fn an_address_with_a_space_is_shown_and_not_linked() {
        let src = "- a) <https://xaydungchinh sach.chinhphu.vn/#Box-Draft>\n- b) <https://nanglucanhtranh.chinhphu.vn/>";
        let r = render(src);
        assert_eq!(r.links, ["https://nanglucanhtranh.chinhphu.vn/"]);
        assert_eq!(
            r.text,
            "- a) <https://xaydungchinh sach.chinhphu.vn/#Box-Draft>\n- b) https://nanglucanhtranh.chinhphu.vn/"
        );
        assert!(
            r.html
                .contains("<li>- a) &lt;https://xaydungchinh sach.chinhphu.vn/#Box-Draft&gt;</li>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn paragraphs_and_line_breaks() {
        let r = render("One\r\ntwo  \n\n\n\nThree\n");
        assert_eq!(r.html, "<p>One<br>two</p><p>Three</p>");
        assert_eq!(r.text, "One\ntwo\n\nThree");
        // One marker line alone is a line of its paragraph, not a list.
        assert_eq!(render("- only").html, "<p>- only</p>");
    }

    #[test]
    fn list_markers() {
        for l in [
            "- a",
            "-Ministry",
            "• x",
            "1. a",
            "12) b",
            "a) c",
            "(1) d",
            "(b) e",
            "iv. f",
            "+ g",
        ] {
            assert!(is_list_line(l), "{l}");
        }
        for l in [
            "Decision",
            "100% done",
            "2022 plan",
            "No. 5",
            "1.5 million",
            "a.b.c",
            "(note) x",
            "www.x.gov.la",
        ] {
            assert!(!is_list_line(l), "{l}");
        }
    }

    #[test]
    fn the_exports_labelled_links() {
        let r = render(
            "(visit at [https://ngsp.gov.vn/...](https://ngsp.gov.vn/)) [x\\(1\\).pdf](https://a.gov.vn/x%20(1).pdf) [a](b) [c](javascript:x)",
        );
        assert_eq!(
            r.links,
            ["https://ngsp.gov.vn/", "https://a.gov.vn/x%20(1).pdf"]
        );
        assert_eq!(
            r.text,
            "(visit at https://ngsp.gov.vn/...) x(1).pdf [a](b) [c](javascript:x)"
        );
    }

    #[test]
    fn pathological_lines_stay_fast() {
        // 700 KB of unclosed link notation: linear work takes a few seconds even in
        // a debug build; quadratic work would take many minutes. The bound is that far from both so
        // that a loaded machine cannot fail it and a quadratic scanner cannot pass it.
        let line = "[a](".repeat(50_000) + &"[".repeat(50_000) + &"<http://a".repeat(50_000);
        let start = std::time::Instant::now();
        let r = render(&line);
        assert_eq!(r.text, line);
        let took = start.elapsed();
        assert!(took < std::time::Duration::from_secs(120), "{took:?}");
        eprintln!("pathological line of {} bytes: {took:?}", line.len());
    }

    #[test]
    fn emails_link_to_themselves_not_their_domain() {
        let r = render("Write to info@mptc.gov.kh.");
        assert_eq!(r.links, ["mailto:info@mptc.gov.kh"]);
    }
}
