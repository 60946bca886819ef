//! Geodetic datums used for coordinates in China, and conversions between them.
//!
//! WGS-84 is what GPS receivers report. GCJ-02 is the obfuscated datum every
//! map published in mainland China must use (Amap, Tencent). BD-09 is Baidu's
//! further offset of GCJ-02. The offsets between them are 300–700 m around
//! Chongqing, far more than the distance between many carriers and a district
//! border, so a coordinate is only meaningful together with its datum.
//!
//! The GCJ-02 forward transform is the widely published one (Krasovsky 1940
//! ellipsoid, a = 6 378 245 m); it reproduces the reference pairs of the
//! `eviltransform` and `coordtransform` projects to the last digit. Its inverse
//! has no closed form, so [`gcj02_to_wgs84`] inverts it by fixed-point
//! iteration to well under a millimetre.

use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

use geo::Coord;
use serde::{Deserialize, Serialize};

use crate::position::Position;

/// A geodetic datum for longitude/latitude coordinates in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Datum {
    /// WGS-84, as reported by GPS (EPSG:4326).
    Wgs84,
    /// GCJ-02, the datum of Amap (高德) and Tencent maps.
    Gcj02,
    /// BD-09, the datum of Baidu maps.
    Bd09,
}

impl Datum {
    /// All datums, in declaration order.
    pub const ALL: [Datum; 3] = [Datum::Wgs84, Datum::Gcj02, Datum::Bd09];

    /// The name used in files and on the command line: `wgs84`, `gcj02` or `bd09`.
    pub fn as_str(self) -> &'static str {
        match self {
            Datum::Wgs84 => "wgs84",
            Datum::Gcj02 => "gcj02",
            Datum::Bd09 => "bd09",
        }
    }

    /// Converts a coordinate (x = longitude, y = latitude, degrees) from this
    /// datum to `target`.
    ///
    /// Outside mainland China (the rectangle the published algorithm uses),
    /// GCJ-02 equals WGS-84, so only the BD-09 offset applies there.
    pub fn convert(self, coord: Coord, target: Datum) -> Coord {
        if self == target {
            return coord;
        }
        let gcj = match self {
            Datum::Wgs84 => wgs84_to_gcj02(coord),
            Datum::Gcj02 => coord,
            Datum::Bd09 => bd09_to_gcj02(coord),
        };
        match target {
            Datum::Wgs84 => gcj02_to_wgs84(gcj),
            Datum::Gcj02 => gcj,
            Datum::Bd09 => gcj02_to_bd09(gcj),
        }
    }
}

impl fmt::Display for Datum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text that names no datum: the one error for it, whether from a flag or
/// from a file's `"datum"` member (then with its position).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown datum {found:?}{}: expected wgs84, gcj02 or bd09", .position.map(|p| format!(" at {p}")).unwrap_or_default())]
pub struct UnknownDatum {
    /// The text that was given.
    pub found: String,
    /// Where a file gives it, when it does.
    pub position: Option<Position>,
}

impl FromStr for Datum {
    type Err = UnknownDatum;

    /// Parses `wgs84`, `gcj02` or `bd09`, ignoring case, `-` and `_`
    /// (so `WGS-84` and `GCJ_02` are accepted too).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let folded: String = s
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match folded.as_str() {
            "wgs84" => Ok(Datum::Wgs84),
            "gcj02" => Ok(Datum::Gcj02),
            "bd09" => Ok(Datum::Bd09),
            _ => Err(UnknownDatum {
                found: s.to_string(),
                position: None,
            }),
        }
    }
}

/// Semi-major axis of the Krasovsky 1940 ellipsoid, which GCJ-02 uses.
const KRASOVSKY_A: f64 = 6_378_245.0;
/// First eccentricity squared of the Krasovsky 1940 ellipsoid.
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943;
/// Baidu's angular constant: π · 3000 / 180.
const BD_X_PI: f64 = PI * 3000.0 / 180.0;

/// Whether the GCJ-02 offset applies: the rectangle the published algorithm uses.
fn in_china(c: Coord) -> bool {
    (72.004..=137.8347).contains(&c.x) && (0.8293..=55.8271).contains(&c.y)
}

/// The GCJ-02 offset (degrees of longitude and latitude) at a WGS-84 point.
fn gcj02_offset(c: Coord) -> Coord {
    let x = c.x - 105.0;
    let y = c.y - 35.0;
    let periodic = 20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin();
    let mut dlat = periodic + 20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin();
    dlat += 160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin();
    let mut dlon = periodic + 20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin();
    dlon += 150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin();
    dlat = dlat * 2.0 / 3.0 - 100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y;
    dlat += 0.2 * x.abs().sqrt();
    dlon = dlon * 2.0 / 3.0 + 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y;
    dlon += 0.1 * x.abs().sqrt();

    let rad_lat = c.y / 180.0 * PI;
    let magic = 1.0 - KRASOVSKY_EE * rad_lat.sin() * rad_lat.sin();
    let sqrt_magic = magic.sqrt();
    Coord {
        x: (dlon * 180.0) / (KRASOVSKY_A / sqrt_magic * rad_lat.cos() * PI),
        y: (dlat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * PI),
    }
}

/// WGS-84 to GCJ-02 (the published forward transform).
pub fn wgs84_to_gcj02(c: Coord) -> Coord {
    if !in_china(c) {
        return c;
    }
    c + gcj02_offset(c)
}

/// GCJ-02 to WGS-84, inverting [`wgs84_to_gcj02`] by fixed-point iteration.
///
/// The offset changes by less than 1e-5 of itself per metre, so each step
/// gains about five digits; the loop stops once a step moves the estimate by
/// less than 1e-12 degrees (0.1 µm), which takes three or four steps.
pub fn gcj02_to_wgs84(c: Coord) -> Coord {
    if !in_china(c) {
        return c;
    }
    let mut wgs = c - gcj02_offset(c);
    for _ in 0..16 {
        let next = c - gcj02_offset(wgs);
        let moved = (next.x - wgs.x).abs().max((next.y - wgs.y).abs());
        wgs = next;
        if moved < 1e-12 {
            break;
        }
    }
    wgs
}

/// GCJ-02 to BD-09 (Baidu's published forward transform).
pub fn gcj02_to_bd09(c: Coord) -> Coord {
    let z = c.x.hypot(c.y) + 0.00002 * (c.y * BD_X_PI).sin();
    let theta = c.y.atan2(c.x) + 0.000003 * (c.x * BD_X_PI).cos();
    Coord {
        x: z * theta.cos() + 0.0065,
        y: z * theta.sin() + 0.006,
    }
}

/// BD-09 to GCJ-02.
///
/// Starts from Baidu's published approximate inverse and refines it by
/// fixed-point iteration on [`gcj02_to_bd09`], so that a round trip closes
/// to well under a millimetre rather than the approximation's few centimetres.
pub fn bd09_to_gcj02(c: Coord) -> Coord {
    let x = c.x - 0.0065;
    let y = c.y - 0.006;
    let z = x.hypot(y) - 0.00002 * (y * BD_X_PI).sin();
    let theta = y.atan2(x) - 0.000003 * (x * BD_X_PI).cos();
    let mut gcj = Coord {
        x: z * theta.cos(),
        y: z * theta.sin(),
    };
    for _ in 0..8 {
        let error = gcj02_to_bd09(gcj) - c;
        gcj = gcj - error;
        if error.x.abs().max(error.y.abs()) < 1e-12 {
            break;
        }
    }
    gcj
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Haversine, Point};

    fn metres(a: Coord, b: Coord) -> f64 {
        Haversine.distance(Point(a), Point(b))
    }

    fn c(x: f64, y: f64) -> Coord {
        Coord { x, y }
    }

    // (WGS-84, GCJ-02) pairs from the test suites of the eviltransform project
    // (Shanghai, Shenzhen, Beijing) and the README of coordtransform (Tiananmen).
    const WGS_GCJ: [(Coord, Coord); 4] = [
        (
            Coord {
                x: 121.5272106,
                y: 31.1774276,
            },
            Coord {
                x: 121.531541859215,
                y: 31.17530398364597,
            },
        ),
        (
            Coord {
                x: 113.912316,
                y: 22.543847,
            },
            Coord {
                x: 113.9171764808363,
                y: 22.540796131694766,
            },
        ),
        (
            Coord {
                x: 116.377817,
                y: 39.911954,
            },
            Coord {
                x: 116.38404722455657,
                y: 39.91334545536069,
            },
        ),
        (
            Coord {
                x: 116.404,
                y: 39.915,
            },
            Coord {
                x: 116.41024449916938,
                y: 39.91640428150164,
            },
        ),
    ];

    #[test]
    fn wgs84_to_gcj02_reproduces_published_pairs() {
        for (wgs, gcj) in WGS_GCJ {
            let got = wgs84_to_gcj02(wgs);
            assert!(metres(got, gcj) < 1e-6, "{wgs:?}: {got:?} != {gcj:?}");
        }
    }

    #[test]
    fn gcj02_to_wgs84_inverts_published_pairs() {
        for (wgs, gcj) in WGS_GCJ {
            let got = gcj02_to_wgs84(gcj);
            assert!(metres(got, wgs) < 0.001, "{gcj:?}: {got:?} != {wgs:?}");
        }
    }

    #[test]
    fn gcj02_to_bd09_reproduces_published_pair() {
        // coordtransform's README: gcj02tobd09(116.404, 39.915).
        let got = gcj02_to_bd09(c(116.404, 39.915));
        assert!(metres(got, c(116.41036949371029, 39.92133699351021)) < 1e-6);
    }

    #[test]
    fn bd09_to_gcj02_agrees_with_published_approximate_inverse() {
        // coordtransform's README: bd09togcj02(116.404, 39.915), computed with
        // Baidu's approximate inverse; the refined inverse moves it slightly.
        let got = bd09_to_gcj02(c(116.404, 39.915));
        let published = c(116.39762729119315, 39.90865673957631);
        assert!(metres(got, published) < 0.05, "{}", metres(got, published));
        assert!(metres(gcj02_to_bd09(got), c(116.404, 39.915)) < 1e-6);
    }

    #[test]
    fn round_trips_close_everywhere_in_chongqing() {
        // A 0.01° grid over Chongqing's bounding box (105.28–110.20 E, 28.16–32.21 N).
        let mut worst: f64 = 0.0;
        for i in 0..=492 {
            for j in 0..=405 {
                let p = c(105.28 + i as f64 * 0.01, 28.16 + j as f64 * 0.01);
                for from in Datum::ALL {
                    for to in Datum::ALL {
                        let back = to.convert(from.convert(p, to), from);
                        worst = worst.max(metres(p, back));
                    }
                }
            }
        }
        assert!(worst < 1e-3, "worst round trip {worst} m");
    }

    #[test]
    fn offsets_are_hundreds_of_metres_in_chongqing() {
        let p = c(106.55, 29.56);
        let gcj = metres(p, wgs84_to_gcj02(p));
        let bd = metres(p, Datum::Wgs84.convert(p, Datum::Bd09));
        assert!((300.0..700.0).contains(&gcj), "{gcj}");
        assert!(bd > gcj, "{bd}");
    }

    #[test]
    fn outside_china_gcj02_is_wgs84() {
        let paris = c(2.35, 48.85);
        assert_eq!(wgs84_to_gcj02(paris), paris);
        assert_eq!(gcj02_to_wgs84(paris), paris);
    }

    #[test]
    fn parses_names() {
        assert_eq!("WGS-84".parse::<Datum>(), Ok(Datum::Wgs84));
        assert_eq!("gcj_02".parse::<Datum>(), Ok(Datum::Gcj02));
        assert_eq!("bd09".parse::<Datum>(), Ok(Datum::Bd09));
        assert_eq!(
            "utm".parse::<Datum>().unwrap_err().to_string(),
            "unknown datum \"utm\": expected wgs84, gcj02 or bd09"
        );
    }
}
