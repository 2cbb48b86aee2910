//! Performance benchmark of egovsite (issue 7): a deterministic corpus generator and a
//! runner that times builds as child processes.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example bench --features bench -- corpus        # writes bench/corpus and the twins
//! cargo run --release --example bench --features bench -- run           # prints the table of figures
//! ```
//!
//! `corpus` writes a complete site root (content/ and themes/) of synthetic countries,
//! answers to both questionnaire editions, news items and reports in the real content
//! format, plus the same news and reports as plain Markdown for Hugo (`bench/twin-hugo`)
//! and Zola (`bench/twin-zola`). The same arguments give a byte-identical corpus: all
//! randomness comes from a fixed-seed SplitMix64 generator below.
//!
//! `run` times the release binary `target/release/egovsite` (full clean build, no-change
//! rebuild, one answers file changed, one news item changed), `cp -r` of its output, and
//! Hugo / Zola builds of the twins when those programs are on PATH. Wall clock and peak
//! RSS come from `wait4` (Linux). Figures are printed, never asserted: see bench/README.md.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

use clap::{Parser, Subcommand};
use egovsite::content::{AnswerFile, Catalogue, Question, QuestionKind};

#[derive(Parser)]
#[command(
    name = "bench",
    about = "egovsite benchmark: corpus generator and runner"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write the synthetic corpus (a site root) and its Hugo and Zola twins.
    Corpus(CorpusArgs),
    /// Time egovsite (and Hugo, Zola, cp -r) on a corpus and print the figures.
    Run(RunArgs),
}

#[derive(clap::Args)]
struct CorpusArgs {
    /// Site root to write (content/ and themes/ inside are replaced).
    #[arg(long, default_value = "bench/corpus")]
    out: PathBuf,
    /// The real site whose site.yaml, catalogues, theme and answers are used.
    #[arg(long, default_value = ".")]
    from: PathBuf,
    #[arg(long, default_value_t = 193)]
    countries: usize,
    #[arg(long, default_value_t = 5000)]
    news: usize,
    #[arg(long, default_value_t = 200)]
    reports: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Folder holding twin-hugo/ and twin-zola/ (their content/ is replaced).
    #[arg(long, default_value = "bench")]
    twins: PathBuf,
    /// Do not write the Hugo and Zola twins.
    #[arg(long)]
    no_twins: bool,
}

#[derive(clap::Args)]
struct RunArgs {
    /// Site root written by `corpus`.
    #[arg(long, default_value = "bench/corpus")]
    corpus: PathBuf,
    /// Folder holding twin-hugo/ and twin-zola/.
    #[arg(long, default_value = "bench")]
    twins: PathBuf,
    /// egovsite binary [default: target/release/egovsite beside this example].
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Run `cargo build --release --bin egovsite` first.
    #[arg(long)]
    cargo_build: bool,
    /// Threads for the builds (RAYON_NUM_THREADS for egovsite and Zola, GOMAXPROCS for
    /// Hugo) [default: all cores].
    #[arg(long)]
    threads: Option<usize>,
    /// Runs per step.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Skip Hugo and Zola even when installed.
    #[arg(long)]
    no_twins: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Cmd::Corpus(a) => corpus(&a),
        Cmd::Run(a) => run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn err(msg: impl Into<String>) -> io::Error {
    io::Error::other(msg.into())
}

// ------------------------------------------------------------------------------------
// Deterministic randomness
// ------------------------------------------------------------------------------------

/// SplitMix64: tiny, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    /// An independent stream per (seed, kind, index), so changing `--news` leaves the
    /// countries and reports unchanged.
    fn for_item(seed: u64, kind: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ kind.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (index << 20));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// Inclusive range.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
}

const KIND_COUNTRY: u64 = 1;
const KIND_ANSWERS: u64 = 2;
const KIND_NEWS: u64 = 3;
const KIND_REPORT: u64 = 4;

// ------------------------------------------------------------------------------------
// Vocabulary
// ------------------------------------------------------------------------------------

#[rustfmt::skip]
const EN: &[&str] = &[
    "government", "digital", "services", "online", "portal", "citizens", "businesses",
    "ministry", "agency", "national", "strategy", "framework", "data", "open", "platform",
    "identity", "electronic", "public", "administration", "policy", "law", "decree",
    "implementation", "coordination", "infrastructure", "broadband", "access", "inclusion",
    "women", "youth", "older", "persons", "disabilities", "rural", "areas", "local",
    "authorities", "provinces", "districts", "municipal", "offices", "one-stop", "shops",
    "interoperability", "standards", "security", "privacy", "protection", "personal",
    "cybersecurity", "capacity", "training", "officials", "skills", "literacy", "mobile",
    "applications", "payments", "procurement", "tax", "customs", "registration", "licences",
    "permits", "health", "education", "social", "protection", "benefits", "feedback",
    "satisfaction", "surveys", "usage", "statistics", "indicators", "monitoring",
    "evaluation", "reporting", "annual", "plan", "programme", "project", "pilot", "phase",
    "partners", "private", "sector", "civil", "society", "academia", "international",
    "cooperation", "development", "funding", "budget", "investment", "cloud", "data",
    "centre", "network", "systems", "integration", "exchange", "layer", "registry",
    "population", "address", "cadastre", "signature", "certificates", "authentication",
    "single", "sign-on", "accessibility", "guidelines", "language", "channels", "call",
    "centre", "kiosks", "participation", "consultation", "legislation", "transparency",
    "accountability", "innovation", "artificial", "intelligence", "emerging",
    "technologies", "resilience", "continuity", "emergency", "response", "recovery", "the",
    "the", "the", "of", "of", "of", "and", "and", "and", "for", "for", "to", "to", "in",
    "in", "with", "on", "by", "through", "across", "all", "new", "key", "main",
];

#[rustfmt::skip]
const VI: &[&str] = &[
    "chính", "phủ", "số", "dịch", "vụ", "công", "trực", "tuyến", "người", "dân", "doanh", "nghiệp",
    "chuyển", "đổi", "dữ", "liệu", "quốc", "gia", "hạ", "tầng", "an", "toàn", "thông", "tin",
    "phát", "triển", "cơ", "quan", "nhà", "nước", "hệ", "thống", "kết", "nối", "nền", "tảng",
    "định", "danh", "điện", "tử", "năm", "kế", "hoạch", "và", "của", "các", "cho", "được", "trong",
];

#[rustfmt::skip]
const FR: &[&str] = &[
    "administration", "numérique", "services", "publics", "en", "ligne", "citoyens",
    "entreprises", "données", "ouvertes", "stratégie", "nationale", "gouvernement",
    "identité", "électronique", "plateforme", "sécurité", "accès", "inclusion",
    "territoire", "ministère", "réforme", "projet", "développement", "infrastructure",
    "transformation", "de", "la", "les", "des", "pour", "et", "du", "une", "le", "à",
];

#[rustfmt::skip]
const DOMAINS: &[&str] = &[
    "portal", "egov", "data", "opendata", "eservices", "laws", "mof", "moh", "moe", "mic",
    "digital", "statistics", "procurement", "tax", "customs", "business", "citizen",
    "gazette", "parliament", "id", "pay", "ict", "cert", "survey",
];

#[rustfmt::skip]
const URL_PATHS: &[&str] = &[
    "", "en/", "services/", "about/", "open-data/", "laws/decree-2021", "strategy/2025",
    "news/", "e-services/index", "publications/annual-report",
];

#[rustfmt::skip]
const REGIONS: &[&str] = &[
    "Northern Africa", "Eastern Africa", "Middle Africa", "Southern Africa",
    "Western Africa", "Caribbean", "Central America", "South America", "Northern America",
    "Central Asia", "Eastern Asia", "South-eastern Asia", "Southern Asia", "Western Asia",
    "Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe",
    "Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia",
];

const GROUPINGS: &[(&str, u64)] = &[
    ("Least developed countries", 24),
    ("Landlocked developing countries", 16),
    ("Small island developing States", 20),
    ("ASEAN", 5),
    ("African Union", 25),
    ("European Union", 14),
    ("OECD", 19),
    ("G20", 10),
];

#[rustfmt::skip]
const LANGS: &[&str] = &[
    "en", "fr", "es", "ar", "ru", "zh", "pt", "sw", "lo", "km", "vi",
];

#[rustfmt::skip]
const TOPICS: &[&str] = &[
    "digital-identity", "open-data", "one-stop-shops", "service-delivery",
    "legal-framework", "data-protection", "cybersecurity", "digital-inclusion",
    "e-participation", "digital-government-strategy", "interoperability", "e-procurement",
    "broadband", "capacity-building", "smart-cities", "artificial-intelligence",
    "crisis-response", "local-government", "user-satisfaction", "digital-payments", "cloud",
    "accessibility", "statistics", "partnerships",
];

/// The name of each of [`TOPICS`] in English and French, written to
/// `content/document-topics.yaml` (the site's two interface languages).
#[rustfmt::skip]
const TOPIC_LABELS: &[(&str, &str, &str)] = &[
    ("digital-identity", "Digital identity", "Identité numérique"),
    ("open-data", "Open data", "Données ouvertes"),
    ("one-stop-shops", "One-stop shops", "Guichets uniques"),
    ("service-delivery", "Service delivery", "Prestation de services"),
    ("legal-framework", "Legal framework", "Cadre juridique"),
    ("data-protection", "Data protection", "Protection des données"),
    ("cybersecurity", "Cybersecurity", "Cybersécurité"),
    ("digital-inclusion", "Digital inclusion", "Inclusion numérique"),
    ("e-participation", "E-participation", "Participation en ligne"),
    ("digital-government-strategy", "Digital government strategy", "Stratégie d'administration numérique"),
    ("interoperability", "Interoperability", "Interopérabilité"),
    ("e-procurement", "E-procurement", "Marchés publics en ligne"),
    ("broadband", "Broadband", "Haut débit"),
    ("capacity-building", "Capacity building", "Renforcement des capacités"),
    ("smart-cities", "Smart cities", "Villes intelligentes"),
    ("artificial-intelligence", "Artificial intelligence", "Intelligence artificielle"),
    ("crisis-response", "Crisis response", "Réponse aux crises"),
    ("local-government", "Local government", "Administration locale"),
    ("user-satisfaction", "User satisfaction", "Satisfaction des usagers"),
    ("digital-payments", "Digital payments", "Paiements numériques"),
    ("cloud", "Cloud computing", "Informatique en nuage"),
    ("accessibility", "Accessibility", "Accessibilité"),
    ("statistics", "Statistics", "Statistiques"),
    ("partnerships", "Partnerships", "Partenariats"),
];

/// `content/document-topics.yaml` for the corpus: a label in each language for every topic.
fn doc_topics_yaml() -> String {
    let mut s = String::from("# Written by the benchmark's corpus generator.\n");
    for key in TOPICS {
        let (_, en, fr) = TOPIC_LABELS
            .iter()
            .find(|(k, _, _)| k == key)
            .unwrap_or_else(|| panic!("no label for topic {key}"));
        let _ = writeln!(s, "{key}:\n  en: \"{en}\"\n  fr: \"{fr}\"");
    }
    s
}

#[rustfmt::skip]
const PUBLISHERS: &[&str] = &[
    "United Nations Department of Economic and Social Affairs (UN DESA)", "ITU News",
    "GovInsider", "Digital Watch Observatory", "Nhân Dân (NDO)", "OpenGov Asia",
    "The Government Gazette", "Agence de presse nationale", "World Bank Blogs",
    "OECD Observatory of Public Sector Innovation",
];

#[rustfmt::skip]
const NEWS_VERBS: &[&str] = &[
    "launches", "expands", "adopts", "reviews", "upgrades", "publishes", "pilots",
    "announces", "completes", "opens",
];

#[rustfmt::skip]
const NEWS_OBJECTS: &[&str] = &[
    "a national e-government portal", "its digital identity programme",
    "an open data platform", "a data protection law", "one-stop service centres",
    "a digital government strategy", "mobile public services", "an e-procurement system",
    "a cybersecurity framework", "digital skills training for officials",
    "a government interoperability layer", "online business registration",
];

#[rustfmt::skip]
const HEADINGS: &[&str] = &[
    "Background", "Key findings", "What changes for citizens", "Implementation",
    "Institutional arrangements", "Legal framework", "Financing", "Next steps",
    "Challenges", "Lessons learned", "Inclusion and accessibility", "Data governance",
    "Service delivery", "Monitoring and evaluation", "Partnerships", "Recommendations",
];

// ------------------------------------------------------------------------------------
// Text generation
// ------------------------------------------------------------------------------------

struct CountryGen {
    slug: String,
    name: String,
    iso3: String,
    tld: String,
}

fn country_gen(i: usize) -> CountryGen {
    // 7 is coprime with 26^3, so the codes are distinct for up to 17,576 countries.
    let mut n = (i * 7 + 100) % (26 * 26 * 26);
    let mut code = [b'A'; 3];
    for c in code.iter_mut().rev() {
        *c = b'A' + (n % 26) as u8;
        n /= 26;
    }
    let iso3 = String::from_utf8(code.to_vec()).expect("ASCII");
    CountryGen {
        slug: format!("country-{:03}", i + 1),
        name: format!("Country {:03}", i + 1),
        tld: iso3[..2].to_ascii_lowercase(),
        iso3,
    }
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn words(rng: &mut Rng, vocab: &[&str], n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(vocab));
    }
    s
}

fn phrase(rng: &mut Rng, vocab: &[&str], lo: usize, hi: usize) -> String {
    let n = rng.range(lo, hi);
    capitalize(&words(rng, vocab, n))
}

fn domain(rng: &mut Rng, tld: &str) -> String {
    format!("www.{}.gov.{tld}", rng.pick(DOMAINS))
}

fn url(rng: &mut Rng, tld: &str) -> String {
    format!(
        "https://{}.gov.{tld}/{}",
        rng.pick(DOMAINS),
        rng.pick(URL_PATHS)
    )
}

/// A link as respondents and editors write them: a bare address, an autolink or an
/// inline link.
fn link(rng: &mut Rng, tld: &str) -> String {
    match rng.below(3) {
        0 => domain(rng, tld),
        1 => format!("<{}>", url(rng, tld)),
        _ => {
            let text = phrase(rng, EN, 2, 4);
            format!("[{text}]({})", url(rng, tld))
        }
    }
}

/// A sentence of `lo..=hi` words, sometimes carrying a link.
fn sentence(
    rng: &mut Rng,
    vocab: &[&str],
    lo: usize,
    hi: usize,
    tld: &str,
    link_pct: u64,
) -> String {
    let mut s = phrase(rng, vocab, lo, hi);
    if rng.chance(link_pct) {
        s.push_str(" (see ");
        s.push_str(&link(rng, tld));
        s.push(')');
    }
    s.push('.');
    s
}

/// A paragraph of about `n_words` words.
fn paragraph(rng: &mut Rng, vocab: &[&str], n_words: usize, tld: &str, link_pct: u64) -> String {
    let mut p = String::new();
    let mut count = 0;
    while count < n_words {
        let n = rng.range(8, 22).min(n_words - count).max(3);
        if !p.is_empty() {
            p.push(' ');
        }
        let s = sentence(rng, vocab, n, n, tld, link_pct);
        p.push_str(&s);
        count += n;
    }
    p
}

/// An answer text of about `target` characters, with lists and links like the real ones.
fn answer_text(rng: &mut Rng, target: usize, kind: QuestionKind, tld: &str) -> String {
    let mut s = String::new();
    if kind == QuestionKind::Links {
        if target < 45 {
            return if rng.chance(70) {
                domain(rng, tld)
            } else {
                format!("<{}>", url(rng, tld))
            };
        }
        if rng.chance(50) {
            s.push_str(&sentence(rng, EN, 6, 14, tld, 0));
            s.push_str("\n\n");
        }
        while s.len() < target {
            let name = phrase(rng, EN, 2, 5);
            let l = link(rng, tld);
            let _ = writeln!(s, "- {name}: {l}");
        }
        return s.trim_end().to_string();
    }
    if target < 50 {
        s = capitalize(rng.pick(EN));
        while s.len() < target {
            s.push(' ');
            s.push_str(rng.pick(EN));
        }
        return s;
    }
    let mut listed = false;
    while s.len() < target {
        if !s.is_empty() {
            s.push_str("\n\n");
        }
        let left = target.saturating_sub(s.len());
        if !listed && !s.is_empty() && target >= 200 && rng.chance(50) {
            listed = true;
            for _ in 0..rng.range(2, 5) {
                let item = phrase(rng, EN, 3, 9);
                if rng.chance(40) {
                    let l = link(rng, tld);
                    let _ = writeln!(s, "- {item} ({l})");
                } else {
                    let _ = writeln!(s, "- {item}");
                }
            }
            s.truncate(s.trim_end().len());
            continue;
        }
        let n_words = (left / 7).clamp(4, 70);
        let p = paragraph(rng, EN, n_words, tld, 20);
        s.push_str(&p);
    }
    s
}

/// Words as a reader counts them: tokens with a letter or digit (not table rules).
fn word_count(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// A GFM table of `rows` rows.
fn table(rng: &mut Rng, rows: usize, tld: &str) -> String {
    let cols = rng.range(3, 5);
    let mut t = String::new();
    t.push_str("| Item");
    for c in 1..cols {
        let _ = write!(t, " | {}", 2015 + c * 2 + rng.below(3));
    }
    t.push_str(" |\n| ---");
    for _ in 1..cols {
        t.push_str(" | ---:");
    }
    t.push_str(" |\n");
    for _ in 0..rows {
        let label = phrase(rng, EN, 2, 5);
        if rng.chance(15) {
            let _ = write!(t, "| {label} ({})", domain(rng, tld));
        } else {
            let _ = write!(t, "| {label}");
        }
        for _ in 1..cols {
            let _ = write!(t, " | {}.{}", rng.below(100), rng.below(10));
        }
        t.push_str(" |\n");
    }
    t
}

// ------------------------------------------------------------------------------------
// YAML and TOML writing helpers
// ------------------------------------------------------------------------------------

fn yaml_quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `key: |-` and the value as a block literal at `indent`, as the importer writes answers.
fn yaml_text(out: &mut String, indent: usize, key: &str, value: &str) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}{key}: |-");
    for line in value.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}  {line}");
        }
    }
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn toml_list(xs: &[String]) -> String {
    let items: Vec<String> = xs.iter().map(|x| toml_str(x)).collect();
    format!("[{}]", items.join(", "))
}

fn write_file(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text).map_err(|e| err(format!("{}: {e}", path.display())))
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    let mut entries: Vec<_> = fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

fn remove_if_exists(p: &Path) -> io::Result<()> {
    if p.is_dir() {
        fs::remove_dir_all(p)?;
    } else if p.exists() {
        fs::remove_file(p)?;
    }
    Ok(())
}

/// Folder beside the corpus where old outputs are moved before a clean build; emptied when
/// the run ends.
fn trash_dir(root: &Path) -> PathBuf {
    root.with_file_name(".bench-trash")
}

/// Move `p` out of the way without deleting it. A clean build right after deleting ~12,000
/// files is measured unfairly on ext4 without a journal: allocating an inode skips every
/// inode freed in the last 60 s, or 360 s while its inode table block is not yet written
/// back (`recently_deleted`, `RECENTCY_MIN` and `RECENTCY_DIRTY` in the kernel's
/// `fs/ext4/ialloc.c`), which made file creation several
/// times slower for every tool measured (and `cp -r`). Renaming frees nothing, so each
/// clean build meets the disk as a fresh checkout would.
fn set_aside(p: &Path, trash: &Path) -> io::Result<()> {
    if !p.exists() {
        return Ok(());
    }
    fs::create_dir_all(trash)?;
    let mut n = 0;
    while trash.join(n.to_string()).exists() {
        n += 1;
    }
    fs::rename(p, trash.join(n.to_string()))
}

/// Delete what was set aside, and note when (untimed, at the end of a run).
fn empty_trash(trash: &Path) -> io::Result<()> {
    if trash.exists() {
        fs::remove_dir_all(trash)?;
        fs::write(trash.with_extension("emptied"), "")?;
    }
    Ok(())
}

/// Before a run: empty a trash left by an interrupted run, and wait until inodes freed
/// moments ago (by that or by the previous run) are no longer "recently deleted": 65 s,
/// past the kernel's 60 s once the freed inodes are written back (the 30 s writeback of
/// dirty data plus a sync; files deleted minutes earlier by other programs still count).
fn settle(trash: &Path, corpus: &Path) -> io::Result<()> {
    empty_trash(trash)?;
    // The marker of the last emptying, and the corpus description (`corpus` deletes the
    // previous corpus before writing).
    let corpus_note = corpus.join("BENCH-CORPUS.txt");
    let age = [trash.with_extension("emptied"), corpus_note]
        .iter()
        .filter_map(|p| fs::metadata(p).and_then(|m| m.modified()).ok())
        .filter_map(|t| t.elapsed().ok())
        .min();
    if let Some(age) = age {
        let _ = Command::new("sync").status();
        let settle = std::time::Duration::from_secs(65);
        if age < settle {
            eprintln!(
                "waiting {} s: files were deleted moments ago, which slows creating new ones",
                (settle - age).as_secs() + 1
            );
            std::thread::sleep(settle - age);
        }
    }
    Ok(())
}

// ------------------------------------------------------------------------------------
// The corpus
// ------------------------------------------------------------------------------------

/// Text lengths of the real answers, per kind, sorted (the empirical distribution).
struct Lengths {
    text: Vec<usize>,
    links: Vec<usize>,
    source: String,
}

/// Used when the real answers files are absent.
const BUILTIN_TEXT_LENGTHS: &[usize] = &[
    8, 12, 15, 20, 24, 30, 35, 42, 50, 60, 70, 85, 100, 120, 140, 170, 200, 240, 280, 330, 400,
    480, 560, 650, 800, 950, 1200, 1500, 1900, 2500, 3200,
];
const BUILTIN_LINK_LENGTHS: &[usize] = &[
    18, 22, 25, 28, 32, 40, 55, 70, 90, 120, 160, 220, 300, 420, 600,
];

fn real_lengths(from: &Path, catalogues: &[Catalogue]) -> Lengths {
    let kinds: BTreeMap<(String, String), QuestionKind> = catalogues
        .iter()
        .flat_map(|c| {
            c.questions
                .iter()
                .map(move |q| ((c.id.clone(), q.id.clone()), q.kind))
        })
        .collect();
    let mut text = Vec::new();
    let mut links = Vec::new();
    let mut files = 0;
    let mut paths = Vec::new();
    if let Ok(rd) = fs::read_dir(from.join("content/countries")) {
        for dir in rd.flatten() {
            if let Ok(inner) = fs::read_dir(dir.path()) {
                for f in inner.flatten() {
                    let p = f.path();
                    let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned());
                    if p.extension().is_some_and(|e| e == "yaml")
                        && stem.as_deref() != Some("country")
                    {
                        paths.push(p);
                    }
                }
            }
        }
    }
    paths.sort();
    for p in paths {
        let Ok(src) = fs::read_to_string(&p) else {
            continue;
        };
        let Ok(af) = serde_yaml::from_str::<AnswerFile>(&src) else {
            eprintln!(
                "note: {} is not a valid answers file yet; skipped",
                p.display()
            );
            continue;
        };
        files += 1;
        for (qid, a) in &af.answers {
            let Some(t) = a.text.as_deref().filter(|t| !t.trim().is_empty()) else {
                continue;
            };
            match kinds.get(&(af.edition.clone(), qid.clone())) {
                Some(QuestionKind::Links) => links.push(t.chars().count()),
                Some(QuestionKind::Text) => text.push(t.chars().count()),
                _ => {}
            }
        }
    }
    text.sort_unstable();
    links.sort_unstable();
    if text.len() >= 10 {
        if links.len() < 5 {
            links = BUILTIN_LINK_LENGTHS.to_vec();
        }
        Lengths {
            source: format!(
                "{} real answers files ({} text, {} links answers)",
                files,
                text.len(),
                links.len()
            ),
            text,
            links,
        }
    } else {
        Lengths {
            text: BUILTIN_TEXT_LENGTHS.to_vec(),
            links: BUILTIN_LINK_LENGTHS.to_vec(),
            source: "the built-in list (no real answers files found)".into(),
        }
    }
}

struct Doc {
    kind: &'static str,
    slug: String,
    title: String,
    year: u32,
    month: u32,
    day: Option<u32>,
    countries: Vec<String>,
    topics: Vec<String>,
    language: &'static str,
    publisher: String,
    url: Option<String>,
    summary: Option<String>,
    body: String,
}

impl Doc {
    fn date(&self) -> String {
        match self.day {
            Some(d) => format!("{:04}-{:02}-{:02}", self.year, self.month, d),
            None => format!("{:04}-{:02}", self.year, self.month),
        }
    }
    /// Hugo and Zola want a full date: the first of the month when only the month is known.
    fn full_date(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.year,
            self.month,
            self.day.unwrap_or(1)
        )
    }

    fn egovsite(&self) -> String {
        let mut s = String::from("---\n");
        let _ = writeln!(s, "title: {}", yaml_quoted(&self.title));
        let _ = writeln!(s, "date: {}", self.date());
        let _ = writeln!(s, "countries: [{}]", self.countries.join(", "));
        let _ = writeln!(s, "topics: [{}]", self.topics.join(", "));
        let _ = writeln!(s, "language: {}", self.language);
        s.push_str("source:\n");
        let _ = writeln!(s, "  publisher: {}", yaml_quoted(&self.publisher));
        if let Some(u) = &self.url {
            let _ = writeln!(s, "  url: {u}");
        }
        if let Some(sum) = &self.summary {
            let _ = writeln!(s, "summary: {}", yaml_quoted(sum));
        }
        s.push_str("---\n\n");
        s.push_str(&self.body);
        s
    }

    /// Hugo reads taxonomies and parameters from top-level keys; Zola refuses unknown
    /// top-level keys and wants them under [taxonomies] and [extra], so each twin has its
    /// own front matter.
    fn twin(&self, zola: bool) -> String {
        let mut s = String::from("+++\n");
        let _ = writeln!(s, "title = {}", toml_str(&self.title));
        let _ = writeln!(s, "date = {}", self.full_date());
        if let Some(sum) = &self.summary {
            let _ = writeln!(s, "description = {}", toml_str(sum));
        }
        if zola {
            s.push_str("[taxonomies]\n");
        }
        let _ = writeln!(s, "countries = {}", toml_list(&self.countries));
        let _ = writeln!(s, "tags = {}", toml_list(&self.topics));
        // Hugo before 0.123 reads its own parameters only at the top level.
        if zola {
            s.push_str("[extra]\n");
        }
        let _ = writeln!(s, "language = {}", toml_str(self.language));
        let _ = writeln!(s, "publisher = {}", toml_str(&self.publisher));
        if let Some(u) = &self.url {
            let _ = writeln!(s, "source_url = {}", toml_str(u));
        }
        s.push_str("+++\n\n");
        s.push_str(&self.body);
        s
    }
}

fn doc_common(
    rng: &mut Rng,
    countries: &[CountryGen],
    n_countries: usize,
) -> (Vec<String>, Vec<String>, &'static str) {
    let mut cs: Vec<String> = Vec::new();
    for _ in 0..n_countries {
        let c = &countries[rng.below(countries.len())].slug;
        if !cs.contains(c) {
            cs.push(c.clone());
        }
    }
    let mut ts: Vec<String> = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let t = rng.pick(TOPICS).to_string();
        if !ts.contains(&t) {
            ts.push(t);
        }
    }
    let lang = match rng.below(100) {
        0..=1 => "vi",
        2 => "fr",
        _ => "en",
    };
    (cs, ts, lang)
}

fn vocab(lang: &str) -> &'static [&'static str] {
    match lang {
        "vi" => VI,
        "fr" => FR,
        _ => EN,
    }
}

fn news_item(seed: u64, i: usize, countries: &[CountryGen]) -> Doc {
    let mut rng = Rng::for_item(seed, KIND_NEWS, i as u64);
    let n_c = rng.range(1, 3);
    let (cs, ts, lang) = doc_common(&mut rng, countries, n_c);
    let first = countries.iter().find(|c| c.slug == cs[0]).expect("country");
    let tld = first.tld.clone();
    let v = vocab(lang);
    let title = if lang == "en" {
        format!(
            "{} {} {}",
            first.name,
            rng.pick(NEWS_VERBS),
            rng.pick(NEWS_OBJECTS)
        )
    } else {
        format!("{}: {}", first.name, phrase(&mut rng, v, 5, 9))
    };
    let mut body = String::new();
    let target = rng.range(470, 590);
    let p = paragraph(&mut rng, v, 60, &tld, 10);
    body.push_str(&p);
    let mut section = 0;
    while word_count(&body) < target {
        section += 1;
        let _ = write!(body, "\n\n## {}\n\n", rng.pick(HEADINGS));
        let k = rng.range(60, 90);
        let p = paragraph(&mut rng, v, k, &tld, 15);
        body.push_str(&p);
        match section {
            1 => {
                body.push_str("\n\n");
                for _ in 0..rng.range(3, 5) {
                    let item = phrase(&mut rng, v, 4, 10);
                    let l = link(&mut rng, &tld);
                    let _ = writeln!(body, "- {item}: {l}");
                }
                body.truncate(body.trim_end().len());
            }
            2 => {
                body.push_str("\n\n");
                let k = rng.range(3, 5);
                let t = table(&mut rng, k, &tld);
                body.push_str(t.trim_end());
            }
            _ => {
                let k = rng.range(40, 80);
                let p = paragraph(&mut rng, v, k, &tld, 15);
                body.push_str("\n\n");
                body.push_str(&p);
            }
        }
    }
    body.push('\n');
    let summary = rng
        .chance(20)
        .then(|| sentence(&mut rng, EN, 15, 30, &tld, 0));
    Doc {
        kind: "news",
        slug: format!("news-{:05}", i + 1),
        title,
        year: 2010 + rng.below(15) as u32,
        month: 1 + rng.below(12) as u32,
        day: Some(1 + rng.below(28) as u32),
        countries: cs,
        topics: ts,
        language: lang,
        publisher: rng.pick(PUBLISHERS).to_string(),
        url: rng.chance(50).then(|| {
            format!(
                "https://news.example.org/{}/news-{:05}",
                2010 + i % 15,
                i + 1
            )
        }),
        summary,
        body,
    }
}

fn report(seed: u64, i: usize, countries: &[CountryGen]) -> Doc {
    let mut rng = Rng::for_item(seed, KIND_REPORT, i as u64);
    let n_c = rng.range(1, 5);
    let (cs, ts, _) = doc_common(&mut rng, countries, n_c);
    let lang = "en";
    let first = countries.iter().find(|c| c.slug == cs[0]).expect("country");
    let tld = first.tld.clone();
    let title = format!(
        "Digital Government Review of {}: {}",
        first.name,
        phrase(&mut rng, EN, 3, 6)
    );
    let target = rng.range(4100, 4700);
    let mut body = String::new();
    let mut footnotes: Vec<String> = Vec::new();
    let p = paragraph(&mut rng, EN, 120, &tld, 5);
    body.push_str(&p);
    let mut sec = 0;
    let mut tables = 0;
    while word_count(&body) < target {
        sec += 1;
        let _ = write!(body, "\n\n## {sec}. {}\n", rng.pick(HEADINGS));
        for sub in 1..=rng.range(2, 3) {
            let _ = write!(body, "\n### {sec}.{sub} {}\n", phrase(&mut rng, EN, 2, 5));
            for _ in 0..rng.range(2, 4) {
                let k = rng.range(70, 120);
                let mut p = paragraph(&mut rng, EN, k, &tld, 8);
                if rng.chance(35) {
                    let k = footnotes.len() + 1;
                    p.pop();
                    let _ = write!(p, "[^{k}].");
                    let src = sentence(&mut rng, EN, 6, 12, &tld, 0);
                    footnotes.push(format!("[^{k}]: {src} <{}>", url(&mut rng, &tld)));
                }
                body.push('\n');
                body.push_str(&p);
                body.push('\n');
            }
            if rng.chance(40) {
                body.push('\n');
                for _ in 0..rng.range(3, 6) {
                    let item = sentence(&mut rng, EN, 6, 16, &tld, 10);
                    let _ = writeln!(body, "- {item}");
                }
            }
        }
        if tables < 6 && (sec % 2 == 1 || rng.chance(30)) {
            tables += 1;
            let _ = write!(body, "\nTable {tables}: {}\n\n", phrase(&mut rng, EN, 4, 8));
            let k = rng.range(6, 10);
            let t = table(&mut rng, k, &tld);
            body.push_str(&t);
        }
    }
    if !footnotes.is_empty() {
        body.push('\n');
        for f in &footnotes {
            body.push('\n');
            body.push_str(f);
            body.push('\n');
        }
    }
    let month = 1 + rng.below(12) as u32;
    let day = rng.chance(70).then(|| 1 + rng.below(28) as u32);
    Doc {
        kind: "reports",
        slug: format!("report-{:04}", i + 1),
        title,
        year: 2012 + rng.below(13) as u32,
        month,
        day,
        countries: cs,
        topics: ts,
        language: lang,
        publisher: rng.pick(PUBLISHERS).to_string(),
        url: rng
            .chance(70)
            .then(|| format!("https://publications.example.org/report-{:04}", i + 1)),
        summary: Some(sentence(&mut rng, EN, 30, 60, &tld, 0)),
        body,
    }
}

fn country_yaml(seed: u64, i: usize, c: &CountryGen) -> String {
    let mut rng = Rng::for_item(seed, KIND_COUNTRY, i as u64);
    let mut s = String::new();
    let _ = writeln!(s, "name: {}", c.name);
    let _ = writeln!(s, "official_name: Republic of {}", c.name);
    let _ = writeln!(s, "iso3: {}", c.iso3);
    let _ = writeln!(s, "region: {}", REGIONS[i % REGIONS.len()]);
    let groups: Vec<&str> = GROUPINGS
        .iter()
        .filter(|(_, pct)| rng.chance(*pct))
        .map(|(g, _)| *g)
        .collect();
    if !groups.is_empty() {
        s.push_str("groupings:\n");
        for g in groups {
            let _ = writeln!(s, "  - {g}");
        }
    }
    let mut langs = vec![rng.pick(LANGS)];
    if rng.chance(30) {
        let l = rng.pick(LANGS);
        if !langs.contains(&l) {
            langs.push(l);
        }
    }
    let _ = writeln!(s, "languages: [{}]", langs.join(", "));
    if rng.chance(60) {
        s.push_str("indicators:\n");
        for (name, year) in [
            ("EGDI", 2020),
            ("EGDI", 2022),
            ("Online Service Index (OSI)", 2022),
        ] {
            let value = rng.range(1500, 9800) as f64 / 10000.0;
            let _ = writeln!(s, "  - name: {name}");
            let _ = writeln!(s, "    year: {year}");
            let _ = writeln!(s, "    value: {value}");
            let _ = writeln!(
                s,
                "    source: \"Synthetic benchmark figure (UN E-Government Survey {year} format)\""
            );
        }
    }
    s
}

fn answers_yaml(
    seed: u64,
    i: usize,
    c: &CountryGen,
    cat: &Catalogue,
    ed_index: usize,
    lengths: &Lengths,
) -> String {
    let mut rng = Rng::for_item(seed, KIND_ANSWERS, (i * 16 + ed_index) as u64);
    let mut s =
        String::from("# Synthetic answers written by the egovsite benchmark corpus generator.\n");
    let _ = writeln!(s, "edition: {}", cat.id);
    s.push_str("source:\n");
    s.push_str(
        "  document: Synthetic answers written by the egovsite benchmark corpus generator\n",
    );
    let _ = writeln!(s, "  file: {}-{}-export.txt", c.slug, cat.id);
    let _ = writeln!(s, "  respondent: \"{}\"", rng.range(1, 200));
    let _ = writeln!(
        s,
        "  time_to_complete: \"{}:{:02}\"",
        rng.range(20, 240),
        rng.below(60)
    );
    let _ = writeln!(
        s,
        "  organisation: Ministry of Digital Government of {}",
        c.name
    );
    // Children of each question, for follow-ups and inferred choices.
    let mut children: BTreeMap<&str, Vec<&Question>> = BTreeMap::new();
    for q in &cat.questions {
        if let Some(up) = &q.follow_up_of {
            children.entry(up.as_str()).or_default().push(q);
        }
    }
    let n = i + 1;
    let mut contacts = String::new();
    let mut answers = String::new();
    let mut names = 0;
    let mut emails = 0;
    // Whether each parent question's answer was "no".
    let mut said_no: BTreeMap<&str, bool> = BTreeMap::new();
    for q in &cat.questions {
        let id = q.id.as_str();
        let mut a = String::new();
        match q.kind {
            QuestionKind::PersonName => {
                names += 1;
                let who = if names == 1 {
                    "Respondent"
                } else {
                    "Focal Point"
                };
                let _ = writeln!(contacts, "  {id}: {who} {n:03}");
                continue;
            }
            QuestionKind::Email => {
                emails += 1;
                let who = if emails == 1 { "respondent" } else { "focal" };
                let _ = writeln!(contacts, "  {id}: {who}{n:03}@example.org");
                continue;
            }
            QuestionKind::Country => {
                yaml_text(&mut a, 4, "text", &c.name);
            }
            QuestionKind::YesNo => {
                let r = rng.below(100);
                let no = (55..70).contains(&r);
                said_no.insert(id, no);
                if r < 55 {
                    a.push_str("    choice: \"yes\"\n");
                } else if no {
                    a.push_str("    choice: \"no\"\n");
                } else if r < 82 {
                    a.push_str("    choice: unknown\n");
                } else if r < 94 {
                    a.push_str("    choice: \"yes\"\n");
                    let why = match children.get(id).and_then(|c| c.first()) {
                        Some(f) => format!("detail given in {}", f.id),
                        None => "the answers that follow describe it".to_string(),
                    };
                    let _ = writeln!(a, "    inferred: {}", yaml_quoted(&why));
                } else if q.other {
                    let o = phrase(&mut rng, EN, 3, 8);
                    let _ = writeln!(a, "    other: {}", yaml_quoted(&o));
                } else {
                    a.push_str("    no_answer: No data\n");
                }
            }
            QuestionKind::SingleChoice => {
                let r = rng.below(100);
                if r < 75 {
                    let _ = writeln!(
                        a,
                        "    choice: {}",
                        yaml_quoted(&q.options[rng.below(q.options.len())])
                    );
                } else if r < 90 || !q.other {
                    a.push_str("    choice: unknown\n");
                } else {
                    let o = phrase(&mut rng, EN, 1, 4);
                    let _ = writeln!(a, "    other: {}", yaml_quoted(&o));
                }
            }
            QuestionKind::MultipleChoice => {
                let r = rng.below(100);
                if r < 70 {
                    a.push_str("    choice:\n");
                    let mut any = false;
                    for o in &q.options {
                        if rng.chance(45) {
                            any = true;
                            let _ = writeln!(a, "      - {}", yaml_quoted(o));
                        }
                    }
                    if !any {
                        let _ = writeln!(a, "      - {}", yaml_quoted(&q.options[0]));
                    }
                    if q.other && rng.chance(20) {
                        let o = phrase(&mut rng, EN, 3, 8);
                        let _ = writeln!(a, "    other: {}", yaml_quoted(&o));
                    }
                } else {
                    a.push_str("    choice: unknown\n");
                }
            }
            QuestionKind::Text | QuestionKind::Links => {
                let parent_no = q
                    .follow_up_of
                    .as_deref()
                    .and_then(|p| said_no.get(p))
                    .copied()
                    .unwrap_or(false);
                if (parent_no && rng.chance(85)) || rng.chance(12) {
                    continue;
                }
                if rng.chance(3) {
                    a.push_str("    no_answer: N/A\n");
                } else {
                    let pool = if q.kind == QuestionKind::Links {
                        &lengths.links
                    } else {
                        &lengths.text
                    };
                    let base = rng.pick(pool);
                    let target = (base * rng.range(85, 115) / 100).max(3);
                    let text = answer_text(&mut rng, target, q.kind, &c.tld);
                    yaml_text(&mut a, 4, "text", &text);
                }
            }
        }
        if q.kind != QuestionKind::Country {
            if rng.chance(10) {
                a.push_str("    reviewed: true\n");
            }
            if rng.chance(3) {
                let note = sentence(&mut rng, EN, 6, 14, &c.tld, 0);
                let _ = writeln!(a, "    note: {}", yaml_quoted(&note));
            }
        }
        let _ = write!(answers, "  {id}:\n{a}");
    }
    if !contacts.is_empty() {
        s.push_str("contacts:\n");
        s.push_str(&contacts);
    }
    s.push_str("answers:\n");
    s.push_str(&answers);
    s
}

const TWIN_SECTIONS: &[(&str, &str)] = &[("news", "News"), ("reports", "Reports")];

fn corpus(a: &CorpusArgs) -> io::Result<()> {
    let start = Instant::now();
    if a.countries == 0 {
        return Err(err("--countries must be at least 1"));
    }
    let content = a.out.join("content");
    let marker = a.out.join("BENCH-CORPUS.txt");
    if content.exists() && !marker.exists() {
        return Err(err(format!(
            "{} holds content/ not written by this generator; refusing to replace it",
            a.out.display()
        )));
    }
    remove_if_exists(&content)?;
    remove_if_exists(&a.out.join("themes"))?;
    fs::create_dir_all(&content)?;
    fs::copy(a.from.join("content/site.yaml"), content.join("site.yaml"))?;
    copy_dir(
        &a.from.join("content/questionnaires"),
        &content.join("questionnaires"),
    )?;
    copy_dir(
        &a.from.join("themes/default"),
        &a.out.join("themes/default"),
    )?;

    let mut cat_paths: Vec<PathBuf> = fs::read_dir(content.join("questionnaires"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cat_paths.sort();
    let mut catalogues = Vec::new();
    for p in &cat_paths {
        let src = fs::read_to_string(p)?;
        let cat: Catalogue =
            serde_yaml::from_str(&src).map_err(|e| err(format!("{}: {e}", p.display())))?;
        catalogues.push(cat);
    }
    let lengths = real_lengths(&a.from, &catalogues);

    let countries: Vec<CountryGen> = (0..a.countries).map(country_gen).collect();
    let mut bytes = 0usize;
    for (i, c) in countries.iter().enumerate() {
        let dir = content.join("countries").join(&c.slug);
        let y = country_yaml(a.seed, i, c);
        bytes += y.len();
        write_file(&dir.join("country.yaml"), &y)?;
        for (e, cat) in catalogues.iter().enumerate() {
            let y = answers_yaml(a.seed, i, c, cat, e, &lengths);
            bytes += y.len();
            write_file(&dir.join(format!("{}.yaml", cat.id)), &y)?;
        }
    }

    let twin_dirs: Vec<(PathBuf, bool)> = if a.no_twins {
        Vec::new()
    } else {
        vec![
            (a.twins.join("twin-hugo").join("content"), false),
            (a.twins.join("twin-zola").join("content"), true),
        ]
    };
    for (dir, zola) in &twin_dirs {
        remove_if_exists(dir)?;
        for (section, title) in TWIN_SECTIONS {
            let index = if *zola {
                format!("+++\ntitle = \"{title}\"\nsort_by = \"date\"\npaginate_by = 10\n+++\n")
            } else {
                format!("+++\ntitle = \"{title}\"\n+++\n")
            };
            write_file(&dir.join(section).join("_index.md"), &index)?;
        }
        let root = if *zola {
            "+++\ntitle = \"Home\"\n+++\n"
        } else {
            "+++\ntitle = \"egovsite benchmark twin\"\n+++\n"
        };
        write_file(&dir.join("_index.md"), root)?;
    }

    write_file(&content.join("document-topics.yaml"), &doc_topics_yaml())?;
    let mut doc_bytes = 0usize;
    let mut words = 0usize;
    let docs = (0..a.news)
        .map(|i| news_item(a.seed, i, &countries))
        .chain((0..a.reports).map(|i| report(a.seed, i, &countries)));
    for d in docs {
        let file = format!("{}.md", d.slug);
        let text = d.egovsite();
        doc_bytes += text.len();
        words += d.body.split_whitespace().count();
        write_file(&content.join(d.kind).join(&file), &text)?;
        for (dir, zola) in &twin_dirs {
            write_file(&dir.join(d.kind).join(&file), &d.twin(*zola))?;
        }
    }
    write_file(
        &marker,
        &format!(
            "Written by `cargo run --release --example bench --features bench -- corpus --countries {} --news {} --reports {} --seed {}`.\n\
             Answer lengths drawn from {}.\n",
            a.countries, a.news, a.reports, a.seed, lengths.source
        ),
    )?;
    println!(
        "wrote {}: {} countries ({} answers files, {:.1} MiB), {} news items and {} reports ({:.1} MiB, {} words) in {} ms",
        a.out.display(),
        a.countries,
        a.countries * catalogues.len(),
        bytes as f64 / 1048576.0,
        a.news,
        a.reports,
        doc_bytes as f64 / 1048576.0,
        words,
        start.elapsed().as_millis()
    );
    println!("answer text lengths drawn from {}", lengths.source);
    for (dir, _) in &twin_dirs {
        println!("wrote twin {}", dir.display());
    }
    Ok(())
}

// ------------------------------------------------------------------------------------
// The runner
// ------------------------------------------------------------------------------------

struct Measured {
    wall: Duration,
    /// Peak resident set size in KiB, when the platform reports it.
    peak_kib: Option<u64>,
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Run a child to completion; wall clock and peak RSS from wait4.
#[cfg(target_os = "linux")]
fn measure(cmd: &mut Command) -> io::Result<Measured> {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut out = child.stdout.take().expect("piped");
    let mut errp = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = errp.read_to_string(&mut s);
        s
    });
    let mut stdout = String::new();
    out.read_to_string(&mut stdout)?;
    let stderr = reader.join().unwrap_or_default();
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; zeroed is a valid value for it.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet reaped; the pointers are valid for the call.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    let wall = start.elapsed();
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(Measured {
        wall,
        peak_kib: Some(ru.ru_maxrss as u64),
        ok: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        stdout,
        stderr,
    })
}

#[cfg(not(target_os = "linux"))]
fn measure(cmd: &mut Command) -> io::Result<Measured> {
    let start = Instant::now();
    let out = cmd.stdin(Stdio::null()).output()?;
    Ok(Measured {
        wall: start.elapsed(),
        peak_kib: None,
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

#[derive(Default, Clone, Copy)]
struct OutputStats {
    html: usize,
    files: usize,
    bytes: u64,
}

fn output_stats(dir: &Path) -> OutputStats {
    let mut st = OutputStats::default();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                st.files += 1;
                if e.path().extension().is_some_and(|x| x == "html") {
                    st.html += 1;
                }
                st.bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    st
}

struct Row {
    step: String,
    walls: Vec<Duration>,
    peak_kib: Option<u64>,
    stats: Option<OutputStats>,
    /// The last line the program printed on its last run (egovsite's own summary).
    note: String,
    /// Per-phase times (`egovsite build --verbose`), one list per run.
    phases: Vec<Vec<(String, f64)>>,
}

/// Lines such as `  1526.5 ms  load and validate` from `egovsite build --verbose`.
fn parse_phases(stderr: &str) -> Vec<(String, f64)> {
    stderr
        .lines()
        .filter_map(|l| {
            let (num, rest) = l.trim().split_once(" ms ")?;
            // `build --verbose` adds processor time and peak memory in brackets: not part
            // of the phase's name.
            let name = rest.split("  (").next().unwrap_or(rest);
            Some((name.trim().to_string(), num.trim().parse().ok()?))
        })
        .collect()
}

/// The median of each phase over the runs, in the order egovsite prints them.
fn phase_medians(runs: &[Vec<(String, f64)>]) -> Vec<(String, f64)> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    first
        .iter()
        .map(|(name, _)| {
            let mut v: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.iter().find(|(n, _)| n == name).map(|p| p.1))
                .collect();
            v.sort_by(f64::total_cmp);
            (name.clone(), v[v.len() / 2])
        })
        .collect()
}

impl Row {
    fn sorted(&self) -> Vec<Duration> {
        let mut w = self.walls.clone();
        w.sort();
        w
    }
    fn best(&self) -> Option<Duration> {
        self.sorted().first().copied()
    }
    fn median(&self) -> Option<Duration> {
        let w = self.sorted();
        w.get(w.len() / 2).copied()
    }
}

fn ms(d: Option<Duration>) -> String {
    d.map(|d| format!("{:.0}", d.as_secs_f64() * 1000.0))
        .unwrap_or_else(|| "N/A".into())
}

fn mib(kib: Option<u64>) -> String {
    kib.map(|k| format!("{:.1}", k as f64 / 1024.0))
        .unwrap_or_else(|| "N/A".into())
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Puts a file's original bytes back when dropped, even on error.
struct Restore {
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Restore {
    fn new(path: &Path) -> io::Result<Restore> {
        Ok(Restore {
            path: path.to_path_buf(),
            bytes: fs::read(path).map_err(|e| err(format!("{}: {e}", path.display())))?,
        })
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        if let Err(e) = fs::write(&self.path, &self.bytes) {
            eprintln!("error: could not restore {}: {e}", self.path.display());
        }
    }
}

/// GET `path` from the server on `port`; the body, or empty on any failure.
fn http_get(port: u16, path: &str) -> String {
    use std::io::Write;
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return String::new();
    }
    let mut body = Vec::new();
    let _ = stream.read_to_end(&mut body);
    String::from_utf8_lossy(&body).into_owned()
}

/// How [`serve_latency`] edits a file: (original text, marker) to the edited text.
type Edit = dyn Fn(&str, &str) -> io::Result<String>;

/// An answers file with a note holding `marker` added to its first answer.
fn note_on_first_answer(original: &str, marker: &str) -> io::Result<String> {
    let at = original
        .find("\n  q1:\n")
        .map(|i| i + "\n  q1:\n".len())
        .ok_or_else(|| err("no q1 in the answers file"))?;
    Ok(format!(
        "{}    note: \"{marker}.\"\n{}",
        &original[..at],
        &original[at..]
    ))
}

/// A document with a paragraph holding `marker` added at its end.
fn paragraph_at_end(original: &str, marker: &str) -> io::Result<String> {
    Ok(format!("{original}\n\n{marker}.\n"))
}

/// `egovsite serve` on the corpus: after each edit of `file` (by `edit`), the time until
/// the server returns `page` with the edit, polled every millisecond. Waits for the full
/// rebuild that follows each edit before the next one.
fn serve_latency(
    bin: &Path,
    root: &Path,
    (file, edit, what): (&Path, &Edit, &str),
    page: &str,
    repeat: usize,
) -> io::Result<Vec<Duration>> {
    use std::io::BufRead;
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))?
        .local_addr()?
        .port();
    let mut child = Command::new(bin)
        .args(["serve", "--root"])
        .arg(root)
        .args(["--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or_else(|| err("no stdout"))?;
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |prefix: &str| -> io::Result<()> {
        loop {
            match rx.recv_timeout(Duration::from_secs(300)) {
                Ok(line) if line.starts_with(prefix) => return Ok(()),
                Ok(_) => {}
                Err(_) => return Err(err(format!("serve printed no `{prefix}` line"))),
            }
        }
    };
    let result = (|| {
        wait_for("serving")?;
        let guard = Restore::new(file)?;
        let original = String::from_utf8_lossy(&guard.bytes).into_owned();
        let mut times = Vec::new();
        for i in 0..repeat {
            let marker = format!("Serve latency probe {i}");
            let edited = edit(&original, &marker)?;
            let start = Instant::now();
            fs::write(file, edited)?;
            loop {
                if http_get(port, page).contains(&marker) {
                    break;
                }
                if start.elapsed() > Duration::from_secs(300) {
                    return Err(err("the edit was never served"));
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            times.push(start.elapsed());
            eprintln!(
                "  serve, {what} edited until served #{}: {} ms",
                i + 1,
                start.elapsed().as_millis()
            );
            wait_for("rebuilt")?;
        }
        drop(guard);
        wait_for("rebuilt")?;
        Ok(times)
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn newest_mtime(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(m) = e.metadata().and_then(|m| m.modified()) {
                newest = newest.max(Some(m));
            }
        }
    }
    newest
}

fn egovsite_binary(a: &RunArgs) -> io::Result<PathBuf> {
    if let Some(b) = &a.bin {
        return Ok(b.clone());
    }
    if a.cargo_build {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        println!("running cargo build --release --bin egovsite ...");
        let st = Command::new(cargo)
            .args(["build", "--release", "--bin", "egovsite"])
            .status()?;
        if !st.success() {
            return Err(err("cargo build --release failed"));
        }
    }
    // This example lives in <target>/<profile>/examples/; the binary in <target>/release/.
    let exe = std::env::current_exe()?;
    let target = exe
        .parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .ok_or_else(|| err("cannot locate the target folder"))?;
    let bin = target
        .join("release")
        .join(format!("egovsite{}", std::env::consts::EXE_SUFFIX));
    if !bin.is_file() {
        return Err(err(format!(
            "{} not found: run `cargo build --release` first (or pass --cargo-build or --bin)",
            bin.display()
        )));
    }
    Ok(bin)
}

/// Run one step `repeat` times; returns the last run's output.
fn run_step(
    repeat: usize,
    rows: &mut Vec<Row>,
    step: &str,
    prepare: &mut dyn FnMut(usize) -> io::Result<()>,
    make: &dyn Fn() -> Command,
    out_dir: Option<&Path>,
) -> io::Result<Option<Measured>> {
    let mut row = Row {
        step: step.to_string(),
        walls: Vec::new(),
        peak_kib: None,
        stats: None,
        note: String::new(),
        phases: Vec::new(),
    };
    let mut last = None;
    for i in 0..repeat {
        prepare(i)?;
        // Every run starts with no dirty pages left by the one before (untimed).
        let _ = Command::new("sync").status();
        let m = measure(&mut make())?;
        if !m.ok {
            return Err(err(format!(
                "{step} failed:\n{}\n{}",
                m.stdout.trim(),
                m.stderr.trim()
            )));
        }
        eprintln!("  {step} #{}: {} ms", i + 1, ms(Some(m.wall)));
        row.walls.push(m.wall);
        row.peak_kib = row.peak_kib.max(m.peak_kib);
        let phases = parse_phases(&m.stderr);
        if !phases.is_empty() {
            row.phases.push(phases);
        }
        last = Some(m);
    }
    row.stats = out_dir.map(output_stats);
    if let Some(m) = &last {
        row.note = m.stdout.lines().last().unwrap_or("").trim().to_string();
    }
    rows.push(row);
    Ok(last)
}

fn run(a: &RunArgs) -> io::Result<()> {
    let bin = egovsite_binary(a)?;
    let root = a.corpus.clone();
    if !root.join("content/site.yaml").is_file() {
        return Err(err(format!(
            "{} is not a corpus: run `cargo run --release --example bench --features bench -- corpus` first",
            root.display()
        )));
    }
    if let (Ok(b), Some(src)) = (
        fs::metadata(&bin).and_then(|m| m.modified()),
        newest_mtime(Path::new("src")),
    ) {
        if src > b {
            println!(
                "warning: {} is older than src/: run `cargo build --release` for current figures",
                bin.display()
            );
        }
    }
    let repeat = a.repeat.max(1);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = a.threads.unwrap_or(cores);
    let set_threads = |cmd: &mut Command| {
        if let Some(t) = a.threads {
            cmd.env("RAYON_NUM_THREADS", t.to_string())
                .env("GOMAXPROCS", t.to_string());
        }
    };
    let output = root.join("public");
    let trash = trash_dir(&root);
    settle(&trash, &root)?;
    let clean_egov = || -> io::Result<()> {
        set_aside(&output, &trash)?;
        set_aside(&root.join(".public.staging"), &trash)?;
        set_aside(&root.join(".public.previous"), &trash)
    };
    let egov = |args: &[&str]| {
        let mut c = Command::new(&bin);
        c.args(args);
        set_threads(&mut c);
        c
    };
    let root_s = root.to_string_lossy().into_owned();
    let out_s = output.to_string_lossy().into_owned();
    // Per-phase times when the binary offers them (`build --verbose`, printed on stderr).
    let verbose = Command::new(&bin)
        .args(["build", "--help"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("--verbose"));
    let mut build_args = vec!["build", "--root", &root_s, "--output", &out_s];
    if verbose {
        build_args.push("--verbose");
    }

    println!("egovsite benchmark");
    println!("  binary:  {}", bin.display());
    println!("  corpus:  {}", root.display());
    if let Ok(m) = fs::read_to_string(root.join("BENCH-CORPUS.txt")) {
        for l in m.lines() {
            println!("           {l}");
        }
    }
    println!(
        "  threads: {threads} ({}; {cores} cores available)",
        if a.threads.is_some() {
            "RAYON_NUM_THREADS / GOMAXPROCS set"
        } else {
            "all cores: rayon's default"
        }
    );
    println!("  runs per step: {repeat}");
    println!();

    let mut rows: Vec<Row> = Vec::new();
    // (a) full clean build
    run_step(
        repeat,
        &mut rows,
        "egovsite full clean build",
        &mut |_| clean_egov(),
        &|| egov(&build_args),
        Some(&output),
    )?;
    // (b) no-change rebuild
    run_step(
        repeat,
        &mut rows,
        "egovsite no-change rebuild",
        &mut |_| Ok(()),
        &|| egov(&build_args),
        Some(&output),
    )?;
    // (c) one country's answers changed: a note added to the answer to q1.
    let country_file = {
        let dir = root.join("content/countries");
        let mut dirs: Vec<PathBuf> = fs::read_dir(&dir)?.flatten().map(|e| e.path()).collect();
        dirs.sort();
        let first = dirs.first().ok_or_else(|| err("no countries in corpus"))?;
        let mut files: Vec<PathBuf> = fs::read_dir(first)?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().is_some_and(|n| n != "country.yaml"))
            .collect();
        files.sort();
        files
            .pop()
            .ok_or_else(|| err("first country has no answers file"))?
    };
    {
        let guard = Restore::new(&country_file)?;
        let original = String::from_utf8_lossy(&guard.bytes).into_owned();
        let path = country_file.clone();
        run_step(
            repeat,
            &mut rows,
            "egovsite rebuild, 1 answers file changed",
            &mut |i| {
                let edited = match original.find("\n  q1:\n") {
                    Some(at) => {
                        let at = at + "\n  q1:\n".len();
                        format!(
                            "{}    note: \"Benchmark edit {i}: answer re-checked.\"\n{}",
                            &original[..at],
                            &original[at..]
                        )
                    }
                    None => format!("{original}# benchmark edit {i}\n"),
                };
                fs::write(&path, edited)
            },
            &|| egov(&build_args),
            Some(&output),
        )?;
        drop(guard);
    }
    // (d) one news item changed: a paragraph appended.
    let news_file = {
        let mut files: Vec<PathBuf> = fs::read_dir(root.join("content/news"))?
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        files
            .into_iter()
            .next()
            .ok_or_else(|| err("no news items in corpus"))?
    };
    {
        let guard = Restore::new(&news_file)?;
        let original = String::from_utf8_lossy(&guard.bytes).into_owned();
        let path = news_file.clone();
        run_step(
            repeat,
            &mut rows,
            "egovsite rebuild, 1 news item changed",
            &mut |i| {
                fs::write(
                    &path,
                    format!("{original}\nBenchmark edit {i}: one more paragraph.\n"),
                )
            },
            &|| egov(&build_args),
            Some(&output),
        )?;
        drop(guard);
    }
    // A build after the restores, so the output matches the corpus again (not timed).
    let m = measure(&mut egov(&build_args))?;
    if !m.ok {
        return Err(err(format!("final build failed: {}", m.stderr.trim())));
    }
    // Phase split: load + validate only.
    run_step(
        repeat,
        &mut rows,
        "egovsite check (load + validate only)",
        &mut |_| Ok(()),
        &|| egov(&["check", "--root", &root_s]),
        None,
    )?;
    // (e) cp -r of the output
    let copy = root.join(".bench-cp-copy");
    let copy_s = copy.to_string_lossy().into_owned();
    run_step(
        repeat,
        &mut rows,
        "cp -r of egovsite's output",
        &mut |_| set_aside(&copy, &trash),
        &|| {
            let mut c = Command::new("cp");
            c.args(["-r", &out_s, &copy_s]);
            c
        },
        Some(&copy),
    )?;
    set_aside(&copy, &trash)?;

    // (f) serve: an edit of one answers file until the country's profile is served updated,
    // then of one news item until its page is.
    let profile = format!(
        "/countries/{}.html",
        country_file
            .parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    let news_page = format!(
        "/news/{}.html",
        news_file
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    let edits: [(&Path, &Edit, &str, &str, &str); 2] = [
        (
            &country_file,
            &note_on_first_answer,
            "answers file",
            &profile,
            "egovsite serve: 1 answers file edited, until its profile is served",
        ),
        (
            &news_file,
            &paragraph_at_end,
            "news item",
            &news_page,
            "egovsite serve: 1 news item edited, until its page is served",
        ),
    ];
    for (file, edit, what, page, step) in edits {
        rows.push(Row {
            step: step.into(),
            walls: serve_latency(&bin, &root, (file, edit, what), page, repeat)?,
            peak_kib: None,
            stats: None,
            note: String::new(),
            phases: Vec::new(),
        });
    }

    // (g) Hugo, (h) Zola
    let mut twin_rows: Vec<(&str, Option<usize>)> = Vec::new();
    for (tool, dir) in [("hugo", "twin-hugo"), ("zola", "twin-zola")] {
        let twin = a.twins.join(dir);
        let found = on_path(tool);
        let Some(exe) = found.filter(|_| !a.no_twins) else {
            rows.push(Row {
                step: format!("{tool} full clean build (twin)"),
                walls: Vec::new(),
                peak_kib: None,
                stats: None,
                note: format!("N/A: {tool} is not on PATH"),
                phases: Vec::new(),
            });
            twin_rows.push((tool, None));
            continue;
        };
        let config = if tool == "hugo" {
            "hugo.toml"
        } else {
            "config.toml"
        };
        if !twin.join(config).is_file() {
            return Err(err(format!(
                "{} has no {config}: --twins must name the folder holding the bench/ twins",
                twin.display()
            )));
        }
        if !twin.join("content").is_dir() {
            return Err(err(format!(
                "{} has no content/: run the corpus command first",
                twin.display()
            )));
        }
        let public = twin.join("public");
        let public_abs = std::env::current_dir()?.join(&public);
        let twin_s = twin.to_string_lossy().into_owned();
        let public_s = public_abs.to_string_lossy().into_owned();
        let make = || {
            let mut c = Command::new(&exe);
            if tool == "hugo" {
                c.args(["--source", &twin_s, "--destination", &public_s, "--quiet"]);
            } else {
                c.args([
                    "--root",
                    &twin_s,
                    "build",
                    "--output-dir",
                    &public_s,
                    "--force",
                ]);
            }
            set_threads(&mut c);
            c
        };
        let twin_c = twin.clone();
        run_step(
            repeat,
            &mut rows,
            &format!("{tool} full clean build (twin)"),
            &mut |_| {
                set_aside(&public, &trash)?;
                set_aside(&twin_c.join("resources"), &trash)
            },
            &make,
            Some(&public),
        )?;
        twin_rows.push((tool, Some(rows.len() - 1)));
    }

    empty_trash(&trash)?;

    // The table.
    println!();
    println!("| step | best ms | median ms | peak MB | pages (.html) | files | output bytes |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in &rows {
        let (pages, files, bytes) = match r.stats {
            Some(s) => (s.html.to_string(), s.files.to_string(), s.bytes.to_string()),
            None => ("".into(), "".into(), "".into()),
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.step,
            ms(r.best()),
            ms(r.median()),
            mib(r.peak_kib),
            pages,
            files,
            bytes
        );
    }
    println!();
    let with_phases: Vec<&Row> = rows.iter().filter(|r| !r.phases.is_empty()).collect();
    if !with_phases.is_empty() {
        println!("egovsite's phases (`build --verbose`), median ms over the runs:");
        println!();
        let names: Vec<String> = phase_medians(&with_phases[0].phases)
            .into_iter()
            .map(|p| p.0)
            .collect();
        println!("| step | {} |", names.join(" | "));
        println!("| --- |{}", " ---: |".repeat(names.len()));
        for r in &with_phases {
            let med = phase_medians(&r.phases);
            let cells: Vec<String> = names
                .iter()
                .map(|n| {
                    med.iter()
                        .find(|p| &p.0 == n)
                        .map_or("".into(), |p| format!("{:.0}", p.1))
                })
                .collect();
            println!("| {} | {} |", r.step, cells.join(" | "));
        }
        println!();
    }
    println!("What each program printed on the last run of a step:");
    for r in rows.iter().filter(|r| !r.note.is_empty()) {
        println!("  {}: {}", r.step, r.note);
    }
    for (what, path) in [("answers file", &country_file), ("news item", &news_file)] {
        println!(
            "The changed {what}: {}",
            path.strip_prefix(&root).unwrap_or(path).display()
        );
    }
    println!("threads: {threads}; times are wall clock; peak MB is the child's maximum resident set (wait4).");
    println!();

    let egov_peak = rows
        .iter()
        .filter(|r| r.step.starts_with("egovsite"))
        .filter_map(|r| r.peak_kib)
        .max();
    let cp = rows.iter().find(|r| r.step.starts_with("cp -r"));
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    println!("targets (ratios of medians; of best times in brackets):");
    let ratio = |x: &Row, y: &Row| -> Option<(f64, f64)> {
        Some((
            x.median()?.as_secs_f64() / y.median()?.as_secs_f64(),
            x.best()?.as_secs_f64() / y.best()?.as_secs_f64(),
        ))
    };
    let full = &rows[0];
    for (tool, idx) in &twin_rows {
        let want = if *tool == "hugo" { 2.0 } else { 1.5 };
        match idx.and_then(|i| ratio(&rows[i], full)) {
            Some((med, best)) => println!(
                "  full clean build vs {tool}: {tool} time / egovsite time = {med:.2} ({best:.2}) (target >= {want}): {}",
                verdict(med >= want)
            ),
            None => println!(
                "  full clean build vs {tool}: N/A ({tool} not installed; target >= {want})"
            ),
        }
    }
    if let Some((med, best)) = cp.and_then(|c| ratio(full, c)) {
        println!(
            "  full clean build vs cp -r of its output: egovsite time / cp time = {med:.2} ({best:.2}) (target <= 1.5): {}",
            verdict(med <= 1.5)
        );
    }
    match egov_peak {
        Some(k) => {
            let mb = k as f64 / 1024.0;
            println!(
                "  peak memory of egovsite: {mb:.1} MB (target <= 300 MB): {}",
                verdict(mb <= 300.0)
            );
        }
        None => println!("  peak memory of egovsite: N/A on this platform (target <= 300 MB)"),
    }
    for (step, what) in [
        (
            "egovsite serve: 1 answers file",
            "edit of one answers file to its profile served",
        ),
        (
            "egovsite serve: 1 news item",
            "edit of one news item to its page served",
        ),
    ] {
        let Some(r) = rows.iter().find(|r| r.step.starts_with(step)) else {
            continue;
        };
        let mut w = r.walls.clone();
        w.sort();
        if let Some(med) = w.get(w.len() / 2) {
            let ms = med.as_secs_f64() * 1000.0;
            println!(
                "  serve, {what}: {ms:.0} ms median (target <= 100 ms): {}",
                verdict(ms <= 100.0)
            );
        }
    }
    Ok(())
}
