"""Ingest of the raw returns: validation, pseudonymisation, de-duplication (DESIGN §3).

:func:`run_ingest` reads the raw folder laid out as in data/README.md §1 (SSDA903 CSVs, CIN census
XML, IRO and RAA extracts) and writes one typed parquet file per table (data/README.md §2) with a
data-quality log of every quarantined row, a per-file summary and a manifest.

Modules:

- :mod:`~analysis.ingest.spec`: table specifications, from ``schemas.yml`` and the DfE reference
  files in ``reference_dir``;
- :mod:`~analysis.ingest.csvfile`, :mod:`~analysis.ingest.ssda903`, :mod:`~analysis.ingest.cin`,
  :mod:`~analysis.ingest.local`: reading the raw files;
- :mod:`~analysis.ingest.validate`: row checks and typing;
- :mod:`~analysis.ingest.quality`: the data-quality log;
- :mod:`~analysis.ingest.dedupe`: overlapping returns;
- :mod:`~analysis.ingest.pseudonymise`: keyed child ids;
- :mod:`~analysis.ingest.run`: :func:`run_ingest`, writing the outputs.
"""

from analysis.ingest.pseudonymise import pseudonymise, pseudonymise_one
from analysis.ingest.run import IngestResult, clean_processed_dir, run_ingest
from analysis.keyfile import load_or_create_key

__all__ = [
    "run_ingest",
    "IngestResult",
    "load_or_create_key",
    "pseudonymise",
    "pseudonymise_one",
    "clean_processed_dir",
]
