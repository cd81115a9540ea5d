//! Rules of the `csi` family.
use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
