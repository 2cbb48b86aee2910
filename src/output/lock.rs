//! One build at a time per output folder: an exclusive lock on a file beside the output
//! (`.NAME.lock`), held for the whole build and released (the file removed) when it ends.
//! A second build into the same folder waits for the first.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::sibling;

/// What a lock file egovsite made holds, so that only such a file is ever removed.
const LOCK_TEXT: &[u8] = b"egovsite build lock: a build is writing the folder beside this file\n";

/// The held lock on an output folder; released when dropped.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
}

impl OutputLock {
    /// Lock `output` (resolved) for one build. When another build holds it, `waiting` is
    /// called with the lock file's path, then this waits until that build ends.
    pub fn acquire(output: &Path, waiting: &dyn Fn(&Path)) -> io::Result<OutputLock> {
        let path = sibling(output, "lock");
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut told = false;
        loop {
            let (mut file, created) = match OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(f) => (f, true),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    // Read access is enough to lock; a file egovsite did not make is
                    // locked, never written.
                    match File::open(&path) {
                        Ok(f) => (f, false),
                        Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                        Err(e) => return Err(e),
                    }
                }
                Err(e) => return Err(e),
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !told {
                        waiting(&path);
                        told = true;
                    }
                    file.lock()?;
                }
                Err(fs::TryLockError::Error(e)) => return Err(e),
            }
            // The build that held the lock may have removed the file when it ended: then
            // this lock is on a file nobody else will open. Start again.
            if !still_at(&file, &path) {
                continue;
            }
            if created {
                file.write_all(LOCK_TEXT)?;
            }
            return Ok(OutputLock { file, path });
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked, and only when it is egovsite's: a waiting build then
        // finds its file gone and opens a new one.
        let mut text = Vec::new();
        let ours = self.file.rewind().is_ok()
            && (&self.file)
                .take(LOCK_TEXT.len() as u64 + 1)
                .read_to_end(&mut text)
                .is_ok()
            // Empty: a build killed between creating the file and writing it left it so.
            && (text == LOCK_TEXT || text.is_empty());
        if ours && still_at(&self.file, &self.path) {
            let _ = fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

/// Whether `path` still names the open `file`.
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere an open file cannot be removed, so it is never replaced: the lock file stays.
#[cfg(not(unix))]
fn still_at(_file: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn a_second_lock_waits_for_the_first_and_the_file_goes_with_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = OutputLock::acquire(&out, &|_| panic!("nobody holds it")).unwrap();
        let lock_file = dir.path().join(".public.lock");
        assert!(lock_file.is_file());
        let released = Arc::new(AtomicBool::new(false));
        let waited = Arc::new(AtomicBool::new(false));
        let t = {
            let (out, released, waited) = (out.clone(), released.clone(), waited.clone());
            std::thread::spawn(move || {
                let second = OutputLock::acquire(&out, &|p| {
                    assert!(p.ends_with(".public.lock"));
                    waited.store(true, Ordering::SeqCst);
                })
                .unwrap();
                assert!(released.load(Ordering::SeqCst), "got the lock while held");
                drop(second);
            })
        };
        std::thread::sleep(Duration::from_millis(200));
        released.store(true, Ordering::SeqCst);
        drop(first);
        t.join().unwrap();
        assert!(waited.load(Ordering::SeqCst));
        assert!(
            !lock_file.exists(),
            "the lock file is removed by the last build"
        );
    }

    #[test]
    fn a_lock_file_egovsite_did_not_make_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let lock_file = dir.path().join(".public.lock");
        fs::write(&lock_file, "mine").unwrap();
        drop(OutputLock::acquire(&dir.path().join("public"), &|_| {}).unwrap());
        assert_eq!(fs::read_to_string(&lock_file).unwrap(), "mine");
    }
}
