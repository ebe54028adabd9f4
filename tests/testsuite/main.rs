//! The integration test suite: one binary, a module per feature. Every test runs the real
//! `summit-gen` binary on a site in a temporary folder and checks what a user would see.

mod support;

mod browser;
mod determinism;
mod errors;
mod example;
mod fixture_site;
mod import;
mod output;
mod properties;
mod publishing;
mod quality;
mod robustness;
mod serve;
mod serve_support;
