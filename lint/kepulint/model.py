"""The values that flow through kepulint: severities, findings and diagnostics."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """How serious a diagnostic is; ordered so that ``error > warning > info``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()

    def lowered(self) -> Severity:
        return Severity(max(self - 1, Severity.INFO))

    def raised(self) -> Severity:
        return Severity(min(self + 1, Severity.ERROR))


class ExitCode(enum.IntEnum):
    CLEAN = 0
    FINDINGS = 1
    USAGE = 2
    INTERRUPTED = 130
    TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process that SIGTERM ended


#: Choices the command line, the review page and the batch command share (formats: report/).
LEVELS = ("error", "warning", "info", "never")  # --fail-on
PROFILES = ("cn", "tw", "hk")
CHECK_PROFILES = ("auto", *PROFILES)


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule kind reports: a span in the *original* text plus context notes.

    ``start``/``end`` are 0-based code-point offsets into the original file text,
    end exclusive. ``notes`` say why the severity moved (hedge, booster, citation…).
    """

    code: str
    start: int
    end: int
    severity: Severity
    message: str
    notes: tuple[str, ...] = ()
    context: str = ""  # normalised sentence text, used for baseline fingerprints
    document_level: bool = False  # about the document as a whole (a missing disclaimer), not a span of it


@dataclass(frozen=True, slots=True)
class Suppression:
    """An in-source directive that silenced a diagnostic, with its reason."""

    kind: str  # disable | disable-next-line | disable-file | config | baseline
    justification: str
    line: int = 0


#: How far a fix may be trusted: ``safe`` cannot change what the article claims (``--fix``),
#: ``unsafe`` changes its wording (``--unsafe-fixes``), ``display-only`` is shown, never applied.
APPLICABILITIES = ("safe", "unsafe", "display-only")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace a span of the original file: 1-based lines and code-point columns, end exclusive
    (an empty span inserts)."""

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str

    def __reduce__(self) -> tuple[type[Edit], tuple[object, ...]]:
        return (Edit, (self.line, self.column, self.end_line, self.end_column, self.replacement))

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column, "replacement": self.replacement}


@dataclass(frozen=True, slots=True)
class Fix:
    """One way to resolve a diagnostic: a title (“替换为：改善症状”), its edits and applicability."""

    title: str
    applicability: str  # one of APPLICABILITIES
    edits: tuple[Edit, ...]

    def __reduce__(self) -> tuple[type[Fix], tuple[object, ...]]:
        return (Fix, (self.title, self.applicability, self.edits))

    def to_dict(self) -> dict[str, object]:
        return {"title": self.title, "applicability": self.applicability,
                "edits": [e.to_dict() for e in self.edits]}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding placed in a file: 1-based lines and columns in Unicode code points, end exclusive.

    The rule's help is not repeated here: reporters look it up by ``code`` (report/ruletable.py)."""

    path: str
    code: str
    name: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    match: str
    fingerprint: str = ""
    suppression: Suppression | None = None
    notes: tuple[str, ...] = field(default=())
    crosses_markup: bool | None = None  # HTML only: a tag or comment lies inside the span
    advice: str = ""  # how to rewrite this match, in the profile's script (see advice.py)
    fixes: tuple[Fix, ...] = ()
    document_level: bool = False  # its finding's (not reported: the position 1:1 says it)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def __reduce__(self) -> tuple[type[Diagnostic], tuple[object, ...]]:
        # the constructor with positional fields: unpickles several times faster than the
        # generic slots-dataclass state (cached results are loaded in bulk)
        return (Diagnostic, (self.path, self.code, self.name, self.severity, self.message, self.line,
                             self.column, self.end_line, self.end_column, self.match,
                             self.fingerprint, self.suppression, self.notes, self.crosses_markup,
                             self.advice, self.fixes, self.document_level))


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be linted (unreadable, undecodable, binary, too large)."""

    path: str
    message: str
    kind: str = "error"  # error | skipped

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message, "kind": self.kind}


class InputError(Exception):
    """A file that cannot be linted; str(exc) is one line for the user (without the path prefix)."""

    def __init__(self, message: str, kind: str = "error", *, binary: bool = False) -> None:
        super().__init__(" ".join(message.split()))
        self.kind = kind  # "error" (counts toward exit 2) or "skipped" (a notice)
        self.binary = binary  # really binary: an error when named, skipped (and counted) when walked

    def to_file_error(self, path: str) -> FileError:
        """The same problem as a :class:`FileError` for reports."""
        return FileError(path, str(self), self.kind)



@dataclass(slots=True)
class FileResult:
    """Everything kepulint says about one file."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    suppressed: list[Diagnostic] = field(default_factory=list)
    error: FileError | None = None
    notice: str = ""  # e.g. "decoded as gb18030"
    excerpts: dict[int, str] = field(default_factory=dict)  # line -> text, for lines with diagnostics
    profile: str = ""  # the jurisdiction the file was linted under (cn, tw, hk)
    genre: str = ""  # the genre the text earned (genre.py)

    def __reduce__(self) -> tuple[type[FileResult], tuple[object, ...]]:
        # as Diagnostic.__reduce__: the constructor loads cached results faster
        return (FileResult, (self.path, self.diagnostics, self.suppressed, self.error, self.notice, self.excerpts,
                             self.profile, self.genre))
