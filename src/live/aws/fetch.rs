//! The EC2 calls of one region: paginated listings with loop detection, the per-VPC DNS
//! attributes, and error reporting.

use super::{convert, incomplete};
use crate::diagnostic::Diagnostic;
use crate::model::live::aws::AwsState;
use aws_sdk_ec2::config::http::HttpResponse;
use aws_sdk_ec2::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_ec2::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ec2::types::{Filter, VpcAttributeName};
use aws_sdk_ec2::Client;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Counts every HTTP request the SDK sends (retries included).
#[derive(Debug)]
pub(super) struct CountCalls(pub Arc<AtomicU64>);

impl Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "sealant-count-calls"
    }
    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Page size asked of every listing (within every operation's MaxResults range, 5–100).
fn page_size() -> i32 {
    std::env::var("SEALANT_AWS_PAGE_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| (5..=100).contains(n))
        .unwrap_or(100)
}

/// What went wrong with a call: EC2's error code and message with the HTTP status, a
/// timeout, a body that did not parse, or the transport's own error.
pub(super) fn explain<E>(e: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match e {
        SdkError::ServiceError(s) => {
            let err = s.err();
            let code = err.code().unwrap_or("unknown error");
            let hint = match code {
                "UnauthorizedOperation" => {
                    " (access denied: the credentials lack this ec2:Describe* permission)"
                }
                "AuthFailure" => " (the credentials were rejected)",
                "RequestLimitExceeded" | "Throttling" | "ThrottlingException" => {
                    " (throttled, still after retries)"
                }
                _ => "",
            };
            format!(
                "{code}{hint}: {} (HTTP {})",
                err.message().unwrap_or(""),
                s.raw().status().as_u16()
            )
        }
        SdkError::TimeoutError(_) => "timed out (per-request timeout, after retries)".into(),
        SdkError::ResponseError(r) => format!(
            "malformed response (HTTP {}): {}",
            r.raw().status().as_u16(),
            innermost(e)
        ),
        _ => crate::live::error_chain(e),
    }
}

/// The deepest cause: for a response error, what was wrong with the body.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e;
    while let Some(c) = last.source() {
        last = c;
    }
    last.to_string()
}

pub(super) async fn enabled_regions(client: &Client) -> Result<Vec<String>, String> {
    let out = client
        .describe_regions()
        .send()
        .await
        .map_err(|e| explain(&e))?;
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter_map(|r| r.region_name().map(str::to_owned))
        .collect();
    regions.sort();
    Ok(regions)
}

/// More pages than any real listing has (100 items each); a server that keeps sending new
/// tokens past this is stuck, not large.
const MAX_PAGES: usize = 10_000;

/// Runs a paginator to the end: each page through `$each`. An error, a NextToken seen before
/// (a pagination loop: that page is not read, it repeats what was read) or more than
/// [`MAX_PAGES`] pages stops it with a diagnostic naming the call and the region; true when
/// the listing is complete.
macro_rules! pages {
    ($diags:expr, $region:expr, $op:literal, $builder:expr, |$page:ident| $each:block) => {{
        let source = format!("aws://*/{}", $region);
        // The SDK's own duplicate-token check ends the stream silently; we report it.
        let mut stream = $builder
            .into_paginator()
            .page_size(page_size())
            .stop_on_duplicate_token(false)
            .send();
        let mut seen: HashSet<String> = HashSet::new();
        let mut complete = true;
        let mut pages = 0usize;
        while let Some(result) = stream.next().await {
            pages += 1;
            match result {
                Ok($page) => {
                    let next = $page
                        .next_token()
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned);
                    let looped = next.as_ref().is_some_and(|t| !seen.insert(t.clone()));
                    if looped || pages > MAX_PAGES {
                        let why = if looped {
                            "the NextToken came back again (a pagination loop)"
                        } else {
                            "more than 10000 pages"
                        };
                        $diags.push(incomplete(
                            &source,
                            format!(
                                concat!(
                                    $op,
                                    " in {}: {}; stopped after {} pages, the listing is incomplete"
                                ),
                                $region,
                                why,
                                pages - 1
                            ),
                        ));
                        complete = false;
                        break;
                    }
                    $each
                }
                Err(e) => {
                    $diags.push(incomplete(
                        &source,
                        format!(concat!($op, " in {} failed: {}"), $region, explain(&e)),
                    ));
                    complete = false;
                    break;
                }
            }
        }
        complete
    }};
}

/// Reads one region. `vpcs` limits the scan to those VPC ids (none = every VPC).
pub(super) async fn region(
    client: &Client,
    region: &str,
    vpcs: &[String],
) -> (AwsState, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let filter = || {
        (!vpcs.is_empty()).then(|| {
            vec![Filter::builder()
                .name("vpc-id")
                .set_values(Some(vpcs.to_vec()))
                .build()]
        })
    };
    let mut raw_vpcs = Vec::new();
    pages!(
        diags,
        region,
        "DescribeVpcs",
        // A filter, not VpcIds: an id that lives in another region matches nothing there
        // instead of failing the call with InvalidVpcID.NotFound.
        client.describe_vpcs().set_filters(filter()),
        |page| {
            raw_vpcs.extend(page.vpcs().iter().cloned());
        }
    );
    let mut st = AwsState::default();
    // Every other object is kept only when its VPC was read: a region without (matching)
    // VPCs needs no further calls — most of the enabled regions of a typical account.
    if raw_vpcs.is_empty() {
        return (st, diags);
    }
    // The account of each VPC names every object in it.
    let owners: HashMap<String, String> = raw_vpcs
        .iter()
        .filter_map(|v| {
            Some((
                v.vpc_id()?.to_owned(),
                v.owner_id().unwrap_or("unknown").to_owned(),
            ))
        })
        .collect();
    let cx = convert::Cx {
        region,
        owners: &owners,
    };

    let attrs = dns_attributes(client, &raw_vpcs, &cx, &mut diags).await;
    for v in &raw_vpcs {
        if let Some(vpc) = convert::vpc(v, &cx, attrs.get(v.vpc_id().unwrap_or(""))) {
            st.vpcs.push(vpc);
        }
    }
    pages!(
        diags,
        region,
        "DescribeSubnets",
        client.describe_subnets().set_filters(filter()),
        |page| {
            st.subnets.extend(
                page.subnets()
                    .iter()
                    .filter_map(|s| convert::subnet(s, &cx)),
            );
        }
    );
    pages!(
        diags,
        region,
        "DescribeRouteTables",
        client.describe_route_tables().set_filters(filter()),
        |page| {
            st.route_tables.extend(
                page.route_tables()
                    .iter()
                    .filter_map(|t| convert::route_table(t, &cx)),
            );
        }
    );
    pages!(
        diags,
        region,
        "DescribeVpcEndpoints",
        client.describe_vpc_endpoints().set_filters(filter()),
        |page| {
            st.endpoints.extend(
                page.vpc_endpoints()
                    .iter()
                    .filter_map(|e| convert::endpoint(e, &cx)),
            );
        }
    );
    pages!(
        diags,
        region,
        "DescribeSecurityGroups",
        client.describe_security_groups().set_filters(filter()),
        |page| {
            st.security_groups.extend(
                page.security_groups()
                    .iter()
                    .filter_map(|g| convert::security_group(g, &cx)),
            );
        }
    );
    (st, diags)
}

/// DescribeVpcAttribute answers one attribute of one VPC per call: 2 calls per VPC, run
/// concurrently (at most 8 at a time).
async fn dns_attributes(
    client: &Client,
    vpcs: &[aws_sdk_ec2::types::Vpc],
    cx: &convert::Cx<'_>,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<String, (Option<bool>, Option<bool>)> {
    let limit = Arc::new(tokio::sync::Semaphore::new(8));
    let mut tasks = tokio::task::JoinSet::new();
    for v in vpcs {
        let Some(id) = v.vpc_id() else { continue };
        for attr in [
            VpcAttributeName::EnableDnsSupport,
            VpcAttributeName::EnableDnsHostnames,
        ] {
            let (client, id, limit) = (client.clone(), id.to_owned(), limit.clone());
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await;
                let r = client
                    .describe_vpc_attribute()
                    .vpc_id(&id)
                    .attribute(attr.clone())
                    .send()
                    .await;
                let value = r.map(|o| {
                    match attr {
                        VpcAttributeName::EnableDnsSupport => o.enable_dns_support(),
                        _ => o.enable_dns_hostnames(),
                    }
                    .and_then(|a| a.value())
                });
                (id, attr, value.map_err(|e| explain(&e)))
            });
        }
    }
    let mut out: HashMap<String, (Option<bool>, Option<bool>)> = HashMap::new();
    while let Some(done) = tasks.join_next().await {
        let Ok((id, attr, value)) = done else {
            continue;
        };
        match value {
            Ok(v) => {
                let slot = out.entry(id).or_default();
                match attr {
                    VpcAttributeName::EnableDnsSupport => slot.0 = v,
                    _ => slot.1 = v,
                }
            }
            Err(e) => diags.push(incomplete(
                &cx.path(&id, &id),
                format!(
                    "DescribeVpcAttribute {} of {id} in {} failed: {e}",
                    attr.as_str(),
                    cx.region
                ),
            )),
        }
    }
    out
}
