"""Line and column arithmetic on the original text.

Lines end at CR, LF or CRLF (as in SARIF); columns count Unicode code points.
Both are 1-based; end columns are exclusive.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate


def lf_view(text: str) -> str:
    """``text`` with the same length in which every line ends in LF: CRLF -> " LF", CR -> LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", " \n").replace("\r", "\n")


def line_starts(text: str) -> list[int]:
    """Offsets at which the lines of ``text`` start: 0 and just after each line end."""
    lines = lf_view(text).split("\n")
    return list(accumulate([len(line) + 1 for line in lines[:-1]], initial=0))


class LineIndex:
    """Maps 0-based code-point offsets to 1-based (line, column) pairs."""

    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Offsets of line ``line`` (1-based) without its terminator."""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        while end > start and self.text[end - 1] in "\r\n":
            end -= 1
        return start, end

    def line_text(self, line: int) -> str:
        start, end = self.line_span(line)
        return self.text[start:end]

    @property
    def line_count(self) -> int:
        return len(self.starts)
