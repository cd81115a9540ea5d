"""The brief's bulk-read detector (brief 000, section 5), extracted as a test oracle for
sealant's AUD001 (`sealant audit --no-default-excludes`).

The code is the brief's, re-indented (the brief lost its indentation), with one documented
change: the failure test. The brief skips events whose `response.errors` is truthy, a field
the Vault/OpenBao audit schema does not have, so on real logs it never skips a failure.
RULES-SPEC §1(j): an entry failed iff its top-level `error` is non-empty or it has a
`response.data.error`; sealant also honours `response.errors`. `FAILURES = "brief"` restores
the brief's test verbatim.

Usage: python3 bulk_reads.py LOG [--window MIN] [--threshold N] [--json] [--brief-failures]
"""

import json
import sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone

FAILURES = "spec"


def is_failure(event) -> bool:
    """Whether an audit entry records a failed request."""
    response = event.get('response', {})
    if FAILURES == "brief":
        return bool(response.get('errors'))
    if response.get('errors'):
        return True
    if event.get('error'):
        return True
    data = response.get('data') if isinstance(response, dict) else None
    return isinstance(data, dict) and data.get('error') is not None


def parse_vault_audit_log(path: str):
    """Yield parsed audit log events from a Vault NDJSON audit log file."""
    with open(path, encoding='utf-8') as f:
        for line_no, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"Warning: malformed JSON at line {line_no}: {exc}", file=sys.stderr)


def detect_bulk_reads(
    audit_log_path: str,
    window_minutes: int = 5,
    read_threshold: int = 50,
) -> list[dict]:
    """
    Identify token accessors that performed an anomalously high number of
    secret read operations within a sliding time window.
    Returns a list of anomaly dicts, each containing the accessor, the
    operation count, the window start time, and a sample of accessed paths.
    """
    # Build per-accessor timeline: [(timestamp, path, operation), ...]
    reads_by_accessor = defaultdict(list)
    for event in parse_vault_audit_log(audit_log_path):
        # Only examine response events (each request has a paired response)
        if event.get('type') != 'response':
            continue
        operation = event.get('request', {}).get('operation')
        if operation not in ('read', 'list'):
            continue
        # Errors (e.g., 403 denied) are still logged; skip them
        # to avoid false positives from failed enumeration attempts
        # that the ACL already blocked. Non-zero errors map to HTTP 4xx/5xx.
        # (oracle change: the brief tested only `response.errors`; see is_failure)
        if is_failure(event):
            continue
        accessor = event.get('auth', {}).get('accessor', 'unauthenticated')
        path = event.get('request', {}).get('path', '')
        time_str = event.get('time', '')
        try:
            ts = datetime.fromisoformat(time_str.replace('Z', '+00:00'))
        except ValueError:
            continue
        reads_by_accessor[accessor].append((ts, path, operation))
    window = timedelta(minutes=window_minutes)
    anomalies = []
    for accessor, events in reads_by_accessor.items():
        events.sort(key=lambda e: e[0])
        already_flagged_at = None
        for i, (ts, path, op) in enumerate(events):
            # Skip positions already covered by a previously flagged window
            if already_flagged_at and ts < already_flagged_at + window:
                continue
            window_events = [
                e for e in events[i:]
                if e[0] <= ts + window
            ]
            if len(window_events) >= read_threshold:
                already_flagged_at = ts
                anomalies.append({
                    'accessor': accessor,
                    'read_count': len(window_events),
                    'window_start': ts.isoformat(),
                    'window_end': (ts + window).isoformat(),
                    'read_threshold': read_threshold,
                    'window_minutes': window_minutes,
                    'sample_paths': [e[1] for e in window_events[:15]],
                    'operations': list({e[2] for e in window_events}),
                })
    return anomalies


def _utc(iso: str) -> str:
    """The window start as sealant prints it (UTC, six fractional digits)."""
    ts = datetime.fromisoformat(iso)
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=timezone.utc)
    return ts.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


if __name__ == '__main__':
    import argparse
    parser = argparse.ArgumentParser(description='Detect bulk Vault secret reads')
    parser.add_argument('audit_log', help='Path to Vault audit log (NDJSON)')
    parser.add_argument('--window', type=int, default=5, help='Time window in minutes')
    parser.add_argument('--threshold', type=int, default=50, help='Read count threshold')
    parser.add_argument('--json', action='store_true', help='normalised JSON for comparisons')
    parser.add_argument('--brief-failures', action='store_true', help="the brief's failure test")
    args = parser.parse_args()
    if args.brief_failures:
        FAILURES = "brief"
    anomalies = detect_bulk_reads(args.audit_log, args.window, args.threshold)
    if args.json:
        out = [{
            'accessor': a['accessor'],
            'count': a['read_count'],
            'window_start': _utc(a['window_start']),
            'sample_paths': a['sample_paths'],
            'operations': sorted(a['operations']),
        } for a in anomalies]
        out.sort(key=lambda a: (json.dumps(a['accessor']), a['window_start']))
        print(json.dumps(out, indent=1))
        sys.exit(0)
    if not anomalies:
        print("No bulk read anomalies detected.")
        sys.exit(0)
    print(f"ALERT: {len(anomalies)} bulk read anomaly(ies) detected:\n")
    for a in anomalies:
        print(f" Accessor : {a['accessor']}")
        print(f" Reads : {a['read_count']} in {a['window_minutes']}min starting {a['window_start']}")
        print(f" Ops : {', '.join(a['operations'])}")
        print(f" Paths : {a['sample_paths'][:5]}")
        print()
