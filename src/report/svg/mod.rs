//! An SVG choropleth map: districts shaded by a measure, zone outlines,
//! carriers as dots, a legend and a title.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

use geo::{BooleanOps, BoundingRect, InteriorPoint, Intersects, MultiPolygon, Point, Simplify};

use super::text::thousands;
use crate::atlas::short_name;
use crate::atlas::{Atlas, DistrictId};
use crate::carrier::{CarrierRef, Kind};
use crate::counted::Counted;
use crate::place::Placed;
use crate::quota::{Measure, Status};
use crate::tally::{Tally, Totals};

mod legend;
mod options;

pub use options::MapOptions;

/// Five classes, light to dark (ColorBrewer YlGnBu).
const PALETTE: [&str; 5] = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];
const EMPTY: &str = "#eeeeee";
/// Fonts with Chinese glyphs on the common systems, then any sans-serif.
pub(super) const FONTS: &str =
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
/// The families of [`FONTS`] that have Chinese glyphs.
#[cfg_attr(not(feature = "png"), allow(dead_code))]
pub(super) const FONT_FAMILIES: [&str; 4] = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
];

const LEGEND_WIDTH: f64 = 290.0;
/// Names on the map: small, dark, on a white halo that keeps them readable
/// over dots and borders.
const LABEL_STYLE: &str = r##"font-size="10" fill="#222222" text-anchor="middle" stroke="#ffffff" stroke-width="2.5" stroke-linejoin="round" paint-order="stroke""##;
const HEADER: f64 = 70.0;

/// Shares of a district's target reached: the lowest share each class
/// holds, its colour (ColorBrewer RdYlGn) and its words.
const SHARE_CLASSES: [(f64, &str, &str); 4] = [
    (100.0, "#1a9850", "达标 met (100%+)"),
    (80.0, "#fee08b", "80–100%"),
    (50.0, "#fc8d59", "50–80%"),
    (f64::NEG_INFINITY, "#d73027", "below 50%"),
];

fn share_colour(share: Option<f64>) -> &'static str {
    share.map_or(EMPTY, |share| {
        SHARE_CLASSES
            .iter()
            .find(|(lowest, _, _)| share >= *lowest)
            .map_or(EMPTY, |(_, colour, _)| colour)
    })
}

/// Status colours (ColorBrewer RdYlGn ends and middle).
pub(super) const STATUS_COLOURS: [(Status, &str, &str); 3] = [
    (Status::Met, "#1a9850", "达标 met"),
    (Status::OnTrack, "#fee08b", "进度正常 on track"),
    (Status::Behind, "#d73027", "滞后 behind"),
];

pub(super) fn status_colour(status: Option<Status>) -> &'static str {
    STATUS_COLOURS
        .iter()
        .find(|(s, _, _)| Some(*s) == status)
        .map_or(EMPTY, |(_, colour, _)| colour)
}

fn kind_colour(kind: Kind) -> &'static str {
    match kind {
        Kind::MakerSpace => "#f28e2b",
        Kind::Incubator => "#b07aa1",
        Kind::Accelerator => "#e15759",
    }
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::MakerSpace => "众创空间 maker space",
        Kind::Incubator => "孵化器 incubator",
        Kind::Accelerator => "加速器 accelerator",
    }
}

fn measure_label(measure: Measure) -> &'static str {
    match measure {
        Measure::FloorArea => "孵化载体面积 floor area (m²)",
        Measure::Carriers => "孵化载体数量 carriers",
        Measure::Enterprises => "在孵企业和团队 enterprises and teams",
        Measure::TechEnterprises => "科技型企业 tech enterprises",
    }
}

fn value(totals: &Totals, measure: Measure) -> f64 {
    match measure {
        Measure::FloorArea => totals.floor_area_m2(),
        Measure::Carriers => totals.carriers as f64,
        Measure::Enterprises => totals.enterprises as f64,
        Measure::TechEnterprises => totals.tech_enterprises as f64,
    }
}

/// Escapes text for XML.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Rounds `x` up to two significant digits, for legend breaks.
fn nice(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let magnitude = 10f64.powf(x.log10().floor() - 1.0);
    (x / magnitude).ceil() * magnitude
}

/// Upper bounds of five classes: quantiles of the non-zero values, rounded.
fn breaks(values: &[f64]) -> Vec<f64> {
    let mut positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    positive.sort_by(f64::total_cmp);
    if positive.is_empty() {
        return Vec::new();
    }
    // Five classes, fewer for few values: a class holds three or more.
    let classes = (positive.len() / 3).clamp(1, 5);
    let mut bounds: Vec<f64> = (1..=classes)
        .map(|k| {
            nice(
                positive[(positive.len() * k / classes)
                    .saturating_sub(1)
                    .min(positive.len() - 1)],
            )
        })
        .collect();
    bounds.dedup();
    bounds
}

/// Maps longitude/latitude to pixels: equirectangular, scaled by the cosine
/// of the middle latitude so that shapes keep their proportions.
struct Projection {
    west: f64,
    north: f64,
    scale: f64,
    aspect: f64,
    /// Where the north-west corner goes on the picture.
    origin: (f64, f64),
}

impl Projection {
    fn xy(&self, c: geo::Coord) -> (f64, f64) {
        (
            self.origin.0 + (c.x - self.west) * self.aspect * self.scale,
            self.origin.1 + (self.north - c.y) * self.scale,
        )
    }

    fn path(&self, shape: &MultiPolygon) -> String {
        let mut d = String::new();
        for polygon in shape {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for (i, c) in ring.coords().enumerate() {
                    let (x, y) = self.xy(*c);
                    let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
        }
        d
    }
}

/// Writes the map of placed carriers. Districts are shaded by
/// `options.measure` over `tally` (or by `options.district_status`); the
/// carriers open on `options.as_of` (every carrier without one) are dots
/// coloured by kind. `tally` is the carriers the map shades by:
/// [`Tally::open_on`] the same date, as a [`CheckedPlan`] holds it.
///
/// [`CheckedPlan`]: crate::CheckedPlan
///
/// # Errors
///
/// When writing fails, the atlas is empty or the focus is no district of
/// it (`InvalidInput`).
pub fn write_map(
    mut out: impl io::Write,
    placed: &Placed,
    tally: &Tally,
    options: &MapOptions,
) -> io::Result<()> {
    let atlas = placed.atlas();
    let shown = match options.focus {
        Some(d) if d.index() >= atlas.districts().len() => None,
        Some(d) => around(&atlas.district(d).shape),
        None => atlas.outline().bounding_rect(),
    };
    let Some(bounds) = shown else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            match options.focus {
                Some(_) => "the map's focus is no district of the atlas",
                None => "the atlas is empty",
            },
        ));
    };
    let aspect = ((bounds.min().y + bounds.max().y) / 2.0).to_radians().cos();
    let map_width = options.width - LEGEND_WIDTH;
    let scale = map_width / (bounds.width() * aspect);
    let values: Vec<f64> = (tally.districts().iter())
        .map(|b| value(&b.all, options.measure))
        .collect();
    let map = Map {
        atlas,
        options,
        projection: Projection {
            west: bounds.min().x,
            north: bounds.max().y,
            scale,
            aspect,
            origin: (0.0, HEADER),
        },
        map_width,
        height: HEADER + bounds.height() * scale + 20.0,
        // Half a pixel, in degrees: finer detail cannot be seen.
        tolerance: 0.5 / scale,
        classes: breaks(&values),
        values,
        // A little beyond the picture, so that no cut edge shows.
        view: options.focus.map(|_| {
            let margin = bounds.height() * 0.02;
            geo::Rect::new(
                geo::coord! { x: bounds.min().x - margin / aspect, y: bounds.min().y - margin },
                geo::coord! { x: bounds.max().x + margin / aspect, y: bounds.max().y + margin },
            )
        }),
    };
    let dots = Dots::of(placed, options);
    let mut svg = String::new();
    map.header(&mut svg, &map_counts(placed, tally, options));
    if options.focus.is_some() {
        // The district's surroundings end at the map's edge.
        let _ = writeln!(
            svg,
            r#"<clipPath id="map-clip"><rect x="0" y="{HEADER}" width="{:.1}" height="{:.1}"/></clipPath><g clip-path="url(#map-clip)">"#,
            map.map_width,
            map.height - HEADER - 20.0
        );
    }
    map.districts(&mut svg, tally);
    map.zones(&mut svg);
    map.dots(&mut svg, &dots);
    map.sites(&mut svg);
    // Names go above the dots, each on a white halo.
    if let Some(focus) = options.focus {
        map.focus_labels(&mut svg, focus);
        let _ = writeln!(svg, "</g>");
    } else {
        let small = map.labels(&mut svg);
        map.zone_names(&mut svg);
        map.inset(&mut svg, &small);
    }
    map.scale_bar(&mut svg);
    map.legend(&mut svg, &dots);
    let _ = writeln!(svg, "</g>\n</svg>");
    out.write_all(svg.as_bytes())
}

/// The area a map of one district shows: the district with a margin,
/// widened or heightened so that the picture is neither much taller nor
/// much wider than it is broad, with its neighbours around it.
fn around(shape: &MultiPolygon) -> Option<geo::Rect> {
    let rect = shape.bounding_rect()?;
    let centre = rect.center();
    let aspect = centre.y.to_radians().cos();
    // Half the width and height, in degrees of latitude (as drawn).
    let margin = (rect.width() * aspect).max(rect.height()) * 0.15;
    let mut half_width = rect.width() * aspect / 2.0 + margin;
    let mut half_height = rect.height() / 2.0 + margin;
    half_width = half_width.max(half_height);
    half_height = half_height.max(half_width * 0.75);
    Some(geo::Rect::new(
        geo::coord! { x: centre.x - half_width / aspect, y: centre.y - half_height },
        geo::coord! { x: centre.x + half_width / aspect, y: centre.y + half_height },
    ))
}

/// A map being drawn: where things go and how districts are shaded.
struct Map<'a> {
    atlas: &'a Atlas,
    options: &'a MapOptions,
    projection: Projection,
    map_width: f64,
    height: f64,
    tolerance: f64,
    /// Each district's value of the measure, in atlas order.
    values: Vec<f64>,
    /// Upper bounds of the shading classes.
    classes: Vec<f64>,
    /// Around one district, the area drawn.
    view: Option<geo::Rect>,
}

/// The carriers drawn: those open on the map's date with a location, and
/// how many count only by their district (in its fill, not as dots).
/// The map's count, as every output gives it ([`Counted`]): the carriers
/// the tally holds (the city's, or the focus district's), then those left
/// out on the date and those rejected, which are on no map.
fn map_counts(placed: &Placed, tally: &Tally, options: &MapOptions) -> String {
    let made;
    let counted = match &options.counted {
        Some(counted) if counted.as_of == options.as_of => counted,
        _ => {
            made = Counted::of(placed, options.as_of);
            &made
        }
    };
    let (n, whose) = match options.focus {
        Some(d) => (tally.district(d).all.carriers, "in the district"),
        None => (tally.city().all.carriers, "counted"),
    };
    let mut line = format!("{} carriers {whose}", thousands(n as f64, 0));
    if let Some(date) = options.as_of {
        line.push_str(&format!(" on {date}"));
    }
    for (count, what) in [
        (counted.not_yet_open.len(), "not yet open"),
        (counted.closed.len(), "closed"),
        (counted.outside, "outside every district"),
        (counted.rejected, "rejected"),
    ] {
        if count > 0 {
            line.push_str(&format!(" · {} {what}", thousands(count as f64, 0)));
        }
    }
    line
}

struct Dots<'a> {
    open: Vec<(CarrierRef<'a>, Point)>,
    by_district: usize,
    /// Every `stride`-th open carrier is drawn.
    stride: usize,
}

impl<'a> Dots<'a> {
    fn of(placed: &'a Placed, options: &MapOptions) -> Dots<'a> {
        let (mut open, mut by_district) = (Vec::new(), 0);
        let open_then = |c: &CarrierRef| options.as_of.is_none_or(|date| c.is_open_on(date));
        // Around one district, only the carriers that count in it.
        let in_focus = |c: &CarrierRef| {
            (options.focus).is_none_or(|d| placed.place(c.position()).counts_in(d))
        };
        for c in placed.carriers().iter().filter(open_then).filter(in_focus) {
            match c.anchor() {
                Some(anchor) => open.push((c, anchor)),
                None => by_district += 1,
            }
        }
        let stride = open.len().div_ceil(options.max_dots.max(1)).max(1);
        Dots {
            open,
            by_district,
            stride,
        }
    }
}

impl Map<'_> {
    fn shading(&self) -> &'static str {
        match (&self.options.district_share, &self.options.district_status) {
            (Some(_), _) => "区县目标完成度 district targets",
            (None, Some(_)) => "区县目标 district targets",
            (None, None) => measure_label(self.options.measure),
        }
    }

    fn colour(&self, v: f64) -> &'static str {
        if v <= 0.0 {
            return EMPTY;
        }
        let class = (self.classes.iter())
            .position(|b| v <= *b)
            .unwrap_or(self.classes.len() - 1);
        PALETTE[class + PALETTE.len() - self.classes.len()]
    }

    /// The title, and a subtitle with the note and the count: the carriers
    /// the map counts, and how many records it leaves out and why.
    fn header(&self, svg: &mut String, counts: &str) {
        let (options, atlas) = (self.options, self.atlas);
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{height:.0}" viewBox="0 0 {w:.0} {height:.0}" font-family="{FONTS}">"#,
            w = options.width,
            height = self.height
        );
        let _ = writeln!(
            svg,
            r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
        );
        let when = (options.as_of).map_or_else(|| "all carriers".to_string(), |d| d.to_string());
        let (name, en) = match options.focus.map(|d| atlas.district(d)) {
            Some(d) => (d.name.as_str(), d.name_en.as_deref()),
            None => (atlas.name(), atlas.name_en()),
        };
        let title = format!(
            "{name}孵化载体 {} incubation carriers — {}, {when}",
            en.unwrap_or(""),
            self.shading(),
        );
        let _ = writeln!(
            svg,
            r#"<text x="16" y="30" font-size="20" font-weight="bold">{}</text>"#,
            escape(&title)
        );
        let subtitle = match &options.note {
            Some(note) => format!("{note} · {counts}"),
            None => counts.to_string(),
        };
        let _ = writeln!(
            svg,
            r##"<text x="16" y="52" font-size="13" fill="#555555">{}</text>"##,
            escape(&subtitle)
        );
    }

    /// District `i`'s fill, and what its status adds to its title.
    fn fill(&self, i: usize) -> (&'static str, String) {
        if let Some(shares) = &self.options.district_share {
            let share = shares.get(i).copied().flatten();
            let label = share.map_or("no district target".to_string(), |p| {
                format!("{p:.1}% of its target")
            });
            return (share_colour(share), format!(" · {label}"));
        }
        match &self.options.district_status {
            Some(statuses) => {
                let status = statuses.get(i).copied().flatten();
                let label = status.map_or("no district target", Status::as_str);
                (status_colour(status), format!(" · {label}"))
            }
            None => (self.colour(self.values[i]), String::new()),
        }
    }

    fn districts(&self, svg: &mut String, tally: &Tally) {
        let _ = writeln!(
            svg,
            r##"<g id="districts" stroke="#ffffff" stroke-width="0.6" fill-rule="evenodd">"##
        );
        let focus = self.options.focus.map(DistrictId::index);
        let districts = self.atlas.districts().iter().zip(tally.districts());
        for (i, ((district, totals), v)) in districts.zip(&self.values).enumerate() {
            let Some(shape) = self.visible(&district.shape) else {
                continue;
            };
            let shape = shape.simplify(self.tolerance);
            let (fill, status) = self.fill(i);
            // Around one district, its neighbours fade.
            let faded = match focus {
                Some(focus) if focus != i => r#" fill-opacity="0.35""#,
                _ => "",
            };
            let _ = writeln!(
                svg,
                r#"<path class="district" id="d-{code}" fill="{fill}"{faded} d="{d}"><title>{name} {en}: {v} · {n} carriers{status}</title></path>"#,
                code = escape(district.code.as_str()),
                d = self.projection.path(&shape),
                name = escape(&district.name),
                en = escape(district.name_en.as_deref().unwrap_or("")),
                v = thousands(*v, 0),
                n = totals.all.carriers,
            );
        }
        if let Some(focus) = self.options.focus {
            let shape = self.atlas.district(focus).shape.simplify(self.tolerance);
            let _ = writeln!(
                svg,
                r##"<path id="focus" fill="none" stroke="#000000" stroke-width="2.5" stroke-linejoin="round" d="{}"/>"##,
                self.projection.path(&shape)
            );
        }
        let _ = writeln!(svg, "</g>");
    }

    fn zones(&self, svg: &mut String) {
        let atlas = self.atlas;
        let _ = writeln!(
            svg,
            r##"<g id="zones" fill="none" stroke="#222222" stroke-width="1.8" stroke-linejoin="round">"##
        );
        for zone in atlas.zones() {
            let union = geo::unary_union(zone.districts.iter().map(|&d| &atlas.district(d).shape));
            let Some(union) = self.visible(&union) else {
                continue;
            };
            let _ = writeln!(
                svg,
                r#"<path class="zone" id="z-{}" d="{}"><title>{}</title></path>"#,
                escape(&zone.code),
                self.projection.path(&union.simplify(self.tolerance)),
                escape(&zone.name)
            );
        }
        let _ = writeln!(svg, "</g>");
    }

    /// The districts' short names, where the district is large enough on
    /// the map to hold one; returns the others, by position.
    fn labels(&self, svg: &mut String) -> Vec<usize> {
        let Projection { scale, aspect, .. } = self.projection;
        let _ = writeln!(svg, r#"<g id="labels" {LABEL_STYLE}>"#);
        let mut small = Vec::new();
        for (i, district) in self.atlas.districts().iter().enumerate() {
            let (Some(rect), Some(point)) = (
                district.shape.bounding_rect(),
                district.shape.interior_point(),
            ) else {
                continue;
            };
            if rect.width() * aspect * scale > 45.0 && rect.height() * scale > 30.0 {
                let (x, y) = self.projection.xy(point.0);
                let _ = writeln!(
                    svg,
                    r#"<text x="{x:.1}" y="{y:.1}">{}</text>"#,
                    escape(short_name(&district.name))
                );
            } else {
                small.push(i);
            }
        }
        let _ = writeln!(svg, "</g>");
        small
    }

    /// Around one district: its name in bold, and each neighbour's where
    /// enough of the neighbour shows.
    fn focus_labels(&self, svg: &mut String, focus: DistrictId) {
        let Projection { scale, aspect, .. } = self.projection;
        let _ = writeln!(svg, r#"<g id="labels" {LABEL_STYLE}>"#);
        for (i, district) in self.atlas.districts().iter().enumerate() {
            let Some(part) = self.visible(&district.shape) else {
                continue;
            };
            let (Some(rect), Some(point)) = (part.bounding_rect(), part.interior_point()) else {
                continue;
            };
            let style = if i == focus.index() {
                r#" font-size="15" font-weight="bold""#
            } else if rect.width() * aspect * scale > 60.0 && rect.height() * scale > 30.0 {
                ""
            } else {
                continue;
            };
            let (x, y) = self.projection.xy(point.0);
            let _ = writeln!(
                svg,
                r#"<text x="{x:.1}" y="{y:.1}"{style}>{}</text>"#,
                escape(short_name(&district.name))
            );
        }
        let _ = writeln!(svg, "</g>");
    }

    /// The part of `shape` the map shows: all of it, or around one
    /// district what lies in view (`None` when nothing does), so that
    /// what the clip hides is not written.
    fn visible<'s>(&self, shape: &'s MultiPolygon) -> Option<Cow<'s, MultiPolygon>> {
        let Some(view) = self.view else {
            return Some(Cow::Borrowed(shape));
        };
        let rect = shape.bounding_rect()?;
        if !rect.intersects(&view) {
            return None;
        }
        let inside = |c: geo::Coord| {
            (view.min().x..=view.max().x).contains(&c.x)
                && (view.min().y..=view.max().y).contains(&c.y)
        };
        if inside(rect.min()) && inside(rect.max()) {
            return Some(Cow::Borrowed(shape));
        }
        let part = shape.intersection(&view.to_polygon());
        (!part.0.is_empty()).then_some(Cow::Owned(part))
    }

    /// Each zone's name, in the zone, larger than the districts'.
    fn zone_names(&self, svg: &mut String) {
        let atlas = self.atlas;
        let _ = writeln!(
            svg,
            r##"<g id="zone-names" font-size="13" font-weight="bold" fill="#444444" text-anchor="middle" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">"##
        );
        for zone in atlas.zones() {
            let union = geo::unary_union(zone.districts.iter().map(|&d| &atlas.district(d).shape));
            let (Some(point), Some(rect)) = (union.interior_point(), union.bounding_rect()) else {
                continue;
            };
            // Below the middle, where the district names thin out.
            let (x, _) = self.projection.xy(point.0);
            let (_, y) = self.projection.xy(geo::Coord {
                x: point.x(),
                y: rect.min().y + rect.height() * 0.18,
            });
            let _ = writeln!(
                svg,
                r#"<text x="{x:.1}" y="{y:.1}">{}</text>"#,
                escape(&zone.name)
            );
        }
        let _ = writeln!(svg, "</g>");
    }

    /// The districts too small to name on the map, enlarged in a box in
    /// the north-west corner with their names, and the enlarged area marked
    /// on the map. Left out when there are many (a national set), which no
    /// box can hold.
    fn inset(&self, svg: &mut String, small: &[usize]) {
        const MOST: usize = 12;
        const BOX: (f64, f64) = (300.0, 250.0);
        let districts = self.atlas.districts();
        let Some(area) = (small.iter())
            .filter_map(|&i| districts[i].shape.bounding_rect())
            .reduce(|a, b| {
                geo::Rect::new(
                    geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                    geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
                )
            })
        else {
            return;
        };
        let Projection { scale, aspect, .. } = self.projection;
        if small.len() > MOST || area.width() * aspect * scale > BOX.0 * 0.5 {
            return;
        }
        let margin = area.width().max(area.height()) * 0.08;
        let (west, north) = (area.min().x - margin, area.max().y + margin);
        let (width, height) = (area.width() + 2.0 * margin, area.height() + 2.0 * margin);
        let inset_scale = (BOX.0 / (width * aspect)).min((BOX.1 - 24.0) / height);
        let (x0, y0) = (16.0, HEADER + 6.0);
        let inset = Projection {
            west,
            north,
            scale: inset_scale,
            aspect,
            origin: (x0, y0 + 24.0),
        };
        // The enlarged area, marked on the map.
        let (mx, my) = self.projection.xy(geo::coord! { x: west, y: north });
        let _ = writeln!(
            svg,
            r##"<rect id="inset-area" x="{mx:.1}" y="{my:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#333333" stroke-width="1" stroke-dasharray="4 2"/>"##,
            width * aspect * scale,
            height * scale
        );
        let (w, h) = (width * aspect * inset_scale, height * inset_scale + 24.0);
        let _ = writeln!(
            svg,
            r##"<g id="inset"><clipPath id="inset-clip"><rect x="{x0}" y="{y}" width="{w:.1}" height="{:.1}"/></clipPath><rect x="{x0}" y="{y0}" width="{w:.1}" height="{h:.1}" fill="#ffffff" stroke="#333333" stroke-width="1"/><text x="{tx}" y="{ty}" font-size="12" font-weight="bold">局部放大 enlarged detail</text>"##,
            h - 24.0,
            y = y0 + 24.0,
            tx = x0 + 8.0,
            ty = y0 + 16.0
        );
        let _ = writeln!(
            svg,
            r##"<g clip-path="url(#inset-clip)" stroke="#ffffff" stroke-width="0.8" fill-rule="evenodd">"##
        );
        let tolerance = 0.5 / inset_scale;
        for (i, district) in districts.iter().enumerate() {
            if district.shape.bounding_rect().is_none_or(|r| {
                !geo::Intersects::intersects(
                    &r,
                    &geo::Rect::new(
                        geo::coord! { x: west, y: north - height },
                        geo::coord! { x: west + width, y: north },
                    ),
                )
            }) {
                continue;
            }
            let (fill, _) = self.fill(i);
            let _ = writeln!(
                svg,
                r#"<path class="inset-district" fill="{fill}" d="{}"/>"#,
                inset.path(&district.shape.simplify(tolerance))
            );
        }
        let _ = writeln!(svg, r#"</g><g {LABEL_STYLE}>"#);
        for &i in small {
            let Some(point) = districts[i].shape.interior_point() else {
                continue;
            };
            let (x, y) = inset.xy(point.0);
            let _ = writeln!(
                svg,
                r#"<text x="{x:.1}" y="{y:.1}">{}</text>"#,
                escape(short_name(&districts[i].name))
            );
        }
        let _ = writeln!(svg, "</g></g>");
    }

    /// A scale bar of a round length, bottom left, and a north arrow, top
    /// right of the map. (Distances hold along the middle latitude.)
    fn scale_bar(&self, svg: &mut String) {
        let km_per_pixel = 111.32 / self.projection.scale;
        let km = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0]
            .into_iter()
            .find(|km| km / km_per_pixel >= 80.0)
            .unwrap_or(2000.0);
        let length = km / km_per_pixel;
        let (x, y) = (20.0, self.height - 14.0);
        let _ = writeln!(
            svg,
            r##"<g id="scale-bar" font-size="11" fill="#333333"><rect x="{x}" y="{y1}" width="{half:.1}" height="5" fill="#333333"/><rect x="{x2:.1}" y="{y1}" width="{half:.1}" height="5" fill="#ffffff" stroke="#333333" stroke-width="0.8"/><g stroke="#ffffff" stroke-width="2.5" stroke-linejoin="round" paint-order="stroke"><text x="{x}" y="{ty}">0</text><text x="{x3:.1}" y="{ty}" text-anchor="end">{km:.0} km</text></g></g>"##,
            y1 = y - 5.0,
            half = length / 2.0,
            x2 = x + length / 2.0,
            x3 = x + length,
            ty = y - 9.0
        );
        let (nx, ny) = (self.map_width - 24.0, HEADER + 14.0);
        let _ = writeln!(
            svg,
            r##"<g id="north" font-size="12" font-weight="bold" text-anchor="middle" fill="#333333"><path d="M{nx} {ny} L{l} {b} L{nx} {m} Z" fill="#333333"/><path d="M{nx} {ny} L{r} {b} L{nx} {m} Z" fill="#ffffff" stroke="#333333" stroke-width="0.8"/><text x="{nx}" y="{t}">北 N</text></g>"##,
            l = nx - 7.0,
            r = nx + 7.0,
            b = ny + 22.0,
            m = ny + 16.0,
            t = ny + 36.0
        );
    }

    fn dots(&self, svg: &mut String, dots: &Dots) {
        let _ = writeln!(
            svg,
            r##"<g id="carriers" stroke="#ffffff" stroke-width="0.3" fill-opacity="0.85">"##
        );
        // One district's carriers are few, on a larger map: larger dots.
        let r = if self.options.focus.is_some() {
            3.0
        } else {
            1.6
        };
        for (carrier, anchor) in dots.open.iter().step_by(dots.stride) {
            let (x, y) = self.projection.xy(anchor.0);
            let _ = writeln!(
                svg,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{}"/>"#,
                kind_colour(carrier.kind())
            );
        }
        let _ = writeln!(svg, "</g>");
    }

    fn sites(&self, svg: &mut String) {
        if self.options.sites.is_empty() {
            return;
        }
        let _ = writeln!(
            svg,
            r##"<g id="sites" fill="#ffffff" stroke="#000000" stroke-width="1.5">"##
        );
        for site in &self.options.sites {
            let (x, y) = self.projection.xy(site.0);
            let _ = writeln!(
                svg,
                r#"<rect x="{:.1}" y="{:.1}" width="7" height="7"/>"#,
                x - 3.5,
                y - 3.5
            );
        }
        let _ = writeln!(svg, "</g>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_are_rounded_quantiles() {
        let values: Vec<f64> = (0..=15).map(|i| f64::from(i * i) * 37.0).collect();
        assert_eq!(breaks(&values), [340.0, 1400.0, 3000.0, 5400.0, 8400.0]);
        // Few values, few classes: six carriers' floor areas make two.
        let six = [0.0, 1200.0, 2600.0, 3100.0, 3200.0, 5000.0, 8000.0];
        assert_eq!(breaks(&six), [3100.0, 8000.0]);
        assert_eq!(breaks(&[0.0, 0.0]), Vec::<f64>::new());
        assert_eq!(breaks(&[5.0, 5.0, 5.0]), [5.0]);
    }

    #[test]
    fn a_district_is_drawn_with_room_around_it_in_a_picture_of_sane_proportions() {
        let atlas = Atlas::chongqing();
        for district in atlas.districts() {
            let shape = &district.shape;
            let (inner, view) = (shape.bounding_rect().unwrap(), around(shape).unwrap());
            assert!(view.min().x < inner.min().x && view.max().x > inner.max().x);
            assert!(view.min().y < inner.min().y && view.max().y > inner.max().y);
            let aspect = view.center().y.to_radians().cos();
            let ratio = view.width() * aspect / view.height();
            assert!((1.0 - 1e-9..=1.0 / 0.75 + 1e-9).contains(&ratio), "{ratio}");
        }
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }
}
