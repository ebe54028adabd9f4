//! The command line itself (issue 12, point 14): `--quiet` prints errors only, and every bad
//! argument value is a usage error (exit 2) that names the value and what is wrong with it.

use crate::support::Site;

#[track_caller]
fn usage_error(site: &Site, args: &[&str], expected: &str) {
    let run = site.run(args);
    assert_eq!(run.code, 2, "{args:?}: {run:?}");
    assert!(
        run.stderr.starts_with(expected),
        "{args:?}:\n{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn bug_bad_argument_values_exited_1_or_went_through() {
    let site = Site::english();
    usage_error(
        &site,
        &["build", "--base-url", "example.org"],
        "error: invalid value 'example.org' for '--base-url <URL>': \"example.org\" is neither a path starting with \"/\" nor an http(s) URL\n",
    );
    usage_error(
        &site,
        &["build", "--base-url", "https://a b/"],
        "error: invalid value 'https://a b/' for '--base-url <URL>': \"https://a b/\" contains a space; a URL has none (write %20 if it must)\n",
    );
    usage_error(
        &site,
        &["check", "--base-url", "https://example.org//"],
        "error: invalid value 'https://example.org//' for '--base-url <URL>': \"https://example.org//\" has an empty path segment (`//`), which would make every link on the site wrong\n",
    );
    usage_error(
        &site,
        &["init", "x", "--language", "pt"],
        "error: invalid value 'pt' for '--language <LANGUAGE>': unknown language; built-in languages are da, de, en, es, fr, nb, nl, sv\n",
    );
    usage_error(
        &site,
        &["new", "", "--day", "1"],
        "error: invalid value '' for '<TITLE>': a talk needs a title\n",
    );
    usage_error(
        &site,
        &["new", "X", "--day", "three"],
        "error: invalid value 'three' for '--day <DAY>': expected a day number (1, 2, …) or a date (YYYY-MM-DD)\n",
    );
    usage_error(
        &site,
        &["serve", "--port", "70000"],
        "error: invalid value '70000' for '--port <PORT>': 70000 is not in 0..=65535\n",
    );
    assert!(
        !site.path().join("x").exists(),
        "init ran despite the bad value"
    );
    assert!(
        !site.path().join("public").exists(),
        "build ran despite the bad value"
    );
}

#[test]
fn bug_quiet_still_printed_warnings() {
    let site = Site::english();
    site.write("content/talks/stray.markdown", "x");
    let run = site.run(&["build", "--quiet"]);
    run.success();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    let run = site.run(&["check", "--quiet"]);
    run.success();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    // Errors still show.
    site.write("content/talks/bad.md", "---\ntitle: X\n---\n");
    let run = site.run(&["build", "--quiet"]);
    run.failure();
    assert!(
        run.stderr.contains("missing required key"),
        "{}",
        run.stderr
    );
}

/// summit.yaml's `base_url` follows the same rule as `--base-url`.
#[test]
fn a_base_url_with_an_empty_segment_in_summit_yaml_is_an_error() {
    let site = Site::english();
    let yaml = site.read("summit.yaml");
    site.write(
        "summit.yaml",
        yaml.replace(
            "base_url: \"https://example.github.io/notes/\"",
            "base_url: \"https://example.github.io//notes/\"",
        ),
    );
    let run = site.build();
    run.failure();
    assert!(
        run.stderr.starts_with("summit.yaml:5:11: invalid `base_url`: \"https://example.github.io//notes/\" has an empty path segment"),
        "{}",
        run.stderr
    );
}

/// Issue 15.9: every command that works on a site finds it from any folder inside it, as
/// cargo finds Cargo.toml, and says which folder it used.
#[test]
fn commands_find_the_site_from_a_subfolder() {
    let site = Site::english();
    let below = site.path().join("content/talks/day-1");
    let run = |args: &[&str]| {
        crate::support::Run::from(
            std::process::Command::new(env!("CARGO_BIN_EXE_summit-gen"))
                .args(args)
                .current_dir(&below)
                .env("NO_COLOR", "1")
                .output()
                .expect("run"),
        )
    };
    let note = format!(
        "note: using the site in ../../.. ({}), the nearest folder upwards with a summit.yaml\n",
        site.path().display()
    );
    let built = run(&["build"]);
    built.success();
    assert_eq!(built.stderr, note);
    assert!(built.stdout.starts_with("Wrote "), "{}", built.stdout);
    assert!(
        built.stdout.contains(" to ../../../public in "),
        "{}",
        built.stdout
    );
    assert!(site.path().join("public/index.html").is_file());

    let checked = run(&["check"]);
    checked.success();
    assert_eq!(checked.stderr, note);

    let created = run(&["new", "From below", "--day", "1"]);
    created.success();
    assert_eq!(
        created.stdout,
        "Created ../../../content/talks/day-1/from-below.md\n"
    );
    assert!(
        site.path()
            .join("content/talks/day-1/from-below.md")
            .is_file()
    );

    // --quiet keeps the note to itself; an explicit --root needs no note.
    let quiet = run(&["build", "--quiet"]);
    quiet.success();
    assert_eq!(quiet.stderr, "");
    let explicit = run(&["build", "--root", "../../..", "--quiet"]);
    explicit.success();
    assert_eq!(explicit.stderr, "");
}
