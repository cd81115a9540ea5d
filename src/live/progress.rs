//! The live-scan progress display: one spinner per enabled source on stderr while its
//! collector runs, ending in what it read (objects, API calls, errors). Shown only on a
//! terminal and never when `CI` is set, so logs and pipes stay clean; the summary a user needs
//! afterwards is in the report either way (diagnostics, `-v` API-call counts).

use super::LiveInput;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// The spinners of one live scan (inert when not shown).
pub struct Progress {
    bars: Option<MultiProgress>,
}

/// One source's spinner.
pub struct SourceProgress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Visible when stderr is a terminal and `CI` is not set.
    pub fn for_stderr() -> Progress {
        let show = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Progress::new(show)
    }

    pub fn new(show: bool) -> Progress {
        Progress {
            bars: show.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
        }
    }

    /// Starts the spinner of `source` (`kube`, `vault`, `aws`).
    pub fn start(&self, source: &'static str, what: &str) -> SourceProgress {
        let bar = self.bars.as_ref().map(|m| {
            // Style, prefix and message first, so the first frame drawn is complete.
            let bar = ProgressBar::new_spinner()
                .with_style(
                    ProgressStyle::with_template("{spinner} {prefix:>5} {msg} ({elapsed})")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                )
                .with_prefix(source)
                .with_message(what.to_owned());
            let bar = m.add(bar);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        SourceProgress { bar }
    }
}

impl SourceProgress {
    /// Ends the spinner with a one-line account of what the collector produced.
    pub fn finish(&self, input: &LiveInput) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template("{prefix:>7} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.finish_with_message(summary(input));
        }
    }
}

/// `12 objects, 9 API calls, 1 could not be read`.
pub fn summary(input: &LiveInput) -> String {
    let calls: u64 = input.api_calls.iter().map(|(_, n)| n).sum();
    let errors = input
        .diagnostics
        .iter()
        .filter(|d| d.level == crate::diagnostic::Level::Error)
        .count();
    let mut s = format!(
        "{} object{}, {calls} API call{}",
        input.files.len(),
        if input.files.len() == 1 { "" } else { "s" },
        if calls == 1 { "" } else { "s" }
    );
    if errors > 0 {
        s.push_str(&format!(", {errors} could not be read"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Level};

    #[test]
    fn summary_counts_objects_calls_and_errors() {
        let mut input = LiveInput::failed("k8s://", "403 Forbidden");
        input.api_calls = vec![("kube", 7), ("kube-discovery", 2)];
        input.diagnostics.push(Diagnostic::new(
            Level::Note,
            "x",
            "k8s://".into(),
            None,
            "skipped",
        ));
        assert_eq!(
            summary(&input),
            "0 objects, 9 API calls, 1 could not be read"
        );
    }

    #[test]
    fn hidden_progress_draws_nothing_and_does_not_panic() {
        let p = Progress::new(false);
        let s = p.start("kube", "listing");
        s.finish(&LiveInput::default());
        assert!(s.bar.is_none());
    }
}
