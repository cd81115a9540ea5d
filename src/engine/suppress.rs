//! Inline suppressions: `sealant:ignore <ID>[,<ID>] -- <reason>` in a YAML, HCL, Terraform or
//! shell comment, on the finding's line or the line above, with an optional
//! `until=YYYY-MM-DD` after which it stops applying (and says so).

use crate::model::file::ParsedFile;
use crate::syntax::yaml::Node;
use serde::Serialize;

/// One `sealant:ignore` comment. On a line of its own it covers the next line (and the YAML
/// item, entry or HCL block starting there); after code it covers its own line only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineSuppression {
    /// The comment's line; it covers this line and the next.
    pub line: u32,
    pub column: u32,
    pub rule_ids: Vec<String>,
    pub reason: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub until: Option<String>,
    /// A comment after code on its line covers that line only.
    pub trailing: bool,
}

impl InlineSuppression {
    /// True when a finding of `rule_id` starting on `line` is covered: the comment's own line,
    /// the next line, or — when the next line starts a YAML list item or mapping entry, or an
    /// HCL block — everything up to `next_node_end` (the end line of that node).
    pub fn covers(&self, rule_id: &str, line: u32, next_node_end: u32) -> bool {
        let last = if self.trailing {
            self.line
        } else {
            self.line.saturating_add(1).max(next_node_end)
        };
        (self.line..=last).contains(&line)
            && self.rule_ids.iter().any(|r| r == rule_id || r == "all")
    }
    /// True when `until` is in the past relative to `today` (`YYYY-MM-DD`).
    pub fn expired(&self, today: &str) -> bool {
        self.until.as_deref().is_some_and(|u| u < today)
    }
}

const MARKER: &str = "sealant:ignore";

/// Finds every suppression comment (after `#` or `//`) in a text.
pub fn scan(text: &str) -> Vec<InlineSuppression> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let before = &line[..at];
        if !(before.contains('#') || before.contains("//")) {
            continue;
        }
        let rest = line[at + MARKER.len()..].trim();
        let (head, reason) = match rest.split_once("--") {
            Some((h, r)) => (h.trim(), Some(r.trim())),
            None => (rest, None),
        };
        let mut ids = Vec::new();
        let mut until = None;
        let mut push_until = |tok: &str| {
            if let Some(d) = tok.strip_prefix("until=") {
                until = Some(d.to_owned());
                true
            } else {
                false
            }
        };
        for tok in head
            .split([',', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if !push_until(tok) {
                ids.push(tok.to_ascii_uppercase().replace("ALL", "all"));
            }
        }
        let mut reason = reason.map(str::to_owned);
        if let Some(r) = reason.as_mut() {
            let words: Vec<&str> = r.split_whitespace().collect();
            let (u, keep): (Vec<&str>, Vec<&str>) =
                words.into_iter().partition(|w| w.starts_with("until="));
            for w in u {
                push_until(w);
            }
            *r = keep.join(" ");
        }
        out.push(InlineSuppression {
            line: i as u32 + 1,
            column: line[..at].chars().count() as u32 + 1,
            rule_ids: ids,
            reason: reason.filter(|r| !r.is_empty()),
            until,
            trailing: !before.trim_start().starts_with('#')
                && !before.trim_start().starts_with("//"),
        });
    }
    out
}

/// Today's date as `YYYY-MM-DD` (UTC), or `SEALANT_TODAY` when set (tests).
pub fn today() -> String {
    if let Ok(d) = std::env::var("SEALANT_TODAY") {
        return d;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs / 86_400) as i64)
}

/// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
pub(crate) fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{:02}-{:02}", if m <= 2 { y + 1 } else { y }, m, d)
}

/// The last line of the YAML list item or mapping entry, or HCL block, that starts on the line
/// after `comment_line` (0 when none does): a suppression comment above it covers it whole.
pub fn node_end_after(file: &ParsedFile, comment_line: u32) -> u32 {
    let target = comment_line + 1;
    let roots = file
        .objects
        .iter()
        .map(|o| o.root())
        .chain(file.documents.iter().map(|d| &d.root));
    let mut end = 0;
    for root in roots.filter(|r| r.span.start.line <= target && target <= r.span.end.line) {
        end = end.max(yaml_node_end(root, target));
    }
    for doc in &file.hcl {
        for b in doc
            .body
            .blocks
            .iter()
            .filter(|b| b.span.start.line == target)
        {
            end = end.max(b.span.end.line);
        }
    }
    end
}

fn yaml_node_end(node: &Node, target: u32) -> u32 {
    use crate::syntax::yaml::Value;
    if node.span.end.line < target || node.span.start.line > target {
        return 0;
    }
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .map(|i| {
                if i.span.start.line == target {
                    i.span.end.line
                } else {
                    yaml_node_end(i, target)
                }
            })
            .max()
            .unwrap_or(0),
        Value::Map(entries) => entries
            .iter()
            .filter(|e| !e.merged)
            .map(|e| {
                if e.key.span.start.line == target {
                    e.value.span.end.line.max(target)
                } else {
                    yaml_node_end(&e.value, target)
                }
            })
            .max()
            .unwrap_or(0),
        Value::Scalar(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_reason_and_until() {
        let s =
            scan("a: 1\n  # sealant:ignore K8S001,k8s003 -- lab cluster until=2026-01-31\nb: 2\n");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].line, 2);
        assert_eq!(s[0].rule_ids, ["K8S001", "K8S003"]);
        assert_eq!(s[0].reason.as_deref(), Some("lab cluster"));
        assert_eq!(s[0].until.as_deref(), Some("2026-01-31"));
        assert!(s[0].covers("K8S003", 3, 0));
        assert!(!s[0].covers("K8S003", 4, 0));
        assert!(s[0].covers("K8S003", 4, 4));
        assert!(s[0].expired("2026-02-01"));
        assert!(!s[0].expired("2026-01-31"));
    }

    #[test]
    fn not_in_a_comment_is_ignored() {
        assert!(scan("key: sealant:ignore K8S001\n").is_empty());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_786), "2026-11-29");
    }
}
