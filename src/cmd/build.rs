//! `summit-gen build`.

use std::path::PathBuf;

use clap::Args;

use super::Verbosity;
use crate::BuildOptions;

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: super::SiteArg,
    /// Where to write the site [default: DIR/public].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from summit.yaml.
    #[arg(long, value_name = "URL", value_parser = super::base_url_arg)]
    pub base_url: Option<String>,
    /// Include notes marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(args: BuildArgs, verbosity: Verbosity) -> anyhow::Result<()> {
    let opts = BuildOptions {
        root: args.site.build_root(verbosity)?,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
    };
    let output = opts.output_dir();
    // A pause explained, not a problem: --quiet (errors only) keeps it to itself.
    let report = crate::build_with(&opts, &|holder| match holder {
        _ if verbosity == Verbosity::Quiet => {}
        Some(pid) => eprintln!(
            "waiting for the build by process {pid} into {} to finish",
            output.display()
        ),
        None => eprintln!(
            "waiting for another build into {} to finish",
            output.display()
        ),
    })?;
    for w in &report.warnings {
        super::warn(verbosity, w);
    }
    super::left_out(verbosity, &report.left_out);
    if verbosity == Verbosity::Verbose {
        for f in &report.files {
            println!("  {}", report.output.join(f).display());
        }
        let stages: Vec<String> = report
            .timings
            .iter()
            .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
            .collect();
        println!("Stages: {}", stages.join(", "));
    }
    if verbosity != Verbosity::Quiet {
        println!(
            "Wrote {} files ({} talks) to {} in {} ms",
            report.files.len(),
            report.talks,
            report.output.display(),
            report.elapsed.as_millis()
        );
    }
    Ok(())
}
