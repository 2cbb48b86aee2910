//! Machine-readable files: the Atom feed of reports and news, sitemap.xml and robots.txt.

use crate::markup::escape::escape;
use crate::model::Site;
use crate::render::views::urls;

/// Atom feed of every report and news item, newest first.
///
/// Dates are only as precise as the content. Atom's `<updated>` must be a full date-time
/// (RFC 4287, section 3.3), so for an item dated only "2022" or "November 2021" it holds
/// the first instant of that period: a sort key for feed readers, not a date the content
/// states. The date as the content gives it, and no more precise, is in each entry's
/// Dublin Core `<dc:date>` (W3C date format allows "2022" and "2021-11"), and is the only
/// date the site's pages show.
pub fn atom(site: &Site) -> String {
    let updated = site
        .documents
        .first()
        .map(|d| d.date.rfc3339_start())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut out = String::new();
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
    );
    out.push_str(&format!(
        " xml:lang=\"{}\">\n",
        escape(&site.config.language)
    ));
    out.push_str(&format!("<title>{}</title>\n", escape(&site.config.title)));
    out.push_str(&format!(
        "<subtitle>{}</subtitle>\n",
        escape(&site.config.description)
    ));
    out.push_str(&format!(
        "<link rel=\"self\" href=\"{}feed.xml\"/>\n",
        escape(&site.base_url)
    ));
    out.push_str(&format!(
        "<link rel=\"alternate\" href=\"{}\"/>\n",
        escape(&site.base_url)
    ));
    out.push_str(&format!(
        "<id>{}</id>\n<updated>{updated}</updated>\n",
        escape(&site.base_url)
    ));
    for d in &site.documents {
        let url = format!("{}{}", site.base_url, urls::document(d));
        out.push_str(&format!(
            "<entry xml:lang=\"{}\">\n",
            escape(&d.meta.language)
        ));
        out.push_str(&format!("<title>{}</title>\n", escape(&d.meta.title)));
        out.push_str(&format!(
            "<link rel=\"alternate\" href=\"{}\"/>\n<id>{}</id>\n",
            escape(&url),
            escape(&url)
        ));
        out.push_str(&format!(
            "<updated>{}</updated>\n<dc:date>{}</dc:date>\n",
            d.date.rfc3339_start(),
            d.date.iso()
        ));
        out.push_str(&format!(
            "<author><name>{}</name></author>\n",
            escape(&d.meta.source.publisher)
        ));
        if let Some(s) = &d.meta.summary {
            out.push_str(&format!(
                "<summary xml:lang=\"en\">{}</summary>\n",
                escape(s)
            ));
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// Every HTML page but the 404 page, with absolute URLs.
pub fn sitemap(site: &Site, paths: &[&str]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in paths.iter().filter(|p| **p != "404.html") {
        let p = p.strip_suffix("index.html").unwrap_or(p);
        out.push_str(&format!(
            "<url><loc>{}{}</loc></url>\n",
            escape(&site.base_url),
            escape(p)
        ));
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        site.base_url
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaped_text_is_well_formed_xml_text() {
        assert_eq!(
            super::escape("a\u{1}b\u{1b}[31m\t<&>\"'\n"),
            "a\u{fffd}b\u{fffd}[31m\t&lt;&amp;&gt;&quot;&apos;\n"
        );
    }
}
