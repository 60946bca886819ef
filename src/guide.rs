//! A guide for services: the library's stages, and how a service goes
//! through them. (Analysts who run the command have their guide in
//! `docs/guide/`.)
//!
//! A service takes the crate as a dependency (from a clone: `carrier-quota =
//! { path = "../carrier-quota" }`; the command's dependencies stay in `cli/`)
//! and goes through the same stages as the command, each a type that the
//! next one takes, so they cannot be taken out of order, and no function
//! asks for more than four arguments. The examples in `examples/` are short
//! programs a service can start from, each run by the tests:
//!
//! | example | what it shows |
//! | --- | --- |
//! | `examples/check_plan.rs` | the main job: read, place, check the plan on a date, the table and the map |
//! | `examples/place_and_tally.rs` | any carrier file (GeoJSON, a register, Parquet) placed and tallied, with its rejections and mismatches |
//! | `examples/split_targets.rs` | zone targets as district targets, and one target split with a minimum and a cap |
//! | `examples/choose_sites.rs` | the cheapest candidate sites for the gaps, with the lower bound |
//! | `examples/sql.rs` | the SQL functions in a DataFusion session (`--features datafusion`) |
//!
//! Run one with `cargo run --example check_plan`.
//!
//! **The main job** is a few calls: read, place, check, render. This is what
//! `carrier-quota report` does without flags (a test checks that the two give the same
//! table and map):
//!
//! ```rust,no_run
//! use carrier_quota::report::{self, Format, Options};
//! use carrier_quota::place::FootprintRule;
//! use carrier_quota::read::read_carriers_parallel;
//! use carrier_quota::{Atlas, PlanCheck, QuotaPlan, ReadOptions};
//!
//! let atlas = Atlas::chongqing(); // &'static: built once, shared
//! let options = ReadOptions::new().expected_area(atlas.outline().clone());
//! let carriers = read_carriers_parallel(|| std::fs::File::open("carriers.geojson"), &options)?;
//! let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
//! let checked = PlanCheck::new(QuotaPlan::chongqing_2021_2025()).run(placed)?;
//! report::write(std::io::stdout(), &checked, Format::Table, &Options::new())?;
//! let map = std::fs::File::create("map.svg")?;
//! report::write(map, &checked, Format::Svg, &Options::new())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! `PlanCheck` takes the plan and, optionally, `.overlays(...)`, `.as_of(date)`
//! (default: the plan's last deadline) and `.split(SplitBy::LandArea)` (zone targets
//! split among their districts; `SplitBy::FloorArea` weighs them by the carriers open
//! on the as-of date). `CheckedPlan` holds the plan as checked, the placed carriers,
//! the date, the tally of the carriers open then and the `Report`; `report` renders it
//! as a table, JSON, CSV, GeoJSON or a map.
//!
//! **Stage by stage:**
//!
//! ```rust
//! use carrier_quota::place::FootprintRule;
//! use carrier_quota::read::read_carriers;
//! use carrier_quota::{Atlas, CarrierIndex, CheckOptions, QuotaPlan, ReadOptions, Tally};
//!
//! let file = r#"{"type": "FeatureCollection", "datum": "wgs84", "features": [
//!   {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [106.5718, 29.5600]},
//!    "properties": {"kind": "incubator", "floor_area_m2": 12000, "enterprises": 40}},
//!   {"type": "Feature", "id": "b", "geometry": {"type": "Point", "coordinates": [108.38, 30.80]},
//!    "properties": {"kind": "maker_space", "floor_area_m2": "900"}}
//! ]}"#;
//! let atlas = Atlas::chongqing();
//!
//! // 1. Read: a columnar set that knows its datum, and what it refused.
//! let carriers = read_carriers(file.as_bytes(), &ReadOptions::new())?;
//! assert_eq!(carriers.rejections().len(), 1); // "900" is text, not a number
//! let a = carriers.get(0); // a borrowed view of one carrier
//! assert_eq!((a.id(), a.floor_area_m2()), ("a", 12000.0));
//!
//! // 2. Place: WGS-84 in, converted to the atlas's GCJ-02, each anchor located.
//! let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
//! assert_eq!(atlas.district(placed.districts()[0].unwrap()).name, "渝中区");
//!
//! // 3. Tally by district, zone and city (all carriers, or those open on a date).
//! let tally = Tally::new(&placed);
//! let main_urban = atlas.find_zone("main_urban").unwrap();
//! assert_eq!(tally.zone(main_urban).all.floor_area_m2(), 12000.0);
//!
//! // 4. Check a plan on a date.
//! let report = QuotaPlan::chongqing_2021_2025().check(&placed, &CheckOptions::new())?;
//! assert_eq!(report.targets[0].actual, Some(12000.0));
//!
//! // Spatial queries over the same carriers.
//! let index = CarrierIndex::new(placed.carriers());
//! let jiefangbei = placed.carriers().get(0).anchor().expect("it has a point");
//! let near = index.within_radius(jiefangbei, 3000.0);
//! assert_eq!(near.len(), 1);
//! # Ok::<(), carrier_quota::Error>(())
//! ```
//!
//! Options with several knobs (`ReadOptions`, `Limits`, `RegionOptions`,
//! `CheckOptions`, `SelectOptions`, `MapOptions`) are `#[non_exhaustive]` structs with
//! `Default` and chained setters, so a new knob breaks no caller. Every reader is a
//! `read_*` function: `read_carriers` (streaming, any reader), `read_carriers_parallel`
//! (a file it can open again), `read_carriers_csv`, `read_carriers_excel` (feature
//! `excel`), `read_carriers_parquet` (feature `parquet`), `read_carriers_file` (any of
//! them, by the file's name or content), `read_regions`, `read_overlays`, `read_plan`,
//! `read_candidates` and `quota::read_weights`. `QuotaPlan::history` (or
//! `CheckedPlan::history`) checks a plan at each year end, and `report` renders it. Public data types implement serde's
//! `Serialize` (`Carriers` as its records; `Report` is the JSON report). The synthetic
//! fixtures the tests and benchmarks use are behind the `synthetic` feature.
