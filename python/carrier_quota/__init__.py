"""carrier_quota: incubation carriers placed in districts and checked
against a quota plan, with the same code as the ``carrier-quota`` command.

The flow, as the command runs it::

    import carrier_quota as cq

    carriers = cq.read_register("register.csv", datum="gcj02")
    placed = cq.Atlas.chongqing().place(carriers)
    report = cq.check(placed)
    report.targets                       # a pandas DataFrame
    report.write("report.html")          # or .xlsx, .docx, .json, .png ...

Any table places the same way: a GeoDataFrame, a pandas or polars DataFrame
with lon/lat columns, a pyarrow Table, a DuckDB relation, anything with
``__arrow_c_stream__``::

    placed = atlas.place(gdf, datum="gcj02")
    placed.to_geopandas()                # gdf's columns, its CRS, and where each row counts

Every call that works on data lets other Python threads run meanwhile.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as _np
import pyarrow as _pa

from . import _native
from .errors import (
    CarrierQuotaError,
    ColumnError,
    DatumError,
    LimitError,
    MissingFileError,
    PlanError,
    ReadError,
    RegionError,
)

if TYPE_CHECKING:  # pragma: no cover
    import geopandas
    import pandas
    import polars

__version__: str = _native.__version__

__all__ = [
    "Atlas",
    "Carriers",
    "Placed",
    "Check",
    "read_register",
    "read_carriers",
    "check",
    "split",
    "select_sites",
    "CarrierQuotaError",
    "ReadError",
    "MissingFileError",
    "DatumError",
    "ColumnError",
    "LimitError",
    "RegionError",
    "PlanError",
]

PathLike = str | _os.PathLike


def _pandas(table: Any) -> "pandas.DataFrame":
    return _pa.table(table).to_pandas()


def _date(value: str | _dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, _dt.date) else str(value)


def _headers(headers: dict[str, str] | None) -> list[tuple[str, str]]:
    return list((headers or {}).items())


class Atlas:
    """A region set: districts with codes, names and zones, in one datum.

    Immutable: one atlas may be used from any number of threads.

    >>> atlas = Atlas.chongqing()
    >>> len(atlas.districts), atlas.datum
    (38, 'gcj02')
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Atlas):
        self._native = native

    @classmethod
    def chongqing(cls) -> "Atlas":
        """The embedded atlas of Chongqing's 38 districts in three zones
        (GCJ-02), whose readers know the districts' former names and the
        managed areas."""
        return cls(_native.Atlas.chongqing())

    @classmethod
    def from_file(
        cls,
        path: PathLike,
        code_property: str,
        *,
        name_property: str | None = None,
        parent_property: str | None = None,
        parent_prefix: int | None = None,
        datum: str | None = None,
    ) -> "Atlas":
        """A region set read from a GeoJSON file, as ``--regions`` reads it:
        each region's code in ``code_property``, its zone in
        ``parent_property`` (or the first ``parent_prefix`` characters of
        its code). Gaps and overlaps found are in :attr:`issues`."""
        native = _native.Atlas.from_file(
            _os.fspath(path), code_property, name_property, parent_property, parent_prefix, datum
        )
        return cls(native)

    @property
    def name(self) -> str:
        """The atlas's name."""
        return self._native.name

    @property
    def datum(self) -> str:
        """The datum of the boundaries: ``wgs84``, ``gcj02`` or ``bd09``."""
        return self._native.datum

    @property
    def issues(self) -> list[str]:
        """The gaps and overlaps found while the region file was read."""
        return self._native.issues

    @property
    def districts(self) -> "pandas.DataFrame":
        """The districts: ``index`` (what :meth:`locate` returns), ``code``,
        ``name``, ``name_en``, ``zone``."""
        return _pandas(self._native.districts_table())

    @property
    def zones(self) -> "pandas.DataFrame":
        """The zones: ``code``, ``name``, ``name_en``, ``districts``."""
        return _pandas(self._native.zones_table())

    def to_geopandas(self) -> "geopandas.GeoDataFrame":
        """The districts with their boundaries, for a map: the columns of
        :attr:`districts` and ``geometry``. The atlas's datum has no CRS
        code when it is GCJ-02 or BD-09: the frame's CRS is then unset, and
        ``attrs["datum"]`` says it.

        >>> import carrier_quota as cq
        >>> cq.Atlas.chongqing().to_geopandas().geometry.iloc[0].geom_type
        'MultiPolygon'
        """
        import geopandas

        frame = self.districts
        shapes = _pa.table(self._native.boundaries_table()).column("geometry").to_pylist()
        crs = "EPSG:4326" if self.datum == "wgs84" else None
        frame = geopandas.GeoDataFrame(
            frame, geometry=geopandas.GeoSeries.from_wkb(shapes, crs=crs)
        )
        frame.attrs["datum"] = self.datum
        return frame

    def locate(self, x: Any, y: Any, *, datum: str, codes: bool = False) -> _np.ndarray:
        """The district of each point, by the rule :meth:`place` uses (a
        point on a shared border counts in the district of lower code).

        ``x`` and ``y`` are longitudes and latitudes in ``datum``; float64
        arrays are read where they lie, not copied. Returns each point's
        index into :attr:`districts` (``-1`` outside every district), or
        with ``codes=True`` the district codes (``None`` outside).

        >>> atlas = Atlas.chongqing()
        >>> atlas.locate([106.5775], [29.5575], datum="gcj02", codes=True)
        array(['500103'], dtype=object)
        """
        x = _np.ascontiguousarray(x, dtype=_np.float64)
        y = _np.ascontiguousarray(y, dtype=_np.float64)
        found = self._native.locate(x, y, datum)
        if not codes:
            return found
        codes_by_index = _pa.table(self._native.districts_table()).column("code").to_pylist()
        lookup = _np.array(codes_by_index + [None], dtype=object)
        return lookup[found]

    def place(
        self,
        data: Any,
        *,
        datum: str | None = None,
        lon: str | None = None,
        lat: str | None = None,
        geometry: str | None = None,
        headers: dict[str, str] | None = None,
        fix_swapped: bool = False,
        footprints: str = "surface-point",
    ) -> "Placed":
        """Places carriers: each counts in one district, by the command's rule.

        ``data`` is what :func:`read_register` returned, a file's path, a
        GeoDataFrame, a pandas or polars DataFrame, a pyarrow Table, a DuckDB
        relation, or anything with ``__arrow_c_stream__``. Its columns are
        the carrier properties (``id``, ``kind``, ``floor_area_m2``, ...), or
        headers ``headers`` maps to them (``{"载体编号": "id"}``); the
        location is the GeoDataFrame's geometry, a GeoArrow column, the
        WKB column ``geometry`` names, or the columns ``lon`` and ``lat``
        name (found by those names when not given).

        ``datum`` is the coordinates' datum: ``wgs84``, ``gcj02`` or
        ``bd09``. It must be given unless the data declares it: a CRS of
        EPSG:4326 does not, since registers in China label GCJ-02
        coordinates so too.

        The result has every input row, in order, with ``placed_district``,
        ``placed_zone`` and ``placed_by`` (null for a rejected row: see
        :attr:`Placed.rejections`).
        """
        if isinstance(data, Carriers):
            return Placed(self._native.place_carriers(data._native, footprints), "file", None, None)
        if isinstance(data, (str, _os.PathLike)):
            carriers = read_register(
                data, atlas=self, datum=datum, headers=headers, lon=lon, lat=lat
            )
            return self.place(carriers, footprints=footprints)
        frame = None
        if type(data).__module__.split(".")[0] == "geopandas":
            frame = data if geometry is None else data.set_geometry(geometry)
            _check_crs(frame.crs, datum)
            table, lon, lat = _geodataframe_arrow(frame)
            kind, crs, name = "geopandas", frame.crs, "GeoDataFrame"
        else:
            table, kind, crs, name = _arrow_of(data, geometry)
        native = self._native.place_arrow(
            table,
            datum=datum,
            lon=lon,
            lat=lat,
            headers=_headers(headers),
            fix_swapped=fix_swapped,
            footprints=footprints,
            name=name,
        )
        return Placed(native, kind, crs, geometry, frame, (lon, lat, datum))

    def __repr__(self) -> str:
        return repr(self._native)


def _geoarrow_column(table: _pa.Table, name: str) -> _pa.Table:
    """``table`` with its column ``name`` marked as GeoArrow WKB."""
    i = table.schema.get_field_index(name)
    if i < 0:
        raise ColumnError(
            f"no column {name!r}: the columns are {', '.join(table.column_names)}", column=name
        )
    field = table.schema.field(i)
    metadata = dict(field.metadata or {})
    metadata[b"ARROW:extension:name"] = b"geoarrow.wkb"
    return table.cast(table.schema.set(i, field.with_metadata(metadata)))


def _arrow_of(data: Any, geometry: str | None) -> tuple[Any, str, Any, str]:
    """The Arrow stream of ``data``, what kind of table it was, its CRS, and
    how messages name it."""
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        table = _pa.Table.from_pandas(data)
        kind = "pandas"
    elif module == "polars":
        table = data
        kind = "polars"
    elif module == "duckdb":
        table = data.to_arrow_table() if hasattr(data, "to_arrow_table") else data.arrow()
        kind = "arrow"
    elif hasattr(data, "__arrow_c_stream__"):
        table = data
        kind = "arrow"
    else:
        raise TypeError(
            f"cannot place a {type(data).__name__}: give a GeoDataFrame, a DataFrame, a pyarrow "
            "Table, a DuckDB relation, anything with __arrow_c_stream__, or a file's path"
        )
    if geometry is not None:
        table = _geoarrow_column(_pa.table(table), geometry)
    return table, kind, None, type(data).__name__


#: The longitude and latitude columns the reader finds by name.
_LON_LAT_NAMES: list[tuple[str, str]] = _native.LON_LAT_NAMES

#: The columns a GeoDataFrame's point coordinates are handed over in.
_LON, _LAT = "__carrier_quota_lon__", "__carrier_quota_lat__"


def _geodataframe_arrow(frame: Any) -> tuple[_pa.Table, str | None, str | None]:
    """What the reader reads of a GeoDataFrame: its other columns, and its
    points as two columns of coordinates (shapes, or missing and empty
    points, as WKB), with the names of those columns."""
    import pandas
    import shapely

    shapes = frame.geometry.values
    others = pandas.DataFrame(frame.drop(columns=frame.geometry.name))
    table = _pa.Table.from_pandas(others, preserve_index=False)
    if (shapely.get_type_id(shapes) == 0).all():
        xy = shapely.get_coordinates(shapes)
        # An empty point has no coordinates: such a frame goes as WKB.
        if len(xy) == len(shapes):
            table = table.append_column(_LON, _pa.array(xy[:, 0])).append_column(
                _LAT, _pa.array(xy[:, 1])
            )
            return table, _LON, _LAT
    wkb = _pa.array(shapely.to_wkb(shapes), type=_pa.binary())
    field = _pa.field(
        frame.geometry.name, _pa.binary(), metadata={"ARROW:extension:name": "geoarrow.wkb"}
    )
    return table.append_column(field, wkb), None, None


def _check_crs(crs: Any, datum: str | None) -> None:
    """A GeoDataFrame's CRS must be longitude and latitude, and the datum
    of its coordinates given."""
    if crs is None:
        return
    if not crs.is_geographic:
        raise DatumError(
            f"GeoDataFrame: its CRS {crs.to_string()} is projected: carriers are placed by "
            "longitude and latitude, so reproject it first (gdf.to_crs(4326))"
        )
    if datum is None:
        raise DatumError(
            f"GeoDataFrame: its CRS is {crs.to_string()}, which registers in China give to "
            'GCJ-02 and BD-09 coordinates too: pass datum="wgs84", "gcj02" or "bd09"'
        )


class Carriers:
    """Carriers read from a register, with the rows it refused."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.Carriers):
        self._native = native

    def __len__(self) -> int:
        return len(self._native)

    @property
    def datum(self) -> str:
        """The datum of the file's coordinates."""
        return self._native.datum

    @property
    def source(self) -> str:
        """How reports name the data: the file's name."""
        return self._native.source

    @property
    def records_read(self) -> int:
        """Records read: carriers and rejected rows."""
        return self._native.records_read

    @property
    def rejections(self) -> "pandas.DataFrame":
        """The rows refused: ``index`` (from 0), ``row`` (a table's, as a
        spreadsheet numbers it), ``file``, ``sheet``, ``id``, ``column`` (as
        the file writes it) and ``reason``."""
        return _pandas(self._native.rejections_table())

    @property
    def notes(self) -> list[str]:
        """What the read decided for the whole file: its encoding, units,
        sheets, the rows set aside."""
        return self._native.notes()

    def __repr__(self) -> str:
        return f"Carriers({self.source!r}, {len(self)} carriers, {len(self.rejections)} rejected, {self.datum})"


class Placed:
    """Carriers placed in an atlas: every input row with the district and
    zone it counts in. Exports ``__arrow_c_stream__``, so that pyarrow,
    polars and DuckDB take it as it is."""

    __slots__ = ("_native", "_kind", "_crs", "_geometry", "_table", "_frame", "_points")

    def __init__(
        self,
        native: _native.Placed,
        kind: str,
        crs: Any,
        geometry: str | None,
        frame: Any = None,
        points: tuple[str | None, str | None, str | None] = (None, None, None),
    ):
        self._native = native
        self._kind = kind
        self._crs = crs
        self._geometry = geometry
        self._table: _pa.Table | None = None
        #: The GeoDataFrame placed, given back with the placed columns.
        self._frame = frame
        #: A table's longitude and latitude columns as named, and its datum.
        self._points = points

    def __len__(self) -> int:
        """The carriers placed (rejected rows are not carriers)."""
        return len(self._native)

    @property
    def records_read(self) -> int:
        """Rows read: carriers and rejected rows."""
        return self._native.records_read

    @property
    def source(self) -> str:
        """How reports name the data."""
        return self._native.source

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        if self._frame is not None:
            return self.to_arrow().__arrow_c_stream__(requested_schema)
        return self._native.table().__arrow_c_stream__(requested_schema)

    def to_arrow(self) -> _pa.Table:
        """The placed rows as a pyarrow Table: the input's columns (their
        buffers shared, not copied) and ``placed_district``,
        ``placed_zone``, ``placed_by``; for a file, its carriers as the
        command's ``assign --out placed.parquet`` writes them."""
        if self._table is None and self._frame is not None:
            table = _pa.table(self._frame.to_arrow(geometry_encoding="WKB"))
            placed = _pa.table(self._native.placed_columns())
            for name in placed.column_names:
                table = table.append_column(placed.schema.field(name), placed.column(name))
            self._table = table
        if self._table is None:
            self._table = _pa.table(self._native.table())
        return self._table

    def to_pandas(self) -> "pandas.DataFrame":
        """The placed rows as a pandas DataFrame (the input's index kept)."""
        return self.to_arrow().to_pandas()

    def to_polars(self) -> "polars.DataFrame":
        """The placed rows as a polars DataFrame."""
        import polars

        return polars.from_arrow(self.to_arrow())

    def to_geopandas(self) -> "geopandas.GeoDataFrame":
        """The placed rows as a GeoDataFrame: a GeoDataFrame placed comes
        back with its columns, index and CRS; a table of longitudes and
        latitudes with its points; a file's carriers in the atlas's datum.
        A GCJ-02 or BD-09 frame has no CRS (neither has a code), and says
        its datum in ``attrs["datum"]``."""
        import geopandas

        if self._frame is not None:
            frame = self._frame.copy(deep=False)
            placed = _pa.table(self._native.placed_columns()).to_pandas()
            for name in placed.columns:
                frame[name] = placed[name].array
            return frame
        frame = self.to_arrow().to_pandas()
        lon, lat, datum = self._points
        if self._kind == "file":
            datum = self._native.atlas_datum
        crs = "EPSG:4326" if datum == "wgs84" else None
        column = self._geometry or "geometry"
        if column in frame.columns:
            shapes = geopandas.GeoSeries.from_wkb(frame.pop(column), crs=crs, index=frame.index)
        else:
            # A table of coordinates: its points, its columns kept.
            named = [(lon, lat)] if lon and lat else _LON_LAT_NAMES
            found = next(((x, y) for x, y in named if x in frame and y in frame), None)
            if found is None:
                raise ColumnError(
                    f"no geometry column {column!r} and no lon and lat columns: name them",
                    column=column,
                )
            x, y = found
            shapes = geopandas.GeoSeries(
                geopandas.points_from_xy(frame[x], frame[y]), crs=crs, index=frame.index
            )
        frame = geopandas.GeoDataFrame(frame, geometry=shapes)
        frame.attrs["datum"] = datum
        return frame

    @property
    def rejections(self) -> "pandas.DataFrame":
        """The rows refused, by row, with why (see :attr:`Carriers.rejections`)."""
        return _pandas(self._native.rejections_table())

    @property
    def mismatches(self) -> "pandas.DataFrame":
        """Carriers whose declared district is not where they lie:
        ``index`` (the row), ``id``, ``name``, ``declared`` (as written),
        ``declared_code``, ``located`` (null outside every district)."""
        return _pandas(self._native.mismatches_table())

    @property
    def notes(self) -> list[str]:
        """The ``note:`` lines the command prints for this input."""
        return self._native.notes()

    def __repr__(self) -> str:
        return f"Placed({self.source!r}, {len(self)} carriers of {self.records_read} rows)"


class Check:
    """A plan checked on a date: each target's standing, the zones' and the
    districts' totals, and every report the command writes."""

    __slots__ = ("_native", "_tables")

    def __init__(self, native: _native.Check):
        self._native = native
        self._tables: tuple[Any, Any, Any] | None = None

    def _table(self, i: int) -> _pa.Table:
        if self._tables is None:
            self._tables = tuple(_pa.table(t) for t in self._native.tables())
        return self._tables[i]

    @property
    def as_of(self) -> _dt.date:
        """The date checked."""
        return _dt.date.fromisoformat(self._native.as_of)

    @property
    def targets(self) -> "pandas.DataFrame":
        """One row per target: ``id``, ``name``, ``name_en``, ``measure``,
        ``required``, ``actual``, ``gap``, ``percent``, ``baseline``,
        ``expected``, ``deadline``, ``status``, ``reason``, ``part_of``,
        ``district``, ``source`` (``plan``, or how a district's share was
        computed)."""
        return self._table(0).to_pandas()

    @property
    def zones(self) -> "pandas.DataFrame":
        """One row per zone: its code and names, and the carriers open on
        the date: ``carriers``, ``floor_area_m2``, ``enterprises``,
        ``tech_enterprises``."""
        return self._table(1).to_pandas()

    @property
    def districts(self) -> "pandas.DataFrame":
        """One row per district, and one per managed area for the records
        counted in it and in no one district (code ``area``): the rows add
        up to the city."""
        return self._table(2).to_pandas()

    def table(self, name: str) -> _pa.Table:
        """``targets``, ``zones`` or ``districts`` as a pyarrow Table, for
        polars or DuckDB."""
        return self._table(["targets", "zones", "districts"].index(name))

    def to_dict(self) -> dict[str, Any]:
        """The report as ``carrier-quota report --format json`` writes it."""
        return _json.loads(self._native.render("json"))

    def history(self) -> dict[str, Any]:
        """The plan checked at each year end, as ``report --history --format json``."""
        return _json.loads(self._native.history_json())

    def render(
        self,
        format: str,
        *,
        lang: str | None = None,
        district: str | None = None,
        map_measure: str | None = None,
    ) -> bytes:
        """The report as bytes: ``table``, ``json``, ``csv``, ``geojson``,
        ``svg`` (the map), ``png`` (the map as a picture), ``html``,
        ``xlsx`` or ``docx``."""
        return bytes(self._native.render(format, lang, district, map_measure))

    def write(
        self,
        path: PathLike,
        *,
        lang: str | None = None,
        district: str | None = None,
        map_measure: str | None = None,
        bom: bool = True,
    ) -> None:
        """Writes the report in the format the file's extension names:
        ``.html``, ``.xlsx``, ``.docx``, ``.csv``, ``.json``, ``.geojson``,
        ``.svg`` or ``.png`` (the map), ``.txt`` (the table). ``lang`` is
        ``zh``, ``en`` or ``both``; ``district`` narrows it to one
        district's view; ``map_measure`` shades the map by
        ``floor-area``, ``carriers``, ``enterprises`` or
        ``tech-enterprises``. A CSV file begins with a byte-order mark, as
        the command writes it, for Excel; ``bom=False`` leaves it out."""
        self._native.write(_os.fspath(path), lang, district, map_measure, bom)

    def select_sites(
        self,
        candidates: PathLike,
        *,
        candidates_datum: str | None = None,
        exact_limit: int | None = None,
    ) -> dict[str, Any]:
        """The candidate sites that close the plan's floor-area gaps at the
        least total cost, as ``carrier-quota sites --json`` writes them."""
        text = self._native.select_sites(_os.fspath(candidates), candidates_datum, exact_limit)
        return _json.loads(text)

    def __repr__(self) -> str:
        targets = self.targets
        return f"Check(as of {self.as_of}, {len(targets)} targets, {int((targets.status == 'behind').sum())} behind)"


def read_register(
    path: PathLike | Sequence[PathLike],
    *,
    atlas: Atlas | None = None,
    datum: str | None = None,
    sheet: str | Sequence[str] | None = None,
    encoding: str | None = None,
    headers: dict[str, str] | None = None,
    lon: str | None = None,
    lat: str | None = None,
    fix_swapped: bool = False,
    plan: PathLike | dict[str, Any] | None = None,
    overlays: PathLike | None = None,
    overlays_datum: str | None = None,
) -> Carriers:
    """Reads a register as the command reads ``--carriers``: a CSV table
    (UTF-8, GBK or UTF-16, 万平方米 converted), an Excel workbook (every
    sheet that holds a register, merged cells, 小计/合计 rows checked and
    set aside), GeoJSON or (Geo)Parquet; a list of files or a folder is
    read as one register.

    ``datum`` is needed for tables, which do not say it. ``headers`` maps
    headers the reader does not know to properties (``{"载体编号": "id"}``,
    or ``"ignore"``). Rejected rows are in :attr:`Carriers.rejections`,
    with their rows.

    A record's ``overlay`` may name the dual core of Chongqing's plan, an
    overlay the ``plan`` to check declares (a path or a dict), or one of
    an ``overlays`` file: give them as you will give them to :func:`check`,
    as the command reads the register after the plan.
    """
    paths = [path] if isinstance(path, (str, _os.PathLike)) else list(path)
    sheets = [sheet] if isinstance(sheet, str) else list(sheet or [])
    atlas = atlas or Atlas.chongqing()
    native = _native.read_carriers(
        [_os.fspath(p) for p in paths],
        atlas._native,
        datum=datum,
        sheets=sheets,
        encoding=encoding,
        headers=_headers(headers),
        lon=lon,
        lat=lat,
        fix_swapped=fix_swapped,
        overlay_ids=_plan_overlays(plan),
        overlays=None if overlays is None else _os.fspath(overlays),
        overlays_datum=overlays_datum,
    )
    return Carriers(native)


def _plan_overlays(plan: PathLike | dict[str, Any] | None) -> list[str]:
    """The overlay ids a plan (a file or a dict) declares."""
    if plan is None:
        return []
    if not isinstance(plan, dict):
        text = open(plan, "rb").read()
        try:
            plan = _json.loads(text)
        except ValueError:
            import tomllib

            try:
                plan = tomllib.loads(text.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                return []  # check() names what is wrong with it
    return [str(o) for o in plan.get("overlays", [])]


def read_carriers(path: PathLike | Sequence[PathLike], **options: Any) -> Carriers:
    """Reads a GeoJSON or (Geo)Parquet carrier file (or any register, as
    :func:`read_register` does, with the same options)."""
    return read_register(path, **options)


def check(
    placed: Placed,
    plan: PathLike | dict[str, Any] | None = None,
    *,
    as_of: str | _dt.date | None = None,
    split: str | None = None,
    district_targets: PathLike | None = None,
    overlays: PathLike | None = None,
    overlays_datum: str | None = None,
) -> Check:
    """Checks a plan against placed carriers, as ``carrier-quota report``
    does: the built-in 2021–2025 plan by default, or a plan file (TOML or
    JSON), or a plan as a dict. ``as_of`` is the date (the plan's deadline
    by default); ``split`` splits zone targets among districts (``area``,
    ``floor_area``, ``equal`` or a weight table's path);
    ``district_targets`` is a table of targets assigned to districts."""
    plan_path = None
    plan_text = None
    if isinstance(plan, dict):
        plan_text = _json.dumps(plan)
    elif plan is not None:
        plan_path = _os.fspath(plan)
    native = _native.check(
        placed._native,
        plan=plan_path,
        plan_text=plan_text,
        as_of=_date(as_of),
        split=split,
        district_targets=None if district_targets is None else _os.fspath(district_targets),
        overlays=None if overlays is None else _os.fspath(overlays),
        overlays_datum=overlays_datum,
    )
    return Check(native)


def split(
    target: int,
    *,
    zones: Iterable[str] = (),
    districts: Iterable[str] = (),
    weights: str = "area",
    placed: Placed | None = None,
    minimum: dict[str, int] | None = None,
    cap: dict[str, int] | None = None,
    as_of: str | _dt.date | None = None,
    atlas: Atlas | None = None,
) -> "pandas.DataFrame":
    """Splits a whole-number target among the districts of ``zones`` (or
    ``districts``) by ``weights`` (``area``, ``floor_area`` with
    ``placed``, ``equal``, or a weight table's path), with per-district
    minimums and caps, as ``carrier-quota split`` does; largest remainders,
    so the shares add up to the target."""
    import pandas

    atlas = atlas or Atlas.chongqing()
    text = _native.split(
        int(target),
        atlas._native,
        zones=list(zones),
        districts=list(districts),
        weights=weights,
        placed=None if placed is None else placed._native,
        minimum=list((minimum or {}).items()),
        cap=list((cap or {}).items()),
        as_of=_date(as_of),
    )
    return pandas.DataFrame(_json.loads(text))


def select_sites(
    placed: Placed,
    candidates: PathLike,
    *,
    plan: PathLike | dict[str, Any] | None = None,
    as_of: str | _dt.date | None = None,
    split: str | None = None,
    candidates_datum: str | None = None,
    exact_limit: int | None = None,
) -> dict[str, Any]:
    """The candidate sites (a GeoJSON file) that close the plan's
    floor-area gaps at the least total cost, as ``carrier-quota sites``
    chooses them."""
    checked = check(placed, plan, as_of=as_of, split=split)
    return checked.select_sites(
        candidates, candidates_datum=candidates_datum, exact_limit=exact_limit
    )
