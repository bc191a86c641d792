#!/usr/bin/env python3
"""Writes XNYS.csv: the New York Stock Exchange's full-day closings and early
closes from 1990 to 2030, computed from the exchange's holiday rules.

    python3 data/calendars/generate_xnys.py > data/calendars/XNYS.csv

Sources of the rules:
- NYSE Rule 7.2 (Holidays) and the holiday pages of the exchange,
  https://www.nyse.com/markets/hours-calendars : the holidays observed, that a
  holiday on a Sunday is observed the next Monday, one on a Saturday the
  Friday before, "unless unusual business conditions exist, such as the
  ending of a monthly or the yearly accounting period" (so New Year's Day on
  a Saturday is not observed on Dec 31), and the 1:00 p.m. early closes.
- The NYSE's history of market closings ("Closings of the NYSE", nyse.com)
  for the special closings and the eras of the early-close rules.

Eras (years in 1990-2030 only):
- Martin Luther King Jr. Day from 1998; Juneteenth from 2022 (observed on
  the nearest weekday); Good Friday every year.
- Day after Thanksgiving: 14:00 close in 1992, 13:00 from 1993.
- Independence Day eve: 13:00 on July 3 when it is a Monday, Tuesday or
  Thursday from 1995, a Wednesday from 2013; 13:00 on Friday July 5 (after a
  Thursday holiday) from 1996 to 2012.
- Christmas Eve: 14:00 from 1990 to 1992; 13:00 in 1996-1998 and, from 1999,
  whenever Dec 24 is a Monday to Thursday. Dec 26 1997 and 2003: 13:00.
Late openings (e.g. the 1996-01-08 blizzard) are not listed.
"""

import datetime as dt

FIRST, LAST = 1990, 2030

SPECIAL_CLOSINGS = [
    ("1994-04-27", "Funeral of former President Richard Nixon"),
    ("2001-09-11", "World Trade Center attacks"),
    ("2001-09-12", "World Trade Center attacks"),
    ("2001-09-13", "World Trade Center attacks"),
    ("2001-09-14", "World Trade Center attacks"),
    ("2004-06-11", "Funeral of former President Ronald Reagan"),
    ("2007-01-02", "National Day of Mourning for former President Gerald Ford"),
    ("2012-10-29", "Hurricane Sandy"),
    ("2012-10-30", "Hurricane Sandy"),
    ("2018-12-05", "National Day of Mourning for former President George H. W. Bush"),
    ("2025-01-09", "National Day of Mourning for former President Jimmy Carter"),
]
SPECIAL_EARLY_CLOSES = [
    ("1997-12-26", "13:00", "Day after Christmas"),
    ("2003-12-26", "13:00", "Day after Christmas"),
]

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def nth_weekday(year, month, weekday, n):
    """The n-th (1-based) `weekday` of the month; n = -1 for the last."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def easter(year):
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nearest_weekday(d):
    """Rule 7.2: Saturday -> the Friday before, Sunday -> the Monday after."""
    if d.weekday() == SAT:
        return d - dt.timedelta(days=1)
    if d.weekday() == SUN:
        return d + dt.timedelta(days=1)
    return d


def holidays(year):
    out = []
    new_year = dt.date(year, 1, 1)
    if new_year.weekday() == SUN:
        out.append((new_year + dt.timedelta(days=1), "New Year's Day (observed)"))
    elif new_year.weekday() != SAT:  # a Saturday New Year is not moved into the old year
        out.append((new_year, "New Year's Day"))
    if year >= 1998:
        out.append((nth_weekday(year, 1, MON, 3), "Martin Luther King Jr. Day"))
    out.append((nth_weekday(year, 2, MON, 3), "Washington's Birthday"))
    out.append((easter(year) - dt.timedelta(days=2), "Good Friday"))
    out.append((nth_weekday(year, 5, MON, -1), "Memorial Day"))
    if year >= 2022:
        out.append((nearest_weekday(dt.date(year, 6, 19)), "Juneteenth National Independence Day"))
    out.append((nearest_weekday(dt.date(year, 7, 4)), "Independence Day"))
    out.append((nth_weekday(year, 9, MON, 1), "Labor Day"))
    out.append((nth_weekday(year, 11, THU, 4), "Thanksgiving Day"))
    out.append((nearest_weekday(dt.date(year, 12, 25)), "Christmas Day"))
    return out


def early_closes(year):
    out = []
    july3, july5 = dt.date(year, 7, 3), dt.date(year, 7, 5)
    if (year >= 1995 and july3.weekday() in (MON, TUE, THU)) or (year >= 2013 and july3.weekday() == WED):
        out.append((july3, "13:00", "Independence Day eve"))
    if 1996 <= year <= 2012 and july5.weekday() == FRI:
        out.append((july5, "13:00", "Day after Independence Day"))
    if year >= 1992:
        black_friday = nth_weekday(year, 11, THU, 4) + dt.timedelta(days=1)
        out.append((black_friday, "14:00" if year == 1992 else "13:00", "Day after Thanksgiving"))
    eve = dt.date(year, 12, 24)
    if eve.weekday() in (MON, TUE, WED, THU):
        if year <= 1992:
            out.append((eve, "14:00", "Christmas Eve"))
        elif year >= 1996:
            out.append((eve, "13:00", "Christmas Eve"))
    return out


def main():
    rows = {}
    for year in range(FIRST, LAST + 1):
        for day, name in holidays(year):
            rows[day] = ("holiday", "", name)
        for day, close, name in early_closes(year):
            rows.setdefault(day, ("early_close", close, name))
    for text, name in SPECIAL_CLOSINGS:
        rows[dt.date.fromisoformat(text)] = ("holiday", "", name)
    for text, close, name in SPECIAL_EARLY_CLOSES:
        rows[dt.date.fromisoformat(text)] = ("early_close", close, name)
    print("# XNYS (New York Stock Exchange) closings and early closes, %d-%d." % (FIRST, LAST))
    print("# Regular session 09:30-16:00 America/New_York; close_time is local, early closes only.")
    print("# Generated by data/calendars/generate_xnys.py from NYSE Rule 7.2 and the NYSE holiday")
    print("# pages (https://www.nyse.com/markets/hours-calendars); special closings from the NYSE's")
    print("# history of market closings. Do not edit by hand: change the script and regenerate.")
    print("date,kind,close_time,name")
    for day in sorted(rows):
        if FIRST <= day.year <= LAST and day.weekday() < SAT:
            kind, close, name = rows[day]
            print("%s,%s,%s,%s" % (day.isoformat(), kind, close, name))


if __name__ == "__main__":
    main()
