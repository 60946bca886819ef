//! The districts of an atlas by what registers call them: how a reader
//! turns the district a record names (所在区县) into a district code.

use std::sync::{Arc, OnceLock};

use serde::Serialize;

use super::{short_name, Atlas, District, RegionCode};

/// The codes, names and English names of an atlas's districts, without
/// their shapes: what [`ReadOptions::districts`] resolves a record's
/// declared district against. Cheap to clone.
///
/// A district is found by its code (`500112`), its name (`渝北区`), its
/// name without the 区/县/自治县 suffix (`渝北`) or its English name
/// (`Yubei`, ASCII case ignored); surrounding spaces are ignored.
///
/// ```
/// use carrier_quota::{Atlas, DistrictNames};
///
/// let names = DistrictNames::of(Atlas::chongqing());
/// for text in ["渝北区", "渝北", "500112", "yubei"] {
///     assert_eq!(names.resolve(text).unwrap().as_str(), "500112");
/// }
/// let unknown = names.resolve("渝北新区").unwrap_err();
/// assert_eq!(unknown.suggestion, "渝北区");
/// ```
///
/// [`ReadOptions::districts`]: crate::ReadOptions::districts
#[derive(Debug, Clone)]
pub struct DistrictNames {
    districts: Arc<[Entry]>,
}

#[derive(Debug)]
struct Entry {
    code: RegionCode,
    name: String,
    name_en: Option<String>,
}

/// A district name that is not one of the atlas's; it names the closest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("unknown district {found:?}: not the code, name or English name of a district (did you mean {suggestion:?}?)")]
pub struct UnknownDistrict {
    /// The text that was given.
    pub found: String,
    /// The name of the district whose code or name is closest to it.
    pub suggestion: String,
}

impl DistrictNames {
    /// The districts of `atlas`.
    pub fn of(atlas: &Atlas) -> DistrictNames {
        let districts = atlas.districts().iter().map(|d| Entry {
            code: d.code.clone(),
            name: d.name.clone(),
            name_en: d.name_en.clone(),
        });
        DistrictNames {
            districts: districts.collect(),
        }
    }

    /// Chongqing's 38 districts and counties ([`Atlas::chongqing`]).
    pub fn chongqing() -> &'static DistrictNames {
        static NAMES: OnceLock<DistrictNames> = OnceLock::new();
        NAMES.get_or_init(|| DistrictNames::of(Atlas::chongqing()))
    }

    /// The code of the district `text` names.
    ///
    /// # Errors
    ///
    /// [`UnknownDistrict`] when no district has that code or name.
    pub fn resolve(&self, text: &str) -> Result<&RegionCode, UnknownDistrict> {
        let key = text.trim();
        self.districts
            .iter()
            .find(|d| names(&d.code, &d.name, d.name_en.as_deref(), key))
            .map(|d| &d.code)
            .ok_or_else(|| UnknownDistrict {
                found: text.to_string(),
                suggestion: self.closest(key),
            })
    }

    /// The name of the district with the code or a name at the smallest
    /// edit distance from `key`.
    fn closest(&self, key: &str) -> String {
        let lower = key.to_lowercase();
        let distance = |d: &Entry| {
            let mut keys = vec![d.code.as_str(), d.name.as_str(), short_name(&d.name)];
            let name_en = d.name_en.as_deref().map(str::to_lowercase);
            keys.extend(name_en.as_deref());
            keys.into_iter()
                .map(|k| strsim::levenshtein(&lower, k))
                .min()
                .unwrap_or(usize::MAX)
        };
        self.districts
            .iter()
            .min_by_key(|d| distance(d))
            .map(|d| d.name.clone())
            .unwrap_or_default()
    }
}

/// Whether `key` (trimmed) is a district's code, name, short name or
/// English name (ASCII case ignored).
pub(super) fn names(code: &RegionCode, name: &str, name_en: Option<&str>, key: &str) -> bool {
    code.as_str() == key
        || name == key
        || name_en.is_some_and(|n| n.eq_ignore_ascii_case(key))
        || short_name(name) == key
}

impl District {
    /// Whether `key` (trimmed) is this district's code, name, short name
    /// or English name.
    pub(super) fn is_named(&self, key: &str) -> bool {
        names(&self.code, &self.name, self.name_en.as_deref(), key)
    }
}
