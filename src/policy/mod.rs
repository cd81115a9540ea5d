//! Vault/OpenBao ACL policies, offline: parse policy files into path rules and evaluate which
//! capabilities a token holding a set of policies has on a request path (RULES-SPEC §2).
//!
//! The semantics follow OpenBao's `internal/vault/policy/{policy,acl}.go` (read at df6ce2ce)
//! and are checked against a real `bao server -dev` by `tests/policy_differential.rs`.

pub mod acl;
pub mod cli;
pub mod parse;
pub mod prefixes;

pub use acl::{Acl, Decision, Dialect, Governing, Step};
pub use parse::{
    from_hcl_doc, parse_policy_body, parse_policy_text, PathRule, Policy, PolicyError, RuleKind,
};

/// One capability a path rule grants. OpenBao's set (`scan` is OpenBao-only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capability {
    Deny,
    Create,
    Read,
    Update,
    Delete,
    List,
    Sudo,
    Patch,
    Scan,
}

impl Capability {
    pub const ALL: [Capability; 9] = [
        Capability::Deny,
        Capability::Create,
        Capability::Read,
        Capability::Update,
        Capability::Delete,
        Capability::List,
        Capability::Sudo,
        Capability::Patch,
        Capability::Scan,
    ];

    pub fn parse(s: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Deny => "deny",
            Capability::Create => "create",
            Capability::Read => "read",
            Capability::Update => "update",
            Capability::Delete => "delete",
            Capability::List => "list",
            Capability::Sudo => "sudo",
            Capability::Patch => "patch",
            Capability::Scan => "scan",
        }
    }

    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// A set of capabilities as a bitmap (what Vault keeps per rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Caps(u16);

/// Capabilities in the order `bao token capabilities` and `sys/capabilities` print them:
/// `Core.Capabilities` sorts the names with `sort.Strings`, i.e. alphabetically (the ACL's
/// own sudo/read/list/… order never reaches the user).
const PRINT_ORDER: [Capability; 8] = [
    Capability::Create,
    Capability::Delete,
    Capability::List,
    Capability::Patch,
    Capability::Read,
    Capability::Scan,
    Capability::Sudo,
    Capability::Update,
];

impl Caps {
    pub const NONE: Caps = Caps(0);
    pub const DENY: Caps = Caps(Capability::Deny.bit());

    pub fn with(self, c: Capability) -> Caps {
        Caps(self.0 | c.bit())
    }
    pub fn union(self, o: Caps) -> Caps {
        Caps(self.0 | o.0)
    }
    pub fn contains(self, c: Capability) -> bool {
        self.0 & c.bit() != 0
    }
    pub fn is_deny(self) -> bool {
        self.contains(Capability::Deny)
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// What a token is effectively granted: nothing when the rule is `deny` or empty.
    pub fn granted(self) -> impl Iterator<Item = Capability> {
        let live = !self.is_deny();
        PRINT_ORDER
            .into_iter()
            .filter(move |c| live && self.contains(*c))
    }
    /// The names Vault/OpenBao print for this set: sorted alphabetically, `["deny"]` when
    /// nothing is granted (explicit deny or no capability at all).
    pub fn names(self) -> Vec<&'static str> {
        let v: Vec<&'static str> = self.granted().map(Capability::as_str).collect();
        if v.is_empty() {
            vec!["deny"]
        } else {
            v
        }
    }
}

impl FromIterator<Capability> for Caps {
    fn from_iter<I: IntoIterator<Item = Capability>>(iter: I) -> Caps {
        iter.into_iter().fold(Caps::NONE, Caps::with)
    }
}
