"""core.jsdate against what Node's `new Date(text)` gave for the same texts (TZ=UTC): the forms
Medusa's date validators accept, and those it refuses (then read as seconds, or invalid)."""

from __future__ import annotations

import pytest

from mercato.core import jsdate
from mercato.core.validation import to_date

# text -> milliseconds since the epoch, as Node 18 printed them
DATES = {
    "01-26-1990": 633312000000,
    "2000/01/26": 948844800000,
    "26 January 1997": 854236800000,
    "Jan 26 2000": 948844800000,
    "2000-1-2": 946771200000,
    "2026-12": 1796083200000,
    "Sat Nov 28 2026": 1795824000000,
    "11/28/2026": 1795824000000,
    "2027": 1798761600000,
    "2020-01-01Z": 1577836800000,
    "2020-01-01T10:00": 1577872800000,
    "2020-01-01T10:00:00.123+02:00": 1577865600123,
    "2020-01-01T10:00:00+0100": 1577869200000,
    "2020-01-01t10:00:00z": 1577872800000,
    "2021-02-31": 1614729600000,
    "2020-01-01T24:00": 1577923200000,
    "1.5": 978652800000,
    "32": 1956528000000,
    "2020 5": 1588291200000,
    "Jan 26": 980467200000,
    "12/25/95": 819849600000,
    "10/20/2020 3:04 PM": 1603206240000,
    "10:00 2020-01-01": 1577872800000,
    "Mon, 25 Dec 1995 13:30:00 +0430": 819882000000,
    "Tue Nov 28 2026 10:00:00 GMT+0100 (Central European Standard Time)": 1795856400000,
    "Jan 26 2000 10:00:00 PST": 948909600000,
}
INVALID = ["2021-13-01", "2020-01-01T25:00", "abc", "25/12/1995", "5 2020", "2020-1-1T10:00", "2020-01-01 10"]


@pytest.mark.parametrize(("text", "millis"), DATES.items())
def test_parses_as_node_does(text: str, millis: int) -> None:
    parsed = jsdate.parse(text)
    assert parsed is not None
    assert round(parsed.timestamp() * 1000) == millis


@pytest.mark.parametrize("text", INVALID)
def test_invalid_as_node_says(text: str) -> None:
    assert jsdate.parse(text) is None


def test_to_date_falls_back_to_seconds_then_refuses() -> None:
    # `new Date("1700000000")` is a year beyond range: Medusa then reads seconds
    assert to_date("1700000000").timestamp() == 1700000000
    assert to_date("0x10").timestamp() == 16
    assert to_date("nope") == "nope"
    assert to_date("13") == jsdate.from_seconds("13")
