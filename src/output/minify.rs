//! HTML minification that never changes what a page says. Pages are not minified one by
//! one: the templates are minified once when loaded ([`template`]) and rendered Markdown
//! once when rendered ([`markdown`]), so a page made of them comes out minified at no cost
//! per page. Both only take out whitespace a reader never sees: every tag, attribute
//! (quotes included) and Tera tag stays exactly as written, so a value Tera puts into an
//! attribute stays inside it.

/// Elements of a template around which whitespace is never shown: [`BLOCKS`] and the
/// elements of a page's frame (head, landmarks, forms).
const TEMPLATE_BLOCKS: &[&str] = &[
    "address", "article", "aside", "base", "body", "details", "fieldset", "footer", "form", "head",
    "header", "hgroup", "html", "legend", "link", "main", "meta", "nav", "noscript", "search",
    "section", "summary", "title",
];

/// Elements whose content is copied as written: whitespace in them is shown or is code.
const RAW_ELEMENTS: &[&str] = &["pre", "textarea", "script", "style"];

/// One piece of a template, as [`template`] reads it.
#[derive(Debug, PartialEq)]
enum Piece {
    /// A tag, comment or doctype, or a whole raw element (`<pre>...</pre>`); `block` when
    /// whitespace around it is never shown.
    Markup { block: bool },
    /// `{{ ... }}`: output, like text.
    Expression,
    /// `{% ... %}` or `{# ... #}`: no output of its own.
    Statement,
    /// Text without whitespace.
    Text,
    /// A run of whitespace.
    Space,
}

/// The end (byte offset just past it) of the Tera tag opened at `i` (`{{`, `{%`, `{#`),
/// or of the text when it is not closed.
fn tera_end(src: &str, i: usize) -> usize {
    let close = match src.as_bytes().get(i + 1) {
        Some(b'{') => "}}",
        Some(b'%') => "%}",
        _ => "#}",
    };
    src[i + 2..]
        .find(close)
        .map_or(src.len(), |e| i + 2 + e + 2)
}

/// Whether a Tera tag opens at `i`.
fn tera_at(src: &str, i: usize) -> bool {
    let b = src.as_bytes();
    b[i] == b'{' && matches!(b.get(i + 1), Some(b'{' | b'%' | b'#'))
}

/// The end of the tag opened by the `<` at `i`: its `>`, outside quotes and Tera tags.
fn tag_end(src: &str, i: usize) -> usize {
    let b = src.as_bytes();
    let mut j = i + 1;
    let mut quote = None;
    while j < b.len() {
        if tera_at(src, j) {
            j = tera_end(src, j);
            continue;
        }
        match (quote, b[j]) {
            (None, b'>') => return j + 1,
            (None, q @ (b'"' | b'\'')) => quote = Some(q),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        j += 1;
    }
    b.len()
}

/// The pieces of a template, as (piece, byte range).
fn pieces(src: &str) -> Vec<(Piece, std::ops::Range<usize>)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        if tera_at(src, i) {
            let kind = if b[i + 1] == b'{' {
                Piece::Expression
            } else {
                Piece::Statement
            };
            i = tera_end(src, i);
            out.push((kind, start..i));
            continue;
        }
        if b[i].is_ascii_whitespace() {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            out.push((Piece::Space, start..i));
            continue;
        }
        if b[i] == b'<' {
            let rest = &src[i + 1..];
            if rest.starts_with("!--") {
                i = rest.find("-->").map_or(b.len(), |e| i + 1 + e + 3);
                out.push((Piece::Markup { block: false }, start..i));
                continue;
            }
            let name_of = |s: &str| {
                let n = s
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(s.len());
                s[..n].to_ascii_lowercase()
            };
            let (name, is_tag) = match rest.as_bytes().first() {
                Some(c) if c.is_ascii_alphabetic() => (name_of(rest), true),
                Some(b'/') if rest.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic) => {
                    (name_of(&rest[1..]), true)
                }
                Some(b'!') => (String::new(), true),
                _ => (String::new(), false),
            };
            if is_tag {
                i = tag_end(src, i);
                let block =
                    BLOCKS.contains(&name.as_str()) || TEMPLATE_BLOCKS.contains(&name.as_str());
                if RAW_ELEMENTS.contains(&name.as_str()) && !rest.starts_with('/') {
                    // The whole element, up to and with its end tag, as written.
                    let close = format!("</{name}");
                    let lower = src[i..].to_ascii_lowercase();
                    i = match lower.find(&close) {
                        Some(e) => tag_end(src, i + e),
                        None => b.len(),
                    };
                }
                out.push((Piece::Markup { block }, start..i));
                continue;
            }
        }
        // Text, up to whitespace, a tag or a Tera tag.
        i += 1;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'<' && !tera_at(src, i) {
            i += 1;
        }
        while !src.is_char_boundary(i) {
            i += 1;
        }
        out.push((Piece::Text, start..i));
    }
    out
}

/// Minify a Tera template's HTML once, so that pages rendered from it come out minified
/// without a pass over every page. Only whitespace between pieces of text and tags is
/// touched: a run of it next to a block element (or at either end) goes, any other run
/// becomes one space, and `pre`, `textarea`, `script` and `style` elements, tags, comments
/// and Tera's `{{ }}`, `{% %}` and `{# #}` are kept exactly as written. Only a block element
/// right next to the whitespace counts: the whitespace in `</li>\n{% endfor %}\n</ul>` all
/// goes, the space in `</a>, {% endif %}{% endfor %}</dd>` stays (the loop may go on with
/// another link).
pub fn template(source: &str) -> String {
    let pieces = pieces(source);
    // What whitespace has on each side: the end of the template, the nearest piece that
    // shows something (markup, text, an expression) with only whitespace between, or
    // something unknown: across a Tera statement any piece may follow at run time (a loop
    // goes back to its start, an `if` skips its content).
    #[derive(Clone, Copy)]
    enum Side {
        End,
        Unknown,
        Piece(usize),
    }
    let side = |k: usize, last: Side| match pieces[k].0 {
        Piece::Space => last,
        Piece::Statement => Side::Unknown,
        _ => Side::Piece(k),
    };
    let mut before = Vec::with_capacity(pieces.len());
    let mut last = Side::End;
    for k in 0..pieces.len() {
        before.push(last);
        last = side(k, last);
    }
    let mut after = vec![Side::End; pieces.len()];
    let mut next = Side::End;
    for k in (0..pieces.len()).rev() {
        after[k] = next;
        next = side(k, next);
    }
    let block = |s: Side| match s {
        Side::End => true,
        Side::Unknown => false,
        Side::Piece(k) => matches!(pieces[k].0, Piece::Markup { block: true }),
    };
    let mut out = String::with_capacity(source.len());
    for (k, (p, range)) in pieces.iter().enumerate() {
        let text = &source[range.clone()];
        match p {
            Piece::Space => {
                if !(block(before[k]) || block(after[k])) {
                    out.push(' ');
                }
            }
            Piece::Markup { .. } if text.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic) => {
                // A start tag (with, for a raw element, its content as written).
                let end = tag_end(text, 0);
                unquote_literals(&text[..end], &mut out);
                out.push_str(&text[end..]);
            }
            _ => out.push_str(text),
        }
    }
    out
}

/// Write the start tag `tag` with the quotes of its literal attribute values taken away
/// where HTML does not need them (`class="skip"` becomes `class=skip`): only a value of
/// letters, digits and `_ . : # -` written between quotes after `=`, followed by
/// whitespace or the tag's `>`. A value holding a Tera tag keeps its quotes, whatever it
/// renders to.
fn unquote_literals(tag: &str, out: &mut String) {
    let b = tag.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if tera_at(tag, i) {
            i = tera_end(tag, i);
            continue;
        }
        let q = b[i];
        if (q == b'"' || q == b'\'') && i > 0 {
            let Some(len) = tag[i + 1..].find(q as char) else {
                break;
            };
            let close = i + 1 + len;
            let value = &tag[i + 1..close];
            let literal = !value.is_empty()
                && value
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"_.:#-".contains(&c));
            let ends = b
                .get(close + 1)
                .is_some_and(|c| c.is_ascii_whitespace() || *c == b'>');
            if b[i - 1] == b'=' && literal && ends {
                out.push_str(&tag[last..i]);
                out.push_str(value);
                last = close + 1;
            }
            i = close + 1;
            continue;
        }
        i += 1;
    }
    out.push_str(&tag[last..]);
}

/// Elements around which a line break is never shown: it falls between blocks, at the
/// start or end of a block's content, or between table cells.
const BLOCKS: &[&str] = &[
    "blockquote",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Whether `s` starts with a start or end tag of one of [`BLOCKS`].
fn block_tag_at(s: &str) -> bool {
    let name = s
        .strip_prefix("</")
        .or_else(|| s.strip_prefix('<'))
        .unwrap_or("");
    let end = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    BLOCKS.contains(&&name[..end])
}

/// Rendered Markdown (HTML from pulldown-cmark, sanitised), minified: the line breaks
/// pulldown-cmark writes around block elements are dropped, which is what minify-html
/// would take out of it (with closing tags kept) at a fraction of the cost, for the
/// thousands of fragments a site renders. Line breaks a reader sees as spaces (between
/// words and inline elements) and everything inside `<pre>` stay. Text in such HTML has
/// its `<` and `>` escaped, so each one found is a tag's (or inside an attribute value,
/// where the worst outcome is a line break kept or dropped).
pub fn markdown(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(nl) = rest.find(['\n', '<']) {
        if rest[nl..].starts_with("<pre") && block_tag_at(&rest[nl..]) {
            // Copied as it is, up to and with its end tag.
            let end = rest[nl..]
                .find("</pre>")
                .map_or(rest.len(), |e| nl + e + "</pre>".len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if rest.as_bytes()[nl] == b'<' {
            out.push_str(&rest[..nl + 1]);
            rest = &rest[nl + 1..];
            continue;
        }
        out.push_str(&rest[..nl]);
        let after = &rest[nl + 1..];
        let prev_block =
            out.ends_with('>') && out.rfind('<').is_some_and(|lt| block_tag_at(&out[lt..]));
        let next_block = after.starts_with('<') && block_tag_at(after);
        if !(prev_block || next_block) {
            out.push('\n');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{markdown, template};

    #[test]
    fn templates_lose_only_whitespace_no_reader_sees() {
        assert_eq!(
            template("<ul>\n  {% for x in xs %}\n  <li>{{ x }}</li>\n  {% endfor %}\n</ul>\n"),
            "<ul>{% for x in xs %}<li>{{ x }}</li>{% endfor %}</ul>"
        );
        // A loop goes back to its start: the space before its end stays.
        assert_eq!(
            template("<dd>{% for g in gs %}<a>{{ g }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</dd>"),
            "<dd>{% for g in gs %}<a>{{ g }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</dd>"
        );
        assert_eq!(
            template("<p>\n  Text   with\n  <em>words</em>  {{ more }}\n</p>"),
            "<p>Text with <em>words</em> {{ more }}</p>"
        );
        // Tags, Tera tags, comments and raw elements are kept as written.
        let kept = "<a title=\"{{ a }}  b\" {% if x > 1 %}class=\"c  d\"{% endif %}>x</a><!--  c  --><script>\n  if (a  <b) {}\n</script>";
        assert_eq!(template(kept), kept);
    }

    #[test]
    fn line_breaks_around_blocks_go() {
        assert_eq!(
            markdown("<h2 id=\"a\">A</h2>\n<p>One</p>\n<ul>\n<li>x</li>\n<li>y\n<ol>\n<li>z</li>\n</ol>\n</li>\n</ul>\n"),
            "<h2 id=\"a\">A</h2><p>One</p><ul><li>x</li><li>y<ol><li>z</li></ol></li></ul>"
        );
        assert_eq!(
            markdown("<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n</tr>\n</tbody>\n</table>\n"),
            "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
        );
    }

    #[test]
    fn line_breaks_a_reader_sees_as_spaces_stay() {
        // A soft line break between words or inline elements is a space on the page.
        let soft = "<p>one\ntwo <em>a</em>\n<strong>b</strong>\n<a href=\"x\">c</a> d<br />\ne</p>";
        assert_eq!(markdown(&format!("{soft}\n")), soft);
    }

    #[test]
    fn preformatted_text_is_kept_as_it_is() {
        let pre = "<pre><code class=\"language-rust\">fn main() {\n\n<span>x</span>\n</code></pre>";
        assert_eq!(
            markdown(&format!("<p>a</p>\n{pre}\n<p>b</p>\n")),
            format!("<p>a</p>{pre}<p>b</p>")
        );
        // An unclosed <pre> keeps everything after it.
        assert_eq!(markdown("<pre>a\n<p>b\n"), "<pre>a\n<p>b\n");
        // <p> is not <pre>, <preview> is not a block.
        assert_eq!(markdown("<preview>\n<p>x</p>\n"), "<preview><p>x</p>");
    }
}
