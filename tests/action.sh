#!/usr/bin/env bash
# The GitHub Action, locally: lints action.yml (schema) and the example workflow (actionlint),
# then runs scripts/action-run.sh — the action's scan step — with a faked GitHub environment
# (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_BASE_REF, GITHUB_EVENT_PATH) in a fixture git
# repository with a base and a head commit, and checks the outputs, the summary, the
# annotations, the SARIF file, only-changed filtering and the exit code. Prints `action: ok`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./scripts/install-test-deps
export PATH="$root/.venv/bin:$PATH"
fail() { echo "action: FAIL: $*" >&2; exit 1; }

check-jsonschema --builtin-schema vendor.github-actions action.yml >/dev/null || fail "action.yml does not match the actions schema"
actionlint examples/workflows/sealant.yml || fail "actionlint: examples/workflows/sealant.yml"
python3 - <<'PY' || fail "action.yml inputs/outputs"
import re
text = open("action.yml").read()
for name in ["paths", "config", "fail-on", "format", "sarif-file", "baseline", "only-changed",
             "upload-sarif", "annotations", "summary", "args", "findings", "exit-code"]:
    assert re.search(rf"^  {re.escape(name)}:$", text, re.M), name
assert 'cargo install --locked --path "$GITHUB_ACTION_PATH"' in text
assert "actions/cache@" in text and "Cargo.lock" in text
assert "github/codeql-action/upload-sarif@" in text
PY
echo "action: action.yml and the example workflow lint clean"

# A SEALANT_BIN handed over (an absolute path; scripts/test passes the binary `cargo test` built)
# is used as it is: the steps below run in a temporary repository.
if [ -z "${SEALANT_BIN:-}" ]; then
  cargo build --quiet --locked
  export SEALANT_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/sealant"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
repo="$work/repo"
git init -q -b main "$repo"
cd "$repo"
mkdir deploy
container() { # name addr
  printf '        - name: %s\n          image: example/%s:1\n          env:\n            - name: VAULT_ADDR\n              value: %s\n' "$1" "$1" "$2"
}
{
  printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n'
  container old http://vault.vault.svc:8200
} >deploy/app.yaml
git add . && git commit -qm base
git checkout -q -b feature
# Head: one new finding in the old file (lines shift too), one in a new file.
{
  printf '# owned by team a\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n'
  container old http://vault.vault.svc:8200
  container new http://vault-new.vault.svc:8200
} >deploy/app.yaml
{
  printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n'
  printf '    - name: c\n      image: x\n      env:\n        - name: VAULT_ADDR\n          value: http://10.0.0.1:8200\n'
} >deploy/pod.yaml
git add . && git commit -qm head

run() { # expected-exit, then NAME=VALUE inputs
  local want=$1
  shift
  : >"$work/output" && : >"$work/summary"
  set +e
  env GITHUB_OUTPUT="$work/output" GITHUB_STEP_SUMMARY="$work/summary" \
    GITHUB_REPOSITORY=o/r GITHUB_SHA="$(git rev-parse HEAD)" GITHUB_EVENT_NAME=pull_request \
    "$@" "$root/scripts/action-run.sh" >"$work/stdout" 2>"$work/stderr"
  got=$?
  set -e
  [ "$got" = "$want" ] || { cat "$work/stdout" "$work/stderr"; fail "exit $got, expected $want ($*)"; }
  grep -qx "exit-code=$want" "$work/output" || fail "exit-code output: $(cat "$work/output")"
}
output() { sed -n "s/^$1=//p" "$work/output"; }
sarif_results() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$1"; }

# Whole repository.
run 1 INPUT_PATHS=deploy
[ "$(output findings)" = 3 ] || fail "findings=$(output findings), expected 3"
[ "$(output sarif-file)" = sealant.sarif ] || fail "sarif-file output"
[ "$(sarif_results sealant.sarif)" = 3 ] || fail "SARIF results"
[ "$(grep -c '^::error file=deploy/' "$work/stdout")" = 3 ] || { cat "$work/stdout"; fail "annotations"; }
grep -q '^## sealant' "$work/summary" || fail "summary heading"
grep -q '| high | 3 |' "$work/summary" || { cat "$work/summary"; fail "summary counts"; }
grep -q '(https://github.com/o/r/blob/[0-9a-f]*/deploy/pod.yaml#L11)' "$work/summary" || { cat "$work/summary"; fail "summary links"; }
grep -q 'K8S003' "$work/stdout" || fail "human report on the log"
echo "action: full scan — 3 findings, SARIF, annotations, summary, exit 1"

# Pull-request mode: the old finding (moved to line 14) is not on a changed line.
run 1 INPUT_PATHS=. INPUT_ONLY_CHANGED=true INPUT_SARIF_FILE=pr.sarif GITHUB_BASE_REF=main
[ "$(output findings)" = 2 ] || { cat "$work/stdout"; fail "only-changed findings=$(output findings), expected 2"; }
[ "$(sarif_results pr.sarif)" = 2 ] || fail "only-changed SARIF results"
grep -q '^::error file=deploy/app.yaml,line=19,' "$work/stdout" || { cat "$work/stdout"; fail "new finding annotation"; }
grep -q '^::error file=deploy/pod.yaml,line=11,' "$work/stdout" || fail "new file annotation"
grep -q 'line=14,' "$work/stdout" && fail "the unchanged finding was annotated"
grep -q 'on changed lines' "$work/summary" || fail "summary scope"
echo "action: only-changed — 2 findings on changed lines, the old one left out"

# The base from the event payload, and a gate above the findings: exit 0.
printf '{"pull_request": {"base": {"sha": "%s"}}}' "$(git rev-parse main)" >"$work/event.json"
run 0 INPUT_ONLY_CHANGED=true GITHUB_EVENT_PATH="$work/event.json" INPUT_FAIL_ON=critical INPUT_ANNOTATIONS=false INPUT_SUMMARY=false
[ "$(output findings)" = 2 ] || fail "findings with fail-on critical"
grep -q '^::' "$work/stdout" && fail "annotations=false still annotated"
[ -s "$work/summary" ] && fail "summary=false still wrote a summary"
echo "action: event-payload base, fail-on critical — exit 0, no annotations, no summary"

# A baseline of the base commit: only the new findings fail.
git checkout -q main
"$SEALANT_BIN" scan . --no-config --write-baseline "$work/baseline.json" 2>/dev/null
git checkout -q feature
run 1 INPUT_BASELINE="$work/baseline.json" INPUT_ARGS="--no-config"
[ "$(output findings)" = 2 ] || fail "baseline findings=$(output findings)"
echo "action: baseline — known finding suppressed, 2 new ones fail"

# A usage error (bad input) is exit 2.
run 2 INPUT_FAIL_ON=severe
echo "action: ok"
