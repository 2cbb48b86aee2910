//! Markdown rendering (pulldown-cmark, auto-links, sanitising) on arbitrary text; the output
//! must never contain a script element.
#![no_main]

use egovsite::markup::markdown::{render, ANSWER, DOCUMENT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for style in [DOCUMENT, ANSWER] {
        let out = render(text, style);
        assert!(!out.html.to_ascii_lowercase().contains("<script"), "script survived sanitising");
    }
});
