//! The AWS collector (`--aws`). Not available yet: the EC2 client (aws-sdk-ec2) is written
//! but has not been built and tested against moto, so this build reports `--aws` as unread
//! rather than pretending. The AWS rules already judge Terraform (and `LiveFacts::aws` once the
//! collector fills it).

use super::{LiveInput, LiveOptions};

/// Reports that live AWS state was not read.
pub async fn collect(_opts: &LiveOptions) -> LiveInput {
    LiveInput::failed(
        "aws://",
        "the live AWS collector is not available in this build yet; AWS001-AWS006 judge Terraform only",
    )
}
