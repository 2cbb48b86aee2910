//! The GitHub workflows, read as GitHub would (GitHub itself is out of reach from the tests):
//! valid YAML, the release built for the four systems with checksums, the Pages build reusing
//! a compiled program, and the README's install notes.

mod common;

use common::*;
use serde_yaml::Value;

fn workflow(name: &str) -> Value {
    let text = read(&repo(), &format!(".github/workflows/{name}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every `run:` script of a job, joined.
fn scripts(job: &Value) -> String {
    job["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn uses(job: &Value) -> Vec<String> {
    job["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s["uses"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn release_builds_four_systems_on_a_version_tag_with_checksums() {
    let w = workflow("release.yml");
    // `on` is read as a key named "on" by YAML 1.2 parsers such as GitHub's.
    assert_eq!(w["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let build = &w["jobs"]["build"];
    let targets: Vec<&str> = build["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|m| m["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-gnu",
            "aarch64-apple-darwin",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc"
        ]
    );
    assert!(scripts(build).contains("cargo build --release --locked --target ${{ matrix.target }}"));
    let release = &w["jobs"]["release"];
    assert_eq!(release["needs"].as_str(), Some("build"));
    assert_eq!(release["permissions"]["contents"].as_str(), Some("write"));
    let run = scripts(release);
    assert!(run.contains("sha256sum -- * > SHA256SUMS.txt"), "{run}");
    assert!(
        run.contains("gh release create \"$GITHUB_REF_NAME\" dist/*"),
        "{run}"
    );
    for u in uses(build).iter().chain(&uses(release)) {
        assert!(u.starts_with("actions/"), "plain actions only: {u}");
    }
}

#[test]
fn pages_reuses_the_compiled_program_and_publishes_only_from_main() {
    let w = workflow("pages.yml");
    assert_eq!(w["on"]["push"]["branches"][0].as_str(), Some("main"));
    assert!(
        w["on"].get("pull_request").is_some(),
        "pull requests are checked"
    );
    let build = &w["jobs"]["build"];
    let steps = build["steps"].as_sequence().unwrap();
    let restore = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("egovsite-bin"))
        .expect("a cached program");
    let key = restore["with"]["key"].as_str().unwrap();
    for input in ["'Cargo.lock'", "'Cargo.toml'", "'src/**'", "'themes/**'"] {
        assert!(key.contains(input), "the cache key covers {input}: {key}");
    }
    let compile = steps
        .iter()
        .find(|s| s["run"].as_str().is_some_and(|r| r.contains("cargo build")))
        .unwrap();
    assert_eq!(
        compile["if"].as_str(),
        Some("steps.egovsite-bin.outputs.cache-hit != 'true'"),
        "compiled only on a cache miss"
    );
    assert!(scripts(build).contains("./bin/egovsite check --links"));
    assert_eq!(
        w["jobs"]["deploy"]["if"].as_str(),
        Some("github.event_name != 'pull_request'"),
        "a pull request never publishes"
    );
}

#[test]
fn readme_tells_how_to_get_the_program_and_keeps_two_set_up_commands() {
    let readme = read(&repo(), "README.md");
    let install = &readme[readme.find("## Install").expect("an Install section")..];
    assert!(
        install.contains("**Releases**"),
        "download line for people without Rust"
    );
    assert!(install.contains("takes several minutes"));
    let setup = &readme[readme.find("## Set-up").unwrap()..];
    let block = &setup[setup.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];
    let commands: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[0].starts_with("cargo run --release -- build"));
    assert!(commands[1].starts_with("cargo test"));
}
