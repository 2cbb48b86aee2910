//! Connections of the preview server, with bounded work per client: one thread reads every
//! request head without blocking (mio), a fixed pool of workers answers complete requests,
//! and every response closes its connection.
//!
//! Bounds, whatever a client sends or withholds:
//! - a request line and headers of at most [`MAX_HEAD`] bytes and [`MAX_HEADERS`] headers
//!   (else `431` and the connection is closed): nothing of a request is kept past that;
//! - a complete head within [`HEAD_TIMEOUT`] of connecting (else `408`), so idle and
//!   trickling connections are closed and never hold a thread;
//! - at most [`MAX_OPEN`] connections waiting for their head (more are closed at once) and
//!   [`QUEUE`] complete requests waiting for a worker (more get `503`);
//! - threads: this reader, the workers and the long-polls of the reload script (at most
//!   `http::MAX_WAITERS`), fixed in number.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::time::{Duration, Instant};

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token};

/// Largest request head (request line and headers) read; browsers send under 2 KB.
pub const MAX_HEAD: usize = 16 * 1024;
/// Most headers in one request.
pub const MAX_HEADERS: usize = 64;
/// Time a client has from connecting to sending its whole request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// Time a response may take to be written out.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections waiting for their request head at once.
pub const MAX_OPEN: usize = 512;
/// Complete requests waiting for a worker.
pub const QUEUE: usize = 256;
/// After an error response, what is read and dropped of the rest of a request so that the
/// client sees the response rather than a reset connection (at most this much, this long).
const LINGER_BYTES: usize = 256 * 1024;
const LINGER_TIME: Duration = Duration::from_secs(1);

const LISTENER: Token = Token(usize::MAX);

/// A request whose head was read whole.
pub(crate) struct Request {
    pub method: String,
    /// The request target as sent (`/path?query`).
    pub target: String,
    /// The `Host` header, when there was one.
    pub host: Option<String>,
    /// The client sent (or announced) more than the head: read it away before closing.
    linger: bool,
    stream: TcpStream,
}

/// What the reader hands to a worker.
pub(crate) enum Job {
    Request(Request),
    /// Answer with this status and message, then close.
    Refuse(TcpStream, u16, &'static str),
}

impl Request {
    /// Write the response and close the connection. `HEAD` requests get the headers only.
    pub fn respond(self, status: u16, content_type: &str, body: &[u8], extra: &[(&str, &str)]) {
        let head_only = self.method == "HEAD";
        finish(
            self.stream,
            status,
            content_type,
            body,
            extra,
            head_only,
            self.linger,
        );
    }
}

/// Answer a job the reader refused.
pub(crate) fn refuse(stream: TcpStream, status: u16, why: &str) {
    let body = format!("{}: {why}.\n", reason(status));
    finish(
        stream,
        status,
        "text/plain; charset=utf-8",
        body.as_bytes(),
        &[],
        false,
        true,
    );
}

/// Headers sent with every response: nothing is cached (the preview changes under the
/// browser), nothing is sniffed, no page can frame the preview or read its files from
/// elsewhere, no address of the preview leaks to sites it links to, and pages run no
/// script but the site's own files (see [`CONTENT_SECURITY_POLICY`]).
const COMMON_HEADERS: [(&str, &str); 7] = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Connection", "close"),
];

/// What served pages may load. The pages need their own style sheet and `search.js`, style
/// attributes (the answer bars on country pages, the error banner), `fetch` of the search
/// index and of the reload endpoint from the same origin, and images wherever Markdown puts
/// them; JSON-LD blocks are data, which script-src does not govern. No inline script runs:
/// the reload script is a file of its own (`/__egovsite/reload.js`).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn finish(
    mut stream: TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    extra: &[(&str, &str)],
    head_only: bool,
    linger: bool,
) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
        reason(status),
        body.len()
    );
    for (name, value) in COMMON_HEADERS.iter().chain(extra) {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    // The client may have gone away; nothing to do then.
    let written = stream.write_all(head.as_bytes()).and_then(|()| {
        if head_only {
            Ok(())
        } else {
            stream.write_all(body)
        }
    });
    if written.is_err() {
        return;
    }
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
    if linger {
        // Closing with unread input makes the system reset the connection, and the client
        // may then lose the response: read the rest away first, within bounds.
        let until = Instant::now() + LINGER_TIME;
        let mut left = LINGER_BYTES;
        let mut sink = [0u8; 8192];
        while left > 0 {
            let now = Instant::now();
            if now >= until || stream.set_read_timeout(Some(until - now)).is_err() {
                break;
            }
            match stream.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// A connection whose head is still being read.
struct Pending {
    stream: mio::net::TcpStream,
    buf: Vec<u8>,
    opened: Instant,
}

/// A request head read whole, before its connection is handed over.
struct Parsed {
    method: String,
    target: String,
    host: Option<String>,
    linger: bool,
}

/// What the bytes read so far amount to.
enum Head {
    Partial,
    Done(Parsed),
    Refused(u16, &'static str),
}

/// The reader: accept connections, read their heads and queue complete requests for the
/// workers, until `stopping` says so (checked every `tick`). Returns when stopped; the
/// listener closes then.
pub(crate) fn read_loop(
    listener: std::net::TcpListener,
    jobs: SyncSender<Job>,
    tick: Duration,
    stopping: impl Fn() -> bool,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let mut listener = TcpListener::from_std(listener);
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    let mut events = Events::with_capacity(256);
    let mut open: HashMap<Token, Pending> = HashMap::new();
    let mut next = 0usize;
    while !stopping() {
        if let Err(e) = poll.poll(&mut events, Some(tick)) {
            if e.kind() == ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        for event in events.iter() {
            if event.token() == LISTENER {
                accept(&mut listener, &poll, &mut open, &mut next);
                continue;
            }
            let token = event.token();
            let Some(p) = open.get_mut(&token) else {
                continue;
            };
            match read_head(p) {
                Ok(Head::Partial) => {}
                Ok(Head::Done(head)) => {
                    let p = open.remove(&token).expect("pending");
                    hand_over(&poll, p, &jobs, |stream| {
                        Job::Request(Request {
                            method: head.method,
                            target: head.target,
                            host: head.host,
                            linger: head.linger,
                            stream,
                        })
                    });
                }
                Ok(Head::Refused(status, why)) => {
                    let p = open.remove(&token).expect("pending");
                    hand_over(&poll, p, &jobs, |s| Job::Refuse(s, status, why));
                }
                Err(()) => {
                    if let Some(mut p) = open.remove(&token) {
                        let _ = poll.registry().deregister(&mut p.stream);
                    }
                }
            }
        }
        // Close connections that did not send their head in time.
        let now = Instant::now();
        let late: Vec<Token> = open
            .iter()
            .filter(|(_, p)| now.duration_since(p.opened) >= HEAD_TIMEOUT)
            .map(|(t, _)| *t)
            .collect();
        for token in late {
            let p = open.remove(&token).expect("pending");
            let why = if p.buf.is_empty() {
                "no request was sent; closing the idle connection"
            } else {
                "the request was not sent in time"
            };
            hand_over(&poll, p, &jobs, |s| Job::Refuse(s, 408, why));
        }
    }
    Ok(())
}

fn accept(
    listener: &mut TcpListener,
    poll: &Poll,
    open: &mut HashMap<Token, Pending>,
    next: &mut usize,
) {
    loop {
        match listener.accept() {
            Ok((mut stream, _)) => {
                if open.len() >= MAX_OPEN {
                    // Dropped: closed at once, nothing read or kept.
                    continue;
                }
                *next = (*next + 1) % (usize::MAX - 1);
                let token = Token(*next);
                let _ = stream.set_nodelay(true);
                if poll
                    .registry()
                    .register(&mut stream, token, Interest::READABLE)
                    .is_ok()
                {
                    open.insert(
                        token,
                        Pending {
                            stream,
                            buf: Vec::new(),
                            opened: Instant::now(),
                        },
                    );
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            // Out of file descriptors or the like: try again at the next event.
            Err(_) => return,
        }
    }
}

/// Stop watching `p` and give its connection to a worker, or answer `503` when every worker
/// is busy and the queue is full.
fn hand_over(
    poll: &Poll,
    mut p: Pending,
    jobs: &SyncSender<Job>,
    job: impl FnOnce(TcpStream) -> Job,
) {
    let _ = poll.registry().deregister(&mut p.stream);
    let stream = TcpStream::from(p.stream);
    if stream.set_nonblocking(false).is_err() {
        return;
    }
    match jobs.try_send(job(stream)) {
        Ok(()) => {}
        Err(TrySendError::Full(job)) => {
            // Written from this thread without waiting: a short reply fits in the socket's
            // buffer, and a client that cannot take it loses it.
            let stream = match job {
                Job::Request(r) => r.stream,
                Job::Refuse(s, ..) => s,
            };
            let _ = stream.set_nonblocking(true);
            let mut stream = stream;
            let _ = stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n",
            );
        }
        Err(TrySendError::Disconnected(_)) => {}
    }
}

/// Read what is there of `p`'s head. `Err` when the client closed or failed.
fn read_head(p: &mut Pending) -> Result<Head, ()> {
    let mut chunk = [0u8; 4096];
    loop {
        let room = MAX_HEAD + 1 - p.buf.len().min(MAX_HEAD);
        match p.stream.read(&mut chunk[..room.min(4096)]) {
            Ok(0) => return Err(()),
            Ok(n) => {
                let from = p.buf.len().saturating_sub(3);
                p.buf.extend_from_slice(&chunk[..n]);
                let ended = p.buf[from..].windows(2).any(|w| w == b"\n\n")
                    || p.buf[from..].windows(3).any(|w| w == b"\n\r\n");
                if ended {
                    return Ok(parse(p));
                }
                if p.buf.len() > MAX_HEAD {
                    return Ok(Head::Refused(
                        431,
                        "the request line and headers are too long",
                    ));
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(Head::Partial),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Err(()),
        }
    }
}

/// Parse a head that has ended (a blank line was read).
fn parse(p: &mut Pending) -> Head {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(&p.buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Head::Partial,
        Err(httparse::Error::TooManyHeaders) => {
            return Head::Refused(431, "too many header fields")
        }
        Err(httparse::Error::Version) => {
            return Head::Refused(505, "only HTTP/1.0 and HTTP/1.1 are understood")
        }
        Err(_) => return Head::Refused(400, "the request is not well-formed HTTP"),
    };
    let header = |name: &str| {
        req.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    let has_body = header("Transfer-Encoding").is_some()
        || header("Content-Length").is_some_and(|v| v.trim() != "0");
    let host = header("Host");
    let (Some(method), Some(target)) = (req.method, req.path) else {
        return Head::Refused(400, "the request is not well-formed HTTP");
    };
    Head::Done(Parsed {
        method: method.to_string(),
        target: target.to_string(),
        host,
        linger: has_body || len < p.buf.len(),
    })
}

/// The workers: answer queued jobs with `answer` until `stopping` says so.
pub(crate) fn work(
    jobs: &std::sync::Mutex<Receiver<Job>>,
    tick: Duration,
    stopping: impl Fn() -> bool,
    answer: impl Fn(Request),
) {
    while !stopping() {
        let job = {
            let rx = jobs.lock().unwrap_or_else(|e| e.into_inner());
            rx.recv_timeout(tick)
        };
        match job {
            Ok(Job::Request(r)) => answer(r),
            Ok(Job::Refuse(stream, status, why)) => refuse(stream, status, why),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}
