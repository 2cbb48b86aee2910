//! Cross-checks of loaded content: everything a staff member can get wrong that the YAML
//! parser cannot see (unknown question ids, wrong kind of answer, bad dates, unknown
//! countries, duplicate slugs). Pure: reads [`Content`], returns diagnostics.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::content::{
    AnswerFile, Catalogue, Choice, Content, DateValue, DocTopicLabels, Loaded, LoadedDoc,
    PartialDate, QuestionKind,
};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::markup::markdown;
use crate::slug;

/// Problems of a Markdown text given as a YAML value (a summary, a question, an answer),
/// reported at the value with the line inside it.
fn markdown_field(file: &std::path::Path, at: Pos, field: &str, md: &str, out: &mut Diagnostics) {
    for p in markdown::problems(md) {
        let (line, _) = markdown::line_column(md, p.offset);
        let place = if md.contains('\n') {
            format!(" (line {line} of the text)")
        } else {
            String::new()
        };
        out.push(Diagnostic::new(
            file,
            at,
            format!("`{field}`{place}: {}", p.message),
            p.expected,
        ));
    }
}

/// A BCP 47 tag, checked for shape only: `en`, `vi`, `zh-Hant`, `pt-BR`.
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn expected_list(items: &[&str]) -> String {
    match items.len() {
        0 => "none is defined".to_string(),
        1..=8 => items
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", "),
        n => format!("`{}` … `{}` ({n} in all)", items[0], items[n - 1]),
    }
}

/// Check everything; an empty result means the content can be built.
pub fn validate(content: &Content) -> Vec<Diagnostic> {
    let mut out = Diagnostics::default();
    // Staff checks: mistakes that fit the format but are not what was meant.
    out.extend(crate::lint::check(content));
    check_site(content, &mut out);
    let mut editions: BTreeMap<&str, &Catalogue> = BTreeMap::new();
    for cat in &content.catalogues {
        check_catalogue(cat, &mut out);
        editions.insert(cat.value.id.as_str(), &cat.value);
    }
    let edition_ids: Vec<&str> = editions.keys().copied().collect();

    let mut iso_seen: HashMap<String, String> = HashMap::new();
    let country_slugs: HashSet<&str> = content.countries.iter().map(|c| c.slug.as_str()).collect();
    let mut group_names = GroupNames::default();
    for c in &content.countries {
        if let Err(why) = slug::check(&c.slug) {
            out.push(Diagnostic::file(
                &c.dir,
                format!("country folder name `{}` {why}", c.slug),
                "lowercase letters, digits and hyphens (e.g. `lao-pdr`)",
            ));
        }
        if slug::RESERVED.contains(&c.slug.as_str()) {
            out.push(Diagnostic::file(
                &c.dir,
                format!(
                    "country folder name `{}` is reserved for a site page",
                    c.slug
                ),
                "another slug",
            ));
        }
        match &c.info {
            // A country.yaml that exists but failed to load was already reported.
            None if content.root.join(&c.dir).join("country.yaml").exists() => {}
            None => out.push(Diagnostic::file(
                &c.dir.join("country.yaml"),
                "missing country.yaml",
                "a country.yaml with name, official_name, iso3 and region",
            )),
            Some(info) => {
                let v = &info.value;
                let iso_ok = v.iso3.len() == 3 && v.iso3.bytes().all(|b| b.is_ascii_uppercase());
                if !iso_ok {
                    out.push(Diagnostic::new(
                        &info.file,
                        info.spans.value("iso3"),
                        format!("`{}` is not an ISO 3166-1 alpha-3 code", v.iso3),
                        "three capital letters, e.g. `LAO`",
                    ));
                } else if let Some(other) = iso_seen.insert(v.iso3.clone(), c.slug.clone()) {
                    out.push(Diagnostic::new(
                        &info.file,
                        info.spans.value("iso3"),
                        format!(
                            "duplicate country: `{}` is also the code of `{other}`",
                            v.iso3
                        ),
                        "one folder per country",
                    ));
                }
                for field in [
                    ("name", &v.name),
                    ("official_name", &v.official_name),
                    ("region", &v.region),
                ] {
                    if field.1.trim().is_empty() {
                        out.push(Diagnostic::new(
                            &info.file,
                            info.spans.get(field.0),
                            format!("`{}` is empty", field.0),
                            "a value",
                        ));
                    }
                }
                let site_languages = content.site.value.all_languages();
                for (lang, name) in &v.names {
                    let at = info.spans.get(&format!("names.{lang}"));
                    if lang == &content.site.value.language {
                        out.push(Diagnostic::new(
                            &info.file,
                            at,
                            format!("`names` gives the name in `{lang}`, the site's default language"),
                            "the default language's name in `name`; `names` only for the site's other languages",
                        ));
                    } else if !site_languages.contains(lang) {
                        out.push(Diagnostic::new(
                            &info.file,
                            at,
                            format!("`names` gives a name in `{lang}`, which is not a language of the site"),
                            format!(
                                "one of the languages site.yaml lists: {}",
                                site_languages[1..].join(", ")
                            ),
                        ));
                    } else if name.trim().is_empty() {
                        out.push(Diagnostic::new(
                            &info.file,
                            info.spans.value(&format!("names.{lang}")),
                            format!("the name in `{lang}` is empty"),
                            "the country's short name in that language, or the line left out",
                        ));
                    }
                }
                for (i, lang) in v.languages.iter().enumerate() {
                    if !is_language_tag(lang) {
                        out.push(Diagnostic::new(
                            &info.file,
                            info.spans.get(&format!("languages.{i}")),
                            format!("`{lang}` is not a language tag"),
                            "a BCP 47 tag such as `lo` or `km`",
                        ));
                    }
                }
                for (i, ind) in v.indicators.iter().enumerate() {
                    if !ind.value.is_finite() {
                        out.push(Diagnostic::new(
                            &info.file,
                            info.spans.value(&format!("indicators.{i}.value")),
                            format!("indicator `{}` has the value {}", ind.name, ind.value),
                            "a finite number (leave out a year with no figure)",
                        ));
                    }
                }
                group_names.add("region", &v.region, info, "region".into());
                for (i, g) in v.groupings.iter().enumerate() {
                    group_names.add("grouping", g, info, format!("groupings.{i}"));
                }
            }
        }
        for af in &c.answers {
            check_answers(af, &editions, &edition_ids, &mut out);
        }
    }

    out.extend(group_names.problems);

    if let Some(labels) = &content.doc_topics {
        check_doc_topic_labels(labels, &content.site.value.all_languages(), &mut out);
    }
    let topic_keys = doc_topic_keys(content.doc_topics.as_ref().map(|l| &l.value));
    let mut doc_slugs: HashMap<(crate::content::DocKind, String), &std::path::Path> =
        HashMap::new();
    for d in &content.documents {
        let m = &d.meta;
        if let Some(first) = doc_slugs.insert((d.kind, d.slug.to_lowercase()), &m.file) {
            out.push(Diagnostic::file(
                &m.file,
                format!("duplicate slug `{}` (also {})", d.slug, first.display()),
                "one document per slug",
            ));
        }
        check_document(d, &country_slugs, &topic_keys, &mut out);
    }
    out.sorted()
}

/// The topic keys that have labels, for checking the documents' `topics:`.
pub fn doc_topic_keys(labels: Option<&DocTopicLabels>) -> BTreeSet<&str> {
    labels
        .map(|l| l.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The labels of the documents' topic keys: every key a slug (documents write it and page
/// addresses are made of it), a label in each of the site's interface languages (readers
/// must never be shown the bare key), none empty, and no two keys read alike in one
/// language (readers could not tell their lists apart).
fn check_doc_topic_labels(
    labels: &Loaded<DocTopicLabels>,
    languages: &[String],
    out: &mut Diagnostics,
) {
    let file = &labels.file;
    let mut seen: HashMap<(&str, String), &str> = HashMap::new();
    for (key, by_lang) in &labels.value {
        let at = labels.spans.get(key);
        if let Err(why) = slug::check(key) {
            out.push(Diagnostic::new(
                file,
                at,
                format!("topic key `{key}` {why}"),
                "lowercase letters, digits and hyphens, as reports and news write it in `topics:`",
            ));
            continue;
        }
        for lang in languages {
            if !by_lang.contains_key(lang) {
                out.push(Diagnostic::new(
                    file,
                    at,
                    format!(
                        "topic `{key}` has no label in `{lang}`, one of the site's languages, so its pages in `{lang}` would show the bare key"
                    ),
                    format!("`{lang}: ...` under `{key}:`, the topic's name as readers of that language read it"),
                ));
            }
        }
        for (lang, label) in by_lang {
            let path = format!("{key}.{lang}");
            if !is_language_tag(lang) {
                out.push(Diagnostic::new(
                    file,
                    labels.spans.get(&path),
                    format!("`{lang}` is not a language tag"),
                    "an interface language of site.yaml, such as `en` or `fr`",
                ));
            }
            if label.trim().is_empty() {
                out.push(Diagnostic::new(
                    file,
                    labels.spans.value(&path),
                    format!("the `{lang}` label of topic `{key}` is empty"),
                    "the topic's name in that language",
                ));
                continue;
            }
            let folded = label.trim().to_lowercase();
            if let Some(first) = seen.insert((lang.as_str(), folded), key) {
                out.push(Diagnostic::new(
                    file,
                    labels.spans.value(&path),
                    format!(
                        "topics `{first}` and `{key}` have the same `{lang}` label `{}`, so readers could not tell their lists apart",
                        label.trim()
                    ),
                    "one key for one topic (change the documents to use one of them), or labels that say how they differ",
                ));
            }
        }
    }
}

/// Region and grouping names seen so far, by the slug of their page: two names must not
/// share one page (`ASEAN` and `asean`), and a name must give a slug at all.
#[derive(Default)]
struct GroupNames {
    /// (kind, slug) to the first name and the file that gave it.
    seen: HashMap<(&'static str, String), (String, std::path::PathBuf)>,
    problems: Vec<Diagnostic>,
}

impl GroupNames {
    fn add(
        &mut self,
        kind: &'static str,
        name: &str,
        info: &Loaded<crate::content::CountryInfo>,
        path: String,
    ) {
        if name.trim().is_empty() {
            return; // reported as empty
        }
        let at = info.spans.value(&path);
        let Some(slug) = slug::slugify_strict(name) else {
            self.problems.push(Diagnostic::new(
                &info.file,
                at,
                format!("{kind} name `{name}` has no letters or digits a page address can use"),
                "a name with Latin letters or digits, which the address of its page is made of",
            ));
            return;
        };
        match self.seen.get(&(kind, slug.clone())) {
            Some((first, file)) if first != name => self.problems.push(Diagnostic::new(
                &info.file,
                at,
                format!(
                    "{kind} name `{name}` and `{first}` (in {}) would share the page of `{slug}`",
                    file.display()
                ),
                format!("the same spelling as `{first}` for the same {kind}, or a distinct name"),
            )),
            Some(_) => {}
            None => {
                self.seen
                    .insert((kind, slug), (name.to_string(), info.file.clone()));
            }
        }
    }
}

/// The checks of one document that need nothing but the document and the countries'
/// slugs (its slug being unique is checked with all documents).
pub fn validate_document(
    d: &LoadedDoc,
    country_slugs: &HashSet<&str>,
    topic_keys: &BTreeSet<&str>,
) -> Vec<Diagnostic> {
    let mut out = Diagnostics::default();
    check_document(d, country_slugs, topic_keys, &mut out);
    out.sorted()
}

fn check_document(
    d: &LoadedDoc,
    country_slugs: &HashSet<&str>,
    topic_keys: &BTreeSet<&str>,
    out: &mut Diagnostics,
) {
    let m = &d.meta;
    if let Err(why) = slug::check(&d.slug) {
        out.push(Diagnostic::file(
            &m.file,
            format!("file name `{}` {why}", d.slug),
            "lowercase letters, digits and hyphens (e.g. `odsc-workshop-2021.md`)",
        ));
    }
    if slug::RESERVED.contains(&d.slug.as_str()) {
        out.push(Diagnostic::file(
            &m.file,
            format!("file name `{}` is reserved for a site page", d.slug),
            "another name",
        ));
    }
    if m.value.title.trim().is_empty() {
        out.push(Diagnostic::new(
            &m.file,
            m.spans.get("title"),
            "`title` is empty",
            "a title",
        ));
    }
    if PartialDate::from_value(&m.value.date).is_none() {
        let shown = match &m.value.date {
            DateValue::Year(y) => y.to_string(),
            DateValue::Text(s) => s.clone(),
        };
        out.push(Diagnostic::new(
            &m.file,
            m.spans.value("date"),
            format!("bad date `{shown}`: {}", crate::plain::date_problem(&shown)),
            "`YYYY`, `YYYY-MM` or `YYYY-MM-DD` (give only what the source states)",
        ));
    }
    if !is_language_tag(&m.value.language) {
        out.push(Diagnostic::new(
            &m.file,
            m.spans.value("language"),
            format!("`{}` is not a language tag", m.value.language),
            "a BCP 47 tag such as `en` or `vi`",
        ));
    }
    for (i, c) in m.value.countries.iter().enumerate() {
        if !country_slugs.contains(c.as_str()) {
            let mut known: Vec<&str> = country_slugs.iter().copied().collect();
            known.sort();
            out.push(Diagnostic::new(
                &m.file,
                m.spans.value(&format!("countries.{i}")),
                format!("unknown country `{c}`"),
                format!(
                    "a folder name under content/countries/: {}",
                    expected_list(&known)
                ),
            ));
        }
    }
    for (i, t) in m.value.topics.iter().enumerate() {
        if let Err(why) = slug::check(t) {
            out.push(Diagnostic::new(
                &m.file,
                m.spans.value(&format!("topics.{i}")),
                format!("topic `{t}` {why}"),
                "lowercase letters, digits and hyphens",
            ));
        } else if !topic_keys.contains(t.as_str()) {
            let hint = match crate::lint::closest(t, topic_keys.iter().copied(), 0.6) {
                Some(s) => format!("did you mean `{s}`? "),
                None => String::new(),
            };
            out.push(Diagnostic::new(
                &m.file,
                m.spans.value(&format!("topics.{i}")),
                format!(
                    "topic `{t}` has no label in {}, so readers would see the bare key",
                    crate::content::DOC_TOPICS_FILE
                ),
                format!(
                    "{hint}a topic key listed there, or `{t}:` added there with its label in each of the site's languages"
                ),
            ));
        }
    }
    // The body: its line numbers follow the front matter's.
    for p in markdown::problems(&d.body) {
        let (line, column) = markdown::line_column(&d.body, p.offset);
        out.push(Diagnostic::new(
            &m.file,
            Pos::new(d.body_line + line, column),
            p.message,
            p.expected,
        ));
    }
    if let Some(summary) = &m.value.summary {
        markdown_field(&m.file, m.spans.value("summary"), "summary", summary, out);
    }
    if let Some(url) = &m.value.source.url {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            out.push(Diagnostic::new(
                &m.file,
                m.spans.value("source.url"),
                format!("source URL `{url}` is not a web address"),
                "an address starting with https:// or http://",
            ));
        }
    }
}

/// What a base URL must look like, for messages.
pub const BASE_URL_EXPECTED: &str =
    "an absolute http:// or https:// address, e.g. `https://example.github.io/egov-profiles/`";

/// Check a base URL (site.yaml's `base_url` or `--base-url`): it is written into every
/// page, the feed, the sitemap and robots.txt, so it must be a plain absolute `http://` or
/// `https://` address with a host, and no character that would need escaping anywhere
/// (spaces, controls, quotes, angle brackets) or a user name, query or fragment.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err("is not an http:// or https:// address".into());
    }
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\^`{|}".contains(*c))
    {
        return Err(format!(
            "contains the character {}",
            crate::diagnostics::escape_terminal(&format!("{c:?}"))
        ));
    }
    let parsed = url::Url::parse(url).map_err(|e| format!("is not a valid address ({e})"))?;
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("has no host name".into());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("carries a user name or password".into());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("has a query (`?`) or fragment (`#`)".into());
    }
    Ok(())
}

fn check_site(content: &Content, out: &mut Diagnostics) {
    let s = &content.site;
    let v = &s.value;
    if let Err(why) = check_base_url(&v.base_url) {
        out.push(Diagnostic::new(
            &s.file,
            s.spans.value("base_url"),
            format!("base_url `{}` {why}", v.base_url),
            BASE_URL_EXPECTED,
        ));
    }
    if !is_language_tag(&v.language) {
        out.push(Diagnostic::new(
            &s.file,
            s.spans.value("language"),
            format!("`{}` is not a language tag", v.language),
            "a BCP 47 tag such as `en`",
        ));
    }
    for (i, lang) in v.languages.iter().enumerate() {
        if !is_language_tag(lang) {
            out.push(Diagnostic::new(
                &s.file,
                s.spans.value(&format!("languages.{i}")),
                format!("`{lang}` is not a language tag"),
                "a BCP 47 tag such as `fr`",
            ));
        }
    }
    if let Err(why) = slug::check(&v.theme) {
        out.push(Diagnostic::new(
            &s.file,
            s.spans.value("theme"),
            format!("theme `{}` {why}", v.theme),
            "a folder name under themes/",
        ));
    } else if !content.root.join("themes").join(&v.theme).is_dir() {
        out.push(Diagnostic::new(
            &s.file,
            s.spans.value("theme"),
            format!("theme `{}` not found in themes/", v.theme),
            "a folder under themes/ (the bundled one is `default`)",
        ));
    }
    for (i, f) in v.keep_files.iter().enumerate() {
        if slug::check_file_name(f).is_err() {
            out.push(Diagnostic::new(
                &s.file,
                s.spans.value(&format!("keep_files.{i}")),
                format!("`{f}` is not a plain file name"),
                "a name such as `CNAME`, without folders",
            ));
        }
    }
    crate::identity::check(content, out);
}

fn check_catalogue(cat: &Loaded<Catalogue>, out: &mut Diagnostics) {
    let c = &cat.value;
    let f = &cat.file;
    let stem = f
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if c.id != stem {
        out.push(Diagnostic::new(
            f,
            cat.spans.value("id"),
            format!("edition id `{}` differs from the file name `{stem}`", c.id),
            format!("`id: {stem}`"),
        ));
    }
    if let Err(why) = slug::check(&c.id) {
        out.push(Diagnostic::new(
            f,
            cat.spans.value("id"),
            format!("edition id `{}` {why}", c.id),
            "lowercase letters, digits and hyphens",
        ));
    }
    let section_keys: HashSet<&str> = c.sections.iter().map(|s| s.key.as_str()).collect();
    let mut topics: HashMap<&str, u32> = HashMap::new();
    let mut seen_ids: HashMap<&str, usize> = HashMap::new();
    for (i, q) in c.questions.iter().enumerate() {
        let at = |field: &str| cat.spans.get(&format!("questions.{i}.{field}"));
        let expected_number = i as u32 + 1;
        if q.number != expected_number {
            out.push(Diagnostic::new(
                f,
                at("number"),
                format!("question number {} out of sequence", q.number),
                format!("{expected_number}"),
            ));
        }
        if q.id != format!("q{}", q.number) {
            out.push(Diagnostic::new(
                f,
                at("id"),
                format!(
                    "question id `{}` does not match its number {}",
                    q.id, q.number
                ),
                format!("`q{}`", q.number),
            ));
        }
        if seen_ids.insert(q.id.as_str(), i).is_some() {
            out.push(Diagnostic::new(
                f,
                at("id"),
                format!("duplicate question id `{}`", q.id),
                "each id once",
            ));
        }
        if !section_keys.contains(q.section.as_str()) {
            let mut keys: Vec<&str> = section_keys.iter().copied().collect();
            keys.sort();
            out.push(Diagnostic::new(
                f,
                at("section"),
                format!("unknown section `{}`", q.section),
                expected_list(&keys),
            ));
        }
        markdown_field(
            f,
            cat.spans.value(&format!("questions.{i}.text")),
            "text",
            &q.text,
            out,
        );
        if let Err(why) = slug::check(&q.topic) {
            out.push(Diagnostic::new(
                f,
                at("topic"),
                format!("topic `{}` {why}", q.topic),
                "lowercase letters, digits and hyphens",
            ));
        } else if let Some(n) = topics.insert(q.topic.as_str(), q.number) {
            out.push(Diagnostic::new(
                f,
                at("topic"),
                format!("topic `{}` already used by question {n}", q.topic),
                "one question per topic in an edition",
            ));
        }
        match q.kind {
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice if q.options.is_empty() => {
                out.push(Diagnostic::new(
                    f,
                    at("kind"),
                    format!("{} question without options", q.kind.as_str()),
                    "an `options` list",
                ))
            }
            k if !k.is_choice() && (!q.options.is_empty() || q.other) => out.push(Diagnostic::new(
                f,
                at("options"),
                format!("options given for a {} question", k.as_str()),
                "options only on choice questions",
            )),
            _ => {}
        }
        if let Some(up) = &q.follow_up_of {
            match seen_ids.get(up.as_str()) {
                Some(&j) if j < i => {}
                _ => out.push(Diagnostic::new(
                    f,
                    at("follow_up_of"),
                    format!("follow_up_of `{up}` is not an earlier question"),
                    "the id of an earlier question in this edition",
                )),
            }
        } else if q.follow_up_asked.is_some() {
            out.push(Diagnostic::new(
                f,
                at("follow_up_asked"),
                "`follow_up_asked` on a question that is not a follow-up",
                "`follow_up_of: <the id of the question it follows>` beside it, or no `follow_up_asked`",
            ));
        }
    }
}

/// Check one answers file on its own against the editions' catalogues (what `serve` does
/// when only that file changed).
pub fn validate_answers<'c>(
    af: &Loaded<AnswerFile>,
    catalogues: impl IntoIterator<Item = &'c Catalogue>,
) -> Vec<Diagnostic> {
    let editions: BTreeMap<&str, &Catalogue> =
        catalogues.into_iter().map(|c| (c.id.as_str(), c)).collect();
    let edition_ids: Vec<&str> = editions.keys().copied().collect();
    let mut out = Diagnostics::default();
    check_answers(af, &editions, &edition_ids, &mut out);
    out.sorted()
}

fn check_answers(
    af: &Loaded<AnswerFile>,
    editions: &BTreeMap<&str, &Catalogue>,
    edition_ids: &[&str],
    out: &mut Diagnostics,
) {
    let f = &af.file;
    let v = &af.value;
    let stem = f
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(cat) = editions.get(v.edition.as_str()) else {
        out.push(Diagnostic::new(
            f,
            af.spans.value("edition"),
            format!("unknown edition `{}`", v.edition),
            format!(
                "an edition defined in content/questionnaires/: {}",
                expected_list(edition_ids)
            ),
        ));
        return;
    };
    if stem != v.edition {
        out.push(Diagnostic::new(
            f,
            af.spans.value("edition"),
            format!("file `{stem}.yaml` declares edition `{}`", v.edition),
            format!("the file to be named `{}.yaml`", v.edition),
        ));
    }
    let questions: HashMap<&str, &crate::content::Question> =
        cat.questions.iter().map(|q| (q.id.as_str(), q)).collect();
    let ids: Vec<&str> = cat.questions.iter().map(|q| q.id.as_str()).collect();
    for qid in &v.contacts_private {
        let at = af.spans.get("contacts_private");
        match questions.get(qid.as_str()) {
            Some(q) if q.kind.is_personal() => {}
            Some(q) => out.push(Diagnostic::new(
                f,
                at,
                format!(
                    "`{qid}` in contacts_private is a {} question, not a name or e-mail",
                    q.kind.as_str()
                ),
                "only the ids of person_name and email questions in contacts_private",
            )),
            None => out.push(Diagnostic::new(
                f,
                at,
                format!(
                    "unknown question id `{qid}` in contacts_private for edition `{}`",
                    v.edition
                ),
                format!("one of {}", expected_list(&ids)),
            )),
        }
    }
    for (qid, value) in &v.contacts {
        let at = af.spans.get(&format!("contacts.{qid}"));
        match questions.get(qid.as_str()) {
            None => out.push(Diagnostic::new(
                f,
                at,
                format!(
                    "unknown question id `{qid}` in contacts for edition `{}`",
                    v.edition
                ),
                format!("one of {}", expected_list(&ids)),
            )),
            Some(q) if !q.kind.is_personal() => out.push(Diagnostic::new(
                f,
                at,
                format!(
                    "`{qid}` is a {} question, not a name or e-mail",
                    q.kind.as_str()
                ),
                "only person_name and email questions under `contacts`",
            )),
            // Several addresses are separated by "; " (the importer keeps every one).
            Some(q)
                if q.kind == QuestionKind::Email && !value.split("; ").all(looks_like_email) =>
            {
                out.push(Diagnostic::new(
                    f,
                    af.spans.value(&format!("contacts.{qid}")),
                    format!("`{value}` is not an e-mail address"),
                    "name@domain, or several separated by \"; \"",
                ))
            }
            _ => {}
        }
    }
    for (qid, a) in &v.answers {
        let path = format!("answers.{qid}");
        let at = |field: &str| af.spans.get(&format!("{path}.{field}"));
        let Some(q) = questions.get(qid.as_str()) else {
            out.push(Diagnostic::new(
                f,
                af.spans.get(&path),
                format!("unknown question id `{qid}` for edition `{}`", v.edition),
                format!("a question id of that edition: {}", expected_list(&ids)),
            ));
            continue;
        };
        let kind = q.kind.as_str();
        if q.kind.is_personal() {
            out.push(Diagnostic::new(
                f, af.spans.get(&path),
                format!("`{qid}` holds personal data ({kind}) under `answers`"),
                format!("it in {stem}.contacts.yaml beside this file, as `{qid}: ...` (personal data: never committed, published only when site.yaml sets publish_contacts)"),
            ));
            continue;
        }
        // Answer text is plain text shown as typed (markup::answer_text): a `<style>` or
        // `<!--` in it is shown, never read as markup, so nothing in it can swallow the rest.
        if let Some(choice) = &a.choice {
            if !q.kind.is_choice() {
                out.push(Diagnostic::new(
                    f,
                    at("choice"),
                    format!("`choice` given for a {kind} question"),
                    "`text` for this question",
                ));
            } else {
                check_choice(f, at("choice"), q, choice, out);
            }
        }
        if a.other.is_some() && !(q.kind.is_choice() && q.other) {
            out.push(Diagnostic::new(
                f,
                at("other"),
                format!(
                    "`other` given but question {} offers no Other option",
                    q.number
                ),
                "`choice` from the listed options",
            ));
        }
        if a.inferred.is_some() {
            match &a.choice {
                Some(c) if !c.is_unknown() => {}
                _ => out.push(Diagnostic::new(
                    f,
                    at("inferred"),
                    "`inferred` without an inferred choice",
                    "`choice: \"yes\"` (or another option) next to `inferred: <reason>`",
                )),
            }
        }
        if q.kind.is_choice()
            && a.choice.is_none()
            && a.other.is_none()
            && a.no_answer.is_none()
            && a.text.is_none()
        {
            out.push(Diagnostic::new(
                f,
                af.spans.get(&path),
                format!("answer to choice question {} has no `choice`", q.number),
                "`choice: unknown` when the export does not record it",
            ));
        }
    }
}

fn check_choice(
    f: &std::path::Path,
    at: crate::diagnostics::Pos,
    q: &crate::content::Question,
    choice: &Choice,
    out: &mut Diagnostics,
) {
    let allowed: Vec<&str> = match q.kind {
        QuestionKind::YesNo => vec!["yes", "no", "unknown"],
        _ => q
            .options
            .iter()
            .map(String::as_str)
            .chain(["unknown"])
            .collect(),
    };
    if let (QuestionKind::YesNo | QuestionKind::SingleChoice, Choice::Many(_)) = (q.kind, choice) {
        out.push(Diagnostic::new(
            f,
            at,
            format!("several choices for a {} question", q.kind.as_str()),
            "one value",
        ));
        return;
    }
    for v in choice.values() {
        if !allowed.contains(&v) {
            out.push(Diagnostic::new(
                f,
                at,
                format!("`{v}` is not an option of question {}", q.number),
                format!(
                    "{}{}",
                    expected_list(&allowed),
                    if q.other { ", or `other: <text>`" } else { "" }
                ),
            ));
        }
    }
}

fn looks_like_email(s: &str) -> bool {
    let mut parts = s.split('@');
    matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if !a.is_empty() && b.contains('.') && !s.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for ok in ["en", "vi", "pt-BR", "zh-Hant"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "EN", "english", "en_US", "e"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
