//! The integration test suite: one binary, a module per feature. Every test runs the real
//! `summit-gen` binary on a site in a temporary folder and checks what a user would see.

mod support;

mod blog;
mod blog_scaffold;
mod blog_serve;
mod browser;
mod cli;
mod completions;
mod determinism;
mod errors;
mod example;
mod export;
mod feeds;
mod fixture_site;
mod highlight;
mod hostile;
mod images;
mod import;
mod import_flow;
mod import_formats;
mod import_names;
mod import_reimport;
mod incremental;
mod internal_links;
mod jail;
mod languages;
mod output;
mod output_safety;
mod properties;
mod publishing;
mod quality;
mod release;
mod robustness;
mod scaffold;
mod serve;
mod serve_saves;
mod serve_security;
mod serve_support;
mod the_post;
mod theme;
