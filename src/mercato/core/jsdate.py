"""What JavaScript's `new Date(text)` (V8, as Node runs Medusa) makes of a string.

Medusa's date validators (utils/validators/date-transform.ts) take any text `new Date()` accepts,
and only when it does not, read the text as seconds since the epoch (`Number(text) * 1000`). So
clients send, and Medusa's own tests use, forms such as `01-26-1990` (month first), `2000/01/26`,
`Jan 26 2000` or a bare year `2027`, next to ISO 8601. This module follows V8's two parsers: the
ISO one (a date-only form is UTC) and the legacy one it falls back to. Times without an offset
are read as UTC (the server's zone, where Medusa runs in UTC).

A year beyond Python's range (V8 accepts up to 275760) is clamped to datetime's own limits,
which compare the same way for the filters these dates feed.
"""

from __future__ import annotations

import datetime
import math
import re

UTC = datetime.UTC
_MAX_MS = 8.64e15  # ECMAScript's time value range: ±100,000,000 days around the epoch

_ISO = re.compile(
    r"(?P<y>[+-]\d{6}|\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?"
    r"(?:[Tt](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d+))?)?)?"
    r"(?P<z>[Zz]|[+-]\d{2}:?\d{2})?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ZONES = {"ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5}
_ZONES |= {"mst": -7, "mdt": -6, "pst": -8, "pdt": -7}
_TOKEN = re.compile(r"\s+|\([^)]*\)?|\d+|[A-Za-z]+|.", re.S)


def _from_parts(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    ms: int = 0,
    offset: int = 0,
) -> datetime.datetime | None:
    """MakeDate over possibly overflowing parts (V8 takes day 31 of February as March's 3rd),
    minus `offset` minutes; None outside ECMAScript's range."""
    years, month0 = divmod(month - 1, 12)
    year += years
    # days from the epoch to the first of the month (proleptic Gregorian, any year)
    days = _days_from_civil(year, month0 + 1) + day - 1
    millis = (((days * 24 + hour) * 60 + minute - offset) * 60 + second) * 1000 + ms
    if abs(millis) > _MAX_MS:
        return None
    return from_millis(millis)


def _days_from_civil(year: int, month: int) -> int:
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def from_millis(millis: float) -> datetime.datetime:
    """A JavaScript time value as an aware datetime (clamped to Python's years 1 to 9999)."""
    try:
        return datetime.datetime(1970, 1, 1, tzinfo=UTC) + datetime.timedelta(milliseconds=int(millis))
    except OverflowError:
        return (
            datetime.datetime.max.replace(tzinfo=UTC)
            if millis > 0
            else datetime.datetime.min.replace(tzinfo=UTC)
        )


def _iso(text: str) -> datetime.datetime | None:
    m = _ISO.fullmatch(text)
    if m is None:
        return None
    year = int(m["y"])
    if m["y"] == "-000000":
        return None
    month = int(m["m"] or 1)
    day = int(m["d"] or 1)
    hour, minute, second = int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0)
    ms = int((m["f"] or "0")[:3].ljust(3, "0"))
    if not (1 <= month <= 12 and 1 <= day <= 31 and minute <= 59 and second <= 59):
        return None
    if hour > 24 or (hour == 24 and (minute or second or ms)):
        return None
    if m["H"] is not None and m["M"] is None:
        return None
    offset = 0
    zone = m["z"]
    if zone and zone not in "Zz":
        zh, zm = int(zone[1:3]), int(zone[-2:])
        if zh > 23 or zm > 59:
            return None
        offset = (zh * 60 + zm) * (1 if zone[0] == "+" else -1)
    return _from_parts(year, month, day, hour, minute, second, ms, offset)


def _legacy(text: str) -> datetime.datetime | None:
    """V8's legacy parser, for the forms clients send: numbers joined by - / . , or spaces
    (month first unless the first cannot be a day), month names, weekday and other words before
    the first number, hh:mm[:ss[.mmm]], AM/PM, UTC/GMT/Z and ±hhmm offsets."""
    tokens = [t for t in _TOKEN.findall(text) if not t.isspace() and not t.startswith("(")]
    comps: list[int] = []
    month_name: int | None = None
    time: list[int] | None = None
    ms = 0
    ampm: str | None = None
    offset: int | None = None
    seen_number = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok.isdigit():
            seen_number = True
            if nxt == ":" and time is None:
                # hh:mm[:ss[.mmm]]
                parts = [int(tok)]
                i += 1
                while i < len(tokens) and tokens[i] == ":" and len(parts) < 3:
                    if i + 1 >= len(tokens) or not tokens[i + 1].isdigit():
                        return None
                    parts.append(int(tokens[i + 1]))
                    i += 2
                if i + 1 < len(tokens) and tokens[i] == "." and tokens[i + 1].isdigit() and len(parts) == 3:
                    ms = int(tokens[i + 1][:3].ljust(3, "0"))
                    i += 2
                time = parts + [0] * (3 - len(parts))
                continue
            if len(comps) == 3:
                return None
            comps.append(int(tok))
            # V8 takes a "-" right after a date number as a separator, never as an offset's sign
            i += 2 if nxt == "-" else 1
            continue
        if tok in "+-" and (time is not None or offset is not None) and nxt.isdigit():
            # an offset after the time (or after UTC/GMT): +hh, +hhmm or +hh:mm
            sign = 1 if tok == "+" else -1
            i += 2
            if len(nxt) <= 2:
                hours, minutes = int(nxt), 0
                if i + 1 < len(tokens) and tokens[i] == ":" and tokens[i + 1].isdigit():
                    minutes = int(tokens[i + 1])
                    i += 2
            else:
                hours, minutes = divmod(int(nxt), 100)
            offset = sign * (hours * 60 + minutes)
            continue
        if tok.isalpha():
            word = tok.lower()
            if word in ("am", "pm"):
                ampm = word
            elif word in _ZONES:
                offset = _ZONES[word] * 60
            elif len(word) >= 3 and word[:3] in _MONTHS:
                month_name = _MONTHS.index(word[:3]) + 1
            elif seen_number:
                return None  # V8: an unknown word after a number makes the text invalid
            i += 1
            continue
        if tok in "-/.,":
            i += 1
            continue
        return None
    if not comps:
        return None
    year, month, day = _compose(comps, month_name)
    if year is None:
        return None
    hour, minute, second = time or (0, 0, 0)
    if ampm is not None:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 24 or minute > 59 or second > 59 or (hour == 24 and (minute or second)):
        return None
    return _from_parts(year, month, day, hour, minute, second, ms, offset or 0)


def _compose(comps: list[int], month_name: int | None) -> tuple[int | None, int, int]:
    """V8's DayComposer: which number is the year, the month and the day."""
    count = len(comps)
    comps = comps + [1] * (3 - count)
    year: int | None
    if month_name is None:
        if not 1 <= comps[0] <= 31:
            year, month, day = comps[0], comps[1], comps[2]
        else:
            month, day = comps[0], comps[1]
            year = comps[2] if count == 3 else 2001
    else:
        month = month_name
        if not 1 <= comps[0] <= 31:
            year, day = comps[0], comps[1]
        elif count == 1:
            day, year = comps[0], 2001
        else:
            day, year = comps[0], comps[1]
    if year is not None:
        if 0 <= year <= 49:
            year += 2000
        elif 50 <= year <= 99:
            year += 1900
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None, month, day
    return year, month, day


def parse(text: str) -> datetime.datetime | None:
    """`new Date(text)` as an aware datetime, or None where JavaScript gives an Invalid Date."""
    text = text.strip()
    if not text:
        return None
    return _iso(text) or _legacy(text)


def js_number(text: str) -> float:
    """JavaScript's Number(text) for a string (NaN when it is not a number)."""
    s = text.strip()
    if not s:
        return 0.0
    try:
        if re.fullmatch(r"0[xX][0-9a-fA-F]+", s):
            return float(int(s, 16))
        if re.fullmatch(r"0[oO][0-7]+", s):
            return float(int(s, 8))
        if re.fullmatch(r"0[bB][01]+", s):
            return float(int(s, 2))
        if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?Infinity", s):
            return float(s.replace("Infinity", "inf"))
    except ValueError:
        pass
    return math.nan


def from_seconds(text: str) -> datetime.datetime | None:
    """`new Date(Number(text) * 1000)`, or None for an Invalid Date."""
    millis = js_number(text) * 1000
    if math.isnan(millis) or abs(millis) > _MAX_MS:
        return None
    return from_millis(math.trunc(millis))


__all__ = ["from_millis", "from_seconds", "js_number", "parse"]
