//! The brief's sliding-window count (`detect_bulk_reads`), in linear time and bounded memory.
//!
//! Semantics, per key, over events sorted by time (stable):
//! - the window of the event at position i is every event at a position ≥ i whose time is
//!   ≤ tᵢ + w (both ends inclusive; earlier events with an equal time are not in it);
//! - a position whose time is < t_f + w, where t_f is the start of the last flagged window, is
//!   skipped (so an event exactly at t_f + w may start the next window);
//! - otherwise, if its window holds ≥ threshold events, it is flagged.
//!
//! Two pointers: events queue up until an event later than front + w arrives (or the input
//! ends); then the queue is exactly the front's window. Each event is queued and dropped once;
//! a flagged window is walked once for its evidence, and flagged windows overlap at most in
//! their boundary events, so the whole pass is O(n).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// One key's window state. `T` is what the evidence needs of each event.
#[derive(Debug, Clone)]
pub struct Window<T> {
    width: i64,
    threshold: usize,
    queue: VecDeque<(i64, T)>,
    flagged_at: Option<i64>,
    /// Latest time pushed: a late event is treated as arriving at this time.
    last: i64,
}

/// A flagged window: its start time and events (in order).
pub struct Flag<'a, T> {
    pub start: i64,
    pub events: &'a VecDeque<(i64, T)>,
}

impl<T> Window<T> {
    pub fn new(width_micros: i64, threshold: usize) -> Window<T> {
        Window {
            width: width_micros,
            threshold: threshold.max(1),
            queue: VecDeque::new(),
            flagged_at: None,
            last: i64::MIN,
        }
    }

    /// Adds an event at `ts`; calls `on_flag` for each window completed by it.
    pub fn push(&mut self, ts: i64, item: T, mut on_flag: impl FnMut(Flag<'_, T>)) {
        let ts = ts.max(self.last);
        self.last = ts;
        while let Some(&(front, _)) = self.queue.front() {
            if ts <= front.saturating_add(self.width) {
                break;
            }
            self.settle_front(&mut on_flag);
        }
        self.queue.push_back((ts, item));
    }

    /// Ends the input: settles every queued start.
    pub fn finish(&mut self, mut on_flag: impl FnMut(Flag<'_, T>)) {
        while !self.queue.is_empty() {
            self.settle_front(&mut on_flag);
        }
    }

    /// The threshold in force for this key.
    pub fn threshold(&self) -> usize {
        self.threshold
    }

    /// The latest time pushed (`i64::MIN` before the first).
    pub fn last_time(&self) -> i64 {
        self.last
    }

    /// True when nothing is queued (the key's state can be dropped).
    pub fn is_idle(&self) -> bool {
        self.queue.is_empty()
    }

    /// The front's window is the whole queue: decide it, then drop the front.
    fn settle_front(&mut self, on_flag: &mut impl FnMut(Flag<'_, T>)) {
        let (front, _) = self.queue[0];
        let skipped = self
            .flagged_at
            .is_some_and(|f| front < f.saturating_add(self.width));
        if !skipped && self.queue.len() >= self.threshold {
            self.flagged_at = Some(front);
            on_flag(Flag {
                start: front,
                events: &self.queue,
            });
        }
        self.queue.pop_front();
    }
}

/// Windows per key (accessor, address), created on a key's first event with the threshold the
/// configuration gives its identity (`None`: allow-listed, never flagged). Keys idle for longer
/// than a window are settled and dropped as time moves on — no later event can fall in their
/// windows or be skipped by their last flag — so memory follows the active keys only.
pub struct Keyed<T> {
    width: i64,
    keys: HashMap<Arc<str>, Option<Window<T>>>,
    swept: i64,
}

impl<T> Keyed<T> {
    pub fn new(width_micros: i64) -> Keyed<T> {
        Keyed {
            width: width_micros,
            keys: HashMap::new(),
            swept: i64::MIN,
        }
    }

    /// True when the key has state (its threshold was decided).
    pub fn knows(&self, key: &str) -> bool {
        self.keys.contains_key(key)
    }

    /// Adds an event; `on_flag(key, threshold, flag)` for each window it completes.
    pub fn push(
        &mut self,
        key: &Arc<str>,
        ts: i64,
        item: T,
        threshold: impl FnOnce() -> Option<usize>,
        mut on_flag: impl FnMut(&str, usize, Flag<'_, T>),
    ) {
        let width = self.width;
        let slot = match self.keys.get_mut(key) {
            Some(s) => s,
            None => self
                .keys
                .entry(key.clone())
                .or_insert_with(|| threshold().map(|t| Window::new(width, t))),
        };
        if let Some(win) = slot {
            let t = win.threshold();
            win.push(ts, item, |f| on_flag(key, t, f));
        }
        if ts > self.swept.saturating_add(width.max(1_000_000)) {
            self.swept = ts;
            let cutoff = ts.saturating_sub(width);
            let mut idle: Vec<Arc<str>> = Vec::new();
            for (k, slot) in &mut self.keys {
                if let Some(win) = slot {
                    if win.last_time() < cutoff {
                        let t = win.threshold();
                        win.finish(|f| on_flag(k, t, f));
                        idle.push(k.clone());
                    }
                }
            }
            for k in idle {
                self.keys.remove(&k);
            }
        }
    }

    /// Ends the input: settles every key (in key order, for a stable output).
    pub fn finish(&mut self, mut on_flag: impl FnMut(&str, usize, Flag<'_, T>)) {
        let mut keys: Vec<_> = self.keys.drain().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, slot) in keys {
            if let Some(mut win) = slot {
                let t = win.threshold();
                win.finish(|f| on_flag(&k, t, f));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (start, count) of each flagged window for the times (sorted), width w, threshold k.
    fn flags(times: &[i64], w: i64, k: usize) -> Vec<(i64, usize)> {
        let mut win = Window::new(w, k);
        let mut out = Vec::new();
        for (i, &t) in times.iter().enumerate() {
            win.push(t, i, |f| out.push((f.start, f.events.len())));
        }
        win.finish(|f| out.push((f.start, f.events.len())));
        out
    }

    /// The brief's quadratic algorithm, transcribed, as the reference.
    fn brief(times: &[i64], w: i64, k: usize) -> Vec<(i64, usize)> {
        let mut out = Vec::new();
        let mut flagged: Option<i64> = None;
        for (i, &t) in times.iter().enumerate() {
            if flagged.is_some_and(|f| t < f + w) {
                continue;
            }
            let n = times[i..].iter().filter(|&&e| e <= t + w).count();
            if n >= k {
                flagged = Some(t);
                out.push((t, n));
            }
        }
        out
    }

    #[test]
    fn window_end_is_inclusive() {
        // 3 events in [0, 10]: the one at exactly 10 counts.
        assert_eq!(flags(&[0, 5, 10], 10, 3), [(0, 3)]);
        assert_eq!(flags(&[0, 5, 11], 10, 3), []);
    }

    #[test]
    fn an_event_at_the_flagged_end_starts_the_next_window() {
        // Flag at 0 covers [0,10]; 10 is not < 0+10, so it may start a window (and is counted
        // in both).
        assert_eq!(flags(&[0, 5, 10, 15, 20], 10, 3), [(0, 3), (10, 3)]);
    }

    #[test]
    fn starts_inside_a_flagged_window_are_skipped() {
        // 0..=9 flagged at 0; 9 starts inside it; 10 is free but alone.
        let t: Vec<i64> = (0..10).collect();
        assert_eq!(flags(&t, 10, 5), [(0, 10)]);
        assert_eq!(flags(&[0, 1, 2, 3, 4, 9, 11, 12, 13], 10, 5), [(0, 6)]);
    }

    #[test]
    fn equal_times_count_only_from_the_start_position_on() {
        // Five events at t=0: the window of the first holds all five; later ones are skipped.
        assert_eq!(flags(&[0, 0, 0, 0, 0], 0, 5), [(0, 5)]);
        // Width 0: a start at 0 is inside the window flagged at 0 only if 0 < 0 + 0 — never —
        // so the 2nd position (3 events from it on) flags again; the 3rd has only 2 left.
        assert_eq!(flags(&[0, 0, 0, 0], 0, 3), [(0, 4), (0, 3)]);
        assert_eq!(brief(&[0, 0, 0, 0], 0, 3), [(0, 4), (0, 3)]);
    }

    #[test]
    fn below_threshold_never_flags() {
        assert_eq!(flags(&[0, 100, 200], 10, 2), []);
    }

    #[test]
    fn late_events_are_clamped_to_the_latest_time() {
        let mut win = Window::new(10, 2);
        let mut out = Vec::new();
        win.push(20, (), |f| out.push(f.start));
        win.push(5, (), |f| out.push(f.start));
        win.finish(|f| out.push(f.start));
        assert_eq!(out, [20]);
    }

    #[test]
    fn matches_the_brief_on_many_random_sequences() {
        let mut seed = 0x9e3779b97f4a7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..2000 {
            let n = (next() % 60) as usize;
            let mut t = 0i64;
            let times: Vec<i64> = (0..n)
                .map(|_| {
                    t += (next() % 5) as i64;
                    t
                })
                .collect();
            let w = (next() % 12) as i64;
            let k = 1 + (next() % 8) as usize;
            assert_eq!(
                flags(&times, w, k),
                brief(&times, w, k),
                "{times:?} w={w} k={k}"
            );
        }
    }
}
