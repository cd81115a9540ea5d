//! AUD006 — security-relevant configuration changes: successful writes (create, update,
//! patch, delete) to audit devices, ACL policies, auth methods, auth roles and configs,
//! secrets-engine mounts, and bulk lease revocation. High for disabling an audit device and
//! for policy/auth changes by an identity that is not an admin (`audit.admins`, or a root
//! token); medium otherwise. One finding per (token, path, operation), with a count.

use super::{identity_label, short_accessor, Ctx, Detector, Hit};
use crate::audit::event::{Event, Op};
use crate::audit::record::format_time;
use crate::rules::Severity;
use std::collections::HashMap;

/// What a path changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    AuditDevice,
    Policy,
    AuthMethod,
    AuthRole,
    AuthConfig,
    Mount,
    LeaseRevokePrefix,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::AuditDevice => "audit device",
            Kind::Policy => "ACL policy",
            Kind::AuthMethod => "auth method",
            Kind::AuthRole => "auth role",
            Kind::AuthConfig => "auth method configuration",
            Kind::Mount => "secrets engine mount",
            Kind::LeaseRevokePrefix => "bulk lease revocation",
        }
    }
    fn is_policy_or_auth(self) -> bool {
        matches!(
            self,
            Kind::Policy | Kind::AuthMethod | Kind::AuthRole | Kind::AuthConfig
        )
    }
}

fn classify(path: &str) -> Option<Kind> {
    let under = |p: &str| path.strip_prefix(p).is_some_and(|r| !r.is_empty());
    if under("sys/audit/") {
        return Some(Kind::AuditDevice);
    }
    if under("sys/policies/acl/") || under("sys/policy/") {
        return Some(Kind::Policy);
    }
    if under("sys/auth/") {
        return Some(Kind::AuthMethod);
    }
    if under("sys/mounts/") {
        return Some(Kind::Mount);
    }
    if path.starts_with("sys/leases/revoke-prefix/") || path.starts_with("sys/revoke-prefix/") {
        return Some(Kind::LeaseRevokePrefix);
    }
    if let Some(rest) = path.strip_prefix("auth/") {
        let segs: Vec<&str> = rest.split('/').collect();
        // auth/<mount…>/role/<name> (token roles: auth/token/roles/<name>), auth/<mount…>/config
        if segs.len() >= 3 {
            let n = segs.len();
            if segs[n - 2] == "role" || (segs[0] == "token" && segs[n - 2] == "roles") {
                return Some(Kind::AuthRole);
            }
        }
        if segs.len() >= 2 && segs[segs.len() - 1] == "config" {
            return Some(Kind::AuthConfig);
        }
    }
    None
}

#[derive(Default)]
pub struct ConfigChange {
    seen: HashMap<(std::sync::Arc<str>, Box<str>, Op), usize>,
}

impl Detector for ConfigChange {
    fn on_event(&mut self, ev: &Event, cx: &mut Ctx<'_>) {
        if ev.failed || !matches!(ev.op, Op::Create | Op::Update | Op::Patch | Op::Delete) {
            return;
        }
        let Some(kind) = classify(&ev.path) else {
            return;
        };
        let key = (ev.accessor.clone(), ev.path.clone(), ev.op);
        if let Some(&i) = self.seen.get(&key) {
            let n = cx.hits[i].evidence["count"].as_u64().unwrap_or(1) + 1;
            cx.hits[i].evidence.insert("count".into(), n.into());
            cx.hits[i]
                .evidence
                .insert("last_event".into(), format_time(ev.ts).into());
            return;
        }
        if cx.threshold("AUD006", &ev.accessor, 1).is_none() {
            return;
        }
        let id = cx.identity(&ev.accessor);
        let admin = ev.root_use || cx.config.is_admin(id);
        let disable_audit = kind == Kind::AuditDevice && ev.op == Op::Delete;
        let high = disable_audit || (kind.is_policy_or_auth() && !admin);
        let verb = match (kind, ev.op) {
            (Kind::AuditDevice, Op::Delete) => "disabled",
            (Kind::Mount | Kind::AuthMethod, Op::Delete) => "disabled",
            (_, Op::Delete) => "deleted",
            (Kind::LeaseRevokePrefix, _) => "requested",
            _ => "changed",
        };
        let mut evidence = serde_json::Map::new();
        evidence.insert("accessor".into(), super::accessor_json(&ev.accessor));
        evidence.insert("path".into(), ev.path.to_string().into());
        evidence.insert("operation".into(), ev.op.as_str().into());
        evidence.insert("change".into(), kind.label().into());
        evidence.insert("count".into(), 1.into());
        evidence.insert("first_event".into(), format_time(ev.ts).into());
        evidence.insert("last_event".into(), format_time(ev.ts).into());
        evidence.insert("admin".into(), admin.into());
        evidence.insert(
            "remote_address".into(),
            ev.addr.as_deref().map(str::to_owned).into(),
        );
        evidence.insert("identity".into(), super::identity_json(id));
        let message = format!(
            "{} `{}` {verb} ({}) by token {}{}{}",
            kind.label(),
            ev.path,
            ev.op.as_str(),
            short_accessor(&ev.accessor),
            identity_label(id),
            if kind.is_policy_or_auth() && !admin {
                ", not an admin identity"
            } else {
                ""
            }
        );
        self.seen.insert(key, cx.hits.len());
        cx.hits.push(Hit {
            rule: "AUD006",
            severity: Some(if high {
                Severity::High
            } else {
                Severity::Medium
            }),
            src: ev.src,
            line: ev.line,
            message,
            identity: format!("AUD006/{}/{}/{}", ev.accessor, ev.path, ev.op.as_str()),
            evidence,
        });
    }

    fn finish(&mut self, _now: i64, _cx: &mut Ctx<'_>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_spec_paths() {
        assert_eq!(classify("sys/audit/file"), Some(Kind::AuditDevice));
        assert_eq!(classify("sys/audit/"), None);
        assert_eq!(classify("sys/policies/acl/app"), Some(Kind::Policy));
        assert_eq!(classify("sys/policy/app"), Some(Kind::Policy));
        assert_eq!(classify("sys/auth/kubernetes"), Some(Kind::AuthMethod));
        assert_eq!(classify("auth/kubernetes/role/app"), Some(Kind::AuthRole));
        assert_eq!(classify("auth/token/roles/ci"), Some(Kind::AuthRole));
        assert_eq!(classify("auth/kubernetes/config"), Some(Kind::AuthConfig));
        assert_eq!(classify("sys/mounts/secret"), Some(Kind::Mount));
        assert_eq!(
            classify("sys/leases/revoke-prefix/aws/"),
            Some(Kind::LeaseRevokePrefix)
        );
        assert_eq!(classify("secret/data/role/x"), None);
        assert_eq!(classify("auth/kubernetes/login"), None);
    }
}
