//! `egovsite serve`, tested over real HTTP on loopback against a temporary copy of the
//! bundled site: pages are served from memory, edits show up without a restart, broken
//! content shows its problems while the last good site stays readable, nothing outside the
//! site can be fetched, and the reload script exists only in served pages.
//!
//! Every loop here is bounded in count and time. No test measures how fast anything is:
//! a change is awaited by polling, with a deadline ([`GENEROUS`]) far above what any
//! machine needs, that only stops a test that would otherwise hang. The tests take a lock
//! so that only one server renders at a time.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use egovsite::content::{Catalogue, QuestionKind};
use egovsite::serve::{self, ServeOptions, ServerHandle};

const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a test waits for a rebuild to be served before it fails.
const GENEROUS: Duration = Duration::from_secs(120);

fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// Send `request_target` as an HTTP/1.1 request with a plain socket (so that it goes out
/// exactly as written, unnormalised) and read the whole reply.
fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    request_to(addr, method, target, &addr.to_string())
}

fn request_to(addr: SocketAddr, method: &str, target: &str, host: &str) -> Reply {
    let mut s = TcpStream::connect_timeout(&addr, TIMEOUT).expect("connect");
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s.set_write_timeout(Some(TIMEOUT)).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read reply");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no header end in reply to {target}: {:?}",
                String::from_utf8_lossy(&raw)
            )
        });
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target)
}

/// A temporary copy of the bundled site whose Lao PDR answers file (msq-2022) holds
/// `marker` as the answer to the edition's first text question outside the intro.
struct Site {
    dir: tempfile::TempDir,
    answers: PathBuf,
    qid: String,
    topic: String,
}

impl Site {
    fn new() -> Site {
        let dir = common::site_copy();
        let catalogue = dir.path().join("content/questionnaires/msq-2022.yaml");
        let cat: Catalogue =
            serde_yaml::from_str(&std::fs::read_to_string(catalogue).unwrap()).unwrap();
        let q = cat
            .questions
            .iter()
            .find(|q| q.kind == QuestionKind::Text && q.section != "intro")
            .expect("a text question in msq-2022");
        let site = Site {
            answers: dir.path().join("content/countries/lao-pdr/msq-2022.yaml"),
            qid: q.id.clone(),
            topic: q.topic.clone(),
            dir,
        };
        site.write_answer("MARKER-ONE");
        site
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write_answer(&self, text: &str) {
        let yaml = format!("edition: msq-2022\nsource:\n  document: serve test\nanswers:\n  {}:\n    text: {text}\n", self.qid);
        std::fs::write(&self.answers, yaml).unwrap();
    }

    fn start(&self) -> ServerHandle {
        let opts = ServeOptions {
            root: self.root().to_path_buf(),
            bind: "127.0.0.1".into(),
            port: 0,
            open: false,
        };
        serve::start(&opts).expect("server starts")
    }
}

/// Fetch `target` until `ok` holds of the reply, for at most `limit`; returns the last
/// reply and how long it took.
fn poll(
    addr: SocketAddr,
    target: &str,
    limit: Duration,
    ok: impl Fn(&Reply) -> bool,
) -> (Reply, Duration, bool) {
    let start = Instant::now();
    loop {
        let r = get(addr, target);
        if ok(&r) {
            return (r, start.elapsed(), true);
        }
        if start.elapsed() >= limit {
            return (r, start.elapsed(), false);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether `text` names `file` followed by `:line:column:`.
fn has_position(text: &str, file: &str) -> bool {
    text.match_indices(file).any(|(i, _)| {
        let rest = &text[i + file.len()..];
        let mut parts = rest.splitn(4, ':');
        parts.next() == Some("")
            && parts
                .next()
                .is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
            && parts
                .next()
                .is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn token_of(page: &str) -> String {
    egovsite::markup::html::start_tags(page)
        .into_iter()
        .filter(|t| t.name == "script" && t.attr("src") == Some(serve::RELOAD_PATH))
        .find_map(|t| t.attr("data-version").map(str::to_string))
        .expect("reload script with token")
}

#[test]
fn serves_pages_from_memory_with_types_directories_and_404() {
    let _serial = serial();
    let site = Site::new();
    let server = site.start();
    let addr = server.addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    assert_eq!(server.url(), format!("http://127.0.0.1:{}/", addr.port()));

    let home = get(addr, "/");
    assert_eq!(home.status, 200, "{}", home.head);
    assert_eq!(
        home.header("Content-Type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("</html>"));
    assert!(
        home.text().contains(serve::RELOAD_MARKER),
        "reload script missing"
    );
    // Built with the server's own address as base URL.
    assert!(
        home.text().contains(&format!("127.0.0.1:{}", addr.port())),
        "base URL not rewritten"
    );

    let countries = get(addr, "/countries/");
    assert_eq!(countries.status, 200);
    assert!(countries.text().contains("Lao PDR"));
    let moved = get(addr, "/countries?x=1");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("Location").as_deref(), Some("/countries/?x=1"));

    let css = get(addr, "/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("Content-Type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    assert!(!css.text().contains(serve::RELOAD_MARKER));
    let feed = get(addr, "/feed.xml");
    assert_eq!(feed.status, 200);
    assert!(feed.header("Content-Type").unwrap().contains("xml"));

    let missing = get(addr, "/no-such-page.html");
    assert_eq!(missing.status, 404);
    assert!(missing
        .header("Content-Type")
        .unwrap()
        .starts_with("text/html"));
    assert!(
        missing.text().contains("Page not found"),
        "{}",
        missing.text()
    );

    let head = request(addr, "HEAD", "/index.html");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(addr, "POST", "/").status, 405);

    server.stop();
    // The listener closes as the reading thread ends, just before stop() returns.
    let closed = (0..50).any(|_| {
        let refused = TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err();
        if !refused {
            std::thread::sleep(Duration::from_millis(20));
        }
        refused
    });
    assert!(closed, "still listening after stop");
}

#[test]
fn rebuilds_on_edit_shows_errors_and_recovers() {
    let _serial = serial();
    let site = Site::new();
    let server = site.start();
    let addr = server.addr();
    let page = "/countries/lao-pdr.html";
    let deadline = GENEROUS;
    let question = format!("/questions/{}.html", site.topic);

    let first = get(addr, page);
    assert_eq!(first.status, 200);
    assert!(first.text().contains("MARKER-ONE"), "answer not on {page}");
    assert!(
        get(addr, &question).text().contains("MARKER-ONE"),
        "answer not on {question}"
    );

    // A browser tab waits for the next build (or, asking after it, hears of it at once)...
    let token = token_of(&first.text());
    let waiting =
        std::thread::spawn(move || get(addr, &format!("{}?since={token}", serve::EVENTS_PATH)));

    // ...and an edit shows up.
    site.write_answer("MARKER-TWO");
    let (r, took, ok) = poll(addr, page, deadline, |r| r.text().contains("MARKER-TWO"));
    assert!(ok, "edit not served after {took:?}");
    assert!(!r.text().contains("egovsite-build-errors"));
    let event = waiting.join().unwrap();
    assert_eq!(event.status, 200);
    assert!(event.text().contains("\"version\""));
    assert_ne!(
        token_of(&r.text()),
        token_of(&first.text()),
        "token did not change"
    );
    assert!(
        event.text().contains(&token_of(&r.text())),
        "{}",
        event.text()
    );

    // Broken YAML: the last good page stays, with the problem at file:line:column.
    std::fs::write(
        &site.answers,
        format!(
            "edition: msq-2022\nsource:\n  document: x\nanswers:\n  {}:\n    text: [unclosed\n",
            site.qid
        ),
    )
    .unwrap();
    let (r, took, ok) = poll(addr, page, GENEROUS, |r| {
        r.text().contains("egovsite-build-errors")
    });
    assert!(ok, "no error banner after {took:?}");
    assert_eq!(r.status, 200);
    let shown = common::visible_text(&r.text());
    assert!(
        has_position(&shown, "content/countries/lao-pdr/msq-2022.yaml"),
        "no file:line:column in {shown}"
    );
    assert!(r.text().contains("MARKER-TWO"), "last good page not kept");
    // Other pages and files are still served, with the banner on HTML only.
    let home = get(addr, "/index.html");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("egovsite-build-errors"));
    assert!(home.text().contains("<main"));
    let css = get(addr, "/style.css");
    assert_eq!(css.status, 200);
    assert!(!css.text().contains("egovsite-build-errors"));

    // Fixed: the new answer, and no banner.
    site.write_answer("MARKER-THREE");
    let (r, took, ok) = poll(addr, page, GENEROUS, |r| r.text().contains("MARKER-THREE"));
    assert!(ok, "fix not served after {took:?}");
    assert!(
        !r.text().contains("egovsite-build-errors"),
        "banner still shown"
    );
    assert!(!get(addr, "/index.html")
        .text()
        .contains("egovsite-build-errors"));
}

#[test]
fn a_site_that_never_built_serves_its_problems_until_fixed() {
    let _serial = serial();
    let site = Site::new();
    let good = std::fs::read_to_string(&site.answers).unwrap();
    std::fs::write(
        &site.answers,
        "edition: msq-2022\nsource: {document: x}\nanswers:\n  q9999:\n    text: hi\n",
    )
    .unwrap();
    let server = site.start();
    let addr = server.addr();
    let r = get(addr, "/");
    assert_eq!(r.status, 500);
    let shown = common::visible_text(&r.text());
    assert!(shown.contains("q9999"), "{shown}");
    assert!(
        has_position(&shown, "content/countries/lao-pdr/msq-2022.yaml"),
        "{shown}"
    );
    assert!(r.text().contains(serve::RELOAD_MARKER));

    std::fs::write(&site.answers, good).unwrap();
    let (r, took, ok) = poll(addr, "/", GENEROUS, |r| r.status == 200);
    assert!(ok, "still failing after {took:?}: {}", r.text());
    assert!(!r.text().contains("egovsite-build-errors"));
}

#[test]
fn nothing_outside_the_site_can_be_fetched() {
    let _serial = serial();
    let site = Site::new();
    std::fs::write(site.root().join("secret.txt"), "TOP-SECRET").unwrap();
    let server = site.start();
    let addr = server.addr();
    let attempts = [
        "/../Cargo.toml",
        "/..%2f..%2fetc/passwd",
        "/%2e%2e/",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2Fsecret.txt",
        "\\..\\",
        "/..\\..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/../secret.txt",
        "/secret.txt",
        "/./../secret.txt",
        "/countries/../../secret.txt",
        "/content/site.yaml",
        "/content/countries/lao-pdr/msq-2022.yaml",
        "//etc/passwd",
        "/etc/passwd",
        "/index.html%00.txt",
        "/%00",
        "/%ff%fe",
        "/C:/Windows/win.ini",
        "http://127.0.0.1/../Cargo.toml",
        "*",
    ];
    for target in attempts {
        let r = get(addr, target);
        assert!(
            r.status == 400 || r.status == 404,
            "{target}: status {}",
            r.status
        );
        let body = r.text();
        for leak in [
            "TOP-SECRET",
            "[package]",
            "root:x:0",
            "edition: msq-2022",
            "base_url:",
        ] {
            assert!(
                !body.contains(leak),
                "{target} returned file contents ({leak})"
            );
        }
    }
    // Malformed requests get an error or a closed connection, and the server carries on.
    for junk in [
        "BLAH\r\n\r\n",
        "GET\r\n\r\n",
        "GET / HTTP/9.9\r\n\r\n",
        "\0\0\0\r\n\r\n",
    ] {
        if let Ok(mut s) = TcpStream::connect_timeout(&addr, TIMEOUT) {
            s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
            let _ = s.write_all(junk.as_bytes());
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        }
    }
    // Pages elsewhere cannot read the preview by pointing their own name at 127.0.0.1.
    let rebound = request_to(addr, "GET", "/", "evil.example");
    assert_eq!(rebound.status, 400);
    assert!(!rebound.text().contains("<main"));
    assert_eq!(
        request_to(addr, "GET", "/", &format!("localhost:{}", addr.port())).status,
        200
    );

    // A client that sends half a request and goes away.
    if let Ok(mut s) = TcpStream::connect_timeout(&addr, TIMEOUT) {
        let _ = s.write_all(b"GET /index.ht");
    }
    assert_eq!(get(addr, "/").status, 200);
}

#[test]
fn answers_200_concurrent_requests() {
    let _serial = serial();
    let site = Site::new();
    let server = site.start();
    let addr = server.addr();
    let targets = [
        "/",
        "/countries/",
        "/style.css",
        "/feed.xml",
        "/countries/lao-pdr.html",
        "/nope",
    ];
    let threads: Vec<_> = (0..200)
        .map(|i| {
            let target = targets[i % targets.len()];
            std::thread::spawn(move || get(addr, target).status)
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let expected = |i: usize| {
        if targets[i % targets.len()] == "/nope" {
            404
        } else {
            200
        }
    };
    for (i, s) in statuses.iter().enumerate() {
        assert_eq!(
            *s,
            expected(i),
            "request {i} ({})",
            targets[i % targets.len()]
        );
    }
}

#[test]
fn reload_script_is_served_but_never_built() {
    let _serial = serial();
    let site = Site::new();
    let out = site.root().join("public");
    let mut opts = egovsite::build::BuildOptions::new(site.root());
    opts.output = out.clone();
    egovsite::build::build(&opts).unwrap_or_else(|e| panic!("{e}"));
    let mut html = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
            assert!(
                !text.contains(serve::RELOAD_MARKER),
                "{} has the reload script",
                e.path().display()
            );
            assert!(
                !text.contains("__egovsite"),
                "{} mentions the serve endpoint",
                e.path().display()
            );
            html += e.path().extension().is_some_and(|x| x == "html") as usize;
        }
    }
    assert!(html > 10);

    let server = site.start();
    let page = get(server.addr(), "/countries/lao-pdr.html").text();
    assert!(page.contains(serve::RELOAD_MARKER));
    let script = get(server.addr(), serve::RELOAD_PATH);
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("Content-Type").as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.text().contains(serve::EVENTS_PATH));
    assert!(script.text().contains("dataset.version"));
    // The events endpoint answers at once for a stale token.
    let r = get(
        server.addr(),
        &format!("{}?since=stale", serve::EVENTS_PATH),
    );
    assert_eq!(r.status, 200);
    assert!(r.text().contains(&token_of(&page)));
}

/// Threads of this process (Linux), to see that connections do not each get one.
fn threads() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

/// Read from `s` until the server closes (or `limit` passes): the reply so far, and whether
/// the server ended it (end of stream or reset) rather than the wait running out.
fn read_until_closed(s: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    s.set_read_timeout(Some(limit)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (got, true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return (got, false)
            }
            Err(_) => return (got, true),
        }
    }
}

fn status_of(reply: &[u8]) -> u16 {
    String::from_utf8_lossy(reply)
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn request_heads_are_bounded_and_idle_connections_are_closed() {
    let _serial = serial();
    let site = Site::new();
    let server = site.start();
    let addr = server.addr();
    // Generous: the server's own limit is serve::HEAD_TIMEOUT.
    let generous = serve::HEAD_TIMEOUT * 6;

    // A connection that sends nothing, and one that trickles a header line at a time: both
    // are closed with 408 once their time is up, however long they would go on.
    let idle = std::thread::spawn(move || {
        let mut s = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
        read_until_closed(&mut s, generous)
    });
    let trickle = std::thread::spawn(move || {
        let mut s = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let _ = s.write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\n").as_bytes());
        let start = Instant::now();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while start.elapsed() < generous {
            if s.write_all(b"X-Slow: a\r\n").is_err() {
                break;
            }
            match s.read(&mut buf) {
                Ok(0) => return (got, true),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => return (got, true),
            }
        }
        let (rest, closed) = read_until_closed(&mut s, Duration::from_secs(1));
        got.extend(rest);
        (got, closed)
    });

    // A request line and headers longer than the limit: refused with 431, and the server
    // has read no more than a bounded amount before answering.
    let mut s = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    s.set_write_timeout(Some(TIMEOUT)).unwrap();
    s.write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Long: ").as_bytes())
        .unwrap();
    s.write_all(&vec![b'a'; serve::MAX_HEAD * 4]).unwrap();
    let (reply, closed) = read_until_closed(&mut s, generous);
    assert!(closed, "an over-long head was not refused");
    assert_eq!(
        status_of(&reply),
        431,
        "{}",
        String::from_utf8_lossy(&reply)
    );

    // A header that never ends: the server stops taking it long before 64 MiB.
    let mut s = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    s.set_write_timeout(Some(TIMEOUT)).unwrap();
    s.write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Endless: ").as_bytes())
        .unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0usize;
    while sent < 64 << 20 {
        if s.write_all(&chunk).is_err() {
            break;
        }
        sent += chunk.len();
    }
    assert!(
        sent < 64 << 20,
        "the server read an endless header ({sent} bytes) without closing"
    );

    // Many connections that send nothing neither start a thread each nor keep the site
    // from being served meanwhile.
    let before = threads();
    let quiet: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect_timeout(&addr, TIMEOUT).unwrap())
        .collect();
    let served = get(addr, "/countries/lao-pdr.html");
    assert_eq!(served.status, 200);
    if let (Some(before), Some(after)) = (before, threads()) {
        assert!(
            after < before + 10,
            "{} threads for 300 idle connections (from {before})",
            after
        );
    }
    drop(quiet);

    let (reply, closed) = idle.join().unwrap();
    assert!(closed, "an idle connection was kept open");
    assert_eq!(
        status_of(&reply),
        408,
        "{}",
        String::from_utf8_lossy(&reply)
    );
    let (reply, closed) = trickle.join().unwrap();
    assert!(closed, "a trickling request was kept open");
    assert_eq!(
        status_of(&reply),
        408,
        "{}",
        String::from_utf8_lossy(&reply)
    );

    // And the server still answers.
    assert_eq!(get(addr, "/").status, 200);
}

#[test]
fn redirects_never_lead_to_another_host() {
    let _serial = serial();
    let site = Site::new();
    let server = site.start();
    let addr = server.addr();
    assert_eq!(get(addr, "/fr/").status, 200);
    for (target, location) in [
        ("//fr", "/fr/"),
        ("///fr", "/fr/"),
        ("//countries?x=1", "/countries/?x=1"),
        ("/fr", "/fr/"),
    ] {
        let r = get(addr, target);
        assert_eq!(r.status, 301, "{target}");
        assert_eq!(r.header("Location").as_deref(), Some(location), "{target}");
    }
}

/// Whether a `src` names a file of the served site: relative, or under the server's URL.
fn own_file(src: &str, url: &str) -> bool {
    src.starts_with(url) || !(src.starts_with("//") || src.contains(':'))
}

#[test]
fn responses_carry_preview_security_headers_and_pages_need_no_inline_script() {
    let _serial = serial();
    let site = Site::new();
    let server = site.start();
    let addr = server.addr();
    let csp = serve::CONTENT_SECURITY_POLICY;
    let directive = |name: &str| -> String {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} in {csp}"))
            .to_string()
    };
    assert_eq!(directive("script-src"), "script-src 'self'");
    assert_eq!(directive("frame-ancestors"), "frame-ancestors 'none'");
    assert_eq!(directive("object-src"), "object-src 'none'");
    for target in [
        "/",
        "/countries/lao-pdr.html",
        "/search.html",
        "/style.css",
        "/search.js",
        serve::RELOAD_PATH,
        "/no-such-page.html",
        "/../x",
        &format!("{}?since=stale", serve::EVENTS_PATH),
    ] {
        let r = get(addr, target);
        assert_eq!(
            r.header("Content-Security-Policy").as_deref(),
            Some(csp),
            "{target}"
        );
        assert_eq!(
            r.header("X-Frame-Options").as_deref(),
            Some("DENY"),
            "{target}"
        );
        assert_eq!(
            r.header("Referrer-Policy").as_deref(),
            Some("no-referrer"),
            "{target}"
        );
    }
    // Under script-src 'self', no inline script may be needed: every script element of
    // every served page loads a file of the site, or is JSON-LD data.
    let pages = [
        "/",
        "/countries/",
        "/countries/lao-pdr.html",
        "/countries/cambodia.html",
        "/search.html",
        "/fr/",
        "/no-such-page.html",
        &format!("/questions/{}.html", site.topic),
    ];
    for target in pages {
        let r = get(addr, target);
        let html = r.text();
        let scripts: Vec<_> = egovsite::markup::html::start_tags(&html)
            .into_iter()
            .filter(|t| t.name == "script")
            .collect();
        assert!(!scripts.is_empty(), "{target}");
        for t in scripts {
            let src = t.attr("src");
            let data = t.attr("type") == Some("application/ld+json");
            assert!(
                data || src.is_some_and(|s| own_file(s, server.url())),
                "{target}: inline or foreign script {:?}",
                t
            );
        }
        for t in egovsite::markup::html::start_tags(&html) {
            for attr in ["onclick", "onload", "onerror", "onsubmit", "oninput"] {
                assert!(t.attr(attr).is_none(), "{target}: {attr} on {}", t.name);
            }
        }
    }
}
