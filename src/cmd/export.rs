//! `summit-gen export`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Verbosity;
use crate::export::{ExportOptions, Format};

/// The blog the recap goes into.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Host {
    /// A page bundle: content/posts/<slug>/index.md with its files beside it.
    Hugo,
    /// _posts/YYYY-MM-DD-<slug>.md, its files under assets/<slug>/.
    Jekyll,
    /// content/<slug>/index.md with its files beside it.
    Zola,
    /// One CommonMark file and its files (dev.to, Ghost, …).
    Markdown,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The blog's conventions.
    pub format: Host,
    /// The host blog's root folder [default: DIR/export/<format>].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The recap's folder, holding summit.yaml.
    #[arg(long, default_value = ".", value_name = "RECAP")]
    pub root: PathBuf,
    /// Include notes marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(args: ExportArgs, verbosity: Verbosity) -> anyhow::Result<()> {
    let format = match args.format {
        Host::Hugo => Format::Hugo,
        Host::Jekyll => Format::Jekyll,
        Host::Zola => Format::Zola,
        Host::Markdown => Format::Markdown,
    };
    let opts = ExportOptions {
        root: args.root,
        output: args.output,
        format,
        drafts: args.drafts,
    };
    let report = crate::export::export(&opts)?;
    for w in &report.warnings {
        super::warn(verbosity, w);
    }
    if verbosity == Verbosity::Verbose {
        for f in &report.written {
            println!("  {}", report.output.join(f).display());
        }
        for f in &report.removed {
            println!("  removed {}", report.output.join(f).display());
        }
    }
    if verbosity != Verbosity::Quiet {
        println!(
            "Exported {} talks for {} to {}",
            report.talks,
            format.name(),
            report.output.join(&report.post).display()
        );
    }
    Ok(())
}
