//! Plain-text building blocks: aligned tables and grouped numbers.

use std::io;

use unicode_width::UnicodeWidthStr;

/// Column alignment in a [`table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text columns.
    Left,
    /// Number columns.
    Right,
}

/// Writes rows as an aligned table under `header`, padding by display width
/// so that Chinese names line up; a `None` row is a rule.
///
/// # Panics
///
/// When a row has more cells than `align` has columns.
pub fn table(
    out: &mut dyn io::Write,
    header: &[&str],
    align: &[Align],
    rows: &[Option<Vec<String>>],
) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows.iter().flatten() {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let rule = "-".repeat(widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1));
    let line = |out: &mut dyn io::Write, cells: &[String]| -> io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.width());
            if i > 0 {
                text.push_str("  ");
            }
            match align[i] {
                Align::Left => text.extend([cell.as_str(), &pad]),
                Align::Right => text.extend([&pad, cell.as_str()]),
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    line(out, &header)?;
    writeln!(out, "{rule}")?;
    for row in rows {
        match row {
            Some(cells) => line(out, cells)?,
            None => writeln!(out, "{rule}")?,
        }
    }
    Ok(())
}

/// `value` with thousands separators and `decimals` places: `1,234,567.9`.
pub fn thousands(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let negative = value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    let sign = if negative { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(1234567.891, 1), "1,234,567.9");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(-1000.0, 0), "-1,000");
        assert_eq!(thousands(-0.2, 0), "0");
        assert_eq!(thousands(0.0, 2), "0.00");
    }

    #[test]
    fn aligns_by_display_width() {
        let mut out = Vec::new();
        let rows = vec![
            Some(vec!["渝中区".to_string(), "1".to_string()]),
            None,
            Some(vec!["city".to_string(), "1,000".to_string()]),
        ];
        table(
            &mut out,
            &["name", "n"],
            &[Align::Left, Align::Right],
            &rows,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "name        n\n-------------\n渝中区      1\n-------------\ncity    1,000\n"
        );
    }
}
