//! Rendering: Markdown to safe HTML, the plan of pages, templates, feeds and sitemaps.
//! Pure functions of the model: same model, same bytes.

pub mod data;
pub mod feeds;
pub mod i18n;
pub mod jsonld;
pub mod markdown;
pub mod pages;
pub mod search;
pub mod split;
pub mod templates;
pub mod views;
