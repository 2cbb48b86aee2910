//! Tera templates: the theme's `templates/` folder, overridden file by file by the site's
//! own `templates/` folder. Compiled once per build; autoescaping is on for every `.html`.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::Site;
use crate::output::minify;
use crate::render::bidi;
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
    let mut tera = new_tera();
    let list: Vec<(String, String)> = sources
        .iter()
        .map(|(n, (t, _))| (n.clone(), t.clone()))
        .collect();
    tera.add_raw_templates(list.clone()).map_err(|e| {
        // Most errors name the template and the place in it; others (a missing parent, a
        // loop of includes) name templates in their text.
        if let Some((name, pos, message)) = template_report(&e) {
            if let Some((_, path)) = sources.get(&name) {
                return Diagnostic::new(
                    path,
                    pos,
                    format!("template error: {message}"),
                    "a valid Tera template",
                );
            }
        }
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
    // The same templates with the whitespace no reader sees taken out: pages then need no
    // minification of their own. Only whitespace between tags and text changes (never a
    // tag, an attribute's quotes or a Tera tag), so the logic is the author's; errors above
    // point at the author's lines.
    let minified: Vec<(String, String)> = list
        .into_iter()
        .map(|(name, text)| {
            if name.ends_with(".html") {
                (name, minify::template(&text))
            } else {
                (name, text)
            }
        })
        .collect();
    let mut small = new_tera();
    if small.add_raw_templates(minified).is_ok() {
        return Ok(small);
    }
    Ok(tera)
}

/// An empty Tera with autoescaping on for every `.html` and `.xml` template. Values become
/// text with `& < > " '` as entities, enough for text and quoted attributes (Tera's own
/// escaper also turns `/` into `&#x2F;`, which makes every relative link longer and no safer).
fn new_tera() -> tera::Tera {
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(escape_into);
    tera.register_function("plural", plural_function);
    tera.register_filter("number", number_filter);
    tera.register_filter("dir_attr", dir_attr_filter);
    tera
}

/// The interface language of the page being rendered (set by [`shared_context`]).
fn ui_lang(state: &tera::State) -> tera::TeraResult<String> {
    Ok(state.get::<String>("ui_lang")?.unwrap_or_default())
}

/// A count as a whole number: counts come from the model, never negative.
fn count_arg(v: &tera::Value) -> tera::TeraResult<u64> {
    v.as_i128()
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| tera::Error::message("a count must be a whole number from 0"))
}

/// `plural(key="n_answers", n=3)`: the page language's form of count message `key` for
/// `n` (`t.n_answers_one`, `t.n_answers_few`, ... or `t.n_answers`), with `{n}` written
/// as the language writes numbers. Other placeholders are left for the template.
fn plural_function(kwargs: tera::Kwargs, state: &tera::State) -> tera::TeraResult<String> {
    let key: String = kwargs.must_get("key")?;
    let n = count_arg(&kwargs.must_get::<tera::Value>("n")?)?;
    let lang = ui_lang(state)?;
    let t: tera::Value = state
        .get("t")?
        .ok_or_else(|| tera::Error::message("no interface strings `t` in the context"))?;
    let map = t
        .as_map()
        .ok_or_else(|| tera::Error::message("`t` is not a map of strings"))?;
    let form = |k: &str| {
        map.get(&tera::value::Key::Str(k))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let rules = crate::render::locale::get(&lang);
    let category = rules.plural(n);
    let text = (category != "other")
        .then(|| form(&format!("{key}_{category}")))
        .flatten()
        .or_else(|| form(&key))
        .ok_or_else(|| tera::Error::message(format!("no interface string `{key}`")))?;
    Ok(text.replace("{n}", &rules.integer(n)))
}

/// `{{ count | number }}`: a whole number as the page's language writes it ("1,234",
/// "1 234").
fn number_filter(
    value: tera::Value,
    _: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<String> {
    let n = count_arg(&value)?;
    Ok(crate::render::locale::get(&ui_lang(state)?).integer(n))
}

/// `{{ d.language | dir_attr }}`: ` dir="rtl"` or ` dir="ltr"` when text in that language
/// runs the other way than the page (`page=` a language, else the page's `lang`), else
/// nothing ([`bidi::dir_attr`]). Written as it is: the value is one of those three.
fn dir_attr_filter(
    content: &str,
    kwargs: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<tera::Value> {
    let page = match kwargs.get::<String>("page")? {
        Some(p) => p,
        None => state.get::<String>("lang")?.ok_or_else(|| {
            tera::Error::message("dir_attr needs the page's language: dir_attr(page=lang)")
        })?,
    };
    Ok(tera::Value::safe_string(bidi::dir_attr(content, &page)))
}

/// [`crate::markup::escape::escape`], written straight into Tera's output.
fn escape_into(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    crate::markup::escape::escape_in_pieces(s, |piece| out.write_all(piece.as_bytes()))
}

/// Where a Tera error is and what it says: (template name, place in that template,
/// message), when Tera reported one. Syntax and rendering errors carry a report, in `e`
/// or an error it wraps; unknown filters, tests, functions and components are reported in
/// the error's text (`error: message`, then ` --> name:line:column`).
fn template_report(e: &tera::Error) -> Option<(String, Pos, String)> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(te) = err.downcast_ref::<tera::Error>() {
            if let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = te.kind()
            {
                let span = r.span();
                let pos = Pos::new(span.start_line, span.start_col + 1);
                return Some((r.filename().to_string(), pos, r.message().to_string()));
            }
        }
        cur = err.source();
    }
    let text = error_chain(e);
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.trim_start().strip_prefix("error: ") {
            message = Some(m.trim_start_matches("error: "));
        } else if let (Some(m), Some(place)) = (message, line.trim_start().strip_prefix("--> ")) {
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next()?.trim().parse::<usize>().ok()?;
            let line = parts.next()?.parse::<usize>().ok()?;
            return Some((
                parts.next()?.to_string(),
                Pos::new(line, column),
                m.to_string(),
            ));
        }
    }
    None
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

/// The part of a page's template context that every page of one language shares: the
/// site and the interface strings `t`. Made once per language (and rendering thread), so
/// that pages do not copy 170 strings each; [`render_page`] adds the page's own values.
pub fn shared_context(site: &Site, t: &Strings) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert(
        "site",
        &tera_map!({
            "title": site.config.title,
            "description": site.config.description,
            "licence": site.config.licence,
            "source": site.config.source,
            "answer_countries": answer_countries(site, &t.lang),
            "publishers": publishers(site),
            "language": site.config.language,
            "base_url": site.base_url,
            "publisher": site.config.publisher,
            "logo": site.config.logo,
            "favicon": site.config.favicon,
            "favicon_type": site.config.favicon.as_deref().and_then(crate::identity::image_type),
            "accent": crate::identity::accent_css(&site.config),
        }),
    );
    ctx.insert("t", &t.map);
    ctx.insert("ui_lang", &t.lang);
    ctx.insert("search", &true);
    // Content (answers, questions, reports, site.yaml's texts) is written in the site's
    // language; on a page in another language, what shows it carries `{{ cl_attr | safe }}`
    // (` lang="en"`, or nothing on a page in the content's language), WCAG 3.1.2, and
    // ` dir="ltr"` besides on a page that runs the other way (an Arabic page).
    // A checked language tag (letters, digits, hyphens): nothing to escape.
    ctx.insert("cl_attr", &bidi::lang_attrs(&site.config.language, &t.lang));
    // The way the page's language runs, for `<html dir>`.
    ctx.insert("dir", bidi::dir(&t.lang));
    ctx
}

/// The names of the countries with answers, in the order of names of `lang`: the footer
/// lists them from the content, so a country added is a country credited (no list to keep
/// up by hand).
fn answer_countries(site: &Site, lang: &str) -> Vec<String> {
    let names = site.names(lang);
    names
        .country_order
        .iter()
        .filter(|&&ci| !site.countries[ci].responses.is_empty())
        .map(|&ci| names.country(ci).to_string())
        .collect()
}

/// The publishers of the reports and news items, in name order, each once.
fn publishers(site: &Site) -> Vec<String> {
    let mut names: Vec<String> = site
        .documents
        .iter()
        .map(|d| d.meta.source.publisher.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// What one rendering thread keeps from page to page: each language's
/// [`shared_context`], and how long the last page of each template was.
pub struct Renderer {
    contexts: Vec<tera::Context>,
    last_len: HashMap<&'static str, usize>,
}

/// A [`Renderer`] for every language of `all`, in that order.
pub fn renderer(site: &Site, all: &[Strings]) -> Renderer {
    Renderer {
        contexts: all.iter().map(|t| shared_context(site, t)).collect(),
        last_len: HashMap::new(),
    }
}

/// Render one planned page to HTML, in the language `all[lang]`; `all` holds every
/// language's strings for the language switcher and hreflang alternates. The page's
/// values go into `renderer`'s context of that language, replacing the previous page's.
pub fn render_page(
    tera: &tera::Tera,
    site: &Site,
    page: &Page,
    all: &[Strings],
    lang: usize,
    renderer: &mut Renderer,
) -> Result<Vec<u8>, Diagnostic> {
    let t = &all[lang];
    let shared = &mut renderer.contexts[lang];
    let root = root_prefix(site, &page.path);
    let base = if page.path == "404.html" {
        root.clone()
    } else {
        format!("{root}{}", lang_prefix(site, &t.lang))
    };
    let pretty = |p: &str| p.strip_suffix("index.html").unwrap_or(p).to_string();
    let canonical = format!("{}{}", site.base_url, pretty(&page.path));
    let languages: Vec<tera::Value> = all
        .iter()
        .map(|s| {
            tera_map!({
                "lang": s.lang,
                "name": s.get("language_name"),
                "url": format!("{root}{}{}", lang_prefix(site, &s.lang), page.site_path),
                "href": format!("{}{}{}", site.base_url, lang_prefix(site, &s.lang), pretty(&page.site_path)),
                "current": s.lang == t.lang,
            })
        })
        .collect();
    // Every page sets every key below, replacing the previous page's values.
    shared.insert("root", &root);
    shared.insert("base", &base);
    let languages = if page.path == "404.html" {
        Vec::new()
    } else {
        languages
    };
    shared.insert("languages", &languages);
    shared.insert("path", &page.path);
    shared.insert("canonical", &canonical);
    shared.insert("title", &page.title);
    shared.insert("description", &page.description);
    shared.insert("lang", &page.lang);
    shared.insert("nav", page.section);
    shared.insert_value("page", tera::Value::from_serializable(&(page.data)()));
    // The buffer starts as large as the template's last page (and a little more), so a
    // page of 100 KB is not copied through a dozen growing buffers.
    let last = renderer.last_len.get(page.template).copied().unwrap_or(0);
    let mut html = Vec::with_capacity(last + last / 8);
    let rendered = tera.render_to(page.template, shared, &mut html);
    renderer.last_len.insert(page.template, html.len());
    rendered.map_err(|e| {
        // Pages are rendered from the minified templates, whose places are not the
        // author's: the message names the template and what went wrong.
        let detail = match template_report(&e) {
            Some((name, _, message)) => format!("{message} (in {name})"),
            None => error_chain(&e),
        };
        let own = site.root.join("templates").join(page.template);
        let file = if own.is_file() {
            own
        } else {
            site.theme_dir.join("templates").join(page.template)
        };
        Diagnostic::file(
            &file,
            format!("cannot render {}: {detail}", page.path),
            "a template that renders with the page data",
        )
    })?;
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_one(source: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("templates");
        fs::create_dir_all(&templates).unwrap();
        fs::write(templates.join("page.html"), source).unwrap();
        let tera = load(dir.path(), dir.path()).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("current", &true);
        ctx.insert("url", "a/b.html");
        ctx.insert("title", "x onmouseover=alert(1) autofocus");
        tera.render("page.html", &ctx).unwrap()
    }

    #[test]
    fn attribute_values_keep_their_quotes() {
        // Minifying the template source once dropped these quotes, and a title with spaces
        // then added attributes of its own.
        let html = render_one(
            "<section>\n  <h1 title=\"{{title}}\" class='{{url}}'>\n    {{ title }}\n  </h1>\n  <pre>  a\n   b </pre>\n</section>\n",
        );
        assert_eq!(
            html,
            "<section><h1 title=\"x onmouseover=alert(1) autofocus\" class='a/b.html'>x onmouseover=alert(1) autofocus</h1><pre>  a\n   b </pre></section>"
        );
        // Literal values lose quotes HTML does not need; values with Tera tags keep them.
        let html = render_one(
            "<p class=\"note\" id='n-1' title=\"a b\" data-x=\"{{url}}\" lang=\"en\">x</p><a href=\"a/\">y</a>",
        );
        assert_eq!(
            html,
            "<p class=note id=n-1 title=\"a b\" data-x=\"a/b.html\" lang=en>x</p><a href=\"a/\">y</a>"
        );
    }

    #[test]
    fn templates_are_minified_once_and_still_render_their_logic() {
        let html = render_one("<ul>\n  <li>\n    <a aria-current=\"{% if current %}page{% else %}false{% endif %}\" href=\"{{ url }}\">A</a>\n  </li>\n</ul>\n");
        assert!(!html.contains('\n'), "minified: {html}");
        assert!(html.contains("aria-current=page") || html.contains("aria-current=\"page\""));
        assert!(
            html.contains("href=a/b.html") || html.contains("href=\"a/b.html\""),
            "slashes are not escaped: {html}"
        );
    }

    #[test]
    fn a_tag_inside_an_element_keeps_the_template_as_written() {
        // The minifier would reorder the `{% if %}` with the attributes: not used.
        let html = render_one(
            "<p>\n<a href=\"{{ url }}\"{% if current %} class=\"on\"{% endif %}>A</a>\n</p>",
        );
        assert!(
            html.contains("<a href=\"a/b.html\" class=\"on\">A</a>"),
            "{html}"
        );
    }
}
