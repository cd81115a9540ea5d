#!/usr/bin/env bash
# The step logic of action.yml, runnable outside GitHub (tests/action.sh drives it with a faked
# GITHUB_* environment). Inputs arrive as INPUT_* variables; writes the outputs `findings`,
# `sarif-file` and `exit-code` to $GITHUB_OUTPUT, a markdown table to $GITHUB_STEP_SUMMARY,
# workflow-command annotations to stdout, and exits with sealant's exit code:
# 0 clean, 1 findings at or above fail-on, 2 incomplete scan or usage error.
#
# only-changed: the whole repository is scanned (cross-file rules need it), then only findings
# on lines the pull request added or changed are kept — `git diff` against the merge base of
# the base ref (GITHUB_BASE_REF, or the event's pull_request.base.sha, or INPUT_BASE_REF).
set -uo pipefail
sealant=${SEALANT_BIN:-sealant}
paths=${INPUT_PATHS:-.}
format=${INPUT_FORMAT:-human}
sarif=${INPUT_SARIF_FILE:-sealant.sarif}
only_changed=${INPUT_ONLY_CHANGED:-false}
annotations=${INPUT_ANNOTATIONS:-true}
summary=${INPUT_SUMMARY:-true}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

args=(scan)
read -r -a path_list <<<"$paths"
args+=("${path_list[@]}")
args+=(--format "json=$work/report.json" --format "sarif=$sarif" --color never)
# The format for the log (stdout); json/sarif/github are files or annotations already.
case "$format" in
  json | sarif | github) ;;
  *) args+=(--format "$format") ;;
esac
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<<"$INPUT_ARGS"
  args+=("${extra[@]}")
fi

changed_lines=""
if [ "$only_changed" = true ]; then
  base_ref=${INPUT_BASE_REF:-${GITHUB_BASE_REF:-}}
  base=""
  if [ -n "$base_ref" ]; then
    git rev-parse --verify -q "origin/$base_ref^{commit}" >/dev/null ||
      git fetch -q --depth=0 origin "$base_ref" 2>/dev/null ||
      git fetch -q origin "$base_ref:refs/remotes/origin/$base_ref" 2>/dev/null || true
    for cand in "origin/$base_ref" "$base_ref"; do
      if git rev-parse --verify -q "$cand^{commit}" >/dev/null; then
        base=$(git merge-base "$cand" HEAD 2>/dev/null || git rev-parse "$cand")
        break
      fi
    done
  fi
  if [ -z "$base" ] && [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
    base=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print((e.get("pull_request") or {}).get("base",{}).get("sha",""))' "$GITHUB_EVENT_PATH")
  fi
  if [ -z "$base" ]; then
    echo "::error title=sealant::only-changed needs a base: run on pull_request (GITHUB_BASE_REF) with the base fetched (actions/checkout fetch-depth: 0)"
    exit 2
  fi
  changed_lines="$work/changed.json"
  git diff --unified=0 --no-color --no-ext-diff --relative "$base" HEAD | python3 -c '
import json, re, sys
out, path = {}, None
for line in sys.stdin:
    if line.startswith("+++ "):
        p = line[4:].rstrip("\n")
        path = None if p == "/dev/null" else p[2:] if p.startswith("b/") else p
        if path is not None:
            out.setdefault(path, [])
    elif line.startswith("@@") and path is not None:
        m = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
        start, count = int(m.group(1)), int(m.group(2) or "1")
        if count:
            out[path].append([start, start + count - 1])
json.dump(out, sys.stdout)
' >"$changed_lines"
fi

"$sealant" "${args[@]}" >"$work/stdout.txt" 2>"$work/stderr.txt"
code=$?
cat "$work/stderr.txt" >&2
if [ ! -s "$work/report.json" ]; then
  cat "$work/stdout.txt"
  echo "::error title=sealant::sealant exited $code without a report"
  { [ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=$code" >>"$GITHUB_OUTPUT"; } || true
  exit "$code"
fi

# Filter (only-changed), re-gate, and render annotations and the summary from the JSON report.
python3 - "$work/report.json" "$sarif" "$changed_lines" "$code" "$work" <<'PY'
import json, os, sys
report_path, sarif_path, changed_path, code, work = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
r = json.load(open(report_path))
order = ["info", "low", "medium", "high", "critical"]
def norm(p):
    return p[2:] if p.startswith("./") else p
keep = None
if changed_path:
    changed = json.load(open(changed_path))
    def on_changed(path, line):
        return any(a <= line <= b for a, b in changed.get(norm(path), []))
    keep = lambda f: on_changed(f["location"]["path"], f["location"]["start_line"])
    r["findings"] = [f for f in r["findings"] if keep(f)]
    s = json.load(open(sarif_path))
    for run in s["runs"]:
        run["results"] = [
            x for x in run["results"]
            if on_changed(x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                          x["locations"][0]["physicalLocation"]["region"]["startLine"])
        ]
    json.dump(s, open(sarif_path, "w"), indent=2)
active = [f for f in r["findings"] if not f.get("suppressed")]
gate = r["summary"].get("fail_on") or "low"
if code != 2:
    code = 1 if any(order.index(f["severity"]) >= order.index(gate) for f in active) else 0
json.dump(r, open(os.path.join(work, "filtered.json"), "w"))
open(os.path.join(work, "code"), "w").write(str(code))
open(os.path.join(work, "count"), "w").write(str(len(active)))
# Annotations (workflow commands), as --format github writes them.
def esc(s): return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
def prop(s): return esc(s).replace(":", "%3A").replace(",", "%2C")
with open(os.path.join(work, "annotations.txt"), "w") as out:
    for f in active:
        cmd = {"critical": "error", "high": "error", "medium": "warning"}.get(f["severity"], "notice")
        l = f["location"]
        out.write(f"::{cmd} file={prop(l['path'])},line={l['start_line']},col={l['start_column']},endLine={l['end_line']},endColumn={l['end_column']},title={prop(f['rule_id'] + ' ' + f['title'] + ' (' + f['severity'] + ')')}::{esc(f['message'] + chr(10) + 'Fix: ' + f['remediation'])}\n")
    for d in r.get("diagnostics", []):
        if d.get("level") == "error":
            out.write(f"::error file={prop(d['path'])},title=sealant {prop(d['code'])}::{esc(d['message'])}\n")
# Job summary.
counts = {s: sum(1 for f in active if f["severity"] == s) for s in reversed(order)}
status = "⚠️ scan incomplete" if r["summary"]["incomplete"] else ("✅ no findings" if not active else "❌ findings")
scope = " on changed lines" if changed_path else ""
lines = ["## sealant", "", f"**{status}** — {len(active)} finding{'s' if len(active) != 1 else ''}{scope} in {r['summary']['files_scanned']} files scanned ({r['summary']['suppressed']} suppressed, gate: {gate})", "",
         "| Severity | Count |", "|---|---:|"] + [f"| {s} | {n} |" for s, n in counts.items()]
server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
repo, sha = os.environ.get("GITHUB_REPOSITORY"), os.environ.get("GITHUB_SHA")
if active:
    lines += ["", "| Severity | Rule | Location | Message |", "|---|---|---|---|"]
    active.sort(key=lambda f: -order.index(f["severity"]))
    for f in active[:50]:
        l = f["location"]
        where = f"{l['path']}:{l['start_line']}"
        link = f"{server}/{repo}/blob/{sha}/{l['path']}#L{l['start_line']}" if repo and sha else f"{l['path']}#L{l['start_line']}"
        msg = f["message"].replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {f['severity']} | [{f['rule_id']}]({f['help_uri']}) | [{where}]({link}) | {msg} |")
    if len(active) > 50:
        lines.append(f"\n…and {len(active) - 50} more (see the SARIF report).")
errors = [d for d in r.get("diagnostics", []) if d.get("level") == "error"]
if errors:
    lines += ["", "### Incomplete inputs", ""] + [f"- `{d['path']}` — {d['message']}" for d in errors]
open(os.path.join(work, "summary.md"), "w").write("\n".join(lines) + "\n")
PY
[ $? -eq 0 ] || { echo "::error title=sealant::could not post-process the report"; exit 2; }
code=$(cat "$work/code")
count=$(cat "$work/count")

# The report the user asked for, on the log. With only-changed, human output would list
# findings the filter dropped, so the log shows the annotations' text instead.
if [ "$only_changed" = true ]; then
  echo "sealant: $count finding(s) on changed lines (exit $code)"
else
  cat "$work/stdout.txt"
fi
[ "$annotations" = true ] && cat "$work/annotations.txt"
if [ "$summary" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$work/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "findings=$count"
    echo "sarif-file=$sarif"
    echo "exit-code=$code"
  } >>"$GITHUB_OUTPUT"
fi
exit "$code"
