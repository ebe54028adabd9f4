//! The library's typed errors.
//!
//! Content problems (a bad note, a bad `summit.yaml`) are collected as [`Diagnostic`]s so that
//! one build reports every bad file at once; everything else (I/O, the output folder, templates)
//! is an [`Error`] variant that keeps its cause as `#[source]`, so the edge can print the chain.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;

/// Characters that would steer the terminal rather than show: control characters (C0, DEL,
/// C1: escape sequences, carriage returns) and the bidirectional overrides and isolates.
pub fn steers_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` as it may go to a terminal: control characters (ESC, NUL, line breaks …), which a
/// title or a file name can hold, are shown escaped (`\u{1b}`), so they cannot move the
/// cursor, clear the screen or fake another line. `keep_newlines` keeps `\n` as the line
/// break it is in multi-line output.
pub fn printable(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let bad = |c: char| steers_terminal(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if bad(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

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
    /// Control characters of the user's text are shown escaped (see [`printable`]): one
    /// diagnostic is one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.to_string_lossy();
        write!(f, "{}", printable(&path, false))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", printable(&self.message, false))?;
        if let Some(help) = &self.help {
            write!(f, " — {}", printable(help, false))?;
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
