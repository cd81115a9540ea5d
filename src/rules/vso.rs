//! Rules of the `vso` family.
use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
