"""Every kind of table places the same: GeoDataFrame, pandas, polars,
pyarrow, DuckDB and numpy give each row the same district."""

from __future__ import annotations

import duckdb
import geopandas
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import carrier_quota as cq
from conftest import SAMPLE


@pytest.fixture(scope="module")
def frame() -> geopandas.GeoDataFrame:
    """The sample's points, indexed from 100 (not a default index)."""
    gdf = geopandas.read_file(SAMPLE)
    gdf = gdf[gdf.geom_type == "Point"].copy()
    gdf.index = pd.RangeIndex(100, 100 + len(gdf))
    return gdf


@pytest.fixture(scope="module")
def expected(frame) -> list:
    """The districts the command's reader gives the same records."""
    placed = cq.Atlas.chongqing().place(cq.read_register(SAMPLE)).to_arrow().to_pandas()
    by_id = dict(zip(placed["id"], placed["placed_district"]))
    return [by_id[i] for i in frame["id"]]


def plain(frame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": frame["id"],
            "kind": frame["kind"],
            "floor_area_m2": frame["floor_area_m2"],
            "lon": frame.geometry.x,
            "lat": frame.geometry.y,
        }
    )


def test_every_input_kind_gives_the_same_districts(frame, expected):
    atlas = cq.Atlas.chongqing()
    df = plain(frame)
    polars_frame = pl.from_pandas(df)
    inputs = {
        "GeoDataFrame": frame,
        "pandas": df,
        "polars": polars_frame,
        "pyarrow": pa.Table.from_pandas(df, preserve_index=False),
        "DuckDB": duckdb.sql("SELECT * FROM polars_frame"),
    }
    for name, data in inputs.items():
        placed = atlas.place(data, datum="gcj02").to_arrow()
        assert placed.column("placed_district").to_pylist() == expected, name
    found = atlas.locate(df["lon"].to_numpy(), df["lat"].to_numpy(), datum="gcj02", codes=True)
    assert list(found) == expected
    indices = atlas.locate(df["lon"].to_numpy(), df["lat"].to_numpy(), datum="gcj02")
    codes = atlas.districts["code"].to_numpy()
    assert list(codes[indices]) == expected


def test_a_geodataframe_comes_back_with_its_crs_index_and_columns(frame):
    placed = cq.Atlas.chongqing().place(frame, datum="gcj02")
    back = placed.to_geopandas()
    assert isinstance(back, geopandas.GeoDataFrame)
    assert back.crs == frame.crs
    assert list(back.index) == list(frame.index)
    assert list(back.columns) == [*frame.columns, "placed_district", "placed_zone", "placed_by"]
    assert back.geometry.equals(frame.geometry)


def test_pandas_and_polars_come_back_as_themselves(frame):
    atlas = cq.Atlas.chongqing()
    df = plain(frame)
    back = atlas.place(df, datum="gcj02").to_pandas()
    assert list(back.index) == list(df.index)
    assert list(back.columns) == [*df.columns, "placed_district", "placed_zone", "placed_by"]
    polars_back = atlas.place(pl.from_pandas(df), datum="gcj02").to_polars()
    assert isinstance(polars_back, pl.DataFrame)
    assert polars_back.height == len(df)


def test_a_table_of_coordinates_comes_back_as_points(frame):
    df = plain(frame)
    back = cq.Atlas.chongqing().place(df, datum="gcj02").to_geopandas()
    assert isinstance(back, geopandas.GeoDataFrame)
    assert back.crs is None and back.attrs["datum"] == "gcj02"
    assert list(back.geometry.x) == list(df["lon"]) and list(back.index) == list(df.index)
    named = df.rename(columns={"lon": "x", "lat": "y"})
    wgs = cq.Atlas.chongqing().place(named, datum="wgs84", lon="x", lat="y").to_geopandas()
    assert wgs.crs == "EPSG:4326" and list(wgs.geometry.y) == list(df["lat"])


def test_a_wgs84_frame_is_converted_as_the_command_converts_it(frame, cli, tmp_path):
    # The same coordinates taken as WGS-84: both convert them to the atlas's GCJ-02.
    path = tmp_path / "wgs.csv"
    df = plain(frame)
    df.to_csv(path, index=False)
    expected = cli.json("assign", str(path), "--format", "json", "--datum", "wgs84")
    got = cq.Atlas.chongqing().place(df, datum="wgs84").to_arrow()
    assert got.column("placed_district").to_pylist() == [
        a["region"] for a in expected["assignments"]
    ]
    found = cq.Atlas.chongqing().locate(df["lon"], df["lat"], datum="wgs84", codes=True)
    assert list(found) == [a["region"] for a in expected["assignments"]]


def test_a_wkb_column_named_by_geometry_is_read(frame, expected):
    table = pa.table(
        {
            "id": frame["id"].to_list(),
            "kind": frame["kind"].to_list(),
            "floor_area_m2": frame["floor_area_m2"].to_list(),
            "shape": list(frame.geometry.to_wkb()),
        }
    )
    placed = cq.Atlas.chongqing().place(table, datum="gcj02", geometry="shape")
    assert placed.to_arrow().column("placed_district").to_pylist() == expected


def test_headers_map_a_table_s_own_column_names(frame, expected):
    df = plain(frame).rename(columns={"id": "载体编号", "floor_area_m2": "面积（平方米）"})
    placed = cq.Atlas.chongqing().place(df, datum="gcj02", headers={"载体编号": "id"})
    assert placed.to_arrow().column("placed_district").to_pylist() == expected


def test_a_register_read_by_the_package_places_as_a_file_does():
    carriers = cq.read_register(SAMPLE)
    placed = cq.Atlas.chongqing().place(carriers)
    frame = placed.to_geopandas()
    assert frame.attrs["datum"] == "gcj02" and frame.crs is None
    assert len(frame) == len(carriers) == len(placed)
    assert cq.Atlas.chongqing().place(str(SAMPLE)).to_arrow().equals(placed.to_arrow())


def test_footprints_and_missing_or_empty_geometries_place_as_the_command_places_them():
    from shapely.geometry import Point

    frame = geopandas.read_file(SAMPLE)
    assert (frame.geom_type != "Point").any(), "the sample has footprints"
    placed = cq.Atlas.chongqing().place(cq.read_register(SAMPLE)).to_arrow().to_pandas()
    by_id = dict(zip(placed["id"], placed["placed_district"]))
    frame.loc[3, "geometry"] = None
    frame.loc[5, "geometry"] = Point()
    back = cq.Atlas.chongqing().place(frame, datum="gcj02")
    districts = back.to_geopandas()["placed_district"]
    assert districts.isna().tolist() == [i in (3, 5) for i in range(len(frame))]
    for i, (id_, district) in enumerate(zip(frame["id"], districts)):
        if i not in (3, 5):
            assert district == by_id[id_], i
    assert list(back.rejections["index"]) == [3, 5]
    points_only = geopandas.read_file(SAMPLE)
    points_only = points_only[points_only.geom_type == "Point"].iloc[:50].copy()
    points_only.loc[points_only.index[7], "geometry"] = Point()
    assert list(cq.Atlas.chongqing().place(points_only, datum="gcj02").rejections["index"]) == [7]
