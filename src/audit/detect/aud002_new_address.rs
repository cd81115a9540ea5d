//! AUD002 — a token used from a new source address. With `now` the latest event time (or
//! `--now`), per accessor: baseline B = addresses seen in `[now − baseline, now − detect)`,
//! alert on addresses seen in `[now − detect, now]` that are not in B, when B is non-empty. A
//! login response records the new token's address at birth; a token with an empty B is
//! compared against that login address instead (new tokens are not alerted on otherwise).
//!
//! Exact in one pass without keeping every sighting: per (accessor, address) we keep the
//! first and last sighting, the start of the current *run* (consecutive sightings at most
//! `g = min(detect, baseline − detect)` apart) and the last sighting before that run. If the
//! run started before `now − detect`, it has a sighting in `[now − detect − g, now − detect)`,
//! which lies inside the baseline range; otherwise the last sighting before the detection
//! range is the one before the run.

use super::{identity_label, short_accessor, Ctx, Detector, Hit, Note};
use crate::audit::event::Event;
use crate::audit::record::format_time;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// One run of sightings: consecutive sightings at most `g` apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub start: i64,
    pub end: i64,
    /// Where the run started (not kept across baseline files).
    #[serde(skip)]
    pub loc: Option<(u32, u64)>,
}

/// The sightings of one address for one accessor: the recent runs (those ending within
/// `detect + g` of the last sighting — at most `detect / g + 2` of them) and the last
/// sighting before them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sight {
    pub first: i64,
    pub runs: std::collections::VecDeque<Run>,
    pub older: Option<i64>,
}

impl Sight {
    fn new(ts: i64, loc: Option<(u32, u64)>) -> Sight {
        Sight {
            first: ts,
            runs: [Run {
                start: ts,
                end: ts,
                loc,
            }]
            .into(),
            older: None,
        }
    }
    fn last(&self) -> i64 {
        self.runs.back().map_or(i64::MIN, |r| r.end)
    }
    fn see(&mut self, ts: i64, gap: i64, detect: i64, loc: Option<(u32, u64)>) {
        let last = self.last();
        if ts < last {
            // Late event: it only matters as an earlier sighting.
            self.first = self.first.min(ts);
            return;
        }
        match self.runs.back_mut() {
            Some(r) if ts - r.end <= gap => r.end = ts,
            _ => self.runs.push_back(Run {
                start: ts,
                end: ts,
                loc,
            }),
        }
        // Runs ending before `last − detect − gap` only matter through their end.
        let horizon = ts.saturating_sub(detect).saturating_sub(gap);
        while self.runs.len() > 1 && self.runs[0].end < horizon {
            let r = self.runs.pop_front().expect("non-empty");
            self.older = Some(r.end);
        }
    }
    /// Seen in `[now − baseline, now − detect)`. Runs are dense (gaps ≤ g ≤ baseline −
    /// detect), so a run that starts before `hi` and reaches it has a sighting in
    /// `[hi − g, hi)`, inside the range.
    fn in_baseline(&self, now: i64, baseline: i64, detect: i64) -> bool {
        let (lo, hi) = (now - baseline, now - detect);
        if lo >= hi {
            return false;
        }
        self.older.is_some_and(|o| o >= lo && o < hi)
            || self
                .runs
                .iter()
                .any(|r| r.start < hi && (r.end >= hi || r.end >= lo))
    }
    /// Seen in `[now − detect, now]`.
    fn in_detect(&self, now: i64, detect: i64) -> bool {
        self.last() >= now - detect
    }
    /// The first sighting in `[now − detect, now]` of an address not in the baseline: the
    /// start of the first run reaching into the range.
    fn first_in_detect(&self, now: i64, detect: i64) -> Option<&Run> {
        self.runs.iter().find(|r| r.end >= now - detect)
    }
}

/// One accessor's addresses and birth (login) address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub addresses: BTreeMap<String, Sight>,
    pub birth: Option<(String, i64)>,
}

/// The detector; its state is what `--write-baseline` saves.
#[derive(Default)]
pub struct NewAddress {
    pub tokens: HashMap<Arc<str>, Token>,
    /// Distinct addresses over all tokens, up to 2 (to tell when every request came from one
    /// address — a proxy — which blinds the rule).
    addresses: Vec<Box<str>>,
    sightings: u64,
}

impl NewAddress {
    /// Starts from a saved baseline.
    pub fn with_tokens(tokens: HashMap<Arc<str>, Token>) -> NewAddress {
        NewAddress {
            tokens,
            ..NewAddress::default()
        }
    }

    fn see(
        &mut self,
        accessor: &Arc<str>,
        addr: &str,
        ts: i64,
        (gap, detect): (i64, i64),
        loc: Option<(u32, u64)>,
    ) {
        self.sightings += 1;
        if self.addresses.len() < 2 && !self.addresses.iter().any(|a| &**a == addr) {
            self.addresses.push(addr.into());
        }
        let t = self.tokens.entry(accessor.clone()).or_default();
        match t.addresses.get_mut(addr) {
            Some(s) => s.see(ts, gap, detect, loc),
            None => {
                t.addresses.insert(addr.to_owned(), Sight::new(ts, loc));
            }
        }
    }

    /// Drops what can no longer matter at `now` (older than the baseline range).
    pub fn prune(&mut self, now: i64, baseline: i64) {
        let lo = now - baseline;
        self.tokens.retain(|_, t| {
            t.addresses.retain(|_, s| s.last() >= lo);
            if t.birth.as_ref().is_some_and(|(_, ts)| *ts < lo) {
                t.birth = None;
            }
            !t.addresses.is_empty() || t.birth.is_some()
        });
    }
}

impl Detector for NewAddress {
    fn address_state(&mut self) -> Option<&mut NewAddress> {
        Some(self)
    }

    fn on_event(&mut self, ev: &Event, cx: &mut Ctx<'_>) {
        let cfg = cx.config.aud002;
        let gap = cfg.detect.min(cfg.baseline - cfg.detect);
        let loc = Some((ev.src, ev.line));
        if let (Some(issued), Some(addr)) = (&ev.issued, &ev.addr) {
            if let Some(acc) = issued
                .accessor
                .as_deref()
                .filter(|_| super::is_login(&ev.path))
            {
                let acc: Arc<str> = Arc::from(acc);
                self.tokens.entry(acc.clone()).or_default().birth = Some((addr.to_string(), ev.ts));
                cx.identities
                    .entry(acc.clone())
                    .or_insert_with(|| Box::new(issued.identity.clone()));
                self.see(&acc, addr, ev.ts, (gap, cfg.detect), loc);
            }
        }
        if !ev.has_accessor {
            return;
        }
        if let Some(addr) = &ev.addr {
            self.see(&ev.accessor, addr, ev.ts, (gap, cfg.detect), loc);
        }
    }

    fn finish(&mut self, now: i64, cx: &mut Ctx<'_>) {
        let cfg = cx.config.aud002;
        if self.addresses.len() == 1 && self.sightings > 1 {
            cx.notes.push(Note {
                rule: "AUD002",
                message: format!(
                    "AUD002 is blind here: all {} requests came from {} (a load balancer or proxy in front of Vault? configure it to pass the client address — see SRV012)",
                    self.sightings, self.addresses[0]
                ),
            });
        }
        let mut keys: Vec<&Arc<str>> = self.tokens.keys().collect();
        keys.sort();
        for acc in keys {
            let t = &self.tokens[acc];
            let mut baseline: Vec<&str> = t
                .addresses
                .iter()
                .filter(|(_, s)| s.in_baseline(now, cfg.baseline, cfg.detect))
                .map(|(a, _)| a.as_str())
                .collect();
            let mut compared_with_login = false;
            if baseline.is_empty() {
                match &t.birth {
                    Some((addr, ts)) if *ts >= now - cfg.baseline => {
                        baseline.push(addr.as_str());
                        compared_with_login = true;
                    }
                    _ => continue,
                }
            }
            // Each new address with the first run reaching into the detection range. A set
            // for membership: a token seen from thousands of addresses would otherwise compare
            // each with each.
            let known: std::collections::HashSet<&str> = baseline.iter().copied().collect();
            let new: Vec<(&String, &Run)> = t
                .addresses
                .iter()
                .filter(|(a, s)| s.in_detect(now, cfg.detect) && !known.contains(a.as_str()))
                .filter_map(|(a, s)| Some((a, s.first_in_detect(now, cfg.detect)?)))
                .collect();
            if new.is_empty() || cx.threshold("AUD002", acc, 1).is_none() {
                continue;
            }
            let first = new
                .iter()
                .map(|(_, r)| r)
                .min_by_key(|r| (r.start, r.loc))
                .expect("non-empty");
            let Some((src, line)) = first.loc else {
                continue;
            };
            let id = cx.identity(acc);
            let mut evidence = serde_json::Map::new();
            evidence.insert("accessor".into(), super::accessor_json(acc));
            evidence.insert("now".into(), format_time(now).into());
            evidence.insert("detect_from".into(), format_time(now - cfg.detect).into());
            evidence.insert(
                "baseline_from".into(),
                format_time(now - cfg.baseline).into(),
            );
            evidence.insert(
                "baseline_addresses".into(),
                baseline
                    .iter()
                    .take(super::SAMPLE)
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .into(),
            );
            evidence.insert(
                "compared_with_login_address".into(),
                compared_with_login.into(),
            );
            evidence.insert(
                "new_addresses".into(),
                new.iter()
                    .take(super::SAMPLE)
                    .map(|(a, s)| serde_json::json!({"address": a, "first_seen_in_window": format_time(s.start)}))
                    .collect::<Vec<_>>()
                    .into(),
            );
            evidence.insert("identity".into(), super::identity_json(id));
            let message = format!(
                "token {}{} used from new address{} {} since {} (baseline: {})",
                short_accessor(acc),
                identity_label(id),
                if new.len() == 1 { "" } else { "es" },
                new.iter()
                    .map(|(a, _)| a.as_str())
                    .take(5)
                    .collect::<Vec<_>>()
                    .join(", "),
                format_time(first.start),
                if compared_with_login {
                    format!("login from {}", baseline[0])
                } else {
                    baseline
                        .iter()
                        .take(5)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            );
            cx.hits.push(Hit {
                rule: "AUD002",
                severity: None,
                src,
                line,
                message,
                identity: format!(
                    "AUD002/{acc}/{}",
                    new.iter()
                        .map(|(a, _)| a.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                evidence,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const H: i64 = 3_600_000_000;

    /// The reference: every sighting kept.
    fn reference(times: &[i64], now: i64, baseline: i64, detect: i64) -> (bool, bool) {
        (
            times
                .iter()
                .any(|&t| t >= now - baseline && t < now - detect),
            times.iter().any(|&t| t >= now - detect && t <= now),
        )
    }

    #[test]
    fn run_summary_equals_keeping_every_sighting() {
        let mut seed = 42u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let (baseline, detect) =
                [(7 * 24 * H, H), (3 * H, H), (2 * H, H), (90, 60)][(next() % 4) as usize];
            let gap = detect.min(baseline - detect);
            let n = 1 + next() % 30;
            let mut t = 0;
            let times: Vec<i64> = (0..n)
                .map(|_| {
                    t += (next() % (3 * detect as u64 + 1)) as i64;
                    t
                })
                .collect();
            let now = t + (next() % (2 * detect as u64)) as i64;
            let mut s = Sight::new(times[0], None);
            for &x in &times[1..] {
                s.see(x, gap, detect, None);
            }
            assert_eq!(
                (
                    s.in_baseline(now, baseline, detect),
                    s.in_detect(now, detect)
                ),
                reference(&times, now, baseline, detect),
                "{times:?} now={now} b={baseline} d={detect}"
            );
        }
    }
}
