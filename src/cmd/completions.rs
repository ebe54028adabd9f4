//! `summit-gen completions SHELL` and `summit-gen man`: generated from the same clap
//! definitions as the commands themselves (clap_complete, clap_mangen), so they never drift.

use std::io::Write as _;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    pub shell: Shell,
}

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<()> {
    let mut text = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "summit-gen", &mut text);
    print(&text)
}

pub fn man() -> anyhow::Result<()> {
    let mut text = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut text)?;
    print(&text)
}

/// Writes `text` to stdout; a reader that stops early (`| head`) is no error.
fn print(text: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
