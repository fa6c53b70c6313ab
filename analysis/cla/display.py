"""Show a tidy published table side by side (this year against last, or against comparators)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from analysis.cla.compare import side_by_side
from analysis.show import DISPLAY_HEADERS, display_frame, show_table
from analysis.tables import publish_table

__all__ = ["GROUP_NAMES", "publish_and_show_wide", "show_wide"]

#: Display names of the ``group`` values of tidy sex and age tables.
GROUP_NAMES = {"sex": "Sex", "age_band": "Age band"}


def show_wide(
    published: pd.DataFrame,
    table_id: str,
    caption: str,
    *,
    index: Sequence[str],
    columns: Sequence[str],
    values: Sequence[str],
    value_labels: Mapping[str, str] | None = None,
    describe: Callable[[object], str] | None = None,
    labels: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    order: Sequence[object] | None = None,
    drop_empty: bool = False,
) -> None:
    """Show a published tidy table spread across periods or areas, without writing it again.

    See :func:`publish_and_show_wide` for the view. ``drop_empty`` leaves out rows that are 0
    in every column shown (say so in the caption: the CSV keeps them).
    """
    from analysis.tables import load_catalogue

    value_names = {**DISPLAY_HEADERS, **dict(value_labels or {})}
    view = side_by_side(published, index, columns, values, value_names, order)
    if drop_empty:  # rows that are 0 in every spread column (a "c" is not 0)
        spread = [c for c in view.columns if c not in index]
        zero = view[spread].apply(lambda col: col.map(lambda v: v == 0 and v is not True))
        view = view.loc[~zero.all(axis=1)].reset_index(drop=True)
    if "group" in view.columns:
        view["group"] = [GROUP_NAMES.get(g, g) for g in view["group"]]
    labels = dict(labels or load_catalogue()[table_id].labels)
    frame = display_frame(view, describe, labels, {"group": "Group", **dict(headers or {})})
    show_table(frame, "tbl-" + table_id.replace("_", "-"), caption, dict(decimals or {}))


def publish_and_show_wide(
    df: pd.DataFrame,
    table_id: str,
    caption: str,
    tables_dir: str,
    disclosure: str,
    **view: object,
) -> pd.DataFrame:
    """Publish a tidy catalogue table as CSV and show it spread across periods or areas.

    The CSV keeps the tidy shape (one row per period and category); the reader sees
    :func:`~analysis.cla.compare.side_by_side` of the published (rounded, suppressed) values,
    with code descriptions (``describe``), measure labels (``labels``, default the catalogue's)
    and ``group`` values named by :data:`GROUP_NAMES`. ``view`` takes the keyword arguments of
    :func:`show_wide` (``index``, ``columns``, ``values`` ...). Returns the published table.
    """
    published = publish_table(df, table_id, tables_dir, disclosure)
    show_wide(published, table_id, caption, **view)  # type: ignore[arg-type]
    return published
