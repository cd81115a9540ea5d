//! Deterministic generator of mixed benchmark corpora: Kubernetes manifests (Deployments with
//! Vault agent annotations and env, Services, NetworkPolicies, Secrets, ConfigMaps holding agent
//! HCL), Helm charts with vault values, Vault policies, agent and server HCL, Terraform and
//! shell scripts, spread over team folders of about 100 files and a few dozen namespaces.
//!
//!     rustc --edition 2021 -O -o gen-corpus benches/corpus/gen_corpus.rs && ./gen-corpus OUT_DIR FILES [SEED]
//!
//! (std only, so it builds in seconds without the crate; `scripts/bench` does this.)
//!
//! The same FILES and SEED always give byte-identical output (an inline SplitMix64, no crate),
//! so timings at 1k, 10k and 100k files compare like with like.

use std::fmt::Write as _;
use std::path::Path;

/// SplitMix64: tiny, fast, and fixed forever (unlike a crate's default RNG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with probability `pct`%.
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const TEAMS: &[&str] = &[
    "payments", "search", "ledger", "identity", "billing", "catalog", "orders", "fraud",
];
const IMAGES: &[&str] = &[
    "nginx:1.27",
    "ghcr.io/acme/api:2.4.1",
    "registry.example.com/worker:7",
    "python:3.12-slim",
];

/// What one file of the corpus is; the weights below give a repo-like mix.
#[derive(Clone, Copy)]
enum Kind {
    Deployment,
    ServiceAndPolicy,
    Secret,
    AgentConfigMap,
    Policy,
    Agent,
    Server,
    Terraform,
    Script,
}

const MIX: &[(Kind, u64)] = &[
    (Kind::Deployment, 30),
    (Kind::ServiceAndPolicy, 15),
    (Kind::Secret, 5),
    (Kind::AgentConfigMap, 5),
    (Kind::Policy, 15),
    (Kind::Agent, 5),
    (Kind::Server, 3),
    (Kind::Terraform, 17),
    (Kind::Script, 5),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: gen-corpus OUT_DIR FILES [SEED]");
        std::process::exit(2);
    }
    let out = Path::new(&args[1]);
    let files: usize = args[2].parse().expect("FILES is a number");
    let seed: u64 = args.get(3).map_or(96_114_455, |s| s.parse().expect("SEED"));
    let written = generate(out, files, seed);
    eprintln!("gen-corpus: wrote {written} files to {}", out.display());
}

/// Writes `files` files under `out` (which is created) and returns how many it wrote.
fn generate(out: &Path, files: usize, seed: u64) -> usize {
    let mut rng = Rng(seed);
    let total_weight: u64 = MIX.iter().map(|(_, w)| w).sum();
    let mut written = 0;
    let mut dir_index = 0;
    while written < files {
        let team = TEAMS[dir_index % TEAMS.len()];
        let dir = out.join(format!("{team}-{dir_index:05}"));
        std::fs::create_dir_all(&dir).expect("create output folder");
        // Every tenth folder is a Helm chart that depends on the vault chart.
        if dir_index % 10 == 0 && written + 2 <= files {
            write(&dir.join("Chart.yaml"), &chart_yaml(team));
            write(&dir.join("values.yaml"), &helm_values(&mut rng));
            written += 2;
        }
        let in_dir = 100.min(files - written);
        for i in 0..in_dir {
            let mut roll = rng.below(total_weight);
            let kind = MIX
                .iter()
                .find(|(_, w)| {
                    if roll < *w {
                        true
                    } else {
                        roll -= w;
                        false
                    }
                })
                .map(|(k, _)| *k)
                .expect("weights cover the roll");
            let ns = format!("{team}-{}", rng.pick(&["prod", "staging", "dev"]));
            let name = format!("{team}-svc-{dir_index}-{i}");
            let (file, text) = match kind {
                Kind::Deployment => (format!("{name}-deploy.yaml"), deployment(&mut rng, &name, &ns)),
                Kind::ServiceAndPolicy => (format!("{name}-net.yaml"), service_and_policy(&name, &ns)),
                Kind::Secret => (format!("{name}-secret.yaml"), secret(&mut rng, &name, &ns)),
                Kind::AgentConfigMap => (format!("{name}-agent-cm.yaml"), agent_configmap(&mut rng, &name, &ns)),
                Kind::Policy => (format!("{name}.policy.hcl"), policy(&mut rng, team)),
                Kind::Agent => (format!("{name}-agent.hcl"), agent_hcl(&mut rng, &name)),
                Kind::Server => (format!("{name}-server.hcl"), server_hcl(&mut rng)),
                Kind::Terraform => (format!("{name}.tf"), terraform(&mut rng, &name, &ns)),
                Kind::Script => (format!("{name}-setup.sh"), script(&mut rng, &name)),
            };
            write(&dir.join(file), &text);
            written += 1;
        }
        dir_index += 1;
    }
    written
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn vault_addr(rng: &mut Rng) -> &'static str {
    if rng.chance(20) {
        "http://vault.vault.svc:8200"
    } else {
        "https://vault.vault.svc:8200"
    }
}

fn deployment(rng: &mut Rng, name: &str, ns: &str) -> String {
    let mut s = String::new();
    let replicas = 1 + rng.below(5);
    let image = rng.pick(IMAGES);
    let role = format!("{name}-role");
    let _ = write!(
        s,
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: {ns}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
      annotations:
        vault.hashicorp.com/agent-inject: \"true\"
        vault.hashicorp.com/role: {role}
        vault.hashicorp.com/agent-inject-secret-db: database/creds/{name}
        vault.hashicorp.com/agent-inject-template-db: |
          {{{{- with secret \"database/creds/{name}\" -}}}}
          postgres://{{{{ .Data.username }}}}:{{{{ .Data.password }}}}@db:5432/app
          {{{{- end -}}}}
"
    );
    if rng.chance(10) {
        s.push_str("        vault.hashicorp.com/tls-skip-verify: \"true\"\n");
    }
    let _ = write!(
        s,
        "    spec:
      serviceAccountName: {name}
      containers:
        - name: app
          image: {image}
          ports:
            - containerPort: 8080
          env:
            - name: VAULT_ADDR
              value: {addr}
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {name}-db
                  key: password
",
        addr = vault_addr(rng)
    );
    if rng.chance(8) {
        s.push_str("            - name: VAULT_SKIP_VERIFY\n              value: \"true\"\n");
    }
    s.push_str(
        "          resources:
            limits:
              cpu: 500m
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
",
    );
    s
}

fn service_and_policy(name: &str, ns: &str) -> String {
    format!(
        "apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  selector:
    app.kubernetes.io/name: {name}
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}-allow-vault
  namespace: {ns}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {name}
  policyTypes: [Ingress, Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: vault
      ports:
        - port: 8200
          protocol: TCP
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/part-of: {ns}
"
    )
}

fn secret(rng: &mut Rng, name: &str, ns: &str) -> String {
    let token = format!("hvs.{:016x}{:016x}", rng.next(), rng.next());
    format!(
        "apiVersion: v1
kind: Secret
metadata:
  name: {name}-db
  namespace: {ns}
type: Opaque
stringData:
  password: p-{:x}
  vault-token: {token}
",
        rng.next()
    )
}

fn agent_hcl_text(rng: &mut Rng, name: &str, indent: &str) -> String {
    let skip = if rng.chance(10) { "true" } else { "false" };
    let text = format!(
        "pid_file = \"/tmp/pidfile\"
exit_after_auth = false

vault {{
  address         = \"{addr}\"
  tls_skip_verify = {skip}
}}

auto_auth {{
  method \"kubernetes\" {{
    mount_path = \"auth/kubernetes\"
    config = {{
      role = \"{name}-role\"
    }}
  }}
  sink \"file\" {{
    config = {{
      path = \"/home/vault/.vault-token\"
    }}
  }}
}}

template {{
  destination = \"/etc/secrets/config\"
  contents    = \"{{{{ with secret \\\"secret/data/{name}\\\" }}}}{{{{ .Data.data.key }}}}{{{{ end }}}}\"
}}
",
        addr = vault_addr(rng)
    );
    text.lines()
        .map(|l| if l.is_empty() { "\n".to_owned() } else { format!("{indent}{l}\n") })
        .collect()
}

fn agent_configmap(rng: &mut Rng, name: &str, ns: &str) -> String {
    format!(
        "apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-agent
  namespace: {ns}
data:
  agent.hcl: |
{}",
        agent_hcl_text(rng, name, "    ")
    )
}

fn agent_hcl(rng: &mut Rng, name: &str) -> String {
    agent_hcl_text(rng, name, "")
}

fn policy(rng: &mut Rng, team: &str) -> String {
    let mut s = format!("# Policy for the {team} team\n");
    for i in 0..(3 + rng.below(8)) {
        let env = rng.pick(&["prod", "staging", "dev"]);
        let (path, caps) = match rng.below(6) {
            0 => (format!("secret/data/{team}/{env}/*"), "\"read\", \"list\""),
            1 => (format!("secret/metadata/{team}/{env}/*"), "\"list\""),
            2 => (format!("database/creds/{team}-{env}-{i}"), "\"read\""),
            3 => (format!("pki/issue/{team}-{env}"), "\"create\", \"update\""),
            4 => (format!("transit/encrypt/{team}-{i}"), "\"update\""),
            _ if rng.chance(30) => ("sys/policies/acl/*".to_owned(), "\"create\", \"update\""),
            _ => (format!("secret/data/{team}/+/shared"), "\"read\""),
        };
        let _ = write!(s, "path \"{path}\" {{\n  capabilities = [{caps}]\n}}\n\n");
    }
    s
}

fn server_hcl(rng: &mut Rng) -> String {
    let tls = if rng.chance(15) {
        "  tls_disable = 1\n".to_owned()
    } else {
        "  tls_cert_file = \"/vault/tls/tls.crt\"\n  tls_key_file  = \"/vault/tls/tls.key\"\n".to_owned()
    };
    format!(
        "ui = true
api_addr     = \"https://vault.internal:8200\"
cluster_addr = \"https://vault.internal:8201\"

listener \"tcp\" {{
  address = \"[::]:8200\"
{tls}}}

storage \"raft\" {{
  path    = \"/vault/data\"
  node_id = \"node-{}\"
}}

seal \"awskms\" {{
  region     = \"eu-west-1\"
  kms_key_id = \"alias/vault-unseal\"
}}
",
        rng.below(5)
    )
}

fn terraform(rng: &mut Rng, name: &str, ns: &str) -> String {
    let ttl = if rng.chance(15) { 2_592_000 } else { 3600 };
    let nss = if rng.chance(10) { "\"*\"".to_owned() } else { format!("\"{ns}\"") };
    format!(
        "resource \"vault_policy\" \"{name}\" {{
  name   = \"{name}\"
  policy = <<EOT
path \"secret/data/{name}/*\" {{
  capabilities = [\"read\"]
}}
EOT
}}

resource \"vault_kubernetes_auth_backend_role\" \"{name}\" {{
  backend                          = \"kubernetes\"
  role_name                        = \"{name}-role\"
  bound_service_account_names      = [\"{name}\"]
  bound_service_account_namespaces = [{nss}]
  audience                         = \"vault\"
  token_ttl                        = {ttl}
  token_max_ttl                    = {max}
  token_policies                   = [vault_policy.{name}.name]
}}

resource \"aws_secretsmanager_secret\" \"{name}\" {{
  name                    = \"{ns}/{name}\"
  recovery_window_in_days = 7
  tags = {{
    team = \"{ns}\"
  }}
}}

variable \"{name}_replicas\" {{
  type    = number
  default = {}
}}
",
        rng.below(4) + 1,
        max = ttl * 4
    )
}

fn script(rng: &mut Rng, name: &str) -> String {
    format!(
        "#!/usr/bin/env bash
set -euo pipefail
export VAULT_ADDR={addr}
vault login -method=kubernetes role={name}-role
vault kv get -format=json secret/{name} > /tmp/{name}.json
vault policy write {name} ./{name}.policy.hcl
curl -fsS https://api.example.com/health
",
        addr = vault_addr(rng)
    )
}

fn chart_yaml(team: &str) -> String {
    format!(
        "apiVersion: v2
name: {team}-platform
version: 1.0.0
dependencies:
  - name: vault
    version: 0.28.1
    repository: https://helm.releases.hashicorp.com
"
    )
}

fn helm_values(rng: &mut Rng) -> String {
    let tls = if rng.chance(20) { "true" } else { "false" };
    format!(
        "vault:
  global:
    enabled: true
    tlsDisable: {tls}
  injector:
    enabled: true
    replicas: 2
  server:
    ha:
      enabled: true
      replicas: 3
      raft:
        enabled: true
    dataStorage:
      size: 10Gi
"
    )
}
