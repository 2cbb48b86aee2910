//! Rendering: Markdown to safe HTML, answers as the plain text they were typed as
//! (`answer_text`), the plan of pages, templates, feeds and sitemaps.
//! Pure functions of the model: same model, same bytes.

/// A template value: a map of `"key": value` pairs, in the order written. Each value is
/// serialised straight into Tera's own values (no JSON value in between); a value that is
/// already a `tera::Value` is shared, not copied.
macro_rules! tera_map {
    ({ $($key:literal : $value:expr),* $(,)? }) => {{
        #[allow(unused_mut)]
        let mut map = tera::Map::new();
        $( map.insert(tera::value::Key::Str($key), tera::Value::from_serializable(&$value)); )*
        tera::Value::from(map)
    }};
}

pub mod answer_text;
pub mod bidi;
pub mod charts;
pub mod cite;
pub mod data;
pub mod directory;
pub mod feeds;
pub mod i18n;
pub mod indicators;
pub mod jsonld;
pub mod locale;
pub mod markdown;
pub mod memo;
pub mod names;
pub mod pages;
pub mod search;
pub mod split;
pub mod templates;
pub mod views;
