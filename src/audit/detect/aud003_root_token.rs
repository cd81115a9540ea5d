//! AUD003 — root token use or creation: a response whose caller carries the `root` policy (or
//! is the `root` display name of the initial/generated root token), aggregated into one
//! finding per token with a count; and every response that issues a token with the `root`
//! policy (`auth/token/create` by a root parent, `sys/generate-root` completion). Silent inside
//! the configured break-glass windows (counted in a note).

use super::{identity_label, short_accessor, Ctx, Detector, Hit, Note};
use crate::audit::event::Event;
use crate::audit::record::format_time;
use std::collections::{BTreeSet, HashMap};

#[derive(Default)]
pub struct RootToken {
    /// accessor → index of its use hit, with the distinct paths and addresses seen.
    uses: HashMap<std::sync::Arc<str>, (usize, Vec<String>, BTreeSet<String>)>,
    in_break_glass: u64,
}

impl Detector for RootToken {
    fn on_event(&mut self, ev: &Event, cx: &mut Ctx<'_>) {
        let issued_root = ev.issued.as_ref().is_some_and(|i| i.root);
        if !ev.root_use && !issued_root {
            return;
        }
        if cx.config.in_break_glass(ev.ts).is_some() {
            self.in_break_glass += 1;
            return;
        }
        if cx.threshold("AUD003", &ev.accessor, 1).is_none() {
            return;
        }
        if issued_root {
            let mut evidence = serde_json::Map::new();
            evidence.insert("accessor".into(), super::accessor_json(&ev.accessor));
            evidence.insert(
                "issued_accessor".into(),
                ev.issued
                    .as_ref()
                    .and_then(|i| i.accessor.as_deref())
                    .map(str::to_owned)
                    .into(),
            );
            evidence.insert("path".into(), ev.path.to_string().into());
            evidence.insert("time".into(), format_time(ev.ts).into());
            evidence.insert(
                "remote_address".into(),
                ev.addr.as_deref().map(str::to_owned).into(),
            );
            evidence.insert(
                "identity".into(),
                super::identity_json(cx.identity(&ev.accessor)),
            );
            cx.hits.push(Hit {
                rule: "AUD003",
                severity: None,
                src: ev.src,
                line: ev.line,
                message: format!(
                    "a token with the root policy was issued by `{}` at {} (caller {}{})",
                    ev.path,
                    format_time(ev.ts),
                    short_accessor(&ev.accessor),
                    identity_label(cx.identity(&ev.accessor)),
                ),
                identity: format!(
                    "AUD003/issued/{}",
                    ev.issued
                        .as_ref()
                        .and_then(|i| i.accessor.as_deref())
                        .unwrap_or(ev.id.as_deref().unwrap_or(""))
                ),
                evidence,
            });
        }
        if !ev.root_use {
            return;
        }
        match self.uses.get_mut(&ev.accessor) {
            Some((i, paths, addrs)) => {
                let h = &mut cx.hits[*i];
                let n = h.evidence["count"].as_u64().unwrap_or(1) + 1;
                h.evidence.insert("count".into(), n.into());
                h.evidence
                    .insert("last_event".into(), format_time(ev.ts).into());
                if paths.len() < super::SAMPLE && !paths.iter().any(|p| **p == *ev.path) {
                    paths.push(ev.path.to_string());
                    h.evidence
                        .insert("distinct_paths".into(), paths.clone().into());
                }
                if let Some(a) = &ev.addr {
                    if addrs.insert(a.to_string()) {
                        h.evidence.insert(
                            "remote_addresses".into(),
                            addrs.iter().cloned().collect::<Vec<_>>().into(),
                        );
                    }
                }
            }
            None => {
                let id = cx.identity(&ev.accessor);
                let addrs: BTreeSet<String> = ev.addr.iter().map(|a| a.to_string()).collect();
                let mut evidence = serde_json::Map::new();
                evidence.insert("accessor".into(), super::accessor_json(&ev.accessor));
                evidence.insert("count".into(), 1.into());
                evidence.insert("first_event".into(), format_time(ev.ts).into());
                evidence.insert("last_event".into(), format_time(ev.ts).into());
                evidence.insert("distinct_paths".into(), vec![ev.path.to_string()].into());
                evidence.insert(
                    "remote_addresses".into(),
                    addrs.iter().cloned().collect::<Vec<_>>().into(),
                );
                evidence.insert("identity".into(), super::identity_json(id));
                let message = format!(
                    "root token {}{} in use from {} (first request `{}`)",
                    short_accessor(&ev.accessor),
                    identity_label(id),
                    format_time(ev.ts),
                    ev.path
                );
                self.uses.insert(
                    ev.accessor.clone(),
                    (cx.hits.len(), vec![ev.path.to_string()], addrs),
                );
                cx.hits.push(Hit {
                    rule: "AUD003",
                    severity: None,
                    src: ev.src,
                    line: ev.line,
                    message,
                    identity: format!("AUD003/use/{}", ev.accessor),
                    evidence,
                });
            }
        }
    }

    fn finish(&mut self, _now: i64, cx: &mut Ctx<'_>) {
        if self.in_break_glass > 0 {
            cx.notes.push(Note {
                rule: "AUD003",
                message: format!(
                    "{} root-token response(s) fell inside configured break-glass windows and were not reported",
                    self.in_break_glass
                ),
            });
        }
    }
}
