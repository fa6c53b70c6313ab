"""House-style reference document for DOCX output, derived from pandoc's default at first use.

The ``.docx`` is not kept in the repository: it is pandoc's own ``reference.docx`` with a few
string edits (Arial 11pt, British English, a shaded ``Callout`` style, a yellow
``Synthetic Banner`` style and a ``Report Details`` style), written once per pandoc version into
the build folder. An LA that has a corporate template passes it as ``reference_docx`` instead.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

__all__ = ["house_reference_docx"]

log = logging.getLogger(__name__)

_EXTRA_STYLES = """
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="Callout">
    <w:name w:val="Callout" />
    <w:basedOn w:val="BodyText" />
    <w:qFormat />
    <w:pPr>
      <w:pBdr><w:left w:val="single" w:sz="36" w:space="8" w:color="12436D" /></w:pBdr>
      <w:shd w:val="clear" w:color="auto" w:fill="EEF2F6" />
      <w:spacing w:before="60" w:after="60" />
      <w:ind w:left="227" w:right="227" />
    </w:pPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="SyntheticBanner">
    <w:name w:val="Synthetic Banner" />
    <w:basedOn w:val="Normal" />
    <w:qFormat />
    <w:pPr>
      <w:pBdr>
        <w:top w:val="single" w:sz="12" w:space="4" w:color="0B0C0C" />
        <w:left w:val="single" w:sz="12" w:space="4" w:color="0B0C0C" />
        <w:bottom w:val="single" w:sz="12" w:space="4" w:color="0B0C0C" />
        <w:right w:val="single" w:sz="12" w:space="4" w:color="0B0C0C" />
      </w:pBdr>
      <w:shd w:val="clear" w:color="auto" w:fill="FFDD00" />
      <w:spacing w:before="120" w:after="240" />
      <w:jc w:val="center" />
    </w:pPr>
    <w:rPr><w:b /><w:sz w:val="28" /><w:szCs w:val="28" /></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="ReportDetails">
    <w:name w:val="Report Details" />
    <w:basedOn w:val="Normal" />
    <w:qFormat />
    <w:pPr><w:spacing w:before="0" w:after="60" /></w:pPr>
  </w:style>
"""

# (file in the package, old text, new text): each edit is applied when its old text is present.
_EDITS = (
    ("word/theme/theme1.xml", 'typeface="Aptos Display"', 'typeface="Arial"'),
    ("word/theme/theme1.xml", 'typeface="Aptos"', 'typeface="Arial"'),
    ("word/styles.xml", '<w:lang w:val="en-US"', '<w:lang w:val="en-GB"'),
    (
        "word/styles.xml",
        '<w:sz w:val="24" />\n        <w:szCs w:val="24" />',
        '<w:sz w:val="22" />\n        <w:szCs w:val="22" />',
    ),
    ("word/styles.xml", "</w:styles>", _EXTRA_STYLES + "</w:styles>"),
)


def house_reference_docx(default_reference: bytes, target: Path) -> Path:
    """Write the house-style reference document derived from pandoc's default to ``target``.

    Parameters
    ----------
    default_reference
        Bytes of pandoc's ``reference.docx`` (``pandoc --print-default-data-file
        reference.docx``).
    target
        Where to write the house-style copy.

    Returns
    -------
    Path
        ``target``.
    """
    source = zipfile.ZipFile(io.BytesIO(default_reference))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            edits = [e for e in _EDITS if e[0] == item.filename]
            if edits:
                text = data.decode("utf-8")
                for _, old, new in edits:
                    if old in text:
                        text = text.replace(old, new)
                    else:
                        log.warning(
                            "house DOCX style: %r not found in pandoc's %s; left as is",
                            old[:40],
                            item.filename,
                        )
                data = text.encode("utf-8")
            out.writestr(item, data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    return target
