//! A build replaces only what egovsite made: folders it refuses (with or without
//! `--force`), the mark it leaves, a `.git` it keeps, the lock that keeps two builds apart,
//! and `serve` and `check`, which touch no output at all. Every build here writes into a
//! fresh temporary folder, and runs with HOME pointing at a fake home folder inside it.

mod common;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::*;
use egovsite::output::guard::{self, MANIFEST, MARK};

/// A temporary folder holding a copy of the bundled site in `projects/site/` and a fake
/// home folder in `home/` (with a file in it), plus whatever a test adds.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        for part in ["content", "themes"] {
            let from = repo().join(part);
            for e in walkdir::WalkDir::new(&from) {
                let e = e.unwrap();
                let to = dir
                    .path()
                    .join("projects/site")
                    .join(part)
                    .join(e.path().strip_prefix(&from).unwrap());
                if e.file_type().is_dir() {
                    fs::create_dir_all(&to).unwrap();
                } else {
                    fs::copy(e.path(), &to).unwrap();
                }
            }
        }
        fs::write(dir.path().join("projects/notes.txt"), "beside the site\n").unwrap();
        fs::create_dir_all(dir.path().join("home/Documents")).unwrap();
        fs::write(
            dir.path().join("home/Documents/thesis.txt"),
            "years of work\n",
        )
        .unwrap();
        Sandbox { dir }
    }

    /// The temporary folder, resolved (the system's temporary folder may be a link).
    fn path(&self) -> PathBuf {
        fs::canonicalize(self.dir.path()).unwrap()
    }

    fn site(&self) -> PathBuf {
        self.path().join("projects/site")
    }

    fn home(&self) -> PathBuf {
        self.path().join("home")
    }

    /// Run egovsite in the site folder with HOME at the fake home.
    fn run(&self, args: &[&str]) -> Output {
        let home = self.home();
        egovsite_with_env(args, &self.site(), &[("HOME", home.to_str().unwrap())])
    }

    /// `build --output OUT` plus `extra`.
    fn build(&self, out: &Path, extra: &[&str]) -> Output {
        let mut args = vec!["build", "--quiet", "--output", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Every file and folder under the sandbox, with file contents.
    fn snapshot(&self) -> Vec<(String, Option<Vec<u8>>)> {
        snapshot(&self.path())
    }
}

fn snapshot(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
            (rel, bytes)
        })
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_ok(o: &Output) {
    assert!(o.status.success(), "build failed: {}", stderr(o));
}

/// The site's files as one build writes them (manifest included), for comparisons.
fn site_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    output_files(out)
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}

/// Names beside `out` that a build uses for itself (`.NAME.staging` and the like).
fn siblings(out: &Path) -> Vec<String> {
    let name = format!(".{}.", out.file_name().unwrap().to_string_lossy());
    fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&name))
        .collect()
}

#[test]
fn a_folder_egovsite_did_not_make_is_refused_and_left_as_it_was() {
    let sb = Sandbox::new();
    let out = sb.path().join("photos");
    fs::create_dir_all(out.join("2019/summer")).unwrap();
    for i in 0..6 {
        fs::write(out.join(format!("img{i}.jpg")), format!("picture {i}")).unwrap();
    }
    let before = sb.snapshot();
    let o = sb.build(&out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("refusing to replace {}", out.display())),
        "{err}"
    );
    assert!(
        err.contains("7 entries (2019/, img0.jpg, img1.jpg"),
        "{err}"
    );
    assert!(err.contains("and 2 more"), "{err}");
    assert!(err.contains("--force") && err.contains("--output"), "{err}");
    assert_eq!(sb.snapshot(), before, "nothing may change");
}

#[test]
fn an_empty_folder_is_built_into_and_the_output_carries_a_manifest_of_its_files() {
    let sb = Sandbox::new();
    let out = sb.path().join("out");
    fs::create_dir(&out).unwrap();
    assert_ok(&sb.build(&out, &[]));
    let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
    let mut lines = manifest.lines();
    assert_eq!(lines.next(), Some(MARK));
    let listed: Vec<&str> = lines.filter(|l| !l.starts_with('#')).collect();
    let mut files: Vec<String> = output_files(&out)
        .into_iter()
        .map(|f| f.path)
        .filter(|p| p != MANIFEST)
        .collect();
    files.sort();
    assert!(files.iter().any(|f| f == "index.html"));
    assert_eq!(
        listed, files,
        "the manifest lists every file the build wrote"
    );
    assert!(siblings(&out).is_empty(), "{:?}", siblings(&out));

    // The mark makes the folder the build's: the next build replaces it, stale files and all.
    let first = site_files(&out);
    fs::write(out.join("stale.html"), "old").unwrap();
    assert_ok(&sb.build(&out, &[]));
    assert!(!out.join("stale.html").exists());
    assert_eq!(site_files(&out), first, "same input, byte-identical output");
}

#[test]
fn force_replaces_a_folder_egovsite_did_not_make() {
    let sb = Sandbox::new();
    let out = sb.path().join("www");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("old-site.html"), "hand made").unwrap();
    assert_ok(&sb.build(&out, &["--force"]));
    assert!(!out.join("old-site.html").exists());
    assert!(out.join("index.html").is_file() && guard::is_marked(&out));
    // From now on the folder is the build's: no --force needed.
    assert_ok(&sb.build(&out, &[]));
}

/// Each target is refused with and without --force, and nothing anywhere changes.
fn assert_always_refused(sb: &Sandbox, target: &Path, what: &str) {
    let before = sb.snapshot();
    for extra in [&[][..], &["--force"][..]] {
        let o = sb.build(target, extra);
        let err = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(2),
            "--output {} {extra:?} must be refused: {err}",
            target.display()
        );
        assert!(
            err.contains(what) && err.contains("even with --force"),
            "--output {}: {err}",
            target.display()
        );
        assert_eq!(
            sb.snapshot(),
            before,
            "--output {} changed files",
            target.display()
        );
    }
}

#[test]
fn the_site_its_content_and_themes_and_the_folders_holding_it_are_never_an_output() {
    let sb = Sandbox::new();
    let site = sb.site();
    assert_always_refused(&sb, &site, "the site folder itself");
    assert_always_refused(&sb, Path::new("."), "the site folder itself");
    assert_always_refused(&sb, &site.join("content"), "the site's content/ folder");
    assert_always_refused(&sb, &site.join("themes"), "the site's themes/ folder");
    assert_always_refused(
        &sb,
        &site.join("content/news"),
        "inside the site's content/",
    );
    assert_always_refused(
        &sb,
        &site.join("themes/default/templates"),
        "inside the site's themes/",
    );
    // Not there yet: resolved through the folder that exists.
    assert_always_refused(
        &sb,
        &site.join("content/new-site"),
        "inside the site's content/",
    );
    assert_always_refused(
        &sb,
        &sb.path().join("projects"),
        "a folder that holds the site folder",
    );
    // The sandbox holds both the site and the home folder.
    assert_always_refused(&sb, &sb.path(), "a folder that holds your home folder");
    // `..` is resolved before comparing, also through a folder that does not exist.
    assert_always_refused(
        &sb,
        &site.join("public/../content"),
        "the site's content/ folder",
    );
    assert_always_refused(
        &sb,
        &site.join("not-yet/../../site"),
        "the site folder itself",
    );
}

#[test]
fn the_home_folder_and_the_folders_holding_it_are_never_an_output() {
    let sb = Sandbox::new();
    assert_always_refused(&sb, &sb.home(), "your home folder");
    let outer = sb.path().join("users");
    fs::create_dir_all(outer.join("alice/Desktop")).unwrap();
    fs::write(outer.join("alice/Desktop/todo.txt"), "x").unwrap();
    let before = sb.snapshot();
    let home = outer.join("alice");
    for extra in [&[][..], &["--force"][..]] {
        let mut args = vec!["build", "--output", outer.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = egovsite_with_env(&args, &sb.site(), &[("HOME", home.to_str().unwrap())]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("holds your home folder"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(sb.snapshot(), before);
}

#[test]
fn the_filesystem_root_is_never_an_output() {
    // Checked without running a build: a mistake here must not reach a real disk.
    let sb = Sandbox::new();
    let root = if cfg!(windows) {
        Path::new("C:\\")
    } else {
        Path::new("/")
    };
    let err = guard::check_target(&sb.site(), root).unwrap_err();
    assert!(err.contains("the root of the filesystem"), "{err}");
    assert!(err.contains("even with --force"), "{err}");
    let err =
        guard::check_target(&sb.site(), &sb.site().join("../../../../../../../..")).unwrap_err();
    assert!(err.contains("the root of the filesystem"), "{err}");
}

#[cfg(unix)]
#[test]
fn links_are_followed_before_comparing() {
    use std::os::unix::fs::symlink;
    let sb = Sandbox::new();
    let links = sb.path().join("links");
    fs::create_dir(&links).unwrap();
    symlink(sb.site().join("content"), links.join("to-content")).unwrap();
    symlink(sb.home(), links.join("to-home")).unwrap();
    symlink(sb.site(), links.join("to-site")).unwrap();
    assert_always_refused(&sb, &links.join("to-content"), "the site's content/ folder");
    assert_always_refused(&sb, &links.join("to-home"), "your home folder");
    assert_always_refused(
        &sb,
        &links.join("to-site/themes"),
        "the site's themes/ folder",
    );
    // A link's `..` is its target's parent: to-content/.. is the site folder.
    assert_always_refused(&sb, &links.join("to-content/.."), "the site folder itself");
    assert_always_refused(
        &sb,
        &links.join("to-content/not-yet"),
        "inside the site's content/",
    );
}

#[test]
fn a_git_folder_without_the_mark_is_refused_and_a_git_is_never_deleted() {
    let sb = Sandbox::new();
    let out = sb.path().join("gh-pages");
    fs::create_dir_all(out.join(".git/refs")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    fs::write(out.join("index.html"), "published by hand").unwrap();
    let before = sb.snapshot();
    let o = sb.build(&out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("It holds a .git"), "{}", stderr(&o));
    assert_eq!(sb.snapshot(), before);

    let git = |out: &Path| snapshot(&out.join(".git"));
    let git_before = git(&out);
    assert_ok(&sb.build(&out, &["--force"]));
    assert_eq!(git(&out), git_before, "--force keeps .git");
    assert_ne!(read(&out, "index.html"), "published by hand");
    // Marked now: later builds need no --force, whether something changed or not.
    assert_ok(&sb.build(&out, &[]));
    assert_eq!(
        git(&out),
        git_before,
        "a build with nothing changed keeps .git"
    );
    fs::write(
        sb.site().join("content/news/zz-new.md"),
        "---\ntitle: New\ndate: 2024-05-01\nlanguage: en\nsource: {publisher: p}\n---\nText.\n",
    )
    .unwrap();
    assert_ok(&sb.build(&out, &[]));
    assert_eq!(
        git(&out),
        git_before,
        "a build that changed pages keeps .git"
    );
    assert!(output_files(&out).iter().any(|f| f.path.contains("zz-new")));
    assert!(siblings(&out).is_empty(), "{:?}", siblings(&out));
}

#[test]
fn a_git_worktree_file_is_kept_too() {
    // `git worktree add public gh-pages` makes .git a file naming the real repository.
    let sb = Sandbox::new();
    let out = sb.site().join("public");
    assert_ok(&sb.build(&out, &[]));
    fs::write(out.join(".git"), "gitdir: ../.git/worktrees/public\n").unwrap();
    fs::write(
        sb.site().join("content/news/zz-new.md"),
        "---\ntitle: New\ndate: 2024-05-01\nlanguage: en\nsource: {publisher: p}\n---\nText.\n",
    )
    .unwrap();
    assert_ok(&sb.build(&out, &[]));
    assert_eq!(read(&out, ".git"), "gitdir: ../.git/worktrees/public\n");
}

#[test]
fn a_git_folder_is_never_an_output() {
    let sb = Sandbox::new();
    let git = sb.site().join(".git");
    fs::create_dir_all(git.join("objects")).unwrap();
    fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
    assert_always_refused(&sb, &git, "a .git folder or a folder inside one");
    assert_always_refused(
        &sb,
        &git.join("objects"),
        "a .git folder or a folder inside one",
    );
}

#[test]
fn a_file_as_output_is_refused_before_anything_moves() {
    let sb = Sandbox::new();
    let file = sb.path().join("report.docx");
    fs::write(&file, "my report").unwrap();
    let before = sb.snapshot();
    for extra in [&[][..], &["--force"][..]] {
        let o = sb.build(&file, extra);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("it is a file, not a folder"), "{err}");
        assert!(err.contains(&file.display().to_string()), "{err}");
        assert_eq!(sb.snapshot(), before);
    }
}

#[test]
fn two_builds_at_once_leave_one_complete_site() {
    let sb = Sandbox::new();
    let reference = sb.path().join("reference");
    assert_ok(&sb.build(&reference, &[]));
    let reference = site_files(&reference);
    let out = sb.path().join("out");
    let home = sb.home();
    for round in 0..3 {
        let start = || {
            Command::new(env!("CARGO_BIN_EXE_egovsite"))
                .args(["build", "--output", out.to_str().unwrap()])
                .current_dir(sb.site())
                .env("HOME", &home)
                .env("NO_COLOR", "1")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (start(), start());
        for child in [a, b] {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "round {round}: {}", stderr(&o));
        }
        assert!(
            site_files(&out) == reference,
            "round {round}: the output is not one complete site"
        );
        assert!(siblings(&out).is_empty(), "{:?}", siblings(&out));
    }
}

#[test]
fn a_build_waits_while_another_holds_the_output() {
    let sb = Sandbox::new();
    let out = sb.path().join("out");
    let held = egovsite::output::lock::OutputLock::acquire(&out, &|_| {}).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_egovsite"))
        .args(["build", "--output", out.to_str().unwrap()])
        .current_dir(sb.site())
        .env("HOME", sb.home())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The build says it waits (an event, not a delay), and then it does.
    let mut stderr_pipe = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut err = String::new();
    let waiting = format!("waiting for another build into {}", out.display());
    while !err.contains(&waiting) {
        let mut line = String::new();
        let n = std::io::BufRead::read_line(&mut stderr_pipe, &mut line).unwrap();
        assert!(n > 0, "the build ended without waiting: {err}");
        err.push_str(&line);
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build finished while the output was locked"
    );
    assert!(!out.exists() && !sb.path().join(".out.staging").exists());
    drop(held);
    let status = child.wait().unwrap();
    stderr_pipe.read_to_string(&mut err).unwrap();
    assert!(status.success(), "{err}");
    assert!(out.join("index.html").is_file());
    assert!(siblings(&out).is_empty(), "{:?}", siblings(&out));
}

#[test]
fn keep_files_are_kept_and_not_listed() {
    let sb = Sandbox::new();
    let out = sb.site().join("public");
    assert_ok(&sb.build(&out, &[]));
    fs::write(out.join("CNAME"), "profiles.example.org\n").unwrap();
    fs::write(out.join("stale.html"), "old").unwrap();
    assert_ok(&sb.build(&out, &[]));
    assert_eq!(read(&out, "CNAME"), "profiles.example.org\n");
    assert!(!out.join("stale.html").exists());
    assert!(!read(&out, MANIFEST).lines().any(|l| l == "CNAME"));
    // Kept again by a build with nothing to change.
    assert_ok(&sb.build(&out, &[]));
    assert_eq!(read(&out, "CNAME"), "profiles.example.org\n");
}

#[test]
fn staging_and_backup_names_egovsite_did_not_make_are_left_alone() {
    let sb = Sandbox::new();
    let out = sb.site().join("public");
    for name in [".public.staging", ".public.previous"] {
        let theirs = sb.site().join(name);
        fs::create_dir(&theirs).unwrap();
        fs::write(theirs.join("keep-me.txt"), "not egovsite's").unwrap();
        let before = sb.snapshot();
        let o = sb.build(&out, &["--force"]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("{} is in the way", theirs.display())),
            "{}",
            stderr(&o)
        );
        assert_eq!(sb.snapshot(), before, "{name}");
        fs::remove_dir_all(&theirs).unwrap();
    }
    // What a killed build leaves (a staging folder carrying the mark) is cleaned up.
    let staging = sb.site().join(".public.staging");
    fs::create_dir(&staging).unwrap();
    fs::write(staging.join(MANIFEST), format!("{MARK}\n")).unwrap();
    fs::write(staging.join("index.html"), "half").unwrap();
    assert_ok(&sb.build(&out, &[]));
    assert!(siblings(&out).is_empty(), "{:?}", siblings(&out));
}

#[test]
fn serve_and_check_never_touch_an_output_folder() {
    let sb = Sandbox::new();
    let site = sb.site();
    let public = site.join("public");
    fs::create_dir(&public).unwrap();
    fs::write(public.join("mine.txt"), "not a site").unwrap();
    let before = sb.snapshot();
    assert_ok(&sb.run(&["check"]));
    assert_ok(&sb.run(&["check", "--links"]));
    let mut opts = egovsite::serve::ServeOptions::new(&site);
    opts.port = 0;
    let server = egovsite::serve::start(&opts).expect("server starts");
    // An edit makes serve build again: awaited until the new item is served.
    fs::write(
        site.join("content/news/zz-new.md"),
        "---\ntitle: New\ndate: 2024-05-01\nlanguage: en\nsource: {publisher: p}\n---\nText.\n",
    )
    .unwrap();
    let served = (0..6000).any(|_| {
        let found = http_status(server.addr(), "/news/zz-new.html") == Some(200);
        if !found {
            std::thread::sleep(Duration::from_millis(20));
        }
        found
    });
    assert!(served, "serve did not rebuild after the edit");
    server.stop();
    fs::remove_file(site.join("content/news/zz-new.md")).unwrap();
    assert_eq!(sb.snapshot(), before, "serve or check changed files");
}

/// The file's identity on disk: the same inode means the file was not written again.
#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).unwrap().ino()
}

#[cfg(unix)]
#[test]
fn unchanged_files_are_not_rewritten() {
    use std::collections::BTreeMap;
    let sb = Sandbox::new();
    let out = sb.site().join("public");
    // Every file of the output with its inode and bytes.
    let files = || -> BTreeMap<String, (u64, Vec<u8>)> {
        walkdir::WalkDir::new(&out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&out).unwrap().display().to_string();
                (rel, (inode(e.path()), fs::read(e.path()).unwrap()))
            })
            .collect()
    };
    assert_ok(&sb.build(&out, &[]));
    let first = files();

    // A build with nothing to change writes nothing: every file is the one already there.
    assert_ok(&sb.build(&out, &[]));
    assert_eq!(files(), first);

    // After an edit of one news item, exactly the files whose bytes changed are new.
    let news = "news/lao-digital-government-decree-vi.html";
    let item = sb
        .site()
        .join("content/news/lao-digital-government-decree-vi.md");
    let text = fs::read_to_string(&item).unwrap();
    fs::write(&item, format!("{text}\nOne more paragraph.\n")).unwrap();
    assert_ok(&sb.build(&out, &[]));
    let second = files();
    assert!(String::from_utf8_lossy(&second[news].1).contains("One more paragraph."));
    let mut kept = 0;
    for (path, (ino, bytes)) in &second {
        let Some((old_ino, old_bytes)) = first.get(path) else {
            continue;
        };
        if path == MANIFEST {
            continue;
        }
        if bytes == old_bytes {
            assert_eq!(ino, old_ino, "{path} is unchanged but was written again");
            kept += 1;
        } else {
            assert_ne!(ino, old_ino, "{path} changed in place");
        }
    }
    assert!(kept > first.len() / 2, "only {kept} files kept");
    assert!(["style.css", "countries/cambodia.html", "about.html"]
        .iter()
        .all(|p| second[*p].0 == first[*p].0));
}

/// The status of a `GET` of `target` from a server on loopback, if it answers.
fn http_status(addr: std::net::SocketAddr, target: &str) -> Option<u16> {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(10)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    reply.split_whitespace().nth(1)?.parse().ok()
}
