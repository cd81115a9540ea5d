//! Merges the inputs' event streams into one stream ordered by (time, input, line) — what a
//! stable sort of the concatenated inputs gives — with bounded memory: events wait in a heap
//! until no input can still produce an earlier one, assuming each input is ordered up to a
//! skew of `reorder` (Vault writes concurrent requests slightly out of order). An event that
//! arrives later than that is still delivered (counted as late). Responses seen on several
//! nodes (same `request.id` from different inputs) are delivered once.

use crate::audit::event::Event;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};

struct Queued(Event);

impl Queued {
    fn key(&self) -> (i64, u32, u64) {
        (self.0.ts, self.0.src, self.0.line)
    }
}
impl PartialEq for Queued {
    fn eq(&self, o: &Self) -> bool {
        self.key() == o.key()
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Queued {
    fn cmp(&self, o: &Self) -> Ordering {
        self.key().cmp(&o.key())
    }
}

/// Merge state.
pub struct Merger {
    heap: BinaryHeap<Reverse<Queued>>,
    /// Per input: the latest time seen, `None` before its first event; `done` when finished.
    max_seen: Vec<Option<i64>>,
    done: Vec<bool>,
    reorder: i64,
    last_released: i64,
    /// Events delivered after a later event had already been delivered.
    pub late: u64,
    /// Responses dropped as copies of one another input already delivered.
    pub duplicates: u64,
    /// request.id → (input, time) of responses seen, pruned as time moves on.
    seen_ids: HashMap<Box<str>, (u32, i64)>,
    inserts_since_prune: usize,
}

impl Merger {
    pub fn new(inputs: usize, reorder_micros: i64) -> Merger {
        Merger {
            heap: BinaryHeap::new(),
            max_seen: vec![None; inputs],
            done: vec![false; inputs],
            reorder: reorder_micros.max(0),
            last_released: i64::MIN,
            late: 0,
            duplicates: 0,
            seen_ids: HashMap::new(),
            inserts_since_prune: 0,
        }
    }

    /// The unfinished input that holds the merge back (least recent time), to read next.
    pub fn next_input(&self) -> Option<usize> {
        (0..self.done.len())
            .filter(|&i| !self.done[i])
            .min_by_key(|&i| (self.max_seen[i].unwrap_or(i64::MIN), i))
    }

    /// Adds an input's events (in its file order).
    pub fn push(&mut self, src: usize, events: Vec<Event>) {
        let multi = self.max_seen.len() > 1;
        for ev in events {
            let m = &mut self.max_seen[src];
            *m = Some(m.map_or(ev.ts, |m| m.max(ev.ts)));
            if multi {
                if let Some(id) = ev.id.as_deref().filter(|id| !id.is_empty()) {
                    match self.seen_ids.get(id) {
                        Some(&(s, _)) if s != ev.src => {
                            self.duplicates += 1;
                            continue;
                        }
                        Some(_) => {}
                        None => {
                            self.seen_ids.insert(Box::from(id), (ev.src, ev.ts));
                            self.inserts_since_prune += 1;
                        }
                    }
                }
            }
            self.heap.push(Reverse(Queued(ev)));
        }
        if self.inserts_since_prune > 1 << 16 {
            self.prune();
        }
    }

    /// Marks an input finished.
    pub fn finish(&mut self, src: usize) {
        self.done[src] = true;
    }

    /// Drops remembered ids far older than anything still to come (copies arrive within the
    /// reorder skew of each other; a generous margin keeps slow nodes covered).
    fn prune(&mut self) {
        let horizon = self
            .last_released
            .saturating_sub(self.reorder.max(60_000_000) * 4);
        self.seen_ids.retain(|_, (_, ts)| *ts >= horizon);
        self.inserts_since_prune = 0;
    }

    /// Delivers, in order, every event no unfinished input can precede any more.
    pub fn release(&mut self, mut deliver: impl FnMut(Event)) {
        let watermark = (0..self.done.len())
            .filter(|&i| !self.done[i])
            .map(|i| self.max_seen[i].map_or(i64::MIN, |m| m.saturating_sub(self.reorder)))
            .min()
            .unwrap_or(i64::MAX);
        while let Some(Reverse(top)) = self.heap.peek() {
            if watermark != i64::MAX && top.0.ts >= watermark {
                break;
            }
            let Reverse(Queued(ev)) = self.heap.pop().expect("peeked");
            if ev.ts < self.last_released {
                self.late += 1;
            } else {
                self.last_released = ev.ts;
            }
            deliver(ev);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::event::Op;
    use std::sync::Arc;

    fn ev(ts: i64, src: u32, line: u64, id: &str) -> Event {
        Event {
            ts,
            src,
            line,
            id: Some(id.into()),
            accessor: Arc::from("a"),
            has_accessor: true,
            op: Op::Read,
            path: "p".into(),
            mount_type: None,
            mount_point: None,
            addr: None,
            failed: false,
            denied: false,
            root_use: false,
            issued: None,
            identity: None,
        }
    }

    fn run(inputs: Vec<Vec<Event>>, reorder: i64, batch: usize) -> (Vec<(i64, u32, u64)>, u64) {
        let mut m = Merger::new(inputs.len(), reorder);
        let mut queues: Vec<std::collections::VecDeque<Event>> =
            inputs.into_iter().map(Into::into).collect();
        let mut out = Vec::new();
        while let Some(i) = m.next_input() {
            let chunk: Vec<Event> = (0..batch).filter_map(|_| queues[i].pop_front()).collect();
            if chunk.is_empty() {
                m.finish(i);
            } else {
                m.push(i, chunk);
            }
            m.release(|e| out.push((e.ts, e.src, e.line)));
        }
        m.release(|e| out.push((e.ts, e.src, e.line)));
        (out, m.duplicates)
    }

    #[test]
    fn merges_like_a_stable_sort_of_the_concatenation() {
        let a = vec![ev(5, 0, 1, "a1"), ev(3, 0, 2, "a2"), ev(9, 0, 3, "a3")];
        let b = vec![ev(3, 1, 1, "b1"), ev(5, 1, 2, "b2"), ev(7, 1, 3, "b3")];
        let (out, dups) = run(vec![a, b], 10, 1);
        assert_eq!(
            out,
            [
                (3, 0, 2),
                (3, 1, 1),
                (5, 0, 1),
                (5, 1, 2),
                (7, 1, 3),
                (9, 0, 3)
            ]
        );
        assert_eq!(dups, 0);
    }

    #[test]
    fn copies_from_other_nodes_are_dropped_once() {
        let a = vec![ev(1, 0, 1, "x"), ev(2, 0, 2, "y")];
        let b = vec![ev(1, 1, 1, "x"), ev(3, 1, 2, "z")];
        let (out, dups) = run(vec![a, b], 0, 5);
        assert_eq!(out, [(1, 0, 1), (2, 0, 2), (3, 1, 2)]);
        assert_eq!(dups, 1);
    }
}
