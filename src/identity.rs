//! The publisher's identity set in `site.yaml`: publisher, logo, favicon and accent colour.
//! Checks them (an image that exists, an address that is one, a colour that keeps links
//! readable on white) and gives the theme what it needs to show them.

use std::path::Path;

use crate::content::{Content, SiteConfig};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The contrast a link colour needs against white (WCAG 2 level AA for text).
pub const MIN_CONTRAST: f64 = 4.5;

/// Image types a logo or favicon may have, by the end of the file name.
const IMAGE_TYPES: &[(&str, &str)] = &[
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("ico", "image/x-icon"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("webp", "image/webp"),
    ("gif", "image/gif"),
];

/// The red, green and blue of a CSS hex colour (`#0b5cad`, `#06c`), or `None`.
pub fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize, len: usize| u8::from_str_radix(&hex[i * len..(i + 1) * len], 16).ok();
    match hex.len() {
        3 => {
            let mut rgb = [0u8; 3];
            for (i, c) in rgb.iter_mut().enumerate() {
                *c = digit(i, 1)? * 17;
            }
            Some(rgb)
        }
        6 => Some([digit(0, 2)?, digit(1, 2)?, digit(2, 2)?]),
        _ => None,
    }
}

/// WCAG 2 relative luminance of an sRGB colour.
fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

/// The WCAG 2 contrast ratio of `rgb` against white (1 to 21).
pub fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    1.05 / (luminance(rgb) + 0.05)
}

/// The media type of an image file by its name, when it is one a browser shows.
pub fn image_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    IMAGE_TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, media)| *media)
}

/// Where an image named in site.yaml is: `content/static/<path>` or the theme's
/// `static/<path>`; `Err` says why it is not usable.
fn find_image(root: &Path, config: &SiteConfig, path: &str) -> Result<(), String> {
    let plain = !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if !plain {
        return Err("is not a path inside content/static/ or the theme's static/".into());
    }
    if image_type(path).is_none() {
        return Err("is not an image file a browser shows".into());
    }
    let own = root.join("content").join("static").join(path);
    let theme = root
        .join("themes")
        .join(&config.theme)
        .join("static")
        .join(path);
    if own.is_file() || theme.is_file() {
        Ok(())
    } else {
        Err(format!(
            "is in neither content/static/ nor themes/{}/static/",
            config.theme
        ))
    }
}

/// Problems of the identity fields of `content.site`.
pub fn check(content: &Content, out: &mut Diagnostics) {
    let s = &content.site;
    let v = &s.value;
    if let Some(p) = &v.publisher {
        if p.name.trim().is_empty() {
            out.push(Diagnostic::new(
                &s.file,
                s.spans.value("publisher.name"),
                "`publisher.name` is empty",
                "the publisher's name, e.g. `United Nations Department of Economic and Social Affairs`",
            ));
        }
        if let Some(url) = &p.url {
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && !url.contains(|c: char| c.is_whitespace() || "\"'<>\\`".contains(c))
                && url::Url::parse(url).is_ok_and(|u| u.host_str().is_some_and(|h| !h.is_empty()));
            if !ok {
                out.push(Diagnostic::new(
                    &s.file,
                    s.spans.value("publisher.url"),
                    format!("publisher url `{url}` is not a web address"),
                    "an http:// or https:// address, or no `url` when none is known",
                ));
            }
        }
    }
    for (field, value) in [("logo", &v.logo), ("favicon", &v.favicon)] {
        if let Some(path) = value {
            if let Err(why) = find_image(&content.root, v, path) {
                out.push(Diagnostic::new(
                    &s.file,
                    s.spans.value(field),
                    format!("{field} `{path}` {why}"),
                    "the path of an image (.svg, .png, .ico, .jpg, .webp, .gif) under content/static/, e.g. `logo.svg`",
                ));
            }
        }
    }
    if let Some(accent) = &v.accent {
        match parse_hex(accent) {
            None => out.push(Diagnostic::new(
                &s.file,
                s.spans.value("accent"),
                format!("accent `{accent}` is not a CSS hex colour"),
                "`#` and six hex digits (or three), quoted in YAML: accent: \"#0b5cad\"",
            )),
            Some(rgb) => {
                let ratio = contrast_with_white(rgb);
                if ratio < MIN_CONTRAST {
                    out.push(Diagnostic::new(
                        &s.file,
                        s.spans.value("accent"),
                        format!(
                            "accent `{accent}` has a contrast of {:.2}:1 against white; links in it would be hard to read",
                            (ratio * 100.0).floor() / 100.0
                        ),
                        format!("a darker colour, with at least {MIN_CONTRAST}:1 against white (e.g. `#0b5cad`)"),
                    ));
                }
            }
        }
    }
}

/// The accent as the theme writes it: lowercase `#rrggbb`, when set and valid.
pub fn accent_css(config: &SiteConfig) -> Option<String> {
    let [r, g, b] = parse_hex(config.accent.as_deref()?)?;
    Some(format!("#{r:02x}{g:02x}{b:02x}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours_and_their_contrast() {
        assert_eq!(parse_hex("#0b5cad"), Some([0x0b, 0x5c, 0xad]));
        assert_eq!(parse_hex("#06C"), Some([0, 0x66, 0xcc]));
        for bad in ["0b5cad", "#0b5ca", "#gggggg", "#", "#0b5cad00", "blue"] {
            assert_eq!(parse_hex(bad), None, "{bad}");
        }
        assert!((contrast_with_white([0, 0, 0]) - 21.0).abs() < 1e-9);
        assert!((contrast_with_white([255, 255, 255]) - 1.0).abs() < 1e-9);
        // #767676 is the lightest grey with 4.5:1 on white; #777777 falls just short.
        assert!(contrast_with_white([0x76; 3]) >= MIN_CONTRAST);
        assert!(contrast_with_white([0x77; 3]) < MIN_CONTRAST);
    }

    #[test]
    fn image_types_by_name() {
        assert_eq!(image_type("logo.SVG"), Some("image/svg+xml"));
        assert_eq!(image_type("favicon.ico"), Some("image/x-icon"));
        assert_eq!(image_type("logo.pdf"), None);
        assert_eq!(image_type("logo"), None);
    }
}
