//! The content loader on arbitrary bytes: YAML files of every kind and Markdown documents
//! with front matter. Any input must give a value or a diagnostic, never a panic or hang.
#![no_main]

use std::path::Path;

use egovsite::content::{frontmatter, yaml, AnswerFile, Catalogue, CountryInfo, DocMeta, SiteConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let f = Path::new("fuzz.yaml");
    let _ = yaml::parse::<AnswerFile>(text, f, 0);
    let _ = yaml::parse::<Catalogue>(text, f, 0);
    let _ = yaml::parse::<CountryInfo>(text, f, 0);
    let _ = yaml::parse::<SiteConfig>(text, f, 0);
    if let Ok((fm, _body, lines)) = frontmatter::split(text, Path::new("fuzz.md")) {
        let _ = yaml::parse::<DocMeta>(fm, Path::new("fuzz.md"), lines);
    }
});
