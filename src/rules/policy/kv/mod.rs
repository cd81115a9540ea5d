//! KV-version-aware policy rules (RULES-SPEC §1(c) POL011, §3 XSR005): policy paths judged
//! against the KV mount model ([`crate::model::kv_mounts`]) and the KV v1/v2 request paths
//! of §2.6. Policies come from every source the scan reads (files, Terraform `vault_policy`
//! heredocs and `vault_policy_document`, `vault policy write` heredocs).

mod pol011_list_on_kv2_data;
mod xsr005_wrong_kv_version_path;

use crate::model::vault_hcl::HclDoc;
use crate::policy::Policy;
use crate::rules::{Finding, Rule};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(pol011_list_on_kv2_data::ListOnKv2Data),
        Box::new(xsr005_wrong_kv_version_path::WrongKvVersionPath),
    ]
}

/// The top-level sub-paths of a KV v2 mount (§2.6).
pub(crate) const KV2_PREFIXES: &[&str] = &[
    "data", "metadata", "delete", "undelete", "destroy", "subkeys", "config",
];

/// `policy "app" (vault_policy "app" in main.tf)`, for messages.
pub(crate) fn policy_label(doc: &HclDoc, p: &Policy) -> String {
    match &doc.origin {
        Some(o) => format!("policy `{}` ({o})", p.name),
        None => format!("policy `{}`", p.name),
    }
}

/// The resource or command that holds an embedded policy, as a related location.
pub(crate) fn add_container(f: &mut Finding, doc: &HclDoc) {
    if let Some(c) = &doc.container {
        let what = doc.origin.clone().unwrap_or_else(|| "policy source".into());
        f.related(c.clone(), format!("the policy is written by {what}"));
    }
}
