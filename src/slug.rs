//! Slugs and file names that come from content: the only names allowed to become paths
//! in the output.

/// Slugs that would collide with the site's own pages.
pub const RESERVED: &[&str] = &["index", "regions", "groupings", "404"];

/// A slug: 1-100 lowercase ASCII letters, digits and single hyphens, not at either end.
pub fn check(s: &str) -> Result<(), &'static str> {
    if s.is_empty() {
        return Err("is empty");
    }
    if s.len() > 100 {
        return Err("is longer than 100 characters");
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("contains characters other than lowercase letters, digits and hyphens");
    }
    if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
        return Err("has a hyphen at an end or two in a row");
    }
    if WINDOWS_DEVICES.contains(&s) {
        return Err("is a reserved device name on Windows");
    }
    Ok(())
}

/// Names Windows refuses as files, whatever the extension: `COM0`-`COM9` and `LPT0`-`LPT9`
/// (0 included), and the superscript digits Windows also reads as port numbers.
const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "com¹", "com²", "com³", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6",
    "lpt7", "lpt8", "lpt9", "lpt¹", "lpt²", "lpt³", "conin$", "conout$",
];

/// A plain file name (no folders, no `..`, no NUL, not a Windows device name).
pub fn check_file_name(s: &str) -> Result<(), &'static str> {
    if s.is_empty() || s == "." || s == ".." {
        return Err("is not a file name");
    }
    if s.contains(['/', '\\', '\0', ':']) {
        return Err("contains a path separator or NUL");
    }
    // Windows ignores what follows the first dot, and spaces before it.
    let base = s.split('.').next().unwrap_or("").trim_end().to_lowercase();
    if WINDOWS_DEVICES.contains(&base.as_str()) {
        return Err("is a reserved device name on Windows");
    }
    Ok(())
}

/// [`slugify`] when the text has letters or digits a slug can keep; `None` when it has none
/// (`---`, or a name written only in a non-Latin script), where [`slugify`] falls back to a
/// fixed word that two such names would share.
pub fn slugify_strict(text: &str) -> Option<String> {
    text.chars()
        .flat_map(char::to_lowercase)
        .any(|c| c.is_ascii_alphanumeric())
        .then(|| slugify(text))
}

/// Turn any text into a slug (for headings, regions, groupings).
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            out.push(c);
            dash = false;
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out.truncate(80);
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(check("lao-pdr").is_ok());
        for bad in [
            "", "Lao", "lao_pdr", "../x", "-a", "a--b", "a/b", "a\0", "con", "lpt1", "com0", "lpt0",
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            slugify("Least developed countries"),
            "least-developed-countries"
        );
        assert_eq!(slugify("South-eastern Asia"), "south-eastern-asia");
        assert_eq!(slugify_strict("ASEAN").as_deref(), Some("asean"));
        assert_eq!(slugify_strict("東南アジア"), None);
        assert_eq!(slugify_strict("---"), None);
    }

    #[test]
    fn file_names() {
        assert!(check_file_name("CNAME").is_ok());
        for bad in [
            "../x", "a/b", "CON", "nul.txt", "..", "a\\b", "COM0", "lpt0.txt", "COM¹.md",
            "con .txt",
        ] {
            assert!(check_file_name(bad).is_err(), "{bad}");
        }
    }
}
