"""Deterministic synthetic raw data in exactly the input contract (``data/README.md``).

:func:`generate` simulates, for each council, the full history of children looked after (from 18
years before the first collection year), child protection activity and the local IRO and RAA
extracts, then writes each collection year's SSDA903 return and CIN census as an LA would send
them. The same seed gives byte-identical files; each council has its own random streams, so
adding a council changes no other council's data.

Calibrated to Middlesbrough's published 2023/24 figures (seed reports) and scaled to each
council by its real number of children looked after at 31 March 2024; see ``calibration.yml``
and ``README.md`` in this package.

Deliberate edge cases (DESIGN section 4):

- **re-entries**: children who go home and come back into care have a second period of care
  (RNE S again) under the same CHILD id;
- **short breaks only**: children looked after only under an agreed series of short breaks,
  LS V3 (individual stays, each its own period) or V4 (a single agreement), CIN N2, with no
  postcodes or URN and no 903 reviews;
- **UASC**: mostly 16-17-year-old boys (UASC table with DUC, the 18th birthday, filled in
  ahead), ETHNIC often OOTH/AOTH/BAFR, some leaving with E15 (age disputed), E16 or E3;
- **adopted by their own foster carers**: early permanence (U5/U2 then A5, RNE U) and long-term
  foster carers who adopt (U4 then A5, RNE U), AD1 FOSTER_CARE = 1; A4 consent adoptions too;
- **disruptions**: adoptive placements ending without an order, some re-placed, some with the
  decision reversed (PlacedAdoption DATE_PLACED_CEASED, REASON_PLACED_CEASED);
- **CP plans spanning collection years**, and children on a CP plan and looked after at once;
- **reviews on bank holidays**: one review moved onto each Boxing Day and Easter Monday;
- **an episode ending exactly on 31 March** in every collection year (ceased in the year, not
  looked after at 31 March);
- **NumberOfPreviousCPP = 0 on a later plan** of a child with an earlier plan in the data;
- **care ending on the 18th birthday** (most long-stayers: E17, E8, E5, E6 at 18);
- **identifiers**: CHILD ids with leading zeros (806, 841, 808: ``004512``), a different id
  style per council, UPNs with valid check letters, ``UN1`` for children under 5;
- **returns**: Hartlepool (805) sends its full history every year; Stockton (808) names its
  files ``SSDA903_<YYYY>_<Table>.csv``; only 806 and 807 send PL_DISTANCE/PL_LOCATION; only
  806, 805 and 808 have IRO extracts; SocialWorker only from 2023-24 (when DfE added it).
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from analysis.synthetic import edge_cases
from analysis.synthetic.children import IdFactory
from analysis.synthetic.cin import CPSimulator, icpcs_per_year
from analysis.synthetic.cla import CareSimulator
from analysis.synthetic.config import DEFAULT_LA_CODES, LAProfile, load_calibration
from analysis.synthetic.local_extracts import (
    IRO_COLUMNS,
    RAA_COLUMNS,
    IROExtracts,
    raa_adopters,
    raa_referrals,
)
from analysis.synthetic.model import Child
from analysis.synthetic.returns import (
    COLUMNS,
    DISTANCE_COLUMNS,
    SOCIAL_WORKER_FROM,
    build_return,
    file_name,
)
from analysis.synthetic.util import WorkCalendar, child_rng, collection_years
from analysis.synthetic.writers import cin_census_xml, write_csv, write_text

__all__ = ["generate", "simulate_la", "DEFAULT_LA_CODES", "MARKER"]

logger = logging.getLogger(__name__)
MARKER = "SYNTHETIC"
HISTORY_YEARS = 18
STREAM_CLA, STREAM_CP, STREAM_EDGE, STREAM_IRO, STREAM_RETURNS, STREAM_RAA = 1, 2, 3, 4, 5, 6


@dataclass
class LAWorld:
    """Everything simulated for one council."""

    profile: LAProfile
    children: list[Child]


def simulate_la(
    code: str, seed: int, first_year: int, last_year: int, cal: WorkCalendar
) -> LAWorld:
    """Simulate one council's children: care histories, CP activity and edge cases.

    Parameters
    ----------
    code
        DfE 3-digit LA code.
    seed
        Master seed.
    first_year, last_year
        First and last collection years (by their first calendar year).
    cal
        Working-day calendar covering the whole history.
    """
    calib = load_calibration()
    profile = calib.profile(code)
    horizon = dt.date(last_year + 1, 3, 31)
    ids = IdFactory(profile.id_style, child_rng(seed, code, 0))
    if profile.id_style == "zero6":
        ids.reserve("000123")
    cla = CareSimulator(
        child_rng(seed, code, STREAM_CLA),
        profile,
        calib,
        cal,
        ids,
        dt.date(first_year - HISTORY_YEARS, 4, 1),
        dt.date(first_year, 4, 1),
        horizon,
    )
    children = cla.run()
    if profile.id_style == "zero6" and children:
        _rename(children, "000123", dt.date(last_year, 3, 31))
    years = list(range(first_year, last_year + 1))
    edge_rng = child_rng(seed, code, STREAM_EDGE)
    edge_cases.end_on_31_march(children, years, edge_rng)
    cla_rng = cla.rng
    on_time = {
        y: float(cla_rng.uniform(0.84, 0.95))
        for y in range(first_year - HISTORY_YEARS, last_year + 2)
    }
    cla.add_events(on_time)
    first = dt.date(first_year, 4, 1)
    edge_cases.reviews_on_bank_holidays(children, cal, first, horizon, edge_rng)
    edge_cases.young_mothers(children, edge_rng)

    cp = CPSimulator(
        child_rng(seed, code, STREAM_CP),
        profile,
        calib,
        cal,
        ids,
        dt.date(first_year - 4, 4, 1),
        horizon,
    )
    cp.link_looked_after(children)
    target = calib.rates["icpc_per_cla"] * profile.cla_target
    linked = icpcs_per_year(children, first_year, last_year)
    cp.run_families(target, linked)
    everyone = children + cp.children
    edge_cases.previous_plan_not_counted(everyone, first, horizon, edge_rng)
    logger.info(
        "LA %s (%s): %d children looked after in the history, %d CP-only children",
        code,
        profile.name,
        len(children),
        len(cp.children),
    )
    return LAWorld(profile, everyone)


def _rename(children: list[Child], cid: str, on: dt.date) -> None:
    """Give a child looked after on ``on`` the id ``cid`` (a leading-zeros example)."""
    for child in children:
        if any(p.start <= on and (p.end is None or p.end > on) for p in child.periods):
            child.child_id = cid
            return


def generate(
    raw_dir: Path,
    seed: int = 2024,
    first_year: int = 2020,
    last_year: int = 2024,
    la_codes: list[str] | None = None,
    workers: int | None = None,
) -> dict:
    """Write the full synthetic raw dataset into ``raw_dir``.

    Parameters
    ----------
    raw_dir
        Folder of the raw dataset (``data/raw/synthetic``). The per-LA folders and ``raa/`` inside
        it are removed and rewritten; nothing outside it is touched.
    seed
        Master seed: the same seed gives byte-identical files.
    first_year, last_year
        Collection years ``first_year``-``first_year+1`` to ``last_year``-``last_year+1``.
    la_codes
        DfE 3-digit LA codes; default the five Tees Valley councils. Unknown codes get a
        plausible default size.
    workers
        Processes simulating councils side by side (the files are the same for any number);
        default one per CPU core, at most one per council.

    Returns
    -------
    dict
        ``raw_dir``, ``seed``, ``years``, ``files`` (paths relative to ``raw_dir``) and ``rows``
        (``rows[la][year][table]`` and ``rows["raa"][table]``).
    """
    if last_year < first_year:
        raise ValueError("last_year must not be before first_year")
    codes = list(DEFAULT_LA_CODES if la_codes is None else la_codes)
    calib = load_calibration()
    for code in codes:
        calib.profile(code)  # validates the code
    raw_dir = Path(raw_dir)
    _prepare(raw_dir, codes)
    summary: dict = {
        "raw_dir": str(raw_dir),
        "seed": seed,
        "years": [label for label, _, _ in collection_years(first_year, last_year)],
        "files": [],
        "rows": {},
    }
    worlds: dict[str, LAWorld] = {}
    for code, (world, rows, files) in _each_la(
        raw_dir, codes, seed, first_year, last_year, workers
    ):
        worlds[code] = world
        summary["rows"][code] = rows
        summary["files"].extend(files)
    summary["rows"]["raa"] = _write_raa(
        raw_dir, worlds, seed, first_year, last_year, summary["files"]
    )
    marker = raw_dir / MARKER
    marker.write_text(
        f"synthetic data generated by analysis.synthetic, seed {seed}\n", encoding="utf-8"
    )
    summary["files"].append(MARKER)
    logger.info("wrote %d files to %s", len(summary["files"]), raw_dir)
    return summary


def _simulate_and_write(
    raw_dir: Path, code: str, seed: int, first_year: int, last_year: int
) -> tuple[LAWorld, dict, list[str]]:
    """Simulate one council and write its files; return what the agency's extracts need.

    The council's own random streams make the result independent of the other councils and of
    the process it runs in. The children returned keep only what :func:`_write_raa` reads
    (ids, dates of birth, sibling groups, and each period's pathway, adoption, first and last
    episode), which keeps a national-size run within memory.
    """
    cal = WorkCalendar(first_year - HISTORY_YEARS - 1, last_year + 4)
    world = simulate_la(code, seed, first_year, last_year, cal)
    files: list[str] = []
    rows = _write_la(raw_dir, world, seed, first_year, last_year, cal, files)
    for child in world.children:
        child.referrals = []
        for period in child.periods:
            period.episodes = [period.episodes[0], period.episodes[-1]]
            period.reviews, period.missing, period.social_workers = [], [], []
    return world, rows, files


def _log_to_stderr(level: int) -> None:
    """Worker initialiser: show the council progress messages as the parent would."""
    logging.basicConfig(level=level, format="%(message)s")


def _each_la(
    raw_dir: Path, codes: list[str], seed: int, first_year: int, last_year: int, workers: int | None
) -> Iterator[tuple[str, tuple[LAWorld, dict, list[str]]]]:
    """Yield ``(code, (world, rows, files))`` for every council, in the order of ``codes``."""
    n = min(len(codes), os.cpu_count() or 1) if workers is None else max(1, int(workers))
    if n <= 1:
        for code in codes:
            yield code, _simulate_and_write(raw_dir, code, seed, first_year, last_year)
        return
    context = multiprocessing.get_context("spawn")  # fresh interpreters: safe from a notebook
    level = logging.getLogger().getEffectiveLevel()
    with ProcessPoolExecutor(
        n, mp_context=context, initializer=_log_to_stderr, initargs=(level,)
    ) as pool:
        futures = [
            pool.submit(_simulate_and_write, raw_dir, code, seed, first_year, last_year)
            for code in codes
        ]
        for code, future in zip(codes, futures, strict=True):
            yield code, future.result()


def _prepare(raw_dir: Path, codes: list[str]) -> None:
    """Remove the folders this generator owns inside ``raw_dir``, and only those.

    Owned: the folders of ``codes`` and ``raa``; when ``raw_dir`` already holds a synthetic
    marker, also any other 3-digit LA folder left by an earlier run.
    """
    raw_dir.mkdir(parents=True, exist_ok=True)
    owned = set(codes) | {"raa"}
    if (raw_dir / MARKER).exists():
        owned |= {
            p.name
            for p in raw_dir.iterdir()
            if p.is_dir() and p.name.isdigit() and len(p.name) == 3
        }
    for name in sorted(owned):
        target = raw_dir / name
        if target.is_symlink():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
    (raw_dir / MARKER).unlink(missing_ok=True)


def _write_la(
    raw_dir: Path,
    world: LAWorld,
    seed: int,
    first_year: int,
    last_year: int,
    cal: WorkCalendar,
    files: list[str],
) -> dict:
    """Write one council's returns, CIN censuses and IRO extracts; return row counts."""
    profile, children = world.profile, world.children
    la_dir = raw_dir / profile.code
    counts: dict = {}
    rng = child_rng(seed, profile.code, STREAM_RETURNS)
    children = sorted(children, key=lambda c: c.child_id)
    for label, ys, _ye in collection_years(first_year, last_year):
        year = ys.year
        tables = build_return(children, year, profile.full_history, profile.distance_columns, rng)
        counts[label] = {}
        for table, rows in tables.items():
            if table == "SocialWorker" and year < SOCIAL_WORKER_FROM:
                continue
            columns = COLUMNS[table] + (
                DISTANCE_COLUMNS if table == "Episodes" and profile.distance_columns else []
            )
            rel = Path(profile.code, "ssda903", label, file_name(table, profile.file_naming, year))
            counts[label][table] = write_csv(raw_dir / rel, columns, rows)
            files.append(rel.as_posix())
        xml, n = cin_census_xml(profile.code, year, children)
        rel = Path(profile.code, "cin_census", f"{label}.xml")
        write_text(raw_dir / rel, xml)
        files.append(rel.as_posix())
        counts[label]["CINchildren"] = n
    if profile.iro_extracts:
        horizon = dt.date(last_year + 1, 3, 31)
        iro = IROExtracts(
            child_rng(seed, profile.code, STREAM_IRO),
            profile,
            load_calibration(),
            cal,
            children,
            first_year,
            horizon,
        )
        iro.assign()
        tables = {"caseload": iro.caseload(), **iro.activity()}
        counts["iro"] = {}
        for name, rows in tables.items():
            rel = Path(profile.code, "iro", f"{name}.csv")
            counts["iro"][name] = write_csv(la_dir / "iro" / f"{name}.csv", IRO_COLUMNS[name], rows)
            files.append(rel.as_posix())
    logger.info("LA %s: wrote returns for %s", profile.code, ", ".join(counts))
    return counts


def _write_raa(
    raw_dir: Path,
    worlds: dict[str, LAWorld],
    seed: int,
    first_year: int,
    last_year: int,
    files: list[str],
) -> dict:
    """Write the agency's referrals and adopters extracts."""
    rng = child_rng(seed, "000", STREAM_RAA)
    first, horizon = dt.date(first_year, 4, 1), dt.date(last_year + 1, 3, 31)
    by_la = {code: sorted(w.children, key=lambda c: c.child_id) for code, w in worlds.items()}
    scale = sum(w.profile.cla_target for w in worlds.values()) / 2147.0
    tables = {
        "referrals": raa_referrals(rng, by_la, first, horizon),
        "adopters": raa_adopters(rng, scale, first, horizon),
    }
    counts = {}
    for name, rows in tables.items():
        counts[name] = write_csv(raw_dir / "raa" / f"{name}.csv", RAA_COLUMNS[name], rows)
        files.append(f"raa/{name}.csv")
    return counts
