//! The region names a country's `region:` may take: the geographic sub-regions and
//! intermediate regions of the UN M49 standard.
//!
//! Source: United Nations Statistics Division, "Standard country or area codes for
//! statistical use (M49)", https://unstats.un.org/unsd/methodology/m49/ (the "Overview"
//! table: columns "Sub-region Name" and "Intermediate Region Name"), names spelt exactly as
//! there. The UN E-Government Survey groups countries by the same standard.
//!
//! Sub-regions cover the world; intermediate regions divide Sub-Saharan Africa, Latin
//! America and the Caribbean, and Northern Europe (the Channel Islands) further. Either
//! may be used: `South-eastern Asia`, or `Eastern Africa` rather than `Sub-Saharan Africa`.

/// (M49 code, name, kind), in the order of the UNSD table.
pub const REGIONS: &[(&str, &str, Kind)] = &[
    ("015", "Northern Africa", Kind::SubRegion),
    ("202", "Sub-Saharan Africa", Kind::SubRegion),
    ("014", "Eastern Africa", Kind::Intermediate),
    ("017", "Middle Africa", Kind::Intermediate),
    ("018", "Southern Africa", Kind::Intermediate),
    ("011", "Western Africa", Kind::Intermediate),
    ("419", "Latin America and the Caribbean", Kind::SubRegion),
    ("029", "Caribbean", Kind::Intermediate),
    ("013", "Central America", Kind::Intermediate),
    ("005", "South America", Kind::Intermediate),
    ("021", "Northern America", Kind::SubRegion),
    ("143", "Central Asia", Kind::SubRegion),
    ("030", "Eastern Asia", Kind::SubRegion),
    ("035", "South-eastern Asia", Kind::SubRegion),
    ("034", "Southern Asia", Kind::SubRegion),
    ("145", "Western Asia", Kind::SubRegion),
    ("151", "Eastern Europe", Kind::SubRegion),
    ("154", "Northern Europe", Kind::SubRegion),
    ("830", "Channel Islands", Kind::Intermediate),
    ("039", "Southern Europe", Kind::SubRegion),
    ("155", "Western Europe", Kind::SubRegion),
    ("053", "Australia and New Zealand", Kind::SubRegion),
    ("054", "Melanesia", Kind::SubRegion),
    ("057", "Micronesia", Kind::SubRegion),
    ("061", "Polynesia", Kind::SubRegion),
];

/// Which level of the M49 hierarchy a name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SubRegion,
    Intermediate,
}

/// Whether `name` is an M49 sub-region or intermediate region, spelt exactly.
pub fn is_region(name: &str) -> bool {
    REGIONS.iter().any(|(_, n, _)| *n == name)
}

/// The region name closest to `name` (ignoring case, spaces and hyphens), when one is close
/// enough to be a likely meaning: `South-East Asia` → `South-eastern Asia`.
pub fn suggest(name: &str) -> Option<&'static str> {
    super::closest(name, REGIONS.iter().map(|(_, n, _)| *n), 0.6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventeen_sub_regions_and_eight_intermediate_regions() {
        let subs = REGIONS.iter().filter(|r| r.2 == Kind::SubRegion).count();
        assert_eq!(subs, 17);
        assert_eq!(REGIONS.len() - subs, 8);
    }

    #[test]
    fn misspellings_find_the_region_meant() {
        assert!(is_region("South-eastern Asia"));
        assert!(!is_region("South-East Asia"));
        assert_eq!(suggest("South-East Asia"), Some("South-eastern Asia"));
        assert_eq!(suggest("southeastern asia"), Some("South-eastern Asia"));
        assert_eq!(suggest("Western europe"), Some("Western Europe"));
        assert_eq!(
            suggest("Latin America"),
            Some("Latin America and the Caribbean")
        );
        assert_eq!(suggest("Atlantis"), None);
    }
}
