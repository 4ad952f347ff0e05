"""Reference facts for checking the corpus's claims: typed tables read from ``data/reference/``.

The CSVs are the zoomcase authors' rewording of researched public pages (every row names its source);
their Table Schemas live in ``datapackage.json``. Types come from that schema rather than from code, so the
two cannot drift apart; frictionless validates the package in the tests and is not needed at runtime.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from zoomcase.paths import data_dir
from zoomcase.schemas import validate

TABLES = ("events", "usage_metrics", "financials", "enforcement", "gdpr_fines")
PACKAGE = "datapackage.json"


def _resource(name: str, directory: Path) -> dict:
    """The datapackage resource describing table ``name``."""
    if name not in TABLES:
        raise ValueError(f"unknown reference table {name!r}; known tables: {', '.join(TABLES)}")
    package_path = directory / PACKAGE
    if not package_path.is_file():
        raise ValueError(f"reference table {name!r}: {package_path} is missing")
    resources = json.loads(package_path.read_text(encoding="utf-8"))["resources"]
    for resource in resources:
        if resource["name"] == name:
            return resource
    raise ValueError(f"reference table {name!r} is not described in {package_path}")


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
    directory = Path(directory) if directory is not None else data_dir() / "reference"
    resource = _resource(name, directory)
    path = directory / resource["path"]
    if not path.is_file():
        raise ValueError(f"reference table {name!r}: file {path} is missing")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    fields = resource["schema"]["fields"]
    expected = [field["name"] for field in fields]
    missing = [column for column in expected if column not in raw.columns]
    extra = [column for column in raw.columns if column not in expected]
    if missing or extra:
        raise ValueError(
            f"reference table {name!r} ({path}): missing column(s) {missing}, unexpected column(s) {extra}"
        )
    table = pd.DataFrame(index=raw.index)
    for field in fields:
        column, cells = field["name"], raw[field["name"]].replace("", pd.NA)
        typed = _typed(cells, field["type"])
        problems = [(cells.notna() & typed.isna(), f"cannot read {{value!r}} as {field['type']}")]
        if field.get("constraints", {}).get("required"):
            problems.append((cells.isna(), "required value is empty"))
        for mask, problem in problems:
            if mask.any():
                row = int(mask.to_numpy().nonzero()[0][0])
                value, row_id = raw.iloc[row][column], raw.iloc[row].get("id", "?")
                raise ValueError(
                    f"reference table {name!r} ({path}), row {row + 1} (id {row_id!r}), column {column!r}: "
                    + problem.format(value=value)
                )
        table[column] = typed
    validate(name, table)
    return table


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
