"""Start the review server: load the settings and rules once, bind, run uvicorn until Ctrl-C."""

from __future__ import annotations

import ipaddress
import socket
import sys
from typing import Any

from ..run.options import RunOptions
from ..run.runner import UsageError, load_settings

EXTRA_HINT = "kepulint serve needs the 'serve' extra: pip install 'kepulint[serve]'"


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; :class:`UsageError` (one line) when that fails."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def serve(opts: dict[str, Any]) -> int:
    """Run ``kepulint serve`` with the command-line ``opts``; return the exit code."""
    try:
        import starlette  # noqa: F401
        import uvicorn
    except ImportError:
        raise UsageError(EXTRA_HINT) from None
    from .app import LOCAL_HOSTS, create_app
    from .service import Reviewer

    config, ruleset = load_settings(RunOptions.from_mapping(opts))
    host, port = opts["host"], opts["port"]
    local = is_loopback(host)
    app = create_app(Reviewer(config, ruleset), max_request_size=opts["max_request_size"],
                     allowed_hosts=LOCAL_HOSTS if local else None)
    sock = bind(host, port)
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    url = f"http://{shown}:{sock.getsockname()[1]}/"
    if not local:
        print(f"kepulint: warning: listening on {host}, reachable from other machines: anyone who can reach "
              "it can use the page; drafts travel unencrypted", file=sys.stderr)
    print(f"kepulint: review page at {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    if opts.get("open_browser"):
        import webbrowser

        webbrowser.open(url)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, server_header=False,
                                           lifespan="off"))
    server.run(sockets=[sock])  # no access log: request bodies and paths are never logged
    return 0
