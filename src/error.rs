//! The library's typed errors.
//!
//! Content problems (a bad note, a bad `summit.yaml`) are collected as [`Diagnostic`]s so that
//! one build reports every bad file at once; everything else (I/O, the output folder, templates)
//! is an [`Error`] variant that keeps its cause as `#[source]`, so the edge can print the chain.

use std::fmt;
use std::path::PathBuf;

/// One problem in the user's input, located as precisely as we know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path as the user sees it: relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line in the *file* (front-matter offset already added).
    pub line: Option<usize>,
    /// 1-based column (in characters).
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we can tell.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:col: what is wrong — how to fix it`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " — {help}")?;
        }
        Ok(())
    }
}

/// Several diagnostics, displayed one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Everything a build can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The site's content has problems; all of them are listed.
    #[error("{0}")]
    Content(Diagnostics),

    /// Reading or writing a file failed.
    #[error("{}: {action}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The output folder is not one we may write to.
    #[error("{}: {reason} — {help}", path.display())]
    Output {
        path: PathBuf,
        reason: String,
        help: String,
    },

    /// The preview server could not start.
    #[error("{what} — {help}")]
    Serve { what: String, help: String },

    /// A template failed to parse or render.
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// The diagnostics of a content error (empty for other errors).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Content(d) => &d.0,
            _ => &[],
        }
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(d: Vec<Diagnostic>) -> Self {
        Error::Content(Diagnostics(d))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
