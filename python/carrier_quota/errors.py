"""The exceptions carrier_quota raises, one class per kind a caller may catch.

Every message is the command's own: the input's name first, then what is
wrong and how to fix it. ``row`` and ``column`` say where, when the error is
about one row or one column::

    try:
        carriers = read_register("register.csv")
    except DatumError as e:      # no datum given, or two that differ
        ...
    except ColumnError as e:     # e.column: a column missing or unusable
        ...
    except ReadError as e:       # anything else about the input, e.row
        ...
"""

from __future__ import annotations

__all__ = [
    "CarrierQuotaError",
    "ReadError",
    "MissingFileError",
    "DatumError",
    "ColumnError",
    "LimitError",
    "RegionError",
    "PlanError",
]


class CarrierQuotaError(Exception):
    """Any error of carrier_quota."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        #: The row the error is about: a table's as a spreadsheet numbers it
        #: (the header is row 1), a feature's from 0.
        self.row = row
        #: The column the error is about, as the file writes it.
        self.column = column


class ReadError(CarrierQuotaError, ValueError):
    """An input that cannot be read as it is: a file, a table, a DataFrame."""


class MissingFileError(ReadError, FileNotFoundError):
    """A file that does not exist."""


class DatumError(ReadError):
    """No datum given for coordinates, an unknown one, or two that differ."""


class ColumnError(ReadError):
    """A column missing, given twice, of a type no value of which is valid,
    or in a unit the reader cannot use; or no geometry at all."""


class LimitError(ReadError):
    """An input past a limit: too many rows, a workbook too large."""


class RegionError(ReadError):
    """A region file whose regions cannot make an atlas."""


class PlanError(CarrierQuotaError, ValueError):
    """A plan, a district targets table, a weight table or a split that
    cannot be used."""
