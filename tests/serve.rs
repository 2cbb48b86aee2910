//! `egovsite serve`, tested over real HTTP on loopback against a temporary copy of the
//! bundled site: pages are served from memory, edits show up within a second, broken
//! content shows its problems while the last good site stays readable, nothing outside the
//! site can be fetched, and the reload script exists only in served pages.
//!
//! Every loop here is bounded in count and time. The tests take a lock so that only one
//! server renders at a time and the one-second rebuild deadline is not measured against
//! another test's build.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use egovsite::content::{Catalogue, QuestionKind};
use egovsite::serve::{self, ServeOptions, ServerHandle};

const TIMEOUT: Duration = Duration::from_secs(10);

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
        self.start_timed().0
    }

    /// Start a server; also returns how long the first build took.
    fn start_timed(&self) -> (ServerHandle, Duration) {
        let opts = ServeOptions {
            root: self.root().to_path_buf(),
            bind: "127.0.0.1".into(),
            port: 0,
            open: false,
        };
        let t = Instant::now();
        let server = serve::start(&opts).expect("server starts");
        (server, t.elapsed())
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
    let at = page.find("const v=\"").expect("reload script with token") + "const v=\"".len();
    page[at..].split('"').next().unwrap().to_string()
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
    // The listener closes as tiny_http's accept thread ends, just after stop() returns.
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
    let (server, first_build) = site.start_timed();
    let addr = server.addr();
    let page = "/countries/lao-pdr.html";
    // One second on an ordinary machine; on one so loaded that the first build alone took
    // longer, twice that build's time.
    let deadline = Duration::from_secs(1).max(first_build * 2);
    let question = format!("/questions/{}.html", site.topic);

    let first = get(addr, page);
    assert_eq!(first.status, 200);
    assert!(first.text().contains("MARKER-ONE"), "answer not on {page}");
    assert!(
        get(addr, &question).text().contains("MARKER-ONE"),
        "answer not on {question}"
    );

    // A browser tab waits for the next build...
    let token = token_of(&first.text());
    let waiting =
        std::thread::spawn(move || get(addr, &format!("{}?since={token}", serve::EVENTS_PATH)));
    std::thread::sleep(Duration::from_millis(100));

    // ...and an edit shows up within a second.
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
    let (r, took, ok) = poll(addr, page, Duration::from_secs(5), |r| {
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
    let (r, took, ok) = poll(addr, page, Duration::from_secs(5), |r| {
        r.text().contains("MARKER-THREE")
    });
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
    let (r, took, ok) = poll(addr, "/", Duration::from_secs(5), |r| r.status == 200);
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
    assert!(page.contains(serve::EVENTS_PATH));
    // The events endpoint answers at once for a stale token.
    let r = get(
        server.addr(),
        &format!("{}?since=stale", serve::EVENTS_PATH),
    );
    assert_eq!(r.status, 200);
    assert!(r.text().contains(&token_of(&page)));
}
