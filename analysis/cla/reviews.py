"""Reviews of children looked after: timeliness and the child's participation.

Definitions:

- **Timeliness**: Care Planning, Placement and Case Review (England) Regulations 2010, regulation
  33: the first review within 20 working days of the date the child becomes looked after, the
  second within 3 months of the first, and later reviews within 6 months of the previous one.
  For a child looked after only under an agreed series of short breaks (LS V3/V4), regulation 48
  modifies this: the first review within 3 months of the start of the first short break, later
  ones within 6 months of the previous (applied by default, ``short_break_rule=True``).
- **Participation**: SSDA903 REVIEW_CODE PN0 (child under 4) to PN7 (DfE 903 guidance). "Views
  conveyed" = PN1-PN6 as a percentage of all reviews held, PN0 included in the denominator.

Conventions (DESIGN section 5): a review is in time when held on or before its due date.
"Within 20 working days of X" counts the working days after X up to and including the review
date (weekends and England and Wales bank holidays are not working days), so the last day in
time is the day before the 21st working day after X: a review on a weekend or bank holiday that
follows the 20th working day is still within 20 working days. "Within N months" means on or
before the same day N calendar months later, or that month's last day when it has no such day.
Every review held in the period counts (REVIEW date in the period), including reviews of children
who later ceased to be looked after; a review on a bank holiday is a review on that date.
"""

from __future__ import annotations

import logging
import math
from typing import Literal

import numpy as np
import pandas as pd

from analysis import codes as codelists
from analysis.cla.characteristics import by_code
from analysis.cla.ordering import ordered_by, sort_key, sorted_codes
from analysis.cla.periods import annotate_episodes, periods_of_care, require_columns
from analysis.dates import DateLike, bank_holidays, in_period, to_timestamp

__all__ = [
    "FIRST_REVIEW_WORKING_DAYS",
    "VIEWS_CONVEYED_CODES",
    "review_timeliness",
    "reviews_held",
    "reviews_in_timescale_pct",
    "monthly_review_timeliness",
    "review_participation",
    "views_conveyed_pct",
    "views_conveyed",
]

log = logging.getLogger(__name__)

#: Regulation 33(1): first review within 20 working days of becoming looked after.
FIRST_REVIEW_WORKING_DAYS = 20
#: REVIEW_CODE values meaning the child's views were conveyed to the review.
VIEWS_CONVEYED_CODES = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6")


def _last_day_within_working_days(start: pd.Series, days: int) -> pd.Series:
    """Last date within ``days`` working days after ``start`` (day before working day days+1)."""
    result = pd.Series(pd.NaT, index=start.index, dtype="datetime64[ns]")
    ok = start.notna()
    if not ok.any():
        return result
    years = start[ok].dt.year
    hol = np.array(bank_holidays(int(years.min()) - 1, int(years.max()) + 2), dtype="datetime64[D]")
    s = start[ok].to_numpy().astype("datetime64[D]")
    nxt = np.busday_offset(s, days + 1, roll="backward", holidays=hol)
    result[ok] = pd.to_datetime(nxt - np.timedelta64(1, "D"))
    return result


def _review_periods(episodes: pd.DataFrame) -> pd.DataFrame:
    """Periods of care to number reviews in; a run of short-break-only periods is one.

    Under V3 every short break is its own episode and period of care, and reviews fall between
    breaks. Regulation 48 treats the series of short breaks as a single placement, so
    consecutive short-break-only periods of a child are merged into one, open until the child's
    next period of care that is not a short break.
    """
    poc = periods_of_care(annotate_episodes(episodes))  # sorted by child and period
    child = poc["child_id"].to_numpy()
    sb = poc["short_break_only"].to_numpy(dtype=bool)
    continues = np.zeros(len(poc), dtype=bool)  # continues the series of the period before
    continues[1:] = sb[1:] & sb[:-1] & (child[1:] == child[:-1])
    first = poc.loc[~continues]
    series = pd.Series(~continues).astype("int64").groupby(child, sort=False).cumsum()
    return pd.DataFrame(
        {
            "child_id": first["child_id"].to_numpy(),
            "poc": series.to_numpy()[~continues],
            "start": first["start"].to_numpy(),
            "start_known": first["start_known"].to_numpy(),
            "end": first["end"].where(~first["short_break_only"].astype(bool)).to_numpy(),
            "short_break_only": first["short_break_only"].to_numpy(),
        }
    )


def _infer_reviews_from(review_dates: pd.Series) -> pd.Timestamp | None:
    """1 April of the collection year of the earliest review (each return holds its year)."""
    earliest = review_dates.min()
    if pd.isna(earliest):
        return None
    year = earliest.year if earliest.month >= 4 else earliest.year - 1
    return pd.Timestamp(year=year, month=4, day=1)


def review_timeliness(
    reviews: pd.DataFrame,
    episodes: pd.DataFrame,
    *,
    reviews_from: DateLike | Literal["infer"] | None = "infer",
    short_break_rule: bool = True,
) -> pd.DataFrame:
    """Due date and timeliness of every review (Care Planning Regulations 2010, reg. 33).

    Each review is placed in the period of care open on its date (the latest period of care
    starting on or before the review and not ended before it; a review on the day care ends
    belongs to that period). Reviews are numbered within their period of care:

    - sequence 1: due within 20 working days of the start of the period of care (DECOM of its
      RNE ``S`` episode); the due date is the last day within 20 working days;
    - sequence 2: due within 3 months of the first review;
    - sequence 3 (third or later): due within 6 months of the previous review.

    For a child looked after under a series of short breaks only (LS V3/V4) and
    ``short_break_rule`` (regulation 48), the first review is due within 3 months of the start of
    the first short break and later ones within 6 months of the previous. The series (consecutive
    short-break-only periods of care, one per break under V3) counts as one period, running
    until the child's next period of care that is not a short break, so reviews held between
    breaks belong to it.

    A review is in time when held on or before its due date. A re-entry to care starts a new
    period of care, whose first review is again due within 20 working days.

    Parameters
    ----------
    reviews
        Processed ``reviews`` table (``child_id``, ``review``, ``review_code``).
    episodes
        Processed ``episodes`` table (for the periods of care).
    reviews_from
        Date from which ``reviews`` holds every review. ``"infer"`` (default): 1 April of the
        collection year of the earliest review, since each SSDA903 return holds the reviews of
        its year. ``None``: the table holds every review of every period of care. For a period
        of care that started before ``reviews_from`` (or whose RNE ``S`` episode is not in
        ``episodes``), earlier reviews may be missing: its first review in the data cannot be
        judged (sequence, due date and ``in_time`` are NA) and later ones are taken as third or
        later (6-month rule).
    short_break_rule
        Apply regulation 48 to short-break-only periods of care.

    Returns
    -------
    pandas.DataFrame
        One row per review, sorted by ``child_id`` and ``review``: ``la_code`` (when present),
        ``child_id``, ``review``, ``review_code``, ``due_date`` (datetime64, NaT when not
        judged), ``in_time`` (nullable boolean; NA when not judged, e.g. a review outside any
        period of care) and ``sequence`` (Int64: 1, 2, or 3 for third or later).
    """
    require_columns(reviews, ["child_id", "review", "review_code"], "reviews")
    poc = _review_periods(episodes)
    rv = reviews.reset_index(drop=True).copy()
    rv["review"] = pd.to_datetime(rv["review"]).astype("datetime64[ns]")
    poc["start"] = poc["start"].astype("datetime64[ns]")
    # children numbered alike in both tables, in the order of their ids
    child = sorted_codes(pd.concat([rv["child_id"], poc["child_id"]], ignore_index=True))
    rv["_child"], poc["_child"] = child[: len(rv)], child[len(rv) :]
    # The output's order (child, review date, then input row) from the start: the reviews of a
    # period of care are then consecutive and in date order.
    rv = rv.take(ordered_by(rv["_child"].to_numpy(), sort_key(rv["review"]))).reset_index(drop=True)
    matched = _period_of_each_review(rv, poc)
    in_care = matched["start"].notna() & (
        matched["end"].isna() | matched["review"].le(matched["end"])
    )
    matched = matched.loc[in_care].sort_values("_row", kind="stable")
    group = [matched["_child"], matched["poc"]]
    k = matched.groupby(group, sort=False).cumcount() + 1
    previous = matched.groupby(group, sort=False)["review"].shift()
    covered = matched["start_known"].astype(bool)
    if isinstance(reviews_from, str) and reviews_from == "infer":
        reviews_from = _infer_reviews_from(rv["review"])
    if reviews_from is not None:
        covered &= matched["start"].ge(to_timestamp(reviews_from))
    sequence = pd.Series(np.minimum(k, 3), index=matched.index, dtype="Int64")
    sequence = sequence.where(covered | k.gt(1), pd.NA)
    sequence = sequence.where(covered | k.eq(1), 3)

    short = matched["short_break_only"].astype(bool) & short_break_rule
    first = sequence.eq(1).fillna(False)
    first_due = _last_day_within_working_days(
        matched["start"].where(first), FIRST_REVIEW_WORKING_DAYS
    )
    first_due_short = matched["start"] + pd.DateOffset(months=3)
    second_due = previous + pd.DateOffset(months=3)
    later_due = previous + pd.DateOffset(months=6)
    due = pd.Series(pd.NaT, index=matched.index, dtype="datetime64[ns]")
    due = due.mask(first & ~short, first_due)
    due = due.mask(first & short, first_due_short)
    due = due.mask(sequence.eq(2).fillna(False) & ~short, second_due)
    due = due.mask(sequence.ge(2).fillna(False) & (short | sequence.eq(3).fillna(False)), later_due)

    out = rv
    rows = matched["_row"].to_numpy()  # reviews not judged get NaT and NA
    out["due_date"] = due.set_axis(rows).reindex(out.index)
    out["sequence"] = sequence.set_axis(rows).reindex(out.index)
    in_time = out["review"].le(out["due_date"]).astype("boolean")
    out["in_time"] = in_time.mask(out["due_date"].isna(), pd.NA)
    not_judged = int(out["in_time"].isna().sum())
    if not_judged:
        log.info(
            "%d of %d reviews cannot be judged for timeliness (outside any period of care "
            "in the episodes, or the first review in the data of a period of care that "
            "started before the reviews supplied)",
            not_judged,
            len(out),
        )
    columns = [c for c in ("la_code",) if c in out.columns]
    columns += ["child_id", "review", "review_code", "due_date", "in_time", "sequence"]
    return out[columns].reset_index(drop=True)


def _period_of_each_review(rv: pd.DataFrame, poc: pd.DataFrame) -> pd.DataFrame:
    """Match each dated review to the latest review period of its child starting on or before it.

    A backward as-of match by child (``pandas.merge_asof`` on ``_child``, the children numbered
    alike in both tables). Returns the matched reviews with ``_row`` (position in ``rv``),
    ``_child`` and the period's columns (``start`` NaT when the child has no period by then).
    """
    left = pd.DataFrame(
        {"_row": np.arange(len(rv)), "_child": rv["_child"], "review": rv["review"]}
    )
    left = left.loc[left["review"].notna()]
    right = poc.drop(columns="child_id")
    right = right.loc[right["start"].notna()]
    return pd.merge_asof(
        left.sort_values("review", kind="stable"),
        right.sort_values("start", kind="stable"),
        left_on="review",
        right_on="start",
        by="_child",
        direction="backward",
    )


def _held(frame: pd.DataFrame, period_start: DateLike, period_end: DateLike) -> pd.DataFrame:
    require_columns(frame, ["review"], "reviews")
    return frame.loc[in_period(pd.to_datetime(frame["review"]), period_start, period_end)]


def reviews_held(reviews: pd.DataFrame, period_start: DateLike, period_end: DateLike) -> int:
    """Count the reviews held in the period (REVIEW date in the period, both ends inclusive).

    Every review counts, including reviews of children who later ceased to be looked after.
    """
    return int(len(_held(reviews, period_start, period_end)))


def reviews_in_timescale_pct(
    timeliness: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> float:
    """Percentage of reviews held in the period that were in time (reg. 33).

    Parameters
    ----------
    timeliness
        Output of :func:`review_timeliness`.
    period_start, period_end
        The reporting period, both inclusive.

    Returns
    -------
    float
        In-time reviews / reviews held and judged x 100, unrounded; NaN when none. Reviews that
        cannot be judged (``in_time`` NA, see :func:`review_timeliness`) are left out of both.
    """
    held = _held(timeliness, period_start, period_end)["in_time"].dropna()
    if held.empty:
        return math.nan
    return float(held.astype(bool).sum()) / len(held) * 100


def monthly_review_timeliness(
    timeliness: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Reviews held and in time, per calendar month of the period (reg. 33).

    Returns
    -------
    pandas.DataFrame
        One row per month from the month of ``period_start`` to that of ``period_end``:
        ``month`` (first day of the month), ``reviews`` (held, int64), ``in_time`` (int64),
        ``in_time_pct`` (in time / judged x 100, unrounded; NaN for a month without reviews).
    """
    ps, pe = to_timestamp(period_start), to_timestamp(period_end)
    months = pd.date_range(ps.replace(day=1), pe, freq="MS")
    held = _held(timeliness, ps, pe)
    month = pd.to_datetime(held["review"]).dt.to_period("M").dt.to_timestamp()
    judged = held["in_time"].notna()
    grouped = (
        pd.DataFrame(
            {
                "month": month,
                "reviews": 1,
                "in_time": held["in_time"].fillna(False).astype("int64"),
                "judged": judged.astype("int64"),
            }
        )
        .groupby("month")[["reviews", "in_time", "judged"]]
        .sum()
    )
    grouped = grouped.reindex(months, fill_value=0).astype("int64")
    pct = grouped["in_time"] / grouped["judged"].where(grouped["judged"].gt(0)) * 100
    return pd.DataFrame(
        {
            "month": months,
            "reviews": grouped["reviews"].to_numpy(),
            "in_time": grouped["in_time"].to_numpy(),
            "in_time_pct": pct.astype("float64").to_numpy(),
        }
    )


def review_participation(
    reviews: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Reviews held in the period by the child's participation (REVIEW_CODE PN0-PN7).

    DfE SSDA903 guidance, REVIEW_CODE. Every code PN0-PN7 is listed (zero rows included); the
    percentage is of all reviews held, PN0 (child under 4) included.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``count``, ``percent`` (see :func:`~analysis.cla.by_code`).
    """
    held = _held(reviews, period_start, period_end)
    return by_code(held["review_code"], codelists.codes("REVIEW_CODE"))


def views_conveyed_pct(
    reviews: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> float:
    """Percentage of reviews held in the period at which the child's views were conveyed.

    Numerator: REVIEW_CODE PN1-PN6. Denominator: all reviews held in the period, PN0 (child
    under 4) and PN7 included. Unrounded; NaN when no review was held.
    """
    held = _held(reviews, period_start, period_end)
    if held.empty:
        return math.nan
    return float(held["review_code"].isin(VIEWS_CONVEYED_CODES).sum()) / len(held) * 100


def views_conveyed(
    reviews: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Reviews held in the period and those at which the child's views were conveyed.

    A measure,value table: ``reviews_held`` (all reviews held, PN0 and PN7 included: the
    denominator), ``views_conveyed`` (REVIEW_CODE PN1-PN6), ``under_4`` (PN0), ``percent``
    (:func:`views_conveyed_pct`) and ``percent_aged_4_plus`` (views conveyed of the reviews of
    children aged 4 or over, i.e. PN0 left out of the denominator; NaN when there are none).

    Returns
    -------
    pandas.DataFrame
        Columns ``measure`` and ``value`` (object: counts ``int``, percentages unrounded).
    """
    held = _held(reviews, period_start, period_end)
    conveyed = int(held["review_code"].isin(VIEWS_CONVEYED_CODES).sum())
    under_4 = int(held["review_code"].eq("PN0").sum())
    total = len(held)
    older = total - under_4
    values = {
        "reviews_held": total,
        "views_conveyed": conveyed,
        "under_4": under_4,
        "percent": 100.0 * conveyed / total if total else math.nan,
        "percent_aged_4_plus": 100.0 * conveyed / older if older else math.nan,
    }
    return pd.DataFrame(
        {"measure": list(values), "value": pd.Series(list(values.values()), dtype="object")}
    )
