"""Children's social care statutory reports from SSDA903 and CIN census returns.

The package holds all the logic of the suite: ingest and validation of the raw returns
(:mod:`analysis.ingest`), the official metric definitions (:mod:`analysis.cla`,
:mod:`analysis.cp`, :mod:`analysis.adoption`, :mod:`analysis.iro`), output tables with disclosure
control (:mod:`analysis.tables`) and the report renderer (:mod:`analysis.render`).
"""

__version__ = "0.1.0"
