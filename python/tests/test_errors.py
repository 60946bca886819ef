"""Errors are exceptions a caller can catch by kind, with the command's
messages; bad rows keep their row numbers."""

from __future__ import annotations

import pandas as pd
import pytest

import carrier_quota as cq
from carrier_quota.errors import ColumnError, DatumError, MissingFileError, PlanError, ReadError
from conftest import REGISTERS, SAMPLE


def test_bad_rows_keep_their_row_numbers(tmp_path, cli):
    path = tmp_path / "register.csv"
    path.write_text(
        "名称,载体类型,面积（平方米）,经度,纬度\n"
        "甲,孵化器,1000,106.55,29.56\n"
        "乙,温室,2000,106.56,29.57\n"
        "丙,孵化器,很多,106.57,29.58\n",
        encoding="utf-8",
    )
    carriers = cq.read_register(path, datum="gcj02")
    rejected = carriers.rejections
    assert list(rejected["row"]) == [3, 4]
    assert list(rejected["column"]) == ["载体类型", "面积（平方米）"]
    expected = cli.json("assign", str(path), "--format", "json", "--datum", "gcj02")
    assert [r["row"] for r in expected["rejected"]] == [3, 4]
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "kind": ["incubator", "温室"],
            "floor_area_m2": [1.0, 2.0],
            "lon": [106.55, 106.56],
            "lat": [29.56, 29.57],
        }
    )
    placed = cq.Atlas.chongqing().place(frame, datum="gcj02")
    assert list(placed.rejections["index"]) == [1]
    assert placed.to_pandas()["placed_district"].isna().tolist() == [False, True]


def test_a_missing_file_is_a_file_not_found_error_with_the_command_s_message(cli):
    with pytest.raises(MissingFileError) as raised:
        cq.read_register("no/such/register.csv", datum="gcj02")
    assert isinstance(raised.value, FileNotFoundError)
    assert isinstance(raised.value, ReadError)
    assert str(raised.value) == cli.error("assign", "no/such/register.csv", "--datum", "gcj02")


def test_a_missing_datum_says_how_to_give_one(cli):
    path = REGISTERS / "register_utf8.csv"
    with pytest.raises(DatumError) as raised:
        cq.read_register(path)
    message = cli.error("assign", str(path))
    assert str(raised.value) == message.replace(
        "(pass --datum wgs84|gcj02|bd09)", '(pass datum="wgs84", "gcj02" or "bd09")'
    )


def test_an_unknown_datum_is_a_datum_error():
    with pytest.raises(DatumError, match="wgs-84-ish"):
        cq.read_register(SAMPLE, datum="wgs-84-ish")
    with pytest.raises(DatumError):
        cq.Atlas.chongqing().locate([106.5], [29.5], datum="mars")


def test_a_missing_column_is_a_column_error_naming_it():
    frame = pd.DataFrame(
        {
            "name": ["甲"],
            "kind": ["incubator"],
            "floor_area_m2": [1.0],
            "lon": [106.55],
            "lat": [29.56],
        }
    )
    with pytest.raises(ColumnError) as raised:
        cq.Atlas.chongqing().place(frame, datum="gcj02")
    assert raised.value.column == "id"
    assert 'no column "id"' in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_a_register_without_a_kind_column_says_what_the_command_says(tmp_path, cli):
    path = tmp_path / "register.csv"
    path.write_text("名称,面积（平方米）,经度,纬度\n甲,1000,106.55,29.56\n", encoding="utf-8")
    with pytest.raises(ColumnError) as raised:
        cq.read_register(path, datum="gcj02")
    assert str(raised.value) == cli.error("assign", str(path), "--datum", "gcj02")
    assert raised.value.column == "kind"


def test_a_table_placed_twice_says_its_columns_are_there():
    frame = pd.DataFrame(
        {
            "id": ["a"],
            "kind": ["incubator"],
            "floor_area_m2": [1.0],
            "lon": [106.55],
            "lat": [29.56],
        }
    )
    placed = cq.Atlas.chongqing().place(frame, datum="gcj02").to_pandas()
    with pytest.raises(ColumnError, match='already has a column "placed_district"'):
        cq.Atlas.chongqing().place(placed, datum="gcj02")


def test_a_table_without_coordinates_says_so():
    frame = pd.DataFrame({"id": ["a"], "kind": ["incubator"], "floor_area_m2": [1.0]})
    with pytest.raises(ColumnError, match="no geometry"):
        cq.Atlas.chongqing().place(frame, datum="gcj02")


def test_a_bad_plan_is_a_plan_error():
    placed = cq.Atlas.chongqing().place(cq.read_register(SAMPLE))
    with pytest.raises(PlanError):
        cq.check(
            placed,
            {"name": "x", "start": "2021-01-01", "targets": [{"id": "t", "measure": "nonsense"}]},
        )
    with pytest.raises(PlanError):
        cq.check(placed, split="by-whim")
    with pytest.raises(MissingFileError):
        cq.check(placed, "no-such-plan.toml")


def test_a_plan_naming_an_unknown_district_names_its_line_as_the_command_does(tmp_path, cli):
    plan = tmp_path / "plan.toml"
    plan.write_text(
        'name = "计划"\nstart = "2021-12-31"\n\n[[targets]]\nid = "t"\nname = "面积"\n'
        'measure = "floor_area"\nminimum = 5\ndeadline = "2025-12-31"\n'
        'scope = { districts = ["火星区"] }\n',
        encoding="utf-8",
    )
    placed = cq.Atlas.chongqing().place(cq.read_register(SAMPLE))
    with pytest.raises(PlanError) as raised:
        cq.check(placed, plan)
    expected = cli.error("report", "--carriers", str(SAMPLE), "--plan", str(plan))
    assert str(raised.value) == expected
    assert "line 10" in expected


def test_a_projected_geodataframe_must_be_reprojected():
    import geopandas
    from shapely.geometry import Point

    frame = geopandas.GeoDataFrame(
        {"id": ["a"], "kind": ["incubator"], "floor_area_m2": [1.0]},
        geometry=[Point(500000, 3270000)],
        crs="EPSG:32648",
    )
    with pytest.raises(DatumError, match="to_crs"):
        cq.Atlas.chongqing().place(frame, datum="wgs84")
