//! Finding the files to scan: ripgrep's parallel walker (`ignore`), .gitignore honoured,
//! hidden paths skipped except the CI and env files the spec always reads (RULES-SPEC §0.8),
//! a size cap and binary sniffing. Every file not read is counted, with its reason.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Options that shape discovery.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    pub hidden: bool,
    pub no_ignore: bool,
    pub excludes: Vec<String>,
    pub max_file_size: u64,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            hidden: false,
            no_ignore: false,
            excludes: Vec::new(),
            max_file_size: 10 * 1024 * 1024,
        }
    }
}

/// A path to read, and whether the user named it explicitly.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    /// The path as shown in reports: relative to the scan root, `/`-separated.
    pub display: String,
    pub explicit: bool,
}

/// Why a path was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    Excluded,
    TooLarge(u64),
    Binary,
    NotRecognised,
    /// A FIFO, socket or device: never opened (reading a FIFO would block the scan).
    NotRegular(&'static str),
    /// A symbolic link met while walking a folder: not followed (it may leave the tree or
    /// loop); a link named on the command line is read.
    Symlink,
    /// The walker could not read it (a folder without permission, a vanished entry, a loop).
    Unreadable(String),
    /// A `.gitignore`/`.ignore` file the walker could not fully use (a bad glob line).
    IgnoreFile(String),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Excluded => write!(f, "excluded"),
            SkipReason::TooLarge(n) => write!(f, "larger than the size cap ({n} bytes)"),
            SkipReason::Binary => write!(f, "binary"),
            SkipReason::NotRecognised => write!(f, "not recognised"),
            SkipReason::NotRegular(kind) => write!(f, "not a regular file ({kind})"),
            SkipReason::Symlink => write!(f, "symbolic link, not followed"),
            SkipReason::Unreadable(e) => write!(f, "cannot be read: {e}"),
            SkipReason::IgnoreFile(e) => write!(f, "ignore file not fully applied: {e}"),
        }
    }
}

/// A file that was not read.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub display: String,
    pub reason: SkipReason,
}

/// Hidden names that are always read (§0.8).
fn always_read_hidden(name: &str) -> bool {
    name == ".github"
        || name == ".gitlab-ci.yml"
        || name.starts_with(".env")
        || name == ".envrc"
        || name == ".sealant.yaml"
}

pub fn exclude_set(globs: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let g = g.trim_end_matches('/');
        b.add(Glob::new(g).map_err(|e| format!("invalid --exclude glob `{g}`: {e}"))?);
        // A glob matches at any depth below the root, and a directory excludes what is in it.
        for variant in [format!("**/{g}"), format!("{g}/**"), format!("**/{g}/**")] {
            b.add(Glob::new(&variant).map_err(|e| e.to_string())?);
        }
    }
    b.build().map_err(|e| e.to_string())
}

/// Walks `roots` in parallel and returns the candidate files (sorted) and the skipped ones.
pub fn discover(
    roots: &[PathBuf],
    opts: &DiscoverOptions,
    excludes: &GlobSet,
) -> (Vec<Candidate>, Vec<Skipped>) {
    let mut candidates = Vec::new();
    let mut skipped = Vec::new();
    for root in roots {
        if root.is_file() {
            let len = std::fs::metadata(root).map(|m| m.len()).unwrap_or(0);
            if len > opts.max_file_size {
                skipped.push(Skipped {
                    display: display_path(root, None),
                    reason: SkipReason::TooLarge(len),
                });
                continue;
            }
            candidates.push(Candidate {
                path: root.clone(),
                display: display_path(root, None),
                explicit: true,
            });
            continue;
        }
        if !root.exists() {
            // Reported by the reader as an error for an explicitly named path.
            candidates.push(Candidate {
                path: root.clone(),
                display: display_path(root, None),
                explicit: true,
            });
            continue;
        }
        let mut builder = ignore::WalkBuilder::new(root);
        builder
            .hidden(false)
            .git_ignore(!opts.no_ignore)
            .git_global(!opts.no_ignore)
            .git_exclude(!opts.no_ignore)
            .ignore(!opts.no_ignore)
            .parents(!opts.no_ignore)
            .require_git(false)
            .follow_links(false);
        let hidden = opts.hidden;
        builder.filter_entry(move |e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || hidden || !name.starts_with('.') || always_read_hidden(&name)
        });
        let (tx, rx) = mpsc::channel();
        builder.build_parallel().run(|| {
            let tx = tx.clone();
            Box::new(move |entry| {
                let _ = tx.send(match entry {
                    Ok(e) => match e.file_type() {
                        Some(t) if t.is_file() => {
                            let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                            Walked::File(e.into_path(), len)
                        }
                        Some(t) if t.is_dir() => return ignore::WalkState::Continue,
                        Some(t) if t.is_symlink() => {
                            Walked::Skip(e.into_path(), SkipReason::Symlink)
                        }
                        t => Walked::Skip(e.into_path(), SkipReason::NotRegular(special_kind(t))),
                    },
                    Err(err) => Walked::Error(err),
                });
                ignore::WalkState::Continue
            })
        });
        drop(tx);
        for walked in rx {
            let (path, len) = match walked {
                Walked::File(path, len) => (path, len),
                Walked::Skip(path, reason) => {
                    skipped.push(Skipped {
                        display: display_path(&path, Some(root)),
                        reason,
                    });
                    continue;
                }
                Walked::Error(err) => {
                    let path = walk_error_path(&err).unwrap_or_else(|| root.clone());
                    let message = walk_error_message(&err);
                    skipped.push(Skipped {
                        display: display_path(&path, Some(root)),
                        reason: if is_input_error(&err) {
                            SkipReason::Unreadable(message)
                        } else {
                            SkipReason::IgnoreFile(message)
                        },
                    });
                    continue;
                }
            };
            let display = display_path(&path, Some(root));
            let relative = path.strip_prefix(root).unwrap_or(&path);
            if excludes.is_match(relative) || excludes.is_match(&display) {
                skipped.push(Skipped {
                    display,
                    reason: SkipReason::Excluded,
                });
            } else if len > opts.max_file_size {
                skipped.push(Skipped {
                    display,
                    reason: SkipReason::TooLarge(len),
                });
            } else {
                candidates.push(Candidate {
                    path,
                    display,
                    explicit: false,
                });
            }
        }
    }
    candidates.sort_by(|a, b| a.display.cmp(&b.display));
    candidates.dedup_by(|a, b| a.path == b.path);
    skipped.sort_by(|a, b| a.display.cmp(&b.display));
    (candidates, skipped)
}

/// What the walker reported for one entry.
enum Walked {
    File(PathBuf, u64),
    Skip(PathBuf, SkipReason),
    Error(ignore::Error),
}

/// The kind of a non-regular, non-directory entry, for the skip reason.
fn special_kind(t: Option<std::fs::FileType>) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        match t {
            Some(t) if t.is_fifo() => return "FIFO",
            Some(t) if t.is_socket() => return "socket",
            Some(t) if t.is_block_device() || t.is_char_device() => return "device",
            _ => {}
        }
    }
    let _ = t;
    "special file"
}

/// The path a walk error is about (the error nests it under line/depth wrappers).
fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// True for errors that lose input (I/O, loops), false for problems in ignore files.
fn is_input_error(err: &ignore::Error) -> bool {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_input_error(err),
        ignore::Error::Io(_) | ignore::Error::Loop { .. } => true,
        _ => false,
    }
}

/// The error without the path (shown beside it already).
fn walk_error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_error_message(err),
        e => e.to_string(),
    }
}

/// A stable, `/`-separated display path relative to the root (or the current directory).
pub fn display_path(path: &Path, root: Option<&Path>) -> String {
    let rel = root
        .and_then(|r| {
            if r == Path::new(".") {
                path.strip_prefix("./").ok().or(Some(path))
            } else {
                // Keep the root's own name so findings read `deploy/app.yaml`, not `app.yaml`.
                Some(path)
            }
        })
        .unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").unwrap_or(&s).to_owned()
}
