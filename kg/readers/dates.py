"""Turn the dates sources give (`Mar 14`, `2024-03-14T09:00:00Z`, `Mon, 2 Apr 2007 ...`) into ISO 8601."""

from __future__ import annotations

import re
from datetime import datetime

__all__ = ["iso_date", "month_number", "LISTING_DATE"]

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
# Full names and three-letter abbreviations (plus `sept`), so `Junk 3` is not a date.
_MONTHS = {**{name: n for n, name in enumerate(_MONTH_NAMES, 1)},
           **{name[:3]: n for n, name in enumerate(_MONTH_NAMES, 1)}, "sept": 9}

# A daily-listing date line: month name and day, no year (`Mar 14`, `March 14`).
LISTING_DATE = re.compile(r"^(?P<month>[A-Z][a-z]{2,8})\.? (?P<day>\d{1,2})$")
_ISO = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?(?:[T ].*)?$")
_NO_YEAR = re.compile(r"^--(?P<month>\d{2})-(?P<day>\d{2})$")  # what we write for `Mar 14`
_DAY_MONTH_YEAR = re.compile(r"(?P<day>\d{1,2}) (?P<month>[A-Za-z]{3,9})\.? (?P<year>\d{4})")
_MONTH_DAY_YEAR = re.compile(r"(?P<month>[A-Za-z]{3,9})\.? (?P<day>\d{1,2}),? (?P<year>\d{4})")


def _month(name: str) -> int | None:
    return _MONTHS.get(name.lower())


def month_number(value: object) -> int | None:
    """The month (1-12) of a name, abbreviation or number such as BibTeX's ``month`` field.

    Examples
    --------
    >>> month_number("nov"), month_number("September"), month_number("3"), month_number("13")
    (11, 9, 3, None)
    """
    text = str(value or "").strip().strip("{}.").strip()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return _month(text)


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    try:
        datetime(year or 2000, month or 1, day or 1)  # 2000: a leap year accepts Feb 29
    except ValueError:
        return False
    return True


def _format(year: int | None, month: int | None, day: int | None) -> str | None:
    if not _valid(year, month, day):
        return None
    if year is None:  # ISO 8601 (2000) partial date without a year
        return f"--{month:02d}-{day:02d}" if month and day else None
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")


def iso_date(value: object) -> str | None:
    """The ISO 8601 form of a date, as precise as the source; None if unreadable.

    A month and day without a year (the daily listings' `Mar 14`) become ``--03-14``.

    Examples
    --------
    >>> iso_date("Mar 14"), iso_date("--03-14"), iso_date("2024-03-14T09:00:00Z"), iso_date(2023)
    ('--03-14', '--03-14', '2024-03-14', '2023')
    >>> iso_date("Mon, 2 Apr 2007 19:18:42 GMT"), iso_date("March 5, 2024"), iso_date("soon")
    ('2007-04-02', '2024-03-05', None)
    """
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text:
        return None
    if match := _ISO.match(text):
        month, day = match.group("month"), match.group("day")
        return _format(int(match.group("year")), int(month) if month else None, int(day) if day else None)
    if match := _NO_YEAR.match(text):
        return _format(None, int(match.group("month")), int(match.group("day")))
    if match := LISTING_DATE.match(text):
        month = _month(match.group("month"))
        return _format(None, month, int(match.group("day"))) if month else None
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        if (match := pattern.search(text)) and (month := _month(match.group("month"))):
            return _format(int(match.group("year")), month, int(match.group("day")))
    return None
