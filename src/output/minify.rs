//! HTML minification with minify-html, configured to keep output valid and readable by
//! every browser (closing tags and attribute quotes stay).

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

pub fn html(page: &str) -> Vec<u8> {
    minify_html::minify(page.as_bytes(), cfg())
}
