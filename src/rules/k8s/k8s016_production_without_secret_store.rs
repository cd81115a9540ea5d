//! K8S016 — Production workload without a secret-store integration (opt-in): a Deployment in
//! a namespace matching option `K8S016.production_namespaces` (globs; the rule is silent
//! until it is set) without Vault Agent injection that reads a Secret (`secretKeyRef`,
//! `envFrom.secretRef`, a secret volume) no secret-store operator (ESO/VSO) syncs. At the first
//! such reference; the others are related locations.

use crate::model::inventory::Inventory;
use crate::model::netpol::consumer::{injection_enabled, secret_refs};
use crate::rules::{Context, Emitter, Rule};
use globset::{Glob, GlobSetBuilder};

pub struct ProductionWithoutSecretStore;

impl Rule for ProductionWithoutSecretStore {
    fn id(&self) -> &'static str {
        "K8S016"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let Some(patterns) = cx.config.option("K8S016", "production_namespaces") else {
            return;
        };
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            match Glob::new(p) {
                Ok(g) => {
                    b.add(g);
                }
                Err(e) => out.not_evaluated(
                    crate::location::Location::new(
                        "<config>".into(),
                        crate::location::Span::file_start(),
                    ),
                    format!("production_namespaces pattern `{p}` is not a glob: {e}"),
                ),
            }
        }
        let Ok(production) = b.build() else { return };
        let consumers = inv.netpol().consumers();
        for w in inv.workloads().filter(|w| w.object.kind == "Deployment") {
            let ns = &w.object.namespace;
            if !production.is_match(ns.as_str()) || injection_enabled(&w) {
                continue;
            }
            let raw: Vec<_> = secret_refs(&w)
                .into_iter()
                .filter(|r| consumers.synced_by(ns, r.name).is_none())
                .collect();
            let Some(first) = raw.first() else { continue };
            let f = out.report(
                w.object.location(first.span),
                format!("{} runs in production namespace `{ns}` on Kubernetes Secret `{}` ({}) that no secret-store operator syncs, and without Vault Agent injection", w.object.display(), first.name, first.via),
            );
            for r in raw.iter().skip(1) {
                f.related(
                    w.object.location(r.span),
                    format!("also reads Secret `{}` ({})", r.name, r.via),
                );
            }
            f.identity(format!("{}/secret-store", w.object.identity()));
        }
    }
}
