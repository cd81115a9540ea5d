//! The ACL policies of a scan set, parsed once (RULES-SPEC §1(c)): every HCL document the scan
//! classified as a policy — whatever its source — read into [`Policy`] rules with spans, with
//! the one-policy ACL the POL rules ask which rule governs a path (§2).

use crate::location::{Location, Span};
use crate::model::file::ParsedFile;
use crate::model::vault_hcl::{HclDoc, HclKind};
use crate::policy::{parse_policy_body, Acl, Policy, PolicyError};
use std::sync::Arc;

/// One policy document of the scan set.
#[derive(Debug)]
pub struct ScannedPolicy {
    /// Index into `Inventory::files`.
    pub file: usize,
    /// Index into that file's `hcl` documents.
    pub doc: usize,
    /// The file the policy's spans point into.
    pub path: Arc<str>,
    /// The policy name (file stem, or taken from the document's origin).
    pub name: String,
    /// The parsed policy, or why Vault/OpenBao would reject it.
    pub parsed: Result<Policy, PolicyError>,
    /// The ACL of a token holding this policy alone (`None` when the policy is rejected).
    pub acl: Option<Acl>,
}

impl ScannedPolicy {
    pub fn location(&self, span: Span) -> Location {
        Location::new(self.path.clone(), span)
    }
    /// The rules, empty when the policy is rejected.
    pub fn rules(&self) -> &[crate::policy::PathRule] {
        self.parsed.as_ref().map_or(&[], |p| p.rules.as_slice())
    }
}

/// The policy name of a document: from its origin when it has one (`… name "NAME" …`, else
/// the file stem of the origin's last word, e.g. `ConfigMap x key app.hcl` → `app`), else from
/// the file stem, as `vault policy write <name> <file>` is usually run.
pub fn policy_name(doc: &HclDoc) -> String {
    if let Some(name) = &doc.name {
        return name.clone();
    }
    if let Some(origin) = doc.origin.as_deref() {
        if let Some(rest) = origin.split("name \"").nth(1) {
            if let Some((name, _)) = rest.split_once('"') {
                return name.to_owned();
            }
        }
        if let Some(last) = origin.split_whitespace().last() {
            return stem(last);
        }
    }
    // A live policy's path ends in its name, which may contain dots.
    if let Some((_, name)) = doc.path.split_once("/sys/policies/acl/") {
        if doc.path.starts_with("vault://") {
            return name.to_owned();
        }
    }
    stem(&doc.path)
}

fn stem(p: &str) -> String {
    std::path::Path::new(p)
        .file_stem()
        .map_or_else(|| p.to_owned(), |s| s.to_string_lossy().into_owned())
}

/// Parses every policy document of `files`, on all cores (each policy's ACL is built here).
pub fn build(files: &[ParsedFile]) -> Vec<ScannedPolicy> {
    use rayon::prelude::*;
    let docs: Vec<(usize, usize, &HclDoc)> = files
        .iter()
        .enumerate()
        .flat_map(|(fi, f)| f.hcl.iter().enumerate().map(move |(di, d)| (fi, di, d)))
        .filter(|(_, _, d)| d.kind == HclKind::Policy)
        .collect();
    docs.into_par_iter()
        .map(|(fi, di, doc)| {
            let name = policy_name(doc);
            let parsed = parse_policy_body(&name, doc.path.clone(), &doc.body);
            let acl = parsed
                .as_ref()
                .ok()
                .and_then(|p| Acl::new(std::slice::from_ref(p)).ok());
            ScannedPolicy {
                file: fi,
                doc: di,
                path: doc.path.clone(),
                name,
                parsed,
                acl,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::hcl::Body;

    fn doc(path: &str, origin: Option<&str>) -> HclDoc {
        HclDoc {
            path: path.into(),
            kind: HclKind::Policy,
            body: Body::default(),
            container: None,
            origin: origin.map(str::to_owned),
            name: None,
        }
    }

    #[test]
    fn names_come_from_the_file_stem_or_the_origin() {
        assert_eq!(policy_name(&doc("policies/app.hcl", None)), "app");
        assert_eq!(
            policy_name(&doc(
                "k8s/cm.yaml",
                Some("ConfigMap vault-policies key default.hcl")
            )),
            "default"
        );
        assert_eq!(
            policy_name(&doc(
                "main.tf",
                Some("vault_policy.x name \"ops\" (heredoc)")
            )),
            "ops"
        );
    }
}
