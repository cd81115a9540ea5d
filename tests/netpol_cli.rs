//! `sealant netpol explain` end to end: the policies that select a workload across files,
//! what egress/ingress remains, Vault reachability, and exit 2 for unknown/ambiguous names.

use std::process::{Command, Output};

fn sealant(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sealant"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const BRIEF: &str = "testdata/rules/K8S010-brief";

#[test]
fn labelled_consumer_is_isolated_and_reaches_vault() {
    let o = sealant(&["netpol", "explain", "payment-service", BRIEF]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = stdout(&o);
    assert!(
        out.contains("Deployment production/payment-service"),
        "{out}"
    );
    assert!(
        out.contains("namespace: production — from metadata.namespace"),
        "{out}"
    );
    assert!(
        out.contains("secret consumer: yes — Vault Agent injection is enabled"),
        "{out}"
    );
    assert!(out.contains("Egress: isolated"), "{out}");
    assert!(
        out.contains("NetworkPolicy production/default-deny-egress"),
        "{out}"
    );
    assert!(
        out.contains("NetworkPolicy production/allow-vault-egress"),
        "{out}"
    );
    assert!(
        out.contains("allows to pods [app.kubernetes.io/name=vault] in namespaces [kubernetes.io/metadata.name=vault] on 8200/TCP"),
        "{out}"
    );
    assert!(out.contains("on 8200/TCP: allowed"), "{out}");
    assert!(out.contains("Ingress: NOT isolated"), "{out}");
}

#[test]
fn unlabelled_consumer_is_isolated_but_cannot_reach_vault() {
    let o = sealant(&[
        "netpol",
        "explain",
        "production/Deployment/report-service",
        BRIEF,
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("secret consumer: yes — sets VAULT_ADDR"),
        "{out}"
    );
    assert!(out.contains("Egress: isolated"), "{out}");
    assert!(!out.contains("allow-vault-egress"), "{out}");
    assert!(
        out.contains("allows to every pod in namespaces [kubernetes.io/metadata.name=kube-system] on 53/UDP, 53/TCP"),
        "{out}"
    );
    assert!(
        out.contains("blocked (a Vault client here cannot reach Vault)"),
        "{out}"
    );
}

#[test]
fn ingress_only_policy_leaves_egress_open() {
    let o = sealant(&[
        "netpol",
        "explain",
        "Deployment/worker",
        "testdata/rules/K8S010",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("Egress: NOT isolated"), "{out}");
    assert!(
        out.contains("worker-from-frontend (testdata/rules/K8S010/ingress-only.yaml:4) selects these pods but does not govern egress: effective policyTypes [Ingress]"),
        "{out}"
    );
    assert!(out.contains("Ingress: isolated"), "{out}");
    assert!(out.contains("on 8200/TCP: allowed"), "{out}");
}

#[test]
fn unknown_and_ambiguous_workloads_exit_2() {
    let o = sealant(&["netpol", "explain", "nope", BRIEF]);
    assert_eq!(o.status.code(), Some(2));
    let o = sealant(&["netpol", "explain", "report-service", BRIEF]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("production/Deployment/report-service"),
        "{err}"
    );
    assert!(err.contains("staging/Deployment/report-service"), "{err}");
}
