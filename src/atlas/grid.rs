//! A prepared grid for point location: the fast path of [`Atlas::locate`].
//!
//! The atlas's bounding box is cut into cells. A cell that no district edge
//! can touch is *pure*: one answer (a district, or outside) holds for every
//! point in it, found once at build time. Any other cell is *mixed*: it keeps
//! the few districts that can hold its points, and a point there is tested
//! against them with the edges of its slab only (a thin horizontal band,
//! 8 per row of cells). Cells are stored in blocks of 8 × 8; a block whose
//! cells are all pure and alike is one entry of a small block table that
//! stays in cache, so most points are answered without a cache miss.
//!
//! Exactness. Cells and slabs are found with `floor((v - origin) * scale)`,
//! which is monotone in `v`, and an edge is filed under every cell and slab
//! its bounding box maps to. So an edge that touches a point is always filed
//! under that point's cell and slab, and a horizontal ray from the point
//! meets only edges filed under its slab. The per-district test is geo's
//! crossing rule with robust orientation predicates, counted by parity over
//! all rings of the district (valid polygons, non-overlapping parts), with
//! points on an edge on the boundary. The answer equals the exact path's,
//! which the tests check on every vertex and edge midpoint.
//!
//! [`Atlas::locate`]: super::Atlas::locate

use geo::{Coord, GeoNum, Kernel, Orientation, Rect};
use rayon::prelude::*;

use super::{District, DistrictId};

/// Cell value for a point in no district.
const OUTSIDE: u32 = u32::MAX;
/// Flag on a mixed cell's value.
const MIXED: u32 = 1 << 31;
/// Flag on the entry of a block stored cell by cell.
const STORED: u32 = 1 << 31;

/// One edge of a district's boundary, filed under a slab.
#[derive(Debug, Clone, Copy)]
struct Edge {
    a: Coord,
    b: Coord,
}

impl Edge {
    /// The edge's greatest longitude.
    #[inline]
    fn right(&self) -> f64 {
        self.a.x.max(self.b.x)
    }
}

/// The prepared grid.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    bounds: Rect,
    columns: usize,
    rows: usize,
    x_scale: f64,
    y_scale: f64,
    /// Per block of 8 × 8 cells, row-major: `at` when all its cells are
    /// pure and alike, their one value being `cells[at]`, else
    /// `STORED | at` for the block's 64 cell values at `cells[at..]`. The
    /// block table is small enough to stay in cache, so most points cost no
    /// cache miss.
    blocks: Vec<u32>,
    block_columns: usize,
    /// Cell values: first the distinct values of uniform blocks, then 64
    /// per stored block, row-major within it: a district id, `OUTSIDE`, or
    /// a mixed cell's `MIXED | ...`.
    cells: Vec<u32>,
    /// Candidate districts of mixed cells: a cell's are
    /// `candidates[start..start + len]`, with `start` and `len` packed into
    /// its cell value (or, past `MAX_INLINE` candidates, in `overflow`).
    candidates: Vec<u32>,
    overflow: Vec<(u32, u32)>,
    /// Slabs: `SLABS` horizontal bands per row of cells. Slab `s` holds the
    /// districts with edges in it, in district order, and their edges:
    /// `slab_districts` and `slab_edges` over
    /// `slab_starts[s]..slab_starts[s + 1]` (the districts apart, so that a
    /// binary search for one reads few cache lines).
    slab_scale: f64,
    slab_starts: Vec<u32>,
    slab_districts: Vec<u32>,
    slab_edges: Vec<SlabEdges>,
    /// Every slab's edges, grouped by slab and then by district.
    edges: Vec<Edge>,
}

/// A district's edges in one slab: `edges[start..end]`, spanning
/// longitudes `min_x..=max_x`. A point of the slab outside that span is
/// outside the district: the horizontal line through it meets none of the
/// district's border on one side.
#[derive(Debug, Clone, Copy)]
struct SlabEdges {
    start: u32,
    end: u32,
    min_x: f64,
    max_x: f64,
}

impl SlabEdges {
    /// Whether the district holds `p`, a point of this slab.
    #[inline]
    fn holds(&self, edges: &[Edge], p: Coord) -> bool {
        self.min_x <= p.x
            && p.x <= self.max_x
            && holds(&edges[self.start as usize..self.end as usize], p)
    }
}

/// A point of a mixed cell, set aside by [`Grid::locate_all`].
struct Deferred {
    /// Its slab and column: the order to resolve points in.
    order: u64,
    /// Its cell's value.
    value: u32,
    /// Its position among the points.
    index: u32,
    p: Coord,
}

/// Slabs per row of cells: a point is tested against the edges of its slab
/// only, a few instead of the dozens that cross a whole row.
const SLABS: usize = 8;

/// One row's cells as planned: pure answers, or `MIXED | i` for the `i`-th
/// mixed cell, whose candidates are `candidates[at..at + len]` for
/// `(at, len) = mixed[i]`.
#[derive(Default)]
struct RowPlan {
    values: Vec<u32>,
    mixed: Vec<(usize, usize)>,
    candidates: Vec<u32>,
}

/// Cells per side of a block.
const BLOCK: usize = 8;

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
            blocks: Vec::new(),
            block_columns: columns.div_ceil(BLOCK),
            cells: Vec::new(),
            candidates: Vec::new(),
            overflow: Vec::new(),
            slab_scale: rows as f64 * SLABS as f64 / bounds.height().max(f64::MIN_POSITIVE),
            slab_starts: Vec::new(),
            slab_districts: Vec::new(),
            slab_edges: Vec::new(),
            edges: Vec::new(),
        };
        let touching = grid.file_edges(districts);
        let plans = grid.plan_rows(&touching, districts.len());
        let mut row_major = vec![OUTSIDE; columns * rows];
        for (r, plan) in plans.into_iter().enumerate() {
            for (c, value) in plan.values.into_iter().enumerate() {
                row_major[r * columns + c] = if value == OUTSIDE || value & MIXED == 0 {
                    value
                } else {
                    let (at, len) = plan.mixed[(value & !MIXED) as usize];
                    grid.mixed_cell(&plan.candidates[at..at + len])
                };
            }
        }
        grid.pack_blocks(&row_major);
        grid
    }

    /// Files every edge under its slabs, and returns the districts that
    /// touch each cell: (cell, district) pairs, sorted, without repeats.
    fn file_edges(&mut self, districts: &[District]) -> Vec<(u32, u32)> {
        let (rows, columns) = (self.rows, self.columns);
        let grid = &*self;
        // File every edge under its slabs, and note the districts that
        // touch each cell: (cell, district) pairs. Districts come in order,
        // so each slab's edges come grouped by district. Slabs are counted
        // first, then filled, so that the edges of all slabs lie in one
        // array, each slab's in one range of it.
        let filings = |visit: &mut dyn FnMut(u32, Edge, std::ops::RangeInclusive<usize>)| {
            for (d, district) in districts.iter().enumerate() {
                let rings = district
                    .shape
                    .iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
                for line in rings.flat_map(|ring| ring.lines()) {
                    let edge = Edge {
                        a: line.start,
                        b: line.end,
                    };
                    let slabs = grid.slab_of(line.start.y.min(line.end.y))
                        ..=grid.slab_of(line.start.y.max(line.end.y));
                    visit(d as u32, edge, slabs);
                }
            }
        };
        let slab_count = rows * SLABS;
        // Per slab: its number of edges and of districts, then where they
        // start; the last district filed under it.
        let (mut edge_starts, mut group_starts) =
            (vec![0u32; slab_count + 1], vec![0u32; slab_count + 1]);
        let mut last = vec![u32::MAX; slab_count];
        let mut touching: Vec<(u32, u32)> = Vec::new();
        filings(&mut |d, edge, slabs| {
            for s in slabs {
                edge_starts[s + 1] += 1;
                if last[s] != d {
                    last[s] = d;
                    group_starts[s + 1] += 1;
                }
            }
            let (c0, r0) = grid.cell_of(Coord {
                x: edge.a.x.min(edge.b.x),
                y: edge.a.y.min(edge.b.y),
            });
            let (c1, r1) = grid.cell_of(Coord {
                x: edge.a.x.max(edge.b.x),
                y: edge.a.y.max(edge.b.y),
            });
            for r in r0..=r1 {
                let row = (r * columns) as u32;
                touching.extend((c0..=c1).map(|c| (row + c as u32, d)));
            }
        });
        for s in 0..slab_count {
            edge_starts[s + 1] += edge_starts[s];
            group_starts[s + 1] += group_starts[s];
        }
        let no_edge = Edge {
            a: Coord::zero(),
            b: Coord::zero(),
        };
        let mut edges = vec![no_edge; edge_starts[slab_count] as usize];
        // Per district in a slab: (district, start of its edges in `edges`).
        let mut groups = vec![(0u32, 0u32); group_starts[slab_count] as usize];
        let (mut next_edge, mut next_group) = (edge_starts.clone(), group_starts.clone());
        last.fill(u32::MAX);
        filings(&mut |d, edge, slabs| {
            for s in slabs {
                if last[s] != d {
                    last[s] = d;
                    groups[next_group[s] as usize] = (d, next_edge[s]);
                    next_group[s] += 1;
                }
                edges[next_edge[s] as usize] = edge;
                next_edge[s] += 1;
            }
        });
        // Each district's edges in a slab, rightmost first: a point's test
        // stops at the first edge wholly to its left. A district with no
        // edge in a slab holds no point of it: a horizontal line through a
        // bounded region meets its border.
        let ends = (groups.iter().skip(1).map(|&(_, start)| start)).chain([edges.len() as u32]);
        let mut ranges: Vec<&mut [Edge]> = Vec::with_capacity(groups.len());
        let mut rest = edges.as_mut_slice();
        for (&(_, start), end) in groups.iter().zip(ends) {
            let (group, after) = std::mem::take(&mut rest).split_at_mut((end - start) as usize);
            ranges.push(group);
            rest = after;
        }
        let slab_edges = ranges
            .into_par_iter()
            .zip(&groups)
            .map(|(group, &(_, start))| {
                group.sort_unstable_by(|e, f| f.right().total_cmp(&e.right()));
                let xs = || group.iter().flat_map(|e| [e.a.x, e.b.x]);
                SlabEdges {
                    start,
                    end: start + group.len() as u32,
                    min_x: xs().fold(f64::INFINITY, f64::min),
                    max_x: xs().fold(f64::NEG_INFINITY, f64::max),
                }
            })
            .collect();
        self.slab_edges = slab_edges;
        self.slab_districts = groups.iter().map(|&(district, _)| district).collect();
        self.slab_starts = group_starts;
        self.edges = edges;
        touching.par_sort_unstable();
        touching.dedup();
        touching
    }

    /// Each row's cells: a pure cell's district, or a mixed cell's
    /// candidates.
    fn plan_rows(&self, touching: &[(u32, u32)], district_count: usize) -> Vec<RowPlan> {
        let (rows, columns, grid) = (self.rows, self.columns, self);
        let holders = |p: Coord| -> Vec<u32> {
            let (districts, edges) = grid.slab(grid.slab_of(p.y));
            districts
                .iter()
                .zip(edges)
                .filter(|(_, e)| e.holds(&grid.edges, p))
                .map(|(&d, _)| d)
                .collect()
        };
        let every_district: Vec<u32> = (0..district_count as u32).collect();
        // A pure cell takes the answer at its centre, found once per run of
        // pure cells in a row (no border passes between neighbours in a
        // run). A mixed cell keeps the districts touching it and those
        // holding its centre. Rows are planned in parallel.
        (0..rows)
            .into_par_iter()
            .map(|r| {
                let first = (r * columns) as u32;
                let lo = touching.partition_point(|&(cell, _)| cell < first);
                let hi = touching.partition_point(|&(cell, _)| cell < first + columns as u32);
                let mut pairs = touching[lo..hi].iter().peekable();
                let mut plan = RowPlan {
                    values: Vec::with_capacity(columns),
                    ..RowPlan::default()
                };
                let mut run_answer: Option<u32> = None;
                for c in 0..columns {
                    let cell = first + c as u32;
                    let mut touched = Vec::new();
                    while let Some(&(_, d)) = pairs.next_if(|(at, _)| *at == cell) {
                        touched.push(d);
                    }
                    let centre = grid.centre(c, r);
                    let centre_maps_back = grid.cell_of(centre) == (c, r);
                    if touched.is_empty() && centre_maps_back {
                        let answer = *run_answer.get_or_insert_with(|| {
                            holders(centre).first().copied().unwrap_or(OUTSIDE)
                        });
                        plan.values.push(answer);
                        continue;
                    }
                    run_answer = None;
                    let mut kept = if centre_maps_back {
                        holders(centre)
                    } else {
                        // Rounding put the centre in another cell: keep
                        // every district, which is always right.
                        every_district.clone()
                    };
                    kept.extend(touched);
                    kept.sort_unstable();
                    kept.dedup();
                    plan.values.push(MIXED | plan.mixed.len() as u32);
                    plan.mixed.push((plan.candidates.len(), kept.len()));
                    plan.candidates.extend(kept);
                }
                plan
            })
            .collect()
    }

    /// Files a mixed cell's candidates and gives its cell value.
    fn mixed_cell(&mut self, kept: &[u32]) -> u32 {
        let start = self.candidates.len() as u32;
        self.candidates.extend_from_slice(kept);
        if kept.len() <= MAX_INLINE && start < 1 << LEN_SHIFT {
            MIXED | (kept.len() as u32) << LEN_SHIFT | start
        } else {
            self.overflow.push((start, self.candidates.len() as u32));
            MIXED | (self.overflow.len() as u32 - 1)
        }
    }

    /// Packs the row-major cell values into blocks (see [`Grid::blocks`]).
    fn pack_blocks(&mut self, row_major: &[u32]) {
        let block_rows = self.rows.div_ceil(BLOCK);
        let block_values = |block: usize| {
            let (block_row, block_column) =
                (block / self.block_columns, block % self.block_columns);
            let mut values = [OUTSIDE; BLOCK * BLOCK];
            for (i, value) in values.iter_mut().enumerate() {
                let (r, c) = (
                    block_row * BLOCK + i / BLOCK,
                    block_column * BLOCK + i % BLOCK,
                );
                if r < self.rows && c < self.columns {
                    *value = row_major[r * self.columns + c];
                }
            }
            values
        };
        // A block's one value when its cells are pure and alike.
        let uniform: Vec<Option<u32>> = (0..block_rows * self.block_columns)
            .map(|block| {
                let values = block_values(block);
                let first = values[0];
                ((first == OUTSIDE || first & MIXED == 0) && values.iter().all(|&v| v == first))
                    .then_some(first)
            })
            .collect();
        // The distinct uniform values first, then the stored blocks.
        let mut distinct: Vec<u32> = uniform.iter().flatten().copied().collect();
        distinct.sort_unstable();
        distinct.dedup();
        self.cells = distinct.clone();
        self.blocks = uniform
            .iter()
            .enumerate()
            .map(|(block, value)| match value {
                Some(value) => distinct.partition_point(|v| v < value) as u32,
                None => {
                    let at = self.cells.len() as u32;
                    self.cells.extend_from_slice(&block_values(block));
                    STORED | at
                }
            })
            .collect();
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

    /// The slab a latitude maps to, clamped to the grid.
    fn slab_of(&self, y: f64) -> usize {
        let slab = (y - self.bounds.min().y) * self.slab_scale;
        (slab.max(0.0) as usize).min(self.rows * SLABS - 1)
    }

    /// A slab's districts and their edges.
    fn slab(&self, slab: usize) -> (&[u32], &[SlabEdges]) {
        let range = self.slab_starts[slab] as usize..self.slab_starts[slab + 1] as usize;
        (&self.slab_districts[range.clone()], &self.slab_edges[range])
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
        self.resolve(self.cell_value(p), p)
    }

    /// [`Grid::locate`] for `out.len()` points, `point(i)` giving point `i`,
    /// on rayon's threads. A first pass answers the points of pure cells and
    /// sets the others aside; those are then sorted in the order the slabs'
    /// edges are stored (by slab, then west to east) and resolved in that
    /// order, so that consecutive ones find their edges already in cache
    /// instead of missing it at every step (three times faster).
    pub(crate) fn locate_all(
        &self,
        out: &mut [Option<DistrictId>],
        point: impl Fn(usize) -> Coord + Sync,
    ) {
        const CHUNK: usize = 4096;
        let mut deferred: Vec<Deferred> = out
            .par_chunks_mut(CHUNK)
            .enumerate()
            // The chunk's points are read first, in one stream, so that
            // reading them (out of carrier records, say) does not wait on the
            // cell look-ups; the buffer is reused across a thread's chunks.
            .map_init(
                || Vec::with_capacity(CHUNK),
                |points, (chunk, out)| {
                    let first = chunk * CHUNK;
                    points.clear();
                    points.extend((first..first + out.len()).map(&point));
                    let mut mixed = Vec::new();
                    for (j, (slot, &p)) in out.iter_mut().zip(points.iter()).enumerate() {
                        match self.cell_value(p) {
                            OUTSIDE => *slot = None,
                            value if value & MIXED == 0 => {
                                *slot = Some(DistrictId::new(value as usize))
                            }
                            value => mixed.push(Deferred {
                                order: (self.slab_of(p.y) as u64) << 32 | self.cell_of(p).0 as u64,
                                value,
                                index: (first + j) as u32,
                                p,
                            }),
                        }
                    }
                    mixed
                },
            )
            .flatten_iter()
            .collect();
        deferred.par_sort_unstable_by_key(|d| d.order);
        let answers: Vec<Option<DistrictId>> = deferred
            .par_iter()
            .map(|d| self.resolve(d.value, d.p))
            .collect();
        for (d, answer) in deferred.iter().zip(answers) {
            out[d.index as usize] = answer;
        }
    }

    /// The value of the cell that holds `p`, or `OUTSIDE` off the grid.
    /// Branch-free past the bounds check: a uniform block's entry points at
    /// its one value and a stored block's at its 64, so the cell's offset
    /// within the block counts only for stored blocks. With no branch to
    /// mispredict, the look-ups of consecutive points overlap.
    #[inline]
    fn cell_value(&self, p: Coord) -> u32 {
        let b = &self.bounds;
        if !(p.x >= b.min().x && p.x <= b.max().x && p.y >= b.min().y && p.y <= b.max().y) {
            return OUTSIDE;
        }
        let (column, row) = self.cell_of(p);
        let entry = self.blocks[(row / BLOCK) * self.block_columns + column / BLOCK];
        let within = ((row % BLOCK) * BLOCK + column % BLOCK) * (entry >> 31) as usize;
        self.cells[(entry & !STORED) as usize + within]
    }

    /// The answer for `p` in a cell of value `value`.
    #[inline]
    fn resolve(&self, value: u32, p: Coord) -> Option<DistrictId> {
        match value {
            OUTSIDE => None,
            value if value & MIXED == 0 => Some(DistrictId::new(value as usize)),
            value => {
                let len = ((value & !MIXED) >> LEN_SHIFT) as usize;
                let (start, end) = if len > 0 {
                    let start = (value & ((1 << LEN_SHIFT) - 1)) as usize;
                    (start, start + len)
                } else {
                    let (start, end) = self.overflow[(value & !MIXED) as usize];
                    (start as usize, end as usize)
                };
                let (districts, edges) = self.slab(self.slab_of(p.y));
                self.candidates[start..end]
                    .iter()
                    .find(|&&d| {
                        // A slab lists its districts in order.
                        districts
                            .binary_search(&d)
                            .is_ok_and(|i| edges[i].holds(&self.edges, p))
                    })
                    .map(|&d| DistrictId::new(d as usize))
            }
        }
    }
}

/// Whether the closed region bounded by `edges` (one district's edges in
/// the slab of `p`, rightmost first) holds `p`: on an edge, or an odd number of crossings of
/// the ray from `p` to +x.
fn holds(edges: &[Edge], p: Coord) -> bool {
    let mut crossings = 0u32;
    for e in edges {
        if e.right() < p.x {
            // The edges are sorted rightmost first: none left can cross the
            // ray or hold p.
            break;
        }
        let (a, b) = (e.a, e.b);
        // Only an edge whose y-range holds p.y can cross the ray or hold p.
        let (low, high) = if a.y <= b.y { (a.y, b.y) } else { (b.y, a.y) };
        if p.y < low || p.y > high {
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

#[cfg(test)]
impl Grid {
    /// Blocks stored cell by cell, and all blocks.
    pub(crate) fn stored_blocks(&self) -> (usize, usize) {
        let stored = self.blocks.iter().filter(|&&b| b & STORED != 0).count();
        (stored, self.blocks.len())
    }
}
