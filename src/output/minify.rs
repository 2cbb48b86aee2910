//! HTML minification with minify-html, configured to keep output valid and readable by
//! every browser (closing tags stay). Pages are not minified one by one: the templates
//! are minified once when loaded and rendered Markdown once when rendered, so a page made
//! of them comes out minified at no cost per page.

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

/// Minify a piece of HTML that pages include as it is (rendered Markdown).
pub fn fragment(html: &str) -> String {
    String::from_utf8(minify_html::minify(html.as_bytes(), cfg()))
        .unwrap_or_else(|_| html.to_string())
}
