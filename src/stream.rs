//! A (Geo)Parquet carrier file tallied as it is read: each batch the
//! reader hands on is placed, tallied and let go, so that memory does not
//! grow with the number of rows.

use parquet::file::reader::ChunkReader;
use serde::Serialize;

use crate::atlas::{Atlas, DistrictId};
use crate::carrier::Rejection;
use crate::datum::Datum;
use crate::error::Error;
use crate::names::Declared;
use crate::place::FootprintRule;
use crate::read::{for_each_batch, ReadOptions};
use crate::tally::Tally;

/// Rejections and mismatches a streamed tally keeps; past them it only
/// counts.
const KEPT: usize = 10_000;

/// What [`tally_parquet`] found: the tally, and what became of the rows.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StreamedTally {
    /// The carriers, tallied by district, zone and city.
    pub tally: Tally,
    /// The file's datum (the carriers were converted to the atlas's).
    pub datum: Datum,
    /// Rows read.
    pub rows_read: usize,
    /// Rows that became carriers.
    pub carriers: usize,
    /// Rows refused.
    pub rejected: usize,
    /// The first 10,000 rejections, with their row numbers.
    pub rejections: Vec<Rejection>,
    /// Carriers whose location lies outside the district their row names
    /// (they count where they lie).
    pub mismatched: usize,
    /// The first 10,000 of them.
    pub mismatches: Vec<StreamedMismatch>,
}

/// A row of a streamed tally whose location lies outside the district it
/// names: [`Mismatch`](crate::Mismatch), with the row kept, since the
/// carrier is not.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StreamedMismatch {
    /// The row's index in the file, from 0.
    pub index: usize,
    /// The carrier's id.
    pub id: String,
    /// The district as the row writes it.
    pub written: String,
    /// What that names.
    pub declared: Declared,
    /// The district its location lies in, or `None` outside every district.
    pub located: Option<DistrictId>,
}

/// Tallies a (Geo)Parquet carrier file batch by batch, placing each batch
/// in `atlas` by `rule` and letting its carriers go: memory does not grow
/// with the number of rows. Rows are read and checked as
/// [`read_carriers_parquet`](crate::read::read_carriers_parquet) reads them,
/// except that duplicate ids are not looked for (that needs memory in
/// proportion to the rows): read the file whole to find them.
///
/// # Errors
///
/// As [`read_carriers_parquet`](crate::read::read_carriers_parquet); the datum
/// is resolved before any row is read.
pub fn tally_parquet<R: ChunkReader + 'static>(
    file: R,
    options: &ReadOptions,
    atlas: &Atlas,
    rule: FootprintRule,
) -> Result<StreamedTally, Error> {
    let mut streamed = StreamedTally {
        tally: Tally::empty(atlas),
        datum: Datum::Wgs84,
        rows_read: 0,
        carriers: 0,
        rejected: 0,
        rejections: Vec::new(),
        mismatched: 0,
        mismatches: Vec::new(),
    };
    streamed.datum = for_each_batch(file, options, |first, batch| {
        streamed.rows_read += batch.features_read();
        streamed.carriers += batch.len();
        streamed.rejected += batch.rejections().len();
        let room = KEPT.saturating_sub(streamed.rejections.len());
        streamed
            .rejections
            .extend(batch.rejections().iter().take(room).map(|r| Rejection {
                index: first + r.index,
                ..r.clone()
            }));
        let placed = atlas.place(batch, rule);
        let carriers = placed.carriers();
        streamed.mismatched += placed.mismatches().len();
        let room = KEPT.saturating_sub(streamed.mismatches.len());
        let mismatches = placed.mismatches().iter().take(room);
        streamed
            .mismatches
            .extend(mismatches.map(|m| StreamedMismatch {
                index: first + carriers.feature_index(m.position),
                id: carriers.get(m.position).id().to_string(),
                written: m.written.clone(),
                declared: m.declared.clone(),
                located: m.located,
            }));
        streamed.tally.add_tally(&Tally::new(&placed));
        Ok(())
    })?;
    Ok(streamed)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::Int64Array;

    use super::*;
    use crate::error::ErrorKind;
    use crate::read::parquet_tests::{floats, lon_lat, parquet_of, strings, table};
    use crate::read::read_carriers_parquet;
    use crate::synthetic::Synthetic;
    use crate::write::GeometryEncoding;

    #[test]
    fn a_streamed_tally_is_the_tally_of_the_whole_read() {
        let atlas = Atlas::chongqing();
        // Over two batches of rows, with footprints split by overlap.
        let carriers = Synthetic::new(40_000, 8).footprints(0.05).generate(atlas);
        let file = parquet_of(&carriers, GeometryEncoding::Wkb);
        let rule = FootprintRule::SplitByOverlap;
        let streamed = tally_parquet(file.clone(), &ReadOptions::new(), atlas, rule).unwrap();
        let whole = read_carriers_parquet(file, &ReadOptions::new()).unwrap();
        assert_eq!(streamed.tally, Tally::new(&atlas.place(whole, rule)));
        assert_eq!(
            (streamed.rows_read, streamed.carriers, streamed.rejected),
            (40_000, 40_000, 0)
        );
        assert_eq!(streamed.datum, Datum::Gcj02);

        // Rejections keep their row numbers across batches.
        let rows = 40_000;
        let area: Vec<Option<f64>> = (0..rows)
            .map(|i| Some(if i % 9_999 == 5 { -1.0 } else { 10.0 }))
            .collect();
        let ids: Vec<i64> = (0..rows as i64).collect();
        // The rows lie in 九龙坡: every fifth names 渝北, the one after
        // 渝中, so that mismatches pass the number kept.
        let district: Vec<Option<&str>> = (0..rows)
            .map(|i| [Some("渝北区"), Some("渝中区"), None, None, None][i % 5])
            .collect();
        let file = table(
            vec![
                ("id", Arc::new(Int64Array::from(ids))),
                ("kind", strings(&vec![Some("incubator"); rows])),
                ("floor_area_m2", floats(&area)),
                ("district", strings(&district)),
                ("lon", floats(&vec![Some(106.5); rows])),
                ("lat", floats(&vec![Some(29.5); rows])),
            ],
            &[("datum", "wgs84")],
        );
        let streamed = tally_parquet(file.clone(), &lon_lat(), atlas, rule).unwrap();
        let whole = read_carriers_parquet(file, &lon_lat()).unwrap();
        assert_eq!(streamed.rejected, 4);
        assert_eq!(streamed.rejections, whole.rejections());
        let placed = atlas.place(whole, rule);
        assert_eq!(streamed.tally, Tally::new(&placed));
        // Mismatches keep their rows and ids across batches.
        let read = placed.carriers();
        let expected: Vec<StreamedMismatch> = placed
            .mismatches()
            .iter()
            .map(|m| StreamedMismatch {
                index: read.feature_index(m.position),
                id: read.get(m.position).id().to_string(),
                written: m.written.clone(),
                declared: m.declared.clone(),
                located: m.located,
            })
            .collect();
        assert!(expected.len() > KEPT, "{}", expected.len());
        assert_eq!(streamed.mismatched, expected.len());
        assert_eq!(streamed.mismatches.len(), expected.len().min(KEPT));
        assert_eq!(streamed.mismatches, expected[..streamed.mismatches.len()]);
        let mut text = Vec::new();
        crate::report::write_streamed_mismatches(&mut text, atlas, &streamed).unwrap();
        let text = String::from_utf8(text).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 12, "{text}");
        assert!(lines[0].starts_with(&format!("{} mismatches: ", expected.len())));
        let first = &expected[0];
        let line = format!(
            "mismatch: feature {} (id {:?}): names ",
            first.index, first.id
        );
        assert!(lines[1].starts_with(&line), "{}", lines[1]);
        assert_eq!(lines[11], format!("… and {} more", expected.len() - 10));

        // The datum is settled before any row is read.
        let err = tally_parquet(
            parquet_of(&carriers, GeometryEncoding::Wkb),
            &ReadOptions::new().datum(Datum::Wgs84),
            atlas,
            rule,
        )
        .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::DatumConflict { .. }),
            "{err}"
        );
    }
}
