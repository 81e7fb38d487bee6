//! Typed errors. Input problems are collected as [`Diagnostic`]s that name the file, line,
//! column and the rule broken, so a planner can fix all of them in one pass.

use std::fmt;
use std::path::PathBuf;

/// One problem found in an instance or plan file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// File name inside the instance folder (e.g. `doctors.csv`).
    pub file: String,
    /// 1-based line, when the problem belongs to one line.
    pub line: Option<u64>,
    /// 1-based column and its header name, when the problem belongs to one cell.
    pub column: Option<(usize, String)>,
    /// Short name of the rule broken (e.g. `unknown-reference`).
    pub rule: &'static str,
    pub message: String,
}

impl Diagnostic {
    /// A problem with a whole file.
    pub fn file(file: &str, rule: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: None,
            column: None,
            rule,
            message: message.into(),
        }
    }

    /// A problem on one line of a file.
    pub fn line(
        file: &str,
        line: u64,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            line: Some(line),
            ..Diagnostic::file(file, rule, message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some((col, name)) = &self.column {
            write!(f, ", column {col} ({name})")?;
        }
        write!(f, ": {} [{}]", self.message, self.rule)
    }
}

/// Every problem found while reading input.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    pub fn warn(&mut self, d: Diagnostic) {
        self.warnings.push(d);
    }

    /// Record the error of `r`, if any, and pass on its value.
    pub fn take<T>(&mut self, r: Result<T, Diagnostic>) -> Option<T> {
        r.map_err(|d| self.error(d)).ok()
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// The input could not be used; every problem is listed.
#[derive(Debug)]
pub struct InvalidInput {
    pub what: String,
    pub errors: Vec<Diagnostic>,
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        writeln!(
            f,
            "{} has {n} problem{}:",
            self.what,
            if n == 1 { "" } else { "s" }
        )?;
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidInput {}

/// Errors of the library. Every variant but [`Error::Usage`] maps to exit code 1 at the
/// binary's edge; `Usage` maps to 2, as clap's own usage errors do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Input(InvalidInput),
    /// The instance cannot be planned; the text explains why in domain words.
    #[error("{0}")]
    Infeasible(String),
    #[error(
        "{} already exists; choose another --out folder or pass --force to replace it",
        .0.display()
    )]
    OutputExists(PathBuf),
    /// An output folder alisplan will not write or replace, and why.
    #[error("will not write to {}: {why}; nothing was touched", path.display())]
    UnsafeOutput { path: PathBuf, why: String },
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the solver failed: {0}")]
    Solver(String),
    #[error("the plan has {0} violation(s) of the rules; see the list above")]
    Violations(usize),
    /// An argument that is well formed but cannot be used with this input (e.g. a
    /// re-plan month after the horizon).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The process exit code for this error: 2 for a usage error, else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }

    /// An input error made of the given diagnostics.
    pub fn input(what: impl Into<String>, errors: Vec<Diagnostic>) -> Error {
        Error::Input(InvalidInput {
            what: what.into(),
            errors,
        })
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
