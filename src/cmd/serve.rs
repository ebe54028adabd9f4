//! `summit-gen serve`: the live preview.

use std::io::Write as _;
use std::net::IpAddr;

use clap::Args;

use super::Verbosity;
use crate::BuildOptions;
use crate::serve::{Outcome, Reporter, ServeOptions};

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: super::SiteArg,
    /// The address to listen on; anything but a loopback address shows the site to your network.
    #[arg(short, long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub interface: IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(short, long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser once it is ready.
    #[arg(long)]
    pub open: bool,
    /// Include notes marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

struct Terminal {
    verbosity: Verbosity,
    open: bool,
}

impl Terminal {
    fn print(&self, line: String) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }

    fn problems(&self, outcome: &Outcome) {
        match &outcome.result {
            Ok(stats) => {
                for w in &stats.warnings {
                    super::warn(self.verbosity, w);
                }
            }
            Err(e) => eprintln!("{e}"),
        }
    }
}

impl Reporter for Terminal {
    fn ready(&self, url: &str, first: &Outcome) {
        self.problems(first);
        if self.verbosity != Verbosity::Quiet {
            let state = match &first.result {
                Ok(s) => format!(
                    "built {} talks in {} ms",
                    s.talks,
                    first.elapsed.as_millis()
                ),
                Err(_) => "the first build failed; fix the problems above and save".into(),
            };
            self.print(format!(
                "Serving the site at {url} ({state}). Press Ctrl-C to stop."
            ));
        }
        if self.open {
            open_browser(url);
        }
    }

    fn rebuilt(&self, changed: &str, outcome: &Outcome) {
        self.problems(outcome);
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        let ms = outcome.elapsed.as_millis();
        if let (Verbosity::Verbose, Ok(stats)) = (self.verbosity, &outcome.result) {
            let stages: Vec<String> = stats
                .timings
                .iter()
                .map(|(name, d)| format!("{name} {:.1} ms", d.as_secs_f64() * 1000.0))
                .collect();
            self.print(format!("  stages: {}", stages.join(", ")));
        }
        self.print(match &outcome.result {
            Ok(_) => format!("Rebuilt in {ms} ms: {changed} changed"),
            Err(_) => format!(
                "Build failed in {ms} ms: {changed} changed; the last good build is still served"
            ),
        });
    }
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    // The opener's own chatter (xdg-open tries several browsers) stays off the terminal; if
    // it fails, one line says what to do.
    let child = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let url = url.to_string();
    match child {
        Ok(mut child) => {
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|s| s.success()) {
                    eprintln!("warning: could not start a browser; open {url} yourself");
                }
            });
        }
        Err(_) => eprintln!("warning: could not start a browser; open {url} yourself"),
    }
}

pub fn run(args: ServeArgs, verbosity: Verbosity) -> anyhow::Result<()> {
    if !args.interface.is_loopback() {
        super::warn(
            verbosity,
            format!(
                "serving on {}: anyone who can reach this machine can see the site",
                args.interface
            ),
        );
    }
    let mut build = BuildOptions::new(args.site.build_root(verbosity)?);
    build.drafts = args.drafts;
    let opts = ServeOptions {
        build,
        interface: args.interface,
        port: args.port,
    };
    crate::serve::run(
        opts,
        Terminal {
            verbosity,
            open: args.open,
        },
    )?;
    Ok(())
}
