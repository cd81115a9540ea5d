#!/usr/bin/env python3
"""Corpora of one repeated shape each, for finding passes that grow faster than the input.

The mixed generated corpus (benches/corpus/gen_corpus.rs) measures the common case; a real
repository can instead hold a thousand kustomize overlays, one 10 MB `helm template`
output, a ConfigMap of 4,000 keys or a script writing 16,000 policies. Each shape here
stresses one such dimension, so `scripts/bench-shapes` can scan it at n and 4n and print how
the time grows (4x for a linear pass, 16x for a quadratic one).

    benches/shapes/gen_shapes.py SHAPE N OUTDIR     # one corpus
    benches/shapes/gen_shapes.py --list             # the shapes and their default n
"""
import os
import shutil
import sys



def w(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def deploy(name, ns, extra_pod="", extra_container="", labels=None, annotations=""):
    labels = labels or {"app": name}
    lab = "".join(f"        {k}: {v}\n" for k, v in labels.items())
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
spec:
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
{lab}{annotations}    spec:
{extra_pod}      containers:
        - name: app
          image: example/app:1
{extra_container}"""


# 1. K8S007: every flagged ConfigMap key scans every workload (consumers_of_config_map)
def cm007(n, out):
    for i in range(n):
        w(f"{out}/app{i}/cm.yaml", f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg{i}
  namespace: shared
data:
  VAULT_SKIP_VERIFY: "true"
""")
        w(f"{out}/app{i}/deploy.yaml", deploy(f"app{i}", "shared", extra_container=f"""          envFrom:
            - configMapRef:
                name: cfg{i}
"""))


def big_configmap(n, out):
    """ConfigMap `big` in namespace `shared` with keys KEY_0 .. KEY_{n-1}."""
    keys = "".join(f"  KEY_{k}: value-{k}\n" for k in range(n))
    w(f"{out}/cm.yaml", f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: big
  namespace: shared
data:
{keys}""")


# 2. env resolution: data_entries retains per key (K^2 per reference), per valueFrom ref
def envkeys(n, out):
    big_configmap(n, out)
    refs = "".join(f"""            - name: V{j}
              valueFrom:
                configMapKeyRef:
                  name: big
                  key: KEY_{j}
""" for j in range(5))
    for d in range(20):
        w(f"{out}/d{d}.yaml", deploy(f"app{d}", "shared", extra_container=f"""          envFrom:
            - configMapRef:
                name: big
          env:
{refs}"""))


# one ConfigMap of n keys, 20 consumers with n/20 configMapKeyRef each: every reference
# searched the ConfigMap's entries for its key (references x keys)
def keyrefs(n, out):
    big_configmap(n, out)
    for d in range(20):
        refs = "".join(f"""            - name: V{j}
              valueFrom:
                configMapKeyRef:
                  name: big
                  key: KEY_{(j * 7919 + d) % n}
""" for j in range(n // 20))
        w(f"{out}/d{d}.yaml", deploy(f"app{d}", "shared", extra_container=f"""          env:
{refs}"""))


# 3. K8S014: every namespaceSelector requirement scans every Namespace manifest
def k8s014(n, out):
    for i in range(n):
        w(f"{out}/ns{i}/ns.yaml", f"""apiVersion: v1
kind: Namespace
metadata:
  name: ns{i}
  labels:
    team: t{i}
""")
        w(f"{out}/ns{i}/np.yaml", f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: from-monitoring
  namespace: ns{i}
spec:
  podSelector: {{}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              purpose: monitoring
""")


# 4. netpol: K8S010 per pod x every CNI policy; XSR001 per namespace x every CNI policy
def cni(n, out):
    for i in range(n):
        ns = f"ns{i}"
        w(f"{out}/{ns}/deploy.yaml", deploy(f"app{i}", ns))
        if i % 2 == 0:
            # k8s egress policy selecting other pods: pods here are open -> K8S010 path
            w(f"{out}/{ns}/np.yaml", f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress-other
  namespace: {ns}
spec:
  podSelector:
    matchLabels:
      app: other
  policyTypes: [Egress]
  egress: []
""")
        w(f"{out}/{ns}/cilium.yaml", f"""apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: egress
  namespace: {ns}
spec:
  endpointSelector:
    matchLabels:
      app: app{i}
  egress:
    - toEntities: [world]
""")


# 5. certs: per Certificate, every workload, every store and (rebuilt) agent_cert_uses
def certs(n, out):
    for i in range(n):
        ns = f"ns{i}"
        w(f"{out}/{ns}/cert.yaml", f"""apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: c{i}
  namespace: {ns}
spec:
  secretName: tls{i}
  duration: 8760h
  issuerRef:
    name: ca
""")
        w(f"{out}/{ns}/agent.yaml", f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: agent{i}
  namespace: {ns}
data:
  agent.hcl: |
    vault {{
      address = "https://vault:8200"
      client_cert = "/certs/tls.crt"
    }}
    auto_auth {{
      method "kubernetes" {{
        config = {{ role = "app" }}
      }}
    }}
""")
        w(f"{out}/{ns}/deploy.yaml", deploy(f"app{i}", ns))


def certs_noagent(n, out):
    for i in range(n):
        ns = f"ns{i}"
        w(f"{out}/{ns}/cert.yaml", f"""apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: c{i}
  namespace: {ns}
spec:
  secretName: tls{i}
  duration: 8760h
  isCA: true
  issuerRef:
    name: selfsigned
""")
        w(f"{out}/{ns}/issuer.yaml", f"""apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: ca
  namespace: {ns}
spec:
  ca:
    secretName: other{i}
""")
        w(f"{out}/{ns}/deploy.yaml", deploy(f"app{i}", ns))


# 7. vault_roles::source_of: each script field re-walks the script's lines from the top
def script(n, out):
    lines = ["#!/bin/sh", "set -e"]
    for i in range(n):
        lines.append(f"vault write auth/kubernetes/role/app{i} bound_service_account_names=app{i} "
                     f"bound_service_account_namespaces=ns{i} token_policies=app{i} token_ttl=1h")
    w(f"{out}/bootstrap.sh", "\n".join(lines) + "\n")


# 8/9. one big multi-document manifest (rendered `kustomize build` / `helm template` output)
def bigfile(n, out, sup=False):
    docs = []
    for i in range(n):
        s = "            # sealant:ignore K8S003 -- lab\n" if sup else ""
        docs.append(deploy(f"app{i}", f"ns{i % 50}", extra_container=f"""          env:
{s}            - name: VAULT_SKIP_VERIFY
              value: "true"
"""))
    w(f"{out}/rendered.yaml", "---\n".join(docs))


def bigfile_sup(n, out):
    bigfile(n, out, sup=True)


# 12. K8S015: each default-SA workload's CSI volume scans every SecretProviderClass
def spc(n, out):
    for i in range(n):
        ns = f"ns{i}"
        w(f"{out}/{ns}/spc.yaml", f"""apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: vault-{i}
  namespace: {ns}
spec:
  provider: vault
  parameters:
    roleName: app
""")
        w(f"{out}/{ns}/deploy.yaml", deploy(f"app{i}", ns, extra_pod=f"""      volumes:
        - name: secrets
          csi:
            driver: secrets-store.csi.k8s.io
            readOnly: true
            volumeAttributes:
              secretProviderClass: vault-{i}
"""))


# 14. KvMounts::lookup scans every mount, once per policy rule (XSR005, POL011)
def kvmounts(n, out):
    tf = []
    for i in range(n):
        tf.append(f'''resource "vault_mount" "kv{i}" {{
  path = "kv-team{i}"
  type = "kv-v2"
}}
''')
        w(f"{out}/policies/team{i}.hcl", f'''path "kv-team{i}/data/app/*" {{
  capabilities = ["read", "list"]
}}
path "kv-team{i}/metadata/app/*" {{
  capabilities = ["list"]
}}
''')
    w(f"{out}/vault.tf", "\n".join(tf))


# 13. aws_terraform::attachment scans every security group / route table per rule/route
def awssg(n, out):
    tf = ['resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n']
    for i in range(n):
        tf.append(f'''resource "aws_security_group" "sg{i}" {{
  vpc_id = aws_vpc.main.id
}}
resource "aws_security_group_rule" "r{i}" {{
  type              = "ingress"
  security_group_id = aws_security_group.sg{i}.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}}
resource "aws_route_table" "rt{i}" {{
  vpc_id = aws_vpc.main.id
}}
resource "aws_subnet" "s{i}" {{
  vpc_id = aws_vpc.main.id
  cidr_block = "10.0.{i % 256}.0/24"
}}
resource "aws_route_table_association" "a{i}" {{
  route_table_id = aws_route_table.rt{i}.id
  subnet_id      = aws_subnet.s{i}.id
}}
''')
    w(f"{out}/net.tf", "\n".join(tf))


# 6. XSR006: per role, `vault_policy.X.name` in token_policies scans every policy
def xsr006(n, out):
    tf = []
    for i in range(n):
        tf.append(f'''resource "vault_policy" "app{i}" {{
  name   = "app{i}"
  policy = <<EOT
path "secret/data/app{i}/*" {{
  capabilities = ["read"]
}}
EOT
}}
resource "vault_kubernetes_auth_backend_role" "app{i}" {{
  role_name                        = "app{i}"
  bound_service_account_names      = ["app{i}"]
  bound_service_account_namespaces = ["ns{i}"]
  token_policies                   = ["${{vault_policy.app{i}.name}}"]
}}
''')
        ann = f"""        vault.hashicorp.com/agent-inject: "true"
        vault.hashicorp.com/role: app{i}
        vault.hashicorp.com/agent-inject-secret-db: secret/data/app{i}/db
"""
        w(f"{out}/k8s/app{i}.yaml", deploy(f"app{i}", f"ns{i}", extra_pod=f"      serviceAccountName: app{i}\n",
                                           annotations="      annotations:\n" + ann))
    w(f"{out}/vault.tf", "\n".join(tf))


# scripts writing many policies from heredocs (bodies.find per heredoc; per-policy file walks)
def heredocs(n, out):
    lines = ["#!/bin/sh", "set -e"]
    for i in range(n):
        lines += [f"vault policy write p{i} - <<EOF",
                  f'path "secret/data/p{i}/*" {{',
                  '  capabilities = ["read"]',
                  "}", "EOF"]
    w(f"{out}/policies.sh", "\n".join(lines) + "\n")


# many findings over many files (baseline matching, report writers)
def findings(n, out):
    env = "".join(f"""            - name: VAULT_SKIP_VERIFY
              value: "true"
            - name: VAULT_ADDR
              value: "http://vault{j}:8200"
""" for j in range(3))
    for i in range(n):
        w(f"{out}/d{i // 100}/app{i}.yaml", deploy(f"app{i}", f"ns{i}", extra_container="          env:\n" + env))


# one big manifest whose objects name no namespace (no netpol span_text cost): holder lookups, human report
def bigfile_nons(n, out):
    docs = []
    for i in range(n):
        d = deploy(f"app{i}", "x", extra_container="""          env:
            - name: VAULT_SKIP_VERIFY
              value: "true"
""").replace("  namespace: x\n", "")
        docs.append(d)
    w(f"{out}/rendered.yaml", "---\n".join(docs))


# one generated policy with many rules (segment globs, denies, prefixes)
def bigpolicy(n, out):
    r = []
    for i in range(n):
        r.append(f'path "secret/data/+/app{i}/*" {{\n  capabilities = ["read"]\n}}\n')
        r.append(f'path "auth/+/role/app{i}" {{\n  capabilities = ["read", "update"]\n}}\n')
        r.append(f'path "kv/app{i}*" {{\n  capabilities = ["deny"]\n}}\n')
    w(f"{out}/big.hcl", "".join(r))


# auth roles naming their policies by name (POL012 looks each name up by a pass over all policies)
def rolepol(n, out):
    tf = []
    for i in range(n):
        tf.append(f'''resource "vault_kubernetes_auth_backend_role" "app{i}" {{
  role_name                        = "app{i}"
  bound_service_account_names      = ["app{i}"]
  bound_service_account_namespaces = ["ns{i}"]
  token_policies                   = ["app{i}", "common"]
}}
''')
        w(f"{out}/policies/app{i}.hcl", f'path "secret/data/app{i}/*" {{\n  capabilities = ["read"]\n}}\n')
    w(f"{out}/policies/common.hcl", 'path "secret/data/common/*" {\n  capabilities = ["read"]\n}\n')
    w(f"{out}/vault.tf", "\n".join(tf))


# one big Helm template (chart/templates/all.yaml) with many workloads: netpol `templated()` walks from line 1
def helmbig(n, out):
    w(f"{out}/chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n")
    docs = []
    for i in range(n):
        d = deploy(f"app{i}", "x", labels={"app": f"app{i}", "release": "{{ .Release.Name }}"}).replace("  namespace: x\n", "")
        docs.append(d)
    w(f"{out}/chart/templates/all.yaml", "---\n".join(docs))


# N roles sharing one `common` policy that grows with N (+ 10 denies): per-role ACL builds and
# POL012 combined-set checks redo the shared policy for every role
def sharedpol(n, out):
    tf = []
    for i in range(n):
        tf.append(f'''resource "vault_kubernetes_auth_backend_role" "app{i}" {{
  role_name                        = "app{i}"
  bound_service_account_names      = ["app{i}"]
  bound_service_account_namespaces = ["ns{i}"]
  token_policies                   = ["app{i}", "common"]
}}
''')
        w(f"{out}/policies/app{i}.hcl", f'path "secret/data/app{i}/*" {{\n  capabilities = ["read"]\n}}\n')
        ann = f"""        vault.hashicorp.com/agent-inject: "true"
        vault.hashicorp.com/role: app{i}
        vault.hashicorp.com/agent-inject-secret-db: secret/data/app{i}/db
"""
        w(f"{out}/k8s/app{i}.yaml", deploy(f"app{i}", f"ns{i}", extra_pod=f"      serviceAccountName: app{i}\n",
                                           annotations="      annotations:\n" + ann))
    common = "".join(f'path "secret/data/common/k{j}/*" {{\n  capabilities = ["read"]\n}}\n' for j in range(n))
    common += "".join(f'path "secret/data/common/k{j}/x" {{\n  capabilities = ["deny"]\n}}\n' for j in range(10))
    w(f"{out}/policies/common.hcl", common)
    w(f"{out}/vault.tf", "\n".join(tf))


# kustomize overlays: one kustomization (with a namespace) per directory of resources
def kustomize(n, out):
    for k in range(n):
        d = f"{out}/app{k:05d}"
        resources = []
        for j in range(10):
            resources.append(f"base/cm{j}.yaml")
            w(f"{d}/base/cm{j}.yaml", f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{k}-{j}\ndata:\n  a: b\n")
        listed = "".join(f"  - {r}\n" for r in resources)
        w(f"{d}/kustomization.yaml", f"namespace: ns{k}\nresources:\n{listed}")


# N releases of the Vault chart (server standalone, networkPolicy off) beside N NetworkPolicies
# that select other pods: HLM006 looked for a policy isolating the server once per release
def serverpol(n, out):
    for i in range(n):
        d = f"{out}/rel{i}"
        w(f"{d}/Chart.yaml", f"apiVersion: v2\nname: rel{i}\nversion: 0.1.0\ndependencies:\n"
                             "  - name: vault\n    version: 0.34.1\n    repository: https://helm.releases.hashicorp.com\n")
        w(f"{d}/values.yaml", "vault:\n  server:\n    standalone:\n      enabled: true\n")
        w(f"{out}/netpol/np{i}.yaml", f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np{i}
  namespace: ns{i}
spec:
  podSelector:
    matchLabels:
      app: app{i}
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: client{i}
""")


# Default n per shape (4n is scanned too): each scan of n takes a few tenths of a second on
# this code, enough for the growth to stand above process start-up. Extra scan arguments
# where the shape exercises an option or a report format.
DEFAULTS = {
    "cm007": (2000, []),
    "envkeys": (4000, []),
    "keyrefs": (8000, []),
    "k8s014": (2000, []),
    "cni": (2000, []),
    "certs": (1000, []),
    "certs_noagent": (2000, []),
    "script": (10000, []),
    "bigfile": (4000, []),
    "bigfile_sup": (4000, []),
    "bigfile_nons": (4000, ["--format", "human", "--color", "never"]),
    "spc": (2000, []),
    "kvmounts": (2000, []),
    "awssg": (4000, []),
    "xsr006": (1000, []),
    "heredocs": (8000, []),
    "findings": (2000, []),
    "bigpolicy": (1000, []),
    "rolepol": (3000, []),
    "helmbig": (4000, []),
    "sharedpol": (250, []),
    "kustomize": (500, []),
    "serverpol": (2000, []),
}

SHAPES = {k: v for k, v in globals().items() if callable(v) and k in DEFAULTS}

if __name__ == "__main__":
    if sys.argv[1:] == ["--list"]:
        for name, (n, args) in DEFAULTS.items():
            print(name, n, " ".join(args))
        sys.exit(0)
    if len(sys.argv) != 4 or sys.argv[1] not in SHAPES:
        sys.exit(f"usage: {sys.argv[0]} SHAPE N OUTDIR | --list; shapes: {', '.join(SHAPES)}")
    shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    SHAPES[shape](n, out)
