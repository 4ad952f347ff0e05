"""Reference facts for checking the corpus's claims: typed tables read from ``data/reference/``.

The CSVs are the zoomcase authors' rewording of researched public pages (every row names its source);
their Table Schemas live in ``datapackage.json``. Types and constraints come from that schema rather than
from code, so the two cannot drift apart. Users edit these CSVs, so every table is checked against its
schema on load (``read_cells``): a bad edit stops with a ValueError naming the table, file, row and column
instead of becoming a wrong number further on. frictionless validates the package in the tests and is not
needed at runtime.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from zoomcase.paths import data_dir
from zoomcase.schemas import validate

TABLES = ("events", "usage_metrics", "financials", "enforcement", "gdpr_fines")
PACKAGE = "datapackage.json"
# Rows are counted among the data rows rather than as file lines: a quoted cell may span lines.
ROWS_COUNTED = "row 1 is the first under the header"

Problem = tuple[str, pd.Series, Callable[[str], str]]  # column, mask of bad cells, what is wrong with a value


def _resource(name: str, directory: Path) -> dict:
    """The datapackage resource describing table ``name``."""
    package_path = directory / PACKAGE
    if not package_path.is_file():
        raise ValueError(f"reference table {name!r}: {package_path} is missing")
    resources = json.loads(package_path.read_text(encoding="utf-8"))["resources"]
    for resource in resources:
        if resource["name"] == name:
            return resource
    raise ValueError(f"reference table {name!r} is not described in {package_path}")


@dataclass(frozen=True)
class Cells:
    """A table as written in its CSV (strings, "" where empty) with what its messages need to name it."""

    name: str
    path: Path
    fields: list[dict]
    frame: pd.DataFrame

    @property
    def source(self) -> str:
        return f"reference table {self.name!r} ({self.path}; {ROWS_COUNTED})"

    def row(self, position: Hashable) -> str:
        """A data row as messages name it: counted from 1 under the header, with its id to search for."""
        return f"row {int(position) + 1} (id {self.frame['id'].iloc[int(position)]!r})"

    def error(self, position: int, column: str, problem: str) -> ValueError:
        return ValueError(f"{self.source}, {self.row(position)}, column {column!r}: {problem}")


@cache
def _whole(pattern: str) -> re.Pattern:
    """A Table Schema pattern, compiled once; used with fullmatch, as XML Schema regexes are anchored."""
    return re.compile(pattern)


def _field_problems(field: dict, cells: pd.Series) -> list[Problem]:
    """The constraints of one field that its cells can break, in the order they are reported."""
    constraints, given = field.get("constraints", {}), cells != ""
    problems: list[tuple[pd.Series, Callable[[str], str]]] = []
    if constraints.get("required"):
        problems.append((~given, lambda value: "required value is empty: fill it in"))
    if "enum" in constraints:
        allowed = constraints["enum"]
        listed = ", ".join(map(repr, allowed))
        problems.append((given & ~cells.isin(allowed), lambda value: f"{value!r} is not one of {listed}"))
    if "pattern" in constraints:
        pattern = _whole(constraints["pattern"])
        fits = cells.map(lambda value: pattern.fullmatch(value) is not None).astype(bool)
        problems.append(
            (
                given & ~fits,
                lambda value: f"{value!r} does not match the pattern {pattern.pattern!r} as a whole",
            )
        )
    if constraints.get("unique"):

        def repeated(value: str) -> str:
            first = int((cells == value).to_numpy(dtype=bool).argmax())
            return f"{value!r} is also in row {first + 1}: each value may appear only once in this column"

        problems.append((given & cells.duplicated(), repeated))
    return [(field["name"], bad, describe) for bad, describe in problems]


def _foreign_key_problems(schema: dict, frame: pd.DataFrame, directory: Path) -> list[Problem]:
    """Each foreignKey of the schema (single fields, as in datapackage.json): every non-empty value must be
    a key of the referenced table of the same package."""
    problems: list[Problem] = []
    for key in schema.get("foreignKeys", []):
        column, target = key["fields"], key["reference"]
        referenced = read_cells(target["resource"], directory)
        where = f"column {target['fields']!r} of reference table {referenced.name!r} ({referenced.path})"
        bad = (frame[column] != "") & ~frame[column].isin(referenced.frame[target["fields"]])
        problems.append((column, bad, lambda value, where=where: f"{value!r} is not in {where}: correct it"))
    return problems


def read_cells(name: str, directory: Path | None = None) -> Cells:
    """Table ``name`` of the datapackage as written: strings, "" where empty, columns in schema order.

    Checks the columns and every constraint the schema declares (required, unique, enum, whole-value
    pattern, foreign keys into the package's other tables) and raises ValueError naming the table, file,
    row and column of the first bad cell and what to fix.
    """
    directory = Path(directory) if directory is not None else data_dir() / "reference"
    resource = _resource(name, directory)
    path = directory / resource["path"]
    if not path.is_file():
        raise ValueError(f"reference table {name!r}: file {path} is missing")
    frame = pd.read_csv(path, dtype="string", keep_default_na=False, encoding="utf-8").fillna("")
    fields = resource["schema"]["fields"]
    expected = [field["name"] for field in fields]
    missing = [column for column in expected if column not in frame.columns]
    extra = [column for column in frame.columns if column not in expected]
    if missing or extra:
        raise ValueError(
            f"reference table {name!r} ({path}): missing column(s) {missing}, unexpected column(s) {extra}"
        )
    cells = Cells(name, path, fields, frame[expected])
    problems = [problem for field in fields for problem in _field_problems(field, cells.frame[field["name"]])]
    for column, bad, describe in problems + _foreign_key_problems(resource["schema"], cells.frame, directory):
        if bad.any():
            position = int(bad.to_numpy(dtype=bool).argmax())
            raise cells.error(position, column, describe(cells.frame[column].iloc[position]))
    return cells


def _typed(cells: pd.Series, field_type: str) -> pd.Series:
    """Cells (strings, NA where empty) as the pandas dtype for a Table Schema type; NA where unparseable."""
    if field_type == "string":
        return cells.astype("string")
    if field_type == "date":
        return pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
    if field_type == "number":
        return pd.to_numeric(cells, errors="coerce").astype("float64")
    if field_type == "integer":
        # via Python int, not float, so large counts stay exact
        whole = cells.where(cells.str.fullmatch(r"[+-]?\d+").fillna(False))
        return whole.map(int, na_action="ignore").astype("Int64")
    raise ValueError(f"Table Schema type {field_type!r} is not supported by zoomcase.reference")


def load_reference(name: str, directory: Path | None = None) -> pd.DataFrame:
    """Table ``name`` typed by its schema: dates datetime64, integers Int64, numbers float, text string.

    Raises ValueError naming the table, file, row and column for anything that does not match the schema.
    """
    if name not in TABLES:
        raise ValueError(f"unknown reference table {name!r}; known tables: {', '.join(TABLES)}")
    cells = read_cells(name, directory)
    table = pd.DataFrame(index=cells.frame.index)
    for field in cells.fields:
        column, given = field["name"], cells.frame[field["name"]].replace("", pd.NA)
        typed = _typed(given, field["type"])
        unreadable = given.notna() & typed.isna()
        if unreadable.any():
            position = int(unreadable.to_numpy(dtype=bool).argmax())
            raise cells.error(position, column, f"cannot read {given.iloc[position]!r} as {field['type']}")
        table[column] = typed
    return validate(name, table, source=cells.source, row=cells.row)


def shares_outstanding(on: date) -> tuple[int, date, str]:
    """(count, as-of date, URL) of Class A + B shares from the latest cover page dated on or before ``on``.

    Market-cap claims are price x shares, and cover-page counts are the only sourced share counts we hold.
    """
    financials = load_reference("financials").dropna(subset=["shares_outstanding"])
    known = financials[financials["shares_asof_date"] <= pd.Timestamp(on)]
    if known.empty:
        earliest = financials["shares_asof_date"].min().date()
        raise ValueError(f"no share count as of {on} or earlier in financials (earliest is {earliest})")
    row = known.loc[known["shares_asof_date"].idxmax()]
    return int(row["shares_outstanding"]), row["shares_asof_date"].date(), str(row["shares_source_url"])


def revenue(fiscal_year: str) -> float:
    """Total revenue in USD for a Zoom fiscal year such as ``"FY2021"``.

    Zoom's fiscal year ends on 31 January and is named after the calendar year it ends in:
    FY2021 = 1 Feb 2020 to 31 Jan 2021, so a claim about calendar 2020 needs that shift in mind.
    """
    financials = load_reference("financials")
    match = financials[(financials["fiscal_year"] == fiscal_year) & (financials["period"] == "FY")]
    if match.empty or pd.isna(match["revenue_usd"].iloc[0]):
        known = ", ".join(financials.loc[financials["period"] == "FY", "fiscal_year"].dropna())
        raise ValueError(
            f"no full-year revenue for fiscal year {fiscal_year!r} in financials; known: {known}"
        )
    return float(match["revenue_usd"].iloc[0])


def events(categories: list[str] | None = None) -> pd.DataFrame:
    """The timeline in date order, optionally only some categories (privacy, security, regulatory, ...)."""
    timeline = load_reference("events")
    if categories is None:
        return timeline
    fields = _resource("events", data_dir() / "reference")["schema"]["fields"]
    allowed = next(field for field in fields if field["name"] == "category")["constraints"]["enum"]
    unknown = sorted(set(categories) - set(allowed))
    if unknown:
        raise ValueError(f"unknown event category {unknown}; known categories: {', '.join(allowed)}")
    return timeline[timeline["category"].isin(categories)].reset_index(drop=True)
