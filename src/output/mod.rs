//! Writing the built site: every file goes into a staging folder beside the output, which
//! replaces the output only once complete, so a failed or killed build never leaves a
//! half-written site. Single files (imports) are written through a temporary file and a
//! rename for the same reason.

pub mod minify;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

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

/// What [`publish`] did.
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

/// Write `files` as the new content of `output`, keeping the listed files of the old output.
/// Unchanged files are hard-linked from the previous output rather than written again; when
/// nothing changed at all, the output is left untouched.
pub fn publish(output: &Path, files: &[OutFile], keep: &[String]) -> io::Result<PublishStats> {
    recover(output)?;
    let bytes = files.iter().map(|f| f.bytes.len() as u64).sum();
    let unchanged: Vec<bool> = files
        .par_iter()
        .map(|f| same_content(&output.join(&f.path), &f.bytes))
        .collect();
    let written = unchanged.iter().filter(|u| !**u).count();
    if written == 0 && output.is_dir() {
        let mut expected: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        expected.extend(
            keep.iter()
                .map(String::as_str)
                .filter(|k| output.join(k).is_file()),
        );
        expected.sort_unstable();
        expected.dedup();
        let mut present = existing_files(output);
        present.sort_unstable();
        if present == expected {
            return Ok(PublishStats { bytes, written: 0 });
        }
    }
    let staging = sibling(output, "staging");
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    fs::create_dir_all(&staging)?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| staging.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d)?;
    }
    files
        .par_iter()
        .zip(unchanged.par_iter())
        .try_for_each(|(f, &same)| {
            let dest = staging.join(&f.path);
            if same && fs::hard_link(output.join(&f.path), &dest).is_ok() {
                return Ok(());
            }
            fs::write(dest, &f.bytes)
        })?;
    for name in keep {
        let old = output.join(name);
        let new = staging.join(name);
        if old.is_file() && !new.exists() {
            fs::copy(&old, &new)?;
        }
    }
    swap_in(&staging, output)?;
    Ok(PublishStats { bytes, written })
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
