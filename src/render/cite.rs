//! Suggested citations: of a country's profile (on the profile page and in its JSON file)
//! and of the open data (in the Data Package descriptor and on the about page). Built
//! only from content (publisher, site title, country, edition, address), with no access
//! date, so the same content gives the same words on every build.

use crate::model::{Country, Site};
use crate::render::i18n::Strings;
use crate::render::views::urls;

/// Who the work is by: the publisher set in site.yaml, then the site's title (the title
/// alone when no publisher is set).
fn author(site: &Site) -> String {
    match &site.config.publisher {
        Some(p) if !p.name.trim().is_empty() => format!("{}, {}", p.name.trim(), site.config.title),
        _ => site.config.title.clone(),
    }
}

/// The profile's address (in the site's default language, its canonical address).
fn profile_url(site: &Site, c: &Country) -> String {
    format!("{}{}", site.base_url, urls::country(c))
}

/// The descriptor's address.
fn data_url(site: &Site) -> String {
    format!("{}{}", site.base_url, crate::render::data::PACKAGE_PATH)
}

/// How to cite `c`'s profile, in the language of `t`: the edition by its title (readers
/// never see edition ids on pages).
pub fn profile(site: &Site, c: &Country, t: &Strings) -> String {
    let edition = c
        .responses
        .first()
        .map(|r| {
            t.fill(
                "cite_edition",
                &[("edition", &site.edition(&r.edition).cat.title)],
            )
        })
        .unwrap_or_default();
    t.fill(
        "cite_profile",
        &[
            ("site", &author(site)),
            ("country", &site.names(&t.lang).of(c).text),
            ("edition", &edition),
            ("url", &profile_url(site, c)),
        ],
    )
}

/// How to cite the open data, in the language of `t`.
pub fn data(site: &Site, t: &Strings) -> String {
    t.fill(
        "cite_data",
        &[("site", &author(site)), ("url", &data_url(site))],
    )
}

/// How to cite `c`'s profile in the data files, which have no language of their own: the
/// wording of the English interface.
pub fn profile_in_data(site: &Site, c: &Country) -> String {
    let edition = c
        .responses
        .first()
        .map(|r| format!(", answers to the {}", site.edition(&r.edition).cat.title))
        .unwrap_or_default();
    format!(
        "{}, \u{201c}{}: e-government profile\u{201d}{edition}, {}",
        author(site),
        c.info.name,
        profile_url(site, c)
    )
}

/// How to cite the open data in the descriptor (English, as [`profile_in_data`]).
pub fn data_in_data(site: &Site) -> String {
    format!(
        "{}, \u{201c}Open data: questionnaire answers and country indicators\u{201d} (data package), {}",
        author(site),
        data_url(site)
    )
}
