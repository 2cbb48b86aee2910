//! egovsite: turns per-country questionnaire answers (YAML) and documents (Markdown) into a
//! static website with one profile per country and cross-country comparison pages.
//!
//! Data flows one way: [`content`] (load) → [`validate`] → [`model`] → [`render`] (plan
//! pages, render) → [`output`] (minify, write atomically). [`build`] runs the pipeline;
//! the command-line program in `main.rs` is a thin layer over it.

pub mod build;
pub mod contacts;
pub mod content;
pub mod diagnostics;
pub mod identity;
pub mod import;
pub mod links;
pub mod lint;
pub mod markup;
pub mod model;
pub mod output;
pub mod plain;
pub mod render;
pub mod review;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod timing;
pub mod validate;
