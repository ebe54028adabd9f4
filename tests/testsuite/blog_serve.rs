//! `serve` on a blog of recaps (issue 13): an edit in one recap re-renders that recap's
//! affected pages, and the blog's index, speakers and tags pages only when what they show
//! changed. Every reuse is decided from what a page is rendered from; what is served is what
//! a fresh build writes.

use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use summit_gen::{BuildOptions, Builder, compile};

use crate::incremental::{same_as_fresh, save};
use crate::serve::assert_served_is_built;
use crate::serve_support::{Server, next_event};
use crate::support::{Site, fixture};

const KAFKA: &str = "posts/kafka-summit-2020/content/talks/ksql.md";
const KUBE: &str = "posts/kubecon-eu-2024/content/talks/gitops.md";

fn blog() -> Site {
    Site::copy_of(&fixture("blog"))
}

#[test]
fn serve_follows_an_edit_in_one_recap_of_a_blog() {
    let site = blog();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    let text = site.read(KAFKA);
    for edit in [
        text.replace("SQL på strømme", "Tabeller og strømme"),
        text.replace("title: \"ksqlDB\"", "title: \"ksqlDB i praksis\""),
    ] {
        site.write(KAFKA, &edit);
        next_event(&events, "reload");
        site.build().success();
        assert_served_is_built(&site, &server);
    }
    assert!(
        server
            .get("/tags/kafka/")
            .text()
            .contains("ksqlDB i praksis"),
        "the new title is on the blog's tag page"
    );
}

/// Builds with a long-lived builder (as `serve` keeps) after `edit`, and returns the pages
/// it took from the previous build.
fn reused_after(
    site: &Site,
    served: &mut Builder,
    edit: &str,
    clock: &mut SystemTime,
) -> Vec<String> {
    save(site, KAFKA, edit, clock);
    let opts = BuildOptions::new(site.path());
    let compiled = served.compile(&opts).expect("builds");
    let fresh = compile(&opts).expect("builds");
    assert_eq!(compiled.files, fresh.files, "served = fresh");
    compiled.reused()
}

#[test]
fn an_edit_in_one_recap_reuses_the_rest_of_the_blog() {
    let site = blog();
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("builds");
    let text = site.read(KAFKA);

    // A body edit: the note's pages only; the index, speakers and tags show nothing of it.
    let body = text.replace("SQL på strømme", "Tabeller og strømme");
    let reused = reused_after(&site, &mut served, &body, &mut clock);
    for page in [
        "index.html",
        "speakers/index.html",
        "tags/index.html",
        "tags/kafka/index.html",
        "kafka-summit-2020/talks/kafka-streams-i-praksis/index.html",
        "kubecon-eu-2024/talks/gitops-at-scale/index.html",
        "rustfest-2021/talks/async-in-depth/index.html",
    ] {
        assert!(reused.contains(&page.to_string()), "{page} rendered again");
    }
    assert!(!reused.contains(&"kafka-summit-2020/talks/ksqldb/index.html".to_string()));

    // A title edit: the speakers and the talk's tag pages show it, the other recaps do not.
    let title = body.replace("title: \"ksqlDB\"", "title: \"ksqlDB i praksis\"");
    let reused = reused_after(&site, &mut served, &title, &mut clock);
    for page in [
        "speakers/index.html",
        "tags/kafka/index.html",
        "kafka-summit-2020/talks/ksqldb-i-praksis/index.html",
    ] {
        assert!(!reused.contains(&page.to_string()), "{page} was reused");
    }
    for page in [
        "tags/index.html",
        "tags/operators/index.html",
        "kubecon-eu-2024/talks/gitops-at-scale/index.html",
    ] {
        assert!(reused.contains(&page.to_string()), "{page} rendered again");
    }
}

/// A recap rendered before a later recap failed kept what its new pages were rendered from,
/// but not the pages (the build failed): after the fix, its old page looked fresh.
#[test]
fn bug_a_recap_rendered_before_a_failing_one_served_a_stale_page() {
    let site = blog();
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("builds");
    let text = site.read(KAFKA);
    save(
        &site,
        KAFKA,
        &text.replace("SQL på strømme", "Redigeret"),
        &mut clock,
    );
    let template = "posts/kubecon-eu-2024/templates/talk.html";
    save(&site, template, "{{ unclosed", &mut clock);
    assert!(served.compile(&opts).is_err());
    site.remove(template);
    let again = served.compile(&opts).expect("builds");
    let fresh = compile(&opts).expect("builds");
    for (a, b) in again.files.iter().zip(&fresh.files) {
        assert!(a.contents == b.contents, "{} is stale", a.path);
    }
    assert_eq!(again.files.len(), fresh.files.len());
}

#[derive(Debug, Clone)]
enum Step {
    /// A new body for a note of a recap (one of a few, some linking across recaps).
    Body(usize, usize),
    /// A new title (from a small set: slugs move, speakers and tags pages change).
    Title(usize, usize),
    /// A front-matter error in a note, or its fix.
    Break(usize),
    Fix(usize),
    /// A broken template in a recap, or its removal.
    BreakTemplate,
    FixTemplate,
}

const NOTES: [&str; 2] = [KAFKA, KUBE];
const BODIES: [&str; 3] = [
    "Plain.\n",
    "See [GitOps](../../../kubecon-eu-2024/content/talks/gitops.md).\n",
    "See [ksqlDB](../../../kafka-summit-2020/content/talks/ksql.md).\n\n## Part\n",
];
const TITLES: [&str; 3] = ["ksqlDB", "GitOps at scale", "One title"];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..2usize, 0..BODIES.len()).prop_map(|(n, b)| Step::Body(n, b)),
        2 => (0..2usize, 0..TITLES.len()).prop_map(|(n, t)| Step::Title(n, t)),
        2 => (0..2usize).prop_map(Step::Break),
        2 => (0..2usize).prop_map(Step::Fix),
        1 => Just(Step::BreakTemplate),
        1 => Just(Step::FixTemplate),
    ]
}

fn note(title: &str, body: &str, broken: bool) -> String {
    let day = if broken { 9 } else { 1 };
    format!(
        "---\ntitle: \"{title}\"\nspeakers: [Anna Berg]\nday: {day}\ntags: [kafka]\n---\n{body}"
    )
}

fn run(steps: &[Step]) -> Result<(), TestCaseError> {
    let site = blog();
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut notes = [(0, 0, false), (1, 0, false)];
    for (n, (t, b, broken)) in notes.iter().enumerate() {
        save(
            &site,
            NOTES[n],
            &note(TITLES[*t], BODIES[*b], *broken),
            &mut clock,
        );
    }
    let template = "posts/kubecon-eu-2024/templates/talk.html";
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    let _ = served.compile(&opts);
    for step in steps {
        match *step {
            Step::Body(n, b) => notes[n].1 = b,
            Step::Title(n, t) => notes[n].0 = t,
            Step::Break(n) => notes[n].2 = true,
            Step::Fix(n) => notes[n].2 = false,
            Step::BreakTemplate => save(&site, template, "{{ unclosed", &mut clock),
            Step::FixTemplate => {
                let _ = std::fs::remove_file(site.path().join(template));
            }
        }
        if let Step::Body(n, _) | Step::Title(n, _) | Step::Break(n) | Step::Fix(n) = *step {
            let (t, b, broken) = notes[n];
            save(
                &site,
                NOTES[n],
                &note(TITLES[t], BODIES[b], broken),
                &mut clock,
            );
        }
        same_as_fresh(served.compile(&opts), compile(&opts), step, &steps)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_served_blog_equals_a_fresh_build_after_any_edits(steps in prop::collection::vec(step(), 1..8)) {
        run(&steps)?;
    }
}
