"""The extension module under carrier_quota: the library's types as the
package's classes use them. Tables come back as Arrow tables that export
``__arrow_c_stream__`` (pass them to ``pyarrow.table``)."""

from typing import Any, Sequence

import numpy as np
import numpy.typing as npt

__version__: str
LON_LAT_NAMES: list[tuple[str, str]]

class _ArrowTable:
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...
    def __arrow_c_schema__(self) -> Any: ...

class Atlas:
    @staticmethod
    def chongqing() -> Atlas: ...
    @staticmethod
    def from_file(
        path: str,
        code_property: str,
        name_property: str | None = None,
        parent_property: str | None = None,
        parent_prefix: int | None = None,
        datum: str | None = None,
    ) -> Atlas: ...
    @property
    def name(self) -> str: ...
    @property
    def datum(self) -> str: ...
    @property
    def issues(self) -> list[str]: ...
    def districts_table(self) -> _ArrowTable: ...
    def boundaries_table(self) -> _ArrowTable: ...
    def zones_table(self) -> _ArrowTable: ...
    def locate(
        self, x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], datum: str
    ) -> npt.NDArray[np.int32]: ...
    def place_arrow(
        self,
        data: Any,
        datum: str | None = None,
        lon: str | None = None,
        lat: str | None = None,
        headers: Sequence[tuple[str, str]] = (),
        fix_swapped: bool = False,
        footprints: str = "surface-point",
        name: str | None = None,
    ) -> Placed: ...
    def place_carriers(self, carriers: Carriers, footprints: str = "surface-point") -> Placed: ...

class Carriers:
    def __len__(self) -> int: ...
    @property
    def datum(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def records_read(self) -> int: ...
    def rejections_table(self) -> _ArrowTable: ...
    def notes(self) -> list[str]: ...

class Placed:
    def __len__(self) -> int: ...
    @property
    def source(self) -> str: ...
    @property
    def records_read(self) -> int: ...
    @property
    def atlas_datum(self) -> str: ...
    def table(self) -> _ArrowTable: ...
    def rejections_table(self) -> _ArrowTable: ...
    def mismatches_table(self) -> _ArrowTable: ...
    def notes(self) -> list[str]: ...

class Check:
    @property
    def as_of(self) -> str: ...
    def tables(self) -> tuple[_ArrowTable, _ArrowTable, _ArrowTable]: ...
    def render(
        self,
        format: str,
        lang: str | None = None,
        district: str | None = None,
        map_measure: str | None = None,
    ) -> bytes: ...
    def write(
        self,
        path: str,
        lang: str | None = None,
        district: str | None = None,
        map_measure: str | None = None,
        bom: bool = True,
    ) -> None: ...
    def history_json(self) -> str: ...
    def select_sites(
        self, candidates: str, candidates_datum: str | None = None, exact_limit: int | None = None
    ) -> str: ...

def read_carriers(
    paths: Sequence[str],
    atlas: Atlas,
    datum: str | None = None,
    sheets: Sequence[str] = (),
    encoding: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
    lon: str | None = None,
    lat: str | None = None,
    fix_swapped: bool = False,
    overlay_ids: Sequence[str] = (),
    overlays: str | None = None,
    overlays_datum: str | None = None,
) -> Carriers: ...
def check(
    placed: Placed,
    plan: str | None = None,
    plan_text: str | None = None,
    as_of: str | None = None,
    split: str | None = None,
    district_targets: str | None = None,
    overlays: str | None = None,
    overlays_datum: str | None = None,
) -> Check: ...
def split(
    target: int,
    atlas: Atlas,
    zones: Sequence[str] = (),
    districts: Sequence[str] = (),
    weights: str = "area",
    placed: Placed | None = None,
    minimum: Sequence[tuple[str, int]] = (),
    cap: Sequence[tuple[str, int]] = (),
    as_of: str | None = None,
) -> str: ...
