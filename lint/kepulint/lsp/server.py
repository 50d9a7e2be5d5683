"""The language server: diagnostics while an editor types, fixes as code actions, help on hover.

- Diagnostics on open and, debounced by :data:`DEBOUNCE` seconds, on change; the document's
  extension picks Markdown (``.md``, ``.markdown``; ``.html``/``.htm`` too, whose tags and
  comments the Markdown view hides) or plain text. Linting runs in a worker thread.
- Code actions: every fix of the diagnostics under the cursor (“替换为：改善症状”, “加入免责声明”;
  safe ones preferred), and a suppression directive with a reason placeholder.
- Hover: the finding's message, its advice and the rule's help for the profile.
- Configuration: the project config of the document's workspace folder (as ``kepulint check``
  run there would find it), re-read when a config file changes or folders change.

Positions go out in UTF-16 code units (the LSP default) and come back from them (positions.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..model import Diagnostic, Fix, Severity
from ..report.ruletable import RuleTable
from ..rules.ruleset import DOCS_URL
from ..text.source import LineIndex
from ..text.wording import for_profile
from .positions import from_utf16, to_utf16

DEBOUNCE = 0.25  # seconds of quiet typing before a document is linted again
MARKDOWN_SUFFIXES = (".md", ".markdown", ".html", ".htm")
CONFIG_NAMES = ("pyproject.toml", ".kepulint.yaml", ".kepulint.yml")
SEVERITIES = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
              Severity.INFO: types.DiagnosticSeverity.Information}
REASON_PLACEHOLDER = "请写明理由"


class KepulintServer(LanguageServer):
    """pygls server holding, per document, the text last linted and its diagnostics."""

    def __init__(self) -> None:
        super().__init__("kepulint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.linted: dict[str, tuple[str, list[Diagnostic], str]] = {}  # text, its diagnostics, profile
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.configs: dict[str, Any] = {}
        self.reported: set[str] = set()  # config problems already shown

    # -- configuration -------------------------------------------------------------------------

    def folder_of(self, path: Path) -> Path:
        """The innermost workspace folder holding ``path`` (else the file's own folder)."""
        folders = [Path(to_fs_path(f.uri) or "") for f in self.workspace.folders.values()]
        if self.workspace.root_path:
            folders.append(Path(self.workspace.root_path))
        holding = [f for f in folders if f.parts and path.is_relative_to(f)]
        return max(holding, key=lambda f: len(f.parts)) if holding else path.parent

    def config_for(self, folder: Path) -> Any:
        """The folder's effective config (cached); a broken config is shown once and ignored."""
        key = str(folder)
        if key not in self.configs:
            from ..api import ruleset_for
            from ..run.config import ConfigError, load_config

            try:
                self.configs[key] = load_config(folder, known_codes=ruleset_for(()).codes)
            except ConfigError as exc:
                if str(exc) not in self.reported:
                    self.reported.add(str(exc))
                    message = types.ShowMessageParams(type=types.MessageType.Error, message=f"kepulint: {exc}")
                    self.window_show_message(message)
                self.configs[key] = None
        return self.configs[key]

    def _config_of(self, uri: str) -> tuple[Path, Any]:
        """The document's path and its config (None for an unsaved document or a broken config)."""
        fs_path = to_fs_path(uri)
        path = Path(fs_path) if fs_path else Path(uri.rsplit("/", 1)[-1] or "untitled.md")
        return path, self.config_for(self.folder_of(path)) if fs_path else None

    def rules_for(self, uri: str) -> RuleTable:
        """The rules the document is linted with (built-in, and its config's rule packs)."""
        from ..api import ruleset_for

        config = self._config_of(uri)[1]
        return RuleTable(ruleset_for(tuple(str(p) for p in getattr(config, "rule_paths", ()))))

    # -- linting -------------------------------------------------------------------------------

    def lint(self, uri: str, text: str) -> tuple[list[Diagnostic], str]:
        """Diagnostics of ``text`` as the document ``uri``, and the profile (runs in a worker thread)."""
        from ..api import lint_text

        path, config = self._config_of(uri)
        name = path.name
        if config is not None:
            with contextlib.suppress(ValueError):
                name = path.relative_to(config.root).as_posix()
        diagnostics = lint_text(text, name, config=config, markdown=path.suffix.lower() in MARKDOWN_SUFFIXES)
        return diagnostics, getattr(config, "profile", None) or "cn"

    async def lint_now(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        text, version = document.source, document.version
        diagnostics, profile = await asyncio.get_running_loop().run_in_executor(None, self.lint, uri, text)
        if self.workspace.get_text_document(uri).source != text:
            return  # changed while linting: the pending lint of the new text publishes
        self.linted[uri] = (text, diagnostics, profile)
        lines = LineIndex(text)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=[to_lsp(d, lines) for d in diagnostics]))

    def schedule(self, uri: str) -> None:
        """Lint ``uri`` once typing has paused for :data:`DEBOUNCE` seconds."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._later(uri))

    async def _later(self, uri: str) -> None:
        await asyncio.sleep(DEBOUNCE)
        self.pending.pop(uri, None)
        await self.lint_now(uri)

    def current(self, uri: str) -> tuple[LineIndex, list[Diagnostic], str] | None:
        """The diagnostics of ``uri`` (and the profile) if they were computed for its present text."""
        linted = self.linted.get(uri)
        if linted is None or self.workspace.get_text_document(uri).source != linted[0]:
            return None
        return LineIndex(linted[0]), linted[1], linted[2]


def _range(d: Diagnostic, lines: LineIndex) -> types.Range:
    start = to_utf16(lines, d.line, d.column)
    end = to_utf16(lines, d.end_line, d.end_column)
    return types.Range(types.Position(*start), types.Position(*end))


def _span(d: Diagnostic, lines: LineIndex) -> tuple[int, int]:
    """0-based code-point offsets of ``d`` in the linted text."""
    return (lines.starts[d.line - 1] + d.column - 1, lines.starts[d.end_line - 1] + d.end_column - 1)


def to_lsp(d: Diagnostic, lines: LineIndex) -> types.Diagnostic:
    """An LSP diagnostic: UTF-16 range, severity, code with its help link, message and advice."""
    message = f"{d.message}\n怎么改：{d.advice}" if d.advice else d.message
    return types.Diagnostic(
        range=_range(d, lines), severity=SEVERITIES[d.severity], code=d.code, source="kepulint", message=message,
        code_description=types.CodeDescription(href=DOCS_URL.format(code=d.code)),
        data={"fingerprint": d.fingerprint},
    )


def _text_edit(fix: Fix, lines: LineIndex) -> list[types.TextEdit]:
    out = []
    for e in fix.edits:
        start, end = to_utf16(lines, e.line, e.column), to_utf16(lines, e.end_line, e.end_column)
        out.append(types.TextEdit(types.Range(types.Position(*start), types.Position(*end)), e.replacement))
    return out


def _suppression(d: Diagnostic, lines: LineIndex) -> types.TextEdit:
    """A directive on its own line above the finding (for the whole file when it has no span)."""
    text = lines.text
    newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
    if d.match:
        directive, line = f"<!-- kepulint-disable-next-line {d.code} -- {REASON_PLACEHOLDER} -->", d.line - 1
    else:
        directive, line = f"<!-- kepulint-disable-file {d.code} -- {REASON_PLACEHOLDER} -->", 0
    at = types.Position(line, 0)
    return types.TextEdit(types.Range(at, at), directive + newline)


def code_actions(uri: str, lines: LineIndex, diagnostics: list[Diagnostic], start: int, end: int,
                 wanted: set[str], profile: str = "cn") -> list[types.CodeAction]:
    """Quick fixes for the diagnostics touching ``[start, end]`` or named in ``wanted`` (fingerprints)."""
    actions: list[types.CodeAction] = []
    for d in diagnostics:
        d_start, d_end = _span(d, lines)
        if not (d.fingerprint in wanted or (d_start <= end and start <= d_end)):
            continue
        lsp = to_lsp(d, lines)
        for fix in d.fixes:
            title = fix.title
            if fix.applicability == "display-only":
                title += for_profile("（占位，需填写）", profile)
            actions.append(types.CodeAction(
                title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[lsp],
                is_preferred=fix.applicability == "safe",
                edit=types.WorkspaceEdit(changes={uri: _text_edit(fix, lines)})))
        actions.append(types.CodeAction(
            title=for_profile(f"用注释抑制 {d.code}（写明理由）", profile), kind=types.CodeActionKind.QuickFix,
            diagnostics=[lsp],
            edit=types.WorkspaceEdit(changes={uri: [_suppression(d, lines)]})))
    return actions


def hover_text(d: Diagnostic, help_text: str) -> str:
    """The hover of ``d``: message, advice and its rule's ``help_text``."""
    parts = [f"**{d.code}** {d.name} [{d.severity.label}]", d.message]
    if d.advice:
        parts.append(f"怎么改：{d.advice}")
    parts += ["---", help_text, f"[{d.code}]({DOCS_URL.format(code=d.code)})"]
    return "\n\n".join(parts)


server = KepulintServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: KepulintServer, params: types.DidOpenTextDocumentParams) -> None:
    await ls.lint_now(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: KepulintServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: KepulintServer, params: types.DidSaveTextDocumentParams) -> None:
    if params.text_document.uri.rsplit("/", 1)[-1] in CONFIG_NAMES:
        ls.configs.clear()


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: KepulintServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.linted.pop(uri, None)
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def folders_changed(ls: KepulintServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    ls.configs.clear()


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def files_changed(ls: KepulintServer, params: types.DidChangeWatchedFilesParams) -> None:
    if any(c.uri.rsplit("/", 1)[-1] in CONFIG_NAMES for c in params.changes):
        ls.configs.clear()


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def code_action(ls: KepulintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    found = ls.current(uri)
    if found is None:
        return []
    lines, diagnostics, profile = found
    start = from_utf16(lines, params.range.start.line, params.range.start.character)
    end = from_utf16(lines, params.range.end.line, params.range.end.character)
    wanted = {d.data.get("fingerprint") for d in params.context.diagnostics
              if d.source == "kepulint" and isinstance(d.data, dict)}
    return code_actions(uri, lines, diagnostics, start, end, {w for w in wanted if w}, profile)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: KepulintServer, params: types.HoverParams) -> types.Hover | None:
    found = ls.current(params.text_document.uri)
    if found is None:
        return None
    lines, diagnostics, profile = found
    at = from_utf16(lines, params.position.line, params.position.character)
    under = [d for d in diagnostics if d.match and _span(d, lines)[0] <= at < _span(d, lines)[1]]
    if not under:
        return None
    from ..reading.region import resolve

    rules, law = ls.rules_for(params.text_document.uri), resolve(profile, lines.text)  # auto: as the linter chose
    text = "\n\n---\n\n".join(hover_text(d, rules.help(d.code, law)) for d in under)
    return types.Hover(contents=types.MarkupContent(types.MarkupKind.Markdown, text),
                       range=_range(under[0], lines))


def main() -> None:
    """Serve over stdin/stdout until the client exits."""
    server.start_io()
