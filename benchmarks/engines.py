"""Evidence for the engine choice: a metric hot spot in pandas, DuckDB and polars.

Times, on one processed folder (e.g. 50 councils from ``scale.py``), loading the episodes and
computing periods of care and placements (:func:`analysis.cla.annotate_episodes`, the step every
CLA measure starts from) and the children looked after at 31 March, in pandas (the project's
engine) and in DuckDB SQL and polars, and checks that they agree. DuckDB and polars are not
project dependencies: install them where this script can import them, e.g.
``.venv/bin/pip install --target /tmp/engines duckdb polars`` and ``--extra-path /tmp/engines``.

Run: ``.venv/bin/python benchmarks/engines.py --processed DIR [--extra-path DIR]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, write_results  # noqa: E402

ANNOTATE_SQL = """
WITH e AS (
  SELECT *, ls IN ('V3', 'V4') AS short_break,
         SUM(CASE WHEN rne = 'S' THEN 1 ELSE 0 END) OVER w AS poc
  FROM read_parquet('{glob}')
  WINDOW w AS (PARTITION BY child_id ORDER BY decom ROWS UNBOUNDED PRECEDING)),
f AS (
  SELECT *, FIRST_VALUE(decom) OVER (PARTITION BY child_id, poc ORDER BY decom) AS poc_start,
         poc > 0 AS poc_start_known,
         (rne IS DISTINCT FROM 'L')
           OR LAG(child_id) OVER (PARTITION BY child_id ORDER BY decom) IS NULL
           OR short_break <> COALESCE(
                LAG(short_break) OVER (PARTITION BY child_id ORDER BY decom), short_break)
           AS new_placement
  FROM e),
g AS (
  SELECT *, SUM(CASE WHEN new_placement THEN 1 ELSE 0 END) OVER (
           PARTITION BY child_id ORDER BY decom ROWS UNBOUNDED PRECEDING) AS placement
  FROM f)
SELECT *, FIRST_VALUE(decom) OVER (PARTITION BY child_id, placement ORDER BY decom)
          AS placement_start
FROM g ORDER BY child_id, decom
"""
CLA_SQL = """
SELECT COUNT(*) FROM (
  SELECT child_id, arg_max(ls, decom) AS ls FROM read_parquet('{glob}')
  WHERE decom <= DATE '{date}' AND (dec IS NULL OR dec > DATE '{date}') GROUP BY child_id)
WHERE ls NOT IN ('V3', 'V4')
"""


def best_of(f, n: int = 3):
    times, result = [], None
    for _ in range(n):
        t = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - t)
    return round(min(times), 3), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processed", type=Path, required=True)
    parser.add_argument("--extra-path", type=Path, default=None)
    parser.add_argument("--date", default="2024-03-31")
    args = parser.parse_args(argv)
    if args.extra_path:
        sys.path.append(str(args.extra_path))
    import duckdb
    import polars as pl

    from analysis.cla import annotate_episodes, cla_count_at
    from analysis.io import load_table

    processed = args.processed
    las = sorted(p.name for p in processed.iterdir() if p.is_dir() and p.name != "raa")
    glob = f"{processed}/*/episodes.parquet"
    rows: list[dict] = []
    t, episodes = best_of(lambda: load_table(processed, "episodes", las))
    rows.append({"engine": "pandas", "step": "load episodes", "seconds": t})
    t, annotated = best_of(lambda: annotate_episodes(episodes))
    rows.append({"engine": "pandas", "step": "periods of care and placements", "seconds": t})
    t, count = best_of(lambda: cla_count_at(episodes, args.date))
    rows.append({"engine": "pandas", "step": "children looked after at a date", "seconds": t})

    con = duckdb.connect()
    t, sql = best_of(lambda: con.sql(ANNOTATE_SQL.format(glob=glob)).df())
    cols = ["poc", "placement"]
    same = all(
        (annotated[c].to_numpy() == sql[c].astype("int64").to_numpy()).all() for c in cols
    ) and all(
        (annotated[c].to_numpy() == sql[c].to_numpy()).all()
        for c in ("child_id", "decom", "poc_start", "placement_start")
    )
    rows.append(
        {
            "engine": "duckdb",
            "step": "periods of care and placements (SQL, result to pandas)",
            "seconds": t,
            "agrees": same,
        }
    )
    t, n = best_of(lambda: con.execute(CLA_SQL.format(glob=glob, date=args.date)).fetchall()[0][0])
    rows.append(
        {
            "engine": "duckdb",
            "step": "children looked after at a date",
            "seconds": t,
            "agrees": n == count,
        }
    )
    t, frame = best_of(lambda: pl.read_parquet(glob))
    rows.append({"engine": "polars", "step": "load episodes", "seconds": t})

    def periods() -> pl.DataFrame:
        e = frame.sort(["child_id", "decom"]).with_columns(
            poc=(pl.col("rne") == "S").fill_null(False).cast(pl.Int64).cum_sum().over("child_id")
        )
        return e.with_columns(poc_start=pl.col("decom").first().over(["child_id", "poc"]))

    t, _ = best_of(periods)
    rows.append({"engine": "polars", "step": "periods of care only (partial)", "seconds": t})
    meta = machine()
    meta["episodes"] = len(episodes)
    meta["councils"] = len(las)
    write_results("engines", rows, meta)
    for r in rows:
        print(r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
