"""Pseudonymisation of child identifiers (DESIGN §3: keyed hash, key kept outside the repo).

A child's pseudonymised id is the first 16 hex characters of HMAC-SHA256 over
``f"{la_code}:{child}"`` with a secret key. The same LA child id gives the same pseudonymised id
in the SSDA903, the CIN census, the IRO extracts and the RAA referrals, and nobody without the key
can go back from it to the LA's id (or confirm a guess).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from functools import lru_cache

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

ID_LENGTH = 16


@lru_cache(maxsize=1 << 20)
def _digest(key: bytes, message: str) -> str:
    return hmac.digest(key, message.encode(), hashlib.sha256).hex()[:ID_LENGTH]


def pseudonymise_one(child: str, la_code: str, key: bytes) -> str:
    """Pseudonymised id of one child: HMAC-SHA256(key, ``"{la_code}:{child}"``), 16 hex chars."""
    return _digest(key, f"{la_code}:{child}")


class _OneLA:
    """Pseudonymised ids of the LA read last (ingest reads one LA at a time).

    Every table of an LA's returns repeats its children's ids; looking them up here is much
    cheaper than hashing again. Only one LA is kept, so memory stays that of one LA.
    """

    def __init__(self) -> None:
        self.owner: tuple[bytes, str] | None = None
        self.ids: dict[str, str] = {}

    def lookup(self, key: bytes, la_code: str, children: np.ndarray) -> list[str]:
        if self.owner != (key, la_code):
            self.owner, self.ids = (key, la_code), {}
        ids = self.ids
        out = [ids.get(c) for c in children]
        for i, found in enumerate(out):
            if found is None:
                child = children[i]
                out[i] = ids[child] = _digest(key, f"{la_code}:{child}")
        return out


_ONE_LA = _OneLA()


def pseudonymise(children: pd.Series, la_code: str | pd.Series, key: bytes) -> pd.Series:
    """Pseudonymise a column of LA child ids; a blank id stays missing.

    Parameters
    ----------
    children
        LA child ids as strings (leading zeros matter: ``"007"`` and ``"7"`` are different ids).
    la_code
        The LA's 3-digit code, or a column of codes aligned with ``children``.
    key
        The secret key from :func:`analysis.keyfile.load_or_create_key`.

    Returns
    -------
    pandas.Series
        Object dtype: the 16-character ids, None where the id was blank.
    """
    values = children.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) not in ("string", "empty"):
        values = children.fillna("").astype(str).to_numpy(dtype=object)
    if isinstance(la_code, pd.Series):
        messages = la_code.fillna("").astype(str).to_numpy(dtype=object) + ":" + values
        codes, uniques = pd.factorize(messages)
        ids = np.array([_digest(key, m) for m in uniques], dtype=object)
        out = np.where(values == "", None, ids[codes] if len(codes) else ids)
    else:  # one LA: each distinct id looked up (or hashed) once
        codes, uniques = pd.factorize(values)
        ids = np.empty(len(uniques), dtype=object)
        ids[:] = _ONE_LA.lookup(key, la_code, uniques)
        ids[uniques == ""] = None
        out = ids[codes]
    return pd.Series(out, index=children.index, dtype=object)
