//! Rules of the `tooling` family.
use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
