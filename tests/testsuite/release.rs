//! Releases and the way to a live site: the actions every workflow uses (the repository's
//! and the one `init` writes), how `init`'s workflow installs summit-gen, the names of the
//! release archives that `cargo binstall` looks for, and `--version`.

use std::process::Command;

use serde_json::Value;

use crate::support::{Site, repo};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Each action a workflow may use, at its current major (checked against the actions' own
/// releases in 2026-12; the Node 20 majors before them no longer run on GitHub's runners).
const CURRENT: &[(&str, &str)] = &[
    ("actions/checkout", "v7"),
    ("actions/configure-pages", "v6"),
    ("actions/cache", "v5"),
    ("actions/upload-pages-artifact", "v5"),
    ("actions/deploy-pages", "v5"),
    ("actions/upload-artifact", "v7"),
    ("actions/download-artifact", "v8"),
    ("taiki-e/install-action", "v2"),
];

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("workflow is YAML")
}

/// Every step of every job, in order.
fn steps(workflow: &Value) -> Vec<Value> {
    workflow["jobs"]
        .as_object()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// The `uses:` of `workflow` that are not one of the current majors.
fn stale_actions(workflow: &Value) -> Vec<String> {
    steps(workflow)
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .filter(|uses| {
            !CURRENT
                .iter()
                .any(|(action, major)| *uses == format!("{action}@{major}"))
        })
        .map(String::from)
        .collect()
}

fn init_workflow() -> String {
    let parent = Site::empty();
    let run = parent.run(&["init", "my-summit"]);
    run.success();
    assert_eq!(run.stderr, "");
    std::fs::read_to_string(parent.path().join("my-summit/.github/workflows/pages.yml"))
        .expect("workflow")
}

#[test]
fn every_workflow_uses_the_current_major_of_each_action_not_a_node_20_one() {
    let mut stale = stale_actions(&yaml(&init_workflow()))
        .into_iter()
        .map(|uses| format!("init's pages.yml: {uses}"))
        .collect::<Vec<_>>();
    for name in ["pages.yml", "release.yml"] {
        let text =
            std::fs::read_to_string(repo().join(".github/workflows").join(name)).expect("workflow");
        stale.extend(
            stale_actions(&yaml(&text))
                .into_iter()
                .map(|uses| format!(".github/workflows/{name}: {uses}")),
        );
    }
    assert!(stale.is_empty(), "not at the current major: {stale:?}");
}

#[test]
fn init_workflow_installs_the_release_binary_and_compiles_only_without_one() {
    let workflow = yaml(&init_workflow());
    let steps = steps(&workflow);
    let position = |pred: &dyn Fn(&Value) -> bool, what: &str| {
        steps
            .iter()
            .position(pred)
            .unwrap_or_else(|| panic!("no step {what} in {steps:#?}"))
    };
    let cache = position(&|s| s["uses"] == "actions/cache@v5", "caching");
    let binstall = position(
        &|s| s["uses"] == "taiki-e/install-action@v2" && s["with"]["tool"] == "cargo-binstall",
        "installing cargo-binstall",
    );
    let install = position(
        &|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("cargo binstall"))
        },
        "running cargo binstall",
    );
    let build = position(
        &|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.starts_with("summit-gen build"))
        },
        "building the site",
    );
    assert!(cache < binstall && binstall < install && install < build);

    // The version that wrote the workflow, named once.
    assert_eq!(workflow["env"]["SUMMIT_GEN_VERSION"], VERSION);

    // The binary is cached per version, runner OS and architecture.
    assert_eq!(steps[cache]["with"]["path"], "~/.cargo/bin/summit-gen");
    assert_eq!(
        steps[cache]["with"]["key"],
        "summit-gen-${{ env.SUMMIT_GEN_VERSION }}-${{ runner.os }}-${{ runner.arch }}"
    );

    // Both install steps are skipped when the cache has this version.
    let id = steps[cache]["id"].as_str().expect("cache step id");
    for step in [&steps[binstall], &steps[install]] {
        assert_eq!(
            step["if"],
            format!("steps.{id}.outputs.cache-hit != 'true'").as_str()
        );
    }

    // The pinned version's release binary, never a third party's build, and only if that
    // fails, the crate compiled from crates.io with its own Cargo.lock.
    let run = steps[install]["run"].as_str().expect("run");
    let (binary, fallback) = run.split_once("||").expect("a fallback after ||");
    assert_eq!(
        binary.split_whitespace().collect::<Vec<_>>(),
        [
            "cargo",
            "binstall",
            "\"summit-gen@$SUMMIT_GEN_VERSION\"",
            "--no-confirm",
            "--disable-strategies",
            "quick-install,compile"
        ]
    );
    assert_eq!(
        fallback.split_whitespace().collect::<Vec<_>>(),
        [
            "cargo",
            "install",
            "summit-gen",
            "--version",
            "\"$SUMMIT_GEN_VERSION\"",
            "--locked"
        ]
    );
}

/// `release.yml` names its archives the way `[package.metadata.binstall]` in Cargo.toml
/// looks for them, for every target it builds.
#[test]
fn release_archives_are_where_cargo_binstall_looks_for_them() {
    let text =
        std::fs::read_to_string(repo().join(".github/workflows/release.yml")).expect("release.yml");
    let release = yaml(&text);
    assert_eq!(release["on"]["push"]["tags"][0], "v*");
    let targets: Vec<&str> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("matrix")
        .iter()
        .filter_map(|t| t["target"].as_str())
        .collect();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-musl",
            "aarch64-unknown-linux-musl",
            "aarch64-apple-darwin",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc",
        ]
    );
    // What the archive step writes, for tag v{VERSION}.
    assert!(text.contains(r#"name="summit-gen-$GITHUB_REF_NAME-$TARGET""#));
    assert!(text.contains(r#"archive="$name.tar.gz""#) && text.contains(r#"archive="$name.zip""#));

    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).expect("Cargo.toml");
    let value = |key: &str| {
        manifest
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or_else(|| panic!("no {key} in Cargo.toml"))
    };
    let repository = value("repository");
    for target in targets {
        let windows = target.contains("windows");
        let suffix = if windows { ".zip" } else { ".tar.gz" };
        let render = |template: &str| {
            template
                .replace("{ repo }", repository)
                .replace("{ name }", "summit-gen")
                .replace("{ version }", VERSION)
                .replace("{ target }", target)
                .replace("{ archive-suffix }", suffix)
                .replace("{ bin }", "summit-gen")
                .replace("{ binary-ext }", if windows { ".exe" } else { "" })
        };
        let dir = format!("summit-gen-v{VERSION}-{target}");
        assert_eq!(
            render(value("pkg-url")),
            format!("{repository}/releases/download/v{VERSION}/{dir}{suffix}")
        );
        let exe = if windows { ".exe" } else { "" };
        assert_eq!(render(value("bin-dir")), format!("{dir}/summit-gen{exe}"));
    }
    assert!(manifest.contains(
        "[package.metadata.binstall.overrides.x86_64-pc-windows-msvc]\npkg-fmt = \"zip\""
    ));
}

#[test]
fn version_names_the_release_and_the_commit_it_was_built_from() {
    let out = Command::new(env!("CARGO_BIN_EXE_summit-gen"))
        .arg("--version")
        .output()
        .expect("run");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(repo())
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    // Built from this checkout: its HEAD. Without git (an unpacked crate): the version alone.
    let here = repo().canonicalize().expect("repo");
    let commit = git(&["rev-parse", "--show-toplevel"])
        .filter(|top| std::path::Path::new(top).canonicalize().ok() == Some(here.clone()))
        .and_then(|_| git(&["log", "-1", "--abbrev=12", "--format=%h %cs"]));
    let expected = match commit {
        Some(commit) => format!("summit-gen {VERSION} ({commit})\n"),
        None => format!("summit-gen {VERSION}\n"),
    };
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}
