//! The real site as GitHub Pages serves a project site: built with base_url
//! https://example.github.io/egov-profiles/, served under /egov-profiles/ on loopback, and
//! crawled from the home page like a reader clicking every link.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;

const PREFIX: &str = "/egov-profiles/";

/// A minimal static file server for the test: files of `dir` under PREFIX, 404 otherwise
/// (like GitHub Pages, with the site's 404.html).
fn serve(dir: PathBuf) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            if line.starts_with("QUIT") {
                break;
            }
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .split(['?', '#'])
                .next()
                .unwrap_or("/")
                .to_string();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).map(|n| n == 0).unwrap_or(true) || h == "\r\n" {
                    break;
                }
            }
            let file = path
                .strip_prefix(PREFIX)
                .filter(|p| !p.contains(".."))
                .map(|p| {
                    let p = if p.is_empty() || p.ends_with('/') {
                        format!("{p}index.html")
                    } else {
                        p.to_string()
                    };
                    dir.join(p)
                });
            let (status, body) = match file.filter(|f| f.is_file()) {
                Some(f) => ("200 OK", std::fs::read(f).unwrap()),
                None => (
                    "404 Not Found",
                    std::fs::read(dir.join("404.html")).unwrap_or_default(),
                ),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (addr, handle)
}

fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Resolve `href` found on the page at URL path `from` (both absolute paths on the host).
fn resolve(from: &str, href: &str) -> Option<String> {
    if href.starts_with("http://")
        || href.starts_with("https://")
        || href.starts_with("mailto:")
        || href.starts_with('#')
    {
        return None;
    }
    let href = href.split('#').next().unwrap_or("");
    let joined = if href.starts_with('/') {
        href.to_string()
    } else {
        let dir = &from[..from.rfind('/').map(|i| i + 1).unwrap_or(0)];
        format!("{dir}{href}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if joined.ends_with('/') && out != "/" {
        out.push('/');
    }
    Some(out)
}

fn html_files(dir: &Path) -> BTreeSet<String> {
    output_files(dir)
        .into_iter()
        .map(|f| f.path)
        .filter(|p| p.ends_with(".html") && p != "404.html")
        .collect()
}

#[test]
fn project_site_under_a_sub_path_is_fully_reachable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let built = egovsite(
        &[
            "build",
            "--root",
            repo().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            "https://example.github.io/egov-profiles/",
        ],
        &repo(),
    );
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let (addr, server) = serve(out.clone());

    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue = VecDeque::from([format!("{PREFIX}index.html")]);
    let mut problems = Vec::new();
    while let Some(url) = queue.pop_front() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let (status, body) = get(&addr, &url);
        if status != 200 {
            problems.push(format!("{url}: HTTP {status}"));
            continue;
        }
        if !url.ends_with(".html") && !url.ends_with('/') {
            continue;
        }
        for (href, _) in egovsite::markup::html::extract_links(&body) {
            // Absolute links must stay on the published site.
            if let Some(rest) = href.strip_prefix("https://example.github.io") {
                assert!(
                    rest.starts_with(PREFIX),
                    "{url}: {href} leaves the sub-path"
                );
                continue;
            }
            let Some(target) = resolve(&url, &href) else {
                continue;
            };
            if !target.starts_with(PREFIX) {
                problems.push(format!("{url}: link {href} leaves {PREFIX} (to {target})"));
                continue;
            }
            if !seen.contains(&target) {
                queue.push_back(target);
            }
        }
    }
    let _ = TcpStream::connect(&addr).and_then(|mut s| s.write_all(b"QUIT\r\n"));
    let _ = server.join();
    assert!(
        problems.is_empty(),
        "{} problems, first: {:?}",
        problems.len(),
        &problems[..problems.len().min(10)]
    );

    let reached: BTreeSet<String> = seen
        .iter()
        .filter_map(|u| u.strip_prefix(PREFIX))
        .map(|p| {
            if p.is_empty() || p.ends_with('/') {
                format!("{p}index.html")
            } else {
                p.to_string()
            }
        })
        .collect();
    let unreachable: Vec<String> = html_files(&out)
        .into_iter()
        .filter(|p| !reached.contains(p))
        .collect();
    assert!(
        unreachable.is_empty(),
        "pages no link leads to: {unreachable:?}"
    );

    // The 404 page works at any depth because its links use the base path.
    let (status, body) = get(&addr_for_404(&out), "/egov-profiles/no/such/page.html");
    assert_eq!(status, 404);
    assert!(egovsite::markup::html::extract_links(&body)
        .iter()
        .any(|(h, _)| h == "/egov-profiles/index.html"));
}

/// A fresh server for the 404 check (the crawl's server was stopped).
fn addr_for_404(out: &Path) -> String {
    let (addr, _handle) = serve(out.to_path_buf());
    addr
}
