//! What templates see: small serialisable views built from the model. Each page gets only
//! what it shows, never the whole site.

use serde::Serialize;

use crate::content::{DocKind, Question, QuestionKind};
use crate::model::{AnswerView, Country, Document, Edition, Mark, Response, Site};

/// Where a page or anchor lives, relative to the output root (`countries/lao-pdr.html#q39`).
pub mod urls {
    use super::*;

    pub fn country(c: &Country) -> String {
        format!("countries/{}.html", c.slug)
    }
    /// The page holding a country's answers to one edition: the profile for the newest
    /// edition it answered, a page of its own for older ones.
    pub fn response(c: &Country, edition: &str) -> String {
        match c.responses.first() {
            Some(r) if r.edition == edition => country(c),
            _ => format!("countries/{}/{}.html", c.slug, edition),
        }
    }
    pub fn answer(c: &Country, edition: &str, qid: &str) -> String {
        format!("{}#{}", response(c, edition), qid)
    }
    pub fn topic(key: &str) -> String {
        format!("questions/{key}.html")
    }
    /// One region's answers to a topic, on a site whose comparison pages are split by
    /// region ([`crate::render::pages::REGION_SPLIT_OVER`]).
    pub fn topic_region(key: &str, region_slug: &str) -> String {
        format!("questions/{key}/{region_slug}.html")
    }
    pub fn overview(section_slug: &str) -> String {
        format!("overview/{section_slug}.html")
    }
    pub fn region(slug: &str) -> String {
        format!("countries/regions/{slug}.html")
    }
    pub fn grouping(slug: &str) -> String {
        format!("countries/groupings/{slug}.html")
    }
    pub fn document(d: &Document) -> String {
        format!("{}/{}.html", d.kind.dir(), d.slug)
    }
    /// The folder of the list of a kind's documents on one topic (`news/topics/<key>`):
    /// under `topics/`, so it cannot meet a year's folder (`news/2024`) or a document's
    /// (`news/<slug>.html`, `news/<slug>/part-2.html`).
    pub fn doc_topic_dir(kind: DocKind, key: &str) -> String {
        format!("{}/topics/{key}", kind.dir())
    }
    /// The folder of the list of a kind's documents about one country (`news/countries/<slug>`).
    pub fn doc_country_dir(kind: DocKind, slug: &str) -> String {
        format!("{}/countries/{slug}", kind.dir())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub url: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryCard {
    pub slug: String,
    pub url: String,
    /// The name in the page's language.
    pub name: String,
    /// The language of `name` when it is not the page's (a default-language name
    /// standing in for a missing translation).
    pub name_lang: Option<String>,
    pub official_name: String,
    pub iso3: String,
    pub region: Link,
    /// The language of the region's name when it is not the page's.
    pub region_lang: Option<String>,
    pub groupings: Vec<Link>,
    pub languages: Vec<String>,
    pub editions: Vec<String>,
}

/// Country `c`'s card, with its names as `names`' language writes them.
pub fn country_card(c: &Country, names: &crate::render::names::Names) -> CountryCard {
    let group_link = |name: &str, text: String, grouping: bool| {
        let slug = crate::slug::slugify(name);
        Link {
            url: if grouping {
                urls::grouping(&slug)
            } else {
                urls::region(&slug)
            },
            text,
        }
    };
    let name = names.of(c);
    let region = names.region(&c.info.region);
    CountryCard {
        slug: c.slug.clone(),
        url: urls::country(c),
        name: name.text.clone(),
        name_lang: name.lang.clone(),
        official_name: c.info.official_name.clone(),
        iso3: c.info.iso3.clone(),
        region: group_link(&c.info.region, region.text, false),
        region_lang: region.lang,
        groupings: c
            .info
            .groupings
            .iter()
            .map(|g| group_link(g, g.clone(), true))
            .collect(),
        languages: c.info.languages.clone(),
        editions: c.responses.iter().map(|r| r.edition.clone()).collect(),
    }
}

/// An answer's choice as shown: symbol, words and CSS class (colour is never the only cue).
#[derive(Debug, Clone, Serialize, Default)]
pub struct ChoiceView<'a> {
    pub class: &'static str,
    pub symbol: &'static str,
    /// Interface string key for the word ("mark_yes"), translated by the template.
    pub key: Option<String>,
    /// Text from content (an option or an Other text), shown as written.
    pub text: Option<&'a str>,
}

/// The interface string key naming a mark.
pub fn mark_key(mark: Mark) -> String {
    format!("mark_{}", mark.class().replace('-', "_"))
}

pub fn mark_view(mark: Mark) -> ChoiceView<'static> {
    ChoiceView {
        class: mark.class(),
        symbol: mark.symbol(),
        key: Some(mark_key(mark)),
        text: None,
    }
}

/// How an answer's choice reads: a translated word for recorded, inferred and missing
/// choices; the content's own words for options and Other texts.
fn choice_view(mark: Mark, a: &AnswerView) -> ChoiceView<'_> {
    let (key, text) = match mark {
        Mark::Option => (None, a.choice_label.as_deref()),
        Mark::Other => (Some("other_label".to_string()), a.other.as_deref()),
        m => (Some(mark_key(m)), None),
    };
    ChoiceView {
        class: mark.class(),
        symbol: mark.symbol(),
        key,
        text,
    }
}

/// An answer's choice, with "empty" for a choice question left unanswered.
fn answer_choice<'a>(q: &Question, answer: Option<&'a AnswerView>) -> Option<ChoiceView<'a>> {
    let choice = answer.and_then(|a| a.mark.map(|m| choice_view(m, a)));
    match (choice, q.kind.is_choice()) {
        (None, true) => Some(mark_view(Mark::Empty)),
        (c, _) => c,
    }
}

/// One answer on a country's page. Texts are borrowed from the model: they are copied
/// once, into the template context.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerItem<'a> {
    pub id: &'a str,
    pub number: u32,
    pub label: &'a str,
    pub question_html: &'a str,
    pub note: Option<&'a str>,
    pub kind: &'static str,
    pub choice: Option<ChoiceView<'a>>,
    pub inferred: Option<&'a str>,
    pub other: Option<&'a str>,
    pub detail_html: Option<&'a str>,
    pub no_answer: Option<&'a str>,
    pub reviewed: bool,
    pub editor_note: Option<&'a str>,
    /// Nothing to show: the page says "No answer" (never a contact notice).
    pub empty: bool,
    /// A personal-data question (name, e-mail).
    pub personal: bool,
    /// The response records a contact for this personal question: shown when contacts
    /// are published, else replaced by the "not published" notice. Without one, the
    /// question reads as unanswered like any other.
    pub contact_recorded: bool,
    /// The contact, when recorded and published.
    pub contact: Option<&'a str>,
    pub compare_url: String,
    pub follow_up_of: Option<&'a str>,
}

pub fn answer_item<'a>(
    site: &Site,
    ed: &'a Edition,
    qi: usize,
    answer: Option<&'a AnswerView>,
    resp: &'a Response,
) -> AnswerItem<'a> {
    let q = &ed.cat.questions[qi];
    let personal = q.kind.is_personal();
    let contact_recorded =
        personal && (resp.contacts.contains_key(&q.id) || resp.contacts_private.contains(&q.id));
    let contact = if contact_recorded && site.config.publish_contacts {
        resp.contacts.get(&q.id).map(String::as_str)
    } else {
        None
    };
    AnswerItem {
        id: &q.id,
        number: q.number,
        label: &q.label,
        question_html: &ed.question_html[qi],
        note: q.note.as_deref(),
        kind: q.kind.as_str(),
        choice: answer_choice(q, answer),
        inferred: answer.and_then(|a| a.inferred.as_deref()),
        other: answer.and_then(|a| a.other.as_deref()),
        detail_html: answer.and_then(|a| a.detail_html.as_deref()),
        no_answer: answer.and_then(|a| a.no_answer.as_deref()),
        reviewed: answer.is_some_and(|a| a.reviewed),
        editor_note: answer.and_then(|a| a.note.as_deref()),
        empty: if personal {
            !contact_recorded
        } else {
            is_empty(answer)
        },
        personal,
        contact_recorded,
        contact,
        // Personal questions have no comparison page: nothing of them is compared or published.
        compare_url: if personal {
            String::new()
        } else {
            urls::topic(&q.topic)
        },
        follow_up_of: q.follow_up_of.as_deref(),
    }
}

/// One answer in a row of a comparison page: only what the row shows.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerBrief<'a> {
    pub choice: Option<ChoiceView<'a>>,
    pub inferred: Option<&'a str>,
    pub other: Option<&'a str>,
    pub detail_html: Option<&'a str>,
    pub no_answer: Option<&'a str>,
    pub editor_note: Option<&'a str>,
    pub personal: bool,
}

pub fn answer_brief<'a>(q: &Question, answer: Option<&'a AnswerView>) -> AnswerBrief<'a> {
    AnswerBrief {
        choice: answer_choice(q, answer),
        inferred: answer.and_then(|a| a.inferred.as_deref()),
        other: answer.and_then(|a| a.other.as_deref()),
        detail_html: answer.and_then(|a| a.detail_html.as_deref()),
        no_answer: answer.and_then(|a| a.no_answer.as_deref()),
        editor_note: answer.and_then(|a| a.note.as_deref()),
        personal: q.kind.is_personal(),
    }
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Counts {
    pub yes: usize,
    pub no: usize,
    pub inferred: usize,
    pub unknown: usize,
    pub empty: usize,
    pub total: usize,
    /// Percentages for the bar, rounded; text carries the exact counts.
    pub yes_pct: usize,
    pub no_pct: usize,
    pub inferred_pct: usize,
    pub unknown_pct: usize,
    pub empty_pct: usize,
}

impl Counts {
    fn add(&mut self, mark: Mark) {
        match mark {
            Mark::Yes => self.yes += 1,
            Mark::No => self.no += 1,
            Mark::InferredYes | Mark::InferredNo => self.inferred += 1,
            Mark::Unknown => self.unknown += 1,
            Mark::Empty => self.empty += 1,
            _ => return,
        }
        self.total += 1;
    }
    fn finish(&mut self) {
        if self.total > 0 {
            let pct = |n: usize| n * 100 / self.total;
            self.yes_pct = pct(self.yes);
            self.no_pct = pct(self.no);
            self.inferred_pct = pct(self.inferred);
            self.unknown_pct = pct(self.unknown);
            self.empty_pct =
                100 - self.yes_pct - self.no_pct - self.inferred_pct - self.unknown_pct;
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionBlock<'a> {
    pub key: String,
    pub letter: String,
    pub title: String,
    pub note: Option<String>,
    pub anchor: String,
    pub answers: Vec<AnswerItem<'a>>,
    /// Yes/No questions only.
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseView<'a> {
    pub edition: String,
    pub edition_title: String,
    pub name_basis: String,
    pub source_document: String,
    pub source_file: Option<String>,
    pub respondent: Option<String>,
    pub time_to_complete: Option<String>,
    pub organisation: Option<String>,
    pub sections: Vec<SectionBlock<'a>>,
    /// Published questions with a recorded choice or a written answer (see [`tally`]).
    pub answered: usize,
    pub inferred: usize,
    pub not_recorded: usize,
    pub no_answer: usize,
    pub questions: usize,
    pub url: String,
}

/// An answer shows nothing: no choice, no text, and no reason for the missing answer.
fn is_empty(answer: Option<&AnswerView>) -> bool {
    answer.is_none_or(|a| a.is_empty() && a.no_answer.is_none())
}

/// How an answer counts in "N of M answered": only a recorded choice or a written answer
/// (text or an Other text) is an answer. A choice inferred by the editors, a choice the
/// export does not record, and a note that no answer was given are each counted apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    Answered,
    Inferred,
    NotRecorded,
    NoAnswer,
}

pub fn tally(answer: Option<&AnswerView>) -> Tally {
    match answer {
        Some(a) if a.detail_html.is_some() || a.other.is_some() => Tally::Answered,
        Some(a) if !a.choices.is_empty() && a.inferred.is_none() => Tally::Answered,
        Some(a) if !a.choices.is_empty() => Tally::Inferred,
        Some(a) if a.choice_unknown => Tally::NotRecorded,
        _ => Tally::NoAnswer,
    }
}

/// How many of a response's published questions have an answer (see [`tally`]).
pub fn answered_count(site: &Site, r: &Response) -> usize {
    site.edition(&r.edition)
        .cat
        .questions
        .iter()
        .filter(|q| !q.kind.is_personal() && tally(r.answers.get(&q.id)) == Tally::Answered)
        .count()
}

pub fn response_view<'a>(site: &'a Site, c: &Country, r: &'a Response) -> ResponseView<'a> {
    let ed = site
        .editions
        .iter()
        .find(|e| e.id == r.edition)
        .expect("validated edition");
    let (mut answered, mut inferred, mut not_recorded, mut no_answer) = (0, 0, 0, 0);
    let sections = ed
        .cat
        .sections
        .iter()
        .map(|s| {
            let mut counts = Counts::default();
            let answers: Vec<AnswerItem> = ed
                .cat
                .questions
                .iter()
                .enumerate()
                .filter(|(_, q)| q.section == s.key)
                .map(|(qi, q)| {
                    let a = r.answers.get(&q.id);
                    if q.kind == QuestionKind::YesNo {
                        counts.add(a.and_then(|a| a.mark).unwrap_or(Mark::Empty));
                    }
                    let item = answer_item(site, ed, qi, a, r);
                    if !item.personal {
                        match tally(a) {
                            Tally::Answered => answered += 1,
                            Tally::Inferred => inferred += 1,
                            Tally::NotRecorded => not_recorded += 1,
                            Tally::NoAnswer => no_answer += 1,
                        }
                    }
                    item
                })
                .collect();
            counts.finish();
            SectionBlock {
                key: s.key.clone(),
                letter: if s.key == "intro" {
                    String::new()
                } else {
                    s.key.clone()
                },
                title: crate::model::reader_title(&s.title).to_string(),
                note: s.note.clone(),
                anchor: format!("section-{}", s.key.to_lowercase()),
                answers,
                counts,
            }
        })
        .collect();
    ResponseView {
        edition: ed.id.clone(),
        edition_title: ed.cat.title.clone(),
        name_basis: ed.cat.name_basis.clone(),
        source_document: r.source.document.clone(),
        source_file: r.source.file.clone(),
        respondent: r.source.respondent.clone(),
        time_to_complete: r.source.time_to_complete.clone(),
        organisation: r.source.organisation.clone(),
        sections,
        answered,
        inferred,
        not_recorded,
        no_answer,
        questions: ed
            .cat
            .questions
            .iter()
            .filter(|q| !q.kind.is_personal())
            .count(),
        url: urls::response(c, &ed.id),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DocCard {
    pub title: String,
    pub url: String,
    pub kind: String,
    pub date_iso: String,
    pub date_display: String,
    pub date_basis: Option<String>,
    pub language: String,
    pub summary_html: Option<String>,
    pub publisher: String,
    pub source_url: Option<String>,
    pub countries: Vec<Link>,
    /// The document's topics by their labels, each linking to the list of its kind on
    /// that topic.
    pub topics: Vec<Link>,
}

pub fn doc_card(site: &Site, d: &Document, t: &crate::render::i18n::Strings) -> DocCard {
    DocCard {
        title: d.meta.title.clone(),
        url: urls::document(d),
        kind: match d.kind {
            DocKind::Report => t.get("kind_report").to_string(),
            DocKind::News => t.get("kind_news").to_string(),
        },
        date_iso: d.date.iso(),
        date_display: t.date(&d.date),
        date_basis: d.meta.date_basis.clone(),
        language: d.meta.language.clone(),
        summary_html: d.summary_html.clone(),
        publisher: d.meta.source.publisher.clone(),
        source_url: d.meta.source.url.clone(),
        countries: d
            .meta
            .countries
            .iter()
            .filter_map(|s| site.countries.iter().find(|c| &c.slug == s))
            .map(|c| Link {
                url: urls::country(c),
                text: site.names(&t.lang).of(c).text.clone(),
            })
            .collect(),
        topics: d
            .meta
            .topics
            .iter()
            .map(|key| Link {
                url: crate::render::pages::list_page_url(&urls::doc_topic_dir(d.kind, key), 1),
                text: site.doc_topic_label(key, &t.lang).to_string(),
            })
            .collect(),
    }
}
