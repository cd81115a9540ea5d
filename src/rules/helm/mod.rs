//! Rules of the `helm` family.
use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
