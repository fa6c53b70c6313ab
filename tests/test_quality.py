import pandas as pd

from analysis.quality import dq_reasons, dq_summary, nothing_lost_sentence, rows_lost


def summary():
    return pd.DataFrame(
        {
            "file": ["a.csv", "b.csv", "c.csv"],
            "table": ["episodes", "episodes", "reviews"],
            "rows_in": [10, 5, 7],
            "rows_processed": [8, 2, 7],
            "rows_superseded": [1, 3, 0],
            "rows_quarantined": [1, 0, 0],
        }
    )


def test_dq_summary_totals():
    out = dq_summary(summary())
    assert out["table"].tolist() == ["episodes", "reviews", "Total"]
    assert out["rows_in"].tolist() == [15, 7, 22]
    assert out["rows_quarantined"].tolist() == [1, 0, 1]


def test_nothing_lost_and_lost_rows():
    s = summary()
    assert rows_lost(s) == 0
    assert nothing_lost_sentence(s).startswith("22 raw rows were read from 3 files: 17 processed")
    s.loc[0, "rows_processed"] = 7
    assert rows_lost(s) == 1
    assert "1 rows are unaccounted for" in nothing_lost_sentence(s)


def test_dq_reasons_counts():
    log = pd.DataFrame(
        {
            "action": ["quarantined", "quarantined", "warning"],
            "reason": ["bad date", "bad date", "extra column"],
        }
    )
    out = dq_reasons(log)
    assert out.values.tolist() == [["quarantined", "bad date", 2], ["warning", "extra column", 1]]
