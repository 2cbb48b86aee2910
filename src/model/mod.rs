//! The whole site in memory: editions, countries with their answers, topics shared across
//! editions, documents, and the derived cross-country indexes. Built once from validated
//! content; everything after this reads it and never changes it.

mod answer;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

pub use answer::{AnswerView, Mark};

use crate::content::PartialDate;
use crate::content::{
    Catalogue, Content, CountryInfo, DocKind, DocMeta, Provenance, Question, QuestionKind,
    SiteConfig,
};
use crate::markup::markdown;
use crate::slug::slugify;

/// A section title as readers see it: without the form's "[NEW]" marker, which says a
/// section is new in that edition (the catalogue keeps the form's title as it was).
pub fn reader_title(title: &str) -> &str {
    title
        .strip_suffix("[NEW]")
        .map(str::trim_end)
        .filter(|t| !t.is_empty())
        .unwrap_or(title)
}

#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    /// Absolute base URL, ending with `/`.
    pub base_url: String,
    /// The path part of the base URL (`/` or `/egov-profiles/`).
    pub base_path: String,
    /// Newest edition first.
    pub editions: Vec<Edition>,
    /// By name.
    pub countries: Vec<Country>,
    pub topics: Vec<Topic>,
    pub sections: Vec<TopicSection>,
    /// Newest first.
    pub documents: Vec<Document>,
    /// The documents' topic keys with their label in each language (`document-topics.yaml`).
    pub doc_topics: crate::content::DocTopicLabels,
    pub regions: Vec<Group>,
    pub groupings: Vec<Group>,
    /// Country and region names in each interface language, the default first.
    pub names: Vec<crate::render::names::Names>,
    pub static_files: Vec<(PathBuf, PathBuf)>,
    pub theme_dir: PathBuf,
    pub root: PathBuf,
}

impl Site {
    /// The edition with this id (ids in responses are checked by validation).
    pub fn edition(&self, id: &str) -> &Edition {
        self.editions
            .iter()
            .find(|e| e.id == id)
            .expect("validated edition id")
    }

    /// The label of the documents' topic `key` in `lang`. Validation makes sure that every
    /// key a document gives has one in every interface language.
    pub fn doc_topic_label<'a>(&'a self, key: &'a str, lang: &str) -> &'a str {
        self.doc_topics
            .get(key)
            .and_then(|l| l.get(lang).or_else(|| l.get(&self.config.language)))
            .map_or(key, String::as_str)
    }

    /// The country and region names of pages in `lang` (an interface language of the
    /// site; any other gets the default language's).
    pub fn names(&self, lang: &str) -> &crate::render::names::Names {
        self.names
            .iter()
            .find(|n| n.lang == lang)
            .unwrap_or(&self.names[0])
    }
}

#[derive(Debug)]
pub struct Edition {
    pub id: String,
    pub cat: Catalogue,
    index: HashMap<String, usize>,
    /// Each question's text rendered once.
    pub question_html: Vec<String>,
}

impl Edition {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.index.get(id).map(|&i| &self.cat.questions[i])
    }
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }
    pub fn section_title<'a>(&'a self, key: &'a str) -> &'a str {
        self.cat
            .sections
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.title.as_str())
            .unwrap_or(key)
    }
}

#[derive(Debug)]
pub struct Country {
    pub slug: String,
    pub info: CountryInfo,
    /// Newest edition first.
    pub responses: Vec<Response>,
}

#[derive(Debug)]
pub struct Response {
    pub edition: String,
    pub source: Provenance,
    pub contacts: BTreeMap<String, String>,
    /// Personal questions answered in the private contacts file (ids only).
    pub contacts_private: Vec<String>,
    /// By question id; questions without an entry were left empty.
    pub answers: HashMap<String, AnswerView>,
    pub file: PathBuf,
}

#[derive(Debug)]
pub struct Topic {
    pub key: String,
    pub label: String,
    pub kind: QuestionKind,
    /// Index into `Site::sections`.
    pub section: usize,
    /// (edition index, question index), newest edition first.
    pub questions: Vec<(usize, usize)>,
}

#[derive(Debug)]
pub struct TopicSection {
    pub slug: String,
    pub letter: String,
    pub title: String,
    pub topics: Vec<usize>,
}

#[derive(Debug)]
pub struct Document {
    pub kind: DocKind,
    pub slug: String,
    pub meta: DocMeta,
    pub date: PartialDate,
    /// Headings of the body, for the table of contents.
    pub toc: Vec<markdown::TocEntry>,
    /// The body without markup, for search and descriptions.
    pub text: String,
    /// The body's HTML in page-sized parts (one part for most documents).
    pub parts: crate::markup::split::Parts,
    /// The whole body on one page (its links all within the page), when it is in more
    /// than one part: the single-page and print view beside the parts.
    pub whole_html: Option<String>,
    pub summary_html: Option<String>,
    /// The summary without markup (JSON-LD descriptions, search).
    pub summary_text: Option<String>,
    pub file: PathBuf,
}

#[derive(Debug)]
pub struct Group {
    pub slug: String,
    pub name: String,
    /// Indexes into `Site::countries`.
    pub countries: Vec<usize>,
}

/// Normalise a base URL and split off its path.
pub fn base_parts(url: &str) -> (String, String) {
    let mut abs = url.trim().to_string();
    if !abs.ends_with('/') {
        abs.push('/');
    }
    let after_scheme = abs.find("://").map(|i| i + 3).unwrap_or(0);
    let path = abs[after_scheme..]
        .find('/')
        .map(|i| abs[after_scheme + i..].to_string())
        .unwrap_or_else(|| "/".into());
    (abs, path)
}

/// Build the model from content that passed validation.
pub fn build(content: Content, base_url_override: Option<&str>) -> Site {
    let config = content.site.value.clone();
    let (base_url, base_path) = base_parts(base_url_override.unwrap_or(&config.base_url));

    let mut editions: Vec<Edition> = content
        .catalogues
        .into_iter()
        .map(|c| {
            let cat = c.value;
            let index = cat
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| (q.id.clone(), i))
                .collect();
            let question_html = cat
                .questions
                .iter()
                .map(|q| markdown::render(&q.text, markdown::ANSWER).html)
                .collect();
            Edition {
                id: cat.id.clone(),
                cat,
                index,
                question_html,
            }
        })
        .collect();
    editions.sort_by(|a, b| b.id.cmp(&a.id));
    let edition_pos: HashMap<String, usize> = editions
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i))
        .collect();

    let mut countries: Vec<Country> = content
        .countries
        .into_par_iter()
        .filter_map(|cf| {
            let info = cf.info?.value;
            let mut responses: Vec<Response> = cf
                .answers
                .into_iter()
                .map(|af| {
                    let ed = &editions[edition_pos[&af.value.edition]];
                    response(ed, af)
                })
                .collect();
            responses.sort_by(|a, b| b.edition.cmp(&a.edition));
            Some(Country {
                slug: cf.slug,
                info,
                responses,
            })
        })
        .collect();
    countries.sort_by(|a, b| a.info.name.cmp(&b.info.name).then(a.slug.cmp(&b.slug)));

    let (topics, sections) = build_topics(&editions);

    let mut documents: Vec<Document> = content.documents.into_par_iter().map(document).collect();
    documents.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(a.kind.cmp(&b.kind))
            .then(a.slug.cmp(&b.slug))
    });

    let doc_topics = content.doc_topics.map(|l| l.value).unwrap_or_default();
    let regions = groups(&countries, |c| vec![c.info.region.clone()]);
    let groupings = groups(&countries, |c| c.info.groupings.clone());
    let static_dir = PathBuf::from("content/static");
    let static_files = content
        .static_files
        .into_iter()
        .map(|rel| (content.root.join(&static_dir).join(&rel), rel))
        .collect();
    let theme_dir = content.root.join("themes").join(&config.theme);
    let names = config
        .all_languages()
        .iter()
        .map(|lang| {
            crate::render::names::Names::new(
                &countries,
                &regions,
                &groupings,
                &config.language,
                lang,
            )
        })
        .collect();

    Site {
        config,
        base_url,
        base_path,
        editions,
        countries,
        topics,
        sections,
        documents,
        doc_topics,
        regions,
        groupings,
        names,
        static_files,
        theme_dir,
        root: content.root,
    }
}

/// One document as the model holds it: its Markdown rendered, split into page-sized
/// parts, its summary rendered.
pub fn document(d: crate::content::LoadedDoc) -> Document {
    let date = PartialDate::from_value(&d.meta.value.date).unwrap_or(PartialDate {
        year: 0,
        month: None,
        day: None,
    });
    let body = markdown::render(&d.body, markdown::DOCUMENT);
    let budget = crate::markup::split::PART_BUDGET;
    let whole_html = (body.html.len() > budget).then(|| body.html.clone());
    let parts = crate::markup::split::split(&d.slug, body.html, budget);
    let whole_html = whole_html
        .filter(|_| parts.html.len() > 1)
        .map(|h| crate::markup::split::one_folder_down(&h));
    let (summary_html, summary_text) = match d.meta.value.summary.as_deref() {
        Some(s) => {
            let r = markdown::render(s, markdown::ANSWER);
            (Some(r.html), Some(r.text))
        }
        None => (None, None),
    };
    Document {
        kind: d.kind,
        slug: d.slug,
        meta: d.meta.value,
        date,
        toc: body.toc,
        text: body.text,
        parts,
        whole_html,
        summary_html,
        summary_text,
        file: d.meta.file,
    }
}

/// One answers file as the model holds it (`ed` is the edition the file answers).
pub fn response(ed: &Edition, af: crate::content::Loaded<crate::content::AnswerFile>) -> Response {
    let v = af.value;
    let answers = v
        .answers
        .into_iter()
        .filter_map(|(qid, a)| {
            let q = ed.question(&qid)?;
            Some((qid, AnswerView::new(q, a)))
        })
        .collect();
    Response {
        edition: v.edition,
        source: v.source,
        contacts: v.contacts,
        contacts_private: v.contacts_private,
        answers,
        file: af.file,
    }
}

fn groups(countries: &[Country], names: impl Fn(&Country) -> Vec<String>) -> Vec<Group> {
    let mut map: BTreeMap<String, Group> = BTreeMap::new();
    for (i, c) in countries.iter().enumerate() {
        for name in names(c) {
            let slug = slugify(&name);
            map.entry(slug.clone())
                .or_insert_with(|| Group {
                    slug,
                    name,
                    countries: Vec::new(),
                })
                .countries
                .push(i);
        }
    }
    map.into_values().collect()
}

/// Topics across editions, grouped into sections in questionnaire order (section letter,
/// newest edition first), so the same subject compares side by side.
fn build_topics(editions: &[Edition]) -> (Vec<Topic>, Vec<TopicSection>) {
    let mut topics: Vec<Topic> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut sections: Vec<TopicSection> = Vec::new();
    let mut section_by_title: HashMap<String, usize> = HashMap::new();
    for (ei, ed) in editions.iter().enumerate() {
        for (qi, q) in ed.cat.questions.iter().enumerate() {
            if q.kind.is_personal() {
                continue;
            }
            if let Some(&t) = by_key.get(&q.topic) {
                topics[t].questions.push((ei, qi));
                continue;
            }
            let raw = ed.section_title(&q.section);
            let title = reader_title(raw).to_string();
            let s = *section_by_title.entry(raw.to_string()).or_insert_with(|| {
                sections.push(TopicSection {
                    // From the form's own title, so addresses stay as they were.
                    slug: slugify(raw),
                    letter: if q.section == "intro" {
                        String::new()
                    } else {
                        q.section.clone()
                    },
                    title,
                    topics: Vec::new(),
                });
                sections.len() - 1
            });
            by_key.insert(q.topic.clone(), topics.len());
            sections[s].topics.push(topics.len());
            topics.push(Topic {
                key: q.topic.clone(),
                label: q.label.clone(),
                kind: q.kind,
                section: s,
                questions: vec![(ei, qi)],
            });
        }
    }
    // Stable order: intro first, then by letter; within a letter, newest edition first.
    let mut order: Vec<usize> = (0..sections.len()).collect();
    order.sort_by(|&a, &b| sections[a].letter.cmp(&sections[b].letter).then(a.cmp(&b)));
    let mut remap = vec![0; sections.len()];
    for (new, &old) in order.iter().enumerate() {
        remap[old] = new;
    }
    for t in &mut topics {
        t.section = remap[t.section];
    }
    let mut sorted: Vec<Option<TopicSection>> = sections.into_iter().map(Some).collect();
    let mut slugs: HashMap<String, usize> = HashMap::new();
    let sections = order
        .iter()
        .map(|&i| {
            let mut s = sorted[i].take().expect("each section once");
            let n = slugs.entry(s.slug.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                s.slug = format!("{}-{}", s.slug, n);
            }
            s
        })
        .collect();
    (topics, sections)
}

#[cfg(test)]
mod reader_title_tests {
    use super::reader_title;

    #[test]
    fn the_forms_new_marker_is_dropped_and_nothing_else() {
        assert_eq!(
            reader_title("Crisis/Emergency Response and Recovery [NEW]"),
            "Crisis/Emergency Response and Recovery"
        );
        assert_eq!(reader_title("Legal Framework"), "Legal Framework");
        assert_eq!(reader_title("[NEW]"), "[NEW]");
        assert_eq!(reader_title("A [NEW] section"), "A [NEW] section");
    }
}
