"""Render with the Quarto CLI, on machines that have it (``quarto`` on PATH).

Quarto resolves ``embed`` paths relative to the document, so the ``.qmd`` is staged next to the
executed notebooks (and removed afterwards). PDF uses Quarto's bundled typst (format ``typst``),
which needs no LaTeX installation. The synthetic-data banner becomes an ``important`` callout at
the top of the staged document, which Quarto renders in every format.
"""

from __future__ import annotations

import json
import logging
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.render.common import SYNTHETIC_BANNER, RenderError, plain_meta, split_front_matter
from analysis.render.fallback import OUTPUT_NAMES

__all__ = ["QUARTO_FORMATS", "quarto_command", "render_quarto"]

log = logging.getLogger(__name__)

#: Quarto format used for each output format.
QUARTO_FORMATS = {"html": "html", "pdf": "typst", "docx": "docx"}
_EXTENSIONS = {"html": ".html", "pdf": ".pdf", "docx": ".docx"}


def quarto_command(
    quarto: str,
    qmd: Path,
    output_dir: Path,
    meta: Mapping[str, Any],
    formats: tuple[str, ...],
    reference_docx: Path | None = None,
) -> list[str]:
    """Argument list of ``quarto render`` for ``qmd`` (never a shell string).

    Every metadata value goes in its own ``--metadata KEY:VALUE`` pair, the value as JSON (which
    Quarto reads as YAML), so text with colons or quotes survives.
    """
    command = [
        quarto,
        "render",
        str(qmd),
        "--to",
        ",".join(QUARTO_FORMATS[f] for f in formats),
        "--output-dir",
        str(output_dir),
    ]
    for key, value in plain_meta(dict(meta)).items():
        if value is not None:
            command += ["--metadata", f"{key}:{json.dumps(value, ensure_ascii=False)}"]
    if reference_docx is not None and "docx" in formats:
        command += ["--reference-doc", str(reference_docx)]
    return command


def _staged_text(qmd_text: str, synthetic: bool) -> str:
    if not synthetic:
        return qmd_text
    _, body = split_front_matter(qmd_text)
    front_matter = qmd_text[: len(qmd_text) - len(body)]
    return f"{front_matter}\n::: {{.callout-important}}\n## {SYNTHETIC_BANNER}\n:::\n\n{body}"


def render_quarto(
    quarto: str,
    qmd: Path,
    notebooks_dir: Path,
    output_dir: Path,
    meta: Mapping[str, Any],
    formats: tuple[str, ...],
    reference_docx: Path | None = None,
) -> dict[str, Path]:
    """Render ``qmd`` with the Quarto CLI at ``quarto`` into ``output_dir``.

    Returns
    -------
    dict
        Output path by format, renamed to the built-in renderer's names (``index.html``,
        ``report.pdf``, ``report.docx``).
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    staged = Path(notebooks_dir) / f"{qmd.stem}.render.qmd"
    staged.write_text(
        _staged_text(qmd.read_text(encoding="utf-8"), bool(meta.get("synthetic"))), encoding="utf-8"
    )
    command = quarto_command(quarto, staged, output_dir, meta, formats, reference_docx)
    log.info("rendering %s with Quarto", qmd)
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        staged.unlink(missing_ok=True)
    if result.returncode != 0:
        raise RenderError(
            f"{qmd}: quarto render failed (exit {result.returncode}): {result.stderr.strip()}"
        )
    outputs = {}
    for fmt in formats:
        name = f"{staged.stem}{_EXTENSIONS[fmt]}"
        # Inside a Quarto project the output keeps the source's path below the project root.
        produced = (
            [output_dir / name] if (output_dir / name).exists() else sorted(output_dir.rglob(name))
        )
        if not produced:
            raise RenderError(f"{qmd}: quarto render did not produce {name} in {output_dir}")
        target = output_dir / OUTPUT_NAMES[fmt]
        produced[0].replace(target)
        outputs[fmt] = target
    return outputs
