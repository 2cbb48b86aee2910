//! Which folder a build may replace. A build replaces its output folder entirely, so before
//! anything is written the output is resolved (symbolic links and `..`, also for a folder
//! that does not exist yet) and checked: some folders are never an output (the filesystem
//! root, the home folder, the site and its content/ and themes/), and an existing folder is
//! replaced only when it is empty or carries the mark a build leaves in every output
//! ([`MANIFEST`]), or with `--force`.

use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// The file at the root of every folder a build makes: its first line is [`MARK`], then
/// the files the build wrote, one per line, in byte order.
pub const MANIFEST: &str = ".egovsite-manifest";

/// First line of [`MANIFEST`].
pub const MARK: &str = "# Made by `egovsite build`, which replaces this folder on every build.";

/// Entries named in a refusal before "and N more".
const LISTED: usize = 5;

/// `path` made absolute with every symbolic link and `..` resolved, also when it (or its
/// end) does not exist yet: what exists is resolved by the system one component at a time,
/// and a component that does not exist is a plain folder a build would create.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut cur = if path.is_absolute() {
        PathBuf::new()
    } else {
        fs::canonicalize(std::env::current_dir()?)?
    };
    for c in path.components() {
        match c {
            Component::Prefix(_) => cur = PathBuf::from(c.as_os_str()),
            Component::RootDir => {
                cur.push(c.as_os_str());
                cur = fs::canonicalize(&cur)?;
            }
            Component::CurDir => {}
            // `cur` holds no symbolic link, so its parent is what `..` leads to.
            Component::ParentDir => {
                cur.pop();
            }
            Component::Normal(name) => {
                let next = cur.join(name);
                cur = match fs::symlink_metadata(&next) {
                    Ok(_) => fs::canonicalize(&next).map_err(|e| {
                        io::Error::new(
                            e.kind(),
                            format!("cannot resolve {}: {e}", printable(&next)),
                        )
                    })?,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => next,
                    Err(e) => return Err(e),
                };
            }
        }
    }
    Ok(cur)
}

/// Whether `dir` carries the mark of a folder egovsite made.
pub fn is_marked(dir: &Path) -> bool {
    let file = dir.join(MANIFEST);
    if !fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut start = Vec::new();
    fs::File::open(&file)
        .and_then(|f| f.take(MARK.len() as u64 + 1).read_to_end(&mut start))
        .is_ok()
        && start.starts_with(MARK.as_bytes())
        && matches!(start.get(MARK.len()), None | Some(b'\n' | b'\r'))
}

/// The user's home folder, resolved, when the environment names one.
fn home() -> Option<PathBuf> {
    let var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    let home = std::env::var_os(var).filter(|h| !h.is_empty())?;
    resolve(Path::new(&home)).ok()
}

/// Check that `output` may ever be the output of the site at `root`, and return it
/// resolved. Refused whatever the options: the filesystem root, the home folder and any
/// folder holding it, the site root and any folder holding it, content/ and themes/ and
/// anything inside them, a `.git` folder and anything inside it, and anything that is not
/// a folder (a regular file is left as it is). The error is a message for the user.
pub fn check_target(root: &Path, output: &Path) -> Result<PathBuf, String> {
    let out = resolve(output)
        .map_err(|e| format!("cannot use {} as the output folder: {e}", printable(output)))?;
    let root = resolve(root)
        .map_err(|e| format!("cannot resolve the site folder {}: {e}", printable(root)))?;
    let inside = |dir: &str| resolve(&root.join(dir)).unwrap_or_else(|_| root.join(dir));
    let (content, themes) = (inside("content"), inside("themes"));
    let home = home();

    let what = if out.parent().is_none() {
        Some("the root of the filesystem".to_string())
    } else if home.as_ref() == Some(&out) {
        Some("your home folder".to_string())
    } else if home.as_ref().is_some_and(|h| h.starts_with(&out)) {
        Some(format!(
            "a folder that holds your home folder ({})",
            printable(home.as_deref().unwrap_or(&out))
        ))
    } else if out == root {
        Some("the site folder itself (it holds content/ and themes/)".to_string())
    } else if root.starts_with(&out) {
        Some(format!(
            "a folder that holds the site folder ({})",
            printable(&root)
        ))
    } else if out == content {
        Some("the site's content/ folder".to_string())
    } else if out.starts_with(&content) {
        Some(format!(
            "inside the site's content/ folder ({})",
            printable(&content)
        ))
    } else if out == themes {
        Some("the site's themes/ folder".to_string())
    } else if out.starts_with(&themes) {
        Some(format!(
            "inside the site's themes/ folder ({})",
            printable(&themes)
        ))
    } else if out.components().any(|c| c.as_os_str() == ".git") {
        Some("a .git folder or a folder inside one".to_string())
    } else {
        None
    };
    if let Some(what) = what {
        return Err(format!(
            "refusing to build into {}: it is {what}. A build replaces its output folder and \
             everything in it, so this folder is never an output, even with --force; nothing \
             was changed. Choose another folder with --output (by default the site goes \
             into public/ in the site folder).",
            printable(&out)
        ));
    }
    match fs::metadata(&out) {
        Ok(m) if !m.is_dir() => Err(format!(
            "refusing to build into {}: it is {}, not a folder; nothing was changed. Choose a \
             folder with --output.",
            printable(&out),
            if m.is_file() { "a file" } else { "not a file" }
        )),
        _ => Ok(out),
    }
}

/// Check that the existing folder `out` (resolved) may be replaced: it does not exist, is
/// empty, carries the mark, or `force` is given. The error names the folder, says what is
/// in it and how to proceed.
pub fn check_replaceable(out: &Path, force: bool) -> Result<(), String> {
    let entries = match fs::read_dir(out) {
        Ok(rd) => rd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot read {}: {e}", printable(out))),
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| {
            let mut name = printable(Path::new(&e.file_name()));
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                name.push('/');
            }
            name
        })
        .collect();
    if names.is_empty() || force || is_marked(out) {
        return Ok(());
    }
    names.sort();
    let count = names.len();
    let has_git = names.iter().any(|n| n == ".git" || n == ".git/");
    let mut listed = names
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if count > LISTED {
        listed.push_str(&format!(" and {} more", count - LISTED));
    }
    let git = if has_git {
        " It holds a .git: to publish from a git checkout here (such as a gh-pages worktree), \
         build once with --force; .git is always kept, and later builds recognise the folder."
    } else {
        ""
    };
    Err(format!(
        "refusing to replace {}: egovsite did not make it (it has no {MANIFEST}) and it holds \
         {count} {} ({listed}). A build replaces its output folder and everything in it; \
         nothing was changed. Choose a new or empty folder with --output, or pass --force to \
         replace this one (a .git inside is kept).{git}",
        printable(out),
        if count == 1 { "entry" } else { "entries" },
    ))
}

/// A path as text safe to print on a terminal: control characters escaped.
pub fn printable(path: &Path) -> String {
    path.to_string_lossy()
        .chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_dot_dot_through_folders_that_do_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(base.join("content")).unwrap();
        assert_eq!(
            resolve(&base.join("new/../content")).unwrap(),
            base.join("content")
        );
        assert_eq!(
            resolve(&base.join("new/deeper/./x")).unwrap(),
            base.join("new/deeper/x")
        );
    }

    #[cfg(unix)]
    #[test]
    fn resolves_links_then_what_does_not_exist_below_them() {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(base.join("site/content")).unwrap();
        std::os::unix::fs::symlink(base.join("site/content"), base.join("link")).unwrap();
        assert_eq!(
            resolve(&base.join("link/not-yet")).unwrap(),
            base.join("site/content/not-yet")
        );
        // `..` after a link is the link target's parent, as the system sees it.
        assert_eq!(
            resolve(&base.join("link/../content")).unwrap(),
            base.join("site/content")
        );
    }

    #[test]
    fn a_mark_is_the_first_line_of_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_marked(dir.path()));
        fs::write(dir.path().join(MANIFEST), "something else\n").unwrap();
        assert!(!is_marked(dir.path()));
        fs::write(dir.path().join(MANIFEST), format!("{MARK}x\n")).unwrap();
        assert!(!is_marked(dir.path()));
        fs::write(dir.path().join(MANIFEST), format!("{MARK}\nindex.html\n")).unwrap();
        assert!(is_marked(dir.path()));
    }

    #[test]
    fn printable_escapes_control_characters() {
        assert_eq!(printable(Path::new("a\x1b[2Jb\n")), "a\\u{1b}[2Jb\\n");
    }
}
