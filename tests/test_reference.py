"""zoomcase.reference: the reference tables, their datapackage, the loader and the claim-checker helpers."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate

from zoomcase.paths import REPO_ROOT, data_dir
from zoomcase.reference import TABLES, events, load_reference, revenue, shares_outstanding

SHARED = REPO_ROOT.parent / "shared" / "reference"  # the research drop the tables were written from
# Rows per shared file and per our table; no row lacked a source, so none was dropped. The shared
# enforcement.csv (34 rows) is split into enforcement (Zoom-related, 15) and gdpr_fines (19 precedents).
SHARED_ROWS = {"events": 82, "usage_metrics": 28, "financials": 19, "enforcement": 34}
OUR_ROWS = {"events": 82, "usage_metrics": 28, "financials": 19, "enforcement": 15, "gdpr_fines": 19}


def reference_dir() -> Path:
    return data_dir() / "reference"


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: load_reference(name) for name in TABLES}


@pytest.fixture
def copy_dir(tmp_path: Path) -> Path:
    """A writable copy of data/reference/ to break on purpose."""
    return Path(shutil.copytree(reference_dir(), tmp_path / "reference"))


def test_datapackage_validates() -> None:
    report = validate(reference_dir() / "datapackage.json")
    assert report.valid, report.flatten(["type", "rowNumber", "fieldName", "message"])


def test_datapackage_documents_every_field() -> None:
    package = json.loads((reference_dir() / "datapackage.json").read_text(encoding="utf-8"))
    assert "reworded" in package["description"] and package["provenance"]
    # read by zoomcase.exposure and zoomcase.exposure_views
    exposure_tables = {"provisions", "practices", "practice_provisions", "authorities"}
    names = sorted(resource["name"] for resource in package["resources"])
    assert names == sorted({*TABLES, *exposure_tables})
    for resource in package["resources"]:
        assert resource["sources"] and resource["schema"]["primaryKey"] == ["id"]
        for field in resource["schema"]["fields"]:
            assert field["type"] and field["description"], (resource["name"], field["name"])


def test_row_counts(tables: dict[str, pd.DataFrame]) -> None:
    assert {name: len(table) for name, table in tables.items()} == OUR_ROWS
    assert OUR_ROWS["enforcement"] + OUR_ROWS["gdpr_fines"] == SHARED_ROWS["enforcement"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared research drop not beside the checkout")
def test_shared_facts_carried_over(tables: dict[str, pd.DataFrame]) -> None:
    def shared(name: str) -> list[dict[str, str]]:
        with open(SHARED / f"{name}.csv", newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def ours(name: str, columns: list[str]) -> list[tuple[str, ...]]:
        with open(reference_dir() / f"{name}.csv", newline="", encoding="utf-8") as handle:
            return sorted(tuple(row[c] for c in columns) for row in csv.DictReader(handle))

    assert {name: len(shared(name)) for name in SHARED_ROWS} == SHARED_ROWS
    keys = {
        "events": ["date", "category", "actor", "source_url", "source_title"],
        "usage_metrics": ["metric", "value", "unit", "as_stated", "source_url"],
        "financials": [
            "fiscal_year",
            "period",
            "period_end",
            "revenue_usd",
            "net_income_usd",
            "customers_over_10_employees",
            "shares_outstanding",
            "shares_asof_date",
            "source_url",
        ],
    }
    for name, columns in keys.items():
        assert ours(name, columns) == sorted(tuple(row[c] for c in columns) for row in shared(name)), name
    enforcement = [
        "date",
        "authority_or_court",
        "jurisdiction",
        "subject",
        "legal_basis",
        "status",
        "source_url",
    ]
    assert sorted(ours("enforcement", enforcement) + ours("gdpr_fines", enforcement)) == sorted(
        tuple(row[c] for c in enforcement) for row in shared("enforcement")
    )
    # every URL quoted in a shared note survives in one of our notes
    split = {"enforcement": ["enforcement", "gdpr_fines"]}
    for name in SHARED_ROWS:
        our_notes = " ".join(" ".join(tables[table]["note"].dropna()) for table in split.get(name, [name]))
        for row in shared(name):
            for word in row["note"].split():
                if word.startswith("http"):
                    assert word.rstrip(").,;") in our_notes, (name, word)


def test_every_row_has_a_source(tables: dict[str, pd.DataFrame]) -> None:
    for name, table in tables.items():
        for cell in table["source_url"]:
            assert isinstance(cell, str) and cell.startswith("http"), (name, cell)
            assert all(url.startswith("http") and " " not in url for url in cell.split(" | ")), (name, cell)


def test_ids_unique_and_prefixed(tables: dict[str, pd.DataFrame]) -> None:
    prefixes = {
        "events": "ev-",
        "usage_metrics": "um-",
        "financials": "fin-",
        "enforcement": "enf-",
        "gdpr_fines": "gdpr-",
    }
    for name, table in tables.items():
        assert table["id"].is_unique, name
        assert table["id"].str.startswith(prefixes[name]).all(), name
    assert "ev-2020-03-26-motherboard-facebook-sdk" in set(tables["events"]["id"])


def test_dates_follow_precision(tables: dict[str, pd.DataFrame]) -> None:
    for name, table in tables.items():
        if "date_precision" not in table:
            continue
        coarse = table[table["date_precision"] != "day"]
        assert (coarse["date"].dt.day == 1).all(), name
        assert (coarse.loc[coarse["date_precision"] == "year", "date"].dt.month == 1).all(), name
        assert coarse.loc[coarse["date_precision"] == "quarter", "date"].dt.month.isin([1, 4, 7, 10]).all(), (
            name
        )


def test_unsourced_caveats_kept(tables: dict[str, pd.DataFrame]) -> None:
    fy2020 = tables["financials"].set_index("id").loc["fin-fy2020-fy"]
    assert fy2020["customers_over_10_employees"] == 81_900 and "UNSOURCED" in fy2020["note"]
    memory = tables["events"]["note"].str.contains("from memory", na=False)
    assert memory.sum() == 4


def test_loader_dtypes(tables: dict[str, pd.DataFrame]) -> None:
    for table in tables.values():
        for column in ("date", "period_end", "shares_asof_date"):
            if column in table:
                assert pd.api.types.is_datetime64_any_dtype(table[column]), column
        for column in ("id", "source_url", "note"):
            assert isinstance(table[column].dtype, pd.StringDtype), column
    for name, column in [
        ("usage_metrics", "value"),
        ("financials", "revenue_usd"),
        ("financials", "shares_outstanding"),
        ("enforcement", "amount_usd"),
    ]:
        assert tables[name][column].dtype == "Int64", (name, column)
    assert tables["gdpr_fines"]["amount_eur"].dtype == "float64"
    assert tables["usage_metrics"]["value"].max() == 100_000_000_000  # exact, not via float


def test_share_classes_add_up(tables: dict[str, pd.DataFrame]) -> None:
    shares = tables["financials"].dropna(subset=["shares_outstanding"])
    assert len(shares) == 4
    assert (shares["shares_class_a"] + shares["shares_class_b"] == shares["shares_outstanding"]).all()
    assert all(
        url in row.source_url.split(" | ") for row in shares.itertuples() for url in [row.shares_source_url]
    )


def test_shares_outstanding_2019_year_end_context() -> None:
    assert shares_outstanding(date(2020, 4, 1)) == (
        279_001_616,
        date(2020, 3, 6),
        "http://investors.zoom.us/node/7376/html",
    )
    assert shares_outstanding(date(2020, 3, 6))[0] == 279_001_616  # the as-of day itself counts
    assert shares_outstanding(date(2020, 10, 20))[:2] == (282_102_986, date(2020, 5, 22))


def test_shares_outstanding_before_first_filing() -> None:
    with pytest.raises(ValueError, match=r"no share count as of 2019-08-01 .*earliest is 2019-08-23"):
        shares_outstanding(date(2019, 8, 1))


def test_revenue_by_fiscal_year(tables: dict[str, pd.DataFrame]) -> None:
    assert revenue("FY2021") == 2_651_400_000.0
    assert revenue("FY2020") == 622_700_000.0
    fy2021 = tables["financials"].set_index("id").loc["fin-fy2021-fy"]
    assert fy2021["period_end"] == pd.Timestamp("2021-01-31")  # FY2021 = Feb 2020 - Jan 2021
    with pytest.raises(ValueError, match=r"fiscal year '2021'.*FY2020"):
        revenue("2021")


def test_85m_settlement_is_a_civil_settlement(tables: dict[str, pd.DataFrame]) -> None:
    settlement = tables["enforcement"].set_index("id").loc["enf-2021-07-31-85m-settlement"]
    assert settlement["amount_usd"] == 85_000_000 and settlement["action_type"] == "settlement"
    assert "not a regulatory fine" in settlement["note"]
    assert tables["enforcement"]["amount_usd"].dropna().eq(85_000_000).all()


def test_meeting_participants_are_not_users(tables: dict[str, pd.DataFrame]) -> None:
    metrics = tables["usage_metrics"]
    row = metrics[(metrics["value"] == 200_000_000)].iloc[0]
    assert row["metric"] == "max_daily_meeting_participants" and row["counts"] == "meeting_participants"
    assert "daily users" in row["note"] and "not unique daily users" not in row["note"]
    assert "not a count of unique daily users" in row["definition"]
    correction = metrics.set_index("id").loc["um-2020-04-21-daily-meeting-participants-300m"]
    assert correction["counts"] == "meeting_participants" and "editor's note" in correction["definition"]
    participant_metrics = metrics[metrics["metric"].str.contains("meeting_participants")]
    assert (participant_metrics["counts"] == "meeting_participants").all()
    assert set(metrics["counts"]) == {
        "meeting_participants",
        "users",
        "downloads",
        "customers",
        "schools",
        "meeting_minutes",
    }


def test_events_filter() -> None:
    legal = events(["legal"])
    assert len(legal) == 7 and (legal["category"] == "legal").all()
    assert len(events()) == OUR_ROWS["events"]
    with pytest.raises(ValueError, match=r"unknown event category \['lawsuit'\]"):
        events(["lawsuit"])


def test_unknown_table() -> None:
    with pytest.raises(
        ValueError, match=r"unknown reference table 'prices'; known tables: events, usage_metrics"
    ):
        load_reference("prices")


def test_missing_file(copy_dir: Path) -> None:
    (copy_dir / "financials.csv").unlink()
    with pytest.raises(ValueError, match=r"'financials': file .*financials\.csv is missing"):
        load_reference("financials", copy_dir)
    (copy_dir / "datapackage.json").unlink()
    with pytest.raises(ValueError, match=r"'events': .*datapackage\.json is missing"):
        load_reference("events", copy_dir)


def _rewrite(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows = change(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_missing_column(copy_dir: Path) -> None:
    _rewrite(
        copy_dir / "usage_metrics.csv",
        lambda rows: [{k: v for k, v in r.items() if k != "counts"} for r in rows],
    )
    with pytest.raises(
        ValueError, match=r"'usage_metrics' \(.*usage_metrics\.csv\): missing column\(s\) \['counts'\]"
    ):
        load_reference("usage_metrics", copy_dir)


@pytest.mark.parametrize(
    ("table", "column", "value", "message"),
    [
        (
            "events",
            "date",
            "2020-02-30",
            r"row 3 \(id 'ev-.*'\), column 'date': cannot read '2020-02-30' as date",
        ),
        (
            "financials",
            "revenue_usd",
            "622.7M",
            r"row 3 \(id 'fin-fy2020-q4'\), column 'revenue_usd': cannot read '622.7M'",
        ),
        ("usage_metrics", "value", "1.5", r"column 'value': cannot read '1.5' as integer"),
        ("gdpr_fines", "amount_eur", "EUR 50M", r"column 'amount_eur': cannot read 'EUR 50M' as number"),
        ("enforcement", "source_url", "", r"row 3 .*column 'source_url': required value is empty"),
        # constraints of the schema beyond types
        (
            "events",
            "category",
            "Legal",
            r"row 3 .*column 'category': 'Legal' is not one of 'privacy', 'security'",
        ),
        # Table Schema patterns match the whole value: "global" alone would match the start of this one
        (
            "events",
            "jurisdiction",
            "globally",
            r"row 3 .*column 'jurisdiction': 'globally' does not match the pattern",
        ),
        ("usage_metrics", "date_precision", "", r"row 3 .*column 'date_precision': required value is empty"),
        ("financials", "fiscal_year", "FY2021 ", r"row 3 .*column 'fiscal_year': 'FY2021 ' does not match"),
    ],
)
def test_a_bad_cell_is_named(copy_dir: Path, table: str, column: str, value: str, message: str) -> None:
    def spoil(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        rows[2][column] = value
        return rows

    _rewrite(copy_dir / f"{table}.csv", spoil)
    with pytest.raises(ValueError, match=rf"reference table '{table}' .*{message}"):
        load_reference(table, copy_dir)


def _first_row(column: str, value: str):
    def spoil(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        rows[0][column] = value
        return rows

    return spoil


def _repeat_first_id(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[-1]["id"] = rows[0]["id"]
    return rows


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        # the loader's own check, on the cells as read
        (_first_row("source_url", ""), "row 1 (id {first!r}), column 'source_url': required value is empty"),
        # pandera's, on the typed table
        (_first_row("amount_eur", "-1"), "column 'amount_eur', row 1 (id {first!r}): value -1.0 fails"),
        (_repeat_first_id, "row 19 (id {first!r}), column 'id': {first!r} is also in row 1"),
    ],
)
def test_rows_numbered_alike_by_both_checks(copy_dir: Path, spoil, expected: str) -> None:
    path = copy_dir / "gdpr_fines.csv"
    first = pd.read_csv(path, dtype=str)["id"].iloc[0]
    _rewrite(path, spoil)
    with pytest.raises(ValueError) as info:
        load_reference("gdpr_fines", copy_dir)
    message = str(info.value)
    assert message.startswith(f"reference table 'gdpr_fines' ({path}; row 1 is the first under the header)")
    assert expected.format(first=first) in message and "row 0" not in message


def _restate_fy2021(new_id: str):
    def restate(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        fy2021 = next(row for row in rows if row["id"] == "fin-fy2021-fy")
        return [*rows, {**fy2021, "id": new_id, "revenue_usd": "2700000000"}]

    return restate


def test_second_full_year_row_refused(copy_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _rewrite(copy_dir / "financials.csv", _restate_fy2021("fin-fy2026-fy"))  # an id that fits the pattern
    monkeypatch.setenv("ZOOMCASE_DATA", str(copy_dir.parent))
    with pytest.raises(ValueError) as info:
        revenue("FY2021")
    message = str(info.value)
    assert message.startswith(f"reference table 'financials' ({copy_dir / 'financials.csv'};")
    assert "column 'fiscal_year', row 9 (id 'fin-fy2021-fy'): value 'FY2021' fails" in message
    assert "column 'period', row 20 (id 'fin-fy2026-fy'): value 'FY' fails" in message
    assert "To fix: two rows have the same fiscal_year and period: keep one of them" in message


def test_restated_row_id_must_fit_its_pattern(copy_dir: Path) -> None:
    _rewrite(copy_dir / "financials.csv", _restate_fy2021("fin-fy2021-fy-restated"))
    with pytest.raises(ValueError, match=r"row 20 \(id 'fin-fy2021-fy-restated'\), column 'id': .* pattern"):
        load_reference("financials", copy_dir)
