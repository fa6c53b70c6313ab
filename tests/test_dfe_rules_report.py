import pandas as pd

from analysis.dfe_rules.report import NOT_RUN, rules_sentence, rules_summary


def findings():
    return pd.DataFrame(
        {
            "return": [
                "806/903/2023-24",
                "806/903/2023-24",
                "806/903/2022-23",
                "806/cin/2020-21",
                "805/903/2023-24",
            ],
            "la_code": ["806", "806", "806", "806", "805"],
            "rule_code": ["101", "392c", "101", "", "101"],
            "description": ["Sex", "Postcode", "Sex", "no ruleset for 2021", "Sex"],
            "rows": [3, 10, 2, 0, 7],
            "children": [3, 4, 2, 0, 7],
            "status": ["issues", "issues", "issues", "not_checked", "issues"],
        }
    )


def test_summary_counts_rows_and_returns_per_rule_for_the_report_las():
    out = rules_summary(findings(), ["806"])
    # 392c: 10 rows in one return; 101: 3 + 2 rows in two returns (805's 7 rows are not ours)
    assert out.values.tolist() == [["392c", "Postcode", 1, 10, 4], ["101", "Sex", 2, 5, 5]]


def test_sentence_counts_checked_returns():
    text = rules_sentence(findings(), ["806"])
    assert text.startswith("DfE's validation rules checked 2 of 3 returns (1 could not be checked")
    assert "2 rules found issues, on 15 rows in all" in text


def test_not_run():
    assert rules_sentence(None, ["806"]) == NOT_RUN
