//! Starting and growing a blog of recaps (issue 13): `init --blog`, `init` inside `posts/`,
//! `new` in a recap folder, and which site build/check use from inside a recap.

use std::path::Path;
use std::process::Command;

use crate::support::{Run, Site, fixture};

/// Runs `summit-gen ARGS` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    Run::from(
        Command::new(env!("CARGO_BIN_EXE_summit-gen"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .expect("run summit-gen"),
    )
}

#[test]
fn init_blog_makes_a_blog_with_one_recap_that_builds() {
    let parent = Site::empty();
    let run = parent.run(&["init", "--blog", "notes"]);
    run.success();
    assert_eq!(run.stderr, "");
    let files: Vec<String> = run.stdout.lines().map(str::to_string).collect();
    assert_eq!(
        files,
        [
            "  notes/summit.yaml",
            "  notes/posts/my-conference/summit.yaml",
            "  notes/posts/my-conference/content/intro.md",
            "  notes/posts/my-conference/content/outro.md",
            "  notes/posts/my-conference/content/talks/day-1/opening-keynote.md",
            "  notes/posts/my-conference/content/talks/day-2/closing-keynote.md",
            "  notes/.gitignore",
            "  notes/.github/workflows/pages.yml",
            "Created a blog in notes. Next: cd there, `summit-gen serve`, and write your notes in posts/my-conference/content/talks/; `summit-gen init posts/NAME` adds a recap.",
        ]
    );
    let blog = parent.path().join("notes");
    assert_eq!(
        std::fs::read_to_string(blog.join(".github/workflows/pages.yml")).expect("workflow"),
        summit_gen::scaffold::pages_workflow()
    );
    let built = run_in(&blog, &["build"]);
    built.success();
    // Nothing in the sample recap is the blog's (no base_url, no cname): the one warning is
    // what the blog's local "/" leaves out (the Pages workflow passes the real address).
    assert_eq!(
        built.stderr,
        "warning: summit.yaml:6:11: atom.xml, sitemap.xml and robots.txt are left out, as are the pages' canonical links: their addresses must be absolute, and `base_url` \"/\" is a path — set the site's full address, e.g. `base_url: \"https://user.github.io/repo/\"` (the Pages workflow passes it with `--base-url`), or switch these off under `pages:`\n"
    );
    assert!(blog.join("public/my-conference/index.html").is_file());
    run_in(&blog, &["check"]).success();
}

#[test]
fn init_inside_posts_adds_a_recap_without_workflow_or_gitignore() {
    let site = Site::copy_of(&fixture("blog"));
    let posts = site.path().join("posts");
    let run = run_in(&posts, &["init", "devoxx-2025"]);
    run.success();
    assert_eq!(run.stderr, "");
    let recap = posts.join("devoxx-2025");
    assert!(recap.join("summit.yaml").is_file());
    assert!(!recap.join(".gitignore").exists());
    assert!(!recap.join(".github").exists());
    let yaml = std::fs::read_to_string(recap.join("summit.yaml")).expect("yaml");
    // The blog's language and address are inherited, so the recap names neither.
    assert!(
        !yaml.contains("language:") && !yaml.contains("base_url"),
        "{yaml}"
    );
    // From the blog's root too.
    site.run(&["init", "posts/jfokus-2025", "--language", "da"])
        .success();
    let da = site.read("posts/jfokus-2025/summit.yaml");
    assert!(da.contains("language: da\n"), "{da}");
    let built = site.build();
    built.success();
    assert!(built.stdout.contains("(10 talks)"), "{}", built.stdout);
}

#[test]
fn new_writes_into_the_recap_and_build_inside_a_recap_builds_the_blog() {
    let site = Site::copy_of(&fixture("blog"));
    let run = site.run(&[
        "new",
        "Service meshes",
        "--day",
        "2",
        "--root",
        "posts/kubecon-eu-2024",
    ]);
    run.success();
    assert_eq!(
        run.stdout,
        "Created posts/kubecon-eu-2024/content/talks/day-2/service-meshes.md\n"
    );
    let talks = site.path().join("posts/kubecon-eu-2024/content/talks");
    // `new` from inside the recap: the nearest summit.yaml is the recap's.
    let run = run_in(&talks, &["new", "eBPF", "--day", "1"]);
    run.success();
    assert!(talks.join("day-1/ebpf.md").is_file());
    // build and check from inside a recap: the blog, and they say so.
    let note = format!(
        "note: using the blog in ../../../.. ({}), whose recap this is; `--root DIR` builds one recap alone\n",
        site.path().display()
    );
    let cname = "warning: ../../../../posts/rustfest-2021/summit.yaml:4:1: `cname` is the blog's: a recap's own is ignored — remove it here; set `cname` in the blog's summit.yaml\n";
    let built = run_in(&talks, &["build"]);
    built.success();
    assert_eq!(built.stderr, format!("{note}{cname}"));
    assert!(
        site.path()
            .join("public/kubecon-eu-2024/talks/service-meshes/index.html")
            .is_file()
    );
    assert!(!site.path().join("posts/kubecon-eu-2024/public").exists());
    let checked = run_in(&talks, &["check"]);
    checked.success();
    assert_eq!(checked.stderr, format!("{note}{cname}"));
    // `--root` builds the recap alone, as before.
    let alone = site.run(&["build", "--root", "posts/kubecon-eu-2024"]);
    alone.success();
    assert!(
        site.path()
            .join("posts/kubecon-eu-2024/public/index.html")
            .is_file()
    );
}
