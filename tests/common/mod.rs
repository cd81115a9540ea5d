//! Helpers shared by the live end-to-end tests: run the sealant binary with a deadline (a hang
//! fails the test instead of stalling it) and read its JSON report.
#![allow(dead_code)]

use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// Runs `sealant args…` with `envs` (a `None` value removes the variable); kills it and
/// panics after `deadline`.
pub fn sealant(args: &[&str], envs: &[(&str, Option<&str>)], deadline: Duration) -> Run {
    let started = Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sealant"));
    cmd.args(args)
        .env("HOME", "/nonexistent")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let mut child = cmd.spawn().expect("sealant runs");
    // Drain the pipes while waiting, so a large report cannot block the child.
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut o) = child.stdout.take() {
            let _ = std::io::Read::read_to_string(&mut o, &mut s);
        }
        (child, s)
    });
    while !out.is_finished() {
        if started.elapsed() > deadline {
            panic!("sealant {args:?} hung for more than {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let (mut child, stdout) = out.join().unwrap();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    let status = child.wait().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr,
        elapsed: started.elapsed(),
    }
}

/// The JSON report of a run (`--format json`).
pub fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("JSON output ({e}): {}\n{}", run.stdout, run.stderr))
}

/// `path message` of every error diagnostic.
pub fn errors(json: &Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter(|x| x["level"] == "error")
                .map(|x| {
                    format!(
                        "{} {}",
                        x["path"].as_str().unwrap_or(""),
                        x["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `sealant: <source> API calls: N` from a `-v` run's stderr.
pub fn api_calls(stderr: &str, source: &str) -> Option<u64> {
    let prefix = format!("sealant: {source} API calls: ");
    stderr
        .lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .and_then(|n| n.trim().parse().ok())
}
