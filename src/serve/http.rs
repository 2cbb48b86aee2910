//! Answering requests from the in-memory site: URL to file, content types, the reload
//! script and the error banner added to HTML, and the reload endpoint. (Connections,
//! limits and the headers every response carries are `conn`'s.)

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use super::conn::Request;
use super::{Shared, Snapshot};

/// Long-poll endpoint the reload script asks for changes: `?since=<token>`.
pub const EVENTS_PATH: &str = "/__egovsite/events";
/// The reload script, a file of its own so that the pages' Content-Security-Policy can
/// forbid inline scripts.
pub const RELOAD_PATH: &str = "/__egovsite/reload.js";
/// How long a long-poll waits before answering "no change".
const LONG_POLL: Duration = Duration::from_secs(25);
/// At most this many long-polls wait at once; more are told to retry later.
pub(crate) const MAX_WAITERS: usize = 64;

/// The reload script: waits for the build token (given by its `data-version`) to change,
/// then reloads the page. While the server is unreachable it retries every second.
const RELOAD_SCRIPT: &str = r#"/* egovsite serve: live reload (never in built output) */(()=>{const v=document.currentScript.dataset.version;const poll=()=>fetch("/__egovsite/events?since="+encodeURIComponent(v),{cache:"no-store"}).then(r=>{if(!r.ok)throw r.status;return r.json()}).then(d=>{if(d.version!==v)location.reload();else poll()}).catch(()=>setTimeout(poll,1000));poll()})();
"#;

/// What is added to served HTML to load the reload script with the page's build token.
const RELOAD_TAG: &str = r#"<script src="/__egovsite/reload.js" data-version="@TOKEN@"></script>"#;

/// Marker identifying the reload script in served HTML (tests look for it).
pub const RELOAD_MARKER: &str = RELOAD_PATH;

/// Characters percent-encoded when a decoded path is written back into a `Location`.
const PATH_ESCAPE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// Where a request path leads in the site.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// Path relative to the site root, `/`-separated, without empty or `.` segments.
    pub key: String,
    /// The URL named a folder (ended with `/`, or was `/`).
    pub dir: bool,
}

/// Map a request path (no query) to a site path. Refused (400): anything not starting with
/// `/`, bad percent-encoding or UTF-8, NUL or other control characters, backslashes and `..`
/// segments, whether written plainly or percent-encoded. The site is an in-memory map, so
/// nothing outside it could be reached anyway; refusing such paths keeps that obvious.
pub(crate) fn resolve(path: &str) -> Result<Target, &'static str> {
    if !path.starts_with('/') {
        return Err("the request path must start with /");
    }
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| "the request path is not UTF-8")?;
    if decoded.chars().any(|c| c.is_control()) {
        return Err("control characters in the request path");
    }
    if decoded.contains('\\') {
        return Err("backslash in the request path");
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err("`..` in the request path"),
            s => parts.push(s),
        }
    }
    let dir = parts.is_empty() || decoded.ends_with('/');
    Ok(Target {
        key: parts.join("/"),
        dir,
    })
}

/// Whether a `Host` header names this machine: `localhost` (or a name under it), or a
/// loopback address, with or without a port.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Content type for a site path.
pub(crate) fn content_type(key: &str) -> String {
    let name = key.rsplit('/').next().unwrap_or(key);
    if !name.contains('.') || (name.starts_with('.') && name.matches('.').count() == 1) {
        // CNAME, .nojekyll and the like.
        return "text/plain; charset=utf-8".into();
    }
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let essence = mime.essence_str();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            essence,
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        )
        || essence.ends_with("+xml")
        || essence.ends_with("+json");
    if textual {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

fn respond(
    request: Request,
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    extra: &[(&str, &str)],
) {
    request.respond(status, content_type, &body, extra);
}

fn text(request: Request, status: u16, body: &str, extra: &[(&str, &str)]) {
    respond(
        request,
        status,
        "text/plain; charset=utf-8",
        body.as_bytes().to_vec(),
        extra,
    );
}

/// Where `/countries` (or `//countries`) sends the browser: the site path written from its
/// cleaned key, always starting with a single `/`, so that it can never read as another
/// host (`//fr/` would be the host `fr`).
pub(crate) fn folder_location(key: &str, query: Option<&str>) -> String {
    let mut location = String::from("/");
    for seg in key.split('/') {
        location.extend(utf8_percent_encode(seg, PATH_ESCAPE));
        location.push('/');
    }
    if let Some(q) = query {
        location.push('?');
        location.push_str(q);
    }
    location
}

/// Answer one request.
pub(crate) fn handle(request: Request, shared: &Arc<Shared>) {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        text(
            request,
            405,
            "Method not allowed: this preview server only reads.\n",
            &[("Allow", "GET, HEAD")],
        );
        return;
    }
    if shared.loopback_only {
        let host = request.host.clone();
        if let Some(host) = host.filter(|h| !is_loopback_host(h)) {
            // A page elsewhere that made its own name point at 127.0.0.1 (DNS rebinding)
            // must not read the preview.
            text(
                request,
                400,
                &format!("Bad request: this preview server answers only to localhost, not to `{host}`.\n"),
                &[],
            );
            return;
        }
    }
    let url = request.target.clone();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url.as_str(), None),
    };
    let path = path.split('#').next().unwrap_or("");
    if path == EVENTS_PATH {
        events(request, query.unwrap_or(""), shared);
        return;
    }
    if path == RELOAD_PATH {
        respond(
            request,
            200,
            "text/javascript; charset=utf-8",
            RELOAD_SCRIPT.as_bytes().to_vec(),
            &[],
        );
        return;
    }
    let target = match resolve(path) {
        Ok(t) => t,
        Err(why) => {
            text(request, 400, &format!("Bad request: {why}.\n"), &[]);
            return;
        }
    };
    let snap = shared.snapshot();
    if !snap.has_site {
        let page = error_page(&snap);
        respond(
            request,
            500,
            "text/html; charset=utf-8",
            page.into_bytes(),
            &[],
        );
        return;
    }
    let key = match (target.dir, target.key.is_empty()) {
        (true, true) => "index.html".to_string(),
        (true, false) => format!("{}/index.html", target.key),
        (false, _) => target.key,
    };
    if let Some(bytes) = snap.files.get(&key) {
        serve_file(request, 200, &key, bytes, &snap);
    } else if !target.dir && snap.files.contains_key(&format!("{key}/index.html")) {
        // `/countries` → `/countries/`, so that the page's relative links resolve.
        let location = folder_location(&key, query);
        text(
            request,
            301,
            "Moved permanently.\n",
            &[("Location", &location)],
        );
    } else if let Some(bytes) = snap.files.get("404.html") {
        serve_file(request, 404, "404.html", bytes, &snap);
    } else {
        text(request, 404, "Not found.\n", &[]);
    }
}

fn serve_file(request: Request, status: u16, key: &str, bytes: &[u8], snap: &Snapshot) {
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") {
        inject(bytes, snap)
    } else {
        bytes.to_vec()
    };
    respond(request, status, &content_type, body, &[]);
}

/// The reload endpoint: answers at once when the build token differs from `since`, else
/// when it changes (or after a while, with the same token).
fn events(request: Request, query: &str, shared: &Arc<Shared>) {
    let since = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .map(|v| percent_decode_str(v).decode_utf8_lossy().into_owned())
        .unwrap_or_default();
    let current = shared.snapshot().token.clone();
    if current != since || shared.stopping() {
        respond_version(request, &current);
        return;
    }
    if shared.waiters.fetch_add(1, Ordering::SeqCst) >= MAX_WAITERS {
        shared.waiters.fetch_sub(1, Ordering::SeqCst);
        text(
            request,
            503,
            "Too many open pages; retrying.\n",
            &[("Retry-After", "1")],
        );
        return;
    }
    // Long-polls wait on threads of their own (at most MAX_WAITERS), so open tabs never
    // hold up the workers. If the thread cannot start, the connection is closed unanswered:
    // the script then retries a second later.
    let waiter = Arc::clone(shared);
    let spawned = std::thread::Builder::new()
        .name("egovsite-reload".into())
        .spawn(move || {
            let token = waiter.wait_for_change(&since, LONG_POLL);
            respond_version(request, &token);
            waiter.waiters.fetch_sub(1, Ordering::SeqCst);
        });
    if spawned.is_err() {
        shared.waiters.fetch_sub(1, Ordering::SeqCst);
    }
}

fn respond_version(request: Request, token: &str) {
    let body = serde_json::json!({ "version": token }).to_string();
    respond(
        request,
        200,
        "application/json; charset=utf-8",
        body.into_bytes(),
        &[],
    );
}

/// Add the reload script (before `</body>`) and, when the latest build failed, the error
/// banner (after `<body>`) to an HTML page.
pub(crate) fn inject(html: &[u8], snap: &Snapshot) -> Vec<u8> {
    let script = RELOAD_TAG.replace("@TOKEN@", &snap.token);
    let banner = if snap.errors.is_empty() {
        String::new()
    } else {
        banner(&snap.errors)
    };
    let mut out = Vec::with_capacity(html.len() + script.len() + banner.len());
    let body_start = find_ci(html, b"<body")
        .and_then(|i| html[i..].iter().position(|&b| b == b'>').map(|j| i + j + 1));
    let body_end = rfind_ci(html, b"</body>").filter(|&e| body_start.is_none_or(|s| e >= s));
    let (head, rest) = match body_start {
        Some(s) => html.split_at(s),
        None => (&html[..0], html),
    };
    out.extend_from_slice(head);
    out.extend_from_slice(banner.as_bytes());
    match body_end {
        Some(e) => {
            let (inner, tail) = rest.split_at(e - head.len());
            out.extend_from_slice(inner);
            out.extend_from_slice(script.as_bytes());
            out.extend_from_slice(tail);
        }
        None => {
            out.extend_from_slice(rest);
            out.extend_from_slice(script.as_bytes());
        }
    }
    out
}

/// The banner listing the latest build's problems, HTML-escaped.
fn banner(errors: &[String]) -> String {
    let n = errors.len();
    let mut out = String::from(
        "<div id=\"egovsite-build-errors\" role=\"alert\" style=\"position:sticky;top:0;z-index:2147483647;margin:0;padding:1em 1.25em;background:#fff4f4;color:#5c0000;border-bottom:4px solid #b00020;font:15px/1.45 system-ui,sans-serif;max-height:60vh;overflow:auto;text-align:left\">",
    );
    out.push_str(&format!(
        "<p style=\"margin:0 0 .5em;font-weight:bold\">The site could not be rebuilt: {n} problem{}. You are seeing the last version that built. Fix the file{} below and save: this page reloads by itself.</p>",
        if n == 1 { "" } else { "s" },
        if n == 1 { "" } else { "s" },
    ));
    out.push_str("<ol style=\"margin:0;padding-left:1.5em\">");
    for e in errors {
        out.push_str("<li><code style=\"white-space:pre-wrap;word-break:break-word;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:inherit;background:none\">");
        out.push_str(&crate::markup::escape::escape(e));
        out.push_str("</code></li>");
    }
    out.push_str("</ol></div>");
    out
}

/// The page served for every request while no build has succeeded yet.
fn error_page(snap: &Snapshot) -> String {
    let mut page = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Build failed · egovsite serve</title></head><body style=\"margin:0\">",
    );
    if snap.errors.is_empty() {
        page.push_str("<p style=\"padding:1em\">The site has not been built yet.</p>");
    } else {
        page.push_str(&banner(&snap.errors).replace(
            "You are seeing the last version that built. ",
            "Nothing has built yet. ",
        ));
    }
    page.push_str(&RELOAD_TAG.replace("@TOKEN@", &snap.token));
    page.push_str("</body></html>");
    page
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn rfind_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(errors: &[&str]) -> Snapshot {
        Snapshot {
            token: "t-1".into(),
            files: Default::default(),
            has_site: true,
            errors: errors.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn resolves_paths_inside_the_site_only() {
        let ok = |p: &str, key: &str, dir: bool| {
            assert_eq!(
                resolve(p),
                Ok(Target {
                    key: key.into(),
                    dir
                }),
                "{p}"
            )
        };
        ok("/", "", true);
        ok("/index.html", "index.html", false);
        ok("/countries/", "countries", true);
        ok("/countries", "countries", false);
        ok(
            "//countries/./lao-pdr.html",
            "countries/lao-pdr.html",
            false,
        );
        ok("/a%20b.html", "a b.html", false);
        for bad in [
            "/../Cargo.toml",
            "/..%2f..%2fetc/passwd",
            "/%2e%2e/",
            "/%2E%2E/x",
            "\\..\\",
            "/a/%5c..%5cb",
            "/x%00.html",
            "/%ff",
            "Cargo.toml",
            "http://example.org/",
            "*",
            "/a/../b",
        ] {
            assert!(resolve(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn folder_redirects_stay_on_this_host() {
        assert_eq!(folder_location("fr", None), "/fr/");
        assert_eq!(folder_location("countries", Some("x=1")), "/countries/?x=1");
        assert_eq!(folder_location("a b/c%d", None), "/a%20b/c%25d/");
        // `//fr` resolves to the key `fr`: the redirect is `/fr/`, never `//fr/`.
        let t = resolve("//fr").unwrap();
        assert_eq!(folder_location(&t.key, None), "/fr/");
        let t = resolve("///evil.example/x").unwrap();
        assert_eq!(folder_location(&t.key, None), "/evil.example/x/");
    }

    #[test]
    fn loopback_hosts() {
        for ok in [
            "localhost",
            "localhost:1111",
            "127.0.0.1:1111",
            "127.0.0.2",
            "[::1]:80",
            "LOCALHOST",
            "app.localhost:1",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "192.168.1.2:1111",
            "localhost.evil.example",
            "[::]:1",
            "",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert!(content_type("feed.xml").contains("xml"));
        assert_eq!(
            content_type("data/answers.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(content_type("logo.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("CNAME"), "text/plain; charset=utf-8");
        assert_eq!(content_type(".nojekyll"), "text/plain; charset=utf-8");
        assert_eq!(content_type("file.unknownext"), "application/octet-stream");
    }

    #[test]
    fn injects_script_and_escaped_banner() {
        let html = b"<!DOCTYPE html><html><head></head><body class=x><p>Hi</p></body></html>";
        let plain = String::from_utf8(inject(html, &snap(&[]))).unwrap();
        assert!(plain.contains(RELOAD_MARKER));
        assert!(plain.contains("\"t-1\""));
        assert!(plain.find(RELOAD_MARKER).unwrap() > plain.find("<p>Hi</p>").unwrap());
        assert!(plain.ends_with("</script></body></html>"));
        assert!(!plain.contains("egovsite-build-errors"));

        let broken =
            String::from_utf8(inject(html, &snap(&["content/a.yaml:3:7: bad <b>&"]))).unwrap();
        let banner_at = broken.find("egovsite-build-errors").unwrap();
        assert!(banner_at > broken.find("<body class=x>").unwrap());
        assert!(banner_at < broken.find("<p>Hi</p>").unwrap());
        assert!(
            broken.contains("content/a.yaml:3:7: bad &lt;b&gt;&amp;"),
            "{broken}"
        );
        assert!(!broken.contains("<b>&"));
    }

    #[test]
    fn injects_into_fragments_without_body() {
        let out = String::from_utf8(inject(b"<p>x</p>", &snap(&["e"]))).unwrap();
        assert!(out.starts_with("<div id=\"egovsite-build-errors\""));
        assert!(out.contains("<p>x</p><script src=\"/__egovsite/reload.js\" data-version=\"t-1\">"));
    }
}
