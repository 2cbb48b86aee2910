//! Which way a language's text runs, and the `dir` attributes that tell browsers.
//!
//! A page carries `<html lang=".." dir="rtl|ltr">` from its language. Text in another
//! language inside it (content kept in the site's language, the question wording, a
//! document in its own language, a language's name in the switcher) carries its `lang`
//! and, when it runs the other way than the page, its own `dir`, so that an English
//! answer with addresses and figures reads left to right inside an Arabic page (and an
//! Arabic name reads right to left inside an English one). Templates reach this through
//! the `dir` value of every page and the `dir_attr` filter registered in
//! [`crate::render::templates`].

/// Languages written right to left, by primary subtag: Arabic (a UN language), and Persian,
/// Hebrew and Urdu, for sites and documents in them.
const RIGHT_TO_LEFT: [&str; 4] = ["ar", "fa", "he", "ur"];

/// Whether text in the language `lang` (a BCP 47 tag: `ar`, `ar-EG`, `en`) runs right to
/// left. A script subtag decides when there is one (`az-Arab` is right to left, `ar-Latn`
/// is not); otherwise the primary language subtag does.
pub fn is_rtl(lang: &str) -> bool {
    let mut parts = lang.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    for part in parts {
        if part.len() == 4 && part.chars().all(|c| c.is_ascii_alphabetic()) {
            return ["arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"]
                .contains(&part.to_ascii_lowercase().as_str());
        }
    }
    RIGHT_TO_LEFT
        .iter()
        .any(|l| l.eq_ignore_ascii_case(primary))
}

/// The `dir` attribute's value for `lang`: `"rtl"` or `"ltr"`.
pub fn dir(lang: &str) -> &'static str {
    if is_rtl(lang) {
        "rtl"
    } else {
        "ltr"
    }
}

/// ` dir="rtl"` or ` dir="ltr"` for text in `content` shown on a page in `page`, when the
/// two run different ways; nothing when they run the same way (the text then follows the
/// page, as before).
pub fn dir_attr(content: &str, page: &str) -> &'static str {
    match (is_rtl(content), is_rtl(page)) {
        (true, false) => " dir=\"rtl\"",
        (false, true) => " dir=\"ltr\"",
        _ => "",
    }
}

/// The attributes marking text in `content` on a page in `page`: nothing when the
/// languages are the same, else ` lang=".."` and, when it runs the other way, `dir`.
/// `content` must be a checked language tag (letters, digits, hyphens): nothing is escaped.
pub fn lang_attrs(content: &str, page: &str) -> String {
    if content == page {
        String::new()
    } else {
        format!(" lang=\"{content}\"{}", dir_attr(content, page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_and_its_neighbours_run_right_to_left() {
        for l in ["ar", "AR", "ar-EG", "fa", "he", "ur", "az-Arab"] {
            assert!(is_rtl(l), "{l}");
            assert_eq!(dir(l), "rtl");
        }
        for l in [
            "en", "fr", "es", "ru", "zh", "zh-Hans", "vi", "ar-Latn", "", "arab",
        ] {
            assert!(!is_rtl(l), "{l}");
            assert_eq!(dir(l), "ltr");
        }
    }

    #[test]
    fn only_text_running_the_other_way_gets_its_own_dir() {
        assert_eq!(dir_attr("en", "ar"), r#" dir="ltr""#);
        assert_eq!(dir_attr("ar", "en"), r#" dir="rtl""#);
        assert_eq!(dir_attr("en", "fr"), "");
        assert_eq!(dir_attr("fa", "ar"), "");
        assert_eq!(lang_attrs("en", "ar"), r#" lang="en" dir="ltr""#);
        assert_eq!(lang_attrs("en", "zh"), r#" lang="en""#);
        assert_eq!(lang_attrs("en", "en"), "");
        assert_eq!(lang_attrs("ar", "fr"), r#" lang="ar" dir="rtl""#);
    }
}
