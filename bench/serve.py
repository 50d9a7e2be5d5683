"""How fast the review page answers a 20,000-character draft (``python bench/serve.py``).

A real server (uvicorn on a free local port, the app ``kepulint serve`` runs) answers
``POST /api/lint`` for a deterministic 20,000-character draft made of the seeds' paragraphs
(Simplified and Traditional mixed), over a kept-alive HTTP connection, as the page sends it.
In one run: the first request after start-up (the rule set was loaded when the server started,
not on it), the median of 20 warm requests, and the median of the same lint called in-process
(``lint_source``), so the ratio is what HTTP, JSON and settings add; the target is "well under
a second". The HTML report download of the same draft is timed too.
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lint"))

CHARS = 20_000
ROUNDS = 20


def draft(chars: int = CHARS) -> str:
    """The seeds' paragraphs in turn (deterministic) until ``chars`` characters."""
    paragraphs = [p for seed in sorted((ROOT / "seeds").glob("*.txt"))
                  for p in seed.read_text(encoding="utf-8").split("\n") if p.strip()]
    out: list[str] = []
    size, i = 0, 0
    while size < chars:
        out.append(paragraphs[i % len(paragraphs)])
        size += len(out[-1]) + 1
        i += 1
    return "\n".join(out)[:chars]


def main() -> None:
    import uvicorn

    from kepulint.api import Settings, lint_source
    from kepulint.run.options import RunOptions
    from kepulint.run.runner import load_settings
    from kepulint.serve.app import create_app
    from kepulint.serve.run import bind
    from kepulint.serve.service import Reviewer

    text = draft()
    started = time.perf_counter()
    config, ruleset = load_settings(RunOptions(no_config=True))
    app = create_app(Reviewer(config, ruleset))
    load = time.perf_counter() - started
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)

    conn = http.client.HTTPConnection("127.0.0.1", port)
    body = json.dumps({"text": text, "filename": "draft.md", "settings": {"profile": "cn"}}).encode("utf-8")

    def post(path: str) -> tuple[float, bytes]:
        start = time.perf_counter()
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        assert response.status == 200, data[:200]
        return time.perf_counter() - start, data

    first, data = post("/api/lint")
    findings = len(json.loads(data)["diagnostics"])
    settings = Settings(profile="cn")

    def direct() -> float:
        start = time.perf_counter()
        lint_source(text, "draft.md", settings, ruleset=ruleset)
        return time.perf_counter() - start

    rounds = [(post("/api/lint")[0], direct()) for _ in range(ROUNDS)]  # interleaved: load hits both
    warm = statistics.median(h for h, _ in rounds)
    inprocess = statistics.median(d for _, d in rounds)
    overhead = statistics.median(h / d for h, d in rounds)
    report = statistics.median(post("/api/report/html")[0] for _ in range(5))
    server.should_exit = True
    thread.join(timeout=10)

    print(f"draft: {len(text):,} characters, {findings} findings; rule set loaded and warmed at start in {load:.2f} s")
    print(f"first request after start-up: {first * 1000:.0f} ms ({first / warm:.2f}x a warm one)")
    print(f"POST /api/lint, median of {ROUNDS}: {warm * 1000:.0f} ms = {warm:.3f} of the 1 s budget")
    print(f"lint_source in-process, median of {ROUNDS}: {inprocess * 1000:.0f} ms "
          f"(HTTP + JSON + settings: median per-round ratio {overhead:.2f}x)")
    print(f"POST /api/report/html, median of 5: {report * 1000:.0f} ms")


if __name__ == "__main__":
    main()
