//! Facts from scripts: which environment settings a script makes and which commands it runs,
//! each with the exact span of its source text (RULES-SPEC §0.8 "scripts").
//!
//! This is a small, honest reader, not a shell: it splits words the way POSIX shells do
//! (quotes, escapes, `$(…)`, `${…}`), finds assignments and commands, follows one level of
//! nested `sh -c '…'` and heredoc bodies written to `.env` files, and gives up on a line it
//! cannot read (an unterminated quote) instead of guessing. It never evaluates anything.
//!
//! Every reader takes a [`SpanMap`] so that the same code serves a file's own text, a YAML
//! block scalar (`run: |`), and a string nested inside another word: offsets of the text
//! being read are mapped through it to positions in the scanned file.

mod formats;
mod lex;
mod shell;
mod yaml_sources;

use crate::location::{Pos, Span};
use crate::source::classify::ScriptKind;
use crate::syntax::mapping::SpanMap;

pub use formats::{read_dockerfile, read_dotenv, read_makefile};
pub use shell::read_shell;
pub use yaml_sources::{read_compose, read_container, read_github_workflow, read_gitlab_ci};

/// How a setting was made; the message names it so the user finds the line's intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetBy {
    /// `export NAME=value` (also `declare -x`).
    Export,
    /// `NAME=value` on its own (also `local`, `readonly`, `declare` without `-x`).
    Assign,
    /// `NAME=value cmd …` (also `env NAME=value cmd`).
    Prefix,
    /// `-e`/`--env NAME=value` of `docker`/`podman`/`nerdctl` `run`/`exec`/`create`.
    ContainerEnv,
    /// Written into an env file: `echo NAME=value >> .env`, `cat > .env <<EOF`.
    EnvFile,
    /// A line of a `.env` file.
    DotEnv,
    /// Dockerfile `ENV`.
    DockerfileEnv,
    /// Dockerfile `ARG` default.
    DockerfileArg,
    /// Makefile variable (`VAR := value`, `export VAR = value`).
    Make,
    /// A CI or compose environment map (`env:`, `variables:`, `environment:`).
    YamlEnv,
}

impl SetBy {
    pub fn describe(self) -> &'static str {
        match self {
            SetBy::Export => "exported",
            SetBy::Assign => "assigned",
            SetBy::Prefix => "set for a command",
            SetBy::ContainerEnv => "passed to a container with -e/--env",
            SetBy::EnvFile => "written to an env file",
            SetBy::DotEnv => "set in an env file",
            SetBy::DockerfileEnv => "set by Dockerfile ENV",
            SetBy::DockerfileArg => "set by Dockerfile ARG",
            SetBy::Make => "set as a make variable",
            SetBy::YamlEnv => "set in an environment map",
        }
    }
}

/// `NAME=value`, however it was written. `value` is the text after quote removal (never
/// expanded); `value_span` covers the value as written, quotes included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub name: String,
    pub value: String,
    pub name_span: Span,
    pub value_span: Span,
    pub by: SetBy,
}

/// One word of a command line after quote removal, with the span of its source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub text: String,
    pub span: Span,
}

/// A simple command: its words after leading assignments and wrappers (`sudo`, `env`,
/// `exec`, …) are removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub argv: Vec<Arg>,
    /// Heredoc bodies fed to the command (`vault policy write app - <<EOF`), in order.
    pub heredocs: Vec<Heredoc>,
}

/// A heredoc body as written (never expanded), with the file position each of its lines
/// starts at, so text parsed from it (a policy) maps back to the scanned file
/// ([`crate::syntax::mapping::LinesMap`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub text: String,
    pub line_starts: Vec<Pos>,
}

impl Heredoc {
    pub fn map(&self) -> crate::syntax::mapping::LinesMap<'_> {
        crate::syntax::mapping::LinesMap::new(&self.text, self.line_starts.clone())
    }
}

impl Command {
    /// The program's base name (`/usr/bin/vault` → `vault`).
    pub fn program(&self) -> &str {
        self.argv
            .first()
            .map_or("", |a| a.text.rsplit('/').next().unwrap_or(&a.text))
    }
}

/// Everything read from one file's scripts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScriptFacts {
    pub settings: Vec<Setting>,
    pub commands: Vec<Command>,
}

impl ScriptFacts {
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty() && self.commands.is_empty()
    }
}

/// Reads a script file of the given kind.
pub fn read(text: &str, kind: ScriptKind, map: &dyn SpanMap) -> ScriptFacts {
    let mut facts = ScriptFacts::default();
    match kind {
        ScriptKind::Shell => read_shell(text, map, 0, &mut facts),
        ScriptKind::Makefile => read_makefile(text, map, &mut facts),
        ScriptKind::Dockerfile => read_dockerfile(text, map, &mut facts),
        ScriptKind::DotEnv => read_dotenv(text, map, SetBy::DotEnv, &mut facts),
    }
    facts
}

/// A slice of a text starting at byte `base`: its offsets shift into the outer text.
pub(crate) struct Shifted<'a> {
    pub base: usize,
    pub outer: &'a dyn SpanMap,
}

impl SpanMap for Shifted<'_> {
    fn pos(&self, offset: usize) -> Pos {
        self.outer.pos(self.base + offset)
    }
}

/// A word's unquoted text: each of its bytes maps to the source byte it came from, so a
/// script nested in a quoted string (`sh -c '…'`) reports at the outer file's positions.
pub(crate) struct Remap<'a> {
    /// Source offset of each byte of the inner text, plus one for its end.
    pub src: &'a [usize],
    pub outer: &'a dyn SpanMap,
}

impl SpanMap for Remap<'_> {
    fn pos(&self, offset: usize) -> Pos {
        let i = offset.min(self.src.len().saturating_sub(1));
        self.outer.pos(self.src.get(i).copied().unwrap_or(0))
    }
}

/// True for a shell variable name.
pub(crate) fn is_name(s: &str) -> bool {
    let mut b = s.bytes();
    b.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// True for paths of env files a script writes (`.env`, `.env.prod`, `app.env`, `.envrc`).
pub(crate) fn is_env_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with(".env") || name.ends_with(".env")
}

#[cfg(test)]
mod tests;
