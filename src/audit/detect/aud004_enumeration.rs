//! AUD004 — enumeration: ≥ threshold (20) successful `list` requests on KV paths
//! (`*/metadata/*`, or a `kv`/`generic` mount) by one accessor within the window (5 min), with
//! AUD001's window semantics; and any successful list of a KV mount's root (`<mount>/`,
//! `<mount>/metadata/`), reported once per accessor and mount with a count.

use super::aud001_bulk_reads::{window_hit, Seen};
use super::{identity_label, short_accessor, Ctx, Detector, Hit};
use crate::audit::event::{Event, Op};
use crate::audit::record::format_time;
use crate::audit::window::Keyed;
use std::collections::HashMap;

#[derive(Default)]
pub struct Enumeration {
    windows: Option<Keyed<Seen>>,
    /// (accessor, root path) → index of its hit.
    roots: HashMap<(std::sync::Arc<str>, Box<str>), usize>,
}

/// A list on KV data: a `metadata` segment (KV v2) or a KV mount (v1).
fn is_kv_list(ev: &Event) -> bool {
    ev.op == Op::List
        && !ev.failed
        && !super::is_noise(ev)
        && (ev
            .mount_type
            .as_deref()
            .is_some_and(|m| matches!(m, "kv" | "generic"))
            || ev.path.split('/').skip(1).any(|s| s == "metadata"))
}

/// The mount root a list targets, if it is one (`secret/`, `secret/metadata/`).
fn mount_root(ev: &Event) -> Option<String> {
    let path = ev.path.trim_end_matches('/');
    let mount = match ev.mount_point.as_deref() {
        Some(m) if !m.is_empty() => m.trim_end_matches('/').to_owned(),
        _ => path.split('/').next()?.to_owned(),
    };
    (path == mount || path == format!("{mount}/metadata")).then(|| format!("{path}/"))
}

impl Detector for Enumeration {
    fn on_event(&mut self, ev: &Event, cx: &mut Ctx<'_>) {
        if !is_kv_list(ev) {
            return;
        }
        let w = cx.config.aud004;
        let windows = self.windows.get_or_insert_with(|| Keyed::new(w.window));
        let threshold = (!windows.knows(&ev.accessor))
            .then(|| cx.threshold("AUD004", &ev.accessor, w.threshold));
        if threshold == Some(None) {
            // Allow-listed: no window, no mount-root finding either.
            windows.push(&ev.accessor, ev.ts, Seen::of(ev), || None, |_, _, _| {});
            return;
        }
        if let Some(root) = mount_root(ev) {
            let allowed = cx.threshold("AUD004", &ev.accessor, w.threshold).is_none();
            if !allowed {
                let key = (ev.accessor.clone(), Box::from(root.as_str()));
                match self.roots.get(&key) {
                    Some(&i) => {
                        let n = cx.hits[i].evidence["count"].as_u64().unwrap_or(1) + 1;
                        cx.hits[i].evidence.insert("count".into(), n.into());
                    }
                    None => {
                        let id = cx.identity(&ev.accessor);
                        let mut evidence = serde_json::Map::new();
                        evidence.insert("accessor".into(), super::accessor_json(&ev.accessor));
                        evidence.insert("path".into(), root.clone().into());
                        evidence.insert("count".into(), 1.into());
                        evidence.insert("first_event".into(), format_time(ev.ts).into());
                        evidence.insert(
                            "remote_address".into(),
                            ev.addr.as_deref().map(str::to_owned).into(),
                        );
                        evidence.insert("identity".into(), super::identity_json(id));
                        let message = format!(
                            "token {}{} listed the root of mount `{root}` (enumerates every secret name)",
                            short_accessor(&ev.accessor),
                            identity_label(id)
                        );
                        self.roots.insert(key, cx.hits.len());
                        cx.hits.push(Hit {
                            rule: "AUD004",
                            severity: None,
                            src: ev.src,
                            line: ev.line,
                            message,
                            identity: format!("AUD004/{}/root/{root}", ev.accessor),
                            evidence,
                        });
                    }
                }
            }
        }
        windows.push(
            &ev.accessor,
            ev.ts,
            Seen::of(ev),
            || threshold.flatten(),
            |k, t, f| report(f, k, w.window, t, cx),
        );
    }

    fn finish(&mut self, _now: i64, cx: &mut Ctx<'_>) {
        let w = cx.config.aud004;
        if let Some(windows) = &mut self.windows {
            windows.finish(|k, t, f| report(f, k, w.window, t, cx));
        }
    }
}

fn report(
    flag: crate::audit::window::Flag<'_, Seen>,
    key: &str,
    width: i64,
    threshold: usize,
    cx: &mut Ctx<'_>,
) {
    let subject = format!(
        "token {}{} made",
        short_accessor(key),
        identity_label(cx.identity(key))
    );
    let hit = window_hit(
        "AUD004",
        flag,
        key,
        (width, threshold),
        &subject,
        "list requests on secret paths",
        cx,
    );
    cx.hits.push(hit);
}
