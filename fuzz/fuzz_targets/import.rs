//! The export importer on arbitrary text against both real catalogues: every input gives a
//! parse or an error with a position, never a panic or hang.
#![no_main]

use std::sync::OnceLock;

use egovsite::content::Catalogue;
use egovsite::import::parse::{decode, parse_export};
use libfuzzer_sys::fuzz_target;

fn catalogues() -> &'static [Catalogue; 2] {
    static CATS: OnceLock<[Catalogue; 2]> = OnceLock::new();
    CATS.get_or_init(|| {
        [
            serde_yaml::from_str(include_str!("../../content/questionnaires/msq-2022.yaml")).unwrap(),
            serde_yaml::from_str(include_str!("../../content/questionnaires/msq-2021.yaml")).unwrap(),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data) else { return };
    for cat in catalogues() {
        let _ = parse_export(&text, cat);
    }
});
