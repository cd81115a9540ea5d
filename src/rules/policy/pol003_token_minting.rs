//! POL003 — Token minting escalation: `update` on `auth/token/create[/<role>]` or
//! `auth/token/create-orphan` (critical with `sudo` on the same governing rule: any non-root
//! policy set, orphan and periodic tokens; low without it, children are limited to a subset of
//! the parent's policies); create/update on `auth/token/roles/<name>` (high). `create` alone on
//! the create endpoints grants nothing: the token store has no existence check, every write is
//! an update.

use super::{run_probes, Probe};
use crate::model::inventory::Inventory;
use crate::policy::{Capability, Caps};
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct TokenMinting;

fn update_sudo(c: Caps) -> bool {
    !c.is_deny() && c.contains(Capability::Update) && c.contains(Capability::Sudo)
}
fn update(c: Caps) -> bool {
    !c.is_deny() && c.contains(Capability::Update)
}
fn write_role(c: Caps) -> bool {
    !c.is_deny() && (c.contains(Capability::Update) || c.contains(Capability::Create))
}

const PROBES: &[Probe] = &[
    Probe {
        pattern: "auth/token/create",
        severity: Severity::Critical,
        what: "token creation with sudo: any policies, orphan and periodic tokens",
        when: update_sudo,
    },
    Probe {
        pattern: "auth/token/create/<x>",
        severity: Severity::Critical,
        what: "token creation against a role, with sudo",
        when: update_sudo,
    },
    Probe {
        pattern: "auth/token/create-orphan",
        severity: Severity::Critical,
        what: "orphan token creation with sudo",
        when: update_sudo,
    },
    Probe {
        pattern: "auth/token/roles/<x>",
        severity: Severity::High,
        what: "token roles, which carry allowed_policies",
        when: write_role,
    },
    Probe {
        pattern: "auth/token/create",
        severity: Severity::Low,
        what: "child token creation; without sudo limited to a subset of the parent's policies",
        when: update,
    },
    Probe {
        pattern: "auth/token/create/<x>",
        severity: Severity::Low,
        what: "token creation against a role, without sudo",
        when: update,
    },
    Probe {
        pattern: "auth/token/create-orphan",
        severity: Severity::Low,
        what: "orphan token creation, without sudo",
        when: update,
    },
];

impl Rule for TokenMinting {
    fn id(&self) -> &'static str {
        "POL003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        run_probes(inv, PROBES, "a token with this policy can mint tokens", out);
    }
}
