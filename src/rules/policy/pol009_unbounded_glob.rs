//! POL009 — Glob not bounded by a segment: a trailing `*` not preceded by `/` is a plain
//! string prefix (`secret/data/app*` also matches `secret/data/application-admin/…`). Low,
//! medium with W capabilities. Not flagged when the block's line or the line above carries a
//! comment with `lint:allow-prefix`.

use super::{has_w, label, report_rule};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct UnboundedGlob;

impl Rule for UnboundedGlob {
    fn id(&self) -> &'static str {
        "POL009"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for sp in inv.policies() {
            // Lines are looked up through the file's index, only for a rule that needs them:
            // collecting the file's lines per policy cost policies × file size in a script
            // or Terraform file of many heredoc policies.
            let file = &inv.files[sp.file];
            for (ri, rule) in sp.rules().iter().enumerate() {
                let p = rule.raw_path.strip_prefix('/').unwrap_or(&rule.raw_path);
                let Some(base) = p.strip_suffix('*') else {
                    continue;
                };
                // `*` alone is POL001's; `…/*` is segment-bounded; `+*` is rejected (POL014).
                if base.is_empty() || base.ends_with('/') || base.ends_with('+') {
                    continue;
                }
                let line = rule.path_span.start.line as usize;
                let allowed = [line.checked_sub(2), line.checked_sub(1)]
                    .into_iter()
                    .flatten()
                    .filter_map(|i| file.line(i))
                    .any(|l| l.contains("lint:allow-prefix"));
                if allowed {
                    continue;
                }
                let sev = if has_w(rule.caps) {
                    Severity::Medium
                } else {
                    Severity::Low
                };
                let seg = base.rsplit('/').next().unwrap_or(base);
                report_rule(
                    sp,
                    ri,
                    format!(
                        "{}: the trailing `*` is a plain string prefix, not bounded by a segment — it also matches `{base}-anything/…` and other names starting with `{seg}`; use `{base}/*`",
                        label(rule)
                    ),
                    sev,
                    out,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::Config;
    use crate::model::file::load_text;
    use crate::source::classify::Format;

    /// `lint:allow-prefix` counts on the path's own line or the line above, never two above,
    /// on every policy of a file: the first line (no line above), CRLF endings and a last line
    /// without a newline included.
    #[test]
    fn allow_prefix_is_read_from_the_rule_line_and_the_one_above() {
        let text = "path \"a/x*\" { capabilities = [\"read\"] }\r\n\
                    # lint:allow-prefix\r\n\
                    path \"a/y*\" { capabilities = [\"read\"] }\r\n\
                    \r\n\
                    path \"a/z*\" { capabilities = [\"read\"] } # lint:allow-prefix\r\n\
                    # lint:allow-prefix\r\n\
                    \r\n\
                    path \"a/w*\" { capabilities = [\"read\"] }\r\n\
                    path \"a/v*\" { capabilities = [\"read\"] }";
        let file = load_text("p.hcl", text.to_owned(), Some(Format::Hcl));
        let inv = Inventory::new(vec![file], "default", &[]);
        let config = Config::default();
        let mut out = Emitter::new("POL009");
        UnboundedGlob.check(&inv, &Context { config: &config }, &mut out);
        let lines: Vec<u32> = out
            .findings
            .iter()
            .map(|f| f.location.span.start.line)
            .collect();
        assert_eq!(lines, [1, 8, 9]);
    }
}
