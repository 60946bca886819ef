//! Registers as bureaus keep them: CSV and Excel tables, declared
//! districts, mismatches, closings, and rows that cannot be read.

use carrier_quota::carrier::DeclaredDistrict;
use carrier_quota::place::FootprintRule;
use carrier_quota::read::{read_carriers, read_carriers_csv, read_carriers_excel, Column};
use carrier_quota::{
    Atlas, Carriers, Datum, DistrictNames, ErrorKind, Kind, Level, PlacedBy, ReadOptions,
    RejectReason, Tally,
};

const YUBEI: &str = "500112";
const YUZHONG: &str = "500103";
/// Jiefangbei, in Yuzhong (GCJ-02).
const JIEFANGBEI: (f64, f64) = (106.5775, 29.5575);

fn gcj02() -> ReadOptions {
    ReadOptions::new().datum(Datum::Gcj02)
}

fn csv(table: &str) -> Carriers {
    read_carriers_csv(table.as_bytes(), &gcj02()).expect("readable")
}

fn csv_error(table: &str, options: &ReadOptions) -> ErrorKind {
    read_carriers_csv(table.as_bytes(), options)
        .expect_err("not readable")
        .into_kind()
}

fn excel_error(book: &[u8], options: &ReadOptions) -> ErrorKind {
    read_carriers_excel(book, options)
        .expect_err("not readable")
        .into_kind()
}

/// The messages of a read's rejections.
fn messages(read: &Carriers) -> Vec<String> {
    read.rejections().iter().map(|r| r.to_string()).collect()
}

#[test]
fn each_header_form_reads_the_same_carrier() {
    let (lon, lat) = JIEFANGBEI;
    let tables = [
        format!(
            "id,name,kind,category,level,floor_area_m2,enterprises,tech_enterprises,opened,closed,overlay,lon,lat\n\
             c-1,渝中空间,incubator,large,national,1200,30,8,2019-05-01,2024,liangjiang_new_area,{lon},{lat}\n"
        ),
        format!(
            "编号,名称,类型,类别,级别,建筑面积（m²）,在孵企业和团队,科技型企业,认定时间,摘牌时间,overlay,经度,纬度\n\
             c-1,渝中空间,孵化器,large,国家级,1200,30,8,2019年5月1日,2024年,liangjiang_new_area,{lon},{lat}\n"
        ),
        format!(
            "\u{feff}编号\t名称\t类型\t类别\t级别\t面积 (m²)\t在孵企业\t科技型企业\t认定年份\t摘牌时间\toverlay\tLongitude\tLatitude\n\
             c-1\t渝中空间\t孵化器\tlarge\t国家级\t1200\t30\t8\t2019/5/1\t2024\tliangjiang_new_area\t{lon}\t{lat}\n"
        ),
        format!(
            "2023年孵化载体名单,,,,,,,,,,,,\n\
             ID,NAME,KIND,CATEGORY,LEVEL,FLOOR_AREA_M2,ENTERPRISES,TECH_ENTERPRISES,OPENED,CLOSED,OVERLAY,x,y\n\
             c-1,渝中空间,incubator,large,national,1200.0,30,8,2019.05.01,2024,liangjiang_new_area,{lon},{lat}\n"
        ),
    ];
    let expected = csv(&tables[0]);
    assert_eq!(expected.rejections(), []);
    let c = expected.get(0);
    assert_eq!(c.kind(), Kind::Incubator);
    assert_eq!(c.level(), Some(Level::National));
    assert_eq!(c.closed().unwrap().to_string(), "2024");
    for table in &tables[1..] {
        let read = csv(table);
        assert_eq!(read.rejections(), [], "{table}");
        assert_eq!(read.get(0), expected.get(0), "{table}");
    }
    // A layout of its own, mapped header by header.
    let own = format!(
        "载体编号,载体名称,性质,面积合计,X坐标,Y坐标\nc-1,渝中空间,孵化器,1200,{lon},{lat}\n"
    );
    let options = gcj02()
        .header("载体编号", Column::Id)
        .header("性质", Column::Kind)
        .header("面积合计", Column::FloorAreaM2)
        .coordinate_columns("X坐标", "Y坐标");
    let read = read_carriers_csv(own.as_bytes(), &options).unwrap();
    assert_eq!(read.rejections(), []);
    assert_eq!(read.get(0).id(), "c-1");
    assert_eq!(read.get(0).anchor(), expected.get(0).anchor());
    // The names a header map file would give.
    let map: std::collections::BTreeMap<String, Column> =
        toml::from_str("\"载体编号\" = \"id\"\n\"X坐标\" = \"longitude\"").unwrap();
    assert_eq!(map["载体编号"], Column::Id);
    assert_eq!(map["X坐标"], Column::Lon);
}

#[test]
fn each_way_of_naming_a_district_counts_there() {
    let table = "名称,类型,面积,所在区县\n\
                 a,孵化器,100,渝北区\n\
                 b,孵化器,100,渝北\n\
                 c,孵化器,100,500112\n\
                 d,孵化器,100,yubei\n\
                 e,孵化器,100, Yubei \n";
    let read = csv(table);
    assert_eq!(read.rejections(), []);
    assert_eq!(read.len(), 5);
    let atlas = Atlas::chongqing();
    let placed = atlas.place(read, FootprintRule::SurfacePoint);
    let yubei = atlas.district_with_code(YUBEI);
    for (carrier, place) in placed.iter() {
        assert_eq!(carrier.district(), Some(YUBEI));
        assert_eq!(carrier.anchor(), None);
        assert_eq!(place.district, yubei, "{}", carrier.id());
        assert_eq!(place.placed_by, PlacedBy::Declared);
    }
    // Without an id column, each row's number is its id.
    let ids: Vec<&str> = placed.carriers().iter().map(|c| c.id()).collect();
    assert_eq!(ids, ["2", "3", "4", "5", "6"]);
    let tally = Tally::new(&placed);
    assert_eq!(tally.district(yubei.unwrap()).all.floor_area_m2(), 500.0);
    // GeoJSON records name their district the same way, as text or a code.
    let geojson = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
        {"type": "Feature", "id": "a", "geometry": null,
         "properties": {"kind": "incubator", "floor_area_m2": 1, "district": "渝北"}},
        {"type": "Feature", "id": "b", "geometry": null,
         "properties": {"kind": "incubator", "floor_area_m2": 1, "district": 500112}}]}"#;
    let read = read_carriers(geojson.as_bytes(), &ReadOptions::new()).unwrap();
    assert_eq!(read.rejections(), []);
    assert!(read.iter().all(|c| c.district() == Some(YUBEI)));
}

#[test]
fn districts_resolve_against_the_atlas_given() {
    let names = DistrictNames::of(Atlas::chongqing());
    let code = |text| names.resolve(text).unwrap().district().unwrap().to_string();
    assert_eq!(code("Yuzhong"), YUZHONG);
    assert_eq!(code("酉阳"), "500242");
    let unknown = names.resolve("渝北新区").unwrap_err();
    assert_eq!(unknown.suggestion.as_deref(), Some("渝北区"));
    let typo = names.resolve("Yubie").unwrap_err();
    assert_eq!(typo.suggestion.as_deref(), Some("渝北区"));
    // The names of today only: former names are Chongqing's, not any atlas's.
    assert!(names.resolve("开县").is_err());
    // A region set of its own: its names, not Chongqing's.
    let regions = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
        {"type": "Feature", "properties": {"code": "A1", "name": "东区"},
         "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}"#;
    let options = carrier_quota::atlas::RegionOptions::new("code").name_property("name");
    let (atlas, _) = carrier_quota::atlas::read_regions(regions.as_bytes(), &options).unwrap();
    let options = ReadOptions::new().districts(DistrictNames::of(&atlas));
    let table = "kind,floor_area_m2,district\nincubator,1,东区\nincubator,1,渝北区\n";
    let read = read_carriers_csv(table.as_bytes(), &options).unwrap();
    assert_eq!(read.get(0).district(), Some("A1"));
    assert_eq!(
        messages(&read),
        [
            "row 3 (id \"3\"): unknown district \"渝北区\": not the name, short name, code or \
             English name of a district (today or before a change), nor a managed area, and the \
             record has no location to place it by"
        ]
    );
}

#[test]
fn a_point_in_another_district_counts_where_it_lies_and_is_listed() {
    let (lon, lat) = JIEFANGBEI;
    let table = format!(
        "编号,类型,面积,所在区县,经度,纬度\n\
         same,孵化器,100,渝中区,{lon},{lat}\n\
         other,孵化器,200,渝北区,{lon},{lat}\n\
         outside,孵化器,300,渝北区,116.4,39.9\n\
         declared,孵化器,400,渝北区,,\n\
         plain,孵化器,500,,{lon},{lat}\n"
    );
    let atlas = Atlas::chongqing();
    let placed = atlas.place(csv(&table), FootprintRule::SurfacePoint);
    let yuzhong = atlas.district_with_code(YUZHONG);
    let by: Vec<(&str, Option<_>, PlacedBy)> = placed
        .iter()
        .map(|(c, p)| (c.id(), p.district, p.placed_by))
        .collect();
    assert_eq!(
        by,
        [
            ("same", yuzhong, PlacedBy::Point),
            ("other", yuzhong, PlacedBy::Point),
            ("outside", None, PlacedBy::Point),
            (
                "declared",
                atlas.district_with_code(YUBEI),
                PlacedBy::Declared
            ),
            ("plain", yuzhong, PlacedBy::Point),
        ]
    );
    let mismatches: Vec<(usize, &str, Option<_>)> = placed
        .mismatches()
        .iter()
        .map(|m| {
            (
                m.position,
                m.declared.district().unwrap().as_str(),
                m.located,
            )
        })
        .collect();
    assert_eq!(mismatches, [(1, YUBEI, yuzhong), (2, YUBEI, None)]);
    assert_eq!(placed.carriers().get(1).row(), Some(3));
}

#[test]
fn a_closing_counts_up_to_the_day_before() {
    let table = "编号,类型,面积,所在区县,认定时间,摘牌时间\n\
                 day,孵化器,100,渝北区,2019-03-01,2023-06-30\n\
                 year,孵化器,200,渝北区,2019,2023\n";
    let atlas = Atlas::chongqing();
    let placed = atlas.place(csv(table), FootprintRule::SurfacePoint);
    let area = |date: &str| {
        let tally = Tally::open_on(&placed, date.parse().unwrap());
        tally.city().all.floor_area_m2()
    };
    assert_eq!(area("2022-12-31"), 300.0);
    assert_eq!(
        area("2023-01-01"),
        100.0,
        "a year-only closing counts from 1 January"
    );
    assert_eq!(area("2023-06-29"), 100.0);
    assert_eq!(area("2023-06-30"), 0.0);
}

#[test]
fn bad_rows_are_rejected_with_their_row_numbers() {
    let table = "编号,类型,面积,所在区县,认定时间,摘牌时间,经度,纬度\n\
                 ok,孵化器,100,渝北区,,,,\n\
                 \n\
                 no-district,孵化器,100,,,,,\n\
                 ,,,,,,,\n\
                 unknown,孵化器,100,渝北新区,,,,\n\
                 area,孵化器,一千,渝北区,,,,\n\
                 closing,孵化器,100,渝北区,2022-05-01,2021,,\n\
                 half,孵化器,100,,,,106.5,\n\
                 text-lon,孵化器,100,,,,东经106,29.5\n\
                 ok,孵化器,100,渝北区,,,,\n";
    let read = csv(table);
    assert_eq!(read.len(), 1);
    assert_eq!(
        messages(&read),
        [
            "row 4 (id \"no-district\"): no location: its 所在区县, 经度, 纬度 cells are empty",
            "row 6 (id \"unknown\"): unknown district \"渝北新区\": not the name, short name, \
             code or English name of a district (today or before a change), nor a managed area \
             (did you mean \"渝北区\"?), and the record has no location to place it by",
            "row 7 (id \"area\"): 面积 must be a number, found \"一千\"",
            "row 8 (id \"closing\"): closed 2021 is before opened 2022-05-01",
            "row 9 (id \"half\"): malformed Point coordinates: the latitude is empty",
            "row 10 (id \"text-lon\"): malformed Point coordinates: the longitude \"东经106\" \
             is not a number",
            "row 11 (id \"ok\"): duplicate id: row 2 already has it",
        ]
    );
    let codes: Vec<&RejectReason> = read.rejections().iter().map(|r| &r.reason).collect();
    assert!(matches!(codes[0], RejectReason::EmptyLocation { .. }));
    assert!(matches!(codes[1], RejectReason::UnknownDistrict(_)));
    // Every record is a carrier or a rejection; blank rows are none.
    assert_eq!(read.features_read(), 8);
    assert_eq!(read.rejections()[0].index, 1);
}

#[test]
fn tables_that_cannot_be_read_say_why() {
    let none = ReadOptions::new();
    let coordinates = "id,kind,floor_area_m2,经度,纬度\na,incubator,1,106.5,29.5\n";
    assert_eq!(
        csv_error(coordinates, &none).to_string(),
        "the table has coordinates (columns \"经度\" and \"纬度\") but no datum was given: \
         declare it when reading it (wgs84, gcj02 or bd09; points from 高德/Amap or 腾讯/Tencent \
         maps are gcj02, from 百度/Baidu bd09, from GPS, 天地图/Tianditu or CGCS2000 wgs84)"
    );
    // A table without coordinates needs no datum.
    let declared = "kind,floor_area_m2,district\nincubator,1,渝北\n";
    assert_eq!(
        read_carriers_csv(declared.as_bytes(), &none).unwrap().len(),
        1
    );
    assert_eq!(
        csv_error("名称,面积,所在区县\na,1,渝北\n", &none).to_string(),
        "no column \"kind\": the columns are 名称, 面积, 所在区县; map one to it with \
         --headers (a TOML line such as \"COLUMN\" = \"kind\")"
    );
    assert_eq!(
        csv_error("类型,面积,区域名\n孵化器,1,渝北\n", &none).to_string(),
        "no column \"lon and lat, district, address or town\": the columns are 类型, 面积, 区域名; map one \
         to it with --headers (a TOML line such as \"区域名\" = \"district\")"
    );
    assert_eq!(
        csv_error("类型,面积,建筑面积,区县\n孵化器,1,2,渝北\n", &none).to_string(),
        "columns \"面积\" and \"建筑面积\" both give floor_area_m2: remove one, or map one \
         to another property"
    );
    assert_eq!(
        csv_error("类型,面积,经度\n孵化器,1,106\n", &gcj02()).to_string(),
        "no column \"lat\": the columns are 类型, 面积, 经度; map one to it with --headers \
         (a TOML line such as \"COLUMN\" = \"lat\")"
    );
    // GBK text is read as GB18030, and the read says so.
    let gbk: &[u8] = b"kind,floor_area_m2,district\nincubator,1,\xd3\xe5\xb1\xb1\n";
    let read = read_carriers_csv(gbk, &none).unwrap();
    assert_eq!(read.get(0).declared().unwrap().0, "渝北");
    assert_eq!(
        read.notes()[0].to_string(),
        "read as GB18030: the text is not UTF-8, and decodes as GB18030 throughout"
    );
    // A byte the encoding cannot read is named by its row and column.
    let options = ReadOptions::new().encoding(carrier_quota::read::Encoding::Gb18030);
    let bad: &[u8] = b"kind,floor_area_m2,district\nincubator,1,\x81 \n";
    assert_eq!(
        read_carriers_csv(bad, &options).unwrap_err().to_string(),
        "not a readable CSV table at row 2: column 3 (district): the bytes 81 cannot be read \
         as GB18030"
    );
    let options = ReadOptions::new().encoding(carrier_quota::read::Encoding::Utf8);
    assert_eq!(
        read_carriers_csv(gbk, &options).unwrap_err().to_string(),
        "not a readable CSV table at row 2: column 3 (district): the bytes D3 E5 B1 B1 are \
         not UTF-8, which the text before them was; if the file is in another encoding, give \
         it (gb18030 or utf-16)"
    );
    assert!(matches!(
        csv_error("", &none),
        ErrorKind::Table { row: None, .. }
    ));
    // An unclosed quote would take the rows after it into its cell.
    let unclosed = "kind,floor_area_m2,district\nincubator,1,\"渝北\nincubator,1,渝中\n";
    assert_eq!(
        csv_error(unclosed, &none).to_string(),
        "not a readable CSV table at row 2: a quoted cell is not closed: it runs to the end \
         of the file"
    );
    // A quoted cell may hold line breaks; rows count the lines.
    let multiline = "kind,floor_area_m2,name,district\n\
                     incubator,1,\"两行\n名称\",渝北\n\
                     incubator,x,b,渝北";
    let read = read_carriers_csv(multiline.as_bytes(), &none).unwrap();
    assert_eq!(read.get(0).name(), Some("两行\n名称"));
    assert_eq!(read.rejections()[0].row, Some(4));
}

#[test]
fn limits_hold_for_tables() {
    let table = "kind,floor_area_m2,district\nincubator,1,渝北\nincubator,1,渝北\n";
    let options = ReadOptions::new().limits(carrier_quota::read::Limits::new().max_features(1));
    assert!(matches!(
        csv_error(table, &options),
        ErrorKind::TooManyFeatures { limit: 1 }
    ));
    let long = format!(
        "kind,floor_area_m2,name,district\nincubator,1,{},渝北\n",
        "x".repeat(100_000)
    );
    let options =
        ReadOptions::new().limits(carrier_quota::read::Limits::new().max_feature_bytes(10_000));
    assert!(matches!(
        csv_error(&long, &options),
        ErrorKind::FeatureTooLarge { index: 0, .. }
    ));
    let options =
        ReadOptions::new().limits(carrier_quota::read::Limits::new().max_property_bytes(10));
    let read = read_carriers_csv(long.as_bytes(), &options).unwrap();
    assert!(matches!(
        &read.rejections()[0].reason,
        RejectReason::PropertyTooLong { property, .. } if property == "name"
    ));
}

/// A workbook with a title row, then a header row and `rows`.
fn workbook(rows: &[&[Value]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("名单").unwrap();
    sheet.write_string(0, 0, "2023年孵化载体名单").unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 2, c as u16);
            match value {
                Value::Text(s) => sheet.write_string(r, c, *s),
                Value::Number(x) => sheet.write_number(r, c, *x),
                Value::Date(y, m, d) => {
                    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    sheet.write_datetime_with_format(r, c, &day, &date)
                }
                Value::Empty => continue,
            }
            .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

enum Value {
    Text(&'static str),
    Number(f64),
    Date(u16, u8, u8),
    Empty,
}

#[test]
fn excel_tables_read_as_csv_tables_do() {
    use Value::{Date, Empty, Number as N, Text as T};
    let (lon, lat) = JIEFANGBEI;
    let header = [
        T("编号"),
        T("名称"),
        T("类型"),
        T("级别"),
        T("所在区县"),
        T("建筑面积（m²）"),
        T("认定时间"),
        T("摘牌时间"),
        T("经度"),
        T("纬度"),
    ];
    let rows: [&[Value]; 5] = [
        &header,
        &[
            T("c-1"),
            T("渝中空间"),
            T("孵化器"),
            T("市级"),
            T("渝中区"),
            N(1200.0),
            Date(2019, 5, 1),
            Empty,
            N(lon),
            N(lat),
        ],
        &[
            N(1002.0),
            T("渝北空间"),
            T("众创空间"),
            Empty,
            N(500112.0),
            N(800.5),
            N(2020.0),
            T("2024年"),
            Empty,
            Empty,
        ],
        &[
            T("c-3"),
            Empty,
            T("加速器"),
            Empty,
            T("渝北"),
            T("八百"),
            Empty,
            Empty,
            Empty,
            Empty,
        ],
        &[
            T("c-4"),
            Empty,
            T("加速器"),
            Empty,
            T("渝北"),
            N(100.0),
            Date(2022, 1, 1),
            Date(2021, 1, 1),
            Empty,
            Empty,
        ],
    ];
    let book = workbook(&rows);
    let read = read_carriers_excel(&book[..], &gcj02()).unwrap();
    assert_eq!(read.len(), 2);
    let first = read.get(0);
    assert_eq!((first.id(), first.row()), ("c-1", Some(4)));
    assert_eq!(first.opened().unwrap().to_string(), "2019-05-01");
    assert_eq!(first.anchor(), Some(geo::Point::new(lon, lat)));
    let second = read.get(1);
    assert_eq!(second.id(), "1002");
    assert_eq!(second.district(), Some(YUBEI));
    assert_eq!(second.opened().unwrap().to_string(), "2020");
    assert_eq!(second.closed().unwrap().to_string(), "2024");
    assert_eq!(
        messages(&read),
        [
            "row 6 (id \"c-3\"): 建筑面积（m²） must be a number, found \"八百\"",
            "row 7 (id \"c-4\"): closed 2021-01-01 is before opened 2022-01-01",
        ]
    );
    // The same rows as CSV give the same carriers.
    let table = format!(
        "编号,名称,类型,级别,所在区县,建筑面积（m²）,认定时间,摘牌时间,经度,纬度\n\
         c-1,渝中空间,孵化器,市级,渝中区,1200,2019-05-01,,{lon},{lat}\n\
         1002,渝北空间,众创空间,,500112,800.5,2020,2024年,,\n"
    );
    let from_csv = csv(&table);
    for i in 0..2 {
        assert_eq!(read.get(i), from_csv.get(i));
    }
    // A sheet by name; a missing one is an error that lists the sheets.
    let named = read_carriers_excel(&book[..], &gcj02().sheet("名单")).unwrap();
    assert_eq!(named.len(), 2);
    let missing = read_carriers_excel(&book[..], &gcj02().sheet("Sheet9")).unwrap_err();
    assert!(
        missing.to_string().contains("the sheets are 名单"),
        "{missing}"
    );
}

/// A sheet of `rows` from A1, with one more cell at `far` if given.
fn sheet_of(rows: &[Vec<String>], far: Option<(u32, u16)>) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, text).unwrap();
        }
    }
    if let Some((r, c)) = far {
        sheet.write_string(r, c, "备注").unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_costs_memory_by_its_cells_not_the_box_around_them() {
    let rows: Vec<Vec<String>> = [
        ["类型", "面积", "所在区县"],
        ["孵化器", "100", "渝北"],
        ["众创空间", "200", "渝中"],
    ]
    .iter()
    .map(|row| row.iter().map(|s| s.to_string()).collect())
    .collect();
    // The last cell a sheet can hold: as a box, 17 billion cells.
    let book = sheet_of(&rows, Some((1_048_575, 16_383)));
    let read = read_carriers_excel(&book[..], &ReadOptions::new()).unwrap();
    assert_eq!(read.len(), 2);
    assert_eq!(read.get(1).row(), Some(3));
    // The stray cell's row is a record with nothing in the table's columns.
    assert_eq!(read.rejections().len(), 1);
    assert_eq!(read.rejections()[0].row, Some(1_048_576));
}

#[test]
fn limits_hold_for_workbooks_as_for_csv() {
    let header = ["类型", "面积", "名称", "所在区县"]
        .map(String::from)
        .to_vec();
    let row = |name: &str| ["孵化器", "100", name, "渝北"].map(String::from).to_vec();
    let mut rows = vec![header];
    rows.extend((0..12).map(|i| row(&format!("空间{i}"))));
    rows.push(row(&"x".repeat(30_000)));
    let csv_text: String = rows.iter().map(|r| r.join(",") + "\n").collect();
    let book = sheet_of(&rows, None);
    let options =
        ReadOptions::new().limits(carrier_quota::read::Limits::new().max_feature_bytes(10_000));
    let error = excel_error(&book, &options);
    assert!(
        matches!(error, ErrorKind::FeatureTooLarge { index: 12, .. }),
        "{error}"
    );
    assert!(matches!(
        csv_error(&csv_text, &options),
        ErrorKind::FeatureTooLarge { index: 12, .. }
    ));
    // Near the top, where the header is looked for, as in CSV.
    let book = sheet_of(&[rows[0].clone(), rows[13].clone()], None);
    let error = excel_error(&book, &options);
    assert!(
        matches!(error, ErrorKind::FeatureTooLarge { index: 0, .. }),
        "{error}"
    );
    // 13 records.
    let book = sheet_of(&rows, None);
    let limit = |n| ReadOptions::new().limits(carrier_quota::read::Limits::new().max_features(n));
    let error = excel_error(&book, &limit(12));
    assert!(
        matches!(error, ErrorKind::TooManyFeatures { limit: 12 }),
        "{error}"
    );
    let read = read_carriers_excel(&book[..], &limit(13)).unwrap();
    assert_eq!((read.len(), read.rejections().len()), (12, 1));
    // A workbook that expands past the limit is not opened.
    let small =
        ReadOptions::new().limits(carrier_quota::read::Limits::new().max_workbook_bytes(30_000));
    let error = excel_error(&book, &small);
    assert!(
        matches!(error, ErrorKind::WorkbookTooLarge { expanded, limit: 30_000 } if expanded > 30_000),
        "{error}"
    );
}

/// `book` with the size its zip declares for `part`, expanded, set to
/// `size`, in the part's local header and in the central directory.
fn declaring(mut book: Vec<u8>, part: &str, size: u32) -> Vec<u8> {
    let name = part.as_bytes();
    // (signature, offset of the name's length, of the name, of the size)
    let headers: [(&[u8], usize, usize, usize); 2] =
        [(b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)];
    for (signature, length_at, name_at, size_at) in headers {
        let starts: Vec<usize> = (0..book.len())
            .filter(|&i| book[i..].starts_with(signature))
            .collect();
        for at in starts {
            let length = u16::from_le_bytes([book[at + length_at], book[at + length_at + 1]]);
            if usize::from(length) == name.len() && book[at + name_at..].starts_with(name) {
                book[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
        }
    }
    book
}

#[test]
fn a_workbook_part_cannot_expand_past_its_declared_size() {
    // The bound on a workbook's expanded size counts the sizes its zip
    // declares: a part that holds more is refused when it is read.
    let rows = [["类型", "面积", "所在区县"].map(String::from).to_vec()];
    let book = sheet_of(&rows, None);
    assert!(read_carriers_excel(&book[..], &ReadOptions::new()).is_ok());
    let lying = declaring(book, "xl/worksheets/sheet1.xml", 100);
    let error = read_carriers_excel(&lying[..], &ReadOptions::new()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("larger than its declared uncompressed size"),
        "{error}"
    );
}

#[test]
fn xls_workbooks_are_read_and_open_document_files_refused() {
    // Written by xlwt: a title, a blank row, then the table from B3.
    let book = include_bytes!("../data/register.xls");
    let read = read_carriers_excel(&book[..], &ReadOptions::new()).unwrap();
    assert_eq!(read.len(), 2);
    let first = read.get(0);
    assert_eq!((first.id(), first.row()), ("c-1", Some(4)));
    assert_eq!(first.opened().unwrap().to_string(), "2019-05-01");
    assert_eq!(first.floor_area_m2(), 1200.0);
    let second = read.get(1);
    assert_eq!((second.id(), second.district()), ("c-2", Some(YUBEI)));
    assert_eq!(second.opened().unwrap().to_string(), "2020");
    assert_eq!(
        messages(&read),
        ["row 6 (id \"c-3\"): 建筑面积（m²） must be a number, found \"八百\""]
    );
    // 900 bytes whose repeated rows and cells stand for 96 million cells.
    let open_document = include_bytes!("../data/repeated_cells.ods");
    let error = read_carriers_excel(&open_document[..], &ReadOptions::new()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("OpenDocument file (.ods) is not read"),
        "{error}"
    );
}

#[test]
fn files_that_are_not_workbooks_are_errors() {
    for bytes in [&b""[..], b"PK\x03\x04 not a zip", b"kind,floor_area_m2\n"] {
        let error = read_carriers_excel(bytes, &gcj02()).unwrap_err();
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Table {
                    format: "Excel",
                    ..
                }
            ),
            "{error}"
        );
    }
    // A workbook cut short.
    let book = workbook(&[&[Value::Text("类型"), Value::Text("面积")]]);
    let error = read_carriers_excel(&book[..book.len() / 2], &gcj02()).unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Table { .. }), "{error}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    #[test]
    fn the_same_carriers_give_the_same_tallies_from_geojson_and_csv(
        count in 1usize..80,
        seed in 0u64..1000,
        datum in 0usize..3,
        // Per carrier: drop its point, name a district (and which), close it.
        edits in proptest::collection::vec((0u8..4, 0usize..38, 0u8..4), 80),
    ) {
        let atlas = Atlas::chongqing();
        let datum = [Datum::Wgs84, Datum::Gcj02, Datum::Bd09][datum];
        let synthetic = carrier_quota::synthetic::Synthetic::new(count, seed)
            .generate(atlas)
            .into_datum(datum);
        let records = synthetic.iter().zip(&edits).map(|(c, &(place, district, close))| {
            let mut record = c.to_carrier();
            let code = &atlas.districts()[district].code;
            match place {
                // By its district only.
                0 => {
                    record.location = None;
                    record.district = Some(DeclaredDistrict::code(code.clone()));
                }
                // Its point, and a district that may not be its own.
                1 => record.district = Some(DeclaredDistrict::code(code.clone())),
                _ => {}
            }
            if close > 0 {
                let opened = record.opened.map_or(2015, |o| o.earliest_day().year());
                let year = opened + u16::from(close);
                record.closed = Some(carrier_quota::date::RecordDate::Year(year));
            }
            record
        });
        let carriers = Carriers::from_records(datum, records);
        let mut geojson = Vec::new();
        carrier_quota::write::write_carriers(&mut geojson, &carriers, None).unwrap();
        let from_geojson = read_carriers(&geojson[..], &ReadOptions::new()).unwrap();
        let options = ReadOptions::new().datum(datum);
        let mut table = Vec::new();
        carrier_quota::write::write_carriers_csv(&mut table, &carriers).unwrap();
        let from_csv = read_carriers_csv(&table[..], &options).unwrap();
        proptest::prop_assert_eq!(from_geojson.rejections(), []);
        proptest::prop_assert_eq!(from_csv.rejections(), []);
        proptest::prop_assert_eq!(from_csv.len(), carriers.len());
        for ((a, b), c) in from_geojson.iter().zip(from_csv.iter()).zip(carriers.iter()) {
            proptest::prop_assert_eq!(a.to_carrier(), c.to_carrier());
            proptest::prop_assert_eq!(b.to_carrier(), c.to_carrier());
        }
        let by_geojson = atlas.place(from_geojson, FootprintRule::SurfacePoint);
        let by_csv = atlas.place(from_csv, FootprintRule::SurfacePoint);
        proptest::prop_assert_eq!(by_geojson.districts(), by_csv.districts());
        proptest::prop_assert_eq!(by_geojson.mismatches(), by_csv.mismatches());
        for date in ["2016-12-31", "2019-06-30", "2021-12-31", "2025-12-31"] {
            let date = date.parse().unwrap();
            proptest::prop_assert_eq!(
                Tally::open_on(&by_geojson, date),
                Tally::open_on(&by_csv, date)
            );
        }
        proptest::prop_assert_eq!(Tally::new(&by_geojson), Tally::new(&by_csv));
    }
}

#[test]
fn rows_are_lines_whatever_ends_them() {
    let rows = |table: &str| -> Vec<usize> {
        let read = read_carriers_csv(table.as_bytes(), &ReadOptions::new()).unwrap();
        let mut rows: Vec<usize> = read.iter().filter_map(|c| c.row()).collect();
        rows.extend(read.rejections().iter().filter_map(|r| r.row));
        rows.sort();
        rows
    };
    let lf = "kind,floor_area_m2,district\nincubator,1,渝北\nincubator,x,渝北\n";
    assert_eq!(rows(lf), [2, 3]);
    assert_eq!(rows(&lf.replace('\n', "\r\n")), [2, 3]);
    assert_eq!(rows(&lf.replace('\n', "\r")), [2, 3]);
    // A carriage return inside a line is part of its cell.
    let inside = "kind,floor_area_m2,name,district\nincubator,1,a\rb,渝北\nincubator,1,c,渝北\n";
    let read = read_carriers_csv(inside.as_bytes(), &ReadOptions::new()).unwrap();
    assert_eq!(read.get(0).name(), Some("a\rb"));
    assert_eq!(rows(inside), [2, 3]);
    // The CR of a CRLF line is not part of its last cell.
    let crlf = "kind,floor_area_m2,district\r\nincubator,1,渝北\r\n";
    let read = read_carriers_csv(crlf.as_bytes(), &ReadOptions::new()).unwrap();
    assert_eq!(read.get(0).district(), Some(YUBEI));
}

#[test]
fn large_tables_keep_every_row_in_order() {
    let atlas = Atlas::chongqing();
    let carriers = carrier_quota::synthetic::Synthetic::new(40_000, 7).generate(atlas);
    let mut table = Vec::new();
    carrier_quota::write::write_carriers_csv(&mut table, &carriers).unwrap();
    let text = String::from_utf8(table).unwrap();
    // Every 997th record's floor area is spoilt, and the second record is
    // repeated at the end.
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for line in lines.iter_mut().skip(1).step_by(997) {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[5] = "x";
        *line = cells.join(",");
    }
    lines.push(lines[2].clone());
    let read = read_carriers_csv(lines.join("\n").as_bytes(), &gcj02()).unwrap();
    let spoilt: Vec<usize> = (0..40_000).step_by(997).collect();
    assert_eq!(read.features_read(), 40_001);
    let rejected: Vec<usize> = read.rejections().iter().map(|r| r.index).collect();
    let mut expected = spoilt.clone();
    expected.push(40_000);
    assert_eq!(rejected, expected);
    assert!(read.rejections().iter().all(|r| r.row == Some(r.index + 2)));
    assert!(matches!(
        read.rejections().last().unwrap().reason,
        RejectReason::DuplicateId {
            first_index: 1,
            first_row: Some(3)
        }
    ));
    let kept = carriers
        .iter()
        .enumerate()
        .filter(|(i, _)| !spoilt.contains(i))
        .map(|(_, c)| c);
    for (c, (i, r)) in kept.zip(read.iter().enumerate()) {
        assert_eq!(r.to_carrier(), c.to_carrier());
        assert_eq!(r.row(), Some(read.feature_index(i) + 2));
    }
    // Past the feature limit.
    let options = gcj02().limits(carrier_quota::read::Limits::new().max_features(20_000));
    let error = read_carriers_csv(lines.join("\n").as_bytes(), &options).unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::TooManyFeatures { limit: 20_000 }
    ));
}

/// The placed writers add where each carrier counts, and read back as the
/// same carriers.
#[test]
fn placed_carriers_are_written_with_their_districts_and_read_back() {
    use carrier_quota::write::{write_placed, write_placed_csv};

    let atlas = carrier_quota::Atlas::chongqing();
    let options = ReadOptions::new().datum(carrier_quota::Datum::Gcj02);
    let carriers =
        carrier_quota::read::read_carriers_file("data/sample/registry.csv".as_ref(), &options)
            .unwrap();
    let placed = atlas.place(carriers, carrier_quota::place::FootprintRule::SurfacePoint);
    let expected: Vec<(Option<&str>, Option<&str>, &str)> = placed
        .iter()
        .map(|(_, place)| {
            let district = place.district.map(|d| atlas.district(d));
            let zone = district
                .and_then(|d| d.zone)
                .map(|z| atlas.zone(z).code.as_str());
            let by = match place.placed_by {
                PlacedBy::Point => "point",
                PlacedBy::Declared => "declared",
                PlacedBy::ManagedArea => "managed_area",
                PlacedBy::Address => "address",
            };
            (district.map(|d| d.code.as_str()), zone, by)
        })
        .collect();
    assert!(expected.iter().any(|e| e.2 == "declared"));

    let mut geojson = Vec::new();
    write_placed(&mut geojson, &placed, None).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&geojson).unwrap();
    for (feature, (district, zone, by)) in v["features"].as_array().unwrap().iter().zip(&expected) {
        let p = &feature["properties"];
        assert_eq!(p["placed_district"].as_str(), *district);
        assert_eq!(p["placed_zone"].as_str(), *zone);
        assert_eq!(p["placed_by"].as_str(), Some(*by));
    }
    // The same records (a table's row numbers and rejections are the read's,
    // not the records').
    let same = |again: &Carriers| {
        again.len() == placed.carriers().len()
            && again.iter().zip(placed.carriers().iter()).all(|(a, b)| {
                (
                    a.id(),
                    a.anchor(),
                    a.district(),
                    a.kind(),
                    a.floor_area_m2(),
                ) == (
                    b.id(),
                    b.anchor(),
                    b.district(),
                    b.kind(),
                    b.floor_area_m2(),
                ) && (a.opened(), a.closed(), a.enterprises())
                    == (b.opened(), b.closed(), b.enterprises())
            })
    };
    let again = read_carriers(&geojson[..], &ReadOptions::new()).unwrap();
    assert!(same(&again));

    let mut csv = Vec::new();
    write_placed_csv(&mut csv, &placed).unwrap();
    let text = String::from_utf8(csv).unwrap();
    let mut rows = text.lines();
    let header = rows.next().unwrap();
    assert!(
        header.ends_with(",lon,lat,placed_district,placed_zone,placed_by"),
        "{header}"
    );
    for (row, (district, zone, by)) in rows.zip(&expected) {
        let cells: Vec<&str> = row.rsplitn(4, ',').collect();
        assert_eq!(
            cells[..3],
            [*by, zone.unwrap_or(""), district.unwrap_or("")],
            "{row}"
        );
    }
    let again = carrier_quota::read::read_carriers_csv(text.as_bytes(), &options).unwrap();
    let ids =
        |c: &carrier_quota::Carriers| c.iter().map(|c| c.id().to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(placed.carriers()));
    assert!(again
        .iter()
        .zip(placed.carriers().iter())
        .all(|(a, b)| a.anchor() == b.anchor()
            && a.district() == b.district()
            && a.floor_area_m2() == b.floor_area_m2()));
}
