"""``kepulint server`` driven by a real LSP client (pytest-lsp) over a subprocess's stdio."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from kepulint.lsp.positions import from_utf16, to_utf16, utf16_len  # noqa: E402
from kepulint.text.source import LineIndex  # noqa: E402

# a Traditional draft; 😀 and 𠀀 (outside the BMP) are two UTF-16 code units each
DRAFT = "# 幹細胞與憂鬱症\n\n😀𠀀 幹細胞可以根治憂鬱症。\n"
CLAIM = (2, 10, 12)  # line, UTF-16 start and end of 根治


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "kepulint", "server"]))
async def client(lsp_client: LanguageClient, tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / ".kepulint.yaml").write_text("profile: tw\n", encoding="utf-8")
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="drafts")],
    ))
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, uri: str, text: str) -> list[types.Diagnostic]:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


async def _apply(client: LanguageClient, uri: str, version: int, edit: types.WorkspaceEdit) -> list[types.Diagnostic]:
    assert edit.changes is not None
    changes = [types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
               for e in sorted(edit.changes[uri], key=lambda e: (e.range.start.line, e.range.start.character),
                               reverse=True)]
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=version), changes))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


def _find(diagnostics: list[types.Diagnostic], code: str) -> types.Diagnostic:
    return next(d for d in diagnostics if d.code == code)


@pytest.mark.asyncio
async def test_traditional_draft_diagnostics_code_action_and_hover(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "draft.md").as_uri()
    diagnostics = await _open(client, uri, DRAFT)
    claim = _find(diagnostics, "CLM002")
    line, start, end = CLAIM
    assert (claim.range.start.line, claim.range.start.character, claim.range.end.character) == (line, start, end)
    assert claim.severity == types.DiagnosticSeverity.Error and claim.source == "kepulint"
    assert "控制病情" in claim.message and "憂鬱症" in claim.message  # tw profile from the folder's config

    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri=uri), types.Position(line=line, character=start + 1)))
    assert hover is not None and "醫療法" in hover.contents.value  # type: ignore[union-attr]

    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=claim.range,
        context=types.CodeActionContext(diagnostics=[claim])))
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, types.CodeAction)]
    assert "替換為：控制病情" in titles and "用註釋抑制 CLM002（寫明理由）" in titles
    replace = next(a for a in actions if isinstance(a, types.CodeAction) and a.title == "替換為：控制病情")
    assert replace.edit is not None
    after = await _apply(client, uri, 2, replace.edit)
    assert not [d for d in after if d.code == "CLM002"]
    assert _find(after, "DSC001")  # the other finding is still there


@pytest.mark.asyncio
async def test_disclaimer_and_suppression_quick_fixes(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "note.txt").as_uri()
    diagnostics = await _open(client, uri, DRAFT)
    dsc = _find(diagnostics, "DSC001")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=dsc.range,
        context=types.CodeActionContext(diagnostics=[dsc])))
    assert actions is not None
    add = next(a for a in actions if isinstance(a, types.CodeAction) and a.title == "加入免責宣告")
    assert add.is_preferred and add.edit is not None
    after = await _apply(client, uri, 2, add.edit)
    assert not [d for d in after if d.code == "DSC001"]
    claim = _find(after, "CLM002")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=claim.range,
        context=types.CodeActionContext(diagnostics=[claim])))
    assert actions is not None
    suppress = next(a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith("用註釋抑制"))
    assert suppress.edit is not None
    after = await _apply(client, uri, 3, suppress.edit)
    assert not [d for d in after if d.code in ("CLM002", "KPL001")]


def test_positions_outside_the_bmp() -> None:
    lines = LineIndex(DRAFT)
    assert utf16_len("😀𠀀") == 4
    assert to_utf16(lines, 3, 9) == (2, 10)  # 根: code-point column 9 (1-based), UTF-16 character 10
    assert from_utf16(lines, 2, 10) == lines.starts[2] + 8
    assert from_utf16(lines, 2, 1) == lines.starts[2] + 1  # inside the surrogate pair: clamped forward
