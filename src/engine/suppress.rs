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
        (self.line..=self.last_line(next_node_end)).contains(&line) && self.names(rule_id)
    }
    /// The last line this comment covers, given `next_node_end` (see `covers`).
    fn last_line(&self, next_node_end: u32) -> u32 {
        if self.trailing {
            self.line
        } else {
            self.line.saturating_add(1).max(next_node_end)
        }
    }
    /// True when the comment lists `rule_id` or `all`.
    fn names(&self, rule_id: &str) -> bool {
        self.rule_ids.iter().any(|r| r == rule_id || r == "all")
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

/// A file's suppressions with the lines each covers worked out once, so that judging a finding
/// costs a few binary searches instead of a walk over every suppression and, for each, every
/// object, document and HCL block of the file (cubic on a big rendered manifest with a
/// comment per object).
pub struct SuppressionIndex<'f> {
    suppressions: &'f [InlineSuppression],
    /// Per suppression, the last line it covers.
    last: Vec<u32>,
    /// `last` as a tree of maximums; used only when the suppressions are in line order.
    reach: MaxTree,
    /// True when the suppressions are in line order (always, as `scan` finds them).
    sorted: bool,
}

impl<'f> SuppressionIndex<'f> {
    /// Indexes `file`'s suppressions: one `node_end_after` per suppression, answered by
    /// binary search too.
    pub fn new(file: &'f ParsedFile) -> Self {
        let suppressions = file.suppressions.as_slice();
        let nodes = NodeEnds::new(file);
        let last: Vec<u32> = suppressions
            .iter()
            .map(|s| s.last_line(nodes.end_after(s.line)))
            .collect();
        Self {
            suppressions,
            reach: MaxTree::new(&last),
            sorted: suppressions.is_sorted_by_key(|s| s.line),
            last,
        }
    }

    /// The first suppression, in file order, that covers a finding of `rule_id` starting on
    /// `line`: what `file.suppressions.iter().find(|s| s.covers(rule_id, line,
    /// node_end_after(file, s.line)))` answers.
    pub fn find(&self, rule_id: &str, line: u32) -> Option<&'f InlineSuppression> {
        if !self.sorted {
            return self
                .suppressions
                .iter()
                .zip(&self.last)
                .find(|(s, &last)| (s.line..=last).contains(&line) && s.names(rule_id))
                .map(|(s, _)| s);
        }
        // Those starting on or before `line` are a prefix; among them, the tree finds the
        // ones reaching `line`, in order (few: as many as nest around one line).
        let before = self.suppressions.partition_point(|s| s.line <= line);
        let mut from = 0;
        while let Some(i) = self.reach.first_at_least(from, before, line) {
            if self.suppressions[i].names(rule_id) {
                return Some(&self.suppressions[i]);
            }
            from = i + 1;
        }
        None
    }
}

/// `node_end_after` for many lines of one file: the YAML roots sorted by first line with a
/// tree of their last lines, and the HCL blocks sorted by first line.
struct NodeEnds<'f> {
    roots: Vec<&'f Node>,
    root_ends: MaxTree,
    /// (first line, last line) of every top-level HCL block.
    blocks: Vec<(u32, u32)>,
}

impl<'f> NodeEnds<'f> {
    fn new(file: &'f ParsedFile) -> Self {
        let mut roots: Vec<&Node> = file
            .objects
            .iter()
            .map(|o| o.root())
            .chain(file.documents.iter().map(|d| &d.root))
            .collect();
        // Only the maximum over the roots matters, so their order is free.
        roots.sort_by_key(|r| r.span.start.line);
        let ends: Vec<u32> = roots.iter().map(|r| r.span.end.line).collect();
        let mut blocks: Vec<(u32, u32)> = file
            .hcl
            .iter()
            .flat_map(|d| &d.body.blocks)
            .map(|b| (b.span.start.line, b.span.end.line))
            .collect();
        blocks.sort_unstable();
        Self {
            roots,
            root_ends: MaxTree::new(&ends),
            blocks,
        }
    }

    /// What `node_end_after(file, comment_line)` answers.
    fn end_after(&self, comment_line: u32) -> u32 {
        let target = comment_line + 1;
        let before = self.roots.partition_point(|r| r.span.start.line <= target);
        let mut end = 0;
        let mut from = 0;
        while let Some(i) = self.root_ends.first_at_least(from, before, target) {
            end = end.max(yaml_node_end(self.roots[i], target));
            from = i + 1;
        }
        // Sorted by (first, last): the last block starting on `target` ends furthest.
        let blocks_before = self.blocks.partition_point(|&(start, _)| start <= target);
        if let Some(&(start, last)) = blocks_before
            .checked_sub(1)
            .and_then(|i| self.blocks.get(i))
        {
            if start == target {
                end = end.max(last);
            }
        }
        end
    }
}

/// Maximums over a fixed sequence as a segment tree: finds the first element in a range
/// that reaches a bound in O(log n), which, over intervals sorted by start and keyed by
/// their ends, lists the intervals holding a point without visiting those that do not.
struct MaxTree {
    /// Leaves start here; padding leaves are 0.
    leaves: usize,
    max: Vec<u32>,
}

impl MaxTree {
    fn new(values: &[u32]) -> Self {
        let leaves = values.len().next_power_of_two();
        let mut max = vec![0; 2 * leaves];
        max[leaves..leaves + values.len()].copy_from_slice(values);
        for i in (1..leaves).rev() {
            max[i] = max[2 * i].max(max[2 * i + 1]);
        }
        Self { leaves, max }
    }

    /// The first index in `from..to` whose value is at least `bound`.
    fn first_at_least(&self, from: usize, to: usize, bound: u32) -> Option<usize> {
        self.search(1, 0..self.leaves, from..to, bound)
    }

    fn search(
        &self,
        node: usize,
        spans: std::ops::Range<usize>,
        want: std::ops::Range<usize>,
        bound: u32,
    ) -> Option<usize> {
        if spans.end <= want.start || want.end <= spans.start || self.max[node] < bound {
            return None;
        }
        if spans.len() == 1 {
            return Some(spans.start);
        }
        let mid = spans.start + spans.len() / 2;
        self.search(2 * node, spans.start..mid, want.clone(), bound)
            .or_else(|| self.search(2 * node + 1, mid..spans.end, want, bound))
    }
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

    /// The answer before the index: every suppression, each walking the whole file.
    fn brute_force(file: &ParsedFile, rule_id: &str, line: u32) -> Option<(u32, u32)> {
        file.suppressions
            .iter()
            .find(|s| s.covers(rule_id, line, node_end_after(file, s.line)))
            .map(|s| (s.line, s.column))
    }

    fn assert_index_agrees(text: &str, format: crate::source::classify::Format) {
        let file = crate::model::file::load_text("f", text.to_owned(), Some(format));
        assert!(file.suppressions.len() > 10, "{}", file.suppressions.len());
        let index = SuppressionIndex::new(&file);
        let lines = text.lines().count() as u32 + 2;
        for line in 0..=lines {
            for rule in ["K8S001", "K8S003", "K8S009", "POL001"] {
                assert_eq!(
                    index.find(rule, line).map(|s| (s.line, s.column)),
                    brute_force(&file, rule, line),
                    "{rule} on line {line}"
                );
            }
        }
    }

    /// Comments above documents, entries, list items and List items, trailing ones, nested
    /// and overlapping ones, several rules, `all`, expired ones and one on the last line.
    fn many_yaml_objects() -> String {
        let mut docs = Vec::new();
        for i in 0..30 {
            let above_doc = if i % 4 == 0 {
                "# sealant:ignore K8S001 -- whole\n"
            } else {
                ""
            };
            let above_spec = if i % 3 == 0 {
                "# sealant:ignore K8S003,K8S009 -- spec\n"
            } else {
                ""
            };
            let above_item = if i % 2 == 0 {
                "        # sealant:ignore all until=2020-01-01\n"
            } else {
                ""
            };
            let inner = if i % 5 == 1 {
                "          # sealant:ignore K8S003 -- inner\n"
            } else {
                ""
            };
            docs.push(format!(
                "{above_doc}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\n\
                 {above_spec}spec:\n  template:\n    spec:\n      containers:\n\
                 {above_item}        - name: c\n          image: x  # sealant:ignore K8S009\n\
                 {inner}          env:\n            - name: A\n              value: b\n\
                 \x20       - name: d\n          image: y\n"
            ));
        }
        docs.push(
            "apiVersion: v1\nkind: List\nitems:\n  # sealant:ignore K8S001\n\
             \x20 - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n\
             \x20 - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n\
             \x20   # sealant:ignore K8S003\n    data:\n      k: v\n"
                .to_owned(),
        );
        docs.push("values:\n  # sealant:ignore K8S001\n  a:\n    b: c\n".to_owned());
        docs.join("---\n") + "# sealant:ignore K8S001\n"
    }

    #[test]
    fn index_agrees_with_brute_force_on_yaml() {
        assert_index_agrees(&many_yaml_objects(), crate::source::classify::Format::Yaml);
    }

    #[test]
    fn index_agrees_with_brute_force_on_hcl() {
        let mut text = String::new();
        for i in 0..20 {
            if i % 2 == 0 {
                text.push_str("# sealant:ignore POL001 -- block\n");
            }
            text.push_str(&format!("path \"secret/{i}\" {{\n"));
            if i % 3 == 0 {
                text.push_str("  # sealant:ignore all\n");
            }
            text.push_str("  capabilities = [\"read\"] // sealant:ignore POL001\n}\n");
        }
        assert_index_agrees(&text, crate::source::classify::Format::Hcl);
    }

    #[test]
    fn max_tree_finds_the_first_reaching_the_bound() {
        let values = [3, 9, 1, 7, 7, 2];
        let tree = MaxTree::new(&values);
        for from in 0..=values.len() {
            for to in from..=values.len() {
                for bound in 0..11 {
                    let want = (from..to).find(|&i| values[i] >= bound);
                    assert_eq!(tree.first_at_least(from, to, bound), want);
                }
            }
        }
        assert_eq!(MaxTree::new(&[]).first_at_least(0, 0, 0), None);
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_786), "2026-11-29");
    }
}
