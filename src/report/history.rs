//! Reports of a plan's progress over time ([`History`]): a table of
//! targets by date, CSV, JSON and a chart per target.

use std::fmt::Write as _;
use std::io;

use unicode_width::UnicodeWidthStr;

use super::svg::{escape, status_colour, FONTS, STATUS_COLOURS};
use super::text::{table, thousands, Align};
use super::Source;
use crate::date::Date;
use crate::quota::{History, Standing, Status, TargetLine};

/// Writes one CSV row per date and target, with a header:
/// `date,id,actual,expected,required,status`. Empty cells stand for null.
///
/// # Errors
///
/// When writing fails.
pub(super) fn write_history_csv(out: impl io::Write, history: &History) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let number = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    writer.write_record(["date", "id", "actual", "expected", "required", "status"])?;
    for snapshot in &history.history {
        for t in &snapshot.targets {
            writer.write_record([
                snapshot.date.to_string(),
                t.id.clone(),
                number(t.actual),
                number(t.expected),
                t.required.to_string(),
                t.status.as_str().to_string(),
            ])?;
        }
    }
    writer.flush()
}

/// The mark a table cell gives a status.
fn mark(status: Status) -> &'static str {
    match status {
        Status::Met => "✓",
        Status::OnTrack => "○",
        Status::Behind => "✗",
        Status::NotEvaluable => "?",
    }
}

/// Writes the history as an aligned table: a row per target, its
/// requirement, then its value and standing on each date.
///
/// # Errors
///
/// When writing fails.
pub(super) fn write_history_table(
    out: &mut dyn io::Write,
    history: &History,
    source: Option<&Source>,
) -> io::Result<()> {
    writeln!(out, "{}", history.plan)?;
    if let Some(en) = &history.plan_en {
        writeln!(out, "{en}")?;
    }
    super::source_line(out, source)?;
    writeln!(
        out,
        "progress from {} to {}: value and standing on each date",
        history.start, history.as_of
    )?;
    if let Some(note) = &history.note {
        writeln!(out, "{note}")?;
    }
    writeln!(out)?;
    let dates: Vec<String> = history.history.iter().map(|s| s.date.to_string()).collect();
    let mut header = vec!["target", "名称", "required"];
    header.extend(dates.iter().map(String::as_str));
    let mut align = vec![Align::Left, Align::Left, Align::Right];
    align.extend(dates.iter().map(|_| Align::Right));
    let rows: Vec<Option<Vec<String>>> = history
        .targets
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let mut row = vec![
                line.id.clone(),
                line.name.clone(),
                thousands(line.required, 0),
            ];
            row.extend(history.history.iter().map(|s| {
                let t = &s.targets[i];
                let value = t.actual.map_or("—".to_string(), |v| thousands(v, 0));
                format!("{value} {}", mark(t.status))
            }));
            Some(row)
        })
        .collect();
    table(out, &header, &align, &rows)?;
    writeln!(out, "\n✓ met   ○ on track   ✗ behind   ? not evaluable")
}

/// Panel size and margins of the chart, in pixels.
const PANEL: (f64, f64) = (380.0, 210.0);
const PLOT_LEFT: f64 = 78.0;
const PLOT_RIGHT: f64 = 24.0;
const PLOT_TOP: f64 = 52.0;
const PLOT_BOTTOM: f64 = 34.0;
const CHART_HEADER: f64 = 114.0;

/// Writes a chart of the history: one small panel per target, with its
/// value on each date (dots coloured by standing), the straight on-track
/// line from its starting value to the requirement at the deadline, and the
/// requirement as a dashed line. SVG, readable in any browser.
///
/// # Errors
///
/// When writing fails.
pub(super) fn write_history_svg(
    mut out: impl io::Write,
    history: &History,
    source: Option<&Source>,
) -> io::Result<()> {
    let columns = if history.targets.len() > 12 { 3 } else { 2 };
    let rows = history.targets.len().div_ceil(columns).max(1);
    let width = PANEL.0 * columns as f64 + 20.0;
    let height = CHART_HEADER + PANEL.1 * rows as f64 + 10.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FONTS}">"#
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        svg,
        r#"<text x="14" y="28" font-size="17" font-weight="bold">{}</text>"#,
        escape(&history.plan)
    );
    let subtitle = match &history.plan_en {
        Some(en) => format!("{en}: progress at each year end, "),
        None => "progress at each year end, ".to_string(),
    };
    let _ = writeln!(
        svg,
        r##"<text x="14" y="50" font-size="13" fill="#444444">{}{} to {}</text>"##,
        escape(&subtitle),
        history.start,
        history.as_of,
    );
    // The data on a line of its own, which a narrow chart does not cut.
    if let Some(source) = source {
        let _ = writeln!(
            svg,
            r##"<text x="14" y="68" font-size="13" fill="#444444">{}</text>"##,
            escape(&source.to_string())
        );
    }
    if let Some(note) = &history.note {
        let _ = writeln!(
            svg,
            r##"<text x="14" y="84" font-size="11" fill="#8a5a00" id="todays-counts">{}</text>"##,
            escape(note)
        );
    }
    legend(&mut svg, 14.0, 98.0);
    for (i, line) in history.targets.iter().enumerate() {
        let x = 10.0 + PANEL.0 * (i % columns) as f64;
        let y = CHART_HEADER + PANEL.1 * (i / columns) as f64;
        let standings: Vec<(Date, &Standing)> = history
            .history
            .iter()
            .map(|s| (s.date, &s.targets[i]))
            .collect();
        panel(&mut svg, (x, y), line, &standings, history.start);
    }
    let _ = writeln!(svg, "</svg>");
    out.write_all(svg.as_bytes())
}

/// The key: the status colours of the dots, the on-track and target lines.
fn legend(svg: &mut String, x: f64, y: f64) {
    let mut at = x;
    for (_, colour, label) in STATUS_COLOURS {
        let _ = writeln!(
            svg,
            r##"<circle cx="{cx}" cy="{y}" r="5" fill="{colour}" stroke="#333333" stroke-width="0.8"/><text x="{tx}" y="{ty}" font-size="12">{label}</text>"##,
            cx = at + 5.0,
            tx = at + 14.0,
            ty = y + 4.0
        );
        at += 30.0 + 6.5 * label.width() as f64;
    }
    let _ = writeln!(
        svg,
        r##"<line x1="{at}" y1="{y}" x2="{x2}" y2="{y}" stroke="#888888" stroke-width="1.5"/><text x="{tx}" y="{ty}" font-size="12">进度线 on-track line</text>"##,
        x2 = at + 24.0,
        tx = at + 30.0,
        ty = y + 4.0
    );
    at += 160.0;
    let _ = writeln!(
        svg,
        r##"<line x1="{at}" y1="{y}" x2="{x2}" y2="{y}" stroke="#1f4e79" stroke-width="1.5" stroke-dasharray="5 3"/><text x="{tx}" y="{ty}" font-size="12">目标 target</text>"##,
        x2 = at + 24.0,
        tx = at + 30.0,
        ty = y + 4.0
    );
}

/// A date's place on an axis, in days.
fn day_number(date: Date) -> f64 {
    date.days_since_epoch() as f64
}

/// A round step (1, 2 or 5 times a power of ten) that divides an axis up
/// to `top` into at most six parts.
fn tick_step(top: f64) -> f64 {
    let rough = top / 6.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * magnitude);
    step.max(1.0)
}

/// A short number for an axis: `12k`, `5.6M`.
fn short(value: f64) -> String {
    let (scaled, unit) = match value.abs() {
        v if v >= 1e6 => (value / 1e6, "M"),
        v if v >= 1e4 => (value / 1e3, "k"),
        _ => (value, ""),
    };
    let text = format!("{scaled:.1}");
    format!("{}{unit}", text.trim_end_matches('0').trim_end_matches('.'))
}

/// One target's panel, its top-left corner at `at`.
fn panel(
    svg: &mut String,
    at: (f64, f64),
    line: &TargetLine,
    standings: &[(Date, &Standing)],
    start: Date,
) {
    let (x0, y0) = at;
    let _ = writeln!(
        svg,
        r##"<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="#fafafa" stroke="#dddddd"/>"##,
        w = PANEL.0 - 10.0,
        h = PANEL.1 - 10.0
    );
    let _ = writeln!(
        svg,
        r#"<text x="{x}" y="{y}" font-size="13" font-weight="bold">{}</text>"#,
        escape(&line.name),
        x = x0 + 10.0,
        y = y0 + 19.0
    );
    let last = standings.last().map(|(_, s)| s.status);
    if let Some(status) = last {
        let _ = writeln!(
            svg,
            r#"<text x="{x}" y="{y}" font-size="12" font-weight="bold" text-anchor="end" fill="{}">{}</text>"#,
            text_colour(status),
            status.as_str().replace('_', " "),
            x = x0 + PANEL.0 - 20.0,
            y = y0 + 19.0
        );
    }
    let _ = writeln!(
        svg,
        r##"<text x="{x}" y="{y}" font-size="11" fill="#555555">{} · {}</text>"##,
        escape(line.name_en.as_deref().unwrap_or(&line.id)),
        escape(&measure_unit(line)),
        x = x0 + 10.0,
        y = y0 + 35.0
    );
    let plot = (
        x0 + PLOT_LEFT,
        y0 + PLOT_TOP,
        PANEL.0 - 10.0 - PLOT_LEFT - PLOT_RIGHT,
        PANEL.1 - 10.0 - PLOT_TOP - PLOT_BOTTOM,
    );
    plot_area(svg, plot, line, standings, start);
}

/// A panel's plot in the rectangle `plot` (left, top, width, height):
/// value and year axes, the requirement, the on-track line and the values.
fn plot_area(
    svg: &mut String,
    plot: (f64, f64, f64, f64),
    line: &TargetLine,
    standings: &[(Date, &Standing)],
    start: Date,
) {
    let Some(baseline) = line.baseline else {
        let _ = writeln!(
            svg,
            r##"<text x="{x}" y="{y}" font-size="12" fill="#777777">not evaluable</text>"##,
            x = plot.0,
            y = plot.1 + plot.3 / 2.0
        );
        return;
    };
    let end = standings
        .last()
        .map_or(line.deadline, |(d, _)| (*d).max(line.deadline));
    let (first, span) = (
        day_number(start),
        (day_number(end) - day_number(start)).max(1.0),
    );
    let highest = standings
        .iter()
        .filter_map(|(_, s)| s.actual)
        .fold(line.required.max(baseline), f64::max)
        .max(1.0);
    let step = tick_step(highest * 1.05);
    let top = (highest * 1.05 / step).ceil() * step;
    let px = |date: Date| plot.0 + (day_number(date) - first) / span * plot.2;
    let py = |value: f64| plot.1 + plot.3 - value / top * plot.3;
    // Axes: round value ticks, a tick per year end.
    let ticks = (top / step).round() as u32;
    for k in 0..=ticks {
        let value = step * f64::from(k);
        let _ = writeln!(
            svg,
            r##"<line x1="{x1}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="#e6e6e6"/><text x="{tx}" y="{ty:.1}" font-size="10" text-anchor="end" fill="#555555">{}</text>"##,
            short(value),
            x1 = plot.0,
            x2 = plot.0 + plot.2,
            y = py(value),
            tx = plot.0 - 5.0,
            ty = py(value) + 3.5
        );
    }
    for year in start.year()..=end.year() {
        let Some(date) = Date::new(year, 12, 31).filter(|d| *d >= start && *d <= end) else {
            continue;
        };
        let _ = writeln!(
            svg,
            r##"<line x1="{x:.1}" y1="{y1}" x2="{x:.1}" y2="{y2}" stroke="#999999"/><text x="{x:.1}" y="{ty}" font-size="10" text-anchor="middle" fill="#555555">{year}</text>"##,
            x = px(date),
            y1 = plot.1 + plot.3,
            y2 = plot.1 + plot.3 + 4.0,
            ty = plot.1 + plot.3 + 16.0
        );
    }
    let _ = writeln!(
        svg,
        r##"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#999999"/>"##,
        x1 = plot.0,
        x2 = plot.0 + plot.2,
        y = plot.1 + plot.3
    );
    // The requirement, and the on-track line to it.
    let _ = writeln!(
        svg,
        r##"<line x1="{x1}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="#1f4e79" stroke-width="1.5" stroke-dasharray="5 3"/><text x="{x2}" y="{ty:.1}" font-size="10" text-anchor="end" fill="#1f4e79">{}</text>"##,
        thousands(line.required, 0),
        x1 = plot.0,
        x2 = plot.0 + plot.2,
        y = py(line.required),
        ty = py(line.required) - 4.0
    );
    let _ = writeln!(
        svg,
        r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#888888" stroke-width="1.5"/>"##,
        x1 = px(start),
        y1 = py(baseline),
        x2 = px(line.deadline),
        y2 = py(line.required)
    );
    // The values, joined, each dot coloured by its standing.
    let points: Vec<(f64, f64, Status)> = standings
        .iter()
        .filter_map(|(date, s)| Some((px(*date), py(s.actual?), s.status)))
        .collect();
    let path: Vec<String> = points
        .iter()
        .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = writeln!(
        svg,
        r##"<polyline points="{}" fill="none" stroke="#333333" stroke-width="2"/>"##,
        path.join(" ")
    );
    for (x, y, status) in points {
        let _ = writeln!(
            svg,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="4.5" fill="{}" stroke="#333333" stroke-width="1"/>"##,
            status_colour(Some(status))
        );
    }
}

/// The status colour, darkened where yellow would not read as text.
fn text_colour(status: Status) -> &'static str {
    match status {
        Status::OnTrack => "#b8860b",
        Status::NotEvaluable => "#777777",
        other => status_colour(Some(other)),
    }
}

/// What the panel's values count.
fn measure_unit(line: &TargetLine) -> String {
    use crate::quota::Measure;
    match line.measure {
        Measure::FloorArea => "m²".into(),
        Measure::Carriers => "carriers".into(),
        Measure::Enterprises => "enterprises and teams".into(),
        Measure::TechEnterprises => "tech enterprises".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(10_500_000.0), 2_000_000.0);
        assert_eq!(tick_step(5_880_000.0), 1_000_000.0);
        assert_eq!(tick_step(92_400.0), 20_000.0);
        assert_eq!(tick_step(39.0), 10.0);
        assert_eq!(tick_step(3.0), 1.0);
        assert_eq!(short(2_500_000.0), "2.5M");
        assert_eq!(short(20_000.0), "20k");
        assert_eq!(short(500.0), "500");
    }
}
