//! Splitting a target among districts: weights from the atlas, the carriers
//! or a table, bounds by district, errors that name the district.

use std::collections::HashMap;
use std::io::Read;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::apportion::{apportion, ApportionError, Claim, Region};
use crate::atlas::{geodesic_area_m2, Atlas, DistrictId, RegionCode};
use crate::carrier::UnknownName;
use crate::error::{Error, ErrorKind};
use crate::tally::Tally;

/// Where the weights of a district split come from, with the data each
/// needs.
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
    /// The method, as a computed target's source names it.
    pub fn method(&self) -> super::SplitMethod {
        match self {
            Weighting::LandArea => super::SplitMethod::LandArea,
            Weighting::FloorArea(_) => super::SplitMethod::FloorArea,
            Weighting::Equal => super::SplitMethod::Equal,
            Weighting::Table(_) => super::SplitMethod::Weights,
        }
    }

    /// The weight of each district in `districts`, in that order.
    ///
    /// # Errors
    ///
    /// [`ApportionError::UnknownDistrict`] when a table names a district the
    /// atlas does not have, [`ApportionError::MissingWeight`] when it gives
    /// none for one of `districts`.
    pub fn weights(
        &self,
        atlas: &Atlas,
        districts: &[DistrictId],
    ) -> Result<Vec<f64>, ApportionError> {
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
                            ApportionError::MissingWeight {
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

/// How a plan check splits its zone targets among districts: like
/// [`Weighting`], but with floor area taken from the carriers open on the
/// check's as-of date, which the check finds itself. Parses from `area`,
/// `floor_area` (or `floor-area`) and `equal`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitBy {
    /// Land area ([`Weighting::LandArea`]).
    LandArea,
    /// The floor area of the carriers open on the as-of date.
    FloorArea,
    /// One each ([`Weighting::Equal`]).
    Equal,
    /// A table ([`Weighting::Table`]).
    Table(WeightTable),
}

impl SplitBy {
    /// The weighting, with floor area from `open_on_as_of`.
    pub fn weighting<'a>(&'a self, open_on_as_of: &'a Tally) -> Weighting<'a> {
        match self {
            SplitBy::LandArea => Weighting::LandArea,
            SplitBy::FloorArea => Weighting::FloorArea(open_on_as_of),
            SplitBy::Equal => Weighting::Equal,
            SplitBy::Table(table) => Weighting::Table(table),
        }
    }
}

impl FromStr for SplitBy {
    type Err = UnknownName;

    /// Parses `area` (or `land_area`), `floor_area` or `equal` (`-` for `_`
    /// too); a table is read with [`read_weights`].
    fn from_str(s: &str) -> Result<SplitBy, UnknownName> {
        match s.replace('-', "_").as_str() {
            "area" | "land_area" => Ok(SplitBy::LandArea),
            "floor_area" => Ok(SplitBy::FloorArea),
            "equal" => Ok(SplitBy::Equal),
            _ => Err(UnknownName::new(
                "weighting",
                s,
                &["area", "floor_area", "equal"],
            )),
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

/// Reads a weight table: CSV with a header row holding a `code` column
/// (district code or name) and a `weight` column, other columns ignored; or
/// JSON, an object from district code or name to weight, `{"500103": 1.5,
/// ...}`, or a list of objects with `code` and `weight` members (the form
/// the `apportion` example writes). JSON is told from CSV by its first
/// character (`{` or `[`).
///
/// # Errors
///
/// [`ErrorKind::InvalidWeights`] with the line of a row or syntax error that
/// cannot be read, or naming a weight that is not a number.
///
/// # Examples
///
/// ```
/// use carrier_quota::quota::read_weights;
///
/// let csv = read_weights("code,weight\n500103,2\n渝北区,1.5\n".as_bytes())?;
/// let json = read_weights(r#"{"500103": 2, "渝北区": 1.5}"#.as_bytes())?;
/// assert_eq!(csv, json);
/// # Ok::<(), carrier_quota::Error>(())
/// ```
pub fn read_weights(reader: impl Read) -> Result<WeightTable, Error> {
    let text = crate::json::whole_text(reader, |message| ErrorKind::InvalidWeights {
        line: None,
        message,
    })?;
    if text.trim_start().starts_with(['{', '[']) {
        weights_from_json(&text)
    } else {
        weights_from_csv(&text)
    }
}

fn weights_from_csv(text: &str) -> Result<WeightTable, Error> {
    let invalid = |line: Option<u64>, message: String| -> Error {
        ErrorKind::InvalidWeights {
            line: line.map(|l| l as usize),
            message,
        }
        .into()
    };
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
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

fn weights_from_json(text: &str) -> Result<WeightTable, Error> {
    let table: JsonTable = serde_json::from_str(text).map_err(|e| ErrorKind::InvalidWeights {
        line: Some(e.line()),
        message: format!(
            "{}: expected {{\"CODE\": WEIGHT, ...}} or [{{\"code\": CODE, \"weight\": WEIGHT}}, ...]",
            crate::json::bare_message(&e)
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

impl WeightTable {
    /// The weights by district.
    fn resolve(&self, atlas: &Atlas) -> Result<HashMap<DistrictId, f64>, ApportionError> {
        let mut by_district = HashMap::new();
        for (key, weight) in &self.entries {
            let district = atlas
                .find_district(key)
                .ok_or_else(|| ApportionError::UnknownDistrict { name: key.clone() })?;
            if by_district.insert(district, *weight).is_some() {
                return Err(ApportionError::DuplicateDistrict {
                    code: atlas.district(district).code.to_string(),
                });
            }
        }
        Ok(by_district)
    }
}

/// A split of a whole-number target among districts: which districts, by
/// which weights, within which minimums and caps.
///
/// ```
/// use carrier_quota::quota::{DistrictSplit, Weighting};
/// use carrier_quota::Atlas;
///
/// let atlas = Atlas::chongqing();
/// let zone = atlas.zone(atlas.find_zone("main_urban").unwrap());
/// let yuzhong = atlas.find_district("渝中区").unwrap();
/// let shares = DistrictSplit::new(&zone.districts, Weighting::LandArea)
///     .min(yuzhong, 500_000)
///     .apportion(atlas, 9_900_000)?;
/// assert_eq!(shares.iter().map(|s| s.share).sum::<u64>(), 9_900_000);
/// # Ok::<(), carrier_quota::apportion::ApportionError>(())
/// ```
#[derive(Debug, Clone)]
pub struct DistrictSplit<'a> {
    districts: Vec<DistrictId>,
    weighting: Weighting<'a>,
    min: HashMap<DistrictId, u64>,
    cap: HashMap<DistrictId, u64>,
}

impl<'a> DistrictSplit<'a> {
    /// A split among `districts`, in that order, by `weighting`, without
    /// bounds.
    pub fn new(districts: &[DistrictId], weighting: Weighting<'a>) -> DistrictSplit<'a> {
        DistrictSplit {
            districts: districts.to_vec(),
            weighting,
            min: HashMap::new(),
            cap: HashMap::new(),
        }
    }

    /// The least share of `district`.
    pub fn min(mut self, district: DistrictId, min: u64) -> DistrictSplit<'a> {
        self.min.insert(district, min);
        self
    }

    /// The most `district` may get.
    pub fn cap(mut self, district: DistrictId, cap: u64) -> DistrictSplit<'a> {
        self.cap.insert(district, cap);
        self
    }

    /// The districts, in the order of the shares.
    pub fn districts(&self) -> &[DistrictId] {
        &self.districts
    }

    /// The minimum given for `district`, if any.
    pub fn min_of(&self, district: DistrictId) -> Option<u64> {
        self.min.get(&district).copied()
    }

    /// The cap given for `district`, if any.
    pub fn cap_of(&self, district: DistrictId) -> Option<u64> {
        self.cap.get(&district).copied()
    }

    /// Splits `target` by [`apportion`]: the shares are whole, add up to
    /// `target`, and come in the order of the districts.
    ///
    /// # Errors
    ///
    /// [`ApportionError`] naming the district or bound at fault
    /// ([`Region::District`]).
    pub fn apportion(
        &self,
        atlas: &Atlas,
        target: u64,
    ) -> Result<Vec<DistrictShare>, ApportionError> {
        let districts = &self.districts;
        if districts.is_empty() {
            return Err(ApportionError::NoDistricts);
        }
        let code = |d: DistrictId| atlas.district(d).code.to_string();
        let mut position = HashMap::new();
        for (i, &d) in districts.iter().enumerate() {
            if position.insert(d, i).is_some() {
                return Err(ApportionError::DuplicateDistrict { code: code(d) });
            }
        }
        for (bound, map) in [("minimum", &self.min), ("cap", &self.cap)] {
            let mut outside: Vec<DistrictId> = map
                .keys()
                .filter(|d| !position.contains_key(d))
                .copied()
                .collect();
            outside.sort_unstable();
            if let Some(&d) = outside.first() {
                return Err(ApportionError::BoundOutsideSplit {
                    bound,
                    code: code(d),
                });
            }
        }
        let weights = self.weighting.weights(atlas, districts)?;
        let claims: Vec<Claim> = districts
            .iter()
            .zip(&weights)
            .map(|(d, &weight)| Claim {
                weight,
                min: self.min_of(*d).unwrap_or(0),
                cap: self.cap_of(*d),
            })
            .collect();
        let shares = apportion(target, &claims).map_err(|e| match e {
            ApportionError::InvalidWeight {
                region: Region::Position(i),
                weight,
            } => ApportionError::InvalidWeight {
                region: Region::District(code(districts[i])),
                weight,
            },
            ApportionError::MinAboveCap {
                region: Region::Position(i),
                min,
                cap,
            } => ApportionError::MinAboveCap {
                region: Region::District(code(districts[i])),
                min,
                cap,
            },
            other => other,
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
