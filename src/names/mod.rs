//! What registers call districts and overlays: how a reader turns the
//! district a record names (所在区县) into a district code, a managed area
//! spanning districts, or nothing it knows ([`DistrictNames`]), and the
//! overlay it names into an overlay id ([`OverlayNames`]).

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::atlas::{short_name, Atlas, RegionCode};
use crate::date::RecordDate;
use crate::spelling::fold as fold_name;

/// The names of an atlas's districts, without their shapes: what
/// [`ReadOptions::districts`] resolves a record's declared district
/// against. Cheap to clone.
///
/// A district is found by its code (`500112`), its name (`渝北区`), its
/// name without the 区/县/自治县 suffix (`渝北`), an autonomous county by
/// its short name as a county (`酉阳县`), or its English name (`Yubei`,
/// ASCII case ignored); spaces, full-width forms and the city's name
/// before it (`重庆市渝北区`) are ignored. A set may also know the names
/// and codes districts had before ([`FormerName`]) and managed areas
/// ([`ManagedArea`]); [`DistrictNames::chongqing`] knows Chongqing's.
///
/// ```
/// use carrier_quota::names::Declared;
/// use carrier_quota::DistrictNames;
///
/// let names = DistrictNames::chongqing();
/// for text in ["渝北区", "渝北", "500112", "yubei", "重庆市渝北区"] {
///     assert_eq!(names.resolve(text).unwrap().district().unwrap().as_str(), "500112");
/// }
/// // A name in force before 2016 counts in today's district.
/// let kai = names.resolve("开县").unwrap();
/// assert_eq!(kai.district().unwrap().as_str(), "500154");
/// assert!(matches!(kai, Declared::FormerName { .. }));
/// // 两江新区 spans three districts: it names no one of them.
/// let liangjiang = names.resolve("两江新区").unwrap();
/// assert_eq!(liangjiang.district(), None);
/// assert_eq!(liangjiang.overlay(), Some("liangjiang_new_area"));
/// let unknown = names.resolve("渝北新区").unwrap_err();
/// assert_eq!(unknown.suggestion.as_deref(), Some("渝北区"));
/// ```
///
/// [`ReadOptions::districts`]: crate::ReadOptions::districts
#[derive(Debug, Clone)]
pub struct DistrictNames {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// The atlas's name and its short form, ignored before a name.
    city: Vec<String>,
    districts: Vec<Entry>,
    /// The managed areas, in the order they were added.
    areas: Vec<Arc<ManagedArea>>,
    /// Every name and code as folded, with what it names.
    keys: HashMap<String, Key>,
    /// Each town or street name, folded, with the districts that have one
    /// of that name.
    towns: HashMap<String, Vec<RegionCode>>,
}

#[derive(Debug)]
struct Entry {
    code: RegionCode,
    name: String,
    name_en: Option<String>,
}

#[derive(Debug, Clone)]
enum Key {
    /// A district by a name it has today.
    Current(usize),
    Former(Arc<FormerName>),
    Area(Arc<ManagedArea>),
}

/// A name or code a district had before an administrative change (开县
/// until 2016, 双桥区 until 2011): what it names now counts in `district`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormerName {
    /// The unit's name before the change.
    pub name: String,
    /// Its code then, when it differs from the district's today.
    pub code: Option<RegionCode>,
    /// The code of the district its area is part of today.
    pub district: RegionCode,
    /// When the change was approved, as precisely as it is known.
    pub until: RecordDate,
}

/// A managed area (功能区, such as a new area or a development zone): not a
/// district, but named in registers in place of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedArea {
    /// Its name.
    pub name: String,
    /// Other names registers give it.
    pub aliases: Vec<String>,
    /// Its English name.
    pub name_en: Option<String>,
    /// The codes of the districts its area takes in part of.
    pub districts: Vec<RegionCode>,
    /// The overlay of a plan that a carrier in it belongs to (the dual
    /// core's `liangjiang_new_area`), if any.
    pub overlay: Option<String>,
}

/// What a record's district names, as [`DistrictNames::resolve`] reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Declared {
    /// A district, by a name, short name, code or English name it has
    /// today.
    District {
        /// Its code.
        code: RegionCode,
    },
    /// A district, by a name or code it had before a change.
    FormerName {
        /// The code of the district today.
        code: RegionCode,
        /// The former name.
        former: Arc<FormerName>,
    },
    /// A managed area that lies in one district: it counts there.
    AreaInDistrict {
        /// The district's code.
        code: RegionCode,
        /// The area.
        area: Arc<ManagedArea>,
    },
    /// A managed area that spans several districts: a record without a
    /// location counts in no one of them, but in any zone or scope that
    /// holds them all.
    Area {
        /// The area.
        area: Arc<ManagedArea>,
    },
    /// Nothing the names know. Only a record with a location is kept with
    /// it; it counts where its location lies.
    Unknown,
}

impl Declared {
    /// The code of the one district it names, if it names one.
    pub fn district(&self) -> Option<&RegionCode> {
        match self {
            Declared::District { code }
            | Declared::FormerName { code, .. }
            | Declared::AreaInDistrict { code, .. } => Some(code),
            Declared::Area { .. } | Declared::Unknown => None,
        }
    }

    /// The managed area it names, if it names one.
    pub fn area(&self) -> Option<&ManagedArea> {
        match self {
            Declared::AreaInDistrict { area, .. } | Declared::Area { area } => Some(area),
            _ => None,
        }
    }

    /// The overlay the area it names belongs to, if any.
    pub fn overlay(&self) -> Option<&str> {
        self.area().and_then(|a| a.overlay.as_deref())
    }

    /// The codes of the districts a record with it may lie in: the one it
    /// names, or those of the area; empty when it is unknown.
    pub fn districts(&self) -> Vec<&RegionCode> {
        match self {
            Declared::Area { area } => area.districts.iter().collect(),
            other => other.district().into_iter().collect(),
        }
    }
}

/// A district name that is none the names know, now or before, nor a
/// managed area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error(
    "unknown district {found:?}: not the name, short name, code or English name of a district \
     (today or before a change), nor a managed area{}",
    .suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default()
)]
pub struct UnknownDistrict {
    /// The text that was given.
    pub found: String,
    /// The district whose name is one edit from it, in the same script and
    /// of the same kind (区 for 区, 县 for 县), when exactly one is.
    pub suggestion: Option<String>,
}

/// Why an address places no record.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AddressProblem {
    /// No district, former name or managed area starts it (after the
    /// city's name).
    #[error("it names no district (a district's name today or before, or a managed area, after the city's)")]
    NoDistrict,
    /// It names two districts.
    #[error("it names two districts, {first} and {second}")]
    TwoDistricts {
        /// The first, as written.
        first: String,
        /// The other, as written.
        second: String,
    },
    /// A town or street whose name several districts have.
    #[error("{districts} districts have a town or street named {town}")]
    SharedTown {
        /// The town as written.
        town: String,
        /// How many districts have one of its name.
        districts: usize,
    },
    /// A town or street the names do not know.
    #[error("{town} is not a town or street the names know")]
    UnknownTown {
        /// The town as written.
        town: String,
    },
}

/// A town or street (乡镇街道) of a district.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Town {
    /// Its 9-digit statistical division code.
    pub code: String,
    /// The code of its district.
    pub district: RegionCode,
    /// Its name (`仙桃街道`, `汉丰街道`, `龙沙镇`).
    pub name: String,
}

/// The longest name a district's name can be, in characters
/// (`彭水苗族土家族自治县`, `西部（重庆）科学城`).
const LONGEST_NAME: usize = 12;

impl DistrictNames {
    /// The district an address names, as written there, and what it names:
    /// the name that starts it, after the country's and the city's names
    /// (`重庆市渝北区仙桃街道…` names 渝北区, `重庆市开县…` 开州区 by its former
    /// name, `重庆高新区…` a managed area). Only full names are taken (ending
    /// in 区, 县, 市 or 城), so that a street is not read as a district
    /// (`两江大道`). A district named further on that is another (`渝北区与
    /// 江北区交界`) makes the address ambiguous; one inside an area the
    /// address starts with is taken as the more precise. An address that
    /// starts with no district but a town or street (`仙桃街道…`) is placed
    /// by it when the city has one of that name ([`DistrictNames::town`]).
    ///
    /// ```
    /// use carrier_quota::DistrictNames;
    ///
    /// let names = DistrictNames::chongqing();
    /// let (written, named) = names.in_address("重庆市渝北区仙桃街道数据谷中路107号").unwrap();
    /// assert_eq!((written.as_str(), named.district().unwrap().as_str()), ("渝北区", "500112"));
    /// // A town or street the city has one of places it too.
    /// let (town, named) = names.in_address("仙桃街道数据谷中路107号").unwrap();
    /// assert_eq!((town.as_str(), named.district().unwrap().as_str()), ("仙桃街道", "500112"));
    /// assert!(names.in_address("数据谷中路107号").is_err());
    /// assert!(names.in_address("重庆市渝北区与江北区交界处").is_err());
    /// ```
    pub fn in_address(&self, address: &str) -> Result<(String, Declared), AddressProblem> {
        let folded = fold_name(address);
        let text = folded.strip_prefix("中国").unwrap_or(&folded);
        let after_city = self
            .inner
            .city
            .iter()
            .filter_map(|c| text.strip_prefix(c.as_str()));
        let start = std::iter::once(text).chain(after_city);
        let found = start
            .filter_map(|rest| Some((rest, self.name_at(rest)?)))
            .next();
        let Some((rest, (first, mut named))) = found else {
            // No district: a town or street the city has one of.
            let after_city = self
                .inner
                .city
                .iter()
                .filter_map(|c| text.strip_prefix(c.as_str()));
            let town = std::iter::once(text)
                .chain(after_city)
                .find_map(|t| self.town_at(t));
            return match town {
                Some(town) => self.town(town),
                None => Err(AddressProblem::NoDistrict),
            };
        };
        let mut written = first.to_string();
        let mut at = first.len();
        while let Some((offset, (other, other_named))) = self.next_name(&rest[at..]) {
            at += offset + other.len();
            let same = other_named.districts() == named.districts();
            let within = named.area().is_some()
                && other_named
                    .district()
                    .is_some_and(|d| named.districts().contains(&d));
            if within {
                (written, named) = (other.to_string(), other_named);
            } else if !same {
                return Err(AddressProblem::TwoDistricts {
                    first: written,
                    second: other.to_string(),
                });
            }
        }
        Ok((written, named))
    }

    /// The longest full name that starts `text`, and what it names.
    fn name_at<'t>(&self, text: &'t str) -> Option<(&'t str, Declared)> {
        let ends = text.char_indices().map(|(i, c)| i + c.len_utf8());
        let prefixes: Vec<&str> = ends.take(LONGEST_NAME).map(|end| &text[..end]).collect();
        prefixes.into_iter().rev().find_map(|name| {
            let full = name.chars().count() >= 2 && name.ends_with(['区', '县', '市', '城']);
            let known = full && !name.is_ascii() && self.inner.keys.contains_key(name);
            known
                .then(|| Some((name, self.resolve(name).ok()?)))
                .flatten()
        })
    }

    /// The next full name of at least three characters within `text`: its
    /// byte offset, the name and what it names.
    fn next_name<'t>(&self, text: &'t str) -> Option<(usize, (&'t str, Declared))> {
        text.char_indices().find_map(|(i, _)| {
            let (name, named) = self.name_at(&text[i..])?;
            (name.chars().count() >= 3).then_some((i, (name, named)))
        })
    }

    /// The districts of `atlas` by the names they have today.
    pub fn of(atlas: &Atlas) -> DistrictNames {
        let districts: Vec<Entry> = atlas
            .districts()
            .iter()
            .map(|d| Entry {
                code: d.code.clone(),
                name: d.name.clone(),
                name_en: d.name_en.clone(),
            })
            .collect();
        let mut keys = HashMap::new();
        for (i, d) in districts.iter().enumerate() {
            let short = short_name(&d.name);
            let mut names = vec![d.code.as_str().to_string(), d.name.clone()];
            if short != d.name {
                names.push(short.to_string());
                if d.name.ends_with("自治县") {
                    names.push(format!("{short}县"));
                    names.push(format!("{short}自治县"));
                }
            }
            names.extend(d.name_en.clone());
            for name in names {
                keys.entry(fold_name(&name)).or_insert(Key::Current(i));
            }
        }
        let city = std::iter::once(atlas.name().to_string())
            .chain(atlas.name().strip_suffix('市').map(String::from))
            .filter(|c| !c.is_empty())
            .collect();
        DistrictNames {
            inner: Arc::new(Inner {
                city,
                districts,
                areas: Vec::new(),
                keys,
                towns: HashMap::new(),
            }),
        }
    }

    /// These names, and the names and codes districts had before a change
    /// ([`FormerName`]). A name a district has today is never taken by a
    /// former one.
    pub fn with_former_names(self, former: impl IntoIterator<Item = FormerName>) -> DistrictNames {
        let mut inner = self.unshared();
        for former in former {
            let former = Arc::new(former);
            let names = std::iter::once(former.name.clone())
                .chain(former.code.iter().map(|c| c.as_str().to_string()));
            for name in names {
                let key = Key::Former(Arc::clone(&former));
                inner.keys.entry(fold_name(&name)).or_insert(key);
            }
        }
        DistrictNames {
            inner: Arc::new(inner),
        }
    }

    /// These names, and managed areas by their names and aliases. A name
    /// a district has today, or had, is never taken by an area.
    pub fn with_managed_areas(self, areas: impl IntoIterator<Item = ManagedArea>) -> DistrictNames {
        let mut inner = self.unshared();
        for area in areas {
            let area = Arc::new(area);
            inner.areas.push(Arc::clone(&area));
            let names = std::iter::once(&area.name)
                .chain(&area.aliases)
                .chain(&area.name_en);
            for name in names {
                let key = Key::Area(Arc::clone(&area));
                inner.keys.entry(fold_name(name)).or_insert(key);
            }
        }
        DistrictNames {
            inner: Arc::new(inner),
        }
    }

    fn unshared(self) -> Inner {
        Arc::try_unwrap(self.inner).unwrap_or_else(|shared| Inner {
            city: shared.city.clone(),
            districts: shared
                .districts
                .iter()
                .map(|d| Entry {
                    code: d.code.clone(),
                    name: d.name.clone(),
                    name_en: d.name_en.clone(),
                })
                .collect(),
            areas: shared.areas.clone(),
            keys: shared.keys.clone(),
            towns: shared.towns.clone(),
        })
    }

    /// These names, and the towns and streets (乡镇街道) of the districts:
    /// a record without a point or a district is placed by its town or
    /// street when the city has one of that name only.
    pub fn with_towns(self, towns: impl IntoIterator<Item = Town>) -> DistrictNames {
        let mut inner = self.unshared();
        for town in towns {
            let districts = inner.towns.entry(fold_name(&town.name)).or_default();
            if !districts.contains(&town.district) {
                districts.push(town.district);
            }
        }
        DistrictNames {
            inner: Arc::new(inner),
        }
    }

    /// The district of the town or street `name` (`仙桃街道`), as the
    /// record writes it: a district when the city has one town of that
    /// name.
    pub fn town(&self, name: &str) -> Result<(String, Declared), AddressProblem> {
        let written = name.trim();
        match self.inner.towns.get(&fold_name(written)).map(Vec::as_slice) {
            Some([code]) => Ok((
                written.to_string(),
                Declared::District { code: code.clone() },
            )),
            Some(several) => Err(AddressProblem::SharedTown {
                town: written.to_string(),
                districts: several.len(),
            }),
            None => Err(AddressProblem::UnknownTown {
                town: written.to_string(),
            }),
        }
    }

    /// The town or street that starts `text`, when the names know one:
    /// the longest name ending in 街道, 镇 or 乡.
    fn town_at<'t>(&self, text: &'t str) -> Option<&'t str> {
        let ends = text.char_indices().map(|(i, c)| i + c.len_utf8());
        let prefixes: Vec<&str> = ends.take(LONGEST_NAME).map(|end| &text[..end]).collect();
        prefixes
            .into_iter()
            .rev()
            .find(|name| name.ends_with("街道") || name.ends_with(['镇', '乡']))
            .filter(|name| self.inner.towns.contains_key(*name))
    }

    /// The managed areas these names know.
    pub fn managed_areas(&self) -> impl Iterator<Item = &ManagedArea> {
        self.inner.areas.iter().map(|a| a.as_ref())
    }

    /// The districts overlay `id` reaches: those the managed areas that are
    /// it take in part of, each once, in the order the areas list them.
    pub fn reach(&self, id: &str) -> Vec<&RegionCode> {
        let mut districts: Vec<&RegionCode> = Vec::new();
        let areas = self
            .managed_areas()
            .filter(|a| a.overlay.as_deref() == Some(id));
        for code in areas.flat_map(|a| &a.districts) {
            if !districts.contains(&code) {
                districts.push(code);
            }
        }
        districts
    }

    /// What `text` names.
    ///
    /// # Errors
    ///
    /// [`UnknownDistrict`] when it names no district, now or before, and no
    /// managed area.
    pub fn resolve(&self, text: &str) -> Result<Declared, UnknownDistrict> {
        // A name or code as written is found without folding it.
        let found = match self.inner.keys.get(text) {
            Some(found) => Some(found),
            None => self.inner.keys.get(&self.key(text)),
        };
        match found {
            Some(Key::Current(i)) => Ok(Declared::District {
                code: self.inner.districts[*i].code.clone(),
            }),
            Some(Key::Former(former)) => Ok(Declared::FormerName {
                code: former.district.clone(),
                former: Arc::clone(former),
            }),
            Some(Key::Area(area)) => Ok(match area.districts.as_slice() {
                [code] => Declared::AreaInDistrict {
                    code: code.clone(),
                    area: Arc::clone(area),
                },
                _ => Declared::Area {
                    area: Arc::clone(area),
                },
            }),
            None => Err(UnknownDistrict {
                found: text.to_string(),
                suggestion: self.suggestion(&self.key(text)),
            }),
        }
    }

    /// `text` as it is looked up: folded, without the city's name before
    /// a district's.
    fn key(&self, text: &str) -> String {
        let folded = fold_name(text);
        for city in &self.inner.city {
            if let Some(rest) = folded.strip_prefix(city.as_str()) {
                if !rest.is_empty() {
                    return rest.to_string();
                }
            }
        }
        folded
    }

    /// The district a typo of `key` most likely meant: one whose name (or
    /// English name) is one edit away in the same script, and of the same
    /// kind when `key` ends in 区 or 县; only when exactly one is.
    fn suggestion(&self, key: &str) -> Option<String> {
        let latin = key.is_ascii();
        if key.bytes().all(|b| b.is_ascii_digit()) {
            // A code one digit off could be any of several: no guess.
            return None;
        }
        let suffix = key.chars().last().filter(|c| matches!(c, '区' | '县'));
        let near = |name: &str| {
            let limit = if latin { (name.len() / 4).max(1) } else { 1 };
            strsim::osa_distance(key, name) <= limit
        };
        let mut found = self.inner.districts.iter().filter(|d| {
            if latin {
                d.name_en
                    .as_deref()
                    .is_some_and(|n| near(&n.to_ascii_lowercase()))
            } else {
                let kind = suffix.is_none_or(|s| d.name.ends_with(s));
                kind && (near(&d.name) || near(short_name(&d.name)))
            }
        });
        let first = found.next()?;
        found.next().is_none().then(|| first.name.clone())
    }
}

mod overlays;

pub use overlays::{OverlayNames, UnknownOverlay};

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> &'static DistrictNames {
        DistrictNames::chongqing()
    }

    fn code_of(text: &str) -> Option<String> {
        let declared = names().resolve(text).ok()?;
        declared.district().map(|c| c.as_str().to_string())
    }

    #[test]
    fn every_district_is_found_by_each_of_its_names() {
        for d in Atlas::chongqing().districts() {
            let code = Some(d.code.as_str().to_string());
            assert_eq!(code_of(d.code.as_str()), code);
            assert_eq!(code_of(&d.name), code);
            assert_eq!(code_of(short_name(&d.name)), code, "{}", d.name);
            let en = d.name_en.as_deref().unwrap();
            assert_eq!(code_of(&en.to_uppercase()), code, "{en}");
            assert_eq!(code_of(&format!("重庆市{}", d.name)), code);
        }
        for (short, code) in [
            ("酉阳县", "500242"),
            ("石柱县", "500240"),
            ("秀山县", "500241"),
            ("彭水县", "500243"),
            ("酉阳", "500242"),
            (" 渝 北 区 ", "500112"),
            ("５００１１２", "500112"),
        ] {
            assert_eq!(code_of(short).as_deref(), Some(code), "{short}");
        }
    }

    #[test]
    fn former_names_and_codes_count_in_todays_district() {
        for (old, code) in [
            ("开县", "500154"),
            ("梁平县", "500155"),
            ("武隆县", "500156"),
            ("璧山县", "500120"),
            ("潼南县", "500152"),
            ("荣昌县", "500153"),
            ("铜梁县", "500151"),
            ("大足县", "500111"),
            ("双桥区", "500111"),
            ("万盛区", "500110"),
            ("綦江县", "500110"),
            ("江津市", "500116"),
            ("合川市", "500117"),
            ("永川市", "500118"),
            ("南川市", "500119"),
            ("长寿县", "500115"),
            ("500234", "500154"),
            ("500381", "500116"),
        ] {
            let declared = names().resolve(old).unwrap();
            assert!(matches!(declared, Declared::FormerName { .. }), "{old}");
            assert_eq!(declared.district().unwrap().as_str(), code, "{old}");
        }
        // Today's names are never taken by a former one.
        assert!(matches!(
            names().resolve("大足区").unwrap(),
            Declared::District { .. }
        ));
    }

    #[test]
    fn every_former_district_and_area_names_districts_of_the_atlas() {
        let atlas = Atlas::chongqing();
        for former in crate::chongqing::former_names() {
            assert!(atlas.district_with_code(former.district.as_str()).is_some());
        }
        for area in crate::chongqing::managed_areas() {
            for code in &area.districts {
                assert!(
                    atlas.district_with_code(code.as_str()).is_some(),
                    "{}",
                    area.name
                );
            }
        }
    }

    #[test]
    fn managed_areas_name_their_districts() {
        let wansheng = names().resolve("万盛经开区").unwrap();
        assert!(matches!(wansheng, Declared::AreaInDistrict { .. }));
        assert_eq!(wansheng.district().unwrap().as_str(), "500110");
        for (text, overlay, districts) in [
            ("两江新区", "liangjiang_new_area", 3),
            ("西部（重庆）科学城", "western_science_city", 5),
            ("西部科学城重庆高新区", "western_science_city", 5),
            ("重庆高新区", "western_science_city", 5),
            ("高新区", "western_science_city", 5),
        ] {
            let area = names().resolve(text).unwrap();
            assert!(matches!(area, Declared::Area { .. }), "{text}");
            assert_eq!(area.overlay(), Some(overlay), "{text}");
            assert_eq!(area.districts().len(), districts, "{text}");
        }
    }

    #[test]
    fn suggestions_are_close_and_of_the_same_kind() {
        let suggestion = |text| names().resolve(text).unwrap_err().suggestion;
        assert_eq!(suggestion("渝北新区").as_deref(), Some("渝北区"));
        assert_eq!(suggestion("Yubie").as_deref(), Some("渝北区"));
        assert_eq!(suggestion("某某区"), None);
        assert_eq!(suggestion("500199"), None);
        // 江北县 is a 县: 江北区 is not offered for it.
        assert_eq!(suggestion("江北县"), None);
        assert_eq!(
            names().resolve("某某区").unwrap_err().to_string(),
            "unknown district \"某某区\": not the name, short name, code or English name of a \
             district (today or before a change), nor a managed area"
        );
    }
}
