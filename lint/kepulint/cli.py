"""The ``kepulint`` command line: parse arguments, run, report, exit.

No lint logic lives here; see :mod:`kepulint.run.runner` (files → results) and
:mod:`kepulint.api` (one text → diagnostics). Exit codes: 0 clean, 1 findings at or
above ``--fail-on``, 2 usage/config/rule-pack error or an unreadable file, 130 Ctrl-C.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from . import __version__
from .model import CHECK_PROFILES, LEVELS, PROFILES, ExitCode
from .report import OUTPUT_FORMATS
from .run.options import debug_from_env

TERMINATED = ExitCode.TERMINATED


@dataclass
class Invocation:
    """What the group's options said, for the command and for :func:`main`'s error handling
    (one per :func:`main` call, passed as click's context object: no global state)."""

    debug: bool = False

    @property
    def tracebacks(self) -> bool:
        return self.debug or debug_from_env()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="kepulint")
@click.option("--debug", is_flag=True, help="Show tracebacks (also KEPULINT_DEBUG=1).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Compliance linter for Chinese medical popular-science (科普) drafts."""
    ctx.ensure_object(Invocation).debug = debug


@cli.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="Output format [default: text; github when GITHUB_ACTIONS=true].")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here.")
@click.option("--select", multiple=True, help="Codes or prefixes to enable (comma-separated).")
@click.option("--extend-select", multiple=True, help="Codes or prefixes to add to the selection.")
@click.option("--ignore", multiple=True, help="Codes or prefixes to disable.")
@click.option("--fail-on", type=click.Choice(LEVELS), default=None,
              help="Lowest severity that fails the run [default: error].")
@click.option("--profile", type=click.Choice(CHECK_PROFILES), default=None,
              help="Jurisdiction: cn, tw, hk, or auto to pick one per file [default: auto].")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this config file (pyproject.toml or .kepulint.yaml).")
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@click.option("--stdin-filename", help="Name (and so format) of the text read from stdin ('-').")
@click.option("--today", help="Date for date-relative rules, YYYY-MM-DD [default: today].")
@click.option("--encoding", help="Decode inputs with this codec, or 'auto' to detect [default: utf-8].")
@click.option("--max-file-size", help="Skip larger files, e.g. 20MB [default: 20MB].")
@click.option("--rule-path", "rule_paths", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Extra directory of rule YAML files (a rule pack).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: cores].")
@click.option("--cache/--no-cache", default=None, help="Reuse results for unchanged files [default: on].")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Cache folder [.kepulint_cache].")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Record today's findings in this file (and exit 0).")
@click.option("--statistics", is_flag=True, help="Print a count per code instead of each finding.")
@click.option("--color/--no-color", default=None, help="Colour output [default: on a TTY unless NO_COLOR].")
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply fixes that change wording.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of writing (exit 1 if any).")
@click.pass_obj
def check(invocation: Invocation, paths: tuple[str, ...], **opts: Any) -> None:
    """Lint drafts: files, directories (*.md, *.markdown, *.txt, *.html, *.htm, *.docx) or '-' for stdin."""
    from .run.options import RunOptions
    from .run.runner import run_check

    run = run_check(list(paths) or ["."], RunOptions(**opts, debug=invocation.debug))
    sys.exit(int(run.exit_code))


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--verify", is_flag=True, help="Run every rule's examples and report failures.")
@click.option("--rule-path", "rule_paths", multiple=True, type=click.Path(file_okay=False, path_type=Path))
def rules_cmd(fmt: str, verify: bool, rule_paths: tuple[Path, ...]) -> None:
    """List every rule: code, name, severity, kind, summary."""
    from .explain import list_rules, verify_rules

    if verify:
        failures = verify_rules(rule_paths)
        for line in failures:
            click.echo(line)
        click.echo(f"{len(failures)} example(s) failed." if failures else "All rule examples pass.")
        sys.exit(1 if failures else 0)
    click.echo(list_rules(rule_paths, fmt), nl=False)


@cli.command("rule")
@click.argument("code")
@click.option("--profile", type=click.Choice(PROFILES), default="cn")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--rule-path", "rule_paths", multiple=True, type=click.Path(file_okay=False, path_type=Path))
def rule_cmd(code: str, profile: str, fmt: str, rule_paths: tuple[Path, ...]) -> None:
    """Explain one rule: why it matters, legal basis, how to rewrite, examples."""
    from .explain import explain_rule

    click.echo(explain_rule(code.upper(), profile, fmt, rule_paths), nl=False)


@cli.command("schema")
@click.argument("which", type=click.Choice(["report", "config", "rule"]), default="report")
def schema_cmd(which: str) -> None:
    """Print a JSON Schema: the JSON report (default), the config or a rule file (with every kind's params)."""
    from .schemas import text

    click.echo(text(which), nl=False)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but localhost is reachable from other machines.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port (0: any free).")
@click.option("--max-request-size", default="5MB", show_default=True, help="Refuse larger requests (413).")
@click.option("--profile", type=click.Choice(PROFILES), default=None, help="Default jurisdiction of the page.")
@click.option("--rule-path", "rule_paths", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Extra directory of rule YAML files (a rule pack).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--no-config", is_flag=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
def serve_cmd(**opts: Any) -> None:
    """A local review page: paste a draft, see every finding in place (needs the 'serve' extra)."""
    from .run.config import ConfigError, parse_size
    from .serve.run import serve

    try:
        opts["max_request_size"] = parse_size(opts["max_request_size"])
    except (ConfigError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="--max-request-size") from None
    sys.exit(serve(opts))


@cli.command("config")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--no-config", is_flag=True)
def config_cmd(config_file: Path | None, no_config: bool) -> None:
    """Print the effective settings and where each came from."""
    from .run.options import RunOptions
    from .run.runner import load_settings

    config, _ = load_settings(RunOptions(config_file=config_file, no_config=no_config))
    click.echo(config.describe())


@cli.command("server")
def server_cmd() -> None:
    """Language server over stdio for editors (needs: pip install 'kepulint[lsp]')."""
    import importlib.util

    if importlib.util.find_spec("pygls") is None:
        raise click.ClickException("kepulint server needs pygls: pip install 'kepulint[lsp]'")
    from .lsp.server import main as serve

    serve()


from .batch.command import batch as _batch  # noqa: E402  (click only: Dask loads when it runs)

cli.add_command(_batch)


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C (workers stopped, temporary files removed), exit 143."""


def _on_sigterm_unwind() -> None:
    """Turn SIGTERM into :class:`Terminated` in this (main) thread; workers reset it.

    A worker forked but not yet started still has this handler: SIGTERM there (a pool stopping
    its workers) must end that process at once, never unwind the parent's stack in the copy."""
    import contextlib
    import os
    import signal

    owner = os.getpid()

    def raise_terminated(signum: int, frame: Any) -> None:
        if os.getpid() != owner:
            os._exit(TERMINATED)
        raise Terminated

    with contextlib.suppress(ValueError, OSError, AttributeError):  # not the main thread, or no SIGTERM
        signal.signal(signal.SIGTERM, raise_terminated)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: turn every expected failure into one line and exit 2."""
    _on_sigterm_unwind()
    invocation = Invocation()
    try:
        cli.main(args=argv, prog_name="kepulint", standalone_mode=False, obj=invocation)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.USAGE)
    except click.exceptions.Abort:
        click.echo("kepulint: interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("kepulint: interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except Terminated:
        click.echo("kepulint: terminated", err=True)
        sys.exit(TERMINATED)
    except BrokenPipeError:
        _quiet_broken_pipe()
    except Exception as exc:
        if type(exc).__name__ != "OutputClosed":
            _fail(exc, invocation.tracebacks)
        _quiet_broken_pipe()


def _fail(exc: Exception, tracebacks: bool) -> None:
    """One line, exit 2; tracebacks only with --debug."""
    if tracebacks:
        raise exc
    from .run.runner import user_error_message

    message = user_error_message(exc)
    click.echo(f"kepulint: error: {message}", err=True)
    sys.exit(ExitCode.USAGE)


def _quiet_broken_pipe() -> None:
    """Output went to a closed pipe (``| head``): stop quietly, exit 141 (128 + SIGPIPE) as a
    command that SIGPIPE ended."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):  # no stdout left to quiet
        pass
    sys.exit(141)
