//! One `sealant audit` pass: inputs → parse (parallel) → merge by time → detectors.

use crate::audit::config::AuditConfig;
use crate::audit::detect::aud002_new_address::Token;
use crate::audit::detect::{self, Ctx, Hit, Note};
use crate::audit::event::Event;
use crate::audit::merge::Merger;
use crate::audit::reader::{self, Input, Message, Stats};
use std::collections::HashMap;
use std::sync::Arc;

/// What to analyse and how.
pub struct Options {
    pub inputs: Vec<Input>,
    pub config: AuditConfig,
    /// Rules to run (ids).
    pub rules: Vec<&'static str>,
    /// AUD002's `now` (default: the latest event time).
    pub now: Option<i64>,
    /// AUD002 state from `--baseline`.
    pub baseline: Option<HashMap<Arc<str>, Token>>,
    /// Parse threads (0: all cores).
    pub jobs: usize,
    /// Bytes per read block.
    pub block_size: usize,
}

/// One input's outcome.
#[derive(Debug, Clone)]
pub struct InputReport {
    pub name: String,
    pub stats: Stats,
    pub error: Option<String>,
}

/// Everything a pass produced.
pub struct Outcome {
    pub hits: Vec<Hit>,
    pub notes: Vec<Note>,
    pub inputs: Vec<InputReport>,
    /// Response entries analysed (after de-duplication).
    pub events: u64,
    pub late: u64,
    pub duplicates: u64,
    /// The `now` AUD002 used (`None` when no event had a time).
    pub now: Option<i64>,
    /// AUD002's state, pruned to the baseline range (for `--write-baseline`).
    pub address_state: Option<HashMap<Arc<str>, Token>>,
}

pub fn run(opts: Options) -> Outcome {
    let jobs = if opts.jobs == 0 {
        std::thread::available_parallelism().map_or(2, usize::from)
    } else {
        opts.jobs
    };
    let pool = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .expect("a thread pool"),
    );
    let pieces = if jobs == 1 { 1 } else { jobs * 4 };
    let receivers: Vec<_> = opts
        .inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            reader::spawn(
                input.clone(),
                i as u32,
                opts.block_size,
                pieces,
                pool.clone(),
            )
        })
        .collect();
    let mut reports: Vec<InputReport> = opts
        .inputs
        .iter()
        .map(|i| InputReport {
            name: i.name(),
            stats: Stats::default(),
            error: None,
        })
        .collect();
    let enabled = |id: &str| opts.rules.contains(&id);
    let mut detectors = detect::all(&enabled, &opts.config, opts.baseline);
    let mut cx = Ctx {
        config: &opts.config,
        identities: HashMap::new(),
        hits: Vec::new(),
        notes: Vec::new(),
    };
    let mut max_ts = i64::MIN;
    let mut events = 0u64;
    let mut dispatch = |ev: Event, cx: &mut Ctx<'_>| {
        events += 1;
        max_ts = max_ts.max(ev.ts);
        if let Some(id) = &ev.identity {
            if !cx.identities.contains_key(&ev.accessor) {
                cx.identities.insert(ev.accessor.clone(), id.clone());
            }
        }
        for d in &mut detectors {
            d.on_event(&ev, cx);
        }
    };
    let mut merger = Merger::new(opts.inputs.len(), opts.config.reorder_window);
    while let Some(i) = merger.next_input() {
        match receivers[i].recv() {
            Ok(Message::Block(p)) => {
                reports[i].stats.add(&p.stats);
                merger.push(i, p.events);
            }
            Ok(Message::Error(e)) => reports[i].error = Some(e.0),
            Err(_) => merger.finish(i),
        }
        merger.release(|ev| dispatch(ev, &mut cx));
    }
    merger.release(|ev| dispatch(ev, &mut cx));
    let now = opts.now.or((max_ts != i64::MIN).then_some(max_ts));
    let mut address_state = None;
    for d in &mut detectors {
        d.finish(now.unwrap_or(0), &mut cx);
        if let Some(a) = d.address_state() {
            if let Some(now) = now {
                a.prune(now, opts.config.aud002.baseline);
            }
            address_state = Some(std::mem::take(&mut a.tokens));
        }
    }
    let mut hits = cx.hits;
    hits.sort_by(|a, b| {
        (a.src, a.line, a.rule, &a.identity).cmp(&(b.src, b.line, b.rule, &b.identity))
    });
    Outcome {
        hits,
        notes: cx.notes,
        inputs: reports,
        events,
        late: merger.late,
        duplicates: merger.duplicates,
        now,
        address_state,
    }
}
