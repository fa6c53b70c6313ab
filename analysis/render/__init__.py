"""Render a report's Quarto source to HTML, PDF and DOCX, with or without Quarto.

Quarto renders the sources when it is installed (``quarto`` on PATH). Otherwise, the default on
our build machines, the built-in renderer resolves the shortcodes from the executed notebooks
(:func:`resolve_shortcodes`) and hands the markdown to pandoc (``pypandoc-binary``) for HTML and
DOCX and, through pandoc's typst writer, to typst (``typst`` wheel) for PDF.

Supported subset of Quarto (keep report sources to it so that both paths agree):

- YAML front matter (``title``, ``subtitle``, ``date`` ...); the run metadata overrides it;
- markdown headings, paragraphs, lists, links, pipe tables with ``: caption {#tbl-id}``;
- ``{{< embed NOTEBOOK.ipynb#LABEL >}}`` (cells labelled with ``#| label:``; NOTEBOOK relative
  to the notebooks folder), ``{{< meta KEY >}}`` (dotted keys allowed), ``{{< pagebreak >}}``;
- callouts ``::: {.callout-note}`` (also ``-tip``, ``-warning``, ``-important``, ``-caution``),
  titled by a ``title="..."`` attribute or a heading at their top;
- cross-references ``@tbl-id`` / ``@fig-id`` to embedded or written tables and figures.

Run metadata keys used by the page furniture: ``title``, ``la_name``, ``period_label``,
``data_as_at``, ``report_of``, ``submitted_to``, ``date`` and ``synthetic`` (banner
"Synthetic data — not real children's records" on every format when true).
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from typing import Any

from analysis.render.common import (
    SYNTHETIC_BANNER,
    RenderError,
    merge_meta,
    split_front_matter,
)
from analysis.render.fallback import OUTPUT_NAMES, render_fallback
from analysis.render.quarto import render_quarto
from analysis.render.shortcodes import resolve_shortcodes

__all__ = [
    "render_report",
    "resolve_shortcodes",
    "RenderError",
    "SYNTHETIC_BANNER",
    "OUTPUT_NAMES",
    "FORMATS",
]

log = logging.getLogger(__name__)

#: Formats the renderer produces.
FORMATS = ("html", "pdf", "docx")
#: Folder under the output folder for embedded figures and intermediate files.
FILES_DIR = "_files"


def render_report(
    qmd: Path,
    notebooks_dir: Path,
    output_dir: Path,
    meta: dict[str, Any],
    formats: tuple[str, ...] = FORMATS,
    reference_docx: Path | None = None,
    use_quarto: bool | None = None,
) -> dict[str, Path]:
    """Render the report ``qmd`` to HTML, PDF and/or DOCX in ``output_dir``.

    Parameters
    ----------
    qmd
        The report's Quarto source (front matter and body in the supported subset).
    notebooks_dir
        Folder of the executed notebooks that ``embed`` shortcodes point into.
    output_dir
        Folder for ``index.html``, ``report.pdf`` and ``report.docx``; figures and intermediate
        files go in its ``_files`` subfolder.
    meta
        Run metadata: values for ``{{< meta >}}`` and the page furniture (see the module
        docstring); overrides the front matter.
    formats
        Any of ``html``, ``pdf``, ``docx``.
    reference_docx
        Word document whose styles the DOCX uses; the house style when ``None``.
    use_quarto
        ``True`` to render with Quarto, ``False`` for the built-in renderer; ``None`` (default)
        uses Quarto when ``quarto`` is on PATH.

    Returns
    -------
    dict
        Path of each output, keyed by format.

    Raises
    ------
    RenderError
        When the source cannot be rendered; the message names the source and the cause (a
        missing notebook or label, a failed cell, pandoc's or typst's error ...).
    """
    qmd, notebooks_dir, output_dir = Path(qmd), Path(notebooks_dir), Path(output_dir)
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise RenderError(
            f"{qmd}: unknown output format {unknown[0] if unknown else '(none)'} "
            f"(choose from {', '.join(FORMATS)})"
        )
    if not qmd.is_file():
        raise RenderError(f"report source {qmd} not found")
    if not notebooks_dir.is_dir():
        raise RenderError(f"{qmd}: notebooks folder {notebooks_dir} not found")
    output_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    quarto = shutil.which("quarto") if use_quarto is not False else None
    if use_quarto and quarto is None:
        raise RenderError(f"{qmd}: use_quarto was requested but quarto is not on PATH")
    if quarto is not None:
        outputs = render_quarto(
            quarto, qmd, notebooks_dir, output_dir, meta, formats, reference_docx
        )
    else:
        files_dir = output_dir / FILES_DIR
        if files_dir.exists():
            shutil.rmtree(files_dir)  # no stale figures from an earlier render
        text = qmd.read_text(encoding="utf-8")
        resolved = resolve_shortcodes(text, notebooks_dir, meta, files_dir, source=str(qmd))
        front, body = split_front_matter(resolved, str(qmd))
        outputs = render_fallback(
            body,
            merge_meta(front, meta),
            files_dir,
            output_dir,
            formats,
            source=str(qmd),
            synthetic=bool(meta.get("synthetic")),
            reference_docx=reference_docx,
        )
    log.info(
        "rendered %s to %s in %.1f s", qmd.name, ", ".join(outputs), time.perf_counter() - started
    )
    return outputs
