"""Statistical process control: XmR charts with the NHS "Making Data Count" rules.

An XmR (individuals and moving range) chart separates signal from noise in a monthly series
(NHS England, *Making Data Count*, 2019, and its Excel "single chart" tool; the NHS-R package
NHSRplotthedots reproduces that tool):

- **mean**: the mean of the points;
- **moving range**: the absolute difference between consecutive points; ``mR-bar`` its mean;
- **natural process limits**: mean +/- 2.66 x mR-bar (2.66 = 3 / 1.128, i.e. three sigma, with
  sigma estimated as mR-bar / d2, d2 = 1.128 for ranges of two points). Like the Making Data
  Count tool, every point counts in mR-bar (no screening of outlying moving ranges);
- **two-sigma lines**: mean +/- (2/3) x 2.66 x mR-bar.

Special cause rules (Making Data Count; thresholds as in its single chart tool):

1. **astronomical point**: a point above the upper or below the lower process limit;
2. **shift**: a run of 7 or more consecutive points all above, or all below, the mean (a point
   exactly on the mean breaks the run);
3. **trend**: a run of 7 or more consecutive points each higher than the one before (or each
   lower); equal consecutive values break the run. Making Data Count and NHSRplotthedots use 7
   points for both the shift and the trend (run charts, not SPC charts, use 6); the lengths are
   parameters;
4. **two in three**: 2 of 3 consecutive points beyond the same two-sigma line, all three on the
   same side of the mean; only the points beyond two sigma are flagged. Points beyond the process
   limit count as beyond two sigma (the rule as revised by the Making Data Count team in November
   2023, NHSRplotthedots issue 194).

Each point is then **special cause improvement**, **special cause concern** or **common cause**
variation. The direction of a shift, two-in-three or astronomical point is its side of the mean;
the direction of a trend is up or down. A point flagged in both directions counts as
improvement, as in the Making Data Count tool. **Assurance** compares a target with the limits:
a target outside them is consistently met (or missed), one inside them is "hit and miss".
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.dates import DateLike, to_timestamp

__all__ = [
    "COMMON_CAUSE",
    "IMPROVEMENT",
    "CONCERN",
    "LIMIT_FACTOR",
    "MIN_POINTS",
    "RUN_LENGTH",
    "TREND_LENGTH",
    "XmRLimits",
    "assurance",
    "monthly_proportion",
    "spc_classify",
    "spc_series",
    "spc_summary",
    "spc_summary_table",
    "spc_sentence",
    "spc_alt",
    "spc_figure",
    "spc_title",
    "spc_window",
    "xmr_limits",
]

log = logging.getLogger(__name__)

#: 3 / d2 with d2 = 1.128 (moving ranges of two consecutive points), as Making Data Count uses.
LIMIT_FACTOR = 2.66
#: Shift rule: consecutive points on one side of the mean.
RUN_LENGTH = 7
#: Trend rule: consecutive points all increasing or all decreasing.
TREND_LENGTH = 7
#: Fewer points than this give provisional limits (NHSRplotthedots warns below 12).
MIN_POINTS = 12

IMPROVEMENT = "special cause improvement"
CONCERN = "special cause concern"
COMMON_CAUSE = "common cause"


@dataclass(frozen=True)
class XmRLimits:
    """Centre line and limits of an XmR chart."""

    mean: float
    mean_moving_range: float
    lower: float
    upper: float
    lower_two_sigma: float
    upper_two_sigma: float
    points: int


def xmr_limits(values: Sequence[float], baseline: int | None = None) -> XmRLimits:
    """Mean, mean moving range and natural process limits of a series (XmR chart).

    Parameters
    ----------
    values
        The series in time order; missing values (NaN) are left out, and the moving ranges
        are taken between consecutive non-missing points.
    baseline
        Use only the first ``baseline`` non-missing points for the limits (Making Data Count:
        "fix the limits" after a baseline period). ``None``: every point.

    Returns
    -------
    XmRLimits
        ``mean``; ``mean_moving_range`` (mR-bar); ``lower``/``upper`` = mean -/+ 2.66 mR-bar;
        ``lower_two_sigma``/``upper_two_sigma`` = mean -/+ (2/3) 2.66 mR-bar; ``points`` used.
        All NaN when there is no point; the limits are NaN with a single point.
    """
    x = np.asarray(values, dtype="float64")
    x = x[~np.isnan(x)]
    if baseline is not None:
        x = x[:baseline]
    if x.size == 0:
        nan = math.nan
        return XmRLimits(nan, nan, nan, nan, nan, nan, 0)
    mean = float(x.mean())
    mr = float(np.abs(np.diff(x)).mean()) if x.size > 1 else math.nan
    if x.size < MIN_POINTS:
        log.info("XmR limits from %d points are provisional (fewer than %d)", x.size, MIN_POINTS)
    width, near = LIMIT_FACTOR * mr, 2 / 3 * LIMIT_FACTOR * mr
    return XmRLimits(mean, mr, mean - width, mean + width, mean - near, mean + near, int(x.size))


def _runs(flags: np.ndarray, length: int) -> np.ndarray:
    """Mark every position inside a run of at least ``length`` consecutive True flags."""
    out = np.zeros(flags.size, dtype=bool)
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= length:
                out[start:i] = True
            start = None
    return out


def _rule_directions(
    x: np.ndarray, limits: XmRLimits, run_length: int, trend_length: int
) -> dict[str, np.ndarray]:
    """Direction (+1 up, -1 down, 0 none) in which each rule flags each point of ``x``."""
    n = x.size
    side = np.sign(x - limits.mean)
    astro = np.where(x > limits.upper, 1, np.where(x < limits.lower, -1, 0))

    shift = np.zeros(n, dtype=int)
    for direction in (1, -1):
        shift[_runs(side == direction, run_length)] = direction

    # a trend of k points is k - 1 consecutive steps in the same direction
    trend = np.zeros(n, dtype=int)
    steps = np.sign(np.diff(x))
    for direction in (1, -1):
        in_run = _runs(steps == direction, trend_length - 1)
        for i in np.flatnonzero(in_run):
            trend[i] = trend[i + 1] = direction

    two_in_three = np.zeros(n, dtype=int)
    beyond = np.where(x > limits.upper_two_sigma, 1, np.where(x < limits.lower_two_sigma, -1, 0))
    for i in range(n - 2):
        window = slice(i, i + 3)
        for direction in (1, -1):
            same_side = (side[window] == direction).all()
            far = beyond[window] == direction
            if same_side and far.sum() >= 2:
                idx = np.arange(i, i + 3)[far]
                two_in_three[idx] = direction
    return {"astronomical": astro, "shift": shift, "trend": trend, "two_in_three": two_in_three}


def spc_classify(
    values: Sequence[float],
    improvement: str = "increase",
    baseline: int | None = None,
    run_length: int = RUN_LENGTH,
    trend_length: int = TREND_LENGTH,
) -> pd.DataFrame:
    """Apply the Making Data Count rules to a series and class each point.

    Parameters
    ----------
    values
        The series in time order (NaN for a month without data: not a point, no variation).
    improvement
        ``"increase"`` when higher is better (e.g. % in timescale), ``"decrease"`` otherwise.
    baseline
        Points used for the limits (see :func:`xmr_limits`).
    run_length, trend_length
        Points needed for the shift and the trend rules (7 in Making Data Count).

    Returns
    -------
    pandas.DataFrame
        One row per value, in order: ``value``, ``moving_range``, ``mean``, ``lower``,
        ``upper``, ``rules`` (the rules that flag the point, comma-separated, "" when none) and
        ``variation`` (``special cause improvement``, ``special cause concern``,
        ``common cause``; NA for a missing value or when the limits cannot be computed).
    """
    if improvement not in ("increase", "decrease"):
        raise ValueError("improvement must be 'increase' or 'decrease'")
    raw = np.asarray(values, dtype="float64")
    present = ~np.isnan(raw)
    x = raw[present]
    limits = xmr_limits(x, baseline)
    out = pd.DataFrame(
        {
            "value": raw,
            "moving_range": np.nan,
            "mean": limits.mean,
            "lower": limits.lower,
            "upper": limits.upper,
            "rules": "",
            "variation": pd.Series([pd.NA] * raw.size, dtype="object"),
        }
    )
    if x.size == 0:
        return out
    mr = np.concatenate([[np.nan], np.abs(np.diff(x))])
    out.loc[present, "moving_range"] = mr
    if math.isnan(limits.upper):
        return out
    good = 1 if improvement == "increase" else -1
    directions = _rule_directions(x, limits, run_length, trend_length)
    rules, variation = [], []
    for i in range(x.size):
        hits = {name: int(d[i]) for name, d in directions.items() if d[i] != 0}
        rules.append(", ".join(hits))
        if not hits:
            variation.append(COMMON_CAUSE)
        elif good in hits.values():
            variation.append(IMPROVEMENT)
        else:
            variation.append(CONCERN)
    out.loc[present, "rules"] = rules
    out.loc[present, "variation"] = variation
    return out


def assurance(
    lower: float, upper: float, target: float | None, improvement: str = "increase"
) -> str:
    """Whether a process will meet a target (Making Data Count assurance icon).

    With higher-is-better (``improvement="increase"``): a target above the upper process limit
    will consistently be missed (``"consistently fails"``); a target below the lower limit will
    consistently be met (``"consistently passes"``); a target within the limits will be met in
    some months and missed in others (``"hit and miss"``). Mirrored for lower-is-better.
    ``"no target"`` without a target, ``"not assessed"`` without limits.
    """
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return "no target"
    if math.isnan(upper) or math.isnan(lower):
        return "not assessed"
    if improvement == "increase":
        if target > upper:
            return "consistently fails"
        if target < lower:
            return "consistently passes"
    else:
        if target < lower:
            return "consistently fails"
        if target > upper:
            return "consistently passes"
    return "hit and miss"


def spc_window(period_end: DateLike, months: int = 36) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day of the first month and the last day of a window of ``months`` months.

    The window ends with the month of ``period_end`` (e.g. 36 months to 31 March 2024 run from
    1 April 2021 to 31 March 2024).
    """
    end = to_timestamp(period_end)
    start = (end.replace(day=1) - pd.DateOffset(months=months - 1)).normalize()
    return pd.Timestamp(start), end


def monthly_proportion(
    dates: pd.Series, flags: pd.Series, start: DateLike, end: DateLike
) -> pd.DataFrame:
    """Events per calendar month and the percentage flagged (e.g. conferences in time).

    Parameters
    ----------
    dates
        Event dates (an event belongs to the month of its date).
    flags
        Boolean per event (NA: not judged, left out of numerator and denominator).
    start, end
        Months from the month of ``start`` to that of ``end``; events outside are ignored.

    Returns
    -------
    pandas.DataFrame
        ``month`` (first day), ``denominator`` (events judged), ``numerator`` (flagged) and
        ``pct`` (numerator / denominator x 100; NaN for a month without events).
    """
    s, e = to_timestamp(start), to_timestamp(end)
    months = pd.date_range(s.replace(day=1), e.replace(day=1), freq="MS")
    frame = pd.DataFrame({"date": pd.to_datetime(dates), "flag": flags.astype("boolean")})
    frame = frame.loc[frame["date"].between(s, e) & frame["flag"].notna()]
    month = frame["date"].dt.to_period("M").dt.to_timestamp()
    grouped = frame.assign(month=month).groupby("month")["flag"]
    den = grouped.size().reindex(months, fill_value=0).astype("int64")
    num = grouped.sum().reindex(months, fill_value=0).astype("int64")
    pct = num / den.where(den > 0) * 100
    return pd.DataFrame(
        {
            "month": months,
            "denominator": den.to_numpy(),
            "numerator": num.to_numpy(),
            "pct": pct.to_numpy(dtype="float64"),
        }
    )


def spc_summary(
    months: Sequence[pd.Timestamp],
    classified: pd.DataFrame,
    period_start: DateLike,
    target: float | None = None,
    improvement: str = "increase",
    bounds: tuple[float, float] | None = (0.0, 100.0),
) -> dict[str, object]:
    """Figures for the sentence under an SPC chart.

    Parameters
    ----------
    months
        The month of each row of ``classified``.
    classified
        Output of :func:`spc_classify`.
    period_start
        Start of the reporting year: months from it on are "this year".
    target
        Optional target, for :func:`assurance`.
    improvement
        As in :func:`spc_classify`.
    bounds
        Natural bounds of the measure (a percentage lies in 0-100); limits beyond a bound are
        reported at the bound.

    Returns
    -------
    dict
        ``first_month``, ``last_month``, ``points``, ``mean``, ``lower``, ``upper`` (clipped to
        ``bounds``), ``latest_value``, ``latest_variation``, ``year_signals`` (list of
        ``(month, variation)`` for special-cause months in the reporting year), ``assurance``.
    """
    months = pd.to_datetime(pd.Series(list(months))).reset_index(drop=True)
    frame = classified.reset_index(drop=True).assign(month=months)
    present = frame.loc[frame["value"].notna()]
    first = present["month"].min() if len(present) else pd.NaT
    last = present["month"].max() if len(present) else pd.NaT
    raw_lower, raw_upper = float(frame["lower"].iloc[0]), float(frame["upper"].iloc[0])
    lower, upper = raw_lower, raw_upper
    if bounds is not None and not math.isnan(raw_upper):
        lower, upper = max(raw_lower, bounds[0]), min(raw_upper, bounds[1])
    year = present.loc[present["month"] >= to_timestamp(period_start).replace(day=1)]
    signals = [
        (m, v) for m, v in zip(year["month"], year["variation"], strict=True) if v != COMMON_CAUSE
    ]
    latest = present.iloc[-1] if len(present) else None
    return {
        "first_month": first,
        "last_month": last,
        "points": int(len(present)),
        "mean": float(frame["mean"].iloc[0]),
        "lower": lower,
        "upper": upper,
        "latest_value": float(latest["value"]) if latest is not None else math.nan,
        "latest_variation": latest["variation"] if latest is not None else None,
        "year_months": int(len(year)),
        "year_signals": signals,
        "assurance": assurance(raw_lower, raw_upper, target, improvement),
        "target": target,
        "year_start": to_timestamp(period_start).replace(day=1),
    }


ASSURANCE_TEXT = {
    "hit and miss": (
        "the {target} target lies inside the limits: it will be met in some months and missed "
        "in others"
    ),
    "consistently fails": (
        "the {target} target lies outside the limits, so the current process will not meet it "
        "without a change to how the work is done"
    ),
    "consistently passes": (
        "the {target} target lies outside the limits on the good side, so the current "
        "process can be relied on to meet it"
    ),
}


def spc_sentence(name: str, summary: dict[str, object], unit: str = "%") -> str:
    """A computed sentence reading an SPC chart: centre, limits, signals this year, assurance.

    Parameters
    ----------
    name
        What the series measures, e.g. "CLA reviews held in timescale".
    summary
        Output of :func:`spc_summary`.
    unit
        Suffix of the values ("%").
    """
    if not summary["points"] or math.isnan(summary["upper"]):
        return f"{name}: too few months of data for a control chart."

    def f(v: float) -> str:
        return f"{v:.1f}{unit}"

    first, last = summary["first_month"], summary["last_month"]
    text = (
        f"{name}: over the {summary['points']} months from {first:%B %Y} to {last:%B %Y} the "
        f"mean was {f(summary['mean'])}, and the natural process limits are "
        f"{f(summary['lower'])} to {f(summary['upper'])}."
    )
    signals = summary["year_signals"]
    if signals:
        listed = "; ".join(f"{m:%B %Y} ({v})" for m, v in signals)
        text += (
            f" {len(signals)} of the {summary['year_months']} months of the reporting year "
            f"showed special cause variation: {listed}."
        )
    else:
        text += (
            f" None of the {summary['year_months']} months of the reporting year showed special "
            "cause variation: the ups and downs are noise."
        )
    template = ASSURANCE_TEXT.get(str(summary["assurance"]))
    if template and summary["target"] is not None:
        clause = template.format(target=f"{summary['target']:g}{unit}")
        text += f" {clause[0].upper()}{clause[1:]}."
    return text


#: Columns of the published SPC table (``spc_timeliness_monthly``).
SPC_TABLE_COLUMNS = [
    "series",
    "month",
    "denominator",
    "numerator",
    "value_pct",
    "mean_pct",
    "lower_limit_pct",
    "upper_limit_pct",
    "variation",
    "rules",
]


def spc_series(
    series: str,
    monthly: pd.DataFrame,
    period_start: DateLike,
    target: float | None = None,
    improvement: str = "increase",
    bounds: tuple[float, float] = (0.0, 100.0),
) -> tuple[pd.DataFrame, dict[str, object]]:
    """Classify a monthly percentage series and lay it out as a table and a summary.

    Parameters
    ----------
    series
        Short name of the series (``cla_reviews``).
    monthly
        Output of :func:`monthly_proportion` (``month``, ``denominator``, ``numerator``,
        ``pct``). Months before the first month with data are dropped (the data start later
        than the window).
    period_start
        Start of the reporting year (see :func:`spc_summary`).
    target, improvement, bounds
        As in :func:`spc_summary`.

    Returns
    -------
    (pandas.DataFrame, dict)
        The table (:data:`SPC_TABLE_COLUMNS`; month as ``Apr-23``; limits beyond ``bounds`` at
        the bound) and the :func:`spc_summary` of the series.
    """
    data = monthly.reset_index(drop=True)
    first = data["denominator"].gt(0).idxmax() if data["denominator"].gt(0).any() else len(data)
    data = data.iloc[first:].reset_index(drop=True)
    classified = spc_classify(data["pct"], improvement=improvement)
    summary = spc_summary(
        data["month"], classified, period_start, target, improvement, bounds=bounds
    )
    table = pd.DataFrame(
        {
            "series": series,
            "month": [f"{m:%b-%y}" for m in data["month"]],
            "denominator": data["denominator"].astype("int64"),
            "numerator": data["numerator"].astype("int64"),
            "value_pct": data["pct"],
            "mean_pct": classified["mean"],
            "lower_limit_pct": classified["lower"].clip(lower=bounds[0]),
            "upper_limit_pct": classified["upper"].clip(upper=bounds[1]),
            "variation": classified["variation"],
            "rules": classified["rules"],
        }
    )
    return table[SPC_TABLE_COLUMNS], summary


SUMMARY_COLUMNS = [
    "measure",
    "months",
    "mean_pct",
    "lower_limit_pct",
    "upper_limit_pct",
    "target_pct",
    "signals_in_year",
    "assurance",
]


def spc_summary_table(summaries: dict[str, dict[str, object]]) -> pd.DataFrame:
    """One row per series: centre, limits, target, special-cause months of the year, assurance.

    (The variation of every month is in the monthly table.)

    Parameters
    ----------
    summaries
        ``series -> spc_summary(...)``.
    """
    rows = []
    for series, s in summaries.items():
        rows.append(
            {
                "measure": series,
                "months": s["points"],
                "mean_pct": s["mean"],
                "lower_limit_pct": s["lower"],
                "upper_limit_pct": s["upper"],
                "target_pct": math.nan if s["target"] is None else float(s["target"]),
                "signals_in_year": len(s["year_signals"]),
                "assurance": s["assurance"],
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def _months(n: int) -> str:
    """``no month``, ``1 month``, ``3 months``."""
    return "no month" if n == 0 else f"{n} month" + ("s" if n > 1 else "")


def spc_title(label: str, summary: dict[str, object], year: str) -> str:
    """The finding a control chart shows, for its title (computed, never typed)."""
    signals = summary["year_signals"]
    if not summary["points"]:
        return f"{label}: no data"
    if signals:
        kinds = sorted({v for _, v in signals})
        text = f"{label}: {_months(len(signals))} of {year} showed {' and '.join(kinds)}"
    else:
        text = f"{label}: only common cause variation in {year}"
    target = summary["target"]
    if target is not None and summary["assurance"] == "hit and miss":
        text += f"; the {target:g}% target is hit and miss"
    elif target is not None and summary["assurance"] == "consistently fails":
        text += f"; the {target:g}% target will not be met without change"
    return text


def spc_alt(label: str, summary: dict[str, object], year: str) -> str:
    """Alt text of a control chart: what it shows, with its figures."""
    if not summary["points"]:
        return f"No data for a control chart: {label}."
    return (
        f"Control chart, {label}, monthly percentage from "
        f"{summary['first_month']:%B %Y} to {summary['last_month']:%B %Y}: mean "
        f"{summary['mean']:.1f}%, natural process limits {summary['lower']:.1f}% to "
        f"{summary['upper']:.1f}%; {_months(len(summary['year_signals']))} of {year} showed "
        "special cause variation."
    )


def spc_figure(
    published: pd.DataFrame,
    summaries: dict[str, dict[str, object]],
    series: str,
    label: str,
    year: str,
    ylabel: str = "% in timescale",
):
    """The control chart of one series from the published table, with its alt text.

    Suppressed months (``c``) are gaps. Returns ``(figure, alt)`` for
    :func:`analysis.show.show_figure`.
    """
    from analysis.charts import spc_chart

    rows = published.loc[published["series"] == series].reset_index(drop=True)
    summary = summaries[series]
    values = pd.to_numeric(rows["value_pct"], errors="coerce")
    first_of_year = [
        i
        for i, m in enumerate(rows["month"])
        if pd.to_datetime(m, format="%b-%y") >= summary["year_start"]
    ]
    fig = spc_chart(
        list(rows["month"]),
        list(values),
        float(summary["mean"]),
        float(summary["lower"]),
        float(summary["upper"]),
        list(rows["variation"]),
        spc_title(label, summary, year),
        ylabel,
        target=summary["target"],
        highlight_from=first_of_year[0] if first_of_year else None,
        highlight_label=year,
    )
    return fig, spc_alt(label, summary, year)
