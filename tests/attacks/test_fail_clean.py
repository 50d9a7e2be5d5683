"""Failing clean: deep folders and deep config or baseline nesting, closed, broken or full
output, SIGTERM and Ctrl-C: one line, the right exit code, no orphan workers, no temp files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from attack_kit import CLAIM, check, command, env, victim

from kepulint.cli import main

SEED = (Path(__file__).resolve().parents[2] / "seeds" / "000_ca1cae812c9e3ff5.txt").read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return victim(tmp_path, monkeypatch)


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def _one_error_line(err: str, *needles: str) -> None:
    assert err.count("\n") == 1 and err.startswith("kepulint: error: "), err
    assert "internal error" not in err and all(n in err for n in needles), err


def test_990_nested_folders_are_walked(repo: Path) -> None:
    deep = repo / "docs"
    deep.mkdir()
    for _ in range(990):  # one level at a time (Path.mkdir(parents=True) recurses)
        deep = deep / "d"
        os.mkdir(deep)
    (deep / "a.md").write_text(CLAIM, encoding="utf-8")
    (repo / "docs" / "top.md").write_text(CLAIM, encoding="utf-8")
    try:
        code, report = check("docs")
        assert code == 1 and report["errors"] == []
        assert sorted({d["path"].count("/") for d in report["diagnostics"]}) == [1, 991]
    finally:  # bottom up, without recursion: pytest's own clean-up of tmp_path recurses
        (deep / "a.md").unlink()
        while deep != repo / "docs":
            os.rmdir(deep)
            deep = deep.parent


def test_deeply_nested_toml_config_is_one_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "pyproject.toml").write_text("[tool.kepulint]\nselect = " + "[" * 5000 + "]" * 5000 + "\n",
                                         encoding="utf-8")
    (repo / "a.md").write_text(CLAIM, encoding="utf-8")
    code, _, err = _cli(["check", "a.md"], capsys)
    assert code == 2
    _one_error_line(err, "pyproject.toml", "nested too deeply")


def test_deeply_nested_baseline_is_one_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "base.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (repo / "a.md").write_text(CLAIM, encoding="utf-8")
    code, _, err = _cli(["check", "--no-config", "--baseline", "base.json", "a.md"], capsys)
    assert code == 2
    _one_error_line(err, "base.json", "nested too deeply")


@pytest.mark.parametrize(("redirect", "needle"), [(">&-", "standard output is closed"),
                                                 ("> /dev/full", "No space left on device")])
def test_closed_or_full_stdout_is_one_line(tmp_path: Path, redirect: str, needle: str) -> None:
    (tmp_path / "a.md").write_text(CLAIM, encoding="utf-8")
    proc = subprocess.run(["bash", "-c", f"{sys.executable} -m kepulint check --no-config a.md {redirect}"],
                          cwd=tmp_path, env=env(tmp_path / "home"), capture_output=True, timeout=120, text=True)
    assert proc.returncode == 2
    _one_error_line(proc.stderr, needle)


def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(40):
        (docs / f"d{i}.txt").write_text(SEED, encoding="utf-8")
    script = (f"{sys.executable} -m kepulint check --no-config docs 2>err.txt | (head -c 10 >/dev/null; sleep 1); "
              "echo ${PIPESTATUS[0]}")
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env(tmp_path / "home"), capture_output=True,
                          timeout=300, text=True)
    assert proc.stdout.strip() == "141" and (tmp_path / "err.txt").read_text(encoding="utf-8") == ""


# -- signals: the parent stops its workers, no temp file is left ----------------------------------


def _corpus(tmp_path: Path, files: int = 300) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(files):
        (docs / f"d{i:03d}.md").write_text(SEED * 3, encoding="utf-8")
    return docs


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


@pytest.mark.parametrize(("sig", "code", "line"), [(signal.SIGTERM, 143, "kepulint: terminated"),
                                                   (signal.SIGINT, 130, "kepulint: interrupted")])
def test_a_signal_stops_the_workers_and_closes_stdout(tmp_path: Path, sig: int, code: int, line: str) -> None:
    _corpus(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "kepulint", "check", "--no-config", "--no-cache", "-j2", "docs"],
                            cwd=tmp_path, env=env(tmp_path / "home"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert len(workers) >= 2, "the workers did not start"
    time.sleep(0.5)
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=30)  # EOF on stdout: no orphan holds it open
        assert proc.returncode == code
        assert err.decode().strip() == line  # no "Exception ignored …", no traceback
        time.sleep(0.5)
        assert not [pid for pid in workers if _running_kepulint(pid)], "a worker still runs"
    finally:  # whatever happened, leave no kepulint process behind
        proc.kill()
        for pid in workers:
            if _running_kepulint(pid):
                os.kill(pid, signal.SIGKILL)


def _running_kepulint(pid: int) -> bool:
    """Whether ``pid`` is a live (not zombie) kepulint process."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return state != "Z" and b"kepulint" in command


def test_an_interrupted_write_baseline_leaves_no_temp_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(CLAIM, encoding="utf-8")
    script = (
        "import os, signal, sys\n"
        "real = os.fsync\n"
        "def stop(fd):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    real(fd)\n"
        "os.fsync = stop\n"
        "from kepulint.cli import main\n"
        "main(['check', '--no-config', '--no-cache', '--write-baseline', 'base.json', 'a.md'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env(tmp_path / "home"),
                          capture_output=True, timeout=120, text=True)
    assert proc.returncode == 143 and proc.stderr == "kepulint: terminated\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["a.md"]


def test_reports_and_baselines_get_the_umask_mode(repo: Path) -> None:
    (repo / "a.md").write_text(CLAIM, encoding="utf-8")
    old = os.umask(0o022)
    try:
        check("a.md")
        check("a.md", write_baseline=str(repo / "base.json"))
    finally:
        os.umask(old)
    assert (repo.parent / "report.json").stat().st_mode & 0o777 == 0o644
    assert (repo / "base.json").stat().st_mode & 0o777 == 0o644
    assert json.loads((repo / "base.json").read_text(encoding="utf-8"))["entries"]


def test_a_report_to_a_pipe_or_device_is_written_not_replaced(tmp_path: Path) -> None:
    """``-o /dev/stdout`` (or a FIFO) is written into; a rename would replace the node itself."""
    import stat
    import threading

    (tmp_path / "a.md").write_text(CLAIM, encoding="utf-8")
    link = tmp_path / "stdout"  # /dev/stdout through a link of our own: code that renamed onto the
    link.symlink_to("/dev/stdout")  # target would replace this link, never the machine's /dev/stdout
    proc = command("check", "--no-config", "--select", "CLM", "-o", str(link), "a.md", home=tmp_path / "home",
                   cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout.decode().count("CLM002") == 3
    assert link.is_symlink()
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = command("check", "--no-config", "--select", "CLM", "-o", str(fifo), "a.md", home=tmp_path / "home",
                   cwd=tmp_path)
    reader.join(timeout=60)
    assert proc.returncode == 1 and got and got[0].decode().count("CLM002") == 3
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_closed_stdin_is_one_file_error(tmp_path: Path) -> None:
    proc = subprocess.run(["bash", "-c", f"{sys.executable} -m kepulint check --no-config - <&-"], cwd=tmp_path,
                          env=env(tmp_path / "home"), capture_output=True, timeout=120, text=True)
    assert proc.returncode == 2 and proc.stderr == ""
    assert "<stdin>: error: standard input is closed" in proc.stdout


def _limited_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # an unbounded read fails fast


@pytest.mark.parametrize(("args", "needle"), [
    (["--config", "k.yaml"], "k.yaml: config file not found"),  # a link to a device is not a config file
    (["--no-config", "--baseline", "base.json"], "base.json: cannot read baseline: not a regular file"),
    (["--no-config", "--rule-path", "pack"], "ZZZ001.yaml: cannot read rule file: not a regular file"),
])
def test_a_config_baseline_or_rule_linked_to_a_device_is_one_line(tmp_path: Path, args: list[str],
                                                                  needle: str) -> None:
    """``.kepulint.yaml -> /dev/zero`` (git commits symbolic links): refused, not read forever."""
    (tmp_path / "a.md").write_text(CLAIM, encoding="utf-8")
    (tmp_path / "pack").mkdir()
    for link in ("k.yaml", "base.json", "pack/ZZZ001.yaml"):
        (tmp_path / link).symlink_to("/dev/zero")
    proc = subprocess.run([sys.executable, "-m", "kepulint", "check", *args, "a.md"], cwd=tmp_path,
                          env=env(tmp_path / "home"), capture_output=True, timeout=60, text=True,
                          preexec_fn=_limited_memory)
    assert proc.returncode == 2
    _one_error_line(proc.stderr, needle)
