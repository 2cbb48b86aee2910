//! The `egovsite` command: a thin layer over the library.
//!
//! Exit codes: 0 success; 1 content problems (each printed as file:line:column); 2 usage
//! or I/O errors.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use egovsite::build::{self, BuildError, BuildOptions};
use egovsite::import::{self, ImportOptions};
use egovsite::scaffold;
use egovsite::serve::{self, ServeOptions};

/// mimalloc rather than the system allocator: a build makes millions of small, short-lived
/// allocations from several threads (template contexts, strings), where glibc's malloc
/// spends a quarter of the time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (mimalloc.h, v2 and v3: the option right before
/// `mi_option_use_numa_nodes`), which the Rust bindings do not name. A test checks it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t =
    libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// How long freed memory is kept for reuse before it goes back to the system.
///
/// mimalloc's default is a second. Never giving it back (`-1`, this setting until
/// December) spared the kernel re-zeroing pages when a build was less streamed, but now
/// only raised the peak: memory freed by one phase (loading, Markdown) stayed resident
/// under the next ones, whose threads did not reuse all of it. Benchmark corpus, four
/// alternating clean builds each: never 269-298 MB, 1 s 259-263 MB, 100 ms 232-248 MB,
/// with the same times (median 2.1, 2.0 and 2.0 s).
const PURGE_DELAY_MS: std::os::raw::c_long = 100;

/// Give freed memory back to the system [`PURGE_DELAY_MS`] after it is freed.
fn set_purge_delay() {
    // SAFETY: setting an option is allowed at any time; it only changes when mimalloc
    // returns free memory to the system.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
}

#[derive(Parser)]
#[command(
    name = "egovsite",
    version,
    about = "Build country e-government profile sites from questionnaire answers and documents"
)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print how long each phase took.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate content and build the site into the output folder (atomically).
    Build {
        /// Site folder holding content/ and themes/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Base URL to use instead of site.yaml's base_url (an http:// or https:// address).
        #[arg(long, value_parser = base_url_arg)]
        base_url: Option<String>,
        /// Replace the output folder even if egovsite did not make it (it has no
        /// .egovsite-manifest). Its .git is kept; the site folder, content/, themes/, the
        /// home folder and the filesystem root are refused even so.
        #[arg(long)]
        force: bool,
    },
    /// Validate all content without writing anything.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also render the site in memory and check every internal link and anchor.
        #[arg(long)]
        links: bool,
    },
    /// Preview the site: build it in memory, serve it on this computer, rebuild and reload on
    /// every change.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = serve::DEFAULT_PORT)]
        port: u16,
        /// Address to listen on.
        #[arg(long, default_value = serve::DEFAULT_BIND)]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Show how far the review of each country's answers has got: answers reviewed, inferred
    /// choices, notes, consent to publish.
    Review {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this country (its folder name under content/countries/).
        #[arg(long)]
        country: Option<String>,
        /// Print a Markdown checklist, one box per answer.
        #[arg(long)]
        checklist: bool,
        /// The export the country's answers were imported from, so the checklist gives
        /// each question's line in it (needs --country).
        #[arg(long, requires = "country")]
        export: Option<PathBuf>,
    },
    /// Create a new site (example content and the default theme) in DIR.
    New {
        /// Folder to create; must not exist or be empty.
        dir: PathBuf,
    },
    /// Turn a questionnaire form export into content YAML.
    Import {
        /// The export of the form's "View results" page (text).
        export: PathBuf,
        /// Questionnaire edition id (a file in content/questionnaires/).
        #[arg(long)]
        edition: String,
        /// Country slug (folder name under content/countries/).
        #[arg(long)]
        country: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Overwrite an existing answers file.
        #[arg(long)]
        force: bool,
        /// Print what would be written; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import an incomplete (for example truncated) export; the answers file is marked
        /// `partial: true`. Without it such an export is refused.
        #[arg(long)]
        allow_partial: bool,
    },
}

/// `--base-url`, checked as site.yaml's `base_url` is (a bad one exits with status 2).
fn base_url_arg(s: &str) -> Result<String, String> {
    egovsite::validate::check_base_url(s)
        .map(|()| s.to_string())
        .map_err(|why| {
            format!(
                "the base URL {why}; expected {}",
                egovsite::validate::BASE_URL_EXPECTED
            )
        })
}

fn main() -> ExitCode {
    set_purge_delay();
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let err_prefix = if color {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    // Every command that works on a site needs its folder: say so in plain words.
    let site_root = match &cli.command {
        Command::Build { root, .. }
        | Command::Check { root, .. }
        | Command::Review { root, .. }
        | Command::Serve { root, .. }
        | Command::Import { root, .. } => Some(root),
        _ => None,
    };
    if let Some(message) = site_root.and_then(|r| egovsite::plain::not_a_site(r)) {
        eprintln!("{err_prefix}: {message}");
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            force,
        } => {
            let mut opts = BuildOptions::new(&root);
            if let Some(o) = output {
                opts.output = o;
            }
            opts.base_url = base_url;
            opts.force = force;
            // A progress bar only on a terminal, and only when a build takes long enough to want one.
            let bar = (std::io::stderr().is_terminal() && !cli.quiet).then(|| {
                let bar = indicatif::ProgressBar::hidden();
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} pages")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar.set_message("rendering");
                bar
            });
            let report_progress = |done: usize, total: usize| {
                if let Some(bar) = &bar {
                    if total >= 2000 && bar.is_hidden() {
                        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                    }
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                }
            };
            let waiting = |lock: &std::path::Path| {
                if !cli.quiet {
                    eprintln!(
                        "waiting for another build into {} to finish (it holds {})",
                        opts.output.display(),
                        lock.display()
                    );
                }
            };
            let result = build::build_with(&opts, Some(&report_progress), &waiting);
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            match result {
                Ok(report) => {
                    if cli.verbose {
                        for phase in &report.timings {
                            let mut notes = Vec::new();
                            if let Some(cpu) = phase.cpu {
                                notes.push(format!("cpu {} ms", cpu.as_millis()));
                            }
                            if let Some(b) = phase.peak_memory {
                                notes.push(format!("peak memory {} MB", b / 1_000_000));
                            }
                            let notes = if notes.is_empty() {
                                String::new()
                            } else {
                                format!("  ({})", notes.join(", "))
                            };
                            eprintln!(
                                "{:>8.1} ms  {}{notes}",
                                phase.elapsed.as_secs_f64() * 1000.0,
                                phase.name
                            );
                        }
                    }
                    if !cli.quiet {
                        println!("built {} into {}", report, opts.output.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(BuildError::Content(errors)) => {
                    for d in &errors.0 {
                        eprintln!("{err_prefix}: {d}");
                    }
                    eprintln!("{} problem(s) found; nothing was written", errors.0.len());
                    ExitCode::from(1)
                }
                Err(e) => {
                    eprintln!("{err_prefix}: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Check { root, links } => {
            // Personal data in committed files: a warning, not a failure.
            let warn_prefix = if color {
                "\x1b[1;33mwarning\x1b[0m"
            } else {
                "warning"
            };
            for w in egovsite::contacts::warnings(&root) {
                eprintln!("{warn_prefix}: {w}");
            }
            let result = if links {
                build::render(&root, None).map(|r| {
                    let broken = egovsite::links::check(&r.files, &r.site.base_path);
                    (r.pages, broken)
                })
            } else {
                build::load(&root).map(|_| (0, Vec::new()))
            };
            match result {
                Ok((pages, broken)) if broken.is_empty() => {
                    if !cli.quiet {
                        if links {
                            println!(
                                "content is valid; all internal links resolve across {pages} pages"
                            );
                        } else {
                            println!("content is valid");
                        }
                    }
                    ExitCode::SUCCESS
                }
                Ok((_, broken)) => {
                    for b in &broken {
                        eprintln!("{err_prefix}: {b}");
                    }
                    eprintln!("{} broken link(s)", broken.len());
                    ExitCode::from(1)
                }
                Err(problems) => {
                    for d in &problems {
                        eprintln!("{err_prefix}: {d}");
                    }
                    eprintln!("{} problem(s) found", problems.len());
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => match serve::run(&ServeOptions {
            root,
            bind,
            port,
            open,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{err_prefix}: {e}");
                ExitCode::from(2)
            }
        },
        Command::Review {
            root,
            country,
            checklist,
            export,
        } => review(
            &root,
            country.as_deref(),
            checklist,
            export.as_deref(),
            err_prefix,
        ),
        Command::New { dir } => match scaffold::create(&dir) {
            Ok(files) => {
                if !cli.quiet {
                    println!(
                        "created a new site in {} ({} files); next: cd {} && egovsite serve --open",
                        dir.display(),
                        files.len(),
                        dir.display()
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{err_prefix}: {e}");
                ExitCode::from(2)
            }
        },
        Command::Import {
            export,
            edition,
            country,
            root,
            force,
            dry_run,
            allow_partial,
        } => {
            let opts = ImportOptions {
                root,
                export,
                edition,
                country,
                force,
                dry_run,
                allow_partial,
            };
            match import::run(&opts) {
                Ok(outcome) => {
                    if dry_run {
                        print!("{}", outcome.answers_yaml);
                        if let Some(c) = &outcome.country_yaml {
                            print!("---\n{c}");
                        }
                    }
                    if !cli.quiet {
                        eprintln!("{}", outcome.summary);
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprintln!("{err_prefix}: {d}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// `egovsite review`.
fn review(
    root: &std::path::Path,
    country: Option<&str>,
    checklist: bool,
    export: Option<&std::path::Path>,
    err_prefix: &str,
) -> ExitCode {
    let (content, problems) = egovsite::content::load(root);
    let Some(content) = content else {
        for d in &problems {
            eprintln!("{err_prefix}: {d}");
        }
        return ExitCode::from(1);
    };
    let mut reviews = egovsite::review::collect(&content, country);
    if let Some(c) = country {
        if reviews.is_empty() {
            let mut known: Vec<&str> = content.countries.iter().map(|c| c.slug.as_str()).collect();
            known.sort();
            eprintln!(
                "{err_prefix}: there is no country `{c}` in content/countries/; the countries are: {}",
                known.join(", ")
            );
            return ExitCode::from(2);
        }
    }
    if let Some(export) = export {
        let name = export.file_name().map(|n| n.to_string_lossy().into_owned());
        for c in reviews.iter_mut() {
            let only_one = c.responses.len() == 1;
            for r in c.responses.iter_mut() {
                // The answers imported from this export (or the only answers there are).
                if !only_one && r.export != name {
                    continue;
                }
                let Some(cat) = content.catalogues.iter().find(|k| k.value.id == r.edition) else {
                    continue;
                };
                match egovsite::review::export_lines(export, &cat.value) {
                    Ok(lines) => egovsite::review::add_export_lines(r, &lines),
                    Err(e) => {
                        eprintln!("{err_prefix}: {e}");
                        return ExitCode::from(1);
                    }
                }
            }
        }
    }
    if checklist {
        print!(
            "{}",
            egovsite::review::checklist(&reviews, &content.site.value.base_url)
        );
    } else {
        print!("{}", egovsite::review::text(&reviews));
    }
    if !problems.is_empty() {
        eprintln!(
            "note: {} problem(s) in content; `egovsite check` lists them",
            problems.len()
        );
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        // Its default in mimalloc v3 (options.c) is 1000 ms; no other option has it.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            1000
        );
        set_purge_delay();
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            100
        );
    }
}
