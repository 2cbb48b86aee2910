//! Writing the built site: every file goes into a staging folder beside the output, which
//! replaces the output only once complete, so a failed or killed build never leaves a
//! half-written site. Single files (imports) are written through a temporary file and a
//! rename for the same reason.

pub mod minify;

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// Write `bytes` to `path` atomically: a temporary file in the same folder, flushed to
/// disk, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Receives each produced file (path relative to the output folder, bytes) from any
/// thread, as soon as it is made.
pub type Put<'a, E> = dyn Fn(&str, &[u8]) -> Result<(), E> + Sync + 'a;

/// One file of the built site: a path relative to the output folder, and its bytes.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The staging folder and backup names used next to `output`.
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.{suffix}"))
}

/// If an earlier build was killed between its two renames, put the previous output back.
pub fn recover(output: &Path) -> io::Result<()> {
    let backup = sibling(output, "previous");
    if !output.exists() && backup.is_dir() {
        fs::rename(&backup, output)?;
    }
    Ok(())
}

/// What [`Staging::finish`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublishStats {
    /// Bytes of the whole site.
    pub bytes: u64,
    /// Files whose content changed (or are new) and were written.
    pub written: usize,
}

fn same_content(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Files under `dir`, relative, with `/` separators.
fn existing_files(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(dir)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

/// A new output being written: files go into a staging folder beside the output as soon as
/// they are ready, from any thread. [`Staging::finish`] puts the folder in place of the
/// output; dropped unfinished (an error, a panic), the folder is removed and the output is
/// left as it was.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    written: AtomicUsize,
    bytes: AtomicU64,
    paths: Mutex<Vec<String>>,
    made_dirs: Mutex<HashSet<PathBuf>>,
    finished: bool,
}

impl Staging {
    /// Start a new output for `output` (recovering from a build killed mid-swap first).
    pub fn begin(output: &Path) -> io::Result<Staging> {
        recover(output)?;
        let dir = sibling(output, "staging");
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            written: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            paths: Mutex::new(Vec::new()),
            made_dirs: Mutex::new(HashSet::new()),
            finished: false,
        })
    }

    /// Add one file (`path` relative to the output, `/`-separated). A file identical to the
    /// one in the current output is hard-linked rather than written again.
    pub fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let dest = self.dir.join(path);
        if let Some(parent) = dest.parent() {
            let mut made = self.made_dirs.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(parent) {
                fs::create_dir_all(parent)?;
                made.insert(parent.to_path_buf());
            }
        }
        let old = self.output.join(path);
        if !(same_content(&old, bytes) && fs::hard_link(&old, &dest).is_ok()) {
            fs::write(&dest, bytes)?;
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_string());
        Ok(())
    }

    /// Files added so far.
    pub fn files(&self) -> usize {
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Copy the `keep` files of the old output over, then put the new output in place. When
    /// no file changed, the old output stays untouched.
    pub fn finish(mut self, keep: &[String]) -> io::Result<PublishStats> {
        self.finished = true;
        let stats = PublishStats {
            bytes: self.bytes.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
        };
        let result = self.swap(keep, stats);
        if result.is_err() && self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        result
    }

    fn swap(&self, keep: &[String], stats: PublishStats) -> io::Result<PublishStats> {
        let output = &self.output;
        if stats.written == 0 && output.is_dir() {
            let mut expected =
                std::mem::take(&mut *self.paths.lock().unwrap_or_else(|e| e.into_inner()));
            expected.extend(keep.iter().filter(|k| output.join(k).is_file()).cloned());
            expected.sort_unstable();
            expected.dedup();
            let mut present = existing_files(output);
            present.sort_unstable();
            if present == expected {
                fs::remove_dir_all(&self.dir)?;
                return Ok(stats);
            }
        }
        for name in keep {
            let old = output.join(name);
            let new = self.dir.join(name);
            if old.is_file() && !new.exists() {
                if let Some(parent) = new.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::copy(&old, &new)?;
            }
        }
        swap_in(&self.dir, output)?;
        Ok(stats)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Replace `output` with `staging` so that at every instant a complete site is at
/// `output`. On Linux both folders trade places in one atomic rename (renameat2 with
/// RENAME_EXCHANGE), then the old site is removed.
fn swap_in(staging: &Path, output: &Path) -> io::Result<()> {
    if output.is_dir() && exchange(staging, output).is_ok() {
        // `staging` now holds the previous site.
        return fs::remove_dir_all(staging);
    }
    swap_by_two_renames(staging, output)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both arguments are valid NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

/// Fallback where folders cannot be exchanged atomically: the old output is moved aside
/// first and removed last; [`recover`] puts it back if a build dies between the renames.
fn swap_by_two_renames(staging: &Path, output: &Path) -> io::Result<()> {
    let backup = sibling(output, "previous");
    if backup.exists() {
        fs::remove_dir_all(&backup)?;
    }
    if output.exists() {
        fs::rename(output, &backup)?;
    }
    fs::rename(staging, output)?;
    if backup.exists() {
        fs::remove_dir_all(&backup)?;
    }
    Ok(())
}
