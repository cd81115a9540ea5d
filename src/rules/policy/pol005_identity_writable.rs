//! POL005 — Identity store writable: W capabilities on entities, groups and their aliases (a
//! token can add its own entity to a privileged group; group policies join every token of
//! the entity). `identity/lookup/*` is not the store and is not probed.

use super::{has_w, run_probes, Probe};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct IdentityWritable;

macro_rules! probe {
    ($p:literal, $what:literal) => {
        Probe {
            pattern: $p,
            severity: Severity::High,
            what: $what,
            when: has_w,
        }
    };
}

const PROBES: &[Probe] = &[
    probe!("identity/group", "identity groups"),
    probe!("identity/group/<x>/<x>", "identity groups"),
    probe!("identity/group-alias", "identity group aliases"),
    probe!("identity/group-alias/<x>/<x>", "identity group aliases"),
    probe!("identity/entity", "identity entities"),
    probe!("identity/entity/<x>/<x>", "identity entities"),
    probe!("identity/entity/merge", "identity entity merge"),
    probe!("identity/entity-alias", "identity entity aliases"),
    probe!("identity/entity-alias/<x>/<x>", "identity entity aliases"),
];

impl Rule for IdentityWritable {
    fn id(&self) -> &'static str {
        "POL005"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        run_probes(
            inv,
            PROBES,
            "a token with this policy can edit entities or group membership and so inherit any group's policies",
            out,
        );
    }
}
