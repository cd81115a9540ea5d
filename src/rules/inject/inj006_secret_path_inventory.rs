//! INJ006 — Secret path inventory (info): every path an injected agent requests — the value of
//! `agent-inject-secret-<n>` and every `secret "<path>"` call in `agent-inject-template-<n>` —
//! with the namespace, ServiceAccount, auth mount and role it is requested with. The facts
//! XSR002 and XSR006 join with the role and policy models.

use crate::model::consumers::{injector_auth, service_account};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct SecretPathInventory;

impl Rule for SecretPathInventory {
    fn id(&self) -> &'static str {
        "INJ006"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for s in inv.injected_secrets() {
            let w = &s.workload;
            let auth = injector_auth(w);
            let role = auth.role.map_or("<none>", |(r, _)| r);
            let (sa, _) = service_account(w);
            let how = if s.write { "writes" } else { "reads" };
            out.report(
                s.location(),
                format!(
                    "{} {how} `{}` (secret `{}`) as ServiceAccount {}/{sa} with role `{role}` on auth/{} ({})",
                    w.object.display(),
                    s.path,
                    s.name,
                    w.object.namespace,
                    auth.mount,
                    auth.auth_type
                ),
            )
            .identity(format!("{}/inject/{}/{}", w.object.identity(), s.name, s.path));
        }
    }
}
