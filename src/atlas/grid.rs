//! A prepared grid for point location: the fast path of [`Atlas::locate`].
//!
//! The atlas's bounding box is cut into cells. A cell that no district edge
//! can touch is *pure*: one answer (a district, or outside) holds for every
//! point in it, found once at build time. Any other cell is *mixed*: it keeps
//! the few districts that can hold its points, and a point there is tested
//! against them with the edges of its grid row only.
//!
//! Exactness. Cells and slabs (thin horizontal bands, 16 per row of cells)
//! are found with `floor((v - origin) * scale)`, which is monotone in `v`,
//! and an edge is filed under every cell and slab its bounding box maps to.
//! So an edge that touches a point is always filed under that point's cell
//! and slab, and a horizontal ray from the point meets only edges filed
//! under its slab. The per-district test is geo's
//! crossing rule with robust orientation predicates, counted by parity over
//! all rings of the district (valid polygons, non-overlapping parts), with
//! points on an edge on the boundary. The answer equals the exact path's,
//! which the tests check on every vertex and edge midpoint.
//!
//! [`Atlas::locate`]: super::Atlas::locate

use geo::{Coord, GeoNum, Kernel, Orientation, Rect};

use super::{District, DistrictId};

/// Cell value for a point in no district.
const OUTSIDE: u32 = u32::MAX;
/// Flag on a cell value whose low bits index `mixed`.
const MIXED: u32 = 1 << 31;

/// One edge of a district's boundary, filed under a grid row.
#[derive(Debug, Clone, Copy)]
struct Edge {
    district: u32,
    a: Coord,
    b: Coord,
}

/// The prepared grid.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    bounds: Rect,
    columns: usize,
    rows: usize,
    x_scale: f64,
    y_scale: f64,
    /// Per cell, row-major: a district id, `OUTSIDE`, or `MIXED | i`.
    cells: Vec<u32>,
    /// Candidates of mixed cells: a cell's are `candidates[start..start + len]`,
    /// with `start` and `len` packed into its cell value (or, past
    /// `MAX_INLINE` candidates, in `overflow`).
    candidates: Vec<Candidate>,
    overflow: Vec<(u32, u32)>,
    /// Every row's edges, grouped by row and then by district.
    edges: Vec<Edge>,
}

/// A district that may hold points of a mixed cell, with the edges of that
/// district in the cell's row: `edges[start..end]`.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    district: u32,
    start: u32,
    end: u32,
}

/// Bits of a mixed cell's value: `MIXED | len << LEN_SHIFT | start`.
const LEN_SHIFT: u32 = 27;
const MAX_INLINE: usize = 15;

impl Grid {
    /// Builds a grid of about `cells` cells over the districts' bounding box.
    pub(crate) fn new(districts: &[District], bounds: Rect, cells: usize) -> Grid {
        let aspect = bounds.width() / bounds.height().max(f64::MIN_POSITIVE);
        let rows = ((cells as f64 / aspect).sqrt().ceil() as usize).clamp(1, 1 << 14);
        let columns = (cells / rows).clamp(1, 1 << 14);
        let mut grid = Grid {
            bounds,
            columns,
            rows,
            x_scale: columns as f64 / bounds.width().max(f64::MIN_POSITIVE),
            y_scale: rows as f64 / bounds.height().max(f64::MIN_POSITIVE),
            cells: vec![OUTSIDE; columns * rows],
            candidates: Vec::new(),
            overflow: Vec::new(),
            edges: Vec::new(),
        };
        // File every edge under its rows, and note the districts that touch
        // each cell (`touching[cell]`).
        let mut by_row: Vec<Vec<Edge>> = vec![Vec::new(); rows];
        let mut touching: Vec<Vec<u32>> = vec![Vec::new(); columns * rows];
        for (d, district) in districts.iter().enumerate() {
            let d = d as u32;
            for polygon in &district.shape {
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    for line in ring.lines() {
                        let (c0, r0) = grid.cell_of(Coord {
                            x: line.start.x.min(line.end.x),
                            y: line.start.y.min(line.end.y),
                        });
                        let (c1, r1) = grid.cell_of(Coord {
                            x: line.start.x.max(line.end.x),
                            y: line.start.y.max(line.end.y),
                        });
                        for (r, row) in by_row.iter_mut().enumerate().take(r1 + 1).skip(r0) {
                            row.push(Edge {
                                district: d,
                                a: line.start,
                                b: line.end,
                            });
                            for touched in &mut touching[r * columns + c0..=r * columns + c1] {
                                if touched.last() != Some(&d) {
                                    touched.push(d);
                                }
                            }
                        }
                    }
                }
            }
        }
        // Per row, the range of `edges` holding each district's edges, in
        // district order. A district with no edge in a row holds no point of
        // it: a horizontal line through a bounded region meets its border.
        let mut edges: Vec<Edge> = Vec::new();
        let mut row_ranges: Vec<Vec<Candidate>> = Vec::with_capacity(rows);
        for mut row in by_row {
            row.sort_by_key(|e| e.district);
            let mut ranges = Vec::new();
            for group in row.chunk_by(|a, b| a.district == b.district) {
                let start = edges.len() as u32;
                edges.extend_from_slice(group);
                ranges.push(Candidate {
                    district: group[0].district,
                    start,
                    end: edges.len() as u32,
                });
            }
            row_ranges.push(ranges);
        }
        let holders = |row: usize, p: Coord| -> Vec<Candidate> {
            row_ranges[row]
                .iter()
                .filter(|c| holds(&edges[c.start as usize..c.end as usize], p))
                .copied()
                .collect()
        };
        // A pure cell takes the answer at its centre, found once per run of
        // pure cells in a row (no border passes between neighbours in a
        // run). A mixed cell keeps the districts touching it and those
        // holding its centre.
        for (r, ranges) in row_ranges.iter().enumerate() {
            let mut run_answer: Option<u32> = None;
            for c in 0..columns {
                let cell = r * columns + c;
                let centre = grid.centre(c, r);
                let centre_maps_back = grid.cell_of(centre) == (c, r);
                let touched = std::mem::take(&mut touching[cell]);
                if touched.is_empty() && centre_maps_back {
                    grid.cells[cell] = *run_answer.get_or_insert_with(|| {
                        holders(r, centre).first().map_or(OUTSIDE, |h| h.district)
                    });
                    continue;
                }
                run_answer = None;
                let mut kept: Vec<Candidate> = if centre_maps_back {
                    holders(r, centre)
                } else {
                    // Rounding put the centre in another cell: keep every
                    // district with edges in the row, which is always right.
                    ranges.clone()
                };
                kept.extend(ranges.iter().filter(|x| touched.contains(&x.district)));
                kept.sort_by_key(|x| x.district);
                kept.dedup_by_key(|x| x.district);
                let start = grid.candidates.len() as u32;
                grid.candidates.extend_from_slice(&kept);
                grid.cells[cell] = if kept.len() <= MAX_INLINE && start < 1 << LEN_SHIFT {
                    MIXED | (kept.len() as u32) << LEN_SHIFT | start
                } else {
                    grid.overflow.push((start, grid.candidates.len() as u32));
                    MIXED | (grid.overflow.len() as u32 - 1)
                };
            }
        }
        grid.edges = edges;
        grid
    }

    /// The cell (column, row) a point maps to, clamped to the grid.
    fn cell_of(&self, c: Coord) -> (usize, usize) {
        let col = (c.x - self.bounds.min().x) * self.x_scale;
        let row = (c.y - self.bounds.min().y) * self.y_scale;
        (
            (col.max(0.0) as usize).min(self.columns - 1),
            (row.max(0.0) as usize).min(self.rows - 1),
        )
    }

    fn centre(&self, column: usize, row: usize) -> Coord {
        Coord {
            x: self.bounds.min().x + (column as f64 + 0.5) / self.x_scale,
            y: self.bounds.min().y + (row as f64 + 0.5) / self.y_scale,
        }
    }

    /// The lowest-coded district whose closed region holds `p`.
    #[inline]
    pub(crate) fn locate(&self, p: Coord) -> Option<DistrictId> {
        let b = &self.bounds;
        if !(p.x >= b.min().x && p.x <= b.max().x && p.y >= b.min().y && p.y <= b.max().y) {
            return None;
        }
        let (column, row) = self.cell_of(p);
        match self.cells[row * self.columns + column] {
            OUTSIDE => None,
            value if value & MIXED == 0 => Some(DistrictId(value)),
            value => {
                let len = ((value & !MIXED) >> LEN_SHIFT) as usize;
                let (start, end) = if len > 0 {
                    let start = (value & ((1 << LEN_SHIFT) - 1)) as usize;
                    (start, start + len)
                } else {
                    let (start, end) = self.overflow[(value & !MIXED) as usize];
                    (start as usize, end as usize)
                };
                self.candidates[start..end]
                    .iter()
                    .find(|c| holds(&self.edges[c.start as usize..c.end as usize], p))
                    .map(|c| DistrictId(c.district))
            }
        }
    }
}

/// Whether the closed region bounded by `edges` (one district's edges in
/// the row of `p`) holds `p`: on an edge, or an odd number of crossings of
/// the ray from `p` to +x.
fn holds(edges: &[Edge], p: Coord) -> bool {
    let mut crossings = 0u32;
    for e in edges {
        let (a, b) = (e.a, e.b);
        // Only an edge whose y-range holds p.y can cross the ray or hold p.
        let (low, high) = if a.y <= b.y { (a.y, b.y) } else { (b.y, a.y) };
        if p.y < low || p.y > high || a.x.max(b.x) < p.x {
            continue;
        }
        // geo's `coord_pos_relative_to_ring` rules: an upward edge includes
        // its start and excludes its end, a downward edge the reverse,
        // horizontal edges never cross. An edge wholly to the right of p
        // crosses by those rules alone.
        if a.x.min(b.x) > p.x {
            crossings += u32::from(a.y != b.y && p.y != high);
            continue;
        }
        let orientation = <f64 as GeoNum>::Ker::orient2d(a, b, p);
        if orientation == Orientation::Collinear && between(p.x, a.x, b.x) {
            return true;
        }
        let crosses = if a.y <= p.y {
            b.y > p.y && orientation == Orientation::CounterClockwise
        } else {
            b.y <= p.y && orientation == Orientation::Clockwise
        };
        crossings += u32::from(crosses);
    }
    crossings % 2 == 1
}

fn between(v: f64, a: f64, b: f64) -> bool {
    if a < b {
        a <= v && v <= b
    } else {
        b <= v && v <= a
    }
}
