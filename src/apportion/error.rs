//! Why a whole-number target cannot be split as asked.

use std::fmt;

use serde::Serialize;

/// A region of a split, as an [`ApportionError`] names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// A region by its position among the claims of
    /// [`apportion`](crate::apportion::apportion), from 0.
    Position(usize),
    /// A district, by its code.
    District(String),
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Region::Position(i) => write!(f, "region {i}"),
            Region::District(code) => write!(f, "district {code}"),
        }
    }
}

/// Why a whole-number target cannot be split as asked: by
/// [`apportion`](crate::apportion::apportion) among claims, or among
/// districts (the variants that name a district code or weight table).
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ApportionError {
    /// A weight is negative, NaN or infinite.
    #[error("{region} has weight {weight}: weights must be finite and not negative")]
    InvalidWeight {
        /// The region.
        region: Region,
        /// Its weight.
        weight: f64,
    },
    /// A region's minimum is above its cap.
    #[error("{region} has minimum {min} above its cap {cap}")]
    MinAboveCap {
        /// The region.
        region: Region,
        /// Its minimum.
        min: u64,
        /// Its cap.
        cap: u64,
    },
    /// The minimums alone add up to more than the target.
    #[error("the minimums add up to {sum}, more than the target {target}")]
    MinimumsAboveTarget {
        /// The sum of the minimums.
        sum: u64,
        /// The target.
        target: u64,
    },
    /// Every region weighs 0, so nothing says how to share what the
    /// minimums leave of the target (floor-area weights of a zone without
    /// carriers, for one).
    #[error("every region has weight 0: nothing to split {left} by beyond the minimums")]
    AllWeightsZero {
        /// What is left of the target beyond the minimums.
        left: u64,
    },
    /// The regions with a weight cannot take the target: their caps (and
    /// the minimums of the regions without weight) add up to less.
    #[error("the regions can take at most {most} (caps, and minimums where the weight is 0), less than the target {target}")]
    CapsBelowTarget {
        /// The most the regions can take.
        most: u64,
        /// The target.
        target: u64,
    },
    /// The list of districts is empty.
    #[error("no districts to split the target among")]
    NoDistricts,
    /// A district is listed, or given a weight, twice.
    #[error("district {code} appears twice")]
    DuplicateDistrict {
        /// Its code.
        code: String,
    },
    /// A weight table names a district the atlas does not have.
    #[error("the weight table names {name:?}, which is not a district code or name")]
    UnknownDistrict {
        /// The name as written.
        name: String,
    },
    /// A weight table has no weight for a district of the split.
    #[error("the weight table has no weight for district {code} ({name})")]
    MissingWeight {
        /// Its code.
        code: String,
        /// Its name.
        name: String,
    },
    /// A minimum or cap is given for a district outside the split.
    #[error("a {bound} is given for district {code}, which is not among the districts split")]
    BoundOutsideSplit {
        /// `minimum` or `cap`.
        bound: &'static str,
        /// The district's code.
        code: String,
    },
}
