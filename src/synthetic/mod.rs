//! Deterministic synthetic carriers, candidate sites and region sets, for
//! tests, benchmarks and the sample files. They are not real data.
//!
//! Carriers cluster around centres inside each district: dense in the nine
//! central districts of the main urban area, sparser in the rest of it, and
//! sparse in the northeast and southeast. Kinds, categories, levels, floor
//! areas and opening dates follow a plausible mix. The same seed gives the
//! same carriers on every platform (SplitMix64, integer arithmetic and
//! IEEE-754 operations only).

use std::f64::consts::PI;

use geo::{Coord, InteriorPoint, LineString, MultiPolygon, Point, Polygon};

use crate::atlas::{Atlas, DistrictId};
use crate::carrier::{Carrier, CarrierId, Carriers, Category, Kind, Level, Location};
use crate::date::{Date, RecordDate};
use crate::sites::{Candidate, Candidates};

mod regions;
pub use regions::SyntheticRegions;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Synthetic {
    /// Number of carriers.
    pub count: usize,
    /// Random seed.
    pub seed: u64,
    /// Share of carriers given a footprint (a 20-vertex polygon about 40 m
    /// across) instead of a point, in [0, 1].
    pub footprint_share: f64,
    /// Only the properties a bare registry export has (id, kind, floor
    /// area, enterprises, opening date), and points to 6 decimals (0.1 m).
    pub lean: bool,
}

impl Synthetic {
    /// `count` point carriers from `seed`, with every property.
    pub fn new(count: usize, seed: u64) -> Synthetic {
        Synthetic {
            count,
            seed,
            footprint_share: 0.0,
            lean: false,
        }
    }

    /// Gives this share of the carriers a footprint.
    pub fn footprints(mut self, share: f64) -> Synthetic {
        self.footprint_share = share;
        self
    }

    /// Keeps only the properties a bare registry export has.
    pub fn lean(mut self) -> Synthetic {
        self.lean = true;
        self
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast, and the same
/// everywhere, which is all a fixture generator needs.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_f64() * n as f64) as usize
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = 1.0 - self.next_f64();
        let v = self.next_f64();
        (-2.0 * u.ln()).sqrt() * (2.0 * PI * v).cos()
    }

    /// Index drawn with probability proportional to `weights`.
    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.next_f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// The nine central districts of the main urban area (中心城区).
const CENTRAL: [&str; 9] = [
    "500103", "500104", "500105", "500106", "500107", "500108", "500109", "500112", "500113",
];

/// A cluster of carriers: its district, centre and spread in degrees.
struct Cluster {
    district: DistrictId,
    centre: Coord,
    spread: f64,
}

/// Relative density of carriers in a district of the embedded atlas.
fn district_weight(atlas: &Atlas, id: DistrictId) -> f64 {
    let district = atlas.district(id);
    if CENTRAL.contains(&district.code.as_str()) {
        return 12.0;
    }
    match district.zone.map(|z| atlas.zone(z).code.as_str()) {
        Some("main_urban") => 3.0,
        Some("northeast") => 0.8,
        Some("southeast") => 0.5,
        _ => 1.0,
    }
}

/// A uniformly random point inside `district`, by rejection from its box.
fn point_in(atlas: &Atlas, id: DistrictId, rng: &mut SplitMix64) -> Coord {
    let rect =
        geo::BoundingRect::bounding_rect(&atlas.district(id).shape).expect("non-empty district");
    loop {
        let c = Coord {
            x: rect.min().x + rng.next_f64() * rect.width(),
            y: rect.min().y + rng.next_f64() * rect.height(),
        };
        if atlas.locate(Point(c)) == Some(id) {
            return c;
        }
    }
}

impl Synthetic {
    /// Generates the carriers, every one inside a district of `atlas` and in
    /// its datum. Ids are `c-` and a zero-padded serial number.
    pub fn generate(&self, atlas: &Atlas) -> Carriers {
        let mut rng = SplitMix64::new(self.seed);
        let ids: Vec<DistrictId> = atlas.district_ids().collect();
        let clusters: Vec<Cluster> = ids
            .iter()
            .flat_map(|&id| {
                let n = (district_weight(atlas, id) * 2.0).ceil() as usize;
                (0..n).map(move |_| id)
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|id| Cluster {
                district: id,
                centre: point_in(atlas, id, &mut rng),
                spread: 0.005 + 0.02 * rng.next_f64(),
            })
            .collect();
        // A district's carriers are shared among its clusters, so that its
        // share of all carriers follows its weight, not the weight squared.
        let weights: Vec<f64> = clusters
            .iter()
            .map(|c| {
                let siblings = clusters.iter().filter(|o| o.district == c.district).count();
                district_weight(atlas, c.district) / siblings as f64
            })
            .collect();
        let width = self.count.max(1).to_string().len().max(7);
        let mut carriers = Carriers::new(atlas.datum());
        for serial in 0..self.count {
            let cluster = &clusters[rng.weighted(&weights)];
            let anchor = self.place(atlas, cluster, &mut rng);
            let location = if rng.next_f64() < self.footprint_share {
                footprint(anchor, &mut rng)
            } else {
                Location::Point(Point(anchor))
            };
            let mut carrier = attributes(format!("c-{serial:0width$}"), location, &mut rng);
            carrier.overlay = synthetic_overlay(atlas, cluster.district, &mut rng);
            if self.lean {
                (
                    carrier.name,
                    carrier.category,
                    carrier.level,
                    carrier.overlay,
                ) = (None, None, None, None);
                if let Some(Location::Point(p)) = &mut carrier.location {
                    let round = |v: f64| (v * 1e6).round() / 1e6;
                    *p = Point::new(round(p.x()), round(p.y()));
                }
            }
            carriers.push(carrier);
        }
        carriers
    }

    /// A point near the cluster's centre, inside its district: a few
    /// Gaussian draws, then the centre itself.
    fn place(&self, atlas: &Atlas, cluster: &Cluster, rng: &mut SplitMix64) -> Coord {
        for _ in 0..8 {
            let c = Coord {
                x: cluster.centre.x + cluster.spread * rng.normal(),
                y: cluster.centre.y + cluster.spread * rng.normal(),
            };
            if atlas.locate(Point(c)) == Some(cluster.district) {
                return c;
            }
        }
        cluster.centre
    }
}

/// `count` synthetic candidate sites with ids `s-` and a serial number, in
/// the atlas's datum: buildings of 10,000 to 160,000 m² anywhere in the
/// city (a district's chance follows the carriers' density), costing about
/// 0.3 (outer zones) to 0.9 (central districts) per m² ± 30%, rounded to
/// whole units; a third can open only from a day in 2026 or 2027. Some in
/// the dual-core districts carry an `overlay` tag, as carriers do.
pub fn candidates(atlas: &Atlas, count: usize, seed: u64) -> Candidates {
    let mut rng = SplitMix64::new(seed);
    let ids: Vec<DistrictId> = atlas.district_ids().collect();
    let weights: Vec<f64> = ids.iter().map(|&d| district_weight(atlas, d)).collect();
    let width = count.max(1).to_string().len().max(3);
    let candidates = (0..count)
        .map(|serial| {
            let district = ids[rng.weighted(&weights)];
            let point = point_in(atlas, district, &mut rng);
            let floor_area_m2 = (10_000.0 * 16f64.powf(rng.next_f64()) / 100.0).round() * 100.0;
            let price = match district_weight(atlas, district) {
                w if w > 10.0 => 0.9,
                w if w > 2.0 => 0.6,
                _ => 0.3,
            };
            let cost = (floor_area_m2 * price * (0.7 + 0.6 * rng.next_f64())).round();
            let opened = (rng.next_f64() < 1.0 / 3.0)
                .then(|| {
                    Date::new(
                        2026 + rng.below(2) as u16,
                        1 + rng.below(12) as u8,
                        1 + rng.below(28) as u8,
                    )
                })
                .flatten()
                .map(RecordDate::Day);
            Candidate {
                id: format!("s-{serial:0width$}"),
                floor_area_m2,
                cost,
                opened,
                overlay: synthetic_overlay(atlas, district, &mut rng).map(String::from),
                location: Location::Point(Point(point)),
            }
        })
        .collect();
    Candidates {
        datum: atlas.datum(),
        candidates,
    }
}

/// A 20-vertex polygon about 40 m across around `centre`, with the surface
/// point a reader would compute for it. Its vertices may cross a district
/// border, as real buildings near one do.
fn footprint(centre: Coord, rng: &mut SplitMix64) -> Location {
    let radius = 0.0001 + 0.0003 * rng.next_f64();
    let mut ring: Vec<Coord> = (0..20)
        .map(|i| {
            let angle = 2.0 * PI * f64::from(i) / 20.0;
            Coord {
                x: centre.x + radius * angle.cos(),
                y: centre.y + radius * 0.9 * angle.sin(),
            }
        })
        .collect();
    ring.push(ring[0]);
    let shape = MultiPolygon(vec![Polygon::new(LineString(ring), vec![])]);
    let surface_point = shape.interior_point().expect("a polygon with area");
    Location::footprint(shape, surface_point)
}

/// The districts the dual-core functional areas lie in: Liangjiang New Area
/// (江北, 渝北, 北碚) and Western (Chongqing) Science City (北碚, 沙坪坝,
/// 九龙坡, 江津, 璧山).
const DUAL_CORE: [(&str, &[&str]); 2] = [
    ("liangjiang_new_area", &["500105", "500112", "500109"]),
    (
        "western_science_city",
        &["500109", "500106", "500107", "500116", "500120"],
    ),
];

/// A synthetic `overlay` tag: 40% of the carriers in a dual-core district
/// name one of the areas that district lies in. No boundary is implied.
fn synthetic_overlay(
    atlas: &Atlas,
    district: DistrictId,
    rng: &mut SplitMix64,
) -> Option<Box<str>> {
    let code = atlas.district(district).code.as_str();
    let areas: Vec<&str> = DUAL_CORE
        .iter()
        .filter(|(_, codes)| codes.contains(&code))
        .map(|(area, _)| *area)
        .collect();
    if areas.is_empty() || rng.next_f64() >= 0.4 {
        return None;
    }
    Some(areas[rng.below(areas.len())].into())
}

fn attributes(id: String, location: Location, rng: &mut SplitMix64) -> Carrier {
    let kind = Kind::ALL[rng.weighted(&[0.68, 0.22, 0.1])];
    let category = match rng.weighted(&[0.02, 0.03, 0.12, 0.83]) {
        3 => None,
        i => Some(Category::ALL[i]),
    };
    let level = match rng.weighted(&[0.08, 0.3, 0.42, 0.2]) {
        3 => None,
        i => Some(Level::ALL[i]),
    };
    let typical = match kind {
        Kind::MakerSpace => 800.0,
        Kind::Incubator => 5_000.0,
        Kind::Accelerator => 15_000.0,
    } * if category == Some(Category::Large) {
        4.0
    } else {
        1.0
    };
    // Log-normal around the typical size, rounded to whole square metres.
    let floor_area_m2 = (typical * (0.6 * rng.normal()).exp()).round().max(50.0);
    let enterprises = (floor_area_m2 / 200.0 * (0.5 + rng.next_f64())) as u32;
    let tech_enterprises = (f64::from(enterprises) * (0.1 + 0.2 * rng.next_f64())) as u32;
    let year = 2012 + rng.below(14) as u16;
    let opened = if rng.next_f64() < 0.3 {
        Some(RecordDate::Year(year))
    } else {
        Date::new(year, 1 + rng.below(12) as u8, 1 + rng.below(28) as u8).map(RecordDate::Day)
    };
    Carrier {
        name: Some(
            format!("Synthetic {} {}", kind.as_str().replace('_', " "), &id[2..]).into_boxed_str(),
        ),
        id: CarrierId::new(id).expect("non-empty"),
        kind,
        category,
        level,
        floor_area_m2,
        enterprises,
        tech_enterprises,
        opened,
        closed: None,
        overlay: None,
        district: None,
        location: Some(location),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_carriers() {
        let atlas = Atlas::chongqing();
        let spec = Synthetic::new(200, 7).footprints(0.2);
        assert!(spec.generate(atlas) == spec.generate(atlas));
        let other = Synthetic::new(200, 8).footprints(0.2).generate(atlas);
        assert!(spec.generate(atlas) != other);
    }

    #[test]
    fn every_carrier_is_inside_and_most_are_central() {
        let atlas = Atlas::chongqing();
        let carriers = Synthetic::new(2000, 1).generate(atlas);
        let districts: Vec<DistrictId> = carriers
            .iter()
            .map(|c| atlas.locate(c.anchor().unwrap()).expect("inside Chongqing"))
            .collect();
        let central = districts
            .iter()
            .filter(|d| CENTRAL.contains(&atlas.district(**d).code.as_str()))
            .count();
        assert!(central > 1000, "{central} of 2000 in the central districts");
        let kinds = |k| carriers.iter().filter(|c| c.kind() == k).count();
        assert!(kinds(Kind::MakerSpace) > kinds(Kind::Incubator));
        assert!(kinds(Kind::Incubator) > kinds(Kind::Accelerator));
    }
}
