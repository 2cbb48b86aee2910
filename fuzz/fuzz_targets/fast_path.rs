//! The Markdown fast path against the sanitiser: Markdown that skips the sanitiser must
//! come out as the sanitiser would have made it (the same elements, attributes and text),
//! for documents and for answers alike.
#![no_main]

use egovsite::markup::markdown::{fast_and_sanitised, ANSWER, DOCUMENT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for style in [DOCUMENT, ANSWER] {
        let (fast, sanitised) = fast_and_sanitised(text, style);
        assert_eq!(fast, sanitised, "fast path and sanitiser differ for {text:?}");
    }
});
