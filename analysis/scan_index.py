"""What the identifier scan keeps between builds, so a re-render does not read the raw data again.

:func:`analysis.scan.scan_outputs` needs the identifiers of the raw input and then searches every
output file. Reading the raw returns again on every render costs seconds (2-4 s for the synthetic
data), and most outputs of a re-render are the same bytes as last time. This module keeps two
things in ``<processed_dir>/.scan/``, beside the pseudonymised tables (git-ignored, like them):

- ``identifiers.json``: the raw folder's identifiers as **keyed BLAKE2b digests**, never the values.
  The digest key is derived from the pseudonymisation key (which lives outside the repository), so
  the file can no more be reversed than the pseudonymised ids: without the key even a date of
  birth, from a space of a few thousand days, cannot be tested against it. It is used only while
  the raw folder's fingerprint (every ``.csv``/``.xml`` file's path, size and modification time),
  the key and this scanner's code are unchanged; otherwise the raw data is read again.
- ``clean.json``: fingerprints of output files already searched with no finding. A fingerprint is
  the SHA-256 of the file's bytes, its kind, the identifiers' fingerprint and the allowed dates,
  so a file is skipped only when the same bytes were searched for the same identifiers under the
  same rules. Files with findings are never recorded: they are searched every time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from analysis.scan import Identifiers, collect_identifiers

log = logging.getLogger(__name__)

INDEX_DIRNAME = ".scan"
INDEX_FILE = "identifiers.json"
CLEAN_FILE = "clean.json"
#: At most this many clean-file fingerprints are kept (the newest).
MAX_CLEAN = 5000
_RAW_SUFFIXES = {".csv", ".xml"}


def scanner_version() -> str:
    """SHA-256 of the scanner's code: a change to what is collected or searched invalidates."""
    digest = hashlib.sha256()
    for module in ("scan.py", "scan_index.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()


def raw_fingerprint(raw_dir: Path) -> str:
    """Fingerprint of a raw folder: path, size and modification time of each CSV and XML file."""
    digest = hashlib.sha256()
    for path in sorted(Path(raw_dir).rglob("*")):
        if path.suffix.lower() in _RAW_SUFFIXES and path.is_file():
            st = path.stat()
            rel = path.relative_to(raw_dir).as_posix()
            digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def digest_key(pseudonymisation_key: bytes) -> bytes:
    """The key of the identifier digests, derived from (and never equal to) the ids' key."""
    return hashlib.blake2b(pseudonymisation_key, person=b"csc-scan-index", digest_size=32).digest()


def _fingerprint(raw_dir: Path, key: bytes) -> str:
    parts = (raw_fingerprint(raw_dir), scanner_version(), hashlib.sha256(key).hexdigest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # builds may run side by side
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def load_identifiers(
    raw_dir: Path, cache_dir: Path, pseudonymisation_key: bytes
) -> tuple[Identifiers, str]:
    """The raw folder's identifiers as keyed digests: from the cache when still valid, else read.

    Parameters
    ----------
    raw_dir
        The raw input folder.
    cache_dir
        Folder of the cache (``<processed_dir>/.scan``).
    pseudonymisation_key
        The run's pseudonymisation key; the digests are keyed with :func:`digest_key` of it.

    Returns
    -------
    Identifiers
        With :attr:`~analysis.scan.Identifiers.digest_key` set.
    str
        Their fingerprint (raw folder, key and scanner code).
    """
    key = digest_key(pseudonymisation_key)
    fingerprint = _fingerprint(Path(raw_dir), key)
    path = Path(cache_dir) / INDEX_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("fingerprint") == fingerprint:
            ids = Identifiers(too_short=int(data["too_short"]), digest_key=key)
            ids.tokens = {bytes.fromhex(h): kind for h, kind in data["tokens"].items()}
            ids.dobs = {bytes.fromhex(h) for h in data["dobs"]}
            ids.postcodes = {bytes.fromhex(h) for h in data["postcodes"]}
            log.debug("identifiers of %s from %s", raw_dir, path)
            return ids, fingerprint
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no cache, or an unreadable one: read the raw data again
    ids = collect_identifiers(Path(raw_dir)).digested(key)
    _write_json(
        path,
        {
            "fingerprint": fingerprint,
            "too_short": ids.too_short,
            "tokens": {h.hex(): kind for h, kind in ids.tokens.items()},
            "dobs": sorted(h.hex() for h in ids.dobs),
            "postcodes": sorted(h.hex() for h in ids.postcodes),
        },
    )
    return ids, fingerprint


class CleanFiles:
    """Output files already searched with no finding, by the fingerprint of their bytes.

    Parameters
    ----------
    cache_dir
        Folder of the cache (``<processed_dir>/.scan``).
    context
        What else decides a file's result: the identifiers' fingerprint and the allowed dates.
    """

    def __init__(self, cache_dir: Path, context: str) -> None:
        self.path = Path(cache_dir) / CLEAN_FILE
        self.context = context
        try:
            self.known: list[str] = list(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            self.known = []
        self._known = set(self.known)
        self.skipped = 0

    def fingerprint(self, path: Path) -> str:
        """SHA-256 of the file's kind, bytes and the search context."""
        digest = hashlib.sha256(f"{self.context}\0{path.suffix.lower()}\0".encode())
        digest.update(path.read_bytes())
        return digest.hexdigest()

    def is_clean(self, fingerprint: str) -> bool:
        """The same bytes were searched for the same identifiers and nothing was found."""
        if fingerprint in self._known:
            self.skipped += 1
            return True
        return False

    def add(self, fingerprint: str) -> None:
        """Record a file searched with no finding."""
        if fingerprint not in self._known:
            self._known.add(fingerprint)
            self.known.append(fingerprint)

    def save(self) -> None:
        """Add this scan's fingerprints to the file's (another build may have written it)."""
        try:
            ours = set(self.known)
            theirs = [f for f in json.loads(self.path.read_text(encoding="utf-8")) if f not in ours]
        except (OSError, ValueError, TypeError):
            theirs = []
        _write_json(self.path, (theirs + self.known)[-MAX_CLEAN:])


def context_of(fingerprint: str, allowed_dates: frozenset) -> str:
    """The search context of :class:`CleanFiles`: the identifiers' fingerprint, allowed dates."""
    dates = ",".join(d.isoformat() for d in sorted(allowed_dates))
    return hashlib.sha256(f"{fingerprint}\0{dates}".encode()).hexdigest()
