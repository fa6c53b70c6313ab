"""Resolve the Quarto shortcodes the reports use into plain pandoc markdown.

Supported (the documented subset, see :mod:`analysis.render`):

- ``{{< embed NOTEBOOK.ipynb#LABEL >}}``: the outputs of the code cell whose ``#| label:`` cell
  option (or, failing that, cell id) is ``LABEL``, in order. A ``text/markdown`` output is
  inserted as markdown; otherwise an ``image/png`` output is written to ``files_dir`` and inserted
  as an image with its alt text (a ``fig-`` label becomes the figure id). Plain-text-only outputs
  and streams are skipped. An ``error`` output, a missing notebook or label, or a cell with
  nothing to embed raises :class:`~analysis.render.common.RenderError`. A figure whose output
  metadata carries the table behind it (``csv``, see :func:`analysis.show.show_figure`) is
  followed, in HTML only, by a link that downloads that table as a CSV file (a ``data:`` URI,
  so it works offline).
- ``{{< meta KEY >}}``: the value of ``KEY`` (dotted keys walk nested mappings) from the run's
  metadata, else from the document's front matter.
- ``{{< pagebreak >}}``: a page break in PDF and DOCX (ignored in HTML, except when printing).
- ``{{{< ... >}}}`` is an escaped shortcode and comes out literally as ``{{< ... >}}``.
"""

from __future__ import annotations

import base64
import html
import logging
import re
from pathlib import Path
from typing import Any

import nbformat
import yaml

from analysis.render.common import (
    RenderError,
    format_meta_value,
    lookup_meta,
    split_front_matter,
)

__all__ = ["resolve_shortcodes"]

log = logging.getLogger(__name__)

_SHORTCODE = re.compile(r"(\{)?\{\{<\s*(?P<body>.*?)\s*>\}\}(?(1)\})", re.DOTALL)
_OPTION_LINE = re.compile(r"^#\|\s?(.*)$")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_PAGEBREAK = """
```{=html}
<div class="page-break" aria-hidden="true"></div>
```

```{=typst}
#pagebreak()
```

```{=openxml}
<w:p><w:r><w:br w:type="page"/></w:r></w:p>
```
"""


def _cell_options(source: str) -> dict[str, Any]:
    """Quarto cell options: the ``#|`` lines at the top of a cell's source, as YAML."""
    lines = []
    for line in source.splitlines():
        match = _OPTION_LINE.match(line)
        if not match:
            break
        lines.append(match.group(1))
    if not lines:
        return {}
    try:
        options = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError:
        return {}
    return options if isinstance(options, dict) else {}


class _Notebooks:
    """Executed notebooks read once each, with their cells indexed by label."""

    def __init__(self, notebooks_dir: Path, source: str) -> None:
        self.dir = Path(notebooks_dir)
        self.source = source
        self._cells: dict[str, dict[str, Any]] = {}

    def cells(self, name: str) -> dict[str, Any]:
        """Cells of notebook ``name`` (relative to the notebooks folder) keyed by label."""
        if name not in self._cells:
            path = self.dir / name
            if not path.is_file():
                raise RenderError(
                    f"{self.source}: embed {name}: notebook {path} not found "
                    "(has it been executed into the notebooks folder?)"
                )
            try:
                notebook = nbformat.read(path, as_version=4)
            except Exception as exc:  # nbformat raises several unrelated types
                raise RenderError(
                    f"{self.source}: embed {name}: cannot read notebook {path} ({exc})"
                ) from None
            by_label: dict[str, Any] = {}
            by_id: dict[str, Any] = {}
            for cell in notebook.cells:
                if cell.cell_type != "code":
                    continue
                label = _cell_options(cell.source).get("label")
                if label is not None:
                    if str(label) in by_label:
                        raise RenderError(
                            f"{self.source}: notebook {path} has two cells labelled {label}"
                        )
                    by_label[str(label)] = cell
                if cell.get("id"):
                    by_id[cell["id"]] = cell
            self._cells[name] = {**by_id, **by_label}
        return self._cells[name]


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def _escape_attribute(value: str) -> str:
    return " ".join(value.split()).replace("\\", "\\\\").replace('"', '\\"')


def _escape_caption(value: str) -> str:
    return " ".join(value.split()).replace("[", "\\[").replace("]", "\\]")


def _image_markdown(png_path: str, label: str, first: bool, alt: str, caption: str) -> str:
    attributes = [f"#{label}"] if label.startswith("fig-") and first else []
    attributes += [f'alt="{_escape_attribute(alt)}"', f'fig-alt="{_escape_attribute(alt)}"']
    return f"![{_escape_caption(caption)}]({png_path}){{{' '.join(attributes)}}}"


def _csv_link(csv_text: str, filename: str, title: str) -> str:
    """Raw HTML block: a link downloading ``csv_text`` as ``filename`` (HTML output only)."""
    encoded = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
    return (
        "```{=html}\n"
        f'<p class="figure-data"><a href="data:text/csv;charset=utf-8;base64,{encoded}" '
        f'download="{html.escape(filename)}">Download the data for this chart (CSV)'
        f'<span class="visually-hidden">: {html.escape(" ".join(title.split()))}</span></a></p>'
        "\n```"
    )


def _embed(argument: str, notebooks: _Notebooks, files_dir: Path) -> str:
    """Markdown for one ``embed`` shortcode (``argument`` is what follows ``embed``)."""
    source = notebooks.source
    ref, *options = argument.split()
    for option in options:
        if option.replace(" ", "").lower() not in ("echo=false",):
            log.warning(
                "%s: embed %s: option %s is not supported by the built-in renderer and is ignored",
                source,
                ref,
                option,
            )
    name, _, label = ref.partition("#")
    if not label:
        raise RenderError(
            f"{source}: embed {ref}: give a cell label after '#' "
            "(embedding a whole notebook is not supported)"
        )
    cell = notebooks.cells(name).get(label)
    if cell is None:
        raise RenderError(
            f"{source}: embed {ref}: notebook {name} has no cell labelled {label} "
            "(add '#| label: " + label + "' at the top of the cell)"
        )
    cell_options = _cell_options(cell.source)
    parts: list[str] = []
    images = 0
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "error":
            raise RenderError(
                f"{source}: embed {ref}: cell {label} of notebook {name} failed "
                f"with {output.get('ename', 'an error')}: "
                f"{output.get('evalue', '')}".rstrip(": ")
            )
        if kind not in ("display_data", "execute_result"):
            continue  # stream output (print, warnings): never part of a report
        data = output.get("data", {})
        if "text/markdown" in data:
            parts.append(_text(data["text/markdown"]).strip("\n"))
        elif "image/png" in data:
            images += 1
            metadata = output.get("metadata", {}).get("image/png", {})
            alt = metadata.get("alt") or cell_options.get("fig-alt")
            caption = cell_options.get("fig-cap") or metadata.get("title") or alt
            if not alt:
                log.warning(
                    "%s: embed %s: the figure has no alt text; using its caption", source, ref
                )
                alt = caption or label
            caption = caption or alt
            files_dir.mkdir(parents=True, exist_ok=True)
            stem = _UNSAFE.sub("-", f"{Path(name).stem}-{label}")
            filename = f"{stem}.png" if images == 1 else f"{stem}-{images}.png"
            (files_dir / filename).write_bytes(base64.b64decode(_text(data["image/png"])))
            parts.append(
                _image_markdown(
                    f"{files_dir.name}/{filename}", label, images == 1, str(alt), str(caption)
                )
            )
            if metadata.get("csv"):
                csv_name = f"{Path(filename).stem}.csv"
                parts.append(_csv_link(_text(metadata["csv"]), csv_name, str(caption)))
        elif "text/html" in data:
            log.warning(
                "%s: embed %s: an HTML-only output is skipped (publish tables with "
                "analysis.show so they carry text/markdown)",
                source,
                ref,
            )
    if not parts:
        raise RenderError(
            f"{source}: embed {ref}: cell {label} of notebook {name} has no "
            "markdown or PNG output to embed (was the notebook executed?)"
        )
    return "\n\n" + "\n\n".join(parts) + "\n\n"


def resolve_shortcodes(
    qmd_text: str,
    notebooks_dir: Path,
    meta: dict[str, Any],
    files_dir: Path,
    *,
    source: str = "<qmd>",
) -> str:
    """Replace the ``embed``, ``meta`` and ``pagebreak`` shortcodes of a Quarto document.

    Parameters
    ----------
    qmd_text
        The whole ``.qmd`` text, front matter included (shortcodes in it are resolved too).
    notebooks_dir
        Folder of the executed notebooks; embed paths are relative to it.
    meta
        Run metadata; ``{{< meta KEY >}}`` looks here first, then in the front matter.
    files_dir
        Folder the embedded PNG figures are written to. Images are referenced as
        ``<files_dir name>/<file>.png``, i.e. relative to ``files_dir.parent``.
    source
        Name of the document, used in error messages.

    Returns
    -------
    str
        Pandoc markdown with every shortcode replaced.

    Raises
    ------
    RenderError
        For an unknown shortcode, a missing metadata key, notebook or cell label, or a cell
        that failed or has nothing to embed.
    """
    front, _ = split_front_matter(qmd_text, source)
    notebooks = _Notebooks(Path(notebooks_dir), source)

    def replace(match: re.Match[str]) -> str:
        body = match.group("body")
        if match.group(1):  # escaped: {{{< ... >}}}
            return "{{< " + body + " >}}"
        name, _, argument = body.partition(" ")
        argument = argument.strip()
        if name == "embed" and argument:
            return _embed(argument, notebooks, Path(files_dir))
        if name == "meta" and argument:
            try:
                value = lookup_meta(argument, meta, front)
            except KeyError:
                raise RenderError(
                    f"{source}: {{{{< meta {argument} >}}}}: no value for "
                    f"{argument} in the run metadata or the front matter"
                ) from None
            try:
                return format_meta_value(value)
            except TypeError as exc:
                raise RenderError(f"{source}: {{{{< meta {argument} >}}}}: {exc}") from None
        if name == "pagebreak" and not argument:
            return _PAGEBREAK
        raise RenderError(
            f"{source}: shortcode {{{{< {body} >}}}} is not supported by the "
            "built-in renderer (supported: embed, meta, pagebreak)"
        )

    return _SHORTCODE.sub(replace, qmd_text)
