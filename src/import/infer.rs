//! Whether the detail given in a follow-up question shows that a Yes/No question the export
//! does not record was answered "yes".
//!
//! The importer asks this only of follow-ups the form asks after a "yes" (catalogue
//! `follow_up_asked: if_yes`). Even then a detail does not always mean "yes": respondents
//! also describe laws and strategies that are being drafted, planned or considered, or say
//! there is none. [`judge`] splits the detail into statements and reads each one:
//!
//! - a statement that speaks of a draft, a plan or an intention ("being drafted", "not yet
//!   adopted", "is expected to") or of an absence ("there is no") is not evidence of a "yes";
//! - for a question about legislation, a statement is evidence only when it names a legal
//!   instrument or a policy (a law, decree, article, regulation, policy...): a platform or a
//!   strategic plan is not;
//! - for other questions, any other statement is evidence.
//!
//! With evidence and no such statement the detail gives "yes"; with evidence and such a
//! statement too it gives "yes" flagged for review (borderline); with no evidence but such a
//! statement the choice stays unknown. The matching is by words and phrases, so it is a
//! first reading for a person to check, never a final one.

/// What a follow-up detail says about its Yes/No question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The detail shows a "yes". `borderline`: a phrase of the detail that speaks of a draft,
    /// plan or absence, so a person should check the inference.
    Yes { borderline: Option<String> },
    /// The detail speaks only of drafts, plans or intentions (`phrase` is one of them).
    Draft { phrase: String },
    /// The detail says there is none (`phrase`).
    None { phrase: String },
}

/// Phrases of a draft, a plan or an intention (matched in lowercase, at word starts).
const DRAFT: &[&str] = &[
    "draft",
    "being prepared",
    "being developed",
    "being considered",
    "being discussed",
    "being reviewed",
    "under development",
    "under preparation",
    "under consideration",
    "under discussion",
    "under review",
    "in the process of",
    "on the process",
    "in process",
    "planned",
    "planning to",
    "plans to",
    "intends to",
    "intend to",
    "intention",
    "expected to",
    "will be adopted",
    "will be issued",
    "will be approved",
    "will be enacted",
    "will be promulgated",
    "will be developed",
    "will be drafted",
    "will be submitted",
    "to be adopted",
    "to be issued",
    "to be approved",
    "to be enacted",
    "to be promulgated",
    "to be submitted",
    "not yet",
    "proposed",
    "considering",
    "preparing",
];

/// Phrases saying that there is none.
const ABSENT: &[&str] = &[
    "there is no ",
    "there are no ",
    "there is not ",
    "there are not ",
    "does not have ",
    "do not have ",
    "not available",
    "no specific ",
    "no dedicated ",
    "no law",
    "no legislation",
];

/// Words naming a legal instrument (matched as whole words, lowercase).
const LEGAL: &[&str] = &[
    "law",
    "laws",
    "act",
    "acts",
    "decree",
    "decrees",
    "sub-decree",
    "subdecree",
    "regulation",
    "regulations",
    "code",
    "article",
    "articles",
    "circular",
    "circulars",
    "ordinance",
    "legislation",
    "resolution",
    "decision",
    "constitution",
    "directive",
    "prakas",
    "policy",
    "policies",
];

/// Whether the Yes/No question asks about legislation.
pub fn is_about_legislation(question: &str) -> bool {
    let q = question.to_lowercase();
    q.contains("legislation") || q.contains("law or regulation") || q.contains("law, regulation")
}

/// Read `detail` (a follow-up's answer) for the Yes/No question whose text is `question`.
pub fn judge(question: &str, detail: &str) -> Verdict {
    let legal = is_about_legislation(question);
    let mut evidence = false;
    let mut draft: Option<String> = None;
    let mut absent: Option<String> = None;
    for s in statements(detail) {
        let lower = format!(" {} ", without_links(&s).to_lowercase());
        if let Some(p) = find_phrase(&lower, DRAFT) {
            draft.get_or_insert(p);
            continue;
        }
        if let Some(p) = find_phrase(&lower, ABSENT) {
            absent.get_or_insert(p);
            continue;
        }
        if !legal || names_instrument(&lower) {
            evidence = true;
        }
    }
    match (evidence, draft, absent) {
        (true, d, a) => Verdict::Yes {
            borderline: d.or(a),
        },
        (false, Some(phrase), _) => Verdict::Draft { phrase },
        (false, None, Some(phrase)) => Verdict::None { phrase },
        // A detail about legislation that names no instrument and no draft (a bare link,
        // a description): read as given in answer to "If yes".
        (false, None, None) => Verdict::Yes { borderline: None },
    }
}

/// The statements of a detail: its lines, cut further at inline list markers (" - ",
/// " • ") and at sentence ends.
fn statements(detail: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in detail.lines() {
        let mut rest = line.trim();
        let mut parts: Vec<&str> = Vec::new();
        while let Some((i, m)) = [" - ", " • "]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| (i, m.len())))
            .min()
        {
            parts.push(&rest[..i]);
            rest = &rest[i + m..];
        }
        parts.push(rest);
        for p in parts {
            for sentence in sentences(p) {
                let t = sentence
                    .trim()
                    .trim_start_matches(['-', '•', '*'])
                    .trim()
                    .to_string();
                if !t.is_empty() {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// `s` cut after ". " or "> " when a capital letter follows (not after "No." or a single
/// letter).
fn sentences(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = s.as_bytes();
    let mut i = 0;
    while i + 2 < b.len() {
        // A full stop, or a link's closing ">" (a sentence often ends with a link).
        if matches!(b[i], b'.' | b'>') && b[i + 1] == b' ' && b[i + 2].is_ascii_uppercase() {
            let word_start = s[..i].rfind(' ').map(|k| k + 1).unwrap_or(0);
            let word = &s[word_start..i];
            let abbreviation = b[i] == b'.'
                && (word.len() <= 2 || matches!(word.to_ascii_lowercase().as_str(), "no" | "art"));
            if !abbreviation {
                out.push(&s[start..=i]);
                start = i + 2;
            }
        }
        i += 1;
    }
    out.push(&s[start..]);
    out
}

/// `s` without its links (`<...>`, words starting with `http` or `www.`): a link's words
/// ("Box-Draft") say nothing about the statement.
fn without_links(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        match rest[i..].find('>') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.split(' ')
        .filter(|w| {
            let w = w.to_ascii_lowercase();
            !(w.starts_with("http") || w.starts_with("www."))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first of `phrases` found in `lower` (which has a space at both ends) at a word start.
fn find_phrase(lower: &str, phrases: &[&str]) -> Option<String> {
    phrases
        .iter()
        .filter_map(|p| {
            let mut from = 0;
            while let Some(k) = lower[from..].find(p) {
                let at = from + k;
                let before = lower[..at].chars().next_back();
                if before.is_none_or(|c| !c.is_alphanumeric()) {
                    return Some((at, p.trim().to_string()));
                }
                from = at + p.len();
            }
            None
        })
        .min()
        .map(|(_, p)| p)
}

fn names_instrument(lower: &str) -> bool {
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .any(|w| LEGAL.contains(&w.trim_matches('-')))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAW_Q: &str = "Is there any legislation, law or regulation on data privacy?";

    #[test]
    fn drafts_alone_are_not_a_yes() {
        assert_eq!(
            judge(
                LAW_Q,
                "The law on access to information is already drafted, but not yet adopted.\nhttp://a2i.info.gov.kh/x.pdf"
            ),
            Verdict::Draft {
                phrase: "draft".into()
            }
        );
        // A platform in operation is not legislation.
        assert!(matches!(
            judge(LAW_Q, "- The creation of law on X is one of the actions in the draft policy framework - CamDX, https://camdx.gov.kh/, is already on operation."),
            Verdict::Draft { .. }
        ));
    }

    #[test]
    fn a_law_in_force_beside_a_draft_is_a_yes_to_check() {
        assert_eq!(
            judge(LAW_Q, "- The creation of law on data protection is one of the actions in the draft policy framework - Law on e-commerce has an article on data protection (article 32)"),
            Verdict::Yes { borderline: Some("draft".into()) }
        );
        assert_eq!(
            judge(
                LAW_Q,
                "Decree No. 13/2023/ND-CP on personal data protection."
            ),
            Verdict::Yes { borderline: None }
        );
    }

    #[test]
    fn absence_is_not_a_yes() {
        assert_eq!(
            judge(LAW_Q, "There is no specific law yet."),
            Verdict::None {
                phrase: "there is no".into()
            }
        );
    }

    #[test]
    fn other_questions_take_any_statement_as_evidence() {
        let q = "Is there a national portal addressing crisis?";
        assert_eq!(
            judge(q, "Portal: https://covid19.gov.vn/"),
            Verdict::Yes { borderline: None }
        );
        assert!(matches!(
            judge(q, "A portal is planned for 2024."),
            Verdict::Draft { .. }
        ));
    }

    #[test]
    fn sentences_split_at_full_stops_not_numbers() {
        assert_eq!(
            sentences("Decree No. 85 is in force. A law is being drafted."),
            vec!["Decree No. 85 is in force.", "A law is being drafted."]
        );
    }
}
