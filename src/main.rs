//! The `summit-gen` binary: parse arguments, run, print errors, pick the exit code
//! (0 ok, 1 build or user error, 2 usage — clap's own).

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use summit_gen::cmd::{self, Cli, Command};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `check` and `serve` never write; saying "nothing was written" there would puzzle.
    let writes = !matches!(cli.command, Command::Check(_) | Command::Serve(_));
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            match err.downcast_ref::<summit_gen::Error>() {
                Some(summit_gen::Error::Content(d)) => {
                    eprintln!("{d}");
                    let n = d.0.len();
                    let s = if n == 1 { "" } else { "s" };
                    let tail = if writes { "; nothing was written" } else { "" };
                    eprintln!("error: {n} problem{s} found{tail}");
                }
                _ => eprintln!(
                    "error: {}",
                    summit_gen::error::printable(&format!("{err:#}"), true)
                ),
            }
            ExitCode::FAILURE
        }
    }
}
