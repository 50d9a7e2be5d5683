"""Word drafts (``.docx``): the paragraphs, one a line, with tracked changes accepted.

The package is opened with python-docx (imported here, so only a run that reads a Word file
pays for it); its XML is walked directly, because python-docx reads neither tracked changes
nor headers and footers as one text. In order:

1. the body: paragraphs, and tables row by row (each cell's paragraphs in turn, nested
   tables included), content controls (``w:sdt``) opened;
2. then each distinct header, then each distinct footer, in the order the sections name them.

Tracked changes read as accepted: insertions (``w:ins``, ``w:moveTo``) are in, deletions
(``w:del``, ``w:moveFrom``, deleted table rows) are out, and a paragraph whose mark was
deleted runs on into the next one. A tab is a tab, a line break (``w:br``, ``w:cr``) a space,
so that line ``n`` of the text is paragraph ``n``. Not read: footnotes, endnotes, comments,
text boxes and field codes (a field's displayed result is read).

A password-protected file is an OLE (CFB) container, not a ZIP package; it and any file
python-docx cannot open give one :class:`~kepulint.model.InputError` line.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_EXPANDED = 512 * 1024 * 1024  # a package that unzips to more is refused (a zip bomb)

# block-level elements whose children are read in order (tables row by row, cell by cell)
_CONTAINERS = frozenset(W + tag for tag in ("body", "hdr", "ftr", "tbl", "tc", "sdt", "sdtContent", "customXml",
                                            "ins", "moveTo"))
# inside a paragraph: what is not the text a reader sees after accepting every change
_SKIPPED = frozenset(W + tag for tag in ("del", "moveFrom", "delText", "instrText", "pPr", "rPr", "txbxContent",
                                         "footnoteReference", "endnoteReference", "commentReference", "fldData"))
_CHARS = {W + "tab": "\t", W + "br": " ", W + "cr": " ", W + "noBreakHyphen": "-", W + "ptab": "\t"}


def _error(message: str) -> Exception:
    from ...model import InputError

    return InputError(message)


def _open(data: bytes) -> Any:
    """The python-docx document of ``data``, or an InputError saying why it cannot be read."""
    if data.startswith(CFB_MAGIC):
        raise _error("password-protected or old-format Word file (an OLE container, not a .docx package) "
                      "— remove the password or save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            expanded = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _error("not a Word document: not a .docx (ZIP) package — is it corrupt or misnamed?") from None
    if expanded > MAX_EXPANDED:
        raise _error(f"Word document unpacks to {expanded // (1024 * 1024)} MB; refused (limit "
                      f"{MAX_EXPANDED // (1024 * 1024)} MB)")
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # any corruption python-docx meets: one line, never a traceback
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _error(f"not a readable Word document (.docx): {reason[:200]}") from None


def read_docx(data: bytes) -> str:
    """The text of the Word document ``data``: paragraph ``n`` is line ``n``."""
    document = _open(data)
    body = document.element.body
    paragraphs = list(_paragraphs(body))
    for part in _header_footer_parts(document):
        paragraphs.extend(_paragraphs(part.element))
    return "\n".join(_accepted(paragraphs))


def _paragraphs(parent: Any) -> Iterator[Any]:
    """The ``w:p`` elements under ``parent`` in document order, skipping deleted table rows."""
    for child in parent:
        tag = child.tag
        if tag == W + "p":
            yield child
        elif tag == W + "tr":
            if child.find(f"{W}trPr/{W}del") is None:
                yield from _paragraphs(child)
        elif tag in _CONTAINERS:
            yield from _paragraphs(child)


def _accepted(paragraphs: list[Any]) -> Iterator[str]:
    """Each paragraph's text; a paragraph whose mark was deleted is joined to the next."""
    carried = ""
    for p in paragraphs:
        text = carried + "".join(_runs(p))
        if p.find(f"{W}pPr/{W}rPr/{W}del") is not None:
            carried = text
            continue
        carried = ""
        yield text
    if carried:
        yield carried


def _runs(element: Any) -> Iterator[str]:
    """The visible text inside a paragraph, in order, with every tracked change accepted."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue  # comments and processing instructions in the XML, deleted text…
        if tag == W + "t":
            text = child.text or ""
            yield text.replace("\r", " ").replace("\n", " ") if ("\n" in text or "\r" in text) else text
        elif tag in _CHARS:
            yield _CHARS[tag]
        else:
            yield from _runs(child)


def _header_footer_parts(document: Any) -> list[Any]:
    """The header parts, then the footer parts, each once, in the order the sections name them."""
    related = document.part.related_parts
    parts: list[Any] = []
    for kind in ("headerReference", "footerReference"):
        for ref in document.element.body.iter(W + kind):
            part = related.get(ref.get(R_ID))
            if part is not None and part not in parts and hasattr(part, "element"):
                parts.append(part)
    return parts
