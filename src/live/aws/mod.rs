//! The AWS collector (`--aws`): reads each region's VPC networking state through the EC2
//! Query API with the AWS SDK (standard credential chain, `AWS_REGION`/profile region,
//! endpoint overrides through the SDK's own `AWS_ENDPOINT_URL_EC2`/`AWS_ENDPOINT_URL`) into
//! [`AwsState`] for the AWS rules.
//!
//! Calls per region: DescribeRegions once when no `--region` is given; DescribeVpcs,
//! DescribeSubnets, DescribeRouteTables, DescribeVpcEndpoints, DescribeSecurityGroups — one
//! paginated listing each (`--vpc` becomes a `vpc-id` filter); and DescribeVpcAttribute
//! twice per VPC, because that API answers one attribute of one VPC per call (the only
//! per-object calls, by API design). Every request has `--live-timeout` as its attempt
//! timeout; throttling, 5xx and transient errors are retried by the SDK's standard retry
//! strategy (3 attempts, exponential backoff, a `Retry-After` header honoured — [`retry`]).
//! Every HTTP request, retries included, is counted into `LiveInput::api_calls`. What still
//! fails — 403, throttling after the retries, a malformed or truncated body ([`body`]), a
//! NextToken that comes back — becomes an error diagnostic naming the call and the region, and
//! the rest of the scan goes on.

mod body;
mod convert;
mod fetch;
mod retry;

use super::{LiveInput, LiveOptions};
use crate::diagnostic::{Diagnostic, Level};
use crate::model::live::aws::{AwsState, Origin};
use aws_sdk_ec2::config::{retry::RetryConfig, timeout::TimeoutConfig, BehaviorVersion, Region};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Max attempts per request (1 + 2 retries) for throttling, 5xx and timeouts.
const MAX_ATTEMPTS: u32 = 3;

/// Reads the VPCs' networking state of every requested region.
pub async fn collect(opts: &LiveOptions) -> LiveInput {
    let calls = Arc::new(AtomicU64::new(0));
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(MAX_ATTEMPTS)
                .with_initial_backoff(std::time::Duration::from_millis(100)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(opts.timeout())
                .connect_timeout(opts.timeout())
                .build(),
        )
        .load()
        .await;
    let client_for = |region: Option<String>| {
        let mut b = aws_sdk_ec2::config::Builder::from(&sdk)
            .interceptor(fetch::CountCalls(calls.clone()))
            .interceptor(body::CheckBody)
            .retry_classifier(retry::RetryAfter);
        if let Some(r) = region {
            b = b.region(Region::new(r));
        }
        aws_sdk_ec2::Client::from_conf(b.build())
    };
    let mut out = LiveInput::default();
    let regions = if opts.regions.is_empty() {
        if sdk.region().is_none() {
            out.diagnostics.push(incomplete(
                "aws://",
                "no AWS region: pass --region or set AWS_REGION / a profile region (DescribeRegions needs one to start from)",
            ));
            out.api_calls.push(("aws", 0));
            return out;
        }
        let home = sdk.region().map(|r| r.to_string()).unwrap_or_default();
        match fetch::enabled_regions(&client_for(None)).await {
            Ok(r) => r,
            Err(e) => {
                out.diagnostics.push(incomplete(
                    &format!("aws://*/{home}"),
                    format!("DescribeRegions in {home} failed (no region was read; pass --region to skip it): {e}"),
                ));
                out.api_calls.push(("aws", calls.load(Ordering::Relaxed)));
                return out;
            }
        }
    } else {
        let mut r = opts.regions.clone();
        r.sort();
        r.dedup();
        r
    };
    let mut tasks = tokio::task::JoinSet::new();
    for region in &regions {
        let (client, region) = (client_for(Some(region.clone())), region.clone());
        let vpcs = opts.vpcs.clone();
        tasks.spawn(async move { fetch::region(&client, &region, &vpcs).await });
    }
    let mut state = AwsState::default();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok((part, diags)) => {
                merge(&mut state, part);
                out.diagnostics.extend(diags);
            }
            Err(e) => out
                .diagnostics
                .push(incomplete("aws://", format!("a region task failed: {e}"))),
        }
    }
    sort(&mut state);
    // A `--vpc` that matched nothing (a typo, another region or account) is not a clean pass.
    for id in &opts.vpcs {
        if state.vpc(id).is_none() {
            out.diagnostics.push(incomplete(
                &format!("aws://*/*/{id}"),
                format!(
                    "--vpc {id}: no such VPC in the regions read ({})",
                    regions.join(", ")
                ),
            ));
        }
    }
    out.diagnostics
        .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    out.facts.aws = Some(state);
    out.api_calls.push(("aws", calls.load(Ordering::Relaxed)));
    out
}

/// An error diagnostic that makes the scan incomplete.
pub(crate) fn incomplete(path: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(
        Level::Error,
        "live-incomplete",
        Arc::from(path),
        None,
        message,
    )
}

fn merge(into: &mut AwsState, part: AwsState) {
    into.vpcs.extend(part.vpcs);
    into.subnets.extend(part.subnets);
    into.route_tables.extend(part.route_tables);
    into.endpoints.extend(part.endpoints);
    into.security_groups.extend(part.security_groups);
}

/// Regions finish in any order; findings and snapshots must not depend on it. An object
/// listed twice (a server that repeats an item across pages) is kept once.
fn sort(st: &mut AwsState) {
    fn by_location<T>(items: &mut Vec<T>, origin: impl Fn(&T) -> &Origin) {
        items.sort_by(|a, b| origin(a).at.path.cmp(&origin(b).at.path));
        items.dedup_by(|a, b| origin(a).at.path == origin(b).at.path);
    }
    by_location(&mut st.vpcs, |v| &v.origin);
    by_location(&mut st.subnets, |v| &v.origin);
    by_location(&mut st.route_tables, |v| &v.origin);
    by_location(&mut st.endpoints, |v| &v.origin);
    by_location(&mut st.security_groups, |v| &v.origin);
}
