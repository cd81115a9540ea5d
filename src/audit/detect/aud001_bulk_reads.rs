//! AUD001 — bulk secret reads by one token: the brief's `detect_bulk_reads` (successful `read`
//! and `list` responses per accessor, ≥ threshold in `[t, t + window]`, non-overlapping
//! flagged windows), in one streaming pass (see `audit::window`), with §1(j)'s noise filters
//! (`--no-default-excludes` turns them off) and per-identity allow-lists and thresholds.

use super::{
    accessor_json, identity_json, identity_label, short_accessor, Ctx, Detector, Hit, SAMPLE,
};
use crate::audit::config::{AuditConfig, Windowed};
use crate::audit::event::{Event, Op};
use crate::audit::record::format_time;
use crate::audit::window::{Flag, Keyed};
use serde_json::{json, Map, Value};
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

/// The location (first event) and evidence of a flagged window: count, window, the first 15
/// paths (as the brief samples them) and the first 15 distinct ones, operations, source
/// addresses and the token's identity.
pub fn flagged(
    flag: Flag<'_, Seen>,
    key: &str,
    width: i64,
    threshold: usize,
    cx: &Ctx<'_>,
) -> (u32, u64, Map<String, Value>) {
    let first = &flag.events[0].1;
    let ops: BTreeSet<&'static str> = flag.events.iter().map(|(_, r)| r.op.as_str()).collect();
    let addrs: BTreeSet<&str> = flag
        .events
        .iter()
        .filter_map(|(_, r)| r.addr.as_deref())
        .collect();
    let last = flag.events.back().map_or(flag.start, |(t, _)| *t);
    let mut distinct: Vec<&str> = Vec::new();
    for (_, r) in flag.events.iter() {
        if distinct.len() == SAMPLE {
            break;
        }
        if !distinct.contains(&&*r.path) {
            distinct.push(&r.path);
        }
    }
    let mut m = Map::new();
    m.insert("accessor".into(), accessor_json(key));
    m.insert("count".into(), flag.events.len().into());
    m.insert("threshold".into(), threshold.into());
    m.insert("window_start".into(), format_time(flag.start).into());
    m.insert("window_end".into(), format_time(flag.start + width).into());
    m.insert("last_event".into(), format_time(last).into());
    m.insert("window_seconds".into(), json!(width as f64 / 1e6));
    m.insert(
        "sample_paths".into(),
        flag.events
            .iter()
            .take(SAMPLE)
            .map(|(_, r)| &*r.path)
            .collect::<Vec<_>>()
            .into(),
    );
    m.insert("distinct_paths".into(), distinct.into());
    m.insert(
        "operations".into(),
        ops.into_iter().collect::<Vec<_>>().into(),
    );
    m.insert("distinct_addresses".into(), addrs.len().into());
    m.insert(
        "remote_addresses".into(),
        addrs.into_iter().take(SAMPLE).collect::<Vec<_>>().into(),
    );
    m.insert("identity".into(), identity_json(cx.identity(key)));
    (first.src, first.line, m)
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

/// The hit of a flagged window: "`subject` `count` `what` in the …s window from … (threshold …)".
pub fn window_hit(
    rule: &'static str,
    flag: Flag<'_, Seen>,
    key: &str,
    (width, threshold): (i64, usize),
    subject: &str,
    what: &str,
    cx: &Ctx<'_>,
) -> Hit {
    let start = flag.start;
    let count = flag.events.len();
    let (src, line, evidence) = flagged(flag, key, width, threshold, cx);
    Hit {
        rule,
        severity: None,
        src,
        line,
        message: format!(
            "{subject} {count} {what} in the {}s window from {} (threshold {threshold})",
            width / 1_000_000,
            format_time(start)
        ),
        identity: format!("{rule}/{key}/{}", format_time(start)),
        evidence,
    }
}

fn report(flag: Flag<'_, Seen>, key: &str, w: Windowed, threshold: usize, cx: &mut Ctx<'_>) {
    let subject = format!(
        "token {}{} made",
        short_accessor(key),
        identity_label(cx.identity(key))
    );
    let hit = window_hit(
        "AUD001",
        flag,
        key,
        (w.window, threshold),
        &subject,
        "successful read/list requests",
        cx,
    );
    cx.hits.push(hit);
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
