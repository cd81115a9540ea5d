//! VSO006 — Static secret drift detection disabled: `VaultStaticSecret.spec.hmacSecretData:
//! false` (default true) stops VSO from detecting changes to the destination Secret — and
//! disables `rolloutRestartTargets`.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Typed;

pub struct StaticDriftDetectionOff;

impl Rule for StaticDriftDetectionOff {
    fn id(&self) -> &'static str {
        "VSO006"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for s in super::of_kind(inv, &["VaultStaticSecret"]) {
            let Some(e) = s.get(&["spec"]).and_then(|x| x.entry("hmacSecretData")) else {
                continue;
            };
            if e.value.typed() != Some(Typed::Bool(false)) {
                continue;
            }
            out.report(
                s.location(e.value.span),
                format!("{} sets hmacSecretData: false: edits to the destination Secret go undetected and rolloutRestartTargets no longer fire", s.display()),
            )
            .identity(format!("{}/hmacSecretData", s.identity()));
        }
    }
}
