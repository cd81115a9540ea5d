//! End-to-end tests of `sealant scan --aws`: the real binary, the real AWS SDK, against
//! (a) the reference server's EC2 API (`src/refserver/ec2.rs`) serving
//! `examples/live/world-aws.yaml`, with faults injected in front of it, and (b) a real moto
//! server seeded through its EC2 API with the same world — both scans must report the same
//! findings once moto's own ids are mapped back to the world's.
//!
//! moto comes from `./.venv/bin/moto_server` (`scripts/install-test-deps`); without it the
//! parity test is skipped loudly, or fails when `CI` is set.
#![cfg(all(feature = "live-aws", feature = "refserver"))]

use aws_sdk_ec2::types as ec2;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn world_section() -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/live/world-aws.yaml"),
    )
    .unwrap();
    let world: Value = serde_saphyr::from_str(&text).unwrap();
    world["aws"].clone()
}

/// A running HTTP server on 127.0.0.1 (its own runtime thread), with a request counter.
struct Served {
    url: String,
    requests: Arc<AtomicU64>,
    _rt: tokio::runtime::Runtime,
}

/// Serves the EC2 router; `fault` may answer a request instead (by Action).
fn serve(
    section: &Value,
    fault: Option<Arc<dyn Fn(&str) -> Option<axum::response::Response> + Send + Sync>>,
) -> Served {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let router = sealant::refserver::ec2::router(section).unwrap();
    let requests = Arc::new(AtomicU64::new(0));
    let counter = requests.clone();
    let app = router.layer(axum::middleware::from_fn(
        move |req: axum::extract::Request, next: axum::middleware::Next| {
            let fault = fault.clone();
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                let (parts, body) = req.into_parts();
                let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
                let action = String::from_utf8_lossy(&bytes)
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("Action=").map(str::to_owned))
                    .unwrap_or_default();
                if let Some(f) = &fault {
                    if let Some(resp) = f(&action) {
                        return resp;
                    }
                }
                next.run(axum::extract::Request::from_parts(
                    parts,
                    axum::body::Body::from(bytes),
                ))
                .await
            }
        },
    ));
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
    Served {
        url: format!("http://{addr}"),
        requests,
        _rt: rt,
    }
}

/// Runs `sealant scan --aws …` against `endpoint`; returns (exit code, JSON report).
fn scan(endpoint: &str, extra: &[&str]) -> (i32, Value) {
    let dir = tempdir();
    let out = Command::new(env!("CARGO_BIN_EXE_sealant"))
        .args(["scan", "--aws", "--format", "json", "--live-timeout", "3"])
        .args(extra)
        .arg(&dir)
        .env("AWS_ENDPOINT_URL_EC2", endpoint)
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret-test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("none"))
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

fn tempdir() -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let d = std::env::temp_dir().join(format!(
        "sealant-live-aws-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// (rule, severity, path) of every finding, sorted.
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

fn errors(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter(|x| x["level"] == "error")
                .map(|x| x["message"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

const P: &str = "aws://123456789012/us-east-1";

fn expected_demo() -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = [
        ("AWS001", "high", "vpc-0a1b2c3d4e5f60002".to_owned()),
        (
            "AWS003",
            "high",
            "vpc-0a1b2c3d4e5f60001#enableDnsHostnames".to_owned(),
        ),
        (
            "AWS004",
            "medium",
            "vpc-0a1b2c3d4e5f60001/vpce-0a1b2c3d4e5f60001#policyDocument".to_owned(),
        ),
        (
            "AWS005",
            "medium",
            "vpc-0a1b2c3d4e5f60001/sg-0a1b2c3d4e5f60001#ipPermissions[0].ipRanges[0]".to_owned(),
        ),
        (
            "AWS006",
            "low",
            "vpc-0a1b2c3d4e5f60001/vpce-0a1b2c3d4e5f60001#subnetIdSet".to_owned(),
        ),
    ]
    .into_iter()
    .map(|(r, s, p)| (r.to_owned(), s.to_owned(), format!("{P}/{p}")))
    .collect();
    v.sort();
    v
}

#[test]
fn demo_world_findings_from_the_reference_server() {
    let server = serve(&world_section(), None);
    let (code, report) = scan(&server.url, &["--region", "us-east-1"]);
    assert!(errors(&report).is_empty(), "{:?}", errors(&report));
    assert_eq!(findings(&report), expected_demo(), "{report:#}");
    assert_eq!(code, 1, "findings, complete scan");
    // 5 listings + 2 DescribeVpcAttribute per VPC (2 VPCs): no per-object calls beyond that.
    assert_eq!(server.requests.load(Ordering::Relaxed), 5 + 2 * 2);
}

#[test]
fn all_regions_vpc_filter_and_small_pages() {
    let mut section = world_section();
    // A second region with one VPC: DescribeRegions finds it.
    section["regions"]["eu-west-1"] =
        serde_json::json!({"vpcs": [{"id": "vpc-0eu", "name": "eu"}]});
    let server = serve(&section, None);
    let (code, report) = scan(&server.url, &["--vpc", "vpc-0a1b2c3d4e5f60002"]);
    assert!(errors(&report).is_empty(), "{:?}", errors(&report));
    let got = findings(&report);
    assert_eq!(
        got,
        [(
            "AWS001".to_owned(),
            "high".to_owned(),
            format!("{P}/vpc-0a1b2c3d4e5f60002")
        )]
    );
    assert_eq!(code, 1);
    // Paging: 5 items per page still yields every object.
    let out = Command::new(env!("CARGO_BIN_EXE_sealant"))
        .args(["scan", "--aws", "--region", "us-east-1", "--format", "json"])
        .arg(tempdir())
        .env("SEALANT_AWS_PAGE_SIZE", "5")
        .env("AWS_ENDPOINT_URL_EC2", &server.url)
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret-test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings(&report), expected_demo());
}

fn ec2_error(status: u16, code: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let body = format!("<Response><Errors><Error><Code>{code}</Code><Message>injected</Message></Error></Errors><RequestID>r</RequestID></Response>");
    (
        axum::http::StatusCode::from_u16(status).unwrap(),
        [("content-type", "text/xml")],
        body,
    )
        .into_response()
}

#[test]
fn faults_become_visible_partial_results() {
    // 403 on one listing: the rest is read, the scan says what is missing, exit 2.
    let f: Arc<dyn Fn(&str) -> Option<axum::response::Response> + Send + Sync> =
        Arc::new(|a: &str| {
            (a == "DescribeSecurityGroups").then(|| ec2_error(403, "UnauthorizedOperation"))
        });
    let server = serve(&world_section(), Some(f));
    let (code, report) = scan(&server.url, &["--region", "us-east-1"]);
    let errs = errors(&report);
    assert!(
        errs.iter()
            .any(|e| e.contains("DescribeSecurityGroups failed: UnauthorizedOperation")),
        "{errs:?}"
    );
    assert_eq!(code, 2);
    assert!(
        findings(&report).iter().any(|f| f.0 == "AWS001"),
        "the rest was judged"
    );

    // 500 every time: bounded retries (3 attempts), then a diagnostic.
    let f: Arc<dyn Fn(&str) -> Option<axum::response::Response> + Send + Sync> =
        Arc::new(|a: &str| (a == "DescribeRouteTables").then(|| ec2_error(500, "InternalError")));
    let server = serve(&world_section(), Some(f));
    let (code, report) = scan(&server.url, &["--region", "us-east-1"]);
    assert!(
        errors(&report)
            .iter()
            .any(|e| e.contains("DescribeRouteTables failed: InternalError")),
        "{:?}",
        errors(&report)
    );
    assert_eq!(code, 2);
    assert_eq!(
        server.requests.load(Ordering::Relaxed),
        4 + 2 * 2 + 3,
        "3 attempts, no more"
    );

    // Throttling that never ends: retried, then reported as throttling.
    let f: Arc<dyn Fn(&str) -> Option<axum::response::Response> + Send + Sync> =
        Arc::new(|a: &str| {
            (a == "DescribeVpcEndpoints").then(|| ec2_error(503, "RequestLimitExceeded"))
        });
    let server = serve(&world_section(), Some(f));
    let (code, report) = scan(&server.url, &["--region", "us-east-1"]);
    assert!(
        errors(&report)
            .iter()
            .any(|e| e.contains("RequestLimitExceeded (throttled")),
        "{:?}",
        errors(&report)
    );
    assert_eq!(code, 2);

    // A malformed body.
    let f: Arc<dyn Fn(&str) -> Option<axum::response::Response> + Send + Sync> =
        Arc::new(|a: &str| {
            use axum::response::IntoResponse;
            (a == "DescribeSubnets").then(|| {
                (
                    axum::http::StatusCode::OK,
                    "<DescribeSubnetsResponse><subnetSet><item>",
                )
                    .into_response()
            })
        });
    let server = serve(&world_section(), Some(f));
    let (code, report) = scan(&server.url, &["--region", "us-east-1"]);
    assert!(
        errors(&report)
            .iter()
            .any(|e| e.contains("DescribeSubnets failed")),
        "{:?}",
        errors(&report)
    );
    assert_eq!(code, 2);

    // Latency beyond the per-request timeout (3 s): a timeout, never a hang.
    let f: Arc<dyn Fn(&str) -> Option<axum::response::Response> + Send + Sync> =
        Arc::new(|a: &str| {
            if a == "DescribeVpcs" {
                std::thread::sleep(Duration::from_secs(4));
            }
            None
        });
    let server = serve(&world_section(), Some(f));
    let start = Instant::now();
    let (code, report) = scan(&server.url, &["--region", "us-east-1"]);
    assert!(
        errors(&report)
            .iter()
            .any(|e| e.contains("DescribeVpcs failed")),
        "{:?}",
        errors(&report)
    );
    assert_eq!(code, 2);
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_pagination_loop_is_detected() {
    let mut section = world_section();
    section["pagination_loop"] = serde_json::json!(["DescribeSubnets"]);
    let server = serve(&section, None);
    let start = Instant::now();
    let (code, report) = scan(&server.url, &["--region", "us-east-1"]);
    assert!(
        errors(&report)
            .iter()
            .any(|e| e.contains("DescribeSubnets: the NextToken came back again")),
        "{:?}",
        errors(&report)
    );
    assert_eq!(code, 2);
    assert!(start.elapsed() < Duration::from_secs(30));
}

// ---------------------------------------------------------------------------------------
// moto parity

fn moto_server() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/moto_server");
    venv.is_file().then_some(venv)
}

struct Moto(std::process::Child);
impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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

/// Creates the world's us-east-1 objects in moto through its EC2 API; returns world id →
/// moto id.
async fn seed(client: &aws_sdk_ec2::Client, r: &Value) -> BTreeMap<String, String> {
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let map = |ids: &BTreeMap<String, String>, v: &Value| ids[&s(v)].clone();
    for v in r["vpcs"].as_array().unwrap() {
        let out = client
            .create_vpc()
            .cidr_block(s(&v["cidr"]))
            .tag_specifications(name_tag(ec2::ResourceType::Vpc, &s(&v["name"])))
            .send()
            .await
            .unwrap();
        let id = out.vpc().unwrap().vpc_id().unwrap().to_owned();
        for (attr, on) in [
            ("support", v["enableDnsSupport"].as_bool().unwrap_or(true)),
            (
                "hostnames",
                v["enableDnsHostnames"].as_bool().unwrap_or(false),
            ),
        ] {
            let value = ec2::AttributeBooleanValue::builder().value(on).build();
            let req = client.modify_vpc_attribute().vpc_id(&id);
            let req = if attr == "support" {
                req.enable_dns_support(value)
            } else {
                req.enable_dns_hostnames(value)
            };
            req.send().await.unwrap();
        }
        ids.insert(s(&v["id"]), id);
    }
    for sn in r["subnets"].as_array().unwrap() {
        let out = client
            .create_subnet()
            .vpc_id(map(&ids, &sn["vpc"]))
            .cidr_block(s(&sn["cidr"]))
            .availability_zone(s(&sn["az"]))
            .send()
            .await
            .unwrap();
        ids.insert(
            s(&sn["id"]),
            out.subnet().unwrap().subnet_id().unwrap().to_owned(),
        );
    }
    for g in r["internetGateways"].as_array().unwrap() {
        let out = client.create_internet_gateway().send().await.unwrap();
        let id = out
            .internet_gateway()
            .unwrap()
            .internet_gateway_id()
            .unwrap()
            .to_owned();
        client
            .attach_internet_gateway()
            .internet_gateway_id(&id)
            .vpc_id(map(&ids, &g["vpc"]))
            .send()
            .await
            .unwrap();
        ids.insert(s(&g["id"]), id);
    }
    for n in r["natGateways"].as_array().unwrap() {
        let eip = client.allocate_address().send().await.unwrap();
        let out = client
            .create_nat_gateway()
            .subnet_id(map(&ids, &n["subnet"]))
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
    for t in r["routeTables"].as_array().unwrap() {
        let vpc = map(&ids, &t["vpc"]);
        let id = if t["main"].as_bool() == Some(true) {
            // moto, like EC2, creates each VPC's main table itself.
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
                .route_table_id(&id)
                .subnet_id(&ids[&sn])
                .send()
                .await
                .unwrap();
        }
        for rt in t["routes"].as_array().unwrap() {
            let mut req = client
                .create_route()
                .route_table_id(&id)
                .destination_cidr_block(s(&rt["destination"]));
            if let Some(g) = rt["gateway"].as_str() {
                req = req.gateway_id(&ids[g]);
            }
            if let Some(n) = rt["natGateway"].as_str() {
                req = req.nat_gateway_id(&ids[n]);
            }
            req.send().await.unwrap();
        }
        ids.insert(s(&t["id"]), id);
    }
    for g in r["securityGroups"].as_array().unwrap() {
        let out = client
            .create_security_group()
            .group_name(s(&g["name"]))
            .description(s(&g["description"]))
            .vpc_id(map(&ids, &g["vpc"]))
            .send()
            .await
            .unwrap();
        let id = out.group_id().unwrap().to_owned();
        for p in g["ingress"].as_array().unwrap() {
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
                .group_id(&id)
                .ip_permissions(perm.build())
                .send()
                .await
                .unwrap();
        }
        ids.insert(s(&g["id"]), id);
    }
    for e in r["vpcEndpoints"].as_array().unwrap() {
        let mut req = client
            .create_vpc_endpoint()
            .vpc_id(map(&ids, &e["vpc"]))
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

#[test]
fn moto_parity_same_findings_as_the_reference_server() {
    let Some(moto) = moto_server() else {
        if std::env::var_os("CI").is_some() {
            panic!("moto_server not found at .venv/bin/moto_server, and CI is set: run scripts/install-test-deps");
        }
        eprintln!("\n\n######## SKIPPED moto parity: no .venv/bin/moto_server (scripts/install-test-deps) ########\n");
        return;
    };
    let port = free_port();
    let _moto = Moto(
        Command::new(moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let section = world_section();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ids = rt.block_on(async {
        let conf = aws_sdk_ec2::Config::builder()
            .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
            .region(aws_sdk_ec2::config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_ec2::config::Credentials::new(
                "AKIDTEST",
                "secret-test",
                None,
                None,
                "test",
            ))
            .endpoint_url(&url)
            .build();
        seed(
            &aws_sdk_ec2::Client::from_conf(conf),
            &section["regions"]["us-east-1"],
        )
        .await
    });
    // moto also creates a default VPC per region: scan the seeded VPCs only, on both sides.
    let world_vpcs: Vec<String> = section["regions"]["us-east-1"]["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| s(&v["id"]))
        .collect();
    let vpc_args = |map: &dyn Fn(&str) -> String| -> Vec<String> {
        world_vpcs
            .iter()
            .flat_map(|v| ["--vpc".to_owned(), map(v)])
            .chain(["--region".to_owned(), "us-east-1".to_owned()])
            .collect()
    };
    let moto_args = vpc_args(&|v| ids[v].clone());
    let moto_args: Vec<&str> = moto_args.iter().map(String::as_str).collect();
    let (moto_code, moto_report) = scan(&url, &moto_args);
    assert!(
        errors(&moto_report).is_empty(),
        "{:?}",
        errors(&moto_report)
    );

    let server = serve(&section, None);
    let ref_args = vpc_args(&|v| v.to_owned());
    let ref_args: Vec<&str> = ref_args.iter().map(String::as_str).collect();
    let (ref_code, ref_report) = scan(&server.url, &ref_args);

    // Map moto's ids (and its account) back to the world's.
    let back: BTreeMap<&str, &str> = ids.iter().map(|(w, m)| (m.as_str(), w.as_str())).collect();
    let normalise = |path: &str| -> String {
        let mut p = path.replace("aws://000000000000/", "aws://123456789012/");
        for (m, w) in &back {
            p = p.replace(m, w);
        }
        p
    };
    let moto_findings: BTreeSet<(String, String, String)> = findings(&moto_report)
        .into_iter()
        .map(|(r, sev, p)| (r, sev, normalise(&p)))
        .collect();
    let ref_findings: BTreeSet<_> = findings(&ref_report).into_iter().collect();
    assert_eq!(moto_findings, ref_findings, "moto: {moto_report:#}");
    assert_eq!(moto_code, ref_code);
}
