//! The plan of the site: which pages exist, at which path, with which template and data.
//! Every page the site has is listed here, so this file is the site map in code.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tera::Value;

use crate::content::{DocKind, QuestionKind};
use crate::markup::split;
use crate::model::{Mark, Site};
use crate::render::i18n::Strings;
use crate::render::memo::{Key, Memo};
use crate::render::views::{self, urls, Link};
use crate::render::{charts, cite, data, indicators, jsonld};

/// The data a page's template reads, computed when the page is rendered (in parallel, and
/// dropped right after), never for the whole site at once.
pub type PageData<'a> = Box<dyn Fn() -> Value + Send + Sync + 'a>;

/// One page to render.
pub struct Page<'a> {
    /// Output path relative to the site root (`countries/lao-pdr.html`, `fr/countries/...`).
    pub path: String,
    /// The same page's path in the default language (no language prefix).
    pub site_path: String,
    pub template: &'static str,
    pub title: String,
    pub description: String,
    /// Language of the page (documents in another language carry their own).
    pub lang: String,
    /// Navigation entry to mark as current.
    pub section: &'static str,
    pub data: PageData<'a>,
}

impl<'a> Page<'a> {
    fn new(
        path: impl Into<String>,
        template: &'static str,
        section: &'static str,
        title: impl Into<String>,
        description: impl Into<String>,
        data: impl Fn() -> Value + Send + Sync + 'a,
    ) -> Page<'a> {
        Page {
            site_path: String::new(),
            path: path.into(),
            template,
            title: title.into(),
            description: description.into(),
            lang: String::new(),
            section,
            data: Box::new(data),
        }
    }
}

/// Every page of the site in one language; `prefix` is `""` for the default language and
/// `"fr/"` for the others. Values that read alike in every language are made once, in
/// `memo`.
pub fn plan<'a>(site: &'a Site, t: &'a Strings, prefix: &str, memo: &'a Memo) -> Vec<Page<'a>> {
    let mut pages = Vec::new();
    let names = site.names(&t.lang);
    // Views shared by many pages, turned into template values once: a page that shows
    // them shares these values instead of copying them. Cards are by country index;
    // lists show them in the language's order of names.
    let shared = Shared::new(site, t, |_| true);
    let (cards, docs) = (shared.cards.clone(), shared.docs.clone());
    let overview_links: Arc<Vec<Value>> = Arc::new(
        site.sections
            .iter()
            .map(|s| tera_map!({"url": urls::overview(&s.slug), "title": s.title, "letter": s.letter, "topics": s.topics.len()}))
            .collect(),
    );

    {
        let (cards, docs, overview_links) = (cards.clone(), docs.clone(), overview_links.clone());
        pages.push(Page::new(
            "index.html",
            "home.html",
            "home",
            site.config.title.clone(),
            site.config.description.clone(),
            move || {
                tera_map!({
                    "countries": names.country_order.iter().map(|&ci| &cards[ci]).collect::<Vec<_>>(),
                    "latest": docs.iter().take(6).collect::<Vec<_>>(),
                    "sections": *overview_links,
                    "editions": site.editions.iter().map(|e| tera_map!({"id": e.id, "title": e.cat.title, "questions": e.cat.questions.len()})).collect::<Vec<_>>(),
                    "is_home": true,
                    "topic_count": site.topics.len(),
                    "jsonld": jsonld::dataset(site),
                })
            },
        ));
    }

    // Countries, regions, groupings.
    {
        let cards = cards.clone();
        pages.push(Page::new(
            "countries/index.html",
            "countries.html",
            "countries",
            t.get("countries_title"),
            t.fill(
                "countries_description",
                &[("n", &t.number(site.countries.len() as u64))],
            ),
            move || {
                let group_list = |groups: &[crate::model::Group], order: &[usize], name: &dyn Fn(usize) -> crate::render::names::Name, url: fn(&str) -> String| -> Vec<Value> {
                    order
                        .iter()
                        .map(|&gi| {
                            let g = &groups[gi];
                            let n = name(gi);
                            tera_map!({"url": url(&g.slug), "name": n.text, "name_lang": n.lang, "countries": names.sorted(&g.countries).iter().map(|&i| &cards[i]).collect::<Vec<_>>()})
                        })
                        .collect()
                };
                let regions = group_list(&site.regions, &names.region_order, &|gi| names.regions[gi].clone(), urls::region);
                let groupings = group_list(&site.groupings, &names.grouping_order, &|gi| crate::render::names::Name { text: site.groupings[gi].name.clone(), lang: None }, urls::grouping);
                // Editions by title: the table names them, not by their ids.
                let edition_titles: std::collections::BTreeMap<&str, &str> = site
                    .editions
                    .iter()
                    .map(|e| (e.id.as_str(), e.cat.title.as_str()))
                    .collect();
                tera_map!({"countries": names.country_order.iter().map(|&ci| &cards[ci]).collect::<Vec<_>>(), "regions": regions, "groupings": groupings, "edition_titles": edition_titles})
            },
        ));
    }
    for (kind, groups, url, is_region) in [
        (
            t.get("kind_region"),
            &site.regions,
            urls::region as fn(&str) -> String,
            true,
        ),
        (
            t.get("kind_grouping"),
            &site.groupings,
            urls::grouping,
            false,
        ),
    ] {
        for (gi, g) in groups.iter().enumerate() {
            let cards = cards.clone();
            // Regions are named in the page's language; groupings as written.
            let name = if is_region {
                names.regions[gi].clone()
            } else {
                crate::render::names::Name {
                    text: g.name.clone(),
                    lang: None,
                }
            };
            pages.push(Page::new(
                url(&g.slug),
                "group.html",
                "countries",
                name.text.clone(),
                t.fill("group_description", &[("kind", kind), ("name", &name.text)]),
                move || tera_map!({"kind": kind, "name": name.text, "name_lang": name.lang, "is_region": is_region, "countries": names.sorted(&g.countries).iter().map(|&i| &cards[i]).collect::<Vec<_>>()}),
            ));
        }
    }
    // Indicators compared across countries, by indicator and year.
    pages.push(Page::new(
        "indicators.html",
        "indicators.html",
        "indicators",
        t.get("indicators_title"),
        t.get("indicators_description"),
        move || tera_map!({"indicators": indicators::comparison(site, &t.lang)}),
    ));
    // About and methodology: the editions and their names, how to read answers, the basis
    // for publication, the licence and how to cite.
    pages.push(Page::new(
        "about.html",
        "about.html",
        "about",
        t.get("about_title"),
        t.get("about_description"),
        move || {
            let editions: Vec<Value> = site
                .editions
                .iter()
                .map(|e| tera_map!({"id": e.id, "title": e.cat.title, "name_basis": e.cat.name_basis, "questions": e.cat.questions.len()}))
                .collect();
            tera_map!({
                "editions": editions,
                "publish_contacts": site.config.publish_contacts,
                "example": site.countries.first().map(|c| cite::profile(site, c, t)),
                "data_citation": cite::data(site, t),
                // The consent question's comparison page, where the catalogues have one.
                "consent_url": site.topics.iter().find(|t| t.key == "consent-publish").map(|t| urls::topic(&t.key)),
            })
        },
    ));
    for ci in 0..site.countries.len() {
        pages.extend(group_pages(site, t, memo, &shared, Group::Country(ci)));
    }

    // Questions: index and one comparison page per topic.
    let sections: Arc<Vec<Value>> = Arc::new(
        site.sections
            .iter()
            .map(|s| {
                tera_map!({
                    "title": s.title, "letter": s.letter, "overview_url": urls::overview(&s.slug), "anchor": s.slug,
                    "topics": s.topics.iter().map(|&t| {
                        let topic = &site.topics[t];
                        // The question's number in each edition, once each (readers see no edition ids).
                        let mut numbers: Vec<u32> = topic.questions.iter().map(|&(ei, qi)| site.editions[ei].cat.questions[qi].number).collect();
                        numbers.sort_unstable();
                        numbers.dedup();
                        tera_map!({"url": urls::topic(&topic.key), "label": topic.label, "numbers": numbers})
                    }).collect::<Vec<_>>()
                })
            })
            .collect(),
    );
    {
        let sections = sections.clone();
        pages.push(Page::new(
            "questions/index.html",
            "questions.html",
            "questions",
            t.get("questions_title"),
            t.fill(
                "questions_description",
                &[("n", &t.number(site.topics.len() as u64))],
            ),
            move || tera_map!({"sections": *sections}),
        ));
    }
    // Search: the form (with search.js) over the same index of questions, for readers
    // without JavaScript.
    pages.push(Page::new(
        "search.html",
        "search.html",
        "search",
        t.get("search_title"),
        t.get("search_description"),
        move || tera_map!({"sections": *sections}),
    ));
    for ti in 0..site.topics.len() {
        pages.extend(group_pages(site, t, memo, &shared, Group::Topic(ti)));
    }

    // Cross-country overviews, one per section.
    pages.push(Page::new(
        "overview/index.html",
        "overview_index.html",
        "overview",
        t.get("overviews_title"),
        t.get("overviews_description"),
        move || tera_map!({"sections": *overview_links}),
    ));
    for si in 0..site.sections.len() {
        pages.extend(group_pages(site, t, memo, &shared, Group::Overview(si)));
    }

    // Documents.
    let country_index = country_index(site);
    for kind in [DocKind::Report, DocKind::News] {
        let (title, section, description) = match kind {
            DocKind::Report => (
                t.get("reports_title"),
                "reports",
                t.get("reports_description"),
            ),
            DocKind::News => (t.get("news_title"), "news", t.get("news_description")),
        };
        let of_kind: Vec<usize> = (0..site.documents.len())
            .filter(|&di| site.documents[di].kind == kind)
            .collect();
        let (lists, filters) = narrowed_lists(site, t, &country_index, kind, &of_kind);
        let filters = Arc::new(filters);
        let all_count = of_kind.len();
        let list = |dir: String, ids: Vec<usize>, title: String, description: String| List {
            dir,
            ids,
            title,
            description,
            section,
            filters: filters.clone(),
            kind_dir: kind.dir(),
            all_count,
            all_text: t
                .get(match kind {
                    DocKind::Report => "home_all_reports",
                    DocKind::News => "home_all_news",
                })
                .to_string(),
        };
        // The list, newest first, LIST_PAGE items a page: `news/index.html`, then
        // `news/page-2.html`, ... so a page's address stays the same as the list grows.
        pages.extend(list_pages(
            t,
            &docs,
            list(
                kind.dir().to_string(),
                of_kind,
                title.to_string(),
                description.to_string(),
            ),
        ));
        // The same for each year, country and topic: a reader can narrow a long list down.
        for n in lists {
            let (title, description) = n.texts(t, title, description);
            pages.extend(list_pages(t, &docs, list(n.dir, n.ids, title, description)));
        }
        for (di, d) in site.documents.iter().enumerate() {
            if d.kind == kind {
                pages.extend(group_pages(site, t, memo, &shared, Group::Document(di)));
            }
        }
    }

    // GitHub Pages serves one 404 page, at the root, in the default language.
    if prefix.is_empty() {
        pages.push(Page::new(
            "404.html",
            "404.html",
            "",
            t.get("not_found_title"),
            t.get("not_found_description"),
            || tera_map!({}),
        ));
    }
    finish(&mut pages, t, prefix);
    pages
}

/// How many reports or news items one page of their list shows.
pub const LIST_PAGE: usize = 25;

/// What a narrowed list keeps: one year, country or topic.
enum Narrow {
    Year(i32),
    /// The country's name.
    Country(String),
    /// The topic's label in the page's language.
    Topic(String),
}

/// A kind's documents narrowed down to one year, country or topic, newest first.
struct Narrowed {
    /// Folder of the list's pages (`news/2024`, `news/countries/lao-pdr`, `news/topics/<key>`).
    dir: String,
    ids: Vec<usize>,
    by: Narrow,
}

impl Narrowed {
    /// The list's title and description, from those of the kind's whole list.
    fn texts(&self, t: &Strings, title: &str, description: &str) -> (String, String) {
        let (title_key, description_key, name, value) = match &self.by {
            Narrow::Year(y) => (
                "list_year_title",
                "list_year_description",
                "year",
                y.to_string(),
            ),
            Narrow::Country(c) => (
                "list_country_title",
                "list_country_description",
                "country",
                c.clone(),
            ),
            Narrow::Topic(l) => (
                "list_topic_title",
                "list_topic_description",
                "topic",
                l.clone(),
            ),
        };
        (
            t.fill(title_key, &[("title", title), (name, &value)]),
            t.fill(
                description_key,
                &[("description", description), (name, &value)],
            ),
        )
    }
}

/// One line of a list's filter navigation: a way to narrow the list down ("By year") and
/// each value with its list's folder and number of items.
struct FilterLine {
    label: String,
    values: Vec<(String, String, usize)>,
}

/// The lists of one kind's documents (`ids`, newest first) narrowed down by year, country
/// and topic, and the filter navigation that links them. Only values with items get a
/// list. Years get lists only when the items span several years; every country and topic
/// with items gets one (profiles and document pages link them), but a filter with a
/// single value is left out of the navigation: it would narrow nothing down.
fn narrowed_lists(
    site: &Site,
    t: &Strings,
    country_index: &HashMap<&str, usize>,
    kind: DocKind,
    ids: &[usize],
) -> (Vec<Narrowed>, Vec<FilterLine>) {
    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    // By index into `site.countries`, which is in order of name.
    let mut by_country: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut by_topic: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    // A document that names a country or topic twice is listed once.
    let push = |v: &mut Vec<usize>, di: usize| {
        if v.last() != Some(&di) {
            v.push(di);
        }
    };
    for &di in ids {
        let d = &site.documents[di];
        if d.date.year > 0 {
            by_year.entry(d.date.year).or_default().push(di);
        }
        for slug in &d.meta.countries {
            if let Some(&ci) = country_index.get(slug.as_str()) {
                push(by_country.entry(ci).or_default(), di);
            }
        }
        for key in &d.meta.topics {
            push(by_topic.entry(key.as_str()).or_default(), di);
        }
    }
    let mut lists = Vec::new();
    let mut filters = Vec::new();
    let mut line = |label: &str, narrowed: Vec<Narrowed>, lists: &mut Vec<Narrowed>| {
        if narrowed.len() > 1 {
            filters.push(FilterLine {
                label: t.fill("list_filter_by", &[("label", t.get(label))]),
                values: narrowed
                    .iter()
                    .map(|n| {
                        let text = match &n.by {
                            Narrow::Year(y) => y.to_string(),
                            Narrow::Country(s) | Narrow::Topic(s) => s.clone(),
                        };
                        (text, n.dir.clone(), n.ids.len())
                    })
                    .collect(),
            });
        }
        lists.extend(narrowed);
    };
    // Newest year first; no year lists when every item is of one year.
    if by_year.len() > 1 {
        let years = by_year
            .into_iter()
            .rev()
            .map(|(y, ids)| Narrowed {
                dir: format!("{}/{y}", kind.dir()),
                ids,
                by: Narrow::Year(y),
            })
            .collect();
        line("list_years_label", years, &mut lists);
    }
    let countries = by_country
        .into_iter()
        .map(|(ci, ids)| {
            let c = &site.countries[ci];
            Narrowed {
                dir: urls::doc_country_dir(kind, &c.slug),
                ids,
                by: Narrow::Country(c.info.name.clone()),
            }
        })
        .collect();
    line("list_countries_label", countries, &mut lists);
    // Topics in the order of their labels in the page's language.
    let mut topics: Vec<Narrowed> = by_topic
        .into_iter()
        .map(|(key, ids)| Narrowed {
            dir: urls::doc_topic_dir(kind, key),
            ids,
            by: Narrow::Topic(site.doc_topic_label(key, &t.lang).to_string()),
        })
        .collect();
    topics.sort_by_cached_key(|n| match &n.by {
        Narrow::Topic(label) => (label.to_lowercase(), n.dir.clone()),
        _ => (String::new(), n.dir.clone()),
    });
    line("list_topics_label", topics, &mut lists);
    (lists, filters)
}

/// One list of reports or news items: all of a kind, or those of one year, country or topic.
struct List {
    /// Folder of the list's pages (`news`, `news/2024`, `news/topics/<key>`).
    dir: String,
    /// The documents listed, newest first.
    ids: Vec<usize>,
    title: String,
    description: String,
    section: &'static str,
    /// The ways to narrow the kind's list down, shown on every page of its lists.
    filters: Arc<Vec<FilterLine>>,
    /// Folder of the kind (`news`): its whole list.
    kind_dir: &'static str,
    /// How many items the kind's whole list has, and its name in the filter navigation.
    all_count: usize,
    all_text: String,
}

/// The pages of one list, [`LIST_PAGE`] items a page, with `docs` the documents' cards.
fn list_pages<'a>(t: &Strings, docs: &Arc<Vec<Value>>, list: List) -> Vec<Page<'a>> {
    let chunks: Vec<Vec<usize>> = if list.ids.is_empty() {
        vec![Vec::new()]
    } else {
        list.ids.chunks(LIST_PAGE).map(<[usize]>::to_vec).collect()
    };
    let total = chunks.len();
    let list = Arc::new(list);
    let mut pages = Vec::new();
    for (n, chunk) in chunks.into_iter().enumerate() {
        let (docs, list) = (docs.clone(), list.clone());
        let number = n + 1;
        let (page_title, page_description) = if total == 1 {
            (list.title.clone(), list.description.clone())
        } else {
            let (n, all) = (t.number(number as u64), t.number(total as u64));
            (
                t.fill(
                    "list_page_title",
                    &[("title", &list.title), ("n", &n), ("total", &all)],
                ),
                t.fill(
                    "list_page_title",
                    &[("title", &list.description), ("n", &n), ("total", &all)],
                ),
            )
        };
        pages.push(Page::new(
            list_page_url(&list.dir, number),
            "documents.html",
            list.section,
            page_title,
            page_description,
            move || {
                let shown: Vec<&Value> = chunk.iter().map(|&di| &docs[di]).collect();
                let pager: Vec<Value> = (1..=total)
                    .map(|p| tera_map!({"number": p, "url": list_page_url(&list.dir, p), "current": p == number}))
                    .collect();
                let filters: Vec<Value> = list
                    .filters
                    .iter()
                    .map(|f| {
                        let values: Vec<Value> = f
                            .values
                            .iter()
                            .map(|(text, dir, count)| tera_map!({"text": text, "count": count, "url": list_page_url(dir, 1), "current": *dir == list.dir}))
                            .collect();
                        tera_map!({"label": f.label, "values": values})
                    })
                    .collect();
                tera_map!({
                    "kind": list.title,
                    "documents": shown,
                    "page_number": number,
                    "page_total": total,
                    "pager": if total > 1 { pager } else { Vec::new() },
                    "first_item": (number - 1) * LIST_PAGE + 1,
                    "last_item": (number - 1) * LIST_PAGE + shown.len(),
                    "filters": filters,
                    "all_url": list_page_url(list.kind_dir, 1),
                    "all_count": list.all_count,
                    "all_current": list.dir == list.kind_dir,
                    "all_text": list.all_text,
                })
            },
        ));
    }
    pages
}

/// The address of page `number` (from 1) of the list of documents in folder `dir`.
pub fn list_page_url(dir: &str, number: usize) -> String {
    if number == 1 {
        format!("{dir}/index.html")
    } else {
        format!("{dir}/page-{number}.html")
    }
}

/// The pages of document `di` (one per part), in the language of `t`, with `card` its
/// card as a template value.
fn document_pages<'a>(
    site: &'a Site,
    t: &'a Strings,
    memo: &'a Memo,
    di: usize,
    card: Value,
) -> Vec<Page<'a>> {
    let d = &site.documents[di];
    let kind = d.kind;
    // The navigation section of a kind of document is its folder (`news/index.html`).
    let section = kind.dir();
    let mut pages = Vec::new();
    let parts = &d.parts.html;
    let part_url = move |n: usize| format!("{}/{}", kind.dir(), split::part_file(&d.slug, n));
    let summary = d
        .meta
        .summary
        .clone()
        .unwrap_or_else(|| truncate_words(&d.text, 30));
    for (n, html) in parts.iter().enumerate() {
        let title = if parts.len() > 1 && n > 0 {
            t.fill(
                "part_title",
                &[
                    ("title", &d.meta.title),
                    ("n", &t.number(n as u64 + 1)),
                    ("total", &t.number(parts.len() as u64)),
                ],
            )
        } else {
            d.meta.title.clone()
        };
        let card = card.clone();
        let mut p = Page::new(
            part_url(n),
            "document.html",
            section,
            title,
            summary.clone(),
            move || {
                let toc: Vec<Value> = if kind == DocKind::Report {
                    d.toc
                        .iter()
                        .filter(|e| e.level <= 3)
                        .map(|e| {
                            let part = d.parts.part_of.get(&e.id).copied().unwrap_or(0);
                            tera_map!({"level": e.level, "title": e.title, "url": format!("{}#{}", part_url(part), e.id)})
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let whole_url = d
                    .whole_html
                    .as_ref()
                    .map(|_| format!("{}/{}", kind.dir(), split::whole_file(&d.slug)));
                let part_links: Vec<Value> = if parts.len() > 1 {
                    (0..parts.len())
                        .map(|n| tera_map!({"number": n + 1, "url": part_url(n)}))
                        .collect()
                } else {
                    Vec::new()
                };
                tera_map!({
                    "doc": card,
                    "body_html": html,
                    "toc": toc,
                    "part": n + 1,
                    "parts": part_links,
                    "whole_url": whole_url,
                    "other_language": d.meta.language != t.lang,
                    "jsonld": if n == 0 { memo.get(Key::DocumentJsonLd(di), || jsonld::document(site, d).into()) } else { Value::from("") },
                })
            },
        );
        // The page chrome stays in the page's language; the document body carries its own.
        p.lang = t.lang.clone();
        pages.push(p);
    }
    if let Some(whole) = &d.whole_html {
        // The whole document on one page, beside its parts: to read straight through, to
        // search in with the browser, and to print.
        let title = t.fill("whole_title", &[("title", &d.meta.title)]);
        let mut p = Page::new(
            format!("{}/{}", kind.dir(), split::whole_file(&d.slug)),
            "document.html",
            section,
            title,
            summary,
            move || {
                let toc: Vec<Value> = if kind == DocKind::Report {
                    d.toc
                        .iter()
                        .filter(|e| e.level <= 3)
                        .map(|e| tera_map!({"level": e.level, "title": e.title, "url": format!("{}/{}#{}", kind.dir(), split::whole_file(&d.slug), e.id)}))
                        .collect()
                } else {
                    Vec::new()
                };
                let part_links: Vec<Value> = (0..parts.len())
                    .map(|n| tera_map!({"number": n + 1, "url": part_url(n)}))
                    .collect();
                tera_map!({
                    "doc": card,
                    "body_html": whole,
                    "toc": toc,
                    "part": 0,
                    "whole": true,
                    "parts": part_links,
                    "other_language": d.meta.language != t.lang,
                    "jsonld": "",
                })
            },
        );
        p.lang = t.lang.clone();
        pages.push(p);
    }
    pages
}

/// A country's profile, and a page per older edition it answered.
fn country_pages<'a>(
    site: &'a Site,
    t: &'a Strings,
    memo: &'a Memo,
    cards: &Arc<Vec<Value>>,
    docs: &Arc<Vec<Value>>,
    related: &[usize],
    ci: usize,
) -> Vec<Page<'a>> {
    let mut pages = Vec::new();
    let c = &site.countries[ci];
    let name = site.names(&t.lang).country(ci);
    let answered = c
        .responses
        .first()
        .map(|r| views::answered_count(site, r))
        .unwrap_or(0);
    let description = t.plural("profile_description", answered as u64, &[("name", name)]);
    {
        let (cards, docs, related) = (cards.clone(), docs.clone(), related.to_vec());
        pages.push(Page::new(
            urls::country(c),
            "country.html",
            "countries",
            name,
            description.clone(),
            move || {
                // Each source is written once, under the table; rows give its number.
                let mut sources: Vec<&str> = Vec::new();
                let indicators: Vec<Value> = c
                    .info
                    .indicators
                    .iter()
                    .map(|i| {
                        let n = match sources.iter().position(|s| *s == i.source) {
                            Some(k) => k + 1,
                            None => {
                                sources.push(&i.source);
                                sources.len()
                            }
                        };
                        tera_map!({"name": i.name, "year": i.year, "value": indicators::format_value(i.value, &t.lang), "source_n": n})
                    })
                    .collect();
                let others: Vec<Value> = c
                    .responses
                    .iter()
                    .skip(1)
                    .map(|r| {
                        let ed = site.edition(&r.edition);
                        tera_map!({"edition": ed.id, "title": ed.cat.title, "url": urls::response(c, &ed.id)})
                    })
                    .collect();
                tera_map!({
                    "country": cards[ci],
                    "indicators": indicators,
                    "indicator_sources": sources,
                    "citation": cite::profile(site, c, t),
                    "charts": charts::charts(&c.info.indicators, t),
                    "response": c.responses.first().map(|r| views::response_view(site, c, r)),
                    "older": others,
                    "related": related.iter().map(|&di| &docs[di]).collect::<Vec<_>>(),
                    "related_lists": related_lists(site, t, c),
                    "data_url": data::country_path(c),
                    "jsonld": memo.get(Key::CountryJsonLd(ci), || jsonld::country(site, c).into()),
                })
            },
        ));
    }
    for r in c.responses.iter().skip(1) {
        let cards = cards.clone();
        let ed = site.edition(&r.edition);
        pages.push(Page::new(
            urls::response(c, &ed.id),
            "country.html",
            "countries",
            format!("{name}: {}", ed.cat.title),
            description.clone(),
            move || tera_map!({"country": cards[ci], "response": views::response_view(site, c, r), "older": Vec::<Value>::new(), "related": Vec::<Value>::new(), "indicators": Vec::<Value>::new(), "charts": Vec::<Value>::new(), "is_older": true, "profile_url": urls::country(c)}),
        ));
    }

    pages
}

/// Links from a country's profile to the lists of reports and of news about it (the
/// profile lists them all; these lists are paginated and filtered like the others).
fn related_lists(site: &Site, t: &Strings, c: &crate::model::Country) -> Vec<Value> {
    [DocKind::Report, DocKind::News]
        .into_iter()
        .filter_map(|kind| {
            let count = site
                .documents
                .iter()
                .filter(|d| d.kind == kind && d.meta.countries.contains(&c.slug))
                .count();
            let title = match kind {
                DocKind::Report => t.get("reports_title"),
                DocKind::News => t.get("news_title"),
            };
            (count > 0).then(|| {
                tera_map!({
                    "text": t.fill("list_country_title", &[("title", title), ("country", &c.info.name)]),
                    "url": list_page_url(&urls::doc_country_dir(kind, &c.slug), 1),
                    "count": count,
                })
            })
        })
        .collect()
}

/// A site with more countries than this splits each comparison page by region: the
/// topic's page keeps the question and lists the regions, and each region's answers are on
/// a page of their own (`questions/<key>/<region>.html`), so no comparison page grows with
/// the number of countries. Overviews then show their link directories as links to those
/// pages instead of every country's links (issue 18: at 193 countries a comparison page
/// was ~95 KB and the institutional-framework overview 320 KB gzipped).
pub const REGION_SPLIT_OVER: usize = 40;

/// Whether comparison pages are split by region and overviews summarised.
pub fn split_by_region(site: &Site) -> bool {
    site.countries.len() > REGION_SPLIT_OVER && site.regions.len() > 1
}

/// A topic's comparison page, and its regions' pages when the site is split by region.
fn topic_pages<'a>(site: &'a Site, t: &Strings, ti: usize) -> Vec<Page<'a>> {
    let topic = &site.topics[ti];
    let names = site.names(&t.lang);
    let mut pages = vec![Page::new(
        urls::topic(&topic.key),
        "topic.html",
        "questions",
        topic.label.clone(),
        t.fill("topic_description", &[("label", &topic.label)]),
        move || topic_data(site, names, topic, None),
    )];
    if split_by_region(site) {
        for (gi, g) in site.regions.iter().enumerate() {
            let region = &names.regions[gi].text;
            pages.push(Page::new(
                urls::topic_region(&topic.key, &g.slug),
                "topic.html",
                "questions",
                t.fill(
                    "topic_region_title",
                    &[("label", &topic.label), ("region", region)],
                ),
                t.fill(
                    "topic_region_description",
                    &[("label", &topic.label), ("region", region)],
                ),
                move || topic_data(site, names, topic, Some(gi)),
            ));
        }
    }
    pages
}

/// A group of pages made from one part of the model: the unit in which the full plan
/// makes pages and `serve` re-makes them when one file changes (see [`Group::shows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// A country's profile and a page per older edition it answered.
    Country(usize),
    /// A topic's comparison page, and its regions' pages when the site is split by region.
    Topic(usize),
    /// A section's cross-country overview.
    Overview(usize),
    /// A report's or news item's own pages: one per part, and the whole.
    Document(usize),
}

/// A content file that `serve` can apply to the model alone (`serve::live`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Country `country`'s answers to edition `edition`.
    Answers { country: usize, edition: usize },
    /// Document `0` (a report or a news item), its date unchanged.
    Document(usize),
}

/// How soon `serve` re-renders a group that shows a changed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wave {
    /// The file's own pages, which the editor is looking at: first.
    Own,
    /// Pages that set the file's content beside every other country's: next.
    Compared,
}

impl Group {
    /// Every group of the site, in the order the full plan makes them.
    pub fn all(site: &Site) -> impl Iterator<Item = Group> + '_ {
        let countries = (0..site.countries.len()).map(Group::Country);
        let topics = (0..site.topics.len()).map(Group::Topic);
        let overviews = (0..site.sections.len()).map(Group::Overview);
        let documents = [DocKind::Report, DocKind::News]
            .into_iter()
            .flat_map(move |kind| {
                (0..site.documents.len())
                    .filter(move |&di| site.documents[di].kind == kind)
                    .map(Group::Document)
            });
        countries.chain(topics).chain(overviews).chain(documents)
    }

    /// Whether this group's pages show what `source` holds, and in which wave `serve`
    /// re-renders them: the one declaration of which pages depend on which file.
    /// Pages outside every group (home, lists, indexes, region pages) and the files that
    /// are not pages (feeds, data files, search index) come with the full rebuild.
    pub fn shows(self, site: &Site, source: Source) -> Option<Wave> {
        match (self, source) {
            (Group::Country(ci), Source::Answers { country, .. }) if ci == country => {
                Some(Wave::Own)
            }
            (Group::Topic(ti), Source::Answers { edition, .. })
                if site.topics[ti]
                    .questions
                    .iter()
                    .any(|&(ei, _)| ei == edition) =>
            {
                Some(Wave::Compared)
            }
            (Group::Overview(_), Source::Answers { .. }) => Some(Wave::Compared),
            (Group::Document(di), Source::Document(changed)) if di == changed => Some(Wave::Own),
            _ => None,
        }
    }
}

/// Template values many pages share, made once per plan and language: every country's
/// card, the documents' cards (indexed like `site.documents`; a card no page of the plan
/// shows is left empty) and the documents about each country.
struct Shared {
    cards: Arc<Vec<Value>>,
    docs: Arc<Vec<Value>>,
    related: Vec<Vec<usize>>,
}

impl Shared {
    /// The shared values, with the cards of the documents `card_needed` names.
    fn new(site: &Site, t: &Strings, card_needed: impl Fn(usize) -> bool) -> Shared {
        let docs = site
            .documents
            .iter()
            .enumerate()
            .map(|(di, d)| {
                if card_needed(di) {
                    Value::from_serializable(&views::doc_card(site, d, t))
                } else {
                    Value::none()
                }
            })
            .collect();
        Shared {
            cards: Arc::new(country_cards(site, site.names(&t.lang))),
            docs: Arc::new(docs),
            related: related_documents(site),
        }
    }
}

/// Each country's index in `site.countries`, by slug.
fn country_index(site: &Site) -> HashMap<&str, usize> {
    site.countries
        .iter()
        .enumerate()
        .map(|(ci, c)| (c.slug.as_str(), ci))
        .collect()
}

/// The documents about each country (indexes into `site.documents`), in document order.
fn related_documents(site: &Site) -> Vec<Vec<usize>> {
    let country_index = country_index(site);
    let mut related: Vec<Vec<usize>> = vec![Vec::new(); site.countries.len()];
    for (di, d) in site.documents.iter().enumerate() {
        for slug in &d.meta.countries {
            if let Some(&ci) = country_index.get(slug.as_str()) {
                if related[ci].last() != Some(&di) {
                    related[ci].push(di);
                }
            }
        }
    }
    related
}

/// The pages of one group, in the language of `t` (before [`finish`]): the one place
/// both the full plan and [`plan_groups`] make them.
fn group_pages<'a>(
    site: &'a Site,
    t: &'a Strings,
    memo: &'a Memo,
    shared: &Shared,
    group: Group,
) -> Vec<Page<'a>> {
    match group {
        Group::Country(ci) => country_pages(
            site,
            t,
            memo,
            &shared.cards,
            &shared.docs,
            &shared.related[ci],
            ci,
        ),
        Group::Topic(ti) => topic_pages(site, t, ti),
        Group::Overview(si) => vec![overview_page(site, t, si)],
        Group::Document(di) => document_pages(site, t, memo, di, shared.docs[di].clone()),
    }
}

/// The pages of `groups` alone, in the language of `t`: what `serve` re-renders first
/// when one file changes (the groups that [`Group::shows`] it).
pub fn plan_groups<'a>(
    site: &'a Site,
    t: &'a Strings,
    prefix: &str,
    memo: &'a Memo,
    groups: &[Group],
) -> Vec<Page<'a>> {
    let related = related_documents(site);
    // Only the cards these pages show: a document's own, and those of the documents
    // about a country whose profile is made.
    let mut needed = vec![false; site.documents.len()];
    for g in groups {
        match *g {
            Group::Document(di) => needed[di] = true,
            Group::Country(ci) => related[ci].iter().for_each(|&di| needed[di] = true),
            Group::Topic(_) | Group::Overview(_) => {}
        }
    }
    let shared = Shared::new(site, t, |di| needed[di]);
    let mut pages: Vec<Page<'a>> = groups
        .iter()
        .flat_map(|&g| group_pages(site, t, memo, &shared, g))
        .collect();
    finish(&mut pages, t, prefix);
    pages
}

/// Every country's card in the language of `names`, as a template value, by country index.
fn country_cards(site: &Site, names: &crate::render::names::Names) -> Vec<Value> {
    site.countries
        .iter()
        .map(|c| Value::from_serializable(&views::country_card(c, names)))
        .collect()
}

/// Set each page's language (unless it has its own) and put it under the language's folder.
fn finish(pages: &mut [Page], t: &Strings, prefix: &str) {
    for p in pages {
        if p.lang.is_empty() {
            p.lang = t.lang.clone();
        }
        p.site_path = p.path.clone();
        p.path = format!("{prefix}{}", p.path);
    }
}

/// A topic's comparison page: every country's answer to it, side by side.
/// A row of a comparison page: one country's answer to one edition's wording.
#[derive(serde::Serialize)]
struct CompareRow<'a> {
    country: Link,
    edition: &'a str,
    number: u32,
    answer: views::AnswerBrief<'a>,
    answer_url: String,
    follow_up: Option<FollowUp<'a>>,
}

/// The answer to a yes/no question's "If yes, please provide link and detail".
#[derive(serde::Serialize)]
struct FollowUp<'a> {
    number: u32,
    detail_html: Option<&'a str>,
    no_answer: Option<&'a str>,
    url: String,
}

/// A topic's comparison page data: every country's rows, or on a site split by region
/// ([`split_by_region`]) the list of regions and, for region `only`, that region's rows.
fn topic_data(
    site: &Site,
    names: &crate::render::names::Names,
    topic: &crate::model::Topic,
    only: Option<usize>,
) -> Value {
    let section = &site.sections[topic.section];
    let split = split_by_region(site);
    let regions: Vec<Value> = if split {
        names
            .region_order
            .iter()
            .map(|&gi| {
                let g = &site.regions[gi];
                tera_map!({"name": names.regions[gi].text, "name_lang": names.regions[gi].lang, "url": urls::topic_region(&topic.key, &g.slug), "countries": g.countries.len(), "current": only == Some(gi)})
            })
            .collect()
    } else {
        Vec::new()
    };
    let countries: Vec<usize> = match only {
        Some(gi) => names.sorted(&site.regions[gi].countries),
        // The topic's own page of a split site lists regions, not rows.
        None if split => Vec::new(),
        None => names.country_order.clone(),
    };
    // The follow-up question of each wording, found once for all countries.
    let follow_ups: Vec<Option<&crate::content::Question>> = topic
        .questions
        .iter()
        .map(|&(ei, qi)| {
            let cat = &site.editions[ei].cat;
            let id = cat.questions[qi].id.as_str();
            cat.questions
                .iter()
                .find(|f| f.follow_up_of.as_deref() == Some(id))
        })
        .collect();
    let mut rows = Vec::new();
    let mut not_asked = Vec::new();
    for ci in countries {
        let c = &site.countries[ci];
        let mut found = false;
        for r in &c.responses {
            let Some((wi, &(ei, qi))) = topic
                .questions
                .iter()
                .enumerate()
                .find(|(_, &(ei, _))| site.editions[ei].id == r.edition)
            else {
                continue;
            };
            found = true;
            let ed = &site.editions[ei];
            let q = &ed.cat.questions[qi];
            // A yes/no question's "If yes, please provide link and detail" belongs beside it.
            let follow_up = follow_ups[wi].map(|f| {
                let a = r.answers.get(&f.id);
                FollowUp {
                    number: f.number,
                    detail_html: a.and_then(|a| a.detail_html.as_deref()),
                    no_answer: a.and_then(|a| a.no_answer.as_deref()),
                    url: urls::answer(c, &ed.id, &f.id),
                }
            });
            rows.push(CompareRow {
                country: Link {
                    url: urls::country(c),
                    text: names.country(ci).to_string(),
                },
                edition: &ed.id,
                number: q.number,
                answer: views::answer_brief(q, r.answers.get(&q.id)),
                answer_url: urls::answer(c, &ed.id, &q.id),
                follow_up,
            });
        }
        if !found {
            not_asked.push(Link {
                url: urls::country(c),
                text: names.country(ci).to_string(),
            });
        }
    }
    let wordings: Vec<Value> = topic
        .questions
        .iter()
        .map(|&(ei, qi)| {
            let ed = &site.editions[ei];
            let q = &ed.cat.questions[qi];
            tera_map!({"edition": ed.id, "edition_title": ed.cat.title, "number": q.number, "html": ed.question_html[qi], "note": q.note})
        })
        .collect();
    tera_map!({
        "key": topic.key, "label": topic.label, "kind": topic.kind.as_str(),
        "section": tera_map!({"title": section.title, "letter": section.letter, "url": urls::overview(&section.slug)}),
        "not_asked": not_asked,
        "wordings": wordings,
        "rows": rows,
        "regions": regions,
        "region": only.map(|gi| names.regions[gi].text.clone()),
        "topic_url": urls::topic(&topic.key),
    })
}

fn overview_page<'a>(site: &'a Site, t: &Strings, si: usize) -> Page<'a> {
    let s = &site.sections[si];
    let names = site.names(&t.lang);
    Page::new(
        urls::overview(&s.slug),
        "overview.html",
        "overview",
        t.fill("overview_title", &[("title", &s.title)]),
        t.fill("overview_description", &[("title", &s.title)]),
        move || overview_data(site, names, s),
    )
}

/// A section's overview: the yes/no matrix of every country, and directories of links.
fn overview_data(
    site: &Site,
    names: &crate::render::names::Names,
    s: &crate::model::TopicSection,
) -> Value {
    let latest_for = |topic, c| latest_answer(site, topic, c);
    let yes_no: Vec<&crate::model::Topic> = s
        .topics
        .iter()
        .map(|&t| &site.topics[t])
        .filter(|t| t.kind == QuestionKind::YesNo)
        .collect();
    let matrix_rows: Vec<Value> = names
        .country_order
        .iter()
        .map(|&ci| {
            let c = &site.countries[ci];
            let cells: Vec<Value> = yes_no
                .iter()
                .map(|t| match latest_for(t, c) {
                    Some((r, ei, qi)) => {
                        let ed = &site.editions[ei];
                        let qid = &ed.cat.questions[qi].id;
                        let mark = r.answers.get(qid).and_then(|a| a.mark).unwrap_or(Mark::Empty);
                        tera_map!({"mark": views::mark_view(mark), "url": urls::answer(c, &ed.id, qid), "edition": ed.id})
                    }
                    None => tera_map!({"mark": views::mark_view(Mark::NotAsked)}),
                })
                .collect();
            tera_map!({"country": Link { url: urls::country(c), text: names.country(ci).to_string() }, "cells": cells})
        })
        .collect();
    let directories: Vec<Value> = s
        .topics
        .iter()
        .map(|&t| &site.topics[t])
        .filter(|t| t.kind == QuestionKind::Links)
        .map(|t| {
            // A site split by region shows each directory as a link to its comparison
            // page, where every country's links are one region away.
            let listed = if split_by_region(site) {
                &[][..]
            } else {
                &names.country_order[..]
            };
            let entries: Vec<Value> = listed
                .iter()
                .filter_map(|&ci| {
                    let c = &site.countries[ci];
                    let (r, ei, qi) = latest_for(t, c)?;
                    let ed = &site.editions[ei];
                    let qid = &ed.cat.questions[qi].id;
                    let a = r.answers.get(qid);
                    Some(tera_map!({
                        "country": Link { url: urls::country(c), text: names.country(ci).to_string() },
                        "listing": a.map(|a| a.directory.as_slice()).unwrap_or_default(),
                        "number": ed.cat.questions[qi].number,
                        "detail_html": a.and_then(|a| a.detail_html.clone()),
                        "no_answer": a.and_then(|a| a.no_answer.clone()),
                        "url": urls::answer(c, &ed.id, qid),
                    }))
                })
                .collect();
            tera_map!({"label": t.label, "url": urls::topic(&t.key), "entries": entries})
        })
        .collect();
    let others: Vec<Link> = s
        .topics
        .iter()
        .map(|&t| &site.topics[t])
        .filter(|t| !matches!(t.kind, QuestionKind::YesNo | QuestionKind::Links))
        .map(|t| Link {
            url: urls::topic(&t.key),
            text: t.label.clone(),
        })
        .collect();
    let title = if s.letter.is_empty() {
        s.title.clone()
    } else {
        format!("{}. {}", s.letter, s.title)
    };
    tera_map!({
        "title": title,
        "columns": yes_no.iter().map(|t| Link { url: urls::topic(&t.key), text: t.label.clone() }).collect::<Vec<_>>(),
        "others": others,
        "matrix": matrix_rows,
        "directories": directories,
        "summarised": split_by_region(site),
    })
}

/// The newest response of `c` to an edition that asks `topic`, with the question's place.
fn latest_answer<'s>(
    site: &Site,
    topic: &crate::model::Topic,
    c: &'s crate::model::Country,
) -> Option<(&'s crate::model::Response, usize, usize)> {
    c.responses.iter().find_map(|r| {
        let &(ei, qi) = topic
            .questions
            .iter()
            .find(|&&(ei, _)| site.editions[ei].id == r.edition)?;
        Some((r, ei, qi))
    })
}

/// The first `n` words of `text`, with "…" when there were more. Reads only as far as it
/// needs: a report's text runs to thousands of words.
fn truncate_words(text: &str, n: usize) -> String {
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i == n {
            out.push('…');
            break;
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::truncate_words;

    #[test]
    fn summaries_keep_the_first_words_and_mark_a_cut() {
        assert_eq!(truncate_words("one  two\nthree", 3), "one two three");
        assert_eq!(truncate_words(" one two three four ", 2), "one two…");
        assert_eq!(truncate_words("", 30), "");
    }
}
