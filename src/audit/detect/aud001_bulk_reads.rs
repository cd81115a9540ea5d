//! AUD001 — bulk secret reads by one token: the brief's `detect_bulk_reads` (successful `read`
//! and `list` responses per accessor, ≥ threshold in `[t, t + window]`, non-overlapping
//! flagged windows), in one streaming pass (see `audit::window`), with §1(j)'s noise filters
//! (`--no-default-excludes` turns them off) and per-identity allow-lists and thresholds.

use super::{identity_label, short_accessor, window_evidence, Ctx, Detector, Hit};
use crate::audit::config::{AuditConfig, Windowed};
use crate::audit::event::{Event, Op};
use crate::audit::record::format_time;
use crate::audit::window::{Flag, Keyed};
use std::collections::BTreeSet;

/// What a window keeps of each request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub src: u32,
    pub line: u64,
    pub path: Box<str>,
    pub op: Op,
    pub addr: Option<Box<str>>,
}

impl Seen {
    pub fn of(ev: &Event) -> Seen {
        Seen {
            src: ev.src,
            line: ev.line,
            path: ev.path.clone(),
            op: ev.op,
            addr: ev.addr.clone(),
        }
    }
}

/// The evidence and location of a flagged window of `Seen` events.
pub fn flagged(
    flag: Flag<'_, Seen>,
    key: &str,
    width: i64,
    threshold: usize,
    cx: &Ctx<'_>,
) -> (u32, u64, serde_json::Map<String, serde_json::Value>) {
    let first = &flag.events[0].1;
    let ops: BTreeSet<&'static str> = flag.events.iter().map(|(_, r)| r.op.as_str()).collect();
    let addrs: BTreeSet<String> = flag
        .events
        .iter()
        .filter_map(|(_, r)| r.addr.as_deref().map(str::to_owned))
        .collect();
    let evidence = window_evidence(
        key,
        flag.start,
        width,
        threshold,
        flag.events.iter().map(|(t, r)| (*t, r.src, r.line)),
        flag.events.iter().map(|(_, r)| r.path.to_string()),
        ops,
        addrs,
        cx.identity(key),
    );
    (first.src, first.line, evidence)
}

/// Per-accessor windows of counted reads.
pub struct BulkReads {
    settings: Windowed,
    excludes: bool,
    windows: Keyed<Seen>,
}

impl BulkReads {
    pub fn new(cfg: &AuditConfig) -> BulkReads {
        BulkReads {
            settings: cfg.aud001,
            excludes: cfg.default_excludes,
            windows: Keyed::new(cfg.aud001.window),
        }
    }

    /// True for the entries the brief counts (and, unless disabled, not noise).
    pub fn counts(&self, ev: &Event) -> bool {
        matches!(ev.op, Op::Read | Op::List)
            && !ev.failed
            && !(self.excludes && super::is_noise(ev))
    }
}

fn report(flag: Flag<'_, Seen>, key: &str, w: Windowed, threshold: usize, cx: &mut Ctx<'_>) {
    let start = flag.start;
    let count = flag.events.len();
    let (src, line, evidence) = flagged(flag, key, w.window, threshold, cx);
    let label = identity_label(cx.identity(key));
    cx.hits.push(Hit {
        rule: "AUD001",
        severity: None,
        src,
        line,
        message: format!(
            "token {}{label} made {count} successful read/list requests in the {}s window from {} (threshold {threshold})",
            short_accessor(key),
            w.window / 1_000_000,
            format_time(start),
        ),
        identity: format!("AUD001/{key}/{}", format_time(start)),
        evidence,
    });
}

impl Detector for BulkReads {
    fn on_event(&mut self, ev: &Event, cx: &mut Ctx<'_>) {
        if !self.counts(ev) {
            return;
        }
        let w = self.settings;
        // Looked up once per key (glob matching per line would cost).
        let threshold = (!self.windows.knows(&ev.accessor))
            .then(|| cx.threshold("AUD001", &ev.accessor, w.threshold));
        self.windows.push(
            &ev.accessor,
            ev.ts,
            Seen::of(ev),
            || threshold.flatten(),
            |k, t, f| report(f, k, w, t, cx),
        );
    }

    fn finish(&mut self, _now: i64, cx: &mut Ctx<'_>) {
        let w = self.settings;
        self.windows.finish(|k, t, f| report(f, k, w, t, cx));
    }
}
