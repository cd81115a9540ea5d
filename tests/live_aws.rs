//! `sealant scan --aws` end to end: the real binary with the real AWS SDK, against
//! (a) the in-process reference server's EC2 API serving `examples/live/world.yaml`,
//! with the world's generic faults in front of it, and (b) a real moto server seeded through
//! its EC2 API with the same world — both scans must report the same findings (rule,
//! severity, logical location, message) once moto's own ids are mapped back to the world's.
//!
//! moto comes from `./.venv/bin/moto_server` (`scripts/install-test-deps`); without it the
//! parity test is skipped loudly, and fails when `CI` is set.
#![cfg(all(feature = "live-aws", feature = "refserver"))]

mod common;

use aws_sdk_ec2::types as ec2;
use common::{api_calls, errors, json, sealant, Run};
use sealant::refserver::{self, World};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WORLD: &str = "examples/live/world.yaml";
/// The world's account and region: every live finding is under this prefix.
const P: &str = "aws://123456789012/us-east-1";
const VPC_PROD: &str = "vpc-0a1b2c3d4e5f60001";
const VPC_STAGING: &str = "vpc-0a1b2c3d4e5f60002";

fn demo() -> World {
    World::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(WORLD)).unwrap()
}

/// The demo world with `faults:` (YAML flow list) added.
fn with_faults(faults: &str) -> World {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(WORLD)).unwrap();
    World::parse(&format!("{text}\nfaults: {faults}\n")).unwrap()
}

/// Runs `sealant scan --aws -v --format json …` against an EC2 endpoint with test
/// credentials and no shared config (no profile, no IMDS).
fn scan(endpoint: &str, extra: &[&str]) -> (Run, Value) {
    let none = std::env::temp_dir().join("sealant-live-aws-no-such-file");
    let none = none.to_str().unwrap();
    let mut args = vec![
        "scan",
        "--aws",
        "-v",
        "--no-config",
        "--format",
        "json",
        "--live-timeout",
        "2",
    ];
    args.extend_from_slice(extra);
    let run = sealant(
        &args,
        &[
            ("AWS_ENDPOINT_URL_EC2", Some(endpoint)),
            ("AWS_ACCESS_KEY_ID", Some("AKIDSEALANTTEST")),
            ("AWS_SECRET_ACCESS_KEY", Some("sealant-test-secret")),
            ("AWS_REGION", Some("us-east-1")),
            ("AWS_EC2_METADATA_DISABLED", Some("true")),
            ("AWS_CONFIG_FILE", Some(none)),
            ("AWS_SHARED_CREDENTIALS_FILE", Some(none)),
            ("AWS_PROFILE", None),
            ("AWS_ENDPOINT_URL", None),
            ("AWS_SESSION_TOKEN", None),
        ],
        Duration::from_secs(120),
    );
    let report = json(&run);
    (run, report)
}

/// (rule, severity, location) of every finding, sorted.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

fn expected_demo() -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = [
        ("AWS001", "high", VPC_STAGING.to_owned()),
        ("AWS003", "high", format!("{VPC_PROD}#enableDnsHostnames")),
        (
            "AWS004",
            "medium",
            format!("{VPC_PROD}/vpce-0a1b2c3d4e5f60001#policyDocument"),
        ),
        (
            "AWS005",
            "medium",
            format!("{VPC_PROD}/sg-0a1b2c3d4e5f60001#ipPermissions[0].ipRanges[0]"),
        ),
        (
            "AWS006",
            "low",
            format!("{VPC_PROD}/vpce-0a1b2c3d4e5f60001#subnetIdSet"),
        ),
    ]
    .into_iter()
    .map(|(r, s, p)| (r.to_owned(), s.to_owned(), format!("{P}/{p}")))
    .collect();
    v.sort();
    v
}

/// Listings per region (DescribeVpcs, -Subnets, -RouteTables, -VpcEndpoints,
/// -SecurityGroups) + DescribeVpcAttribute twice per VPC: the demo world has 2 VPCs.
const DEMO_CALLS: u64 = 5 + 2 * 2;

#[test]
fn demo_world_findings_from_the_reference_server() {
    let (addr, _server) = refserver::serve(&demo()).unwrap();
    let (run, report) = scan(&format!("http://{addr}"), &["--region", "us-east-1"]);
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));
    assert_eq!(findings(&report), expected_demo(), "{report:#}");
    assert_eq!(run.code, 1, "findings, complete scan: {}", run.stderr);
    // No per-object calls beyond the per-VPC attributes the API forces.
    assert_eq!(
        api_calls(&run.stderr, "aws"),
        Some(DEMO_CALLS),
        "{}",
        run.stderr
    );
}

#[test]
fn every_region_by_describe_regions_vpc_filter_and_small_pages() {
    let mut world = demo();
    // A second region with one Internet-routed VPC and no endpoint: DescribeRegions finds it.
    world.aws["regions"]["eu-west-1"] = serde_json::json!({
        "vpcs": [{"id": "vpc-0eu0000000000001", "name": "eu"}],
        "internetGateways": [{"id": "igw-0eu0000000000001", "vpc": "vpc-0eu0000000000001"}],
        "routeTables": [{"id": "rtb-0eu0000000000001", "vpc": "vpc-0eu0000000000001", "main": true,
                         "routes": [{"destination": "0.0.0.0/0", "gateway": "igw-0eu0000000000001"}]}],
        "subnets": [{"id": "subnet-0eu000000000001", "vpc": "vpc-0eu0000000000001", "az": "eu-west-1a"}],
    });
    let (addr, _server) = refserver::serve(&world).unwrap();
    let url = format!("http://{addr}");

    // No --region: DescribeRegions (1 call), then both regions.
    let (run, report) = scan(&url, &[]);
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));
    let mut want = expected_demo();
    want.push((
        "AWS001".into(),
        "high".into(),
        "aws://123456789012/eu-west-1/vpc-0eu0000000000001".into(),
    ));
    want.sort();
    assert_eq!(findings(&report), want, "{report:#}");
    assert_eq!(
        api_calls(&run.stderr, "aws"),
        Some(1 + DEMO_CALLS + 5 + 2),
        "{}",
        run.stderr
    );

    // --vpc: only that VPC's objects (a filter, so the other region simply has none).
    let (run, report) = scan(&url, &["--vpc", VPC_STAGING]);
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));
    assert_eq!(
        findings(&report),
        [(
            "AWS001".to_owned(),
            "high".to_owned(),
            format!("{P}/{VPC_STAGING}")
        )]
    );
    assert_eq!(run.code, 1);

    // A --vpc that matches nothing is said, not a clean pass.
    let (run, report) = scan(&url, &["--vpc", "vpc-0typo", "--region", "us-east-1"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        errors(&report),
        ["aws://*/*/vpc-0typo --vpc vpc-0typo: no such VPC in the regions read (us-east-1)"]
    );

    // --region is repeatable.
    let (_, report) = scan(&url, &["--region", "eu-west-1", "--region", "us-east-1"]);
    assert_eq!(findings(&report), want);

    // Pages of 5: the listings page (DescribeSecurityGroups and the rest hold < 5 here, so
    // use a world with many subnets) and every object is still read exactly once.
    let mut big = demo();
    let subnets = big.aws["regions"]["us-east-1"]["subnets"]
        .as_array_mut()
        .unwrap();
    for i in 0..23 {
        subnets.push(serde_json::json!({"id": format!("subnet-0extra{i:012}"),
            "vpc": VPC_STAGING, "az": "us-east-1a", "cidr": format!("10.1.{}.0/24", 100 + i)}));
    }
    let (addr, _big) = refserver::serve(&big).unwrap();
    let run = sealant_paged(&format!("http://{addr}"));
    let report = json(&run);
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));
    assert_eq!(findings(&report), expected_demo());
    // 27 subnets in pages of 5: 6 DescribeSubnets calls instead of 1.
    assert_eq!(
        api_calls(&run.stderr, "aws"),
        Some(DEMO_CALLS + 5),
        "{}",
        run.stderr
    );
}

/// The scan with `SEALANT_AWS_PAGE_SIZE=5`.
fn sealant_paged(url: &str) -> Run {
    sealant(
        &[
            "scan",
            "--aws",
            "-v",
            "--no-config",
            "--format",
            "json",
            "--region",
            "us-east-1",
        ],
        &[
            ("SEALANT_AWS_PAGE_SIZE", Some("5")),
            ("AWS_ENDPOINT_URL_EC2", Some(url)),
            ("AWS_ACCESS_KEY_ID", Some("AKIDSEALANTTEST")),
            ("AWS_SECRET_ACCESS_KEY", Some("sealant-test-secret")),
            ("AWS_EC2_METADATA_DISABLED", Some("true")),
            ("AWS_PROFILE", None),
            ("AWS_ENDPOINT_URL", None),
        ],
        Duration::from_secs(120),
    )
}

/// Each fault ends as exit 2 with a diagnostic naming the call, the region and the cause, in
/// bounded time; what could be read is still judged.
#[test]
fn every_fault_is_a_clear_partial_result() {
    // (name, faults, expected message part, calls made)
    let cases: &[(&str, &str, &str, Option<u64>)] = &[
        (
            "403",
            "[{api: ec2, match: DescribeSecurityGroups, status: 403}]",
            "DescribeSecurityGroups in us-east-1 failed: UnauthorizedOperation (access denied",
            Some(DEMO_CALLS),
        ),
        (
            "500",
            "[{api: ec2, match: DescribeRouteTables, status: 500}]",
            "DescribeRouteTables in us-east-1 failed: InternalError",
            // 3 attempts, no more.
            Some(DEMO_CALLS + 2),
        ),
        (
            "429",
            "[{api: ec2, match: DescribeVpcEndpoints, status: 429, retry_after: 1}]",
            "DescribeVpcEndpoints in us-east-1 failed: RequestLimitExceeded (throttled, still after retries)",
            Some(DEMO_CALLS + 2),
        ),
        (
            "malformed",
            "[{api: ec2, match: DescribeSubnets, malformed: true}]",
            "DescribeSubnets in us-east-1 failed: malformed response",
            None,
        ),
        (
            "latency",
            "[{api: ec2, match: DescribeRouteTables, latency_ms: 4000}]",
            "DescribeRouteTables in us-east-1 failed: timed out",
            None,
        ),
        (
            "attribute",
            "[{api: ec2, match: DescribeVpcAttribute, status: 403}]",
            "DescribeVpcAttribute enableDnsSupport of vpc-0a1b2c3d4e5f60001 in us-east-1 failed: UnauthorizedOperation",
            Some(DEMO_CALLS),
        ),
    ];
    for (name, faults, expect, calls) in cases {
        let (addr, _server) = refserver::serve(&with_faults(faults)).unwrap();
        let (run, report) = scan(&format!("http://{addr}"), &["--region", "us-east-1"]);
        assert_eq!(run.code, 2, "{name}: exit {} {}", run.code, run.stderr);
        let errs = errors(&report);
        assert!(
            errs.iter()
                .any(|e| e.starts_with("aws://") && e.contains(expect)),
            "{name}: {errs:#?}"
        );
        assert!(report["summary"]["incomplete"].as_bool().unwrap(), "{name}");
        // A message, not a dump: no raw response, no body.
        for e in &errs {
            assert!(e.len() < 400 && !e.contains("<item>"), "{name}: {e}");
        }
        if let Some(calls) = calls {
            assert_eq!(
                api_calls(&run.stderr, "aws"),
                Some(*calls),
                "{name}: {}",
                run.stderr
            );
        }
        // What could be read is still judged: staging's missing endpoint needs only the
        // VPC, subnet, route table and endpoint listings.
        if !matches!(*name, "500" | "429" | "malformed" | "latency") {
            assert!(
                findings(&report)
                    .iter()
                    .any(|f| f.0 == "AWS001" && f.2.ends_with(VPC_STAGING)),
                "{name}: {report:#}"
            );
        }
        assert!(
            run.elapsed < Duration::from_secs(60),
            "{name}: {:?}",
            run.elapsed
        );
    }
}

/// One 429 with `Retry-After: 1` is waited out and retried: a complete scan.
#[test]
fn transient_throttling_honours_retry_after() {
    let (addr, _server) = refserver::serve(&with_faults(
        "[{api: ec2, match: DescribeSubnets, status: 429, retry_after: 1, times: 1}]",
    ))
    .unwrap();
    let (run, report) = scan(&format!("http://{addr}"), &["--region", "us-east-1"]);
    assert!(errors(&report).is_empty(), "{:#?}", errors(&report));
    assert_eq!(findings(&report), expected_demo());
    assert_eq!(run.code, 1);
    assert_eq!(api_calls(&run.stderr, "aws"), Some(DEMO_CALLS + 1));
    assert!(
        run.elapsed >= Duration::from_secs(1),
        "Retry-After was not honoured: {:?}",
        run.elapsed
    );
}

#[test]
fn a_pagination_loop_is_detected() {
    let mut world = demo();
    world.aws["pagination_loop"] = serde_json::json!(["DescribeSubnets"]);
    let (addr, _server) = refserver::serve(&world).unwrap();
    let (run, report) = scan(&format!("http://{addr}"), &["--region", "us-east-1"]);
    let errs = errors(&report);
    assert!(
        errs.iter().any(|e| e.contains(
            "DescribeSubnets in us-east-1: the NextToken came back again (a pagination loop); stopped after 1 pages"
        )),
        "{errs:#?}"
    );
    assert_eq!(run.code, 2);
    // The first page was kept, once: no duplicate findings.
    assert_eq!(findings(&report), expected_demo());
    assert!(run.elapsed < Duration::from_secs(60));
}

#[test]
fn an_unreachable_endpoint_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Nothing listens there any more.
    let (run, report) = scan(
        &format!("http://127.0.0.1:{port}"),
        &["--region", "us-east-1"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let errs = errors(&report);
    assert!(
        errs.iter().any(
            |e| e.contains("DescribeVpcs in us-east-1 failed: dispatch failure")
                && e.contains("onnection refused")
        ),
        "{errs:#?}"
    );
    assert!(run.elapsed < Duration::from_secs(60));
}

#[test]
fn no_region_anywhere_is_a_clear_error() {
    let run = sealant(
        &["scan", "--aws", "--no-config", "--format", "json"],
        &[
            ("AWS_REGION", None),
            ("AWS_DEFAULT_REGION", None),
            ("AWS_PROFILE", None),
            ("AWS_CONFIG_FILE", Some("/nonexistent")),
            ("AWS_EC2_METADATA_DISABLED", Some("true")),
        ],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        errors(&json(&run))
            .iter()
            .any(|e| e.contains("no AWS region: pass --region")),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------------------
// moto parity

fn moto_server() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/moto_server");
    if venv.is_file() {
        return Some(venv);
    }
    if std::env::var_os("CI").is_some() {
        panic!("moto_server not found at .venv/bin/moto_server, and CI is set: run scripts/install-test-deps");
    }
    eprintln!("\n\n######## SKIPPED moto parity: no .venv/bin/moto_server (scripts/install-test-deps) ########\n");
    None
}

/// A moto server on 127.0.0.1, killed on drop.
struct Moto {
    child: std::process::Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_moto(bin: &Path) -> Moto {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let moto = Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    moto
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(s).collect())
        .unwrap_or_default()
}

fn name_tag(resource: ec2::ResourceType, name: &str) -> ec2::TagSpecification {
    ec2::TagSpecification::builder()
        .resource_type(resource)
        .tags(ec2::Tag::builder().key("Name").value(name).build())
        .build()
}

/// Creates one region of the world in moto through its EC2 API (the SDK, as any client
/// would); returns world id → moto id.
async fn seed(client: &aws_sdk_ec2::Client, r: &Value) -> BTreeMap<String, String> {
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let id = |ids: &BTreeMap<String, String>, v: &Value| ids[&s(v)].clone();
    let list = |k: &str| r[k].as_array().cloned().unwrap_or_default();
    for v in list("vpcs") {
        let out = client
            .create_vpc()
            .cidr_block(s(&v["cidr"]))
            .tag_specifications(name_tag(ec2::ResourceType::Vpc, &s(&v["name"])))
            .send()
            .await
            .unwrap();
        let vpc = out.vpc().unwrap().vpc_id().unwrap().to_owned();
        // ModifyVpcAttribute takes one attribute per call, like DescribeVpcAttribute.
        let on = |k: &str, default: bool| {
            ec2::AttributeBooleanValue::builder()
                .value(v[k].as_bool().unwrap_or(default))
                .build()
        };
        client
            .modify_vpc_attribute()
            .vpc_id(&vpc)
            .enable_dns_support(on("enableDnsSupport", true))
            .send()
            .await
            .unwrap();
        client
            .modify_vpc_attribute()
            .vpc_id(&vpc)
            .enable_dns_hostnames(on("enableDnsHostnames", false))
            .send()
            .await
            .unwrap();
        ids.insert(s(&v["id"]), vpc);
    }
    for sn in list("subnets") {
        let out = client
            .create_subnet()
            .vpc_id(id(&ids, &sn["vpc"]))
            .cidr_block(s(&sn["cidr"]))
            .availability_zone(s(&sn["az"]))
            .set_tag_specifications(
                sn["name"]
                    .as_str()
                    .map(|n| vec![name_tag(ec2::ResourceType::Subnet, n)]),
            )
            .send()
            .await
            .unwrap();
        ids.insert(
            s(&sn["id"]),
            out.subnet().unwrap().subnet_id().unwrap().to_owned(),
        );
    }
    for g in list("internetGateways") {
        let out = client.create_internet_gateway().send().await.unwrap();
        let igw = out
            .internet_gateway()
            .unwrap()
            .internet_gateway_id()
            .unwrap()
            .to_owned();
        client
            .attach_internet_gateway()
            .internet_gateway_id(&igw)
            .vpc_id(id(&ids, &g["vpc"]))
            .send()
            .await
            .unwrap();
        ids.insert(s(&g["id"]), igw);
    }
    for n in list("natGateways") {
        let eip = client
            .allocate_address()
            .domain(ec2::DomainType::Vpc)
            .send()
            .await
            .unwrap();
        let out = client
            .create_nat_gateway()
            .subnet_id(id(&ids, &n["subnet"]))
            .allocation_id(eip.allocation_id().unwrap())
            .send()
            .await
            .unwrap();
        ids.insert(
            s(&n["id"]),
            out.nat_gateway()
                .unwrap()
                .nat_gateway_id()
                .unwrap()
                .to_owned(),
        );
    }
    for t in list("routeTables") {
        let vpc = id(&ids, &t["vpc"]);
        let rtb = if t["main"].as_bool() == Some(true) {
            // moto, like EC2, creates each VPC's main table with the VPC.
            let out = client
                .describe_route_tables()
                .filters(ec2::Filter::builder().name("vpc-id").values(&vpc).build())
                .filters(
                    ec2::Filter::builder()
                        .name("association.main")
                        .values("true")
                        .build(),
                )
                .send()
                .await
                .unwrap();
            out.route_tables()[0].route_table_id().unwrap().to_owned()
        } else {
            let out = client
                .create_route_table()
                .vpc_id(&vpc)
                .send()
                .await
                .unwrap();
            out.route_table()
                .unwrap()
                .route_table_id()
                .unwrap()
                .to_owned()
        };
        for sn in strs(&t["subnets"]) {
            client
                .associate_route_table()
                .route_table_id(&rtb)
                .subnet_id(&ids[&sn])
                .send()
                .await
                .unwrap();
        }
        for rt in t["routes"].as_array().cloned().unwrap_or_default() {
            let mut req = client
                .create_route()
                .route_table_id(&rtb)
                .destination_cidr_block(s(&rt["destination"]));
            if let Some(g) = rt["gateway"].as_str() {
                req = req.gateway_id(&ids[g]);
            }
            if let Some(n) = rt["natGateway"].as_str() {
                req = req.nat_gateway_id(&ids[n]);
            }
            req.send().await.unwrap();
        }
        ids.insert(s(&t["id"]), rtb);
    }
    for g in list("securityGroups") {
        let out = client
            .create_security_group()
            .group_name(s(&g["name"]))
            .description(s(&g["description"]))
            .vpc_id(id(&ids, &g["vpc"]))
            .send()
            .await
            .unwrap();
        let sg = out.group_id().unwrap().to_owned();
        for p in g["ingress"].as_array().cloned().unwrap_or_default() {
            let mut perm = ec2::IpPermission::builder().ip_protocol(s(&p["protocol"]));
            if let Some(f) = p["fromPort"].as_i64() {
                perm = perm.from_port(f as i32);
            }
            if let Some(t) = p["toPort"].as_i64() {
                perm = perm.to_port(t as i32);
            }
            for c in strs(&p["cidrs"]) {
                perm = perm.ip_ranges(ec2::IpRange::builder().cidr_ip(c).build());
            }
            client
                .authorize_security_group_ingress()
                .group_id(&sg)
                .ip_permissions(perm.build())
                .send()
                .await
                .unwrap();
        }
        ids.insert(s(&g["id"]), sg);
    }
    for e in list("vpcEndpoints") {
        let mut req = client
            .create_vpc_endpoint()
            .vpc_id(id(&ids, &e["vpc"]))
            .service_name(s(&e["service"]))
            .vpc_endpoint_type(ec2::VpcEndpointType::from(
                e["type"].as_str().unwrap_or("Interface"),
            ))
            .private_dns_enabled(e["privateDns"].as_bool().unwrap_or(false));
        for sn in strs(&e["subnets"]) {
            req = req.subnet_ids(&ids[&sn]);
        }
        for g in strs(&e["securityGroups"]) {
            req = req.security_group_ids(&ids[&g]);
        }
        if let Some(p) = e["policy"].as_str() {
            req = req.policy_document(p);
        }
        let out = req.send().await.unwrap();
        ids.insert(
            s(&e["id"]),
            out.vpc_endpoint()
                .unwrap()
                .vpc_endpoint_id()
                .unwrap()
                .to_owned(),
        );
    }
    ids
}

/// (rule, severity, location, message, related locations) of every finding, with `map`
/// applied to every text, sorted.
fn full_findings(report: &Value, map: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut v: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let related: Vec<String> = f["related"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| format!("{} ({})", s(&r["location"]["path"]), s(&r["message"])))
                .collect();
            map(&format!(
                "{} {} {} | {} | {}",
                s(&f["rule_id"]),
                s(&f["severity"]),
                s(&f["location"]["path"]),
                s(&f["message"]),
                related.join("; ")
            ))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn moto_parity_same_findings_as_the_reference_server() {
    let Some(bin) = moto_server() else { return };
    let moto = start_moto(&bin);
    let world = demo();
    let region = &world.aws["regions"]["us-east-1"];
    sealant::live::install_crypto_provider();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ids = rt.block_on(async {
        let conf = aws_sdk_ec2::Config::builder()
            .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
            .region(aws_sdk_ec2::config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_ec2::config::Credentials::new(
                "AKIDSEALANTTEST",
                "sealant-test-secret",
                None,
                None,
                "test",
            ))
            .endpoint_url(&moto.url)
            .build();
        seed(&aws_sdk_ec2::Client::from_conf(conf), region).await
    });
    // moto also creates a default VPC (with its subnets, IGW and routes) in every region it
    // is asked about: scan the world's VPCs only, on both sides.
    let vpc_args = |map: &dyn Fn(&str) -> String| -> Vec<String> {
        [VPC_PROD, VPC_STAGING]
            .iter()
            .flat_map(|v| ["--vpc".to_owned(), map(v)])
            .chain(["--region".to_owned(), "us-east-1".to_owned()])
            .collect()
    };
    let moto_args = vpc_args(&|v| ids[v].clone());
    let moto_args: Vec<&str> = moto_args.iter().map(String::as_str).collect();
    let (moto_run, moto_report) = scan(&moto.url, &moto_args);
    assert!(
        errors(&moto_report).is_empty(),
        "{:#?}",
        errors(&moto_report)
    );

    let (addr, _server) = refserver::serve(&world).unwrap();
    let ref_args = vpc_args(&|v| v.to_owned());
    let ref_args: Vec<&str> = ref_args.iter().map(String::as_str).collect();
    let (ref_run, ref_report) = scan(&format!("http://{addr}"), &ref_args);
    assert!(errors(&ref_report).is_empty(), "{:#?}", errors(&ref_report));

    // moto's ids back to the world's (moto's default account is the world's, 123456789012).
    let back: Vec<(&str, &str)> = ids.iter().map(|(w, m)| (m.as_str(), w.as_str())).collect();
    let normalise = |text: &str| -> String {
        let mut t = text.to_owned();
        for (m, w) in &back {
            t = t.replace(m, w);
        }
        t
    };
    let moto_findings = full_findings(&moto_report, &normalise);
    let ref_findings = full_findings(&ref_report, &|t| t.to_owned());
    eprintln!(
        "moto parity, {} findings:\n{}",
        moto_findings.len(),
        moto_findings.join("\n")
    );
    assert_eq!(moto_findings, ref_findings, "moto: {moto_report:#}");
    assert_eq!(
        findings(&ref_report),
        expected_demo(),
        "the reference server still plants every problem"
    );
    assert_eq!(moto_run.code, ref_run.code);
    // The same calls against both: the collector does not depend on who answers.
    assert_eq!(
        api_calls(&moto_run.stderr, "aws"),
        api_calls(&ref_run.stderr, "aws")
    );
}

/// `deploy/aws-scanner-policy.json` allows exactly the EC2 actions a scan calls: every
/// region (DescribeRegions) and every object kind the demo world holds.
#[test]
fn the_scanner_iam_policy_is_exactly_what_a_scan_calls() {
    use std::sync::{Arc, Mutex};
    let policy: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/aws-scanner-policy.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let allowed: std::collections::BTreeSet<String> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| strs(&s["Action"]))
        .map(|a| a.strip_prefix("ec2:").unwrap().to_owned())
        .collect();

    // The reference server's router with a layer that records every Action.
    let seen = Arc::new(Mutex::new(std::collections::BTreeSet::new()));
    let record = seen.clone();
    let app = refserver::router(&demo(), Default::default())
        .unwrap()
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| {
                let record = record.clone();
                async move {
                    let (parts, body) = req.into_parts();
                    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
                    if let Some(a) = String::from_utf8_lossy(&bytes)
                        .split('&')
                        .find_map(|kv| kv.strip_prefix("Action="))
                    {
                        record.lock().unwrap().insert(a.to_owned());
                    }
                    next.run(axum::extract::Request::from_parts(
                        parts,
                        axum::body::Body::from(bytes),
                    ))
                    .await
                }
            },
        ));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, app).await });
    let (run, report) = scan(&format!("http://{addr}"), &[]);
    assert_eq!(run.code, 1, "{:#?}", errors(&report));
    assert_eq!(*seen.lock().unwrap(), allowed);
}
