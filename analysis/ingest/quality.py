"""The data-quality log: every rejected row and every warning, with file, row, field and reason.

One line per problem. ``action`` is ``quarantined`` (the row is left out of the processed data)
or ``warning`` (the row is kept; the problem is in a field that is dropped on ingest, or in the
file as a whole, such as an unknown column). Values are safe to share with the people who fix the
data but never identify a child: a child id is shown pseudonymised, and a date of birth, UPN or
postcode is shown as ``<redacted>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

LOG_COLUMNS = ["file", "row", "field", "value", "reason", "action"]
QUARANTINED = "quarantined"
WARNING = "warning"
REDACTED = "<redacted>"


_EMPTY = pd.DataFrame(
    {
        "file": pd.Series(dtype=object),
        "row": pd.Series(dtype="Int64"),
        "field": pd.Series(dtype=object),
        "value": pd.Series(dtype=object),
        "reason": pd.Series(dtype=object),
        "action": pd.Series(dtype=object),
    }
)


def empty_log() -> pd.DataFrame:
    """Return a data-quality log with no entries and the right columns."""
    return _EMPTY.copy()


@dataclass
class LogBuilder:
    """Collects log entries for one file, vectorised: one call per (check, field)."""

    file: str
    parts: list[pd.DataFrame] = field(default_factory=list)

    def add(
        self,
        rows: pd.Series | np.ndarray | list | int | None,
        field: str,
        values: pd.Series | list | str,
        reason: str | pd.Series,
        action: str,
    ) -> None:
        """Add entries: ``rows``, ``values`` (and ``reason``) aligned, or scalars for one entry."""
        if rows is None or np.isscalar(rows):
            rows = [rows]
        rows = pd.array(np.asarray(rows, dtype=object), dtype="Int64")
        n = len(rows)
        if n == 0:
            return
        values = [values] * n if isinstance(values, str) else list(values)
        reasons = [reason] * n if isinstance(reason, str) else list(reason)
        self.parts.append(
            pd.DataFrame(
                {
                    "file": [self.file] * n,
                    "row": rows,
                    "field": [field] * n,
                    "value": values,
                    "reason": reasons,
                    "action": [action] * n,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        """All entries, in row order (file-level entries, without a row, first)."""
        if not self.parts:
            return empty_log()
        out = pd.concat(self.parts, ignore_index=True)
        out["row"] = out["row"].astype("Int64")
        order = out["row"].fillna(0).to_numpy()
        return out.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def combine(logs: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate logs, keeping the columns and dtypes when there are none."""
    logs = [lg for lg in logs if len(lg)]
    if not logs:
        return empty_log()
    out = pd.concat(logs, ignore_index=True)
    out["row"] = out["row"].astype("Int64")
    return out[LOG_COLUMNS]


def safe_values(raw: pd.Series, redact: bool, pseudonymised: pd.Series | None = None) -> pd.Series:
    """Values as shown in the log: pseudonymised for a child id, ``<redacted>`` when personal."""
    if pseudonymised is not None:
        return pseudonymised.astype(object).where(pseudonymised.notna(), "")
    if redact:
        return raw.where(raw.eq(""), REDACTED)
    return raw
