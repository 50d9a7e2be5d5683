"""The review server's routes (Starlette): the page, its static files and the JSON API.

``POST /api/lint`` takes ``{"text", "filename", "settings": {profile, select, ignore, fail_on,
today}}`` and answers the same JSON report as ``kepulint check --format json`` (the header
``X-Kepulint-Result`` is ``pass`` or ``fail`` at the fail level). ``POST /api/report/{json,sarif,html}``
answers the same body as a download; ``GET /api/rules?profile=`` lists the rules with their advice
and legal basis; ``GET /api/rules/{code}?profile=`` is ``kepulint rule CODE`` as text;
``POST /api/read?name=FILE`` decodes an uploaded file's bytes. Errors are ``{"error": "..."}``
with 400, 404, 413, 415 or 422.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .middleware import BodyLimit, SecurityHeaders
from .page import render_page
from .service import REPORT_FORMATS, RequestError, Reviewer, parse_request

DEFAULT_MAX_REQUEST = 5 * 1024 * 1024
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _lint_request(request: Request) -> Any:
    """The parsed ``LintRequest`` of a JSON POST, or the error response to send instead."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return _error(415, "send the request as Content-Type: application/json")
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        return _error(400, f"request body: not valid JSON ({exc})")
    try:
        return parse_request(data)
    except RequestError as exc:
        return _error(400, str(exc))


def create_app(reviewer: Reviewer, *, max_request_size: int = DEFAULT_MAX_REQUEST,
               allowed_hosts: tuple[str, ...] | None = LOCAL_HOSTS) -> Starlette:
    """The ASGI app. ``allowed_hosts`` guards against DNS rebinding (None: any Host header)."""

    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse(render_page(reviewer))

    async def lint(request: Request) -> Response:
        req = await _lint_request(request)
        if isinstance(req, Response):
            return req
        try:
            body, failed = reviewer.report(req, "json")
        except RequestError as exc:
            return _error(400, str(exc))
        return Response(body, media_type="application/json",
                        headers={"X-Kepulint-Result": "fail" if failed else "pass"})

    async def report(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in REPORT_FORMATS:
            return _error(404, f"unknown report format {fmt!r} (choose from {', '.join(REPORT_FORMATS)})")
        req = await _lint_request(request)
        if isinstance(req, Response):
            return req
        try:
            body, _ = reviewer.report(req, fmt)
        except RequestError as exc:
            return _error(400, str(exc))
        media, name = REPORT_FORMATS[fmt]
        return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def rules(request: Request) -> Response:
        profile = _law(request, reviewer)
        if profile not in _profiles():
            return _error(400, f"profile: expected one of {', '.join(_profiles())}")
        return JSONResponse(reviewer.rules(profile))

    async def rule(request: Request) -> Response:
        profile = _law(request, reviewer)
        if profile not in _profiles():
            return _error(400, f"profile: expected one of {', '.join(_profiles())}")
        try:
            return JSONResponse({"text": reviewer.rule_text(request.path_params["code"], profile)})
        except RequestError as exc:
            return _error(404, str(exc))

    async def read(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/octet-stream":
            return _error(415, "send the file's bytes as Content-Type: application/octet-stream")
        name = request.query_params.get("name", "")
        try:
            return JSONResponse(reviewer.read(await request.body(), name))
        except RequestError as exc:
            return _error(422, str(exc))

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    static = StaticFiles(directory=str(resources.files("kepulint.serve").joinpath("static")))
    routes = [
        Route("/", page),
        Route("/api/lint", lint, methods=["POST"]),
        Route("/api/report/{fmt}", report, methods=["POST"]),
        Route("/api/rules", rules),
        Route("/api/rules/{code}", rule),
        Route("/api/read", read, methods=["POST"]),
        Route("/favicon.ico", no_icon),
        Mount("/static", static, name="static"),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    middleware.append(Middleware(BodyLimit, max_bytes=max_request_size))
    return Starlette(routes=routes, middleware=middleware, exception_handlers={Exception: _internal_error})


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    """A bug: the same one line as the CLI's (the traceback goes to the server's log, not the page)."""
    from ..run.runner import user_error_message

    return _error(500, user_error_message(exc))


def _law(request: Request, reviewer: Reviewer) -> str:
    """The jurisdiction whose rule texts a request asks for: ``?profile=``, else the server's;
    ``auto`` (which picks one per draft) reads as the mainland's."""
    profile = request.query_params.get("profile", reviewer.config.profile)
    return "cn" if profile == "auto" else profile


def _profiles() -> list[str]:
    from ..model import PROFILES

    return list(PROFILES)
