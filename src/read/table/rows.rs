//! Rows of a register that are not records: the sums an office adds
//! (小计 after each group, 合计 at the bottom) and the remarks under the
//! table (注：…, 填表人：…, a date). They are counted apart, never as
//! carriers nor as rejections, and a sum is checked against the rows it
//! covers.

use crate::carrier::{Column, ReadNote, RowRole};
use crate::read::cells::Cell;
use crate::spelling::fold;

/// Words a subtotal's label holds.
const SUBTOTAL: &[&str] = &["小计", "subtotal", "sub-total"];
/// Words a total's label starts or ends with.
const TOTAL: &[&str] = &[
    "合计",
    "总计",
    "共计",
    "累计",
    "总合计",
    "total",
    "grandtotal",
];
/// How a remark under the table starts.
const REMARK: &[&str] = &[
    "注",
    "备注",
    "说明",
    "填表人",
    "填报人",
    "填表单位",
    "填报单位",
    "联系人",
    "联系电话",
    "电话",
    "审核",
    "审核人",
    "制表",
    "制表人",
    "填报日期",
    "填表日期",
    "日期",
    "负责人",
    "单位负责人",
    "note",
    "source",
];

/// The role of a row whose `labels` (its id and name cells, then its
/// first cells) are as given, and whose floor-area cell is `area`: a sum,
/// a remark, or `None` for a record.
pub(super) fn role(labels: &[&str], area: &Cell) -> Option<RowRole> {
    // Most rows are records, told apart without folding their text.
    if !labels.iter().any(|l| could_be_label(l)) {
        return None;
    }
    let labels: Vec<String> = labels.iter().map(|l| fold(l)).collect();
    // A label is short: a carrier's name that holds 合计 is not a sum.
    let short = |l: &&String| !l.is_empty() && l.chars().count() <= 12;
    for label in labels.iter().filter(short) {
        let label = label.trim_end_matches([':', '：']);
        if SUBTOTAL.iter().any(|w| label.contains(w)) {
            return Some(RowRole::Subtotal);
        }
        if TOTAL
            .iter()
            .any(|w| label.starts_with(w) || label.ends_with(w))
        {
            return Some(RowRole::Total);
        }
    }
    let first = labels.iter().find(|l| !l.is_empty())?;
    // A remark may run into the floor-area column, but is no figure.
    let has_area = match area {
        Cell::Empty => false,
        Cell::Text(t) => t
            .trim()
            .starts_with(|c: char| c.is_ascii_digit() || c.is_numeric()),
        _ => true,
    };
    if has_area {
        return None;
    }
    let remark = REMARK.iter().any(|w| {
        first
            .strip_prefix(w)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '：', '(', '，', ',']))
    });
    (remark || is_date_line(first)).then_some(RowRole::Remark)
}

/// Whether `text` could be a sum's label or a remark, told cheaply, as
/// every row is asked: it holds a character every such Chinese word has
/// (计 of 小计 and 合计, the first of a remark's), starts with a year, or
/// starts or ends with an English one.
fn could_be_label(text: &str) -> bool {
    let text = text.trim();
    // 12 characters of up to 4 bytes, with spaces between them.
    if text.is_empty() || text.len() > 64 {
        return false;
    }
    let marks = |c| {
        matches!(
            c,
            '计' | '注' | '备' | '说' | '填' | '联' | '审' | '制' | '日' | '电' | '负' | '单'
        )
    };
    if !text.is_ascii() && text.chars().any(marks) {
        return true;
    }
    let bytes = text.as_bytes();
    let starts = |w: &[u8]| bytes.len() >= w.len() && bytes[..w.len()].eq_ignore_ascii_case(w);
    let year = bytes.len() >= 8 && bytes[..4].iter().all(u8::is_ascii_digit);
    let ends_total = bytes.len() >= 5 && bytes[bytes.len() - 5..].eq_ignore_ascii_case(b"total");
    let words: [&[u8]; 6] = [
        b"total",
        b"subtotal",
        b"sub-total",
        b"grand",
        b"note",
        b"source",
    ];
    year || ends_total || words.into_iter().any(starts)
}

/// A line that holds only a date, as a register signs off: `2024年1月`,
/// `2024年1月5日`, `2024-01-05`.
fn is_date_line(text: &str) -> bool {
    let text = text.trim_end_matches(['。', '.']);
    let digits_and = |extra: &str| {
        text.chars()
            .all(|c| c.is_ascii_digit() || extra.contains(c))
    };
    let has_year = text.chars().take_while(char::is_ascii_digit).count() == 4;
    has_year
        && (digits_and("年月日") && text.contains('年') || digits_and("-/.") && text.len() >= 8)
}

/// The figures a sum may give, in the order of [`FIGURES`].
pub(super) const FIGURES: [Column; 3] = [
    Column::FloorAreaM2,
    Column::Enterprises,
    Column::TechEnterprises,
];

/// The sums of the records read so far: since the last subtotal, and in
/// all; a sum row is checked against them.
#[derive(Debug, Default)]
pub(super) struct Sums {
    since_subtotal: [f64; 3],
    all: [f64; 3],
}

impl Sums {
    /// Adds a record's figures (`None` where it gives none).
    pub(super) fn add(&mut self, figures: [Option<f64>; 3]) {
        for (i, figure) in figures.into_iter().enumerate() {
            let figure = figure.unwrap_or(0.0);
            self.since_subtotal[i] += figure;
            self.all[i] += figure;
        }
    }

    /// Checks the figures a sum row gives against the records it covers,
    /// and starts the next group after a subtotal. `at` names the row in
    /// the notes: its number and label.
    pub(super) fn check(
        &mut self,
        role: RowRole,
        given: [Option<f64>; 3],
        headers: [Option<&str>; 3],
        at: (usize, &str),
    ) -> Vec<ReadNote> {
        let covered = match role {
            RowRole::Subtotal => self.since_subtotal,
            _ => self.all,
        };
        let mut notes = Vec::new();
        for i in 0..FIGURES.len() {
            let (Some(given), Some(header)) = (given[i], headers[i]) else {
                continue;
            };
            // Half the last unit a register writes: a sum of rounded
            // figures may differ from its own rounding by less.
            if (given - covered[i]).abs() >= 0.5 {
                notes.push(ReadNote::SumDiffers {
                    origin: Default::default(),
                    row: at.0,
                    role,
                    label: at.1.to_string(),
                    column: header.to_string(),
                    property: FIGURES[i],
                    given,
                    sum: covered[i],
                });
            }
        }
        if role == RowRole::Subtotal {
            self.since_subtotal = [0.0; 3];
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_remarks_are_told_from_records() {
        let area = Cell::Number(100.0);
        let none = Cell::Empty;
        assert_eq!(role(&["小计", ""], &area), Some(RowRole::Subtotal));
        assert_eq!(role(&["", "渝北区小计"], &area), Some(RowRole::Subtotal));
        assert_eq!(role(&["合  计", ""], &area), Some(RowRole::Total));
        assert_eq!(role(&["", "总计："], &area), Some(RowRole::Total));
        assert_eq!(role(&["Total", ""], &area), Some(RowRole::Total));
        assert_eq!(
            role(&["注：场地面积为建筑面积", ""], &none),
            Some(RowRole::Remark)
        );
        assert_eq!(
            role(&["填表人：张三", "联系电话：123"], &none),
            Some(RowRole::Remark)
        );
        assert_eq!(role(&["2024年1月5日"], &none), Some(RowRole::Remark));
        // Records.
        assert_eq!(role(&["3", "合计创新孵化器有限公司第二分部"], &area), None);
        assert_eq!(role(&["7", "注册孵化器"], &area), None);
        assert_eq!(role(&["说明书产业园", ""], &area), None);
        assert_eq!(role(&["12", "两江孵化器"], &none), None);
        assert_eq!(role(&["2024"], &none), None);
        assert_eq!(role(&["c-0000001", "maker_space"], &none), None);
        assert_eq!(role(&["Grand total"], &area), Some(RowRole::Total));
        assert_eq!(role(&["Note: areas in m²"], &none), Some(RowRole::Remark));
    }

    #[test]
    fn a_subtotal_covers_its_group_and_a_total_everything() {
        let mut sums = Sums::default();
        let headers = [Some("面积"), None, None];
        sums.add([Some(100.0), Some(1.0), None]);
        sums.add([Some(200.0), None, None]);
        assert!(sums
            .check(
                RowRole::Subtotal,
                [Some(300.0), None, None],
                headers,
                (4, "小计")
            )
            .is_empty());
        sums.add([Some(50.0), None, None]);
        let notes = sums.check(
            RowRole::Subtotal,
            [Some(60.0), None, None],
            headers,
            (6, "小计"),
        );
        assert_eq!(
            notes[0].to_string(),
            "row 6 (小计) gives 60 m² in column \"面积\"; the rows it covers sum to 50 m²"
        );
        let notes = sums.check(
            RowRole::Total,
            [Some(350.0), Some(9.0), None],
            headers,
            (7, "合计"),
        );
        assert!(notes.is_empty(), "the enterprises column is not headed");
    }
}
