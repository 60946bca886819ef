//! The check as GeoJSON: the districts and zones, each with its tallies
//! and the progress of the targets that name it, in WGS-84.

use std::io;

use geo::{MapCoords, MultiPolygon};
use serde::Serialize;

use super::{Source, WithSource};
use crate::datum::Datum;
use crate::job::CheckedPlan;
use crate::quota::Status;

#[derive(Serialize)]
struct RegionProperties<'a> {
    level: &'static str,
    code: &'a str,
    name: &'a str,
    name_en: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zone: Option<&'a str>,
    carriers: u64,
    floor_area_m2: f64,
    enterprises: u64,
    tech_enterprises: u64,
    targets: Vec<TargetProgress<'a>>,
}

#[derive(Serialize)]
struct TargetProgress<'a> {
    id: &'a str,
    required: f64,
    actual: Option<f64>,
    percent: Option<f64>,
    status: Status,
    source: &'a crate::quota::TargetSource,
}

/// Writes a GeoJSON FeatureCollection of the districts and the zones, each
/// with its tallies on the as-of date and the progress of the targets whose
/// scope names it. Coordinates are converted to WGS-84 (RFC 7946), so the
/// file lines up with the base maps of QGIS or geojson.io; the collection
/// says so in a `"datum"` member.
///
/// # Errors
///
/// When writing fails.
pub(super) fn write_geojson(
    out: impl io::Write,
    checked: &CheckedPlan,
    source: Option<&Source>,
) -> io::Result<()> {
    let (atlas, tally) = (checked.placed.atlas(), &checked.tally);
    let (plan, report) = (&checked.plan, &checked.report);
    let progress = |names: &dyn Fn(&crate::quota::Scope) -> bool| -> Vec<TargetProgress<'_>> {
        plan.targets
            .iter()
            .zip(&report.targets)
            .filter(|(target, _)| names(&target.scope))
            .map(|(_, r)| TargetProgress {
                id: &r.id,
                required: r.required,
                actual: r.actual,
                percent: r.percent,
                status: r.status,
                source: &r.source,
            })
            .collect()
    };
    let mut features = Vec::new();
    for (id, district) in atlas.district_ids().zip(atlas.districts()) {
        let t = &tally.district(id).all;
        let zone = district.zone.map(|z| atlas.zone(z).code.as_str());
        let properties = RegionProperties {
            level: "district",
            code: district.code.as_str(),
            name: &district.name,
            name_en: district.name_en.as_deref(),
            zone,
            carriers: t.carriers,
            floor_area_m2: t.floor_area_m2(),
            enterprises: t.enterprises,
            tech_enterprises: t.tech_enterprises,
            targets: progress(&|s| {
                s.districts
                    .iter()
                    .any(|n| atlas.find_district(n) == Some(id))
            }),
        };
        features.push(feature(&district.shape, atlas.datum(), &properties));
    }
    for (zid, zone) in atlas.zones().iter().enumerate() {
        let t = &tally.zones()[zid].all;
        let shape = geo::unary_union(zone.districts.iter().map(|&d| &atlas.district(d).shape));
        let properties = RegionProperties {
            level: "zone",
            code: &zone.code,
            name: &zone.name,
            name_en: zone.name_en.as_deref(),
            zone: None,
            carriers: t.carriers,
            floor_area_m2: t.floor_area_m2(),
            enterprises: t.enterprises,
            tech_enterprises: t.tech_enterprises,
            targets: progress(&|s| {
                s.zones
                    .iter()
                    .any(|n| atlas.find_zone(n).map(|z| z.index()) == Some(zid))
            }),
        };
        features.push(feature(&shape, atlas.datum(), &properties));
    }
    let collection = serde_json::json!({
        "type": "FeatureCollection",
        "datum": "wgs84",
        "as_of": report.as_of,
        "features": features,
    });
    let collection = WithSource {
        report: &collection,
        data: source,
    };
    serde_json::to_writer(out, &collection).map_err(io::Error::from)
}

fn feature(shape: &MultiPolygon, datum: Datum, properties: &impl Serialize) -> serde_json::Value {
    let wgs84 = shape.map_coords(|c| datum.convert(c, Datum::Wgs84));
    let coordinates: Vec<Vec<Vec<[f64; 2]>>> = wgs84
        .iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|ring| ring.coords().map(|c| [c.x, c.y]).collect())
                .collect()
        })
        .collect();
    serde_json::json!({
        "type": "Feature",
        "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
        "properties": properties,
    })
}
