#!/usr/bin/env bash
# The pre-commit hooks end to end, with the real `pre-commit` (PyPI, in ./.venv): in a
# temporary git repository, the `sealant-system` hook (this repo's .pre-commit-hooks.yaml)
# blocks a commit that adds a plaintext VAULT_ADDR and allows it after a `sealant:ignore`.
# `pre-commit try-repo` runs the hook straight from this checkout (dirty trees included).
# The `rust` hook rebuilds the crate inside pre-commit: only with SEALANT_TEST_PRECOMMIT_RUST=1.
# Needs: scripts/install-test-deps; CARGO_TARGET_DIR and SEALANT_BIN (an absolute path to a
# built sealant, else it builds one) honoured. Prints `precommit: ok`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./scripts/install-test-deps
# scripts/test hands over the binary its `cargo test` built (SEALANT_BIN): a plain `cargo build`
# here would compile the crate and many dependencies again with other features (dev-dependencies
# unify features differently), about three minutes of a CI run.
if [ -z "${SEALANT_BIN:-}" ]; then
  cargo build --quiet --locked
  SEALANT_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/sealant"
fi
bin_dir=$(mktemp -d)
ln -s "$SEALANT_BIN" "$bin_dir/sealant"
export PATH="$bin_dir:$root/.venv/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work" "$bin_dir"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
fail() { echo "precommit: FAIL: $*" >&2; exit 1; }

# A hooks repository holding exactly this checkout's .pre-commit-hooks.yaml.
hooks="$work/hooks"
git init -q "$hooks"
cp "$root/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" add .pre-commit-hooks.yaml
git -C "$hooks" commit -qm hooks
rev=$(git -C "$hooks" rev-parse HEAD)

repo="$work/repo"
git init -q "$repo"
cd "$repo"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: sealant-system
YAML
# Context that is never staged again: the ConfigMap the Deployment reads VAULT_ADDR from.
mkdir -p deploy
cat > deploy/configmap.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: vault-addr
data:
  VAULT_ADDR: https://vault.vault.svc:8200
YAML
echo "# app" > README.md
git add .pre-commit-config.yaml deploy/configmap.yaml README.md
git commit -qm init
pre-commit install -f >/dev/null

cat > deploy/app.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
        - name: app
          image: example/app:1
          env:
            - name: VAULT_ADDR
              value: http://vault.vault.svc:8200
YAML
git add deploy/app.yaml
if out=$(git commit -qm "add app" 2>&1); then
  echo "$out"
  fail "a commit with a plaintext VAULT_ADDR was allowed"
fi
grep -q "K8S003" <<<"$out" || { echo "$out"; fail "the blocked commit does not name K8S003"; }
[ "$(git log -1 --format=%s)" = init ] || fail "the blocked commit landed"
echo "precommit: commit with a finding blocked (K8S003)"

# Suppressed in place: the same commit goes through.
sed -i 's|^              value: http://vault.vault.svc:8200|              # sealant:ignore K8S003 -- local dev cluster, no TLS\n&|' deploy/app.yaml
git add deploy/app.yaml
out=$(git commit -qm "add app" 2>&1) || { echo "$out"; fail "the suppressed commit was blocked"; }
[ "$(git log -1 --format=%s)" = "add app" ] || fail "the suppressed commit did not land"
echo "precommit: commit allowed after sealant:ignore"

# Cross-file: staging only a Deployment that reads VAULT_ADDR from the (unstaged) ConfigMap;
# changing the ConfigMap in the working tree to http:// must be seen through --context-root.
cat > deploy/worker.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
        - name: worker
          image: example/worker:1
          env:
            - name: VAULT_ADDR
              valueFrom:
                configMapKeyRef:
                  name: vault-addr
                  key: VAULT_ADDR
YAML
git add deploy/worker.yaml
sed -i 's|https://vault|http://vault|' deploy/configmap.yaml
# pre-commit stashes unstaged changes, so the ConfigMap change lands first (hooks bypassed).
git commit -qm "configmap" --no-verify -- deploy/configmap.yaml
if out=$(git commit -qm "add worker" 2>&1); then
  echo "$out"
  fail "a Deployment reading an http:// VAULT_ADDR from an unstaged ConfigMap was allowed"
fi
grep -q "deploy/worker.yaml" <<<"$out" || { echo "$out"; fail "the finding is not on the staged file"; }
if grep -q "K8S007" <<<"$out"; then echo "$out"; fail "the context-only ConfigMap was reported"; fi
echo "precommit: cross-file rule saw the unstaged ConfigMap through --context-root"
git reset -q HEAD deploy/worker.yaml
rm deploy/worker.yaml

# try-repo against this checkout (as a user trying the hooks before pinning a rev).
cat > deploy/bad.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      image: x
      env:
        - name: VAULT_ADDR
          value: http://vault:8200
YAML
git add deploy/bad.yaml
if out=$(pre-commit try-repo "$root" sealant-system --files deploy/bad.yaml 2>&1); then
  echo "$out"
  fail "try-repo passed a file with a finding"
fi
grep -q "K8S003" <<<"$out" || { echo "$out"; fail "try-repo output does not name K8S003"; }
echo "precommit: try-repo $root sealant-system fails on a finding"

if [ "${SEALANT_TEST_PRECOMMIT_RUST:-}" = 1 ]; then
  if out=$(pre-commit try-repo "$root" sealant --files deploy/bad.yaml 2>&1); then
    echo "$out"
    fail "the rust hook passed a file with a finding"
  fi
  grep -q "K8S003" <<<"$out" || { echo "$out"; fail "rust hook output does not name K8S003"; }
  echo "precommit: the rust-language hook builds and fails on a finding"
fi
echo "precommit: ok"
