//! The typed shape of every content file, as staff write it (see docs/content-format.md).
//!
//! Unknown fields are refused so a typo (`choise:`) is an error, not a silently lost answer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// Languages of the interface, each built under `/<lang>/` (the default at the root).
    /// Empty means only `language`.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    pub licence: String,
    pub source: String,
    #[serde(default)]
    pub publish_contacts: bool,
    /// Files in the output folder that the build does not produce but must keep (e.g. CNAME).
    #[serde(default)]
    pub keep_files: Vec<String>,
    /// Who publishes the site: named in the header, the footer and every citation.
    #[serde(default)]
    pub publisher: Option<Publisher>,
    /// The publisher's mark shown in the header: a file of `content/static/` or of the
    /// theme's `static/`, by its path there (`logo.svg`).
    #[serde(default)]
    pub logo: Option<String>,
    /// The browser tab's icon, found as `logo` is.
    #[serde(default)]
    pub favicon: Option<String>,
    /// The colour of links and the theme's marks, `#rrggbb` or `#rgb`; it must reach 4.5:1
    /// against white so that links stay readable.
    #[serde(default)]
    pub accent: Option<String>,
}

/// `publisher:` in `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    pub name: String,
    /// The publisher's own web address, when it is known.
    #[serde(default)]
    pub url: Option<String>,
}

impl SiteConfig {
    /// The interface languages, the default first.
    pub fn all_languages(&self) -> Vec<String> {
        let mut out = vec![self.language.clone()];
        out.extend(
            self.languages
                .iter()
                .filter(|l| **l != self.language)
                .cloned(),
        );
        out
    }
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}

/// `content/questionnaires/<edition>.yaml`: one questionnaire edition.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub id: String,
    pub title: String,
    /// What the edition's name rests on.
    pub name_basis: String,
    pub sections: Vec<Section>,
    pub questions: Vec<Question>,
    /// Form text printed after the last question.
    #[serde(default)]
    pub trailer: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// `intro` for the questions before section A, else the section letter.
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub number: u32,
    pub id: String,
    pub section: String,
    pub topic: String,
    pub label: String,
    pub kind: QuestionKind,
    pub text: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub before: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub other: bool,
    #[serde(default)]
    pub follow_up_of: Option<String>,
    /// For a follow-up (`follow_up_of`): whether the form asks it only after a "yes"
    /// (its wording says "If yes, ...") or whatever the choice. The importer infers a "yes"
    /// from a detail only when the follow-up is asked only after "yes".
    #[serde(default)]
    pub follow_up_asked: Option<FollowUpAsked>,
}

/// When the form asks a follow-up question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpAsked {
    /// Only after "yes" ("If yes, please provide ...").
    IfYes,
    /// Whatever the choice (no "If yes" in its wording, or required for every respondent).
    Always,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Country,
    PersonName,
    Email,
    Text,
    Links,
    YesNo,
    SingleChoice,
    MultipleChoice,
}

impl QuestionKind {
    pub fn is_choice(self) -> bool {
        matches!(
            self,
            QuestionKind::YesNo | QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        )
    }
    /// Personal data: kept in the `contacts` block, published only with `publish_contacts`.
    pub fn is_personal(self) -> bool {
        matches!(self, QuestionKind::PersonName | QuestionKind::Email)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Country => "country",
            QuestionKind::PersonName => "person_name",
            QuestionKind::Email => "email",
            QuestionKind::Text => "text",
            QuestionKind::Links => "links",
            QuestionKind::YesNo => "yes_no",
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
        }
    }
}

/// `content/countries/<slug>/country.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CountryInfo {
    /// The short name in the site's default language.
    pub name: String,
    /// The short name in other interface languages (`fr: Viet Nam`), where it should not
    /// be the UN's M49 name for that language.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    pub official_name: String,
    pub iso3: String,
    pub region: String,
    #[serde(default)]
    pub groupings: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Fields a person still has to fill or check (written by the importer).
    #[serde(default)]
    pub to_review: Vec<String>,
    /// Whether the government agreed to the publication of its answers (shown by
    /// `egovsite review`; see the staff guide, "Consent to publish").
    #[serde(default)]
    pub consent: Option<Consent>,
}

/// `consent:` in `country.yaml`: the government's agreement to publish its answers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub status: ConsentStatus,
    /// When it was given, refused or asked for.
    #[serde(default)]
    pub date: Option<DateValue>,
    /// Where the written record is kept (a letter's reference, an e-mail's subject and
    /// date); no names or addresses.
    #[serde(default)]
    pub record: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    /// The government agreed in writing.
    Given,
    /// Asked, no answer yet.
    Asked,
    /// The government declined.
    Refused,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub name: String,
    pub year: i32,
    pub value: f64,
    pub source: String,
}

/// `content/countries/<slug>/<edition>.yaml`: one country's answers to one edition.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerFile {
    pub edition: String,
    /// The export was incomplete (questions missing, for example a truncated file) and was
    /// imported with `--allow-partial`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    pub source: Provenance,
    /// Personal data keyed by question id; published only with `publish_contacts: true`.
    /// Filled from the private contacts file (`<edition>.contacts.yaml`, never committed).
    #[serde(default)]
    pub contacts: BTreeMap<String, String>,
    /// The personal-data questions (name, e-mail) the respondent answered, whose answers are
    /// kept in the private contacts file: ids only, no personal data. A page shows "not
    /// published" for them even where the private file is absent (as on GitHub Pages),
    /// instead of "no answer".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts_private: Vec<String>,
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub document: String,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub respondent: Option<String>,
    #[serde(default)]
    pub time_to_complete: Option<String>,
    #[serde(default)]
    pub organisation: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<Choice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    /// Why the choice was inferred (the export did not record it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// What the respondent wrote instead of an answer ("No data", "n/a").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_answer: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reviewed: bool,
    /// An editorial note by the site's staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Choice {
    One(String),
    Many(Vec<String>),
}

impl Choice {
    pub fn values(&self) -> Vec<&str> {
        match self {
            Choice::One(s) => vec![s.as_str()],
            Choice::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Choice::One(s) if s == "unknown")
    }
}

/// Front matter of `content/reports/*.md` and `content/news/*.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocMeta {
    pub title: String,
    pub date: DateValue,
    /// Why the date is what it is, when the source does not print it.
    #[serde(default)]
    pub date_basis: Option<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    pub language: String,
    pub source: DocSource,
    /// English summary written by the site's editors.
    #[serde(default)]
    pub summary: Option<String>,
}

/// `content/document-topics.yaml`: each topic key that reports and news give in `topics:`,
/// with its label in each interface language (`one-stop-shops: {en: One-stop shops, fr:
/// Guichets uniques}`). Readers see the labels, never the keys.
pub type DocTopicLabels = BTreeMap<String, BTreeMap<String, String>>;

/// `date: 2022` is a number in YAML, `date: 2022-08` a string: accept both.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum DateValue {
    Year(i64),
    Text(String),
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocSource {
    pub publisher: String,
    #[serde(default)]
    pub url: Option<String>,
}
