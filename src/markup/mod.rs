//! The lowest layer: text to safe HTML, with no knowledge of the site. Markdown
//! (`markdown`), answers as the plain text they were typed as (`answer_text`), the link
//! directories read from answers (`directory`), long documents split into parts (`split`),
//! HTML and XML escaping (`escape`) and a scanner of the HTML written (`html`). The model
//! and render use it; it uses neither.

pub mod answer_text;
pub mod directory;
pub mod escape;
pub mod html;
pub mod markdown;
pub mod split;
