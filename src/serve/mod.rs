//! `egovsite serve`: a preview server for staff editing content.
//!
//! The site is rendered in memory (nothing is written to disk) with its base URL set to the
//! server's own address, and served from that in-memory map only: a request can name nothing
//! but a file of the rendered site. `content/`, `themes/` and `templates/` are watched; every
//! change rebuilds the site and open browser tabs reload themselves through a small script
//! that only this server adds to HTML responses (`egovsite build` output never has it).
//!
//! A change to one country's answers file or to one report or news item is shown before
//! the rebuild: that file alone is read, checked and applied to the model kept from the
//! last build ([`live::Live`]); its own pages (the country's, or the document's) are
//! re-rendered and served at once (tens of milliseconds at full scale), then, for answers,
//! the comparison pages and overviews; then the whole site is rebuilt as for any change,
//! which brings lists, feeds, data files and the search index up to date.
//!
//! A broken edit keeps the last good site served, with a banner on every HTML page listing
//! each problem as `file:line:column`, and the same problems printed in the terminal. Until
//! a first build succeeds, every request gets an error page listing the problems.

mod conn;
mod http;
pub mod live;
mod review_page;
mod watch;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub use conn::{CONTENT_SECURITY_POLICY, HEAD_TIMEOUT, MAX_HEAD};
pub use http::{EVENTS_PATH, RELOAD_MARKER, RELOAD_PATH};

/// Port used when none is given on the command line.
pub const DEFAULT_PORT: u16 = 1111;
/// Address used when none is given: loopback only, so the preview is not on the network.
pub const DEFAULT_BIND: &str = "127.0.0.1";
/// Threads answering complete requests (one more thread reads them, and long-polls for
/// reload run on threads of their own, at most `http::MAX_WAITERS`).
const WORKERS: usize = 4;
/// How often idle threads look at the stop flag.
const TICK: Duration = Duration::from_millis(100);

/// What `egovsite serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site folder holding content/ and themes/.
    pub root: PathBuf,
    /// Address to listen on (`127.0.0.1` by default; `::1` and `localhost` work too).
    pub bind: String,
    /// Port to listen on; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

impl ServeOptions {
    /// Serve `root` on 127.0.0.1:1111 without opening a browser.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions {
            root: root.into(),
            bind: DEFAULT_BIND.into(),
            port: DEFAULT_PORT,
            open: false,
        }
    }
}

/// A rendered site in memory: path relative to the site root → bytes (shared, so that an
/// update of a few pages copies no others).
pub(crate) type Files = HashMap<String, Arc<[u8]>>;

/// What is being served: the last site that built, and the problems of the latest build.
pub(crate) struct Snapshot {
    /// Changes whenever what a browser shows would change; pages carry the token they were
    /// served with and reload when the server's token differs.
    pub token: String,
    /// The last good site: path relative to the site root → bytes. Empty until a build succeeds.
    pub files: Arc<Files>,
    /// Whether any build has succeeded yet.
    pub has_site: bool,
    /// The problems of the latest build (`file:line:column: ...`), empty when it succeeded.
    pub errors: Vec<String>,
}

/// State shared by the request threads, the rebuild thread and the handle.
pub(crate) struct Shared {
    current: Mutex<Arc<Snapshot>>,
    changed: Condvar,
    stopping: AtomicBool,
    /// Long-poll requests currently waiting for a change.
    waiters: AtomicUsize,
    /// Listening on loopback: refuse requests whose `Host` is not this machine.
    loopback_only: bool,
}

impl Shared {
    fn new(loopback_only: bool) -> Self {
        Shared {
            loopback_only,
            current: Mutex::new(Arc::new(Snapshot {
                token: String::new(),
                files: Arc::default(),
                has_site: false,
                errors: Vec::new(),
            })),
            changed: Condvar::new(),
            stopping: AtomicBool::new(false),
            waiters: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Arc<Snapshot>> {
        // A panic while holding the lock cannot leave a half-updated snapshot (it is
        // replaced whole), so a poisoned lock is still usable.
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The snapshot to answer one request from.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.lock())
    }

    pub(crate) fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    fn publish(&self, snap: Snapshot) {
        *self.lock() = Arc::new(snap);
        self.changed.notify_all();
    }

    /// Wait until the token differs from `since`, the server stops, or `timeout` passes;
    /// returns the token then current.
    pub(crate) fn wait_for_change(&self, since: &str, timeout: Duration) -> String {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.token == since && !self.stopping())
            .unwrap_or_else(|e| e.into_inner());
        guard.token.clone()
    }
}

/// A running preview server. Dropping it (or calling [`ServerHandle::stop`]) stops the
/// request threads, the watcher and the listener.
pub struct ServerHandle {
    addr: SocketAddr,
    url: String,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl ServerHandle {
    /// The address the server listens on (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's address, `http://127.0.0.1:PORT/`; also the base URL it is built with.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The current build token (changes on every rebuild that changes what is served).
    pub fn version(&self) -> String {
        self.shared.snapshot().token.clone()
    }

    /// Stop serving and watching; returns once every thread has finished.
    pub fn stop(mut self) {
        self.shutdown();
    }

    /// Block until the server is stopped (which only happens from another thread, or when
    /// the process is interrupted).
    pub fn wait(mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }

    fn shutdown(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        {
            // Take the lock so no long-poll can miss the wake-up between its check and wait.
            let _guard = self.shared.lock();
            self.shared.changed.notify_all();
        }
        // The reader and the workers look at the stop flag every TICK; the reader's
        // listening socket closes as it returns.
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl std::fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerHandle")
            .field("addr", &self.addr)
            .field("url", &self.url)
            .finish()
    }
}

/// `egovsite serve`: serve the site until the process is interrupted (Ctrl-C). Nothing is
/// written to disk, so interrupting leaves nothing behind.
pub fn run(opts: &ServeOptions) -> Result<(), String> {
    let handle = start(opts)?;
    let ip = handle.addr().ip();
    if !ip.is_loopback() {
        eprintln!(
            "note: listening on {ip}, which is not a loopback address: other machines that can reach this one can read the preview"
        );
    }
    println!(
        "serving {} at {} (watching content/, themes/ and templates/; Ctrl-C to stop)",
        opts.root.display(),
        handle.url()
    );
    println!(
        "review queue (staff only, never published): {}_review/",
        handle.url()
    );
    if opts.open {
        if let Err(e) = open::that_detached(handle.url()) {
            eprintln!(
                "could not open a browser ({e}); open {} yourself",
                handle.url()
            );
        }
    }
    handle.wait();
    Ok(())
}

/// Build the site, start serving it and watching for changes, and return at once. Used by
/// [`run`] and by tests (port 0 picks a free port: see [`ServerHandle::addr`]).
pub fn start(opts: &ServeOptions) -> Result<ServerHandle, String> {
    let root = opts.root.clone();
    if !root.join("content").is_dir() {
        return Err(format!(
            "{}: no content/ folder here; give the site folder with --root, or create a site with `egovsite new DIR`",
            root.display()
        ));
    }
    let listen = listen_address(&opts.bind, opts.port);
    let listener = std::net::TcpListener::bind(listen.as_str())
        .map_err(|e| format!("cannot listen on {listen}: {e}; choose another port with --port"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let url = site_url(addr);
    let shared = Arc::new(Shared::new(addr.ip().is_loopback()));
    // From here on, an early return drops the handle, which stops whatever was started.
    let mut handle = ServerHandle {
        addr,
        url: url.clone(),
        shared: Arc::clone(&shared),
        threads: Vec::with_capacity(WORKERS + 2),
    };
    // Watch first, so that a change made during the first build is not missed.
    let mut watcher = watch::Watch::new(&root)?;
    let mut builder = Builder::new(root, url, Arc::clone(&shared));
    builder.rebuild(&[]);

    let stop = Arc::clone(&shared);
    handle.threads.push(spawn("egovsite-rebuild", move || {
        while let Some(changed) = watcher.next_change(|| stop.stopping()) {
            builder.rebuild(&changed);
        }
    })?);
    // Served once the first build is done: until then, connections wait in the listener's
    // backlog.
    let (jobs, queue) = std::sync::mpsc::sync_channel(conn::QUEUE);
    let queue = Arc::new(Mutex::new(queue));
    let stop = Arc::clone(&shared);
    handle.threads.push(spawn("egovsite-http-read", move || {
        if let Err(e) = conn::read_loop(listener, jobs, TICK, || stop.stopping()) {
            eprintln!("error: the preview server stopped answering: {e}");
        }
    })?);
    for i in 0..WORKERS {
        let queue = Arc::clone(&queue);
        let shared = Arc::clone(&shared);
        handle
            .threads
            .push(spawn(&format!("egovsite-http-{i}"), move || {
                conn::work(
                    &queue,
                    TICK,
                    || shared.stopping(),
                    |request| http::handle(request, &shared),
                )
            })?);
    }
    Ok(handle)
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Result<JoinHandle<()>, String> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .map_err(|e| format!("cannot start a thread: {e}"))
}

/// `host:port` for the listener, with IPv6 addresses in brackets.
fn listen_address(bind: &str, port: u16) -> String {
    let bind = bind.trim();
    let bind = if bind.is_empty() { DEFAULT_BIND } else { bind };
    let bare = bind.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<Ipv6Addr>().is_ok() {
        format!("[{bare}]:{port}")
    } else {
        format!("{bind}:{port}")
    }
}

/// The address a browser on this machine uses: `0.0.0.0`/`::` become loopback.
fn site_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// Runs builds and publishes their results.
struct Builder {
    root: PathBuf,
    base_url: String,
    shared: Arc<Shared>,
    /// Start time of this server, so a page from an earlier run always reloads.
    epoch: u128,
    generation: u64,
    color: bool,
    /// The last good build's model, for updating one answers file's pages quickly.
    live: Option<live::Live>,
}

impl Builder {
    fn new(root: PathBuf, base_url: String, shared: Arc<Shared>) -> Self {
        let epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Builder {
            root,
            base_url,
            shared,
            epoch,
            generation: 0,
            color,
            live: None,
        }
    }

    /// When `changed` is an answers file or a document and the last build succeeded,
    /// re-render the pages that show it and publish them at once, wave by wave (its own
    /// pages, then the comparison pages), before the whole site is rebuilt (which also
    /// brings lists, feeds, data files and the search index up to date). Problems in the
    /// file are left to the full rebuild to report.
    fn quick_update(&mut self, changed: &std::path::Path) {
        let previous = self.shared.snapshot();
        if !previous.has_site || !previous.errors.is_empty() {
            return;
        }
        let Some(mut live) = self.live.take() else {
            return;
        };
        let started = Instant::now();
        if let Some(Ok(source)) = live.apply(&self.root, changed) {
            let mut files: Files = previous.files.as_ref().clone();
            let waves = live.waves(source);
            for (k, &wave) in waves.iter().enumerate() {
                let Ok(pages) = live.pages(source, wave) else {
                    break;
                };
                let n = self.publish_pages(&mut files, pages);
                let what = match wave {
                    live::Wave::Own => "pages",
                    live::Wave::Compared => "comparison pages",
                };
                let why = match wave {
                    live::Wave::Own => describe_change(&[changed.to_path_buf()]),
                    live::Wave::Compared => String::new(),
                };
                let rest = if k + 1 == waves.len() {
                    "; rebuilding the rest"
                } else {
                    ""
                };
                println!(
                    "updated {n} {what} in {} ms{why}{rest}",
                    started.elapsed().as_millis()
                );
            }
        }
        self.live = Some(live);
    }

    /// Put `pages` into `files` and publish them when any changed; how many changed.
    fn publish_pages(&mut self, files: &mut Files, pages: Vec<crate::output::OutFile>) -> usize {
        let mut updated = 0;
        for page in pages {
            let bytes: Arc<[u8]> = Arc::from(page.bytes);
            if files.get(&page.path) != Some(&bytes) {
                updated += 1;
                files.insert(page.path, bytes);
            }
        }
        if updated > 0 {
            let token = self.next_token();
            self.shared.publish(Snapshot {
                token,
                files: Arc::new(files.clone()),
                has_site: true,
                errors: Vec::new(),
            });
        }
        updated
    }

    /// Build the site and publish the result; `changed` names the files that triggered it.
    fn rebuild(&mut self, changed: &[PathBuf]) {
        // Editors often save through a temporary file renamed over the original: of the
        // paths reported, only those still there count. The full rebuild below follows in
        // any case, so an update of the quick path is never the last word.
        let present: Vec<&PathBuf> = changed
            .iter()
            .filter(|p| self.root.join(p).is_file())
            .collect();
        if let [one] = present.as_slice() {
            self.quick_update(one);
        }
        let started = Instant::now();
        let result = live::render_live(&self.root, Some(&self.base_url));
        let elapsed = started.elapsed().as_millis();
        let previous = self.shared.snapshot();
        let why = describe_change(changed);
        let next = match result {
            Ok(rendered) => {
                self.live = Some(rendered.live);
                let mut files: Files = rendered
                    .files
                    .into_iter()
                    .map(|f| (f.path, Arc::from(f.bytes)))
                    .collect();
                // The staff-only review queue, at /_review/ (never in `build` output).
                review_page::add(&self.root, &mut files);
                // One pass over both builds' files (330 MB at full scale), before the line
                // below: once it is printed, the rebuild is done.
                let (same, same_html) = if previous.has_site && previous.errors.is_empty() {
                    compare(&previous.files, &files)
                } else {
                    (false, false)
                };
                let verb = if self.generation == 0 {
                    "built"
                } else {
                    "rebuilt"
                };
                let note = if same && self.generation > 0 {
                    ", nothing changed"
                } else {
                    ""
                };
                println!("{verb} {} pages in {elapsed} ms{why}{note}", rendered.pages);
                if same {
                    return;
                }
                // After a quick update of an answers file's pages, the full rebuild usually
                // changes only data files and the search index: nothing a tab shows, so
                // the token stays and open tabs do not reload once more.
                if same_html {
                    self.shared.publish(Snapshot {
                        token: previous.token.clone(),
                        files: Arc::new(files),
                        has_site: true,
                        errors: Vec::new(),
                    });
                    return;
                }
                Snapshot {
                    token: String::new(),
                    files: Arc::new(files),
                    has_site: true,
                    errors: Vec::new(),
                }
            }
            Err(problems) => {
                let errors: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
                let prefix = if self.color {
                    "\x1b[1;31merror\x1b[0m"
                } else {
                    "error"
                };
                for e in &errors {
                    eprintln!("{prefix}: {e}");
                }
                let n = errors.len();
                let plural = if n == 1 { "" } else { "s" };
                if previous.has_site {
                    eprintln!(
                        "build failed{why}: {n} problem{plural}; still serving the last good build"
                    );
                } else {
                    eprintln!(
                        "build failed{why}: {n} problem{plural}; serving an error page until fixed"
                    );
                }
                if previous.errors == errors && self.generation > 0 {
                    return;
                }
                Snapshot {
                    token: String::new(),
                    files: Arc::clone(&previous.files),
                    has_site: previous.has_site,
                    errors,
                }
            }
        };
        let token = self.next_token();
        self.shared.publish(Snapshot { token, ..next });
    }

    /// A token no earlier build of this server had.
    fn next_token(&mut self) -> String {
        self.generation += 1;
        format!("{:x}-{}", self.epoch, self.generation)
    }
}

/// Whether build `b` has exactly the files of build `a`, and whether it has the same HTML
/// pages (its other files may differ).
fn compare(a: &Files, b: &Files) -> (bool, bool) {
    let pages = |f: &Files| f.keys().filter(|k| k.ends_with(".html")).count();
    let mut same = a.len() == b.len();
    let mut same_html = pages(a) == pages(b);
    for (k, v) in b {
        if !same && !same_html {
            break;
        }
        let is_html = k.ends_with(".html");
        if !(same || same_html && is_html) {
            continue;
        }
        if a.get(k) != Some(v) {
            same = false;
            same_html &= !is_html;
        }
    }
    (same, same_html)
}

/// ` after a change to X` / ` after changes to X and N more`, or nothing; `changed` holds
/// paths relative to the site root.
fn describe_change(changed: &[PathBuf]) -> String {
    let mut names: Vec<String> = changed
        .iter()
        .filter(|p| !p.as_os_str().is_empty())
        // File names come from content: shown escaped, never acted on by the terminal.
        .map(|p| crate::diagnostics::escape_terminal(&p.display().to_string()).into_owned())
        .collect();
    names.sort();
    names.dedup();
    match names.len() {
        0 => String::new(),
        1 => format!(" after a change to {}", names[0]),
        n => format!(" after changes to {} and {} more", names[0], n - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_compare_by_all_files_and_by_pages() {
        let files = |entries: &[(&str, &str)]| -> Files {
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), Arc::from(v.as_bytes())))
                .collect()
        };
        let a = files(&[("index.html", "a"), ("data/x.json", "1")]);
        assert_eq!(compare(&a, &a.clone()), (true, true));
        let data_changed = files(&[("index.html", "a"), ("data/x.json", "2")]);
        assert_eq!(compare(&a, &data_changed), (false, true));
        let page_changed = files(&[("index.html", "b"), ("data/x.json", "1")]);
        assert_eq!(compare(&a, &page_changed), (false, false));
        let page_added = files(&[("index.html", "a"), ("new.html", "n"), ("data/x.json", "1")]);
        assert_eq!(compare(&a, &page_added), (false, false));
        let file_removed = files(&[("index.html", "a")]);
        assert_eq!(compare(&a, &file_removed), (false, true));
    }

    #[test]
    fn listen_addresses() {
        assert_eq!(listen_address("127.0.0.1", 1111), "127.0.0.1:1111");
        assert_eq!(listen_address("", 0), "127.0.0.1:0");
        assert_eq!(listen_address("::1", 8080), "[::1]:8080");
        assert_eq!(listen_address("[::1]", 8080), "[::1]:8080");
        assert_eq!(listen_address("localhost", 1), "localhost:1");
    }

    #[test]
    fn site_urls_use_loopback_for_wildcards() {
        assert_eq!(
            site_url("0.0.0.0:80".parse().unwrap()),
            "http://127.0.0.1:80/"
        );
        assert_eq!(site_url("[::]:81".parse().unwrap()), "http://[::1]:81/");
        assert_eq!(
            site_url("127.0.0.1:1111".parse().unwrap()),
            "http://127.0.0.1:1111/"
        );
    }

    #[test]
    fn describes_changes() {
        assert_eq!(describe_change(&[]), "");
        assert_eq!(describe_change(&[PathBuf::new()]), "");
        assert_eq!(
            describe_change(&[PathBuf::from("content/a.yaml")]),
            " after a change to content/a.yaml"
        );
        assert_eq!(
            describe_change(&[
                PathBuf::from("content/b.yaml"),
                PathBuf::from("content/a.yaml")
            ]),
            " after changes to content/a.yaml and 1 more"
        );
        // A file name that would clear the screen is logged escaped.
        assert_eq!(
            describe_change(&[PathBuf::from("content/news/\u{1b}[2Jx.md")]),
            " after a change to content/news/\\u{1b}[2Jx.md"
        );
    }
}
