//! `egovsite new DIR`: a minimal site that builds, to start from.
//!
//! It holds one questionnaire edition with a few questions (a yes/no question with a
//! follow-up, a text question, a links question), one country with its facts and its
//! answers, one report, and a copy of the default theme. The theme's files are compiled
//! into the program, so `egovsite new` works without the source repository.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The default theme folder, compiled into the program. The whole folder is embedded
/// (include_dir reads every file with `include_bytes!`), so a file added to the theme needs
/// no change here.
static THEME: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The default theme's files as (path relative to a site root, bytes), in path order:
/// `themes/default/templates/base.html`, `themes/default/static/style.css`, ...
pub fn theme_files() -> Vec<(String, &'static [u8])> {
    fn walk(dir: &'static include_dir::Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
        for entry in dir.entries() {
            match entry {
                include_dir::DirEntry::Dir(d) => walk(d, out),
                include_dir::DirEntry::File(f) => {
                    let rel = f.path().to_string_lossy().replace('\\', "/");
                    out.push((format!("themes/default/{rel}"), f.contents()));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&THEME, &mut out);
    out.sort();
    out
}

const SITE_YAML: &str = r##"# Site settings: see docs/content-format.md in the egovsite repository.
title: E-Government Country Profiles
description: Countries' answers to a questionnaire on digital government, published side by side.
# The address the site is published at. The GitHub Pages workflow overrides it with
# --base-url, so it only matters for builds made by hand.
base_url: https://example.github.io/egov-profiles/
language: en
theme: default
licence: >-
  Answers are the responding governments' own statements; reports remain the work of their
  publishers. Site text and data files may be re-used with attribution.
source: >-
  Example content written by `egovsite new`: replace it with your own.
publish_contacts: false
keep_files: [CNAME]
# Who publishes the site: named in the header and footer and in every citation.
# publisher:
#   name: Ministry of Digital Government of Exampleland
#   url: https://example.org/          # leave out when the publisher has no address
# Images of content/static/ (or the theme's static/): the header's mark, the tab's icon.
# logo: logo.svg
# favicon: favicon.svg
# Colour of links, buttons and rules: a CSS hex colour with 4.5:1 contrast against white.
accent: "#0b5cad"
"##;

const QUESTIONNAIRE_YAML: &str = r#"# One questionnaire edition. The file name (sample-2024) is the edition id.
id: sample-2024
title: Sample questionnaire on digital government (example edition)
name_basis: >
  Example edition written by `egovsite new`. For a real edition, say here what its name
  rests on (for example, the dates the answers refer to).
sections:
  - key: intro
    title: Respondent
  - key: A
    title: Portals
  - key: B
    title: Strategy
questions:
  - number: 1
    id: q1
    section: intro
    topic: respondent-country
    label: Country name
    kind: country
    text: "Country name"
    required: true
  - number: 2
    id: q2
    section: intro
    topic: respondent-name
    label: Respondent name
    kind: person_name
    text: "Your name"
    required: true
    before: ["Contact information"]
  - number: 3
    id: q3
    section: intro
    topic: respondent-email
    label: Respondent e-mail
    kind: email
    text: "Email"
    required: true
  - number: 4
    id: q4
    section: A
    topic: portal-national
    label: National e-government portal(s)
    kind: links
    text: "What is the official e-government portal at the national level? If more than one exists, please list all."
    required: true
  - number: 5
    id: q5
    section: B
    topic: digital-government-strategy
    label: Digital government strategy
    kind: yes_no
    text: "Does your country have a national digital government strategy?"
    required: true
    options: ["Yes", "No"]
  - number: 6
    id: q6
    section: B
    topic: digital-government-strategy-detail
    label: "Digital government strategy: details"
    kind: text
    text: "If yes, please give its title, the year it was adopted and a link to it."
    follow_up_of: q5
    follow_up_asked: if_yes
  - number: 7
    id: q7
    section: B
    topic: digital-government-challenges
    label: Main challenges
    kind: text
    text: "What are the main challenges in implementing digital government?"
"#;

const COUNTRY_YAML: &str = r#"# Facts about the country. "Exampleland" and its code XEX are placeholders: the X.. codes
# are reserved for user-assigned use by ISO 3166-1, so they never clash with a real country.
name: Exampleland
official_name: Republic of Exampleland
iso3: XEX
region: Western Europe         # a UN M49 sub-region, spelt as the UN spells it
groupings: [Example grouping]
languages: [en]
"#;

const ANSWERS_YAML: &str = r#"# Exampleland's answers to the sample-2024 edition.
edition: sample-2024
source:
  document: Example answers written by `egovsite new`
# Respondents' names and e-mail addresses are not here: they are personal data, kept in
# sample-2024.contacts.yaml beside this file, which .gitignore keeps out of the repository.
answers:
  q1:
    text: Exampleland
  q4:
    text: |
      - National portal: <https://www.example.org/>
      - E-services: <https://services.example.org/>
  q5:
    choice: "yes"
    inferred: the details in q6 name the strategy   # the export did not record the choice
  q6:
    text: National Digital Government Strategy 2024–2028, adopted in 2024.
    reviewed: true
  q7:
    text: |
      Connectivity outside the capital, and digital skills among civil servants.
    note: An editorial note, shown marked as ours.
"#;

const CONTACTS_YAML: &str = r#"# Personal data: the names and e-mail addresses of the people who answered for Exampleland.
# Not committed: the site's .gitignore excludes *.contacts.yaml, so this file stays on
# this computer (keep a copy in the team's private storage). The site shows these only
# when site.yaml sets publish_contacts: true, and builds without them when the file is absent.
q2: Jane Example
q3: jane@example.org
"#;

const REPORT_MD: &str = r#"---
title: Digital government in Exampleland
date: 2024-05             # YYYY, YYYY-MM or YYYY-MM-DD: never invent a day or month
countries: [exampleland]
topics: [digital-government-strategy]
language: en
source:
  publisher: Example Publisher
summary: An example report, to show how reports appear on the site. Replace it with your own.
---
This is an example report. Reports and news items are Markdown files with front matter: the
lines between the two `---` lines say what the document is, where it comes from and which
countries it concerns.

## What it covers

Exampleland adopted its National Digital Government Strategy in 2024. See the country's
answers for details.
"#;

const DOC_TOPICS_YAML: &str = r#"# The topics of reports and news: each key a document gives in `topics:`, with its name
# in every language of site.yaml's `languages`. Readers see the names, never the keys.
digital-government-strategy:
  en: Digital government strategy
"#;

const GITIGNORE: &str = "# The built site, written by `egovsite build`.\n/public\n/.public.*\n\
# Respondents' names and e-mail addresses (personal data): never committed.\n*.contacts.yaml\n";

/// The site's own files (everything but the theme).
const SITE_FILES: &[(&str, &str)] = &[
    (".gitignore", GITIGNORE),
    ("content/site.yaml", SITE_YAML),
    (
        "content/questionnaires/sample-2024.yaml",
        QUESTIONNAIRE_YAML,
    ),
    ("content/countries/exampleland/country.yaml", COUNTRY_YAML),
    (
        "content/countries/exampleland/sample-2024.yaml",
        ANSWERS_YAML,
    ),
    (
        "content/countries/exampleland/sample-2024.contacts.yaml",
        CONTACTS_YAML,
    ),
    (
        "content/reports/digital-government-in-exampleland.md",
        REPORT_MD,
    ),
    ("content/document-topics.yaml", DOC_TOPICS_YAML),
];

/// Write a minimal working site into `dir`, which must not exist or be empty. Returns the
/// files written. On failure nothing is left behind.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let existed = match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {
            let mut entries = fs::read_dir(dir)
                .map_err(|e| format!("{}: cannot read folder: {e}", dir.display()))?;
            if entries.next().is_some() {
                return Err(format!(
                    "{}: folder is not empty; choose a new or empty folder so that nothing is overwritten",
                    dir.display()
                ));
            }
            true
        }
        Ok(_) => return Err(format!("{}: exists and is not a folder", dir.display())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    };
    let theme = theme_files();
    let files = SITE_FILES
        .iter()
        .map(|(p, t)| (*p, t.as_bytes()))
        .chain(theme.iter().map(|(p, b)| (p.as_str(), *b)));
    let mut written = Vec::new();
    let result = (|| -> io::Result<()> {
        fs::create_dir_all(dir)?;
        for (rel, bytes) in files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, bytes)?;
            written.push(path);
        }
        Ok(())
    })();
    if let Err(e) = result {
        // Leave the folder as it was: absent, or empty.
        if existed {
            for top in ["content", "themes"] {
                let _ = fs::remove_dir_all(dir.join(top));
            }
        } else {
            let _ = fs::remove_dir_all(dir);
        }
        return Err(format!("{}: cannot write the new site: {e}", dir.display()));
    }
    Ok(written)
}
