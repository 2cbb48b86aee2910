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

/// Write `files` as the new content of `output`, keeping the listed files of the old output.
/// Returns the number of bytes written.
pub fn publish(output: &Path, files: &[OutFile], keep: &[String]) -> io::Result<u64> {
    recover(output)?;
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
        .try_for_each(|f| fs::write(staging.join(&f.path), &f.bytes))?;
    for name in keep {
        let old = output.join(name);
        let new = staging.join(name);
        if old.is_file() && !new.exists() {
            fs::copy(&old, &new)?;
        }
    }
    let total = files.iter().map(|f| f.bytes.len() as u64).sum();
    swap_in(&staging, output)?;
    Ok(total)
}

/// Replace `output` with `staging`. The old output is moved aside first and removed last,
/// so at every instant one complete site exists on disk.
fn swap_in(staging: &Path, output: &Path) -> io::Result<()> {
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
