//! The `summit-gen` binary: parse arguments, run, print errors, pick the exit code
//! (0 ok, 1 build or user error, 2 usage — clap's own).

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use summit_gen::cmd::{self, Cli};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            match err.downcast_ref::<summit_gen::Error>() {
                Some(summit_gen::Error::Content(d)) => {
                    eprintln!("{d}");
                    let n = d.0.len();
                    let s = if n == 1 { "" } else { "s" };
                    eprintln!("error: {n} problem{s} found; nothing was written");
                }
                _ => eprintln!("error: {err:#}"),
            }
            ExitCode::FAILURE
        }
    }
}
