//! AUD005 — permission-denied burst: ≥ threshold (20) failed responses whose error says
//! `permission denied` for one accessor, or failed logins for one `remote_address` (no token
//! yet), within the window (5 min), with AUD001's window semantics.

use super::aud001_bulk_reads::{window_hit, Seen};
use super::{identity_label, is_login, short_accessor, Ctx, Detector};
use crate::audit::event::Event;
use crate::audit::window::{Flag, Keyed};
use std::sync::Arc;

/// Prefix of the keys of unauthenticated login failures (by source address).
const ADDR_KEY: &str = "address:";

#[derive(Default)]
pub struct DeniedBurst {
    windows: Option<Keyed<Seen>>,
}

/// The key a failure counts under, if it counts.
fn key(ev: &Event) -> Option<Arc<str>> {
    if !ev.failed {
        return None;
    }
    if ev.has_accessor {
        return ev.denied.then(|| ev.accessor.clone());
    }
    if is_login(&ev.path) {
        return Some(Arc::from(
            format!("{ADDR_KEY}{}", ev.addr.as_deref().unwrap_or("unknown")).as_str(),
        ));
    }
    ev.denied.then(|| ev.accessor.clone())
}

impl Detector for DeniedBurst {
    fn on_event(&mut self, ev: &Event, cx: &mut Ctx<'_>) {
        let Some(k) = key(ev) else { return };
        let w = cx.config.aud005;
        let windows = self.windows.get_or_insert_with(|| Keyed::new(w.window));
        let threshold = (!windows.knows(&k)).then(|| cx.threshold("AUD005", &k, w.threshold));
        windows.push(
            &k,
            ev.ts,
            Seen::of(ev),
            || threshold.flatten(),
            |k, t, f| report(f, k, w.window, t, cx),
        );
    }

    fn finish(&mut self, _now: i64, cx: &mut Ctx<'_>) {
        let w = cx.config.aud005;
        if let Some(windows) = &mut self.windows {
            windows.finish(|k, t, f| report(f, k, w.window, t, cx));
        }
    }
}

fn report(flag: Flag<'_, Seen>, key: &str, width: i64, threshold: usize, cx: &mut Ctx<'_>) {
    let (subject, what) = match key.strip_prefix(ADDR_KEY) {
        Some(addr) => (format!("logins from {addr} failed"), "times"),
        None => (
            format!(
                "token {}{} was denied",
                short_accessor(key),
                identity_label(cx.identity(key))
            ),
            "times",
        ),
    };
    let mut hit = window_hit("AUD005", flag, key, (width, threshold), &subject, what, cx);
    if let Some(addr) = key.strip_prefix(ADDR_KEY) {
        hit.evidence
            .insert("accessor".into(), serde_json::Value::Null);
        hit.evidence.insert("login_source".into(), addr.into());
    }
    cx.hits.push(hit);
}
