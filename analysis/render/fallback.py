"""The built-in renderer: resolved markdown to HTML and DOCX with pandoc, to PDF with typst.

Pandoc comes from the ``pypandoc-binary`` wheel and typst from the ``typst`` wheel, so nothing
needs installing and nothing is fetched from the network. The pandoc runs for the requested
formats go in parallel, from the document pandoc read once (its JSON syntax tree); the PDF is
typst source from pandoc compiled in-process.
"""

from __future__ import annotations

import importlib.util
import logging
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from typing import Any

import typst
import yaml

from analysis.render.common import SYNTHETIC_BANNER, RenderError
from analysis.render.docx_style import house_reference_docx

__all__ = ["pandoc_path", "render_fallback", "OUTPUT_NAMES"]

log = logging.getLogger(__name__)

#: File names of the outputs, by format.
OUTPUT_NAMES = {"html": "index.html", "pdf": "report.pdf", "docx": "report.docx"}
_ASSETS = files("analysis.render") / "assets"
#: Writer options of every format (the lua filter runs per format: it reads ``FORMAT``).
_COMMON_ARGS = ("--from=json", "--standalone", "--toc", "--number-sections")
#: Contents depth: sections and subsections. In HTML they are h2 and h3 (the title is the only
#: h1, report.lua), elsewhere levels 1 and 2.
_TOC_DEPTH = {"html": "--toc-depth=3", "pdf": "--toc-depth=2", "docx": "--toc-depth=2"}


def _asset(name: str) -> str:
    return str(_ASSETS / name)


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Path of the pandoc binary shipped with ``pypandoc-binary``."""
    try:
        import pypandoc
    except ImportError:  # pragma: no cover - pypandoc-binary is a core dependency
        raise RenderError("pandoc is not available: install the pypandoc-binary package") from None
    return pypandoc.get_pandoc_path()


def _pandoc(args: list[str], cwd: Path, what: str) -> bytes:
    """Run pandoc with ``args`` (an argument list, no shell); return its standard output."""
    command = [pandoc_path(), *args]
    log.debug("running %s", command)
    result = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    stderr = result.stderr.decode("utf-8", "replace").strip()
    if result.returncode != 0:
        raise RenderError(f"{what}: pandoc failed (exit {result.returncode}): {stderr}")
    if stderr:
        log.warning("%s: pandoc: %s", what, stderr)
    return result.stdout


@lru_cache(maxsize=1)
def _default_reference_docx() -> bytes:
    return _pandoc(["--print-default-data-file", "reference.docx"], Path.cwd(), "house DOCX style")


class _ExternalResources(HTMLParser):
    """Collect ``src`` and stylesheet/script ``href`` values that point to the network."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        candidates = [values.get("src")]
        if tag == "link":
            candidates.append(values.get("href"))
        self.found += [
            v for v in candidates if v and v.strip().lower().startswith(("http:", "https:", "//"))
        ]


def _check_self_contained(html_path: Path, source: str) -> None:
    parser = _ExternalResources()
    parser.feed(html_path.read_text(encoding="utf-8"))
    if parser.found:
        raise RenderError(
            f"{source}: the HTML would load {parser.found[0]} from the network; "
            "reports must be self-contained (reviewers may be offline)"
        )


def _typst_fonts() -> list[str]:
    """Folders of the fonts typst uses: DejaVu Sans as shipped with matplotlib (same everywhere).

    Found from where matplotlib is installed (``matplotlib.get_data_path()``), without importing
    it: a render needs its fonts, not its plotting.
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        raise RenderError("matplotlib is not installed: typst needs its DejaVu Sans fonts")
    return [str(Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf")]


def render_fallback(
    markdown_body: str,
    metadata: Mapping[str, Any],
    build_dir: Path,
    output_dir: Path,
    formats: tuple[str, ...],
    *,
    source: str,
    synthetic: bool,
    reference_docx: Path | None = None,
) -> dict[str, Path]:
    """Render resolved markdown to the requested formats with pandoc and typst.

    Parameters
    ----------
    markdown_body
        Pandoc markdown without front matter, shortcodes resolved; image paths relative to
        ``output_dir``.
    metadata
        Document metadata (front matter merged with the run's metadata), passed to pandoc as a
        metadata file.
    build_dir
        Folder for intermediate files (markdown, metadata, typst source, reference DOCX).
    output_dir
        Folder the outputs are written to (``index.html``, ``report.pdf``, ``report.docx``).
    formats
        Any of ``html``, ``pdf``, ``docx``.
    source
        Name of the report source, for error messages.
    synthetic
        Whether to show the synthetic-data banner.
    reference_docx
        Word template for DOCX styles; the house style when ``None``.

    Returns
    -------
    dict
        Output path by format.
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    markdown_file = build_dir / "report.md"
    markdown_file.write_text(markdown_body, encoding="utf-8")
    metadata_file = build_dir / "metadata.yml"
    metadata_file.write_text(
        yaml.safe_dump(dict(metadata), allow_unicode=True, sort_keys=True), encoding="utf-8"
    )
    read = ["--from=markdown", f"--metadata-file={metadata_file}", str(markdown_file)]
    if synthetic:  # a command-line value stays a literal string (no markdown parsing)
        read.insert(0, f"--metadata=synthetic-banner:{SYNTHETIC_BANNER}")
    common: list[str] = []  # the writers' arguments, once the document is read (below)

    def html() -> Path:
        target = output_dir / OUTPUT_NAMES["html"]
        _pandoc(
            [
                *common,
                _TOC_DEPTH["html"],
                "--to=html5",
                f"--template={_asset('report.html')}",
                "--embed-resources",
                "--section-divs",
                f"--output={target}",
            ],
            output_dir,
            f"{source} (HTML)",
        )
        _check_self_contained(target, source)
        return target

    def pdf() -> Path:
        typst_source = _pandoc(
            [*common, _TOC_DEPTH["pdf"], "--to=typst", f"--template={_asset('report.typ')}"],
            output_dir,
            f"{source} (PDF)",
        )
        (build_dir / "report.typ").write_bytes(typst_source)
        try:
            document = typst.compile(
                typst_source,
                root=str(output_dir),
                font_paths=_typst_fonts(),
                ignore_system_fonts=True,
            )
        except Exception as exc:  # typst raises its own error types with the source location
            raise RenderError(f"{source} (PDF): typst failed: {exc}") from None
        target = output_dir / OUTPUT_NAMES["pdf"]
        target.write_bytes(document)
        return target

    def docx() -> Path:
        reference = reference_docx
        if reference is None:
            reference = house_reference_docx(
                _default_reference_docx(), build_dir / "house-reference.docx"
            )
        elif not Path(reference).is_file():
            raise RenderError(f"{source} (DOCX): reference document {reference} not found")
        target = output_dir / OUTPUT_NAMES["docx"]
        _pandoc(
            [
                *common,
                _TOC_DEPTH["docx"],
                "--to=docx",
                f"--reference-doc={reference}",
                f"--output={target}",
            ],
            output_dir,
            f"{source} (DOCX)",
        )
        return target

    jobs: dict[str, Callable[[], Path]] = {"html": html, "pdf": pdf, "docx": docx}
    # Read once; each format's writer starts from the syntax tree, kept in a temporary folder
    # (the markdown beside the outputs already shows what was rendered).
    with tempfile.TemporaryDirectory(prefix="render-") as scratch:
        document = Path(scratch) / "report.json"
        _pandoc([*read, "--to=json", f"--output={document}"], output_dir, f"{source} (read)")
        common += [*_COMMON_ARGS, f"--lua-filter={_asset('report.lua')}", str(document)]
        with ThreadPoolExecutor(max_workers=len(formats)) as pool:
            futures = {fmt: pool.submit(jobs[fmt]) for fmt in formats}
            return {fmt: future.result() for fmt, future in futures.items()}
