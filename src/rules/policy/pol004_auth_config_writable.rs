//! POL004 — Auth method configuration is writable: W capabilities (create, update, patch,
//! delete, sudo) on `sys/auth/<name>` or `auth/<mount>/config` (critical), on
//! `auth/<mount>/role/<name>` or `auth/<mount>/certs/<name>` (high), on
//! `auth/<mount>/role/<name>/secret-id` (secret-ID minting, medium). Mount names are the ones
//! the policy's own rules name, plus any other.

use super::{has_w, run_probes, Probe};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct AuthConfigWritable;

const PROBES: &[Probe] = &[
    Probe {
        pattern: "sys/auth/<x>",
        severity: Severity::Critical,
        what: "enabling and disabling auth methods",
        when: has_w,
    },
    Probe {
        pattern: "auth/<m>/config",
        severity: Severity::Critical,
        what: "auth method configuration",
        when: has_w,
    },
    Probe {
        pattern: "auth/<m>/role/<x>",
        severity: Severity::High,
        what: "auth roles: which identities log in and with which policies",
        when: has_w,
    },
    Probe {
        pattern: "auth/<m>/certs/<x>",
        severity: Severity::High,
        what: "trusted certificates of cert auth",
        when: has_w,
    },
    Probe {
        pattern: "auth/<m>/role/<x>/secret-id",
        severity: Severity::Medium,
        what: "AppRole secret-ID minting",
        when: has_w,
    },
];

impl Rule for AuthConfigWritable {
    fn id(&self) -> &'static str {
        "POL004"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        run_probes(
            inv,
            PROBES,
            "a token with this policy can change who logs in and with which policies",
            out,
        );
    }
}
