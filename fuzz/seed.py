#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from testdata/ (and the regression inputs), in the input
format each target decodes: a selector byte that picks the file name (and so the input kind),
then the file's bytes. Idempotent; file names are content hashes. testdata/ is walked in sorted
order, so every machine builds the same corpus (CI's fuzz smoke depends on that).

    fuzz/seed.py [--out DIR]    # DIR/<target>/ instead of fuzz/corpus/<target>/"""
import argparse
import hashlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUZZ = os.path.join(ROOT, "fuzz")
# Must match fuzz/src/lib.rs YAML_NAMES / HCL_NAMES and scan_one_file's list.
YAML_NAMES = ["deploy.yaml", "values.yaml", "chart/templates/deployment.yaml",
              ".github/workflows/ci.yml", ".gitlab-ci.yml", "docker-compose.yml",
              "kustomization.yaml", "Chart.yaml", "policy.json", "config.json"]
HCL_NAMES = ["policy.hcl", "agent.hcl", "server.hcl", "main.tf"]
SCRIPT_NAMES = ["setup.sh", ".env", "Makefile", "Dockerfile"]
MAX = 64 * 1024


OUT = os.path.join(FUZZ, "corpus")


def put(target, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def yaml_selector(path):
    p = path.lower()
    if "/templates/" in p:
        return 2
    if "workflows" in p:
        return 3
    if "gitlab" in p:
        return 4
    if "compose" in p:
        return 5
    if "kustomization" in p:
        return 6
    if p.endswith("chart.yaml"):
        return 7
    if p.endswith(".json"):
        return 8
    if "values" in p:
        return 1
    return 0


def hcl_selector(path, text):
    if path.endswith(".tf"):
        return 3
    if b"listener" in text or b"storage" in text:
        return 2
    if b"auto_auth" in text or b"template" in text or b"vault {" in text:
        return 1
    return 0


def main():
    global OUT
    args = argparse.ArgumentParser(description="Seeds the fuzz corpora from testdata/.")
    args.add_argument("--out", default=OUT, help="corpus root (default fuzz/corpus)")
    OUT = os.path.abspath(args.parse_args().out)
    n = 0
    for base, dirs, files in os.walk(os.path.join(ROOT, "testdata")):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(base, name)
            data = open(path, "rb").read()
            if len(data) > MAX:
                continue
            rel = os.path.relpath(path, ROOT)
            names = YAML_NAMES + HCL_NAMES + SCRIPT_NAMES
            if name.endswith((".yaml", ".yml", ".json")):
                s = yaml_selector(rel)
                put("yaml_classify", bytes([s]) + data)
                put("scan_one_file", bytes([s]) + data)
                if b"kind: ConfigMap" in data:
                    put("hcl_in_yaml", bytes([0]) + data)
                if b"Selector" in data or b"selector" in data:
                    put("label_selector", bytes([0]) + data)
            elif name.endswith(".log"):
                # audit_line: mode byte 0 (raw line), one corpus entry per line, a few per file.
                for line in data.splitlines()[:8]:
                    put("audit_line", bytes([0]) + line)
            elif name.endswith((".hcl", ".tf")):
                s = hcl_selector(name, data)
                put("hcl", bytes([s]) + data)
                put("hcl_in_yaml", bytes([n % 4]) + data)
                put("scan_one_file", bytes([len(YAML_NAMES) + s]) + data)
            elif name.endswith(".sh") or name.startswith(".env") or name.endswith((".mk", "Dockerfile")):
                k = 0 if name.endswith(".sh") else 1 if name.startswith(".env") else 2 if name.endswith(".mk") else 3
                put("scan_one_file", bytes([names.index(SCRIPT_NAMES[k])]) + data)
            n += 1
    for s in ["0", "1h30m", "1.5h", "-2m", "768h", "7d", "7d12h", "30s", "9223372036854775807",
              "1µs", "0.000000001s", "+5m", "true", "True", "yes", "1", "t", "FALSE", "{{ .x }}", "${X}"]:
        put("duration_bool", s.encode())
    for seed in [b"\x01\x03\x02\x00\x01\x02\x05\x03\x00\x01\x02\x03\x04", bytes(range(64)), b"\x02" * 48]:
        put("acl_reference", seed)
    for seed in [b"\x01\x02\x00\x01\x01\x02\x00\x01\x00\x02\x01", bytes(range(1, 64)), b"\x01" * 40,
                 b"\x00app == 'web' && has(tier)", b"\x00!(env in {'a', 'b'}) || all()"]:
        put("label_selector", seed)
    for seed in [b"\x01" + bytes(range(64)), b"\x03" * 50]:
        put("audit_line", seed)
    # Regression inputs are corpus too, so every run replays them first.
    reg = os.path.join(FUZZ, "regressions")
    if os.path.isdir(reg):
        for target in sorted(os.listdir(reg)):
            for name in sorted(os.listdir(os.path.join(reg, target))):
                put(target, open(os.path.join(reg, target, name), "rb").read())
    print(f"fuzz/seed.py: seeded {OUT} from {n} testdata files", file=sys.stderr)


if __name__ == "__main__":
    main()
