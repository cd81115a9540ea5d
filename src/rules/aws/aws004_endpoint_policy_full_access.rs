//! AWS004 — Endpoint policy grants full access: a statement `Effect: Allow` with `Principal`
//! `*` (or `{"AWS": "*"}`), `Action` `*` or `secretsmanager:*`, `Resource` `*` and no
//! `Condition` — the default policy, which an endpoint without a policy gets. Not reported
//! when a `Deny` statement constrains principals (a condition on `aws:PrincipalOrgID`,
//! `aws:PrincipalAccount` or `aws:PrincipalArn`, or a `NotPrincipal`).

use super::at;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use serde_json::Value;

pub struct EndpointPolicyFullAccess;

impl Rule for EndpointPolicyFullAccess {
    fn id(&self) -> &'static str {
        "AWS004"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for st in inv.aws_states() {
            for ep in st.secrets_manager_endpoints() {
                let place = at(&ep.origin, "policy", "policyDocument");
                let identity = ep.origin.identity(&ep.id, "policyDocument");
                if ep.policy_unknown {
                    out.not_evaluated(place, format!("the policy of Secrets Manager endpoint {} is not literal (a reference or an interpolated template)", ep.id));
                    continue;
                }
                let Some(text) = &ep.policy else {
                    out.report(
                        place,
                        format!("Secrets Manager endpoint {} sets no policy: the default endpoint policy allows every principal every action on every secret", ep.id),
                    )
                    .identity(identity);
                    continue;
                };
                let doc: Value = match serde_json::from_str(text) {
                    Ok(d) => d,
                    Err(e) => {
                        out.not_evaluated(
                            place,
                            format!(
                                "the policy of Secrets Manager endpoint {} is not valid JSON ({e})",
                                ep.id
                            ),
                        );
                        continue;
                    }
                };
                if grants_full_access(&doc) {
                    out.report(
                        place,
                        format!("the policy of Secrets Manager endpoint {} allows Principal `*` every action on every resource without a condition: any credentials reaching the endpoint, other accounts' included, can use it", ep.id),
                    )
                    .identity(identity);
                }
            }
        }
    }
}

fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(s)) => s.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    }
}

/// A string or a list of strings containing one of `wanted`.
fn has_any(v: Option<&Value>, wanted: &[&str]) -> bool {
    match v {
        Some(Value::String(s)) => wanted.contains(&s.as_str()),
        Some(Value::Array(xs)) => xs.iter().any(|x| has_any(Some(x), wanted)),
        _ => false,
    }
}

fn principal_star(v: Option<&Value>) -> bool {
    match v {
        Some(Value::String(s)) => s == "*",
        Some(Value::Object(o)) => has_any(o.get("AWS"), &["*"]),
        _ => false,
    }
}

/// The statement lets anyone do anything (the default policy's shape).
fn open_allow(s: &Value) -> bool {
    s.get("Effect").and_then(Value::as_str) == Some("Allow")
        && principal_star(s.get("Principal"))
        && has_any(s.get("Action"), &["*", "secretsmanager:*"])
        && has_any(s.get("Resource"), &["*"])
        && s.get("Condition").is_none()
}

/// A `Deny` that limits who may use the endpoint (seed000's pattern).
fn constrains_principals(s: &Value) -> bool {
    if s.get("Effect").and_then(Value::as_str) != Some("Deny") {
        return false;
    }
    if s.get("NotPrincipal").is_some() {
        return true;
    }
    let keys = [
        "aws:principalorgid",
        "aws:principalaccount",
        "aws:principalarn",
    ];
    s.get("Condition")
        .and_then(Value::as_object)
        .is_some_and(|ops| {
            ops.values().filter_map(Value::as_object).any(|kv| {
                kv.keys()
                    .any(|k| keys.contains(&k.to_ascii_lowercase().as_str()))
            })
        })
}

pub(crate) fn grants_full_access(doc: &Value) -> bool {
    let st = statements(doc);
    st.iter().any(|s| open_allow(s)) && !st.iter().any(|s| constrains_principals(s))
}

#[cfg(test)]
mod tests {
    use super::grants_full_access;
    use serde_json::json;

    #[test]
    fn the_default_policy_is_full_access_and_conditions_or_denies_are_not() {
        let default = json!({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]});
        assert!(grants_full_access(&default));
        let aws_star = json!({"Statement":{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["secretsmanager:*"],"Resource":"*"}});
        assert!(grants_full_access(&aws_star));
        let conditioned = json!({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]});
        assert!(!grants_full_access(&conditioned));
        let denied = json!({"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"123456789012"}}}]});
        assert!(!grants_full_access(&denied));
        let scoped = json!({"Statement":[{"Effect":"Allow","Principal":"*","Action":["secretsmanager:GetSecretValue"],"Resource":"*"}]});
        assert!(!grants_full_access(&scoped));
    }
}
