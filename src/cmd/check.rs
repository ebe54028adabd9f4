//! `summit-gen check`: build in memory, check every internal link and anchor, write nothing.

use clap::Args;

use super::Verbosity;
use crate::{BuildOptions, Error};

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: super::SiteArg,
    /// Overrides `base_url` from summit.yaml.
    #[arg(long, value_name = "URL", value_parser = super::base_url_arg)]
    pub base_url: Option<String>,
    /// Include notes marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(args: CheckArgs, verbosity: Verbosity) -> anyhow::Result<()> {
    let opts = BuildOptions {
        root: args.site.build_root(verbosity)?,
        output: None,
        base_url: args.base_url,
        drafts: args.drafts,
    };
    let compiled = crate::compile(&opts)?;
    for w in &compiled.warnings {
        super::warn(verbosity, w);
    }
    super::left_out(verbosity, &compiled.left_out);
    let problems = crate::check::links(&compiled);
    if !problems.is_empty() {
        return Err(Error::from(problems).into());
    }
    if verbosity != Verbosity::Quiet {
        let pages = compiled
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count();
        println!(
            "Checked {pages} pages and {} links in notes: no problems",
            compiled.note_links.len()
        );
    }
    Ok(())
}
