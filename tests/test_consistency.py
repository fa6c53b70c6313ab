"""Consistency checks on hand-made tables: they pass when the report agrees with itself."""

import json

import pandas as pd
import pytest
from refdata import REFERENCE_DIR

from analysis.consistency import (
    INTERNAL_DIRNAME,
    ConsistencyError,
    check_build,
    load_tables,
    prepare_internal_dir,
    previous_internal_dir,
    previous_year_checks,
    run_checks,
)
from analysis.params import parse_params
from analysis.tables import publish_table


def measures(**values):
    return pd.DataFrame({"measure": list(values), "value": list(values.values())})


def codes(counts: dict[str, int], percents=None):
    total = sum(counts.values())
    pct = percents or [100 * c / total for c in counts.values()]
    return pd.DataFrame({"code": list(counts), "count": list(counts.values()), "percent": pct})


def good_tables():
    return {
        "cla_summary": measures(
            cla_count=10,
            started_count=3,
            ceased_count=4,
            reviews_held=6,
            reviews_in_timescale_pct=50.0,
        ),
        "cla_by_ethnicity": codes({"WBRI": 6, "MWBC": 4}),
        "cla_ceased_by_reason": codes({"E11": 1, "E13": 3}),
        "cla_monthly": pd.DataFrame(
            {"month_end": ["Feb-24", "Mar-24"], "count": [9, 10], "rate_per_10k": [1.0, 1.1]}
        ),
        "cp_summary": measures(cp_plans_count=5, icpc_count=7, icpc_no_plan_count=2),
        "cp_icpc_outcomes": pd.DataFrame(
            {
                "period": ["2022-23"] * 2 + ["2023-24"] * 4,
                "code": [
                    "CP plan",
                    "All ICPCs",
                    "CP plan",
                    "CIN plan",
                    "No further action",
                    "All ICPCs",
                ],
                "count": [9, 9, 5, 1, 1, 7],
                "percent": [100.0, 100.0, 71.4, 14.3, 14.3, 100.0],
            }
        ),
        "cp_icpc_monthly": pd.DataFrame(
            {
                "period": ["2022-23", "2023-24", "2023-24", "2023-24"],
                "month": ["Mar", "Feb", "Mar", "Year"],
                "icpcs": [9, 3, 4, 7],
                "within_15_days": [5, 2, 2, 4],
                "within_15_days_pct": [55.6, 66.7, 50.0, 57.1],
            }
        ),
    }


def outcome(checks, name):
    found = [c for c in checks if c.name == name]
    assert found, [c.name for c in checks]
    return found[0]


def test_consistent_tables_pass():
    checks = run_checks(good_tables(), "2023-24")
    assert not [c for c in checks if c.failed]
    for name in (
        "cla_by_ethnicity adds up to cla_summary cla_count",
        "cla_ceased_by_reason adds up to cla_summary ceased_count",
        "cp_icpc_outcomes adds up to cp_summary icpc_count",
        "cp_icpc_outcomes rows add up to its total row",
        "cp_icpc_monthly adds up to cp_summary icpc_count",  # 2023-24 rows only, no "Year"
        "cp_icpc_monthly rows add up to its total row",
        "cla_monthly last month equals cla_summary cla_count",
        "cp_icpc_outcomes other than a CP plan equal cp_summary icpc_no_plan_count",
        "cla_by_ethnicity percentages are count / total",
    ):
        assert outcome(checks, name).status == "passed", name
    # tables that were not produced are skipped, not failed
    assert outcome(checks, "cp_by_category adds up to cp_summary cp_plans_count").status == (
        "skipped"
    )


def test_a_code_table_that_does_not_add_up_fails():
    tables = good_tables()
    tables["cla_by_ethnicity"] = codes({"WBRI": 6, "MWBC": 5})  # 11, not 10
    check = outcome(
        run_checks(tables, "2023-24"), "cla_by_ethnicity adds up to cla_summary cla_count"
    )
    assert check.failed
    assert check.detail == "the cla_by_ethnicity rows is 11 but cla_summary cla_count is 10"


def test_outcomes_that_do_not_add_up_to_their_total_fail():
    # the published report's "350 + 41 = 390"
    tables = good_tables()
    tables["cp_icpc_outcomes"].loc[5, "count"] = 8
    checks = run_checks(tables, "2023-24")
    assert outcome(checks, "cp_icpc_outcomes rows add up to its total row").failed


def test_a_percentage_that_is_not_count_over_total_fails():
    tables = good_tables()
    tables["cla_by_ethnicity"] = codes({"WBRI": 6, "MWBC": 4}, percents=[60.0, 41.0])
    check = outcome(run_checks(tables, "2023-24"), "cla_by_ethnicity percentages are count / total")
    assert check.failed and check.detail == "MWBC: 41% shown, 40.00% from the counts"
    # 1 dp rounding is not a contradiction: 2/3 = 66.7
    tables["cla_by_ethnicity"] = codes({"WBRI": 2, "MWBC": 1}, percents=[66.7, 33.3])
    tables["cla_summary"].loc[0, "value"] = 3
    check = outcome(run_checks(tables, "2023-24"), "cla_by_ethnicity percentages are count / total")
    assert check.status == "passed"


def test_last_month_must_be_the_period_end_count():
    tables = good_tables()
    tables["cla_monthly"].loc[1, "count"] = 11
    check = outcome(
        run_checks(tables, "2023-24"), "cla_monthly last month equals cla_summary cla_count"
    )
    assert check.failed


def by_period(year_values: dict[str, dict[str, float]]):
    rows = [(y, m, v) for y, values in year_values.items() for m, v in values.items()]
    return pd.DataFrame(rows, columns=["period", "measure", "value"])


def test_previous_year_equals_last_years_run():
    this_run = {
        "cp_summary_by_period": by_period(
            {
                "2022-23": {"cp_plans_count": 413, "icpc_count": 414},
                "2023-24": {"cp_plans_count": 357, "icpc_count": 352},
            }
        )
    }
    last_run = {
        "cp_summary_by_period": by_period(
            {
                "2021-22": {"cp_plans_count": 400, "icpc_count": 420},
                "2022-23": {"cp_plans_count": 413, "icpc_count": 414},
            }
        )
    }
    (check,) = previous_year_checks(this_run, last_run, "2022-23")
    assert check.name == "cp_summary_by_period for 2022-23 equals last year's run"
    assert check.status == "passed"
    last_run["cp_summary_by_period"].loc[3, "value"] = 415
    (check,) = previous_year_checks(this_run, last_run, "2022-23")
    assert check.failed
    assert check.detail == "2022-23, icpc_count value: 414 this run, 415 in last year's run"


def test_previous_columns_of_a_comparison_table_equal_last_years_current():
    columns = ["measure", "previous_count", "previous_total", "current_count", "current_total"]
    this_run = {"trend_proportions": pd.DataFrame([["reviews", 80, 100, 90, 100]], columns=columns)}
    last_run = {"trend_proportions": pd.DataFrame([["reviews", 70, 95, 80, 100]], columns=columns)}
    (check,) = previous_year_checks(this_run, last_run, "2022-23")
    assert check.status == "passed"
    last_run["trend_proportions"].loc[0, "current_total"] = 101
    (check,) = previous_year_checks(this_run, last_run, "2022-23")
    assert check.failed and "previous_total: 100 this run, 101 in last year's run" in check.detail


def test_a_row_missing_from_last_years_run_fails():
    this_run = {"cp_summary_by_period": by_period({"2022-23": {"a": 1, "b": 2}})}
    last_run = {"cp_summary_by_period": by_period({"2022-23": {"a": 1}})}
    (check,) = previous_year_checks(this_run, last_run, "2022-23")
    assert check.failed and check.detail == "2022-23, b is only in this run"


def test_a_row_of_zeros_missing_from_the_other_run_is_no_difference():
    # a code listed only because the other year had it
    this_run = {"cp_summary_by_period": by_period({"2022-23": {"a": 1, "b": 0}})}
    last_run = {"cp_summary_by_period": by_period({"2022-23": {"a": 1}})}
    (check,) = previous_year_checks(this_run, last_run, "2022-23")
    assert check.status == "passed"


def test_a_table_whose_layout_changed_is_not_compared():
    this_run = {"cla_views_conveyed": pd.DataFrame({"period": ["2022-23"], "reviews_held": [9]})}
    last_run = {"cla_views_conveyed": by_period({"2022-23": {"reviews_held": 9}})}
    (check,) = previous_year_checks(this_run, last_run, "2022-23")
    assert check.status == "skipped"


def params_for(tmp_path, year: int):
    return parse_params(
        {
            "report": "iro-annual",
            "la_codes": ["806"],
            "period_start": f"{year}-04-01",
            "period_end": f"{year + 1}-03-31",
            "raw_dir": str(tmp_path / "raw"),
            "reference_dir": str(REFERENCE_DIR),
            "output_dir": str(tmp_path / "out"),
            "executed_dir": str(tmp_path / "executed" / f"{year}-{str(year + 1)[-2:]}"),
            "disclosure": "public",
        }
    )


def write(folder, tables):
    for table_id, df in tables.items():
        df.to_csv(folder / f"{table_id}.csv", index=False)


def test_check_build_finds_last_years_run_and_fails_in_one_line(tmp_path):
    last = params_for(tmp_path, 2022)
    this = params_for(tmp_path, 2023)
    assert previous_internal_dir(this) is None  # not built yet
    write(
        prepare_internal_dir(last),
        {"cp_summary_by_period": by_period({"2022-23": {"icpc_count": 415}})},
    )
    assert previous_internal_dir(this) == last.executed_dir / INTERNAL_DIRNAME
    folder = prepare_internal_dir(this)
    assert json.loads((folder / "run.json").read_text())["period_label"] == "2023-24"
    tables = good_tables()
    tables["cp_summary_by_period"] = by_period(
        {
            "2022-23": {"icpc_count": 414},
            "2023-24": {"cp_plans_count": 5, "icpc_count": 7, "icpc_no_plan_count": 2},
        }
    )
    write(folder, tables)
    with pytest.raises(ConsistencyError) as error:
        check_build(this)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("consistency checks failed (1 of ")
    assert "cp_summary_by_period for 2022-23 equals last year's run" in message
    assert (folder / "consistency.csv").is_file()
    # a run of another council is not last year's run of this report
    record = json.loads((last.executed_dir / INTERNAL_DIRNAME / "run.json").read_text())
    record["la_codes"] = ["805"]
    (last.executed_dir / INTERNAL_DIRNAME / "run.json").write_text(json.dumps(record))
    assert previous_internal_dir(this) is None
    assert not [c for c in check_build(this) if c.failed]


def test_publish_table_keeps_an_unsuppressed_copy(tmp_path):
    df = pd.DataFrame(
        {
            "cohort": ["2023-24"],
            "plans": [40],
            "plans_ended": [3],
            "months": [3],
            "still_open_pct": [92.54],
            "lower_pct": [80.0],
            "upper_pct": [97.0],
        }
    )
    publish_table(df, "cp_time_on_plan", tmp_path / "public", "public", tmp_path / "private")
    public = pd.read_csv(tmp_path / "public" / "cp_time_on_plan.csv", dtype=str)
    private = load_tables(tmp_path / "private")["cp_time_on_plan"]
    assert public.loc[0, ["plans_ended", "still_open_pct"]].tolist() == ["c", "c"]
    assert private.loc[0, ["plans_ended", "still_open_pct"]].tolist() == [3, 92.5]
