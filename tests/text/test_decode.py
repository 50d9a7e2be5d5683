"""Input handling: discovery, binary sniffing, decoding and reading never crash or alter text."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kepulint.model import FileError
from kepulint.run.discover import DEFAULT_SUFFIXES, discover, relative_display
from kepulint.text import decode as files
from kepulint.text.decode import (
    InputError,
    decode,
    detect_encoding,
    format_size,
    read_file,
    read_stdin,
    sniff_binary,
)

SIMPLIFIED = (
    "干细胞治疗目前仍处于临床研究阶段，尚未被国家药监局批准用于常规治疗。"
    "患者应警惕宣称“根治”糖尿病的广告，并在正规医院咨询专科医生。\n"
    "本文仅供科普参考，不能代替医生的诊断和治疗。\n"
)
TRADITIONAL = (
    "幹細胞治療目前仍處於臨床研究階段，尚未被批准用於常規治療。"
    "患者應警惕宣稱「根治」糖尿病的廣告，並在正規醫院諮詢專科醫生。\n"
    "本文僅供科普參考，不能代替醫生的診斷和治療。\n"
)
TRICKY = (
    "标题\r\n"  # CRLF
    "第二行\r"  # lone CR
    "第三行\n"  # LF
    "控制\x01\x07\x1b字符\x7f\t制表\x0b\x0c"
    "零宽\u200b空格\u200c\u200d\u2060和\ufeff中间的BOM"
    "表情😀👩‍⚕️🇨🇳"
    "\u0301组合符开头，e\u0301 和 a\u0308\u0323"
    "私用区\ue000 代理对𠀀 全角ＡＢＣ\u3000空格\u00a0不换行\r\n\r\n"
)


def one_line(message: str) -> str:
    assert message, "empty message"
    assert "\n" not in message and "\r" not in message, message
    assert message == message.strip(), message
    return message


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def raises(func, *args, **kwargs) -> InputError:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as info:
        func(*args, **kwargs)
    one_line(str(info.value))
    return info.value


# --- legacy Chinese encodings ----------------------------------------------------------------------


def test_gbk_file_is_an_error_naming_gb18030(tmp_path: Path) -> None:
    data = SIMPLIFIED.encode("gbk")
    exc = raises(read_file, write(tmp_path, "gbk.txt", data))
    assert exc.kind == "error"
    assert str(exc) == (
        f"not valid UTF-8 (byte 0x{data[0]:02x} at offset 0); looks like GB18030"
        " — re-save as UTF-8 or pass --encoding gb18030"
    )


def test_gbk_error_offset_points_at_first_bad_byte() -> None:
    data = b"# Title\n\n" + SIMPLIFIED.encode("gbk")
    exc = raises(decode, data)
    assert f"byte 0x{data[9]:02x} at offset 9" in str(exc)
    assert "GB18030" in str(exc)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "GBK", "cp936"])
def test_gbk_explicit_encoding_decodes(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "gbk.md", SIMPLIFIED.encode("gbk"))
    text, notice = read_file(path, encoding=encoding)
    assert text == SIMPLIFIED
    assert notice.startswith("decoded as ")


def test_gbk_auto_names_detected_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "gbk.md", SIMPLIFIED.encode("gb18030"))
    assert read_file(path, encoding="auto") == (SIMPLIFIED, "decoded as gb18030 (detected)")
    assert read_file(path, encoding="AUTO")[1] == "decoded as gb18030 (detected)"


def test_big5_file_is_recognised(tmp_path: Path) -> None:
    data = TRADITIONAL.encode("big5")
    path = write(tmp_path, "big5.txt", data)
    exc = raises(read_file, path)
    assert exc.kind == "error"
    assert "looks like Big5" in str(exc)
    assert "--encoding big5" in str(exc)
    text, notice = read_file(path, encoding="auto")
    assert text == TRADITIONAL
    assert notice in {f"decoded as {c} (detected)" for c in ("big5", "cp950", "big5hkscs")}
    assert read_file(path, encoding="big5") == (TRADITIONAL, "decoded as big5")
    assert read_file(path, encoding="cp950")[0] == TRADITIONAL


def test_cp950_only_characters_fall_back_to_superset() -> None:
    text = "碁銹裏墻恒粧嫺" * 3 + TRADITIONAL  # F9D6.. row: in cp950, not in plain big5
    data = text.encode("cp950")
    with pytest.raises(UnicodeDecodeError):
        data.decode("big5")
    assert detect_encoding(data) in {"cp950", "big5hkscs"}
    assert decode(data, encoding="auto")[0] == text


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        ("干细胞治疗", "gbk", "gb18030"),
        ("本品不能代替药物。", "gbk", "gb18030"),
        ("# 标题\n\n干细胞治疗目前仍处于临床研究阶段。\n", "gbk", "gb18030"),
        ("糖尿病的广告并咨询正规医", "gbk", "gb18030"),
        ("幹細胞治療", "big5", "big5"),
        ("本品不能代替藥物。", "big5", "big5"),
        ("幹細胞治療目前仍", "big5", "big5"),
    ],
)
def test_short_texts_detected(text: str, codec: str, expected: str) -> None:
    data = text.encode(codec)
    assert detect_encoding(data) == expected
    assert decode(data, encoding="auto") == (text, f"decoded as {expected} (detected)")


def test_wrong_explicit_encoding_suggests_the_likely_one() -> None:
    exc = raises(decode, SIMPLIFIED.encode("gbk"), encoding="big5")
    assert str(exc).startswith("cannot decode as big5 (byte 0x")
    assert str(exc).endswith("; looks like GB18030 — try --encoding gb18030")
    exc = raises(decode, TRADITIONAL.encode("big5"), encoding="gb2312")
    assert "looks like Big5 — try --encoding big5" in str(exc)


def test_explicit_legacy_encoding_on_utf8_file() -> None:
    exc = raises(decode, SIMPLIFIED.encode("utf-8"), encoding="ascii")
    assert (
        str(exc)
        == "cannot decode as ascii (byte 0xe5 at offset 0); the file is valid UTF-8 — drop --encoding"
    )


@pytest.mark.parametrize("encoding", ["gbk2", "utf-9", "", "no such codec"])
def test_unknown_codec(encoding: str) -> None:
    exc = raises(decode, b"abc", encoding=encoding)
    assert exc.kind == "error"
    assert str(exc).startswith(f"unknown encoding {encoding!r}")


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex"])
def test_non_text_codec(encoding: str) -> None:
    exc = raises(decode, b"abc", encoding=encoding)
    assert "not a text encoding" in str(exc)


def test_stray_legacy_bytes_in_utf8_file_are_located() -> None:
    data = ("说明\n" + SIMPLIFIED).encode() + "注意".encode("gbk") + "\n结尾".encode()
    exc = raises(decode, data)
    with pytest.raises(UnicodeDecodeError) as info:
        data.decode("utf-8")
    offset = info.value.start  # "注" in GBK (d7 a2) happens to be valid UTF-8; "意" is not
    assert offset == len(("说明\n" + SIMPLIFIED).encode()) + 2
    assert str(exc) == (
        f"not valid UTF-8 (byte 0x{data[offset]:02x} at offset {offset}, line 4); the rest of the file"
        " is UTF-8 — fix or delete the stray bytes there (mixed encodings?)"
    )
    assert raises(decode, data, encoding="auto").kind == "error"


def test_undetectable_bytes() -> None:
    exc = raises(decode, bytes(range(0x80, 0x100)))
    assert "encoding not recognised" in str(exc)
    assert "--encoding NAME" in str(exc)
    assert "could not detect the encoding" in str(raises(decode, bytes(range(0x80, 0x100)), encoding="auto"))


# --- Unicode encodings, BOMs, exact round trips ----------------------------------------------------


def test_utf8_bom_is_removed_silently(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + SIMPLIFIED.encode())
    assert read_file(path) == (SIMPLIFIED, "")
    assert read_file(path, encoding="utf-8") == (SIMPLIFIED, "")
    assert read_file(path, encoding="utf-8-sig") == (SIMPLIFIED, "")
    assert read_file(path, encoding="auto") == (SIMPLIFIED, "")


def test_bom_alone_and_bom_in_the_middle() -> None:
    assert decode(b"\xef\xbb\xbf") == ("", "")
    assert decode("a\ufeffb".encode()) == ("a\ufeffb", "")


@pytest.mark.parametrize(
    ("codec", "family"),
    [("utf-16", "utf-16"), ("utf-16-le", "utf-16"), ("utf-16-be", "utf-16"), ("utf-32", "utf-32")],
)
def test_utf16_and_utf32_with_bom(tmp_path: Path, codec: str, family: str) -> None:
    data = SIMPLIFIED.encode(codec)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = "\ufeff".encode(codec) + data
    path = write(tmp_path, "utf16.txt", data)
    assert read_file(path) == (SIMPLIFIED, f"decoded as {family}")
    assert read_file(path, encoding="auto") == (SIMPLIFIED, f"decoded as {family}")
    assert read_file(path, encoding=codec)[0] == SIMPLIFIED


def test_utf16_bom_with_broken_data() -> None:
    exc = raises(decode, b"\xff\xfe" + "干细胞".encode("utf-16-le") + b"\x00")
    assert str(exc).startswith("not valid UTF-16 despite its byte-order mark (")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec: str) -> None:
    data = ("# 干细胞\n\n" + SIMPLIFIED).encode(codec)
    exc = raises(decode, data)
    assert exc.kind == "error"
    assert (
        str(exc)
        == f"looks like UTF-16 without a byte-order mark — re-save as UTF-8 or pass --encoding {codec}"
    )
    assert decode(data, encoding="auto") == ("# 干细胞\n\n" + SIMPLIFIED, f"decoded as {codec} (detected)")
    assert decode(data, encoding=codec)[0] == "# 干细胞\n\n" + SIMPLIFIED


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030"])
def test_text_is_never_altered(tmp_path: Path, codec: str) -> None:
    data = TRICKY.encode(codec)
    path = write(tmp_path, "tricky.md", data)
    encoding = "gb18030" if codec == "gb18030" else None
    text, _ = read_file(path, encoding=encoding)
    assert text == TRICKY
    assert text.count("\r\n") == 3 and text.count("\r") == 4


def test_crlf_cr_lf_mixed_round_trip(tmp_path: Path) -> None:
    raw = "一\r\n二\r三\n四\r\n\r\n五\n\r六"
    path = write(tmp_path, "crlf.md", raw.encode())
    assert read_file(path) == (raw, "")


def test_nul_after_the_sniffed_head_is_kept() -> None:
    text = "正文" * 3000 + "\x00尾"
    assert len(text.encode()) > files.SNIFF_BYTES
    assert decode(text.encode()) == (text, "contains a control character (first U+0000 at 1:6001); linted as text")


@pytest.mark.parametrize("content", [b"", b" ", b"\n", b"\r\n\t  \r\n", "\u3000\u3000\n".encode()])
def test_empty_and_whitespace_files(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, "empty.md", content)
    assert read_file(path) == (content.decode(), "")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_utf8_round_trip_property(text: str) -> None:
    data = text.encode()
    text = text.removeprefix("\ufeff")
    try:
        assert decode(data) == (text, files.control_notice(text))  # a NUL does not make text binary
    except InputError as exc:  # a few bytes with NULs in every other place read as UTF-16
        assert str(exc).startswith("looks like UTF-16") and data.count(0) * 8 >= len(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.sampled_from([None, "auto", "gb18030", "big5", "utf-16", "latin-1", "x"]))
def test_decode_never_crashes(data: bytes, encoding: str | None) -> None:
    try:
        text, notice = decode(data, encoding=encoding)
    except InputError as exc:
        one_line(str(exc))
        assert exc.kind in {"error", "skipped"}
    else:
        assert isinstance(text, str) and isinstance(notice, str)


# --- binary files -------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(64)


def test_png_is_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "figure.png", PNG)
    exc = raises(read_file, path)
    assert (exc.kind, exc.binary) == ("error", True)
    assert str(exc) == "binary file (PNG image), not a text draft"
    assert raises(read_file, path, encoding="gb18030").binary
    assert raises(read_file, path, encoding="auto").binary
    walked = files.walked_binary(exc)
    assert (walked.kind, str(walked)) == ("skipped", "binary file (PNG image), skipped")


def test_nul_bytes_in_undecodable_data_are_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "blob.md", b"abc\x00\x01\x02\xff\xfe" + bytes(range(256)))
    exc = raises(read_file, path)
    assert (exc.kind, str(exc), exc.binary) == ("error", "binary file, not a text draft", True)
    text, notice = read_file(path, encoding="latin-1")  # asked for: every byte is a character
    assert text.startswith("abc\x00")
    assert notice == "decoded as iso8859-1; contains 63 control characters (first U+0000 at 1:4); linted as text"


def test_utf8_bom_with_nul_is_text() -> None:
    assert decode(b"\xef\xbb\xbfabc\x00def") == (
        "abc\x00def", "contains a control character (first U+0000 at 1:4); linted as text")


@pytest.mark.parametrize(
    ("head", "label"),
    [
        (PNG, "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"GIF89a\x01\x00", "GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml word/document.xml", "Word/Office document (.docx)"),
        (b"PK\x03\x04\x14\x00\x00\x00data", "ZIP archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), "Microsoft Office document"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP image"),
        (b"\x00\x00\x00\x18ftypheic", "HEIC image"),
        (b"\x00\x01\x02\x03\xff", ""),
        (b"\x00\x01\x02\x03", None),  # valid UTF-8: control characters in text
        (SIMPLIFIED.encode(), None),
        (b"BMI \xe6\x8c\x87\xe6\x95\xb0", None),
        (b"\xff\xfe" + "干细胞\n".encode("utf-16-le"), None),
        ("干细胞治疗\n".encode("utf-16-le"), None),
    ],
)
def test_sniff_binary(head: bytes, label: str | None) -> None:
    if label:  # a real file of that kind also holds bytes that are not UTF-8
        head += b"\x00\xff\xfe"
    assert sniff_binary(head) == label


# --- reading ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1024, "1 KB"), (1536, "1.5 KB"),
     (int(25.3 * 1024 * 1024), "25.3 MB"), (20 * 1024 * 1024, "20 MB"), (3 * 1024**3, "3 GB")],
)  # fmt: skip
def test_format_size(size: int, text: str) -> None:
    assert format_size(size) == text


def test_too_large_file_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "pasted-pdf.txt", ("很长的文本" * 200).encode())  # 3000 bytes
    exc = raises(read_file, path, max_bytes=1024)
    assert exc.kind == "skipped"
    assert (
        str(exc) == "file is 2.9 KB (limit 1 KB); skipped — raise max-file-size or --max-file-size to lint it"
    )
    assert read_file(path, max_bytes=3000)[0] == "很长的文本" * 200


def test_default_limit_is_20_mb(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"")
    with open(path, "wb") as fh:
        fh.truncate(int(25.3 * 1024 * 1024))
    exc = raises(read_file, path)
    assert (
        str(exc)
        == "file is 25.3 MB (limit 20 MB); skipped — raise max-file-size or --max-file-size to lint it"
    )


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert str(raises(read_file, tmp_path / "missing.md")) == "no such file or directory"
    assert str(raises(read_file, tmp_path)) == "is a directory"
    exc = raises(read_file, write(tmp_path, "f.md", b"x") / "child.md")
    assert exc.kind == "error"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.md", SIMPLIFIED.encode())
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root reads mode-000 files anyway: simulate
        real_open = os.open

        def fake_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
            if os.fspath(file) == os.fspath(path):
                raise PermissionError(13, "Permission denied", os.fspath(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(files.os, "open", fake_open)
    else:
        path.chmod(0)
    try:
        exc = raises(read_file, path)
    finally:
        monkeypatch.undo()
        path.chmod(0o644)
    assert (exc.kind, str(exc)) == ("error", "permission denied")


def test_other_os_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "flaky.md", b"x")

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(5, "Input/output error\nwith detail")

    monkeypatch.setattr(files.os, "fstat", boom)
    exc = raises(read_file, path)
    monkeypatch.undo()
    assert str(exc) == "cannot read file: input/output error with detail"


def test_to_file_error() -> None:
    exc = raises(decode, PNG)
    expected = FileError("docs/fig.png", "binary file (PNG image), not a text draft", "error")
    assert exc.to_file_error("docs/fig.png") == expected
    assert getattr(exc, "path", None) == "<stdin>"


def test_read_stdin() -> None:
    assert read_stdin(io.BytesIO(SIMPLIFIED.encode())) == (SIMPLIFIED, "")
    gbk = io.BytesIO(SIMPLIFIED.encode("gbk"))
    assert read_stdin(gbk, encoding="auto") == (SIMPLIFIED, "decoded as gb18030 (detected)")
    wrapped = io.TextIOWrapper(io.BytesIO(TRICKY.encode()), encoding="utf-8")
    assert read_stdin(wrapped)[0] == TRICKY  # the binary buffer is used: CR/CRLF survive
    exc = raises(read_stdin, io.BytesIO(b"x" * 2000), max_bytes=1000)
    assert exc.kind == "skipped"
    assert str(exc) == (
        "input is over 1000 bytes; skipped — raise max-file-size or --max-file-size to lint it"
    )
    assert "GB18030" in str(raises(read_stdin, io.BytesIO(SIMPLIFIED.encode("gbk"))))


def test_read_file_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TRADITIONAL.encode("big5"))))
    assert read_file(Path("-"), encoding="big5") == (TRADITIONAL, "decoded as big5")


def test_charset_normalizer_is_imported_lazily() -> None:
    code = (
        "import sys; from kepulint.text.decode import read_file, decode; from kepulint.run.discover import discover; "
        "decode('中文'.encode()); print('charset_normalizer' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(files.__file__).parents[2])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"


# --- discovery ----------------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in [
        "docs/b.md",
        "docs/a.md",
        "docs/sub/z.txt",
        "docs/sub/y.markdown",
        "docs/notes.html",
        "docs/README",
        "docs/UPPER.MD",
        "docs/.hidden.md",
        "docs/.git/config.md",
        "docs/.obsidian/ws.md",
        "docs/node_modules/pkg/readme.md",
        "docs/__pycache__/x.md",
        "docs/drafts/old.md",
        "docs/drafts/keep.txt",
        "top.md",
    ]:
        write(tmp_path, name, SIMPLIFIED.encode())
    write(tmp_path, "docs/figure.md", PNG)
    write(tmp_path, "docs/figure.png", PNG)
    write(tmp_path, "docs/blob.txt", b"\x00\x01binary\xff\xfe")
    write(tmp_path, "docs/gbk.txt", SIMPLIFIED.encode("gbk"))  # not binary: reported later by read_file
    return tmp_path


def posix(paths: list[Path]) -> list[str]:
    return [p.as_posix() for p in paths]


def test_walk_takes_included_text_files_in_order(tree: Path) -> None:
    found, errors = discover(["docs"])
    assert posix(found) == [
        "docs/UPPER.MD",
        "docs/a.md",
        "docs/b.md",
        "docs/drafts/keep.txt",
        "docs/drafts/old.md",
        "docs/gbk.txt",
        "docs/notes.html",
        "docs/sub/y.markdown",
        "docs/sub/z.txt",
    ]
    assert errors == []
    assert discover(["docs"]) == (found, errors)  # deterministic


def test_walk_include_and_exclude(tree: Path) -> None:
    found, _ = discover(["docs"], include=["*.txt"], exclude=["drafts"])
    assert posix(found) == ["docs/gbk.txt", "docs/sub/z.txt"]
    found, _ = discover(["."], exclude=["docs/drafts/*", "*.markdown", "**/sub/*.txt"])
    assert "docs/drafts/old.md" not in posix(found)
    assert "docs/sub/y.markdown" not in posix(found) and "docs/sub/z.txt" not in posix(found)
    assert "top.md" in posix(found)
    found, _ = discover(["."], exclude=["docs/"])
    assert posix(found) == ["top.md"]
    found, _ = discover([str(tree / "docs" / "sub")], exclude=["docs/sub/z.txt"], root=tree)
    assert [p.name for p in found] == ["y.markdown"]


def test_explicit_files(tree: Path) -> None:
    found, errors = discover(["docs/notes.html", "docs/README", "docs/.hidden.md", "docs/gbk.txt"])
    assert posix(found) == ["docs/notes.html", "docs/README", "docs/.hidden.md", "docs/gbk.txt"]
    assert errors == []
    assert discover(["docs/a.md"], exclude=["docs/*"]) == ([], [])
    assert discover(["docs/a.md"], exclude=["a.md"]) == ([], [])


def test_explicit_hidden_directory_is_walked(tree: Path) -> None:
    assert posix(discover(["docs/.obsidian"])[0]) == ["docs/.obsidian/ws.md"]


def test_explicit_binary_and_missing(tree: Path) -> None:
    found, errors = discover(["docs/figure.png", "docs/blob.txt", "missing.md", "docs/a.md"])
    assert posix(found) == ["docs/figure.png", "docs/blob.txt", "docs/a.md"]  # binary: an error when read
    assert errors == [FileError("missing.md", "no such file or directory", "error")]
    assert raises(read_file, Path("docs/blob.txt")).binary
    for err in errors:
        one_line(err.message)


def test_dedupe_keeps_first_occurrence(tree: Path) -> None:
    found, _ = discover(["docs/b.md", "docs", "./docs/a.md", str(tree / "docs" / "b.md"), "-", "top.md", "-"])
    assert posix(found)[:2] == ["docs/b.md", "docs/UPPER.MD"]
    assert posix(found).count("docs/a.md") == 1
    assert len(found) == len({p.resolve() if str(p) != "-" else p for p in found})
    assert posix(found)[-2:] == ["-", "top.md"]
    assert Path("-") in found


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinks(tree: Path) -> None:
    try:
        os.symlink("..", tree / "docs" / "sub" / "loop")
        os.symlink("nowhere.md", tree / "docs" / "broken.md")
        os.symlink(tree / "docs" / "a.md", tree / "docs" / "sub" / "alias.md")
    except OSError:
        pytest.skip("cannot create symlinks")
    found, errors = discover(["docs"])
    assert "docs/sub/loop/a.md" not in posix(found)
    assert "docs/sub/alias.md" not in posix(found)  # same file as docs/a.md
    assert errors == [FileError("docs/broken.md", "broken symbolic link, skipped", "skipped")]
    assert discover(["docs/broken.md"])[1] == [FileError("docs/broken.md", "broken symbolic link")]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can list any directory")
def test_unreadable_directory_is_reported(tree: Path) -> None:
    locked = tree / "docs" / "sub"
    locked.chmod(0)
    try:
        found, errors = discover(["docs"])
    finally:
        locked.chmod(0o755)
    assert errors == [FileError("docs/sub", "cannot list directory: permission denied")]
    assert "docs/a.md" in posix(found)


def test_unreadable_directory_simulated(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path).name == "sub":
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    found, errors = discover(["docs"])
    monkeypatch.undo()
    assert errors == [FileError("docs/sub", "cannot list directory: permission denied")]
    assert "docs/a.md" in posix(found)


def test_default_suffixes() -> None:
    assert DEFAULT_SUFFIXES == (".md", ".markdown", ".txt", ".html", ".htm", ".docx")


def test_relative_display(tmp_path: Path) -> None:
    cwd = tmp_path / "project"
    assert relative_display(cwd / "docs" / "a.md", cwd) == "docs/a.md"
    assert relative_display(Path("docs/a.md"), Path.cwd()) == "docs/a.md"
    outside = tmp_path / "elsewhere" / "b.md"
    assert relative_display(outside, cwd) == str(outside)
    assert relative_display(Path("../x.md"), cwd) == "../x.md"
    assert relative_display(Path("-")) == "<stdin>"
