//! Problems with the scan itself (unreadable or unparseable input, skipped files): never a
//! silent pass. Error-level diagnostics mark the scan incomplete (exit code 2).

use crate::location::Span;
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

/// A located problem with an input.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub level: Level,
    /// A short machine-readable code: `parse-error`, `unreadable`, `skipped`, `duplicate-key`, …
    pub code: &'static str,
    pub path: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        level: Level,
        code: &'static str,
        path: Arc<str>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            level,
            code,
            path,
            span,
            message: message.into(),
        }
    }
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Span", 4)?;
        st.serialize_field("start_line", &self.start.line)?;
        st.serialize_field("start_column", &self.start.col)?;
        st.serialize_field("end_line", &self.end.line)?;
        st.serialize_field("end_column", &self.end.col)?;
        st.end()
    }
}
