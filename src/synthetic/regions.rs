//! A synthetic region set the size of a country's counties, for tests and
//! benchmarks: a jittered grid of cells whose shared borders are long,
//! detailed polylines, each written once and shared exactly by the two cells
//! it separates.
//!
//! Why it is valid. A border runs from one grid node to the next with its
//! vertices offset sideways from the straight segment by at most
//! `AMPLITUDE` cell times a tent that is zero at both ends; its vertices
//! advance along the segment, so it never crosses itself, and it stays in a
//! thin rhombus around the segment (half-angle under 13° at each node).
//! Nodes move by at most `JITTER` cell, so the borders that meet at a node
//! leave it at least 43° apart and their rhombi meet only there. Enclaves
//! (a small region inside a cell, and the same ring as a hole of the cell)
//! sit near the cell's centre, well inside its borders.

use std::f64::consts::PI;
use std::fmt::Write;

use geo::{Coord, Rect};

use super::SplitMix64;

/// How far a node moves from its lattice point, in cells.
const JITTER: f64 = 0.15;
/// How far a border's vertices stray from the straight segment, in cells.
const AMPLITUDE: f64 = 0.08;
/// Cells per side of a province (codes share their first two digits).
const PROVINCE: usize = 10;
/// Vertices of an enclave's ring.
const ENCLAVE_VERTICES: usize = 48;

/// What to generate: `columns × rows` cells over `bounds`, each border
/// between two grid nodes carrying `border_vertices` vertices between its
/// ends, and about one cell in 37 holding an enclave.
///
/// Codes are six digits: two for the province (a block of 10 × 10 cells)
/// and four for the region within it, so that
/// [`RegionOptions::parent_prefix`](crate::atlas::RegionOptions::parent_prefix)`(2)`
/// groups them by province.
///
/// ```
/// use carrier_quota::synthetic::SyntheticRegions;
/// use carrier_quota::atlas::{read_regions, RegionOptions};
///
/// let text = SyntheticRegions::new(4, 3, 7).border_vertices(10).geojson();
/// let (atlas, issues) = read_regions(text.as_bytes(), &RegionOptions::new("code"))?;
/// assert_eq!(atlas.districts().len(), 12 + 1); // one enclave
/// assert!(issues.is_empty());
/// # Ok::<(), carrier_quota::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SyntheticRegions {
    /// Cells across.
    pub columns: usize,
    /// Cells down.
    pub rows: usize,
    /// Vertices of each border between its two ends.
    pub border_vertices: usize,
    /// Random seed.
    pub seed: u64,
    /// The area the grid spans (longitude, latitude); the outer borders
    /// stray a little beyond it.
    pub bounds: Rect,
}

impl SyntheticRegions {
    /// `columns × rows` cells over China's extent (73°–135° E, 18°–53° N),
    /// with 16 vertices per border.
    pub fn new(columns: usize, rows: usize, seed: u64) -> SyntheticRegions {
        SyntheticRegions {
            columns: columns.max(1),
            rows: rows.max(1),
            border_vertices: 16,
            seed,
            bounds: Rect::new(Coord { x: 73.0, y: 18.0 }, Coord { x: 135.0, y: 53.0 }),
        }
    }

    /// Sets the vertices of each border between its ends. 330 on a 60 × 50
    /// grid gives about four million vertices, as China's counties have.
    pub fn border_vertices(mut self, count: usize) -> SyntheticRegions {
        self.border_vertices = count;
        self
    }

    /// The regions as a GeoJSON FeatureCollection in WGS-84, with `code`
    /// and `name` properties. Coordinates have six decimals (0.1 m), as
    /// published boundaries do; a shared border is written the same way in
    /// both its regions, so it stays shared when read back. (Rounding moves
    /// a vertex a thousandth of its distance to the next, too little to make
    /// a border cross itself or another.)
    pub fn geojson(&self) -> String {
        let (columns, rows) = (self.columns, self.rows);
        let nodes = self.nodes();
        let node = |i: usize, j: usize| nodes[j * (columns + 1) + i];
        let mut rng = SplitMix64::new(self.seed ^ 0x5EED_0FBE_D0E5);
        // Borders along rows (from node (i, j) to (i + 1, j)), then along
        // columns (from (i, j) to (i, j + 1)).
        let along_rows: Vec<Vec<Coord>> = (0..=rows)
            .flat_map(|j| (0..columns).map(move |i| (i, j)))
            .map(|(i, j)| self.border(node(i, j), node(i + 1, j), &mut rng))
            .collect();
        let along_columns: Vec<Vec<Coord>> = (0..rows)
            .flat_map(|j| (0..=columns).map(move |i| (i, j)))
            .map(|(i, j)| self.border(node(i, j), node(i, j + 1), &mut rng))
            .collect();

        let mut out = String::from(
            "{\"type\": \"FeatureCollection\", \"datum\": \"wgs84\", \"features\": [\n",
        );
        let mut serials = vec![0usize; self.provinces()];
        let mut first = true;
        for j in 0..rows {
            for i in 0..columns {
                // Counter-clockwise: bottom, right, top reversed, left reversed.
                let mut ring: Vec<Coord> = along_rows[j * columns + i].clone();
                ring.extend_from_slice(&along_columns[j * (columns + 1) + i + 1][1..]);
                ring.extend(along_rows[(j + 1) * columns + i].iter().rev().skip(1));
                ring.extend(along_columns[j * (columns + 1) + i].iter().rev().skip(1));
                let enclave = ((i * 7 + j * 13) % 37 == 0).then(|| {
                    let centre = [
                        node(i, j),
                        node(i + 1, j),
                        node(i, j + 1),
                        node(i + 1, j + 1),
                    ]
                    .iter()
                    .fold(Coord::zero(), |sum, &c| sum + c / 4.0);
                    self.enclave(centre, &mut rng)
                });
                let province = (j / PROVINCE) * columns.div_ceil(PROVINCE) + i / PROVINCE;
                let mut holes = Vec::new();
                if let Some(enclave) = &enclave {
                    holes.push(enclave.iter().rev().copied().collect::<Vec<_>>());
                }
                let code = self.code(province, &mut serials);
                feature(
                    &mut out,
                    &mut first,
                    &code,
                    &format!("cell {i} {j}"),
                    &ring,
                    &holes,
                );
                if let Some(enclave) = &enclave {
                    let code = self.code(province, &mut serials);
                    feature(
                        &mut out,
                        &mut first,
                        &code,
                        &format!("enclave {i} {j}"),
                        enclave,
                        &[],
                    );
                }
            }
        }
        out.push_str("\n]}\n");
        out
    }

    fn provinces(&self) -> usize {
        self.columns.div_ceil(PROVINCE) * self.rows.div_ceil(PROVINCE)
    }

    fn code(&self, province: usize, serials: &mut [usize]) -> String {
        serials[province] += 1;
        format!("{:02}{:04}", 11 + province, serials[province])
    }

    /// Grid nodes in cell units, row by row; inner nodes jittered.
    fn nodes(&self) -> Vec<Coord> {
        let mut rng = SplitMix64::new(self.seed);
        let (columns, rows) = (self.columns, self.rows);
        let mut nodes = Vec::with_capacity((columns + 1) * (rows + 1));
        for j in 0..=rows {
            for i in 0..=columns {
                let inner = i > 0 && i < columns && j > 0 && j < rows;
                let mut jitter = || {
                    if inner {
                        JITTER * (2.0 * rng.next_f64() - 1.0)
                    } else {
                        0.0
                    }
                };
                nodes.push(Coord {
                    x: i as f64 + jitter(),
                    y: j as f64 + jitter(),
                });
            }
        }
        nodes
    }

    /// A border from node `a` to node `b` (cell units), in degrees, with
    /// both ends included.
    fn border(&self, a: Coord, b: Coord, rng: &mut SplitMix64) -> Vec<Coord> {
        let d = b - a;
        let normal = Coord { x: -d.y, y: d.x } / d.x.hypot(d.y);
        // Three waves, long to short; their weights sum to 1.
        let waves: [(f64, f64, f64); 3] = [
            (0.5, 1.0 + 2.0 * rng.next_f64(), rng.next_f64()),
            (0.3, 5.0 + 15.0 * rng.next_f64(), rng.next_f64()),
            (0.2, 30.0 + 90.0 * rng.next_f64(), rng.next_f64()),
        ];
        let n = self.border_vertices;
        let mut line = Vec::with_capacity(n + 2);
        line.push(self.degrees(a));
        for m in 1..=n {
            let t = m as f64 / (n + 1) as f64;
            let wave: f64 = waves
                .iter()
                .map(|&(weight, frequency, phase)| {
                    weight * (2.0 * PI * (frequency * t + phase)).sin()
                })
                .sum();
            let tent = 1.0 - (2.0 * t - 1.0).abs();
            line.push(self.degrees(a + d * t + normal * (AMPLITUDE * tent * wave)));
        }
        line.push(self.degrees(b));
        line
    }

    /// A closed counter-clockwise ring about 0.1 cell across around `centre`
    /// (cell units), in degrees.
    fn enclave(&self, centre: Coord, rng: &mut SplitMix64) -> Vec<Coord> {
        let phase = 2.0 * PI * rng.next_f64();
        let mut ring: Vec<Coord> = (0..ENCLAVE_VERTICES)
            .map(|k| {
                let angle = 2.0 * PI * k as f64 / ENCLAVE_VERTICES as f64;
                let radius = 0.1 * (1.0 + 0.25 * (3.0 * angle + phase).sin());
                self.degrees(
                    centre
                        + Coord {
                            x: angle.cos(),
                            y: angle.sin(),
                        } * radius,
                )
            })
            .collect();
        ring.push(ring[0]);
        ring
    }

    /// Cell units to degrees.
    fn degrees(&self, c: Coord) -> Coord {
        let (min, b) = (self.bounds.min(), self.bounds);
        Coord {
            x: min.x + c.x * b.width() / self.columns as f64,
            y: min.y + c.y * b.height() / self.rows as f64,
        }
    }
}

/// Appends one Polygon feature.
fn feature(
    out: &mut String,
    first: &mut bool,
    code: &str,
    name: &str,
    shell: &[Coord],
    holes: &[Vec<Coord>],
) {
    if !std::mem::take(first) {
        out.push_str(",\n");
    }
    write!(
        out,
        "{{\"type\": \"Feature\", \"properties\": {{\"code\": \"{code}\", \"name\": \"{name}\"}}, \
         \"geometry\": {{\"type\": \"Polygon\", \"coordinates\": ["
    )
    .expect("writing to a String");
    for (r, ring) in std::iter::once(shell)
        .chain(holes.iter().map(Vec::as_slice))
        .enumerate()
    {
        out.push_str(if r == 0 { "[" } else { ", [" });
        for (k, c) in ring.iter().enumerate() {
            let comma = if k == 0 { "" } else { "," };
            write!(out, "{comma}[{:.6},{:.6}]", c.x, c.y).expect("writing to a String");
        }
        out.push(']');
    }
    out.push_str("]}}");
}
