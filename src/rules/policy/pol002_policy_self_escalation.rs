//! POL002 — Policy can rewrite policies: the governing rule for `sys/policies/acl/<name>`,
//! `sys/policy/<name>` (or anything under `sys/policies/`) grants create, update or patch.

use super::{run_probes, Probe};
use crate::model::inventory::Inventory;
use crate::policy::{Capability, Caps};
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct PolicySelfEscalation;

fn writes(c: Caps) -> bool {
    !c.is_deny()
        && [Capability::Create, Capability::Update, Capability::Patch]
            .into_iter()
            .any(|x| c.contains(x))
}

const PROBES: &[Probe] = &[
    Probe {
        pattern: "sys/policies/acl/<x>",
        severity: Severity::Critical,
        what: "ACL policy management",
        when: writes,
    },
    Probe {
        pattern: "sys/policy/<x>",
        severity: Severity::Critical,
        what: "ACL policy management, legacy endpoint",
        when: writes,
    },
    Probe {
        pattern: "sys/policies/<x>/<x>",
        severity: Severity::Critical,
        what: "policy management",
        when: writes,
    },
];

impl Rule for PolicySelfEscalation {
    fn id(&self) -> &'static str {
        "POL002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        run_probes(
            inv,
            PROBES,
            "a token with this policy can rewrite any policy, including its own, and grant itself anything",
            out,
        );
    }
}
