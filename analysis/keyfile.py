"""The pseudonymisation key: read from its file, or made for synthetic data.

Apart from :mod:`analysis.ingest` (which pseudonymises with it), so that the identifier scan of a
re-render can read the key without loading the ingest machinery.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import stat
from pathlib import Path

from analysis.errors import ParameterError

log = logging.getLogger(__name__)

KEY_BYTES = 32
_HEX_KEY = re.compile(rb"^[0-9a-fA-F]{32,}$")


def load_or_create_key(key_path: Path, create: bool) -> bytes:
    """Read the pseudonymisation key, or make a new random one when ``create`` is true.

    The key file holds 32 random bytes (as written here) or a hex string of at least 16 bytes
    (for example from ``openssl rand -hex 32``). A new key file is created with mode 0600, its
    parent folders made as needed. Create a key only for synthetic data: with a new key, real
    children get new pseudonymised ids and no longer match earlier outputs.

    Parameters
    ----------
    key_path
        The key file; keep it outside the repository and outside ``data/``.
    create
        Make a new key when the file does not exist.

    Returns
    -------
    bytes
        The key.

    Raises
    ------
    ParameterError
        When the file does not exist and ``create`` is false, or it holds too short a key.
    """
    key_path = Path(key_path).expanduser()
    if not key_path.exists():
        if not create:
            raise ParameterError(
                f"key_path: the pseudonymisation key {key_path} does not exist. Copy your LA's key "
                "there (keep it outside the repository); a new key is made only for synthetic "
                "data."
            )
        key_path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(KEY_BYTES)
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        log.info("created a new pseudonymisation key at %s", key_path)
        return key
    if not key_path.is_file():
        raise ParameterError(f"key_path: {key_path} is not a file")
    raw = key_path.read_bytes()
    key = bytes.fromhex(raw.strip().decode("ascii")) if _HEX_KEY.match(raw.strip()) else raw
    if len(key) < 16:
        raise ParameterError(f"key_path: the key in {key_path} is shorter than 16 bytes")
    if os.name == "posix" and key_path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning(
            "the pseudonymisation key %s can be read by other users (chmod 600 it)", key_path
        )
    return key
