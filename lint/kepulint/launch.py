"""The console entry point (``kepulint`` and ``python -m kepulint``).

A Ctrl-C while the command-line interface is still being imported (the first tenth of a
second) ends like one later: ``kepulint: interrupted`` and exit 130, no traceback.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130  # ExitCode.INTERRUPTED, without importing kepulint.model first


def main() -> None:
    try:
        from .cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("kepulint: interrupted\n")
        raise SystemExit(INTERRUPTED) from None
    cli_main()
