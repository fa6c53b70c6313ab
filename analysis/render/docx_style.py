"""House-style reference document for DOCX output, derived from pandoc's default at first use.

The ``.docx`` is not kept in the repository: it is pandoc's own ``reference.docx`` with a few
string edits (Arial 11pt, British English, a shaded ``Callout`` style, a yellow
``Synthetic Banner`` style and a ``Report Details`` style; A4 pages with 2 cm side margins and a
"Page N of M" footer, as committee papers are printed), written once per pandoc version into
the build folder. Pandoc takes the page size, margins and footer from the reference document's
last section properties. An LA that has a corporate template passes it as ``reference_docx``
instead (a params key): its styles, page set-up, header and footer are then used.
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

#: Relationship id of the footer added to the reference document.
FOOTER_ID = "rIdCscFooter1"
#: A4 in twentieths of a point (210 x 297 mm); margins 2 cm at the sides, 2.2 cm top and bottom;
#: no footer on the cover (``titlePg`` with no first-page footer).
_PAGE_SETUP = (
    '<w:pgSz w:w="11906" w:h="16838" />'
    '<w:pgMar w:top="1247" w:right="1134" w:bottom="1247" w:left="1134" w:header="567" '
    'w:footer="567" w:gutter="0" />'
    "<w:titlePg />"
)
_SMALL = '<w:rPr><w:sz w:val="18" /><w:szCs w:val="18" /></w:rPr>'
_FIELD = (
    f'<w:r>{_SMALL}<w:fldChar w:fldCharType="begin" /></w:r>'
    f'<w:r>{_SMALL}<w:instrText xml:space="preserve"> {{name}} </w:instrText></w:r>'
    f'<w:r>{_SMALL}<w:fldChar w:fldCharType="separate" /></w:r>'
    f"<w:r>{_SMALL}<w:t>1</w:t></w:r>"
    f'<w:r>{_SMALL}<w:fldChar w:fldCharType="end" /></w:r>'
)
_FOOTER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:p><w:pPr><w:jc w:val="right" /><w:rPr><w:sz w:val="18" /></w:rPr></w:pPr>'
    f'<w:r>{_SMALL}<w:t xml:space="preserve">Page </w:t></w:r>'
    + _FIELD.format(name="PAGE")
    + f'<w:r>{_SMALL}<w:t xml:space="preserve"> of </w:t></w:r>'
    + _FIELD.format(name="NUMPAGES")
    + "</w:p></w:ftr>"
)
#: Files added to the reference document.
_NEW_FILES = {"word/footer1.xml": _FOOTER}

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
    (
        "word/document.xml",
        "<w:sectPr>",
        f'<w:sectPr><w:footerReference w:type="default" r:id="{FOOTER_ID}" />',
    ),
    ("word/document.xml", "</w:footnotePr>", "</w:footnotePr>" + _PAGE_SETUP),
    (
        "word/_rels/document.xml.rels",
        "</Relationships>",
        f'<Relationship Id="{FOOTER_ID}" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/footer" Target="footer1.xml" /></Relationships>',
    ),
    (
        "[Content_Types].xml",
        "</Types>",
        '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footer+xml" /></Types>',
    ),
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
        for name, text in _NEW_FILES.items():
            out.writestr(name, text.encode("utf-8"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    return target
