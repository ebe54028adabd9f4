//! `summit-gen completions SHELL` and `summit-gen man` (issue 15, point 10).

use std::process::Command;

use crate::support::Site;

#[test]
fn completion_scripts_name_every_command_and_parse() {
    let site = Site::empty();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = site.run(&["completions", shell]);
        run.success();
        assert_eq!(run.stderr, "");
        for command in [
            "build",
            "serve",
            "check",
            "init",
            "new",
            "import",
            "theme",
            "completions",
            "man",
        ] {
            assert!(run.stdout.contains(command), "{shell} lacks {command}");
        }
        if shell == "bash" {
            assert!(
                run.stdout
                    .lines()
                    .any(|l| l.trim_start().starts_with("complete -F") && l.contains("summit-gen")),
                "no `complete` line for summit-gen"
            );
            // The script is valid bash (bash is on every machine this runs on).
            let path = site.path().join("summit-gen.bash");
            std::fs::write(&path, &run.stdout).expect("write");
            let check = Command::new("bash")
                .arg("-n")
                .arg(&path)
                .output()
                .expect("bash");
            assert!(
                check.status.success(),
                "{}",
                String::from_utf8_lossy(&check.stderr)
            );
        }
    }
    let run = site.run(&["completions", "tcsh"]);
    assert_eq!(run.code, 2);
}

#[test]
fn the_man_page_documents_the_commands() {
    let run = Site::empty().run(&["man"]);
    run.success();
    assert!(
        run.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq"),
        "{}",
        &run.stdout[..80]
    );
    assert!(run.stdout.contains(".TH summit-gen 1"), "no title header");
    for command in ["build", "serve", "check", "import"] {
        assert!(
            run.stdout.contains(&format!("summit\\-gen\\-{command}(1)")),
            "the man page does not list {command}"
        );
    }
}
