//! Watching the site's sources and turning bursts of file events into one rebuild.
//!
//! notify is used directly rather than through a debouncer crate because its Linux backend
//! also reports files being opened; the build itself opens every content file, so without
//! filtering on the event kind (which notify-debouncer-mini discards) each rebuild would
//! trigger the next one.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// The folders of a site whose changes rebuild it.
pub(crate) const WATCHED: [&str; 3] = ["content", "themes", "templates"];
/// A rebuild starts once no change has arrived for this long...
const QUIET: Duration = Duration::from_millis(50);
/// ...or once changes have kept arriving for this long.
const MAX_DELAY: Duration = Duration::from_millis(500);
/// How often a wait looks at the stop flag.
const TICK: Duration = Duration::from_millis(100);

pub(crate) struct Watch {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
}

impl Watch {
    /// Watch `root/content`, `root/themes` and `root/templates` (each if present), and
    /// `root` itself so that a folder created later is watched too.
    pub(crate) fn new(root: &Path) -> Result<Self, String> {
        let (tx, events) = mpsc::channel();
        let watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })
        .map_err(|e| format!("cannot watch files for changes: {e}"))?;
        // Events arrive with the paths as watched; use the same form as the root we compare with.
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut w = Watch {
            root,
            watcher,
            events,
        };
        w.watcher
            .watch(&w.root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("{}: cannot watch for changes: {e}", w.root.display()))?;
        for dir in WATCHED {
            let path = w.root.join(dir);
            if path.is_dir() {
                w.watcher
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|e| format!("{}: cannot watch for changes: {e}", path.display()))?;
            }
        }
        Ok(w)
    }

    /// Wait for a change in the watched folders, then for it to settle; returns the changed
    /// paths relative to the site root (an empty path when events were lost), or `None`
    /// once `stop()` says so.
    pub(crate) fn next_change(&mut self, stop: impl Fn() -> bool) -> Option<Vec<PathBuf>> {
        let mut changed = Vec::new();
        while changed.is_empty() {
            if stop() {
                return None;
            }
            match self.events.recv_timeout(TICK) {
                Ok(event) => changed = self.relevant(event),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        let first = Instant::now();
        let mut last = first;
        loop {
            let wait = QUIET.saturating_sub(last.elapsed());
            if wait.is_zero() || first.elapsed() >= MAX_DELAY || stop() {
                break;
            }
            match self.events.recv_timeout(wait) {
                Ok(event) => {
                    let more = self.relevant(event);
                    if !more.is_empty() {
                        changed.extend(more);
                        last = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        changed.sort();
        changed.dedup();
        Some(changed)
    }

    /// The paths of an event that should rebuild the site.
    fn relevant(&mut self, event: notify::Result<Event>) -> Vec<PathBuf> {
        let event = match event {
            Ok(e) => e,
            // Events may have been lost (e.g. the kernel queue overflowed): rebuild to be safe.
            Err(_) => return vec![PathBuf::new()],
        };
        if matches!(event.kind, EventKind::Access(_)) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for path in event.paths {
            let Some(rel) = relative(&self.root, &path) else {
                continue;
            };
            let mut parts = rel.components();
            let Some(Component::Normal(top)) = parts.next() else {
                continue;
            };
            if !WATCHED.iter().any(|w| top == *w) {
                continue;
            }
            if parts.next().is_none() {
                // A watched folder itself was created, replaced or removed: (re)watch it.
                if path.is_dir() {
                    let _ = self.watcher.watch(&path, RecursiveMode::Recursive);
                }
            } else if is_scratch_file(&path) {
                continue;
            }
            out.push(rel.to_path_buf());
        }
        out
    }
}

fn relative<'a>(root: &Path, path: &'a Path) -> Option<&'a Path> {
    path.strip_prefix(root).ok()
}

/// Editors' swap, backup and lock files, which never affect the site.
fn is_scratch_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".crswap"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || name == "4913"
        || name == ".DS_Store"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_scratch_files_are_ignored() {
        for name in [
            "a.yaml~",
            ".a.yaml.swp",
            ".#a.yaml",
            "#a.yaml#",
            "4913",
            "x.tmp",
        ] {
            assert!(is_scratch_file(Path::new(name)), "{name}");
        }
        for name in ["a.yaml", "report.md", "style.css", "CNAME"] {
            assert!(!is_scratch_file(Path::new(name)), "{name}");
        }
    }
}
