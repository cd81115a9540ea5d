//! `Retry-After` for the EC2 client. The SDK's standard retry strategy reads only AWS's own
//! `x-amz-retry-after` (milliseconds); a throttling proxy or an emulator answering 429/503
//! sends the standard `Retry-After` (seconds). This classifier runs after the SDK's own and
//! turns such an answer into a throttling retry with that delay — still bounded by the retry
//! strategy (3 attempts; the delay capped at its max backoff).

use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_types::retry::ErrorKind;
use std::time::Duration;

/// Retries 429/503 answers that carry `Retry-After: <seconds>` after that many seconds.
#[derive(Debug, Default)]
pub(super) struct RetryAfter;

impl ClassifyRetry for RetryAfter {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(resp) = ctx.response() else {
            return RetryAction::NoActionIndicated;
        };
        if !matches!(resp.status().as_u16(), 429 | 503) {
            return RetryAction::NoActionIndicated;
        }
        // An HTTP-date form is left to the SDK's exponential backoff.
        match resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            Some(secs) => RetryAction::retryable_error_with_explicit_delay(
                ErrorKind::ThrottlingError,
                Duration::from_secs(secs),
            ),
            None => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "sealant-retry-after"
    }

    /// After the SDK's classifiers, so the explicit delay refines their verdict.
    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}
