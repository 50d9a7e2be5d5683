"""A draft's bytes and their text: read once (a file, pipe or standard input, never past the
size limit), sniffed for binary content, decoded without losing anything.

Every failure is an :class:`~kepulint.model.InputError` with a one-line message; nothing here
crashes on odd input. Decoded text is never altered: CR/LF/CRLF, control characters, zero-width
and combining characters all survive exactly. Only a leading byte-order mark is removed.
Finding which files to read is :mod:`kepulint.run.discover`'s job.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO

from ..model import InputError
from . import readers

__all__ = [
    "MAX_FILE_SIZE",
    "SNIFF_BYTES",
    "STDIN",
    "InputError",
    "control_notice",
    "decode",
    "detect_encoding",
    "draft_text",
    "format_size",
    "os_message",
    "read_bytes",
    "read_file",
    "read_stdin",
    "sniff_binary",
    "walked_binary",
]

MAX_FILE_SIZE = 20 * 1024 * 1024
SNIFF_BYTES = 8192
STDIN = "-"

_RESAVE = "re-save as UTF-8 or pass --encoding"


# --- binary sniffing -----------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"MZ\x90\x00", "executable"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"wOFF", "font"),
    (b"wOF2", "font"),
)


def _magic_label(head: bytes) -> str | None:
    for magic, label in _MAGIC:
        if head.startswith(magic):
            if label == "ZIP archive" and (b"word/" in head or b"[Content_Types].xml" in head):
                return "Word/Office document (.docx)" if b"word/" in head else "Office document"
            return label
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[head[8:12]]
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "HEIC image" if brand in (b"heic", b"heix", b"mif1", b"msf1") else "video"
    return None


def _bom(data: bytes) -> tuple[bytes, str] | None:
    for bom, family in _BOMS:
        if data.startswith(bom):
            return bom, family
    return None


# Scripts a draft plausibly consists of: ASCII/Latin-1, punctuation, CJK, kana, Hangul, fullwidth forms.
_TEXT_RANGES = (
    ("\t", "\xff"),
    ("\u2000", "\u206f"),
    ("\u2e80", "\u9fff"),
    ("\uac00", "\ud7a3"),
    ("\uf900", "\ufaff"),
    ("\ufe30", "\ufe4f"),
    ("\uff00", "\uffef"),
)


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NUL bytes sit only in odd/even positions of clean text."""
    head = head[: len(head) // 2 * 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd and not even:
        codec = "utf-16-le"
    elif even and not odd:
        codec = "utf-16-be"
    else:
        return None
    text = head.decode(codec, "replace")
    if len(head) == SNIFF_BYTES:
        text = text[:-1]  # the sample may end inside a surrogate pair
    plausible = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if ch == "\ufffd" or cat in ("Cn", "Co", "Cs") or (cat == "Cc" and ch not in "\t\n\r\f\v"):
            return None
        plausible += any(lo <= ch <= hi for lo, hi in _TEXT_RANGES)
    return codec if plausible >= 0.9 * len(text) else None


def sniff_binary(head: bytes) -> str | None:
    """Describe ``head`` (the first 8 KB) when it looks binary: a label such as "PNG image", ""
    if unknown; ``None`` means text.

    Binary means: not text in UTF-8 (nor UTF-16/32 with a byte-order mark or recognisably
    without), and a known file signature or a NUL byte. A NUL or other control byte in text
    that decodes does not make it binary (:func:`decode` lints it and says so).
    """
    head = head[:SNIFF_BYTES]
    label = _magic_label(head)
    if label is None and b"\x00" not in head:
        return None
    if _bom(head) is not None or _utf16_without_bom(head) is not None:
        return None
    if _utf8_text(head, partial=len(head) == SNIFF_BYTES):
        return None
    return _binary_label(head, label)


def _binary_label(head: bytes, label: str | None) -> str:
    if label is not None:
        return label
    if head.startswith(b"BM"):
        return "BMP image"
    if head.startswith(b"ID3"):
        return "MP3 audio"
    return ""


def _utf8_text(data: bytes, *, partial: bool = False) -> bool:
    """True when ``data`` is valid UTF-8 (``partial``: but for a character cut at its end)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return partial and exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"
    return True


def _binary_message(label: str) -> str:
    return f"binary file ({label}), not a text draft" if label else "binary file, not a text draft"


def _binary(label: str) -> InputError:
    """A really binary input: an error when named; :func:`walked_binary` makes it a skip."""
    return InputError(_binary_message(label), binary=True)


def walked_binary(exc: InputError) -> InputError:
    """The same binary file met while walking a folder: skipped, with a notice (and counted)."""
    message = str(exc).replace(", not a text draft", ", skipped")
    return InputError(message, kind="skipped", binary=True)


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def control_notice(text: str) -> str:
    """A notice naming the control characters in ``text`` (tab, line and page breaks aside),
    with the line and column (code points, 1-based) of the first; "" when there are none."""
    first = _CONTROL.search(text)
    if first is None:
        return ""
    count = len(_CONTROL.findall(text, first.start()))
    pos = first.start()
    line_start = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1
    line = len(_LINE_BREAK_TEXT.findall(text, 0, line_start)) + 1
    what = "a control character" if count == 1 else f"{count} control characters"
    return f"contains {what} (first U+{ord(first.group()):04X} at {line}:{pos - line_start + 1}); linted as text"


_LINE_BREAK_TEXT = re.compile(r"\r\n|\r|\n")


# --- encoding detection --------------------------------------------------------------------------

_CANDIDATES = (
    "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950",
    "utf_16", "shift_jis", "euc_kr", "latin_1", "cp1252",
)  # fmt: skip
# charset-normalizer name -> name to suggest / try first, then supersets to try in turn.
_TRY_ORDER: dict[str, tuple[str, ...]] = {
    "gb18030": ("gb18030",),
    "gbk": ("gb18030",),
    "gb2312": ("gb18030",),
    "big5": ("big5", "cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs",),
    "utf_16": ("utf-16",),
    "shift_jis": ("shift_jis", "cp932"),
    "euc_kr": ("euc-kr", "cp949"),
    "cp1252": ("cp1252", "latin-1"),
    "latin_1": ("latin-1",),
}
# Preference when charset-normalizer cannot tell candidates apart (short texts): Chinese first.
_PREFERENCE = ("gb18030", "gbk", "gb2312", "big5", "cp950", "big5hkscs", "utf_16", "shift_jis", "euc_kr",
               "cp1252", "latin_1")  # fmt: skip
_LABELS = {
    "gb18030": "GB18030",
    "big5": "Big5",
    "cp950": "Big5 (cp950)",
    "big5hkscs": "Big5-HKSCS",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 (little-endian, no BOM)",
    "utf-16-be": "UTF-16 (big-endian, no BOM)",
    "shift_jis": "Shift_JIS",
    "cp932": "Shift_JIS (cp932)",
    "euc-kr": "EUC-KR",
    "cp949": "EUC-KR (cp949)",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}
_FAMILY = {"shift_jis": "ja", "euc_kr": "ko", "cp1252": "latin", "latin_1": "latin"}  # others: "zh"
_TIE = 0.15  # chaos differences below this are noise on short texts


def _is_common(ch: str, family: str) -> bool:
    """Whether ``ch`` is an everyday character of a text in ``family``'s language."""
    if "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e" or "\u2010" <= ch <= "\u2027":
        return True  # CJK and fullwidth punctuation, dashes, quotes, ellipsis
    if family == "latin":
        return ch <= "\u017f" and ch.isalpha()
    if family == "ko":
        return "\uac00" <= ch <= "\ud7a3"
    if family == "ja":
        if "\u3041" <= ch <= "\u30ff":
            return True
        return _code(ch, "shift_jis") in range(0x889F, 0x9873)  # JIS level 1 kanji
    gb = _code(ch, "gb2312")
    return 0xB0A1 <= gb <= 0xD7FE or 0xA440 <= _code(ch, "big5") <= 0xC67E  # level 1 Hanzi


def _code(ch: str, codec: str) -> int:
    try:
        raw = ch.encode(codec)
    except UnicodeEncodeError:
        return -1
    return int.from_bytes(raw, "big") if len(raw) == 2 else -1


def _plausibility(text: str, codec: str) -> float:
    """Share of non-ASCII characters that are everyday characters for ``codec``'s language.

    Garbled decodings (GBK read as Big5 or EUC-KR, or the reverse) produce rare characters.
    """
    family = _FAMILY.get(codec, "zh")
    total = common = 0
    for ch in text[:4000]:
        if ch >= "\x80":
            total += 1
            common += _is_common(ch, family)
    return common / total if total else 0.0


def _ranked(data: bytes) -> list[str]:
    """charset-normalizer's candidates, best first; near-ties go to the most plausible decoding."""
    from charset_normalizer import from_bytes  # lazy: only for files that are not UTF-8

    matches = [m for m in from_bytes(data, cp_isolation=list(_CANDIDATES)) if m.encoding in _TRY_ORDER]
    if not matches:  # charset-normalizer gave up: accept a clean, plausible Chinese decoding
        return [c for c in ("gb18030", "big5") if _plausibility(data.decode(c, "replace"), c) >= 0.8]
    best = min(m.chaos for m in matches)

    def key(m: Any) -> tuple[int, float, float, int]:
        rank = _PREFERENCE.index(m.encoding)
        if m.chaos > best + _TIE:
            return (1, 0.0, m.chaos, rank)
        return (0, -round(_plausibility(str(m), m.encoding), 1), m.chaos, rank)

    return [m.encoding for m in sorted(matches, key=key)]


def _detect(data: bytes) -> tuple[str, str] | None:
    """``(codec, text)`` for the most likely non-UTF-8 encoding that decodes ``data`` strictly."""
    seen: set[str] = set()
    for name in _ranked(data):
        for codec in _TRY_ORDER[name]:
            if codec in seen:
                continue
            seen.add(codec)
            try:
                return codec, data.decode(codec)
            except UnicodeDecodeError:
                continue
    return None


def detect_encoding(data: bytes) -> str | None:
    """The codec name kepulint would suggest for ``data`` (not valid UTF-8), or ``None``."""
    found = _detect(data)
    return found[0] if found else None


# --- decoding --------------------------------------------------------------------------------------

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def _where(exc: UnicodeDecodeError, base: int = 0) -> str:
    offset = base + exc.start
    if exc.start < len(exc.object):
        return f"byte 0x{exc.object[exc.start]:02x} at offset {offset}"
    return f"truncated data at offset {offset}"


def _mostly_utf8(data: bytes) -> bool:
    """True when nearly all non-ASCII text is valid UTF-8 (a few stray bytes, not another encoding)."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    return bad > 0 and good >= 20 * bad


def _strip_bom(text: str, codec: str) -> str:
    if codec.startswith("utf") and text.startswith("\ufeff"):
        return text[1:]
    return text


def _decode_bom(data: bytes, bom: bytes, family: str) -> tuple[str, str]:
    codec = {"utf-8": "utf-8", "utf-16": "utf-16", "utf-32": "utf-32"}[family]
    try:
        text = data[len(bom) :].decode("utf-8") if family == "utf-8" else data.decode(codec)
    except UnicodeDecodeError as exc:
        base = len(bom) if family == "utf-8" else 0
        raise InputError(
            f"not valid {family.upper()} despite its byte-order mark ({_where(exc, base)})"
        ) from None
    return text, "" if family == "utf-8" else f"decoded as {family}"


def _decode_explicit(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        codec = codecs.lookup(encoding).name
    except (LookupError, ValueError):
        raise InputError(
            f"unknown encoding {encoding!r} — use a codec name such as utf-8, gb18030, big5, utf-16 or auto"
        ) from None
    head = data[:SNIFF_BYTES]
    label = _magic_label(head)
    wide = codec.startswith(("utf-16", "utf-32", "utf_16", "utf_32"))
    if label is not None and b"\x00" in head and not wide:  # a real image or archive holds NULs
        raise _binary(label)
    try:
        text = data.decode(codec)
    except LookupError:
        raise InputError(
            f"encoding {encoding!r} is not a text encoding — use e.g. utf-8, gb18030 or big5"
        ) from None
    except UnicodeDecodeError as exc:
        if b"\x00" in data and not wide and not _mostly_utf8(data):
            raise _binary(_binary_label(head, label)) from None
        hint = ""
        if not _mostly_utf8(data):
            try:
                data.decode("utf-8")
                hint = "; the file is valid UTF-8 — drop --encoding"
            except UnicodeDecodeError:
                found = _detect(data)
                if found and codecs.lookup(found[0]).name != codec:
                    hint = f"; looks like {_LABELS.get(found[0], found[0])} — try --encoding {found[0]}"
        raise InputError(
            f"cannot decode as {encoding} ({_where(exc)}){hint or ' — check --encoding'}"
        ) from None
    text = _strip_bom(text, codec)
    return text, "" if codec in ("utf-8", "utf-8-sig", "ascii") else f"decoded as {codec}"


def draft_text(data: bytes, *, encoding: str | None = None, path: str = "<stdin>") -> tuple[str, str]:
    """A draft's ``(text, notice)`` from its bytes: a Word document (by ``path``) as its
    paragraphs, one a line; any other file decoded (:func:`decode`)."""
    if readers.is_word(path):
        return readers.word_text(data), ""
    return decode(data, encoding=encoding, path=path)


def decode(data: bytes, *, encoding: str | None = None, path: str = "<stdin>") -> tuple[str, str]:
    """Bytes -> ``(text, notice)``; the notice is "" or e.g. "decoded as gb18030 (detected)".

    ``encoding`` is ``None`` (UTF-8, or UTF-16/32 with a BOM), ``"auto"`` (detect) or a codec
    name (decode strictly). Raises :class:`InputError` (with ``.path`` set to ``path``).
    """
    try:
        text, notice = _decode(data, encoding)
    except InputError as exc:
        exc.path = path  # type: ignore[attr-defined]
        raise
    controls = control_notice(text)
    return text, f"{notice}; {controls}" if notice and controls else notice or controls


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding is not None and encoding.strip().lower() != "auto":
        return _decode_explicit(data, encoding.strip())
    auto = encoding is not None
    bom = _bom(data)
    if bom is not None:
        if bom[1] == "utf-32" and bom[0] == codecs.BOM_UTF32_LE and len(data) % 4:
            bom = (codecs.BOM_UTF16_LE, "utf-16")  # FF FE 00 00 can be UTF-16 BOM + U+0000
        return _decode_bom(data, *bom)
    head = data[:SNIFF_BYTES]
    label = _magic_label(head)
    utf16 = _utf16_without_bom(head) if b"\x00" in head else None
    if utf16 is not None and _utf8_text(data) and data.count(0) * 8 < len(data):
        utf16 = None  # a few NULs in UTF-8 text, not UTF-16 (where ASCII is every other byte)
    if utf16 is not None:
        if not auto:
            raise InputError(f"looks like UTF-16 without a byte-order mark — {_RESAVE} {utf16}")
        try:
            return data.decode(utf16), f"decoded as {utf16} (detected)"
        except UnicodeDecodeError as exc:
            raise InputError(
                f"could not detect the encoding ({utf16} fails: {_where(exc)}) — {_RESAVE} NAME"
            ) from None
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        where = _where(exc)
        if label is not None or (b"\x00" in data and not _mostly_utf8(data)):
            raise _binary(_binary_label(head, label)) from None
        if _mostly_utf8(data):
            line = len(_LINE_BREAK.findall(data, 0, exc.start)) + 1
            raise InputError(
                f"not valid UTF-8 ({where}, line {line}); the rest of the file is UTF-8 — "
                "fix or delete the stray bytes there (mixed encodings?)"
            ) from None
    found = _detect(data)
    if found is None:
        if auto:
            raise InputError(f"could not detect the encoding (not valid UTF-8: {where}) — {_RESAVE} NAME")
        raise InputError(
            f"not valid UTF-8 ({where}); encoding not recognised — {_RESAVE} NAME (e.g. gb18030)"
        )
    codec, text = found
    if auto:
        return text, f"decoded as {codec} (detected)"
    raise InputError(f"not valid UTF-8 ({where}); looks like {_LABELS.get(codec, codec)} — {_RESAVE} {codec}")


# --- reading ---------------------------------------------------------------------------------------


def format_size(size: int) -> str:
    """Human size: ``512 bytes``, ``1.5 KB``, ``25.3 MB`` (powers of 1024)."""
    if size < 1024:
        return f"{size} byte" if size == 1 else f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    text = f"{value:.1f}"
    return f"{text.removesuffix('.0')} {unit}"


def _too_large(size_text: str, limit: int) -> InputError:
    return InputError(
        f"{size_text} (limit {format_size(limit)}); skipped"
        " — raise max-file-size or --max-file-size to lint it",
        kind="skipped",
    )


def _over_limit(what: str, limit: int) -> InputError:
    """``what`` (a pipe, a device, a file that grew) was cut at ``limit`` bytes: skipped."""
    return InputError(
        f"{what} is over {format_size(limit)}; skipped — raise max-file-size or --max-file-size to lint it",
        kind="skipped",
    )


def os_message(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, NotADirectoryError):
        return "not a directory (a parent in the path is a file)"
    reason = exc.strerror or exc.__class__.__name__
    return f"cannot read file: {reason[:1].lower()}{reason[1:]}"


def read_bytes(path: Path | str, *, max_bytes: int = MAX_FILE_SIZE, regular: bool = False
               ) -> tuple[bytes, os.stat_result]:
    """The bytes of ``path`` and its ``stat`` as opened: read once, at most ``max_bytes`` + 1.

    A pipe, FIFO or device (``/dev/stdin``, ``<(…)``) is read once like a file; opening a FIFO
    that has no writer does not wait for one (it reads as empty). ``regular`` refuses anything
    but a regular file. Raises :class:`InputError` (too large: a "skipped" notice).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError(os_message(exc)) from None
    except ValueError:  # e.g. an embedded NUL character in the path
        raise InputError("invalid path") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(st.st_mode):
            if regular:
                raise InputError("not a regular file (a pipe, FIFO, socket or device)")
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
        elif st.st_size > max_bytes:
            raise _too_large(f"file is {format_size(st.st_size)}", max_bytes)
        with open(fd, "rb", buffering=0, closefd=False) as fh:
            data = _read_capped(fh, max_bytes + 1)
    except OSError as exc:
        raise InputError(os_message(exc)) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # grew since stat, or not a regular file
        raise _over_limit("file", max_bytes)
    return data, st


def _read_capped(fh: Any, limit: int) -> bytes:
    """Up to ``limit`` bytes of ``fh`` (fewer only at its end), a megabyte at a time."""
    parts: list[bytes] = []
    size = 0
    while size < limit:
        chunk = fh.read(min(limit - size, 1 << 20))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def read_file(path: Path, *, encoding: str | None = None, max_bytes: int = MAX_FILE_SIZE) -> tuple[str, str]:
    """Read and decode a file (``Path('-')`` reads stdin); raises :class:`InputError`."""
    if str(path) == STDIN:
        return read_stdin(sys.stdin.buffer, encoding=encoding, max_bytes=max_bytes)
    data, _ = read_bytes(path, max_bytes=max_bytes)
    return draft_text(data, encoding=encoding, path=str(path))


def read_stdin(
    stream: BinaryIO, *, encoding: str | None = None, max_bytes: int = MAX_FILE_SIZE
) -> tuple[str, str]:
    """Read and decode standard input (a binary stream; a text stream's ``.buffer`` is used),
    at most ``max_bytes`` + 1 bytes of it (an endless input such as ``/dev/zero`` is cut there)."""
    raw = getattr(stream, "buffer", stream)
    try:
        data = raw.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read standard input: {exc.strerror or exc}") from None
    if data is None:  # a non-blocking stream with nothing yet
        data = b""
    if len(data) > max_bytes:
        raise _over_limit("input", max_bytes)
    if isinstance(data, str):  # a text stream without a buffer (e.g. io.StringIO)
        data = data.encode("utf-8", "surrogateescape")
    return decode(data, encoding=encoding, path="<stdin>")
