//! Tera templates: the theme's `templates/` folder, overridden file by file by the site's
//! own `templates/` folder. Compiled once per build; autoescaping is on for every `.html`.

use std::fs;
use std::path::Path;

use serde_json::json;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::i18n::Strings;
use crate::render::pages::Page;

/// Load the theme's templates, then the site's overrides.
pub fn load(site_root: &Path, theme_dir: &Path) -> Result<tera::Tera, Diagnostic> {
    let mut sources: std::collections::BTreeMap<String, (String, std::path::PathBuf)> =
        Default::default();
    for dir in [theme_dir.join("templates"), site_root.join("templates")] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                Diagnostic::file(
                    &dir,
                    format!("cannot read templates: {e}"),
                    "a readable folder",
                )
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = rel.to_string_lossy().replace('\\', "/");
            let text = fs::read_to_string(entry.path()).map_err(|e| {
                Diagnostic::file(
                    entry.path(),
                    format!("cannot read template: {e}"),
                    "a UTF-8 text file",
                )
            })?;
            sources.insert(name, (text, entry.path().to_path_buf()));
        }
    }
    if sources.is_empty() {
        return Err(Diagnostic::file(
            theme_dir,
            "theme has no templates",
            "a templates/ folder in the theme",
        ));
    }
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    let list: Vec<(String, String)> = sources
        .iter()
        .map(|(n, (t, _))| (n.clone(), t.clone()))
        .collect();
    tera.add_raw_templates(list).map_err(|e| {
        let detail = error_chain(&e);
        let file = sources
            .iter()
            .find(|(n, _)| detail.contains(n.as_str()))
            .map(|(_, (_, p))| p.clone())
            .unwrap_or_else(|| theme_dir.to_path_buf());
        Diagnostic::file(
            &file,
            format!("template error: {detail}"),
            "a valid Tera template",
        )
    })?;
    Ok(tera)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Relative prefix from a page to the site root (`../../`), so links work under any
/// sub-path and from disk. The 404 page is served at any depth, so it uses the base path.
pub fn root_prefix(site: &Site, path: &str) -> String {
    if path == "404.html" {
        return site.base_path.clone();
    }
    "../".repeat(path.matches('/').count())
}

/// The folder of a language's pages: none for the default language, `fr/` for French.
pub fn lang_prefix(site: &Site, lang: &str) -> String {
    if lang == site.config.language {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// Render one planned page to HTML, in the language of `t`; `all` holds every language's
/// strings for the language switcher and hreflang alternates.
pub fn render_page(
    tera: &tera::Tera,
    site: &Site,
    page: &Page,
    t: &Strings,
    all: &[Strings],
) -> Result<String, Diagnostic> {
    let root = root_prefix(site, &page.path);
    let base = if page.path == "404.html" {
        root.clone()
    } else {
        format!("{root}{}", lang_prefix(site, &t.lang))
    };
    let pretty = |p: &str| p.strip_suffix("index.html").unwrap_or(p).to_string();
    let canonical = format!("{}{}", site.base_url, pretty(&page.path));
    let languages: Vec<serde_json::Value> = all
        .iter()
        .map(|s| {
            json!({
                "lang": s.lang,
                "name": s.get("language_name"),
                "url": format!("{root}{}{}", lang_prefix(site, &s.lang), page.site_path),
                "href": format!("{}{}{}", site.base_url, lang_prefix(site, &s.lang), pretty(&page.site_path)),
                "current": s.lang == t.lang,
            })
        })
        .collect();
    let ctx = json!({
        "site": {
            "title": site.config.title,
            "description": site.config.description,
            "licence": site.config.licence,
            "source": site.config.source,
            "language": site.config.language,
            "base_url": site.base_url,
        },
        "t": t.map,
        "root": root,
        "base": base,
        "languages": if page.path == "404.html" { Vec::new() } else { languages },
        "path": page.path,
        "canonical": canonical,
        "title": page.title,
        "description": page.description,
        "lang": page.lang,
        "nav": page.section,
        "page": (page.data)(),
        "search": true,
    });
    let ctx = tera::Context::from_value(ctx)
        .map_err(|e| Diagnostic::file(Path::new(&page.path), format!("template data: {e}"), ""))?;
    tera.render(page.template, &ctx).map_err(|e| {
        Diagnostic::file(
            &site.theme_dir.join("templates").join(page.template),
            format!("cannot render {}: {}", page.path, error_chain(&e)),
            "a template that renders with the page data",
        )
    })
}
