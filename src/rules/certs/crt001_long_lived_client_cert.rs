//! CRT001 — Long-lived Vault client certificate: a Vault client certificate (usages with
//! `client auth`, or its secret referenced by a Vault client setting) whose effective
//! `duration` (Go duration; unset = cert-manager's 2160h) exceeds the threshold (option
//! `CRT001: { duration: [720h] }`). CA certificates are CRT002's. A `duration` cert-manager
//! cannot parse is a low finding.

use super::{certificates, is_ca, ClientRefs};
use crate::duration::{parse_go, Duration};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::syntax::yaml::Node;

pub struct LongLivedClientCert;

impl Rule for LongLivedClientCert {
    fn id(&self) -> &'static str {
        "CRT001"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let thr = cx
            .config
            .option("CRT001", "duration")
            .and_then(|v| v.first())
            .and_then(|s| crate::duration::parse_vault(s).ok().flatten())
            .unwrap_or(Duration::from_hours(720));
        if certificates(inv).next().is_none() {
            return;
        }
        let refs = ClientRefs::new(inv);
        for cert in certificates(inv) {
            if is_ca(cert) {
                continue;
            }
            let Some(why) = refs.vault_client(cert) else {
                continue;
            };
            let entry = cert.get(&["spec"]).and_then(|s| s.entry("duration"));
            let (dur, span, how) = match entry {
                Some(e) => match e.value.as_str().map(parse_go) {
                    Some(Ok(d)) => (d, e.value.span, "duration"),
                    Some(Err(err)) => {
                        out.report(
                            cert.location(e.value.span),
                            format!("{}: duration `{}` is not a Go duration cert-manager accepts ({err})", cert.display(), e.value.as_str().unwrap_or("")),
                        )
                        .severity(Severity::Low)
                        .identity(format!("{}#spec.duration.invalid", cert.identity()));
                        continue;
                    }
                    None => continue,
                },
                None => (
                    Duration::from_hours(2160),
                    cert.root()
                        .entry("spec")
                        .map_or(cert.kind_span(), |e| e.key.span),
                    "duration unset → cert-manager default",
                ),
            };
            if dur > thr {
                let renew = cert
                    .get(&["spec", "renewBefore"])
                    .and_then(Node::as_str)
                    .map_or_else(
                        || "renewBefore unset (1/3 of the duration)".to_owned(),
                        |r| format!("renewBefore {r}"),
                    );
                out.report(
                    cert.location(span),
                    format!("{} ({why}) is valid for {dur} ({how}; {renew}), above the {thr} threshold: a key stolen from the pod stays usable that long", cert.display()),
                )
                .identity(format!("{}#spec.duration", cert.identity()));
            }
        }
    }
}
