"""The headline CLA table, every figure worked out by hand."""

import pandas as pd
from cla_frames import children, ep, episodes, reviews

from analysis.cla import SUMMARY_MEASURES, cla_summary, review_timeliness

PS, PE = "2023-04-01", "2024-03-31"


def test_cla_summary_hand_computed():
    eps = episodes(
        ep("A", "2020-01-01"),  # CLA, stable
        ep("B", "2023-06-01", ls="C1", place="K2", dec="2024-02-01", rec="E41"),  # in and out
        ep("C", "2024-03-31", ls="V2", place="U6"),  # starts 31 March
        ep("D", "2023-07-01", ls="V3"),  # short breaks only
        ep("E", "2023-04-01", ls="C1", dec="2023-08-01", rec="X1"),  # 3 placements
        ep("E", "2023-08-01", rne="P", ls="C1", place="U6", dec="2023-12-01", rec="X1"),
        ep("E", "2023-12-01", rne="P", ls="C1", place="U6"),
    )
    kids = children(
        ("A", 1, "2012-01-01", "WBRI"),
        ("B", 2, "2010-05-05", "WBRI"),
        ("C", 1, "2009-01-01", "WBRI"),
        ("D", 2, "2015-01-01", "WBRI"),
        ("E", 1, "2018-01-01", "WBRI"),
    )
    rv = reviews(
        ("A", "2022-12-15", "PN1"),  # before the period; first in the data: not judged
        ("A", "2023-06-15", "PN1"),  # due 15 Jun 2023 (6 months): in time
        ("A", "2023-12-16", "PN1"),  # due 15 Dec 2023: late
        ("B", "2023-06-29", "PN1"),  # 20th working day after Thu 1 Jun 2023: in time
        ("B", "2023-09-29", "PN1"),  # 3 months after the first: in time
    )
    got = cla_summary(eps, kids, rv, 10_000, PS, PE)
    # the same with the review timeliness passed in, as notebook 10 does for both years
    timeliness = review_timeliness(rv, eps)
    pd.testing.assert_frame_equal(
        cla_summary(eps, kids, rv, 10_000, PS, PE, timeliness=timeliness), got
    )
    # ... and it is what the percentage is taken from: all four judged reviews marked late
    late = timeliness.assign(
        in_time=timeliness["in_time"].where(timeliness["in_time"].isna(), False)
    )
    passed = cla_summary(eps, kids, rv, 10_000, PS, PE, timeliness=late)
    assert passed.set_index("measure").loc["reviews_in_timescale_pct", "value"] == 0.0
    want = pd.DataFrame(
        {
            "measure": list(SUMMARY_MEASURES),
            "value": pd.Series([3, 3.0, 3, 1, 4, 75.0, 100 / 3, 100.0], dtype="object"),
        }
    )
    pd.testing.assert_frame_equal(got, want)
    assert [type(v) for v in got["value"]] == [int, float, int, int, int, float, float, float]
