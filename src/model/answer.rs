//! One answer as the site shows it: the choice stated plainly (recorded, inferred or not
//! recorded), the detail rendered once, as the plain text it was typed as (never as
//! Markdown: see `markup::answer_text`).

use crate::content::{Answer, Choice, Question, QuestionKind};
use crate::markup::answer_text;

/// How an answer's choice reads in a matrix cell: a symbol and a word, never colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Yes,
    No,
    InferredYes,
    InferredNo,
    Unknown,
    Option,
    Other,
    Empty,
    NotAsked,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Yes => "✓",
            Mark::No => "✗",
            Mark::InferredYes => "(✓)",
            Mark::InferredNo => "(✗)",
            Mark::Unknown => "?",
            Mark::Option | Mark::Other => "•",
            Mark::Empty => "–",
            Mark::NotAsked => "",
        }
    }
    pub fn word(self) -> &'static str {
        match self {
            Mark::Yes => "Yes",
            Mark::No => "No",
            Mark::InferredYes => "Inferred: yes",
            Mark::InferredNo => "Inferred: no",
            Mark::Unknown => "Not recorded",
            Mark::Option => "Selected",
            Mark::Other => "Other",
            Mark::Empty => "No answer",
            Mark::NotAsked => "Not asked",
        }
    }
    pub fn class(self) -> &'static str {
        match self {
            Mark::Yes => "yes",
            Mark::No => "no",
            Mark::InferredYes => "inferred-yes",
            Mark::InferredNo => "inferred-no",
            Mark::Unknown => "unknown",
            Mark::Option => "option",
            Mark::Other => "other",
            Mark::Empty => "empty",
            Mark::NotAsked => "not-asked",
        }
    }
}

#[derive(Debug, Clone)]
pub struct AnswerView {
    pub mark: Option<Mark>,
    /// The choice in words: "Yes", "Not recorded", "Inferred: yes", "Five-year".
    pub choice_label: Option<String>,
    pub choices: Vec<String>,
    /// The export does not record which option was selected.
    pub choice_unknown: bool,
    pub inferred: Option<String>,
    pub other: Option<String>,
    /// The written answer as HTML: paragraphs, line breaks, typed lists, links.
    pub detail_html: Option<String>,
    /// The written answer as a reader sees it, line breaks kept (search, CSV, JSON).
    pub detail_text: Option<String>,
    /// For a question asking for addresses: each typed address with the name beside it.
    pub directory: Vec<crate::markup::directory::Entry>,
    pub no_answer: Option<String>,
    pub reviewed: bool,
    pub note: Option<String>,
}

impl AnswerView {
    pub fn new(q: &Question, a: Answer) -> AnswerView {
        let detail = a
            .text
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(answer_text::render);
        let directory = match (&q.kind, a.text.as_deref()) {
            (QuestionKind::Links, Some(t)) => crate::markup::directory::entries(t),
            _ => Vec::new(),
        };
        let choices: Vec<String> = a
            .choice
            .as_ref()
            .map(|c| {
                c.values()
                    .into_iter()
                    .filter(|v| *v != "unknown")
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let unknown = a.choice.as_ref().is_some_and(Choice::is_unknown);
        let inferred = a.inferred.is_some();
        let (mark, label) = if !q.kind.is_choice() {
            (None, None)
        } else if unknown && a.other.is_none() {
            (Some(Mark::Unknown), Some("Not recorded".to_string()))
        } else if q.kind == QuestionKind::YesNo && !choices.is_empty() {
            let yes = choices[0] == "yes";
            let mark = match (yes, inferred) {
                (true, false) => Mark::Yes,
                (false, false) => Mark::No,
                (true, true) => Mark::InferredYes,
                (false, true) => Mark::InferredNo,
            };
            (Some(mark), Some(mark.word().to_string()))
        } else if !choices.is_empty() {
            let words = choices.join("; ");
            let label = if inferred {
                format!("Inferred: {words}")
            } else {
                words
            };
            let label = match &a.other {
                Some(o) => format!("{label}; Other: {o}"),
                None => label,
            };
            (Some(Mark::Option), Some(label))
        } else if let Some(o) = &a.other {
            (Some(Mark::Other), Some(format!("Other: {o}")))
        } else {
            (Some(Mark::Empty), Some("No answer".to_string()))
        };
        AnswerView {
            mark,
            choice_label: label,
            choices,
            choice_unknown: unknown,
            inferred: a.inferred,
            other: a.other,
            detail_text: detail.as_ref().map(|d| d.text.clone()),
            directory,
            detail_html: detail.map(|d| d.html),
            no_answer: a.no_answer,
            reviewed: a.reviewed,
            note: a.note,
        }
    }

    /// Whether the respondent gave anything at all.
    pub fn is_empty(&self) -> bool {
        self.detail_html.is_none()
            && self.other.is_none()
            && matches!(self.mark, None | Some(Mark::Empty))
    }
}
