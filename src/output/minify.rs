//! HTML minification, configured to keep output valid and readable by every browser
//! (closing tags stay). Pages are not minified one by one: the templates are minified once
//! when loaded (minify-html) and rendered Markdown once when rendered ([`markdown`]), so a
//! page made of them comes out minified at no cost per page.

use std::sync::OnceLock;

fn cfg() -> &'static minify_html::Cfg {
    static CFG: OnceLock<minify_html::Cfg> = OnceLock::new();
    CFG.get_or_init(|| {
        let mut c = minify_html::Cfg::new();
        c.keep_closing_tags = true;
        c.keep_html_and_head_opening_tags = true;
        c.minify_css = true;
        c.minify_js = false;
        c
    })
}

/// Minify a Tera template's HTML once, leaving `{{ }}`, `{% %}` and `{# #}` as they are, so
/// that pages rendered from it come out minified without a pass over every page.
pub fn template(source: &str) -> String {
    static CFG: OnceLock<minify_html::Cfg> = OnceLock::new();
    let cfg = CFG.get_or_init(|| {
        let mut c = cfg().clone();
        c.preserve_brace_template_syntax = true;
        c
    });
    String::from_utf8(minify_html::minify(source.as_bytes(), cfg))
        .unwrap_or_else(|_| source.to_string())
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
    use super::markdown;

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
