//! Running a scan: discovery, parallel parsing, rules, and the filters between findings and
//! reports (config, inline and annotation suppressions, severity gate).
pub mod baseline;
pub mod config;
pub mod fingerprint;
pub mod live_locations;
pub mod scan;
pub mod sensitive;
pub mod suppress;
pub mod timings;
