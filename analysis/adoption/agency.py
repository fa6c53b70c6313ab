"""The regional adoption agency's own activity: referrals of children and prospective adopters.

Inputs are the agency's local extracts (``data/README.md``, "RAA extracts"), both optional:

- ``raa/referrals``: one row per child referred to the agency with a potential plan of adoption
  (``la_code``, ``child_id``, ``referral_date``, ``sibling_group_id``, blank when referred
  alone);
- ``raa/adopters``: one row per prospective adopter household (``enquiry_date``,
  ``registration_date`` = registration of interest, ``stage1_start``, ``stage2_start``,
  ``approval_date``, ``withdrawn_date``).

The stages follow the Adoption Agencies Regulations 2005 as amended in 2013 (stage 1,
pre-assessment, normally two months from registration; stage 2, assessment, normally four
months) and the ASGLB adopter measures (registrations, approvals, households in assessment).
Periods are inclusive at both ends (DESIGN section 5).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from analysis.dates import in_period

__all__ = [
    "ADOPTER_MEASURES",
    "adopter_measures",
    "referral_counts",
    "referrals_open_at",
    "sibling_groups",
]

log = logging.getLogger(__name__)

CHILD_KEY = ["la_code", "child_id"]

#: Measures of :func:`adopter_measures`, in order.
ADOPTER_MEASURES: tuple[str, ...] = (
    "enquiries",
    "registrations",
    "approvals",
    "withdrawals",
    "in_assessment_at_end",
    "in_stage2_at_end",
    "enquiry_to_approval_mean_days",
    "enquiry_to_approval_median_days",
    "registration_to_approval_mean_days",
    "registration_to_approval_median_days",
)


def referrals_open_at(
    referrals: pd.DataFrame,
    episodes: pd.DataFrame,
    placed_adoption: pd.DataFrame | None,
    date: pd.Timestamp,
) -> pd.Series:
    """Flag referrals that remain open to the agency at ``date``.

    Definition (derived: the referrals extract carries no closure date): a referral made on or
    before ``date`` remains open unless, on or after the referral date and on or before
    ``date``,

    - the child's care ended: an SSDA903 episode of the child with ``rec`` other than ``X1``
      (adopted, E11/E12, or left care for any other reason, e.g. a special guardianship order or
      a return home) and ``dec`` in that span; or
    - the agency decision that the child should be placed for adoption ended: a PlacedAdoption
      row of the child with ``date_placed_ceased`` in that span (the decision that the child
      should no longer be placed for adoption), when PlacedAdoption was supplied.

    A plan that changed away from adoption while the child is still looked after, with no
    PlacedAdoption record of it, is not visible in the returns, so the count can overstate the
    open referrals. A referral made after ``date`` is not open at ``date``.

    Parameters
    ----------
    referrals
        Processed ``raa/referrals`` rows.
    episodes
        Processed ``episodes`` table of the councils.
    placed_adoption
        Processed ``placed_adoption`` table, or None when not supplied.
    date
        The date at which the referrals are looked at (the period end).

    Returns
    -------
    pandas.Series of bool
        Aligned to ``referrals.index``.
    """
    d = pd.Timestamp(date)
    refs = referrals[[*CHILD_KEY, "referral_date"]].reset_index()
    ends = [episodes.loc[episodes["rec"].notna() & episodes["rec"].ne("X1"), [*CHILD_KEY, "dec"]]]
    if placed_adoption is not None and "date_placed_ceased" in placed_adoption.columns:
        ended = placed_adoption.loc[placed_adoption["date_placed_ceased"].notna()]
        ends.append(
            ended[[*CHILD_KEY, "date_placed_ceased"]].rename(columns={"date_placed_ceased": "dec"})
        )
    closures = pd.concat(ends, ignore_index=True)
    pairs = refs.merge(closures, on=CHILD_KEY, how="inner")
    closing = pairs.loc[(pairs["dec"] >= pairs["referral_date"]) & (pairs["dec"] <= d), "index"]
    made = referrals["referral_date"] <= d
    return pd.Series(made & ~referrals.index.isin(closing.unique()), index=referrals.index)


def referral_counts(
    referrals: pd.DataFrame,
    episodes: pd.DataFrame,
    placed_adoption: pd.DataFrame | None,
    la_codes: list[str],
    periods: dict[str, tuple[pd.Timestamp, pd.Timestamp]],
) -> pd.DataFrame:
    """Children referred to the agency in each period, per council, and how many remain open.

    Definitions: ``referred`` = children (``la_code`` + ``child_id``, counted once) with a
    referral dated in the period (ATV report "children referred to ATV with a potential plan of
    adoption"); ``remain_open`` = those of them with a referral in the period that is still
    open at the period's end (:func:`referrals_open_at`). The agency row (``la_code`` ``all``)
    is the sum of the councils.

    Parameters
    ----------
    referrals
        Processed ``raa/referrals`` table.
    episodes, placed_adoption
        Processed ``episodes`` and ``placed_adoption`` (or None) tables.
    la_codes
        Councils of the agency; referrals from other councils are ignored.
    periods
        ``{label: (start, end)}``, e.g. from :func:`analysis.adoption.periods.trend_periods`.

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code`` (``la_codes`` then ``all``), ``period``, ``period_start``,
        ``period_end``, ``referred``, ``remain_open`` (int64); ordered by council then period.
    """
    refs = referrals.loc[referrals["la_code"].isin(la_codes)]
    rows = []
    for label, (start, end) in periods.items():
        in_p = refs.loc[in_period(refs["referral_date"], start, end)]
        open_flag = referrals_open_at(in_p, episodes, placed_adoption, end)
        referred = in_p.drop_duplicates(CHILD_KEY).groupby("la_code").size()
        still = in_p.loc[open_flag].drop_duplicates(CHILD_KEY).groupby("la_code").size()
        for la in la_codes:
            rows.append((la, label, start, end, int(referred.get(la, 0)), int(still.get(la, 0))))
        rows.append(("all", label, start, end, int(referred.sum()), int(still.sum())))
    out = pd.DataFrame(
        rows,
        columns=["la_code", "period", "period_start", "period_end", "referred", "remain_open"],
    )
    order = {la: i for i, la in enumerate([*la_codes, "all"])}
    out = out.sort_values("la_code", key=lambda s: s.map(order), kind="stable")
    out[["referred", "remain_open"]] = out[["referred", "remain_open"]].astype(np.int64)
    return out.reset_index(drop=True)


def sibling_groups(
    referrals: pd.DataFrame, la_codes: list[str], start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """Sibling groups among the children referred in the period, by size.

    Definition: children referred in the period (referral dated in it, councils of
    ``la_codes``) who share a ``sibling_group_id`` form a sibling group; its size is the
    number of them referred in the period (ATV report: "10 sibling groups of 2, 1 sibling group
    of 3 and 1 sibling group of 4"). A child whose brothers or sisters were referred in another
    period counts as referred alone in this one.

    Returns
    -------
    pandas.DataFrame
        Columns ``group_size`` (2, 3, ...), ``groups`` (number of groups of that size),
        ``children`` (``group_size * groups``); int64, by size; no rows when no group.
    """
    refs = referrals.loc[
        referrals["la_code"].isin(la_codes) & in_period(referrals["referral_date"], start, end)
    ]
    refs = refs.loc[refs["sibling_group_id"].notna() & refs["sibling_group_id"].ne("")]
    sizes = refs.drop_duplicates(CHILD_KEY).groupby("sibling_group_id").size()
    counts = sizes.loc[sizes >= 2].value_counts().sort_index()
    return pd.DataFrame(
        {
            "group_size": counts.index.astype(np.int64),
            "groups": counts.to_numpy(dtype=np.int64),
            "children": (counts.index * counts).to_numpy(dtype=np.int64),
        }
    )


def _days_between(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.days.astype("float64")


def adopter_measures(
    adopters: pd.DataFrame, periods: dict[str, tuple[pd.Timestamp, pd.Timestamp]]
) -> pd.DataFrame:
    """Prospective adopter activity per period and households in assessment at its end.

    Definitions (ASGLB adopter measures; stages of the Adoption Agencies Regulations 2005):

    - ``enquiries``, ``registrations``, ``approvals``, ``withdrawals``: households whose
      ``enquiry_date``, ``registration_date`` (registration of interest), ``approval_date`` or
      ``withdrawn_date`` falls in the period;
    - ``in_assessment_at_end``: households in the assessment process at the period's end:
      registered on or before it, and neither approved nor withdrawn on or before it (ATV
      report: "prospective adopters within the assessment process");
      ``in_stage2_at_end``: those of them whose stage 2 had started;
    - ``enquiry_to_approval_*_days`` and ``registration_to_approval_*_days``: mean and median
      calendar days from enquiry (from registration) to approval, over the households approved
      in the period (a household without a registration date is left out of the second).

    Parameters
    ----------
    adopters
        Processed ``raa/adopters`` table.
    periods
        ``{label: (start, end)}``.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, ``period_start``, ``period_end``, ``measure``
        (``ADOPTER_MEASURES``), ``value`` (object: int counts, float days, NaN when no
        household was approved).
    """
    a = adopters
    rows = []
    for label, (start, end) in periods.items():
        approved = a.loc[in_period(a["approval_date"], start, end)]
        to_approval = _days_between(approved["approval_date"], approved["enquiry_date"])
        from_reg = _days_between(approved["approval_date"], approved["registration_date"]).dropna()
        registered = a["registration_date"].notna() & (a["registration_date"] <= end)
        finished = (a["approval_date"].notna() & (a["approval_date"] <= end)) | (
            a["withdrawn_date"].notna() & (a["withdrawn_date"] <= end)
        )
        assessing = registered & ~finished
        stage2 = assessing & a["stage2_start"].notna() & (a["stage2_start"] <= end)

        def stat(values: pd.Series, how: str) -> float:
            return float(getattr(values, how)()) if len(values) else float("nan")

        values = {
            "enquiries": int(in_period(a["enquiry_date"], start, end).sum()),
            "registrations": int(in_period(a["registration_date"], start, end).sum()),
            "approvals": int(len(approved)),
            "withdrawals": int(in_period(a["withdrawn_date"], start, end).sum()),
            "in_assessment_at_end": int(assessing.sum()),
            "in_stage2_at_end": int(stage2.sum()),
            "enquiry_to_approval_mean_days": stat(to_approval, "mean"),
            "enquiry_to_approval_median_days": stat(to_approval, "median"),
            "registration_to_approval_mean_days": stat(from_reg, "mean"),
            "registration_to_approval_median_days": stat(from_reg, "median"),
        }
        rows.extend((label, start, end, m, values[m]) for m in ADOPTER_MEASURES)
    out = pd.DataFrame(rows, columns=["period", "period_start", "period_end", "measure", "value"])
    out["value"] = pd.Series([r[4] for r in rows], dtype=object)
    return out
