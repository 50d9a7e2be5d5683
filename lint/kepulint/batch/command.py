"""The ``kepulint batch`` command: options in, a run on Dask, a summary and an exit code out.

Only click is imported here, so registering the command costs ``kepulint check`` nothing;
Dask, pyarrow and the linting engine load when ``kepulint batch`` runs.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # pragma: no cover
    from .task import Job

FAIL_LEVELS = ["error", "warning", "info", "never"]
MISSING_EXTRA = 'kepulint batch needs Dask and pyarrow: pip install "kepulint[dask]"'


@click.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: findings/, summary/, errors/ tables, one file per partition.")
@click.option("--id-field", default="id", show_default=True, help="Field holding the record id.")
@click.option("--text-field", default="text", show_default=True, help="Field holding the text to lint.")
@click.option("--path-field", help="Field holding a file name (its suffix chooses Markdown or plain text).")
@click.option("--format-field", help="Field holding the format: markdown, plain or html.")
@click.option("--default-format", type=click.Choice(["plain", "markdown"]), default="plain", show_default=True,
              help="Format of records that name none.")
@click.option("--output-format", type=click.Choice(["parquet", "jsonl"]), default="parquet", show_default=True)
@click.option("--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                                  "[default: start a local cluster].")
@click.option("-j", "--workers", type=click.IntRange(min=1), help="Local cluster worker processes [default: cores].")
@click.option("--resume", is_flag=True, help="Finish an interrupted run: skip partitions whose output is complete.")
@click.option("--blocksize", default="16MB", show_default=True, help="Bytes of JSON Lines per partition.")
@click.option("--files-per-partition", type=click.IntRange(min=1), default=500, show_default=True,
              help="Draft files (*.md, *.txt) per partition.")
@click.option("--select", multiple=True, help="Codes or prefixes to enable (comma-separated).")
@click.option("--extend-select", multiple=True, help="Codes or prefixes to add to the selection.")
@click.option("--ignore", multiple=True, help="Codes or prefixes to disable.")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), help="Lowest severity that fails a record [default: error].")
@click.option("--profile", type=click.Choice(["cn", "tw", "hk"]), help="Jurisdiction [default: cn].")
@click.option("--today", help="Date for date-relative rules, YYYY-MM-DD [default: today; on --resume, the run's].")
@click.option("--encoding", help="Codec of draft files, or 'auto' [default: utf-8].")
@click.option("--max-file-size", help="Skip larger draft files, e.g. 20MB [default: 20MB].")
@click.option("--rule-path", "rule_paths", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Extra directory of rule YAML files (must be readable by every worker).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Use this config file.")
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@click.option("--progress/--no-progress", default=None, help="Progress line [default: on a terminal, not in CI].")
@click.option("--dashboard/--no-dashboard", default=True, help="Serve the local cluster's dashboard on 127.0.0.1.")
def batch(paths: tuple[str, ...], **opts: Any) -> None:
    """Lint a corpus (JSON Lines, Parquet, CSV, folders of drafts) on a Dask cluster."""
    sys.exit(int(run_command(list(paths), opts)))


def _require_extra() -> None:
    from ..run.runner import UsageError

    try:
        import dask.distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        raise UsageError(MISSING_EXTRA) from None


def _today(value: str | None, out: Path, resume: bool) -> str:
    from ..run.runner import UsageError

    if value:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise UsageError(f"--today: '{value}' is not a date in YYYY-MM-DD form") from None
    if resume:  # the interrupted run's date, so both halves judge staleness alike
        from .outputs import MANIFEST

        try:
            return str(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["settings"]["today"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return date.today().isoformat()


def run_command(paths: list[str], opts: dict[str, Any]) -> int:
    """Everything ``kepulint batch`` does after parsing; the exit code."""
    _require_extra()
    from ..model import ExitCode
    from ..run.options import debug_from_env
    from ..run.runner import UsageError
    from .cluster import DASHBOARD, ClusterError, connect, default_workers, quiet_dask
    from .inputs import plan
    from .outputs import OutputError, completed, prepare
    from .progress import Progress, wanted
    from .run import Interrupted, run, summary

    out: Path = opts["out"]
    job, blocksize = _job(opts, out)
    partitions, problems = plan(paths, job.how.fields, blocksize=blocksize,
                                files_per_partition=opts["files_per_partition"])
    for problem in problems:
        click.echo(f"kepulint: error: {problem}", err=True)
    if not partitions:
        click.echo("kepulint: no records to lint", err=True)
        return ExitCode.USAGE if problems else ExitCode.CLEAN
    try:
        prepare(out, _manifest(job), resume=opts["resume"])
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    root = click.get_current_context(silent=True)
    quiet_dask(bool(root and root.find_root().params.get("debug")) or debug_from_env())
    workers = opts.get("workers") or default_workers()
    try:
        with connect(opts.get("scheduler"), workers, dashboard=DASHBOARD if opts["dashboard"] else None,
                     echo=lambda line: click.echo(line, err=True)) as client:
            if opts.get("scheduler"):
                workers = len(client.scheduler_info().get("workers", {})) or workers
            progress = Progress(len(partitions), sys.stderr, wanted(sys.stderr, opts.get("progress")))
            outcome = run(client, partitions, job, resume=opts["resume"], progress=progress)
    except ClusterError as exc:
        raise UsageError(str(exc)) from None
    except Interrupted:
        done = len(completed(out, [p.key for p in partitions], job.fmt))  # counted once the cluster stopped
        click.echo(f"kepulint: interrupted; {done} of {len(partitions)} partitions complete — "
                   f"run the same command with --resume to finish", err=True)
        return ExitCode.INTERRUPTED
    click.echo(summary(outcome, workers=workers, fail_on=job.how.fail_on, out=str(out)))
    if problems or outcome.failures or outcome.total("errors"):
        return ExitCode.USAGE
    return ExitCode.FINDINGS if outcome.total("failed") else ExitCode.CLEAN


def _job(opts: dict[str, Any], out: Path) -> tuple[Job, int]:
    """The run's :class:`~kepulint.batch.task.Job` (configuration file and options, as for
    ``check``) and the JSON Lines block size."""
    from ..api import Settings
    from ..run.config import ConfigError, parse_size
    from ..run.options import RunOptions
    from ..run.runner import UsageError, load_settings
    from .records import Fields, Linting
    from .task import Job

    config, ruleset = load_settings(RunOptions.from_mapping(opts))
    try:
        blocksize = parse_size(opts["blocksize"])
    except (ConfigError, ValueError) as exc:
        raise UsageError(f"--blocksize: {exc}") from None
    settings = Settings(select=tuple(config.selected_codes(ruleset.codes, None)),
                        severity=tuple(sorted(config.severity_overrides(ruleset.codes).items())),
                        profile=config.profile, today=_today(opts.get("today"), out, opts["resume"]),
                        rule_paths=tuple(str(Path(p).resolve()) for p in config.rule_paths))
    fields = Fields(opts["id_field"], opts["text_field"], opts.get("path_field"), opts.get("format_field"),
                    opts["default_format"])
    job = Job(Linting(settings, fields, config.fail_on), str(out.resolve()), opts["output_format"],
              config.encoding, config.max_file_size)
    return job, blocksize


def _manifest(job: Job) -> dict[str, Any]:
    """What must not change between a run and its ``--resume`` (as JSON reads it back)."""
    from .records import rule_versions

    how = job.how
    manifest = {"kepulint": _version(), "fields": asdict(how.fields), "settings": asdict(how.settings),
                "fail_on": how.fail_on, "format": job.fmt,
                "rules": sorted(rule_versions(how.settings.rule_paths).items())}
    return json.loads(json.dumps(manifest))


def _version() -> str:
    from .. import __version__

    return __version__
