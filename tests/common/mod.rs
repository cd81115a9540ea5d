//! Helpers shared by the live end-to-end tests: run the sealant binary with a deadline (a hang
//! fails the test instead of stalling it) and read its JSON report.
#![allow(dead_code)]

pub mod bao;

use serde_json::Value;
use std::io::Read;
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
    // Drain both pipes while waiting: a large report (or a long -v log) would otherwise fill
    // a pipe and block the child while we wait for it to exit.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_string(&mut s);
            }
            s
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("sealant {args:?} hung for more than {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
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
