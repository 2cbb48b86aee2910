//! Writing the built site: every file goes into a staging folder beside the output, which
//! replaces the output only once complete, so a failed or killed build never leaves a
//! half-written site. Single files (imports) are written through a temporary file and a
//! rename for the same reason. Which folders a build may replace is decided in [`guard`];
//! [`lock`] keeps two builds from writing the same output at once. A `.git` in the output
//! is never removed: it moves into each new output.

pub mod guard;
pub mod lock;
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

/// The staging folder, backup and lock names used next to `output`.
pub(crate) fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.{suffix}"))
}

/// The name of the folder inside an output that a build never deletes or replaces.
const GIT: &str = ".git";

/// Move `old`'s `.git` into `new` (which has none): a `.git` in the output stays with the
/// output whatever the build does.
fn adopt_git(old: &Path, new: &Path) -> io::Result<()> {
    let from = old.join(GIT);
    let to = new.join(GIT);
    if fs::symlink_metadata(&from).is_ok() && fs::symlink_metadata(&to).is_err() {
        fs::rename(&from, &to)?;
    }
    Ok(())
}

/// Remove the folder `dir`, which this build has decided to replace, except a `.git` in it:
/// then everything else goes and `dir` stays, and that is an error. The mark goes last, so
/// that a removal cut short leaves a folder the next build recognises as its own.
fn remove_replaced(dir: &Path) -> io::Result<()> {
    let mut kept_git = false;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == GIT {
            kept_git = true;
        } else if name == guard::MANIFEST {
        } else if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    if kept_git {
        return Err(io::Error::other(format!(
            "{} holds a .git, which is never deleted: move it where it belongs and remove the \
             folder",
            guard::printable(dir)
        )));
    }
    match fs::remove_file(dir.join(guard::MANIFEST)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Mark the old output, moved aside to be removed, as egovsite's (it may be a folder
/// replaced with `--force`): if the build is stopped before it is gone, the next build
/// recognises it as its own leftover.
fn claim(dir: &Path) -> io::Result<()> {
    if guard::is_marked(dir) {
        return Ok(());
    }
    fs::write(
        dir.join(guard::MANIFEST),
        format!(
            "{}\n# Replaced by a newer build; being removed.\n",
            guard::MARK
        ),
    )
}

/// Remove a staging or backup folder left beside `output` by a build that was stopped, but
/// only when egovsite made it (empty, or carrying the mark): anything else of that name is
/// the user's, and is an error. A `.git` in it goes back to the output first.
fn remove_leftover(dir: &Path, output: &Path) -> io::Result<()> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let empty = meta.is_dir() && fs::read_dir(dir)?.next().is_none();
    if !(meta.is_dir() && (empty || guard::is_marked(dir))) {
        return Err(io::Error::other(format!(
            "{} is in the way: a build puts its staging and backup folders there, but \
             egovsite did not make this one (or it holds a folder replaced with --force whose \
             removal was interrupted), so it is left as it is. Move or rename it, then build \
             again.",
            guard::printable(dir)
        )));
    }
    if output.is_dir() {
        adopt_git(dir, output)?;
    }
    remove_replaced(dir)
}

/// If an earlier build was killed between its two renames, put the previous output back
/// (only a folder egovsite made).
pub fn recover(output: &Path) -> io::Result<()> {
    let backup = sibling(output, "previous");
    if fs::symlink_metadata(output).is_err() && backup.is_dir() && guard::is_marked(&backup) {
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

/// Files under `dir` (its `.git` aside), relative, with `/` separators.
fn existing_files(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name() == GIT))
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

/// The manifest of an output holding `paths` (each once, any order).
fn manifest(paths: &[String]) -> Vec<u8> {
    let mut sorted: Vec<&str> = paths.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let mut text = format!(
        "{}\n# The files it wrote; files kept from the folder it replaced (keep_files, .git) \
         are not listed.\n",
        guard::MARK
    );
    for p in sorted {
        text.push_str(p);
        text.push('\n');
    }
    text.into_bytes()
}

/// A new output being written: files go into a staging folder beside the output as soon as
/// they are ready, from any thread. [`Staging::finish`] puts the folder in place of the
/// output; dropped unfinished (an error, a panic), the folder is removed and the output is
/// left as it was.
///
/// The staging folder carries the mark ([`guard::MANIFEST`]) from the moment it is made,
/// and the finished output lists its files there.
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
    /// Start a new output for `output`, a resolved path that [`guard::check_target`] and
    /// [`guard::check_replaceable`] accepted, under an [`lock::OutputLock`]. What a build
    /// killed earlier left beside the output is cleaned up first (only folders egovsite
    /// made).
    pub fn begin(output: &Path) -> io::Result<Staging> {
        recover(output)?;
        let dir = sibling(output, "staging");
        remove_leftover(&dir, output)?;
        remove_leftover(&sibling(output, "previous"), output)?;
        if let Some(parent) = dir.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::create_dir(&dir)?;
        let staging = Staging {
            output: output.to_path_buf(),
            dir,
            written: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            paths: Mutex::new(Vec::new()),
            made_dirs: Mutex::new(HashSet::new()),
            finished: false,
        };
        fs::write(
            staging.dir.join(guard::MANIFEST),
            format!("{}\n# Being written.\n", guard::MARK),
        )?;
        Ok(staging)
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

    /// Copy the `keep` files of the old output over, write the manifest, then put the new
    /// output in place, with the old output's `.git`. When no file changed, the old output
    /// stays untouched.
    pub fn finish(mut self, keep: &[String]) -> io::Result<PublishStats> {
        self.finished = true;
        let stats = PublishStats {
            bytes: self.bytes.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
        };
        let result = self.swap(keep, stats);
        if result.is_err() && self.dir.exists() {
            let _ = remove_replaced(&self.dir);
        }
        result
    }

    fn swap(&self, keep: &[String], stats: PublishStats) -> io::Result<PublishStats> {
        let output = &self.output;
        let mut paths = std::mem::take(&mut *self.paths.lock().unwrap_or_else(|e| e.into_inner()));
        paths.retain(|p| p != guard::MANIFEST);
        paths.sort_unstable();
        paths.dedup();
        let manifest = manifest(&paths);
        if stats.written == 0
            && output.is_dir()
            && same_content(&output.join(guard::MANIFEST), &manifest)
        {
            let mut expected = paths;
            expected.push(guard::MANIFEST.to_string());
            expected.extend(keep.iter().filter(|k| output.join(k).is_file()).cloned());
            expected.sort_unstable();
            expected.dedup();
            let mut present = existing_files(output);
            present.sort_unstable();
            if present == expected {
                remove_replaced(&self.dir)?;
                return Ok(stats);
            }
        }
        for name in keep {
            let old = output.join(name);
            let new = self.dir.join(name);
            if name != GIT && old.is_file() && !new.exists() {
                if let Some(parent) = new.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::copy(&old, &new)?;
            }
        }
        fs::write(self.dir.join(guard::MANIFEST), manifest)?;
        swap_in(&self.dir, output)?;
        Ok(stats)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = remove_replaced(&self.dir);
        }
    }
}

/// Replace `output` with `staging` so that at every instant a complete site is at
/// `output`. On Linux both folders trade places in one atomic rename (renameat2 with
/// RENAME_EXCHANGE), then the old site's `.git` (if any) moves into the new one and the
/// rest of the old site is removed.
fn swap_in(staging: &Path, output: &Path) -> io::Result<()> {
    if output.is_dir() && exchange(staging, output).is_ok() {
        // `staging` now holds the previous site.
        claim(staging)?;
        adopt_git(staging, output)?;
        return remove_replaced(staging);
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
/// first and removed last; [`recover`] puts it back if a build dies between the renames,
/// and the next build's [`Staging::begin`] moves a `.git` left in it into the output.
fn swap_by_two_renames(staging: &Path, output: &Path) -> io::Result<()> {
    let backup = sibling(output, "previous");
    remove_leftover(&backup, output)?;
    if output.exists() {
        fs::rename(output, &backup)?;
        claim(&backup)?;
    }
    fs::rename(staging, output)?;
    if backup.exists() {
        adopt_git(&backup, output)?;
        remove_replaced(&backup)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_removal_cut_short_leaves_the_mark() {
        // A `.git` stops the removal: everything else is gone, the mark is still there.
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old");
        fs::create_dir_all(old.join(".git")).unwrap();
        fs::create_dir_all(old.join("countries")).unwrap();
        fs::write(old.join("index.html"), "x").unwrap();
        claim(&old).unwrap();
        assert!(remove_replaced(&old).is_err());
        let mut left: Vec<String> = fs::read_dir(&old)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".egovsite-manifest", ".git"]);
        assert!(guard::is_marked(&old));
    }

    #[test]
    fn the_old_output_is_marked_before_it_is_removed() {
        // A folder replaced with --force carries no mark: it gets one once moved aside, so
        // that a build stopped while removing it leaves a folder the next build may remove.
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("www");
        fs::create_dir(&old).unwrap();
        fs::write(old.join("hand-made.html"), "x").unwrap();
        claim(&old).unwrap();
        assert!(guard::is_marked(&old));
        fs::create_dir(dir.path().join("out")).unwrap();
        remove_leftover(&old, &dir.path().join("out")).unwrap();
        assert!(!old.exists());
    }
}
