//! Splitting a target among districts: weights from the atlas, the carriers
//! or a table, bounds by district, errors that name the district.

use std::collections::HashMap;
use std::io::Read;

use serde::{Deserialize, Serialize};

use super::{apportion, ApportionError, Claim};
use crate::atlas::{geodesic_area_m2, Atlas, DistrictId, RegionCode};
use crate::error::{Error, ErrorKind};
use crate::tally::Tally;

/// Where the weights of a district split come from.
#[derive(Debug, Clone, Copy)]
pub enum Weighting<'a> {
    /// Land area, m²: the geodesic area of each district's polygons.
    LandArea,
    /// The floor area each district holds in a tally, m² (for example the
    /// carriers open on the as-of date, [`Tally::open_on`]).
    FloorArea(&'a Tally),
    /// Every district weighs 1.
    Equal,
    /// A table the caller supplies.
    Table(&'a WeightTable),
}

impl Weighting<'_> {
    /// The weight of each district in `districts`, in that order.
    ///
    /// # Errors
    ///
    /// [`SplitError::UnknownDistrict`] when a table names a district the
    /// atlas does not have, [`SplitError::MissingWeight`] when it gives
    /// none for one of `districts`.
    pub fn weights(&self, atlas: &Atlas, districts: &[DistrictId]) -> Result<Vec<f64>, SplitError> {
        match self {
            Weighting::LandArea => Ok(districts
                .iter()
                .map(|&d| geodesic_area_m2(&atlas.district(d).shape))
                .collect()),
            Weighting::FloorArea(tally) => Ok(districts
                .iter()
                .map(|&d| tally.district(d).all.floor_area_m2())
                .collect()),
            Weighting::Equal => Ok(vec![1.0; districts.len()]),
            Weighting::Table(table) => {
                let by_district = table.resolve(atlas)?;
                districts
                    .iter()
                    .map(|&d| {
                        by_district.get(&d).copied().ok_or_else(|| {
                            let district = atlas.district(d);
                            SplitError::MissingWeight {
                                code: district.code.to_string(),
                                name: district.name.clone(),
                            }
                        })
                    })
                    .collect()
            }
        }
    }
}

/// Weights by district, as the user wrote them: each key is a district's
/// code or name, resolved against an atlas when used. Districts the table
/// names but a split does not include are ignored, so one table can serve
/// several zones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WeightTable {
    /// `(district code or name, weight)`, in file order.
    pub entries: Vec<(String, f64)>,
}

/// One row of a weight table in JSON list form; other members (such as the
/// `name` and `share` the `apportion` example writes) are ignored.
#[derive(Deserialize)]
struct JsonRow {
    code: String,
    weight: f64,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonTable {
    Object(serde_json::Map<String, serde_json::Value>),
    List(Vec<JsonRow>),
}

impl WeightTable {
    /// Reads a CSV table with a header row holding a `code` column (district
    /// code or name) and a `weight` column; other columns are ignored.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidWeights`] with the line of a row that cannot be
    /// read or whose weight is not a number.
    pub fn from_csv(reader: impl Read) -> Result<WeightTable, Error> {
        let invalid = |line: Option<u64>, message: String| -> Error {
            ErrorKind::InvalidWeights {
                line: line.map(|l| l as usize),
                message,
            }
            .into()
        };
        let mut csv = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(reader);
        let header = csv
            .headers()
            .map_err(|e| invalid(Some(1), e.to_string()))?
            .clone();
        let column = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| invalid(Some(1), format!("the header has no {name:?} column")))
        };
        let (code, weight) = (column("code")?, column("weight")?);
        let mut entries = Vec::new();
        for row in csv.records() {
            let row = row.map_err(|e| invalid(e.position().map(|p| p.line()), e.to_string()))?;
            let line = row.position().map(|p| p.line());
            let text = row.get(weight).unwrap_or_default();
            let value = text
                .parse::<f64>()
                .map_err(|_| invalid(line, format!("weight must be a number, found {text:?}")))?;
            entries.push((row.get(code).unwrap_or_default().to_string(), value));
        }
        Ok(WeightTable { entries })
    }

    /// Reads a JSON table: an object from district code or name to weight,
    /// `{"500103": 1.5, ...}`, or a list of objects with `code` and `weight`
    /// members (the form the `apportion` example writes).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidWeights`] with the line of a syntax error, or
    /// naming a weight that is not a number.
    pub fn from_json(text: &str) -> Result<WeightTable, Error> {
        let table: JsonTable = serde_json::from_str(text).map_err(|e| ErrorKind::InvalidWeights {
            line: Some(e.line()),
            message: format!(
                "{}: expected {{\"CODE\": WEIGHT, ...}} or [{{\"code\": CODE, \"weight\": WEIGHT}}, ...]",
                crate::read::bare_message(&e)
            ),
        })?;
        let entries = match table {
            JsonTable::List(rows) => rows.into_iter().map(|r| (r.code, r.weight)).collect(),
            JsonTable::Object(map) => map
                .into_iter()
                .map(|(key, value)| match value.as_f64() {
                    Some(weight) => Ok((key, weight)),
                    None => Err(ErrorKind::InvalidWeights {
                        line: None,
                        message: format!("the weight of {key:?} must be a number, found {value}"),
                    }),
                })
                .collect::<Result<_, _>>()?,
        };
        Ok(WeightTable { entries })
    }

    /// The weights by district.
    fn resolve(&self, atlas: &Atlas) -> Result<HashMap<DistrictId, f64>, SplitError> {
        let mut by_district = HashMap::new();
        for (key, weight) in &self.entries {
            let district = atlas
                .find_district(key)
                .ok_or_else(|| SplitError::UnknownDistrict { name: key.clone() })?;
            if by_district.insert(district, *weight).is_some() {
                return Err(SplitError::DuplicateDistrict {
                    code: atlas.district(district).code.to_string(),
                });
            }
        }
        Ok(by_district)
    }
}

/// Per-district minimums and caps for a split.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DistrictBounds {
    /// The least share of a district.
    pub min: HashMap<DistrictId, u64>,
    /// The most a district may get.
    pub cap: HashMap<DistrictId, u64>,
}

/// One district's part of a split target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistrictShare {
    /// The district's code.
    pub code: RegionCode,
    /// Its name.
    pub name: String,
    /// Its weight.
    pub weight: f64,
    /// Its share of the target.
    pub share: u64,
}

/// Why a target cannot be split among districts as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SplitError {
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
    /// Every district weighs 0, so nothing decides how the target beyond
    /// the minimums is shared (floor-area weights of a zone without
    /// carriers, for one).
    #[error("every district has weight 0: nothing to split {left} by beyond the minimums")]
    AllWeightsZero {
        /// What is left of the target beyond the minimums.
        left: u64,
    },
    /// A minimum or cap is given for a district outside the split.
    #[error("a {bound} is given for district {code}, which is not among the districts split")]
    BoundOutsideSplit {
        /// `minimum` or `cap`.
        bound: &'static str,
        /// The district's code.
        code: String,
    },
    /// A weight is negative, NaN or infinite.
    #[error("district {code} has weight {weight}: weights must be finite and not negative")]
    InvalidWeight {
        /// The district's code.
        code: String,
        /// Its weight.
        weight: f64,
    },
    /// A district's minimum is above its cap.
    #[error("district {code} has minimum {min} above its cap {cap}")]
    MinAboveCap {
        /// The district's code.
        code: String,
        /// Its minimum.
        min: u64,
        /// Its cap.
        cap: u64,
    },
    /// The minimums add up to more than the target.
    #[error("the minimums add up to {sum}, more than the target {target}")]
    MinimumsAboveTarget {
        /// Their sum.
        sum: u64,
        /// The target.
        target: u64,
    },
    /// The districts cannot take the whole target: caps (and the minimums
    /// of districts of weight 0) add up to less.
    #[error("the districts can take at most {most} (caps, and minimums where the weight is 0), less than the target {target}")]
    CapsBelowTarget {
        /// The most they can take.
        most: u64,
        /// The target.
        target: u64,
    },
}

/// Splits `target` among `districts` by `weighting`, within `bounds`, by
/// [`apportion`]: the shares are whole, add up to `target`, and come in the
/// order of `districts`.
///
/// # Errors
///
/// [`SplitError`] naming the district or bound at fault.
///
/// # Examples
///
/// ```
/// use carrier_quota::apportion::{apportion_districts, DistrictBounds, Weighting};
/// use carrier_quota::Atlas;
///
/// let atlas = Atlas::chongqing();
/// let zone = atlas.zone(atlas.find_zone("southeast").unwrap());
/// let shares = apportion_districts(&atlas, 100_000, &zone.districts, &Weighting::LandArea,
///     &DistrictBounds::default())?;
/// assert_eq!(shares.iter().map(|s| s.share).sum::<u64>(), 100_000);
/// # Ok::<(), carrier_quota::apportion::SplitError>(())
/// ```
pub fn apportion_districts(
    atlas: &Atlas,
    target: u64,
    districts: &[DistrictId],
    weighting: &Weighting,
    bounds: &DistrictBounds,
) -> Result<Vec<DistrictShare>, SplitError> {
    if districts.is_empty() {
        return Err(SplitError::NoDistricts);
    }
    let code = |d: DistrictId| atlas.district(d).code.to_string();
    let mut position = HashMap::new();
    for (i, &d) in districts.iter().enumerate() {
        if position.insert(d, i).is_some() {
            return Err(SplitError::DuplicateDistrict { code: code(d) });
        }
    }
    for (bound, map) in [("minimum", &bounds.min), ("cap", &bounds.cap)] {
        if let Some(&d) = map.keys().find(|d| !position.contains_key(d)) {
            return Err(SplitError::BoundOutsideSplit {
                bound,
                code: code(d),
            });
        }
    }
    let weights = weighting.weights(atlas, districts)?;
    let claims: Vec<Claim> = districts
        .iter()
        .zip(&weights)
        .map(|(d, &weight)| Claim {
            weight,
            min: bounds.min.get(d).copied().unwrap_or(0),
            cap: bounds.cap.get(d).copied(),
        })
        .collect();
    let shares = apportion(target, &claims).map_err(|e| match e {
        ApportionError::InvalidWeight { region, weight } => SplitError::InvalidWeight {
            code: code(districts[region]),
            weight,
        },
        ApportionError::MinAboveCap { region, min, cap } => SplitError::MinAboveCap {
            code: code(districts[region]),
            min,
            cap,
        },
        ApportionError::MinimumsAboveTarget { sum, target } => {
            SplitError::MinimumsAboveTarget { sum, target }
        }
        ApportionError::AllWeightsZero { left } => SplitError::AllWeightsZero { left },
        ApportionError::CapsBelowTarget { most, target } => {
            SplitError::CapsBelowTarget { most, target }
        }
    })?;
    Ok(districts
        .iter()
        .zip(weights)
        .zip(shares)
        .map(|((&d, weight), share)| {
            let district = atlas.district(d);
            DistrictShare {
                code: district.code.clone(),
                name: district.name.clone(),
                weight,
                share,
            }
        })
        .collect())
}
