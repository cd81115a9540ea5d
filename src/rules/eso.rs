//! Rules of the `eso` family.
use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
