//! `sealant audit`: Vault/OpenBao audit-log analysis (RULES-SPEC §1(j), rules AUD001–AUD006).
//!
//! One streaming pass: `reader` reads each input in large blocks and parses its lines in
//! parallel chunks into compact `event`s (`record` is the borrowed line parser), `merge`
//! orders the inputs' events by time and drops cross-node copies, and every `detect`or sees
//! each event once. Memory is bounded by the active windows and the accessor/address sets,
//! not by the size of the log.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod detect;
pub mod event;
pub mod merge;
pub mod reader;
pub mod record;
pub mod run;
pub mod window;

/// The rules `sealant audit` implements.
pub const RULE_IDS: &[&str] = &["AUD001", "AUD002", "AUD003", "AUD004", "AUD005", "AUD006"];
