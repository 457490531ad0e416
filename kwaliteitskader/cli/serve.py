"""``kwaliteitskader serve [--port N] [--host H]``: the application in a web browser (textual-serve).

For officers who will not use a terminal. The server runs ``python -m kwaliteitskader`` (the interactive
application) once per browser tab and streams it over a websocket. It listens on 127.0.0.1 (this computer
only) unless ``--host`` says otherwise, and then warns: anyone who can reach the port and knows the secret
address can read and change assessments with the rights of the user who started the server.

Any web page open in the officer's browser can try to reach a server on this computer, so every request is
checked before textual-serve sees it (:class:`Guard`):

- a random secret token, new at every start, is part of the address that is printed; the page needs it
  (``/?token=…``) and so does the websocket (``/ws/<token>``), so a page that does not know it gets nothing;
- the ``Host`` header must name this server (a loopback name with the right port), which defeats DNS
  rebinding, and an ``Origin`` header, when sent (a browser always sends one on a websocket), must be the
  served origin itself;
- anything refused gets 403 and one short line on stderr.

Whatever reaches the log comes from the network (a path, a header, a malformed request, a websocket
message), so every log line goes through one formatter (:class:`LogLine`): the sanitiser shows control
characters as escapes (no terminal sequence reaches the terminal running ``serve``), the token is never
written, an exception is named in one line (no traceback, no local variables), and a line is cut short.

The page loads nothing from another host: our own copy of textual-serve's page uses its bundled font
instead of a font service, and a Content-Security-Policy forbids every other host.
"""

from __future__ import annotations

import argparse
import hmac
import ipaddress
import logging
import secrets
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kwaliteitskader.core.i18n import LANGUAGES, language, t

LOG_LINE_LIMIT = 200
"""Longest log line (characters); a longer one is cut off with an ellipsis."""
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TEMPLATES = Path(__file__).resolve().parent / "serve_page"
"""Our copy of textual-serve's page (``app_index.html``): local font, translated texts."""

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")  # noqa: S104 - names, compared with --host; nothing binds here


def log_line(text: str, secret: str = "") -> str:
    """``text`` as one safe log line: ``secret`` (the token) left out, control characters escaped, cut short."""
    from kwaliteitskader.core.safetext import terminal_safe

    if secret:
        text = text.replace(secret, "…")
    text = terminal_safe(text, one_line=True)
    return text if len(text) <= LOG_LINE_LIMIT else text[: LOG_LINE_LIMIT - 1] + "…"


class LogLine(logging.Formatter):
    """Every log record (ours, textual-serve's, aiohttp's, asyncio's) as one :func:`log_line`; an exception
    only by its type and message, never a traceback with its local variables (they hold the token)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def format(self, record: logging.LogRecord) -> str:
        try:
            text = record.getMessage()
        except (TypeError, ValueError):  # a message and arguments that do not fit together
            text = str(record.msg)
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            detail = str(error)
            name = type(error).__name__
            text = f"{text} ({name}: {detail})" if detail and detail != text else f"{text} ({name})"
        return log_line(text, self.secret)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("serve", help=t("cli.help.serve"), description=t("cli.help.serve_long"))
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N", help=t("cli.help.serve_port"))
    p.add_argument("--host", default=DEFAULT_HOST, metavar="H", help=t("cli.help.serve_host"))
    p.add_argument("--public-url", default=None, metavar="URL", help=t("cli.help.serve_public_url"))
    p.add_argument("--open", action="store_true", help=t("security.serve.help_open"))
    p.add_argument("--criteria", type=Path, default=argparse.SUPPRESS, metavar="DIR", help=t("cli.help.criteria"))
    p.add_argument("--lang", choices=list(LANGUAGES), default=argparse.SUPPRESS, help=t("cli.help.lang"))
    p.set_defaults(handler=run)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(criteria: Path | None, lang: str) -> str:
    """The shell command textual-serve starts per browser tab: this Python, this package, same options."""
    words = [sys.executable, "-m", "kwaliteitskader", "--lang", lang]
    if criteria is not None:
        words += ["--criteria", str(criteria.resolve())]
    return shlex.join(words)


def _netloc(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"{shown}:{port}"


class Guard:
    """Decides, per request, whether it comes from the page this server handed out (see the module text)."""

    def __init__(self, token: str, host: str, port: int, public_url: str | None = None) -> None:
        self.token = token
        self.port = port
        self.any_host = host in WILDCARD_HOSTS
        """Listening on every address: the name a browser uses is not known; the port and token still are."""
        hosts = {_netloc(name, port) for name in LOOPBACK_NAMES}
        if not is_loopback(host) and not self.any_host:
            hosts.add(_netloc(host, port))
        if port == 80:
            hosts |= {h.rsplit(":", 1)[0] for h in hosts}
        self.origins = {f"http://{h}" for h in hosts}
        if public_url:
            public = urlsplit(public_url)
            if public.netloc:
                hosts.add(public.netloc.lower())
                self.origins.add(f"{public.scheme}://{public.netloc}".lower())
        self.hosts = hosts

    def host_ok(self, value: str | None) -> bool:
        if not value:
            return False
        value = value.lower()
        if value in self.hosts:
            return True
        return self.any_host and value.rsplit(":", 1)[-1] == str(self.port) and "]" not in value.rsplit(":", 1)[-1]

    def origin_ok(self, origin: str | None, host: str | None) -> bool:
        if origin is None:
            return True
        origin = origin.lower()
        return origin in self.origins or (self.any_host and origin == f"http://{(host or '').lower()}")

    def token_ok(self, value: str | None) -> bool:
        return value is not None and hmac.compare_digest(value.encode(), self.token.encode())

    def refusal(self, kind: str, headers: Any, token: str | None) -> str | None:
        """Why a request must be refused (a short English reason for the log), or None to let it through.
        ``kind``: "page" (``/``), "socket" (``/ws/<token>``) or "other" (the page's scripts, styles, font)."""
        host = headers.get("Host")
        origin = headers.get("Origin")
        if not self.host_ok(host):
            return f"Host {host!r} is not this server"
        if not self.origin_ok(origin, host):
            return f"Origin {origin!r} is not this server"
        if kind == "socket" and origin is None:
            return "websocket without Origin"
        if kind in ("page", "socket") and not self.token_ok(token):
            return "missing or wrong token"
        return None


def security_headers(guard: Guard) -> dict[str, str]:
    # an IPv6 literal ([::1]) is no valid CSP source (the browser logs an error); 'self' covers that origin
    named = [h for h in guard.hosts if not h.startswith("[")]
    sockets = " ".join(sorted(f"ws://{h}" for h in named) + sorted(f"wss://{h}" for h in named))
    policy = (
        "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "font-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; "
        f"connect-src 'self' {sockets}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",  # the address holds the token: never pass it on
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }


def make_server(command: str, host: str, port: int, public_url: str | None, token: str, *,
                open_browser: bool = False) -> Any:
    """textual-serve's server with the :class:`Guard` in front, our page, and our own start message."""
    import aiohttp_jinja2
    import jinja2
    from aiohttp import web
    from textual_serve.server import Server

    guard = Guard(token, host, port, public_url)
    shown = _netloc(host, port) if host not in WILDCARD_HOSTS else _netloc(DEFAULT_HOST, port)
    base_url = (public_url or f"http://{shown}").rstrip("/")

    class _Server(Server):
        async def _make_app(self) -> web.Application:
            @web.middleware
            async def check(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                            ) -> web.StreamResponse:
                path = request.path
                kind, token = "other", None
                if path == "/":
                    kind, token = "page", request.query.get("token")
                elif path == "/ws" or path.startswith("/ws/"):
                    kind, token = "socket", path[len("/ws/"):] or None
                reason = guard.refusal(kind, request.headers, token)
                if reason is not None:
                    shown = "/ws/…" if kind == "socket" else path  # never write the token (or a guess) to the log
                    line = t("security.serve.refused", path=shown, remote=request.remote or "?", reason=reason)
                    print(log_line(line, guard.token), file=sys.stderr, flush=True)
                    return web.Response(status=403, text=t("security.serve.forbidden"), headers=security_headers(guard))
                response = await handler(request)
                if not response.prepared:
                    response.headers.update(security_headers(guard))
                return response

            app = web.Application(middlewares=[check])
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES))
            app.add_routes([
                web.get("/", self.handle_index, name="index"),
                web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ])
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            socket_base = "wss:" if base_url.startswith("https:") else "ws:"
            context = {
                "font_size": max(6, min(64, _to_int(request.query.get("fontsize", "16"), 16))),
                "app_websocket_url": socket_base + base_url.split(":", 1)[1] + f"/ws/{guard.token}",
                "config": {"static": {"url": base_url + "/static/"}},
                "application": {"name": self.title},
                "lang": language(),
                "ended": t("security.serve.ended"),
                "restart": t("security.serve.restart"),
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

        def initialize_logging(self) -> None:
            """Instead of textual-serve's Rich handler (tracebacks with local variables): :class:`LogLine`."""
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(LogLine(guard.token))
            logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
            # aiohttp's access log writes every request line, token included; refusals are logged above
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def on_startup(self, app: Any) -> None:
            print(t("serve.listening", url=self.public_url), flush=True)
            print(t("serve.stop_hint"), flush=True)
            if open_browser:
                import webbrowser

                webbrowser.open(self.public_url)

    return _Server(command, host=host, port=port, title=t("serve.title"), public_url=f"{base_url}/?token={token}")


def _to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def run(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        print(t("serve.bad_port", port=args.port), file=sys.stderr)
        return 2
    if not is_loopback(args.host):
        print(t("serve.warning_public", host=args.host), file=sys.stderr)
    criteria = getattr(args, "criteria", None)
    if criteria is not None:  # checked now, not in every browser tab later (where it would only fail there)
        from kwaliteitskader.core.findings import FindingsError, exit_code
        from kwaliteitskader.core.io.load import load_criteria
        from kwaliteitskader.core.safetext import terminal_safe

        try:
            load_criteria(criteria, light=True)
        except FindingsError as exc:
            for finding in exc.findings:
                print(terminal_safe(finding.text(), one_line=True), file=sys.stderr)
            return exit_code(exc.findings)
    command = app_command(criteria, language())
    token = secrets.token_urlsafe(24)
    try:
        # Bind once ourselves first, so that a taken port or a wrong address is reported plainly, before
        # textual-serve announces anything.
        socket.create_server((args.host, args.port)).close()
        make_server(command, args.host, args.port, args.public_url, token, open_browser=args.open).serve()
    except OSError as exc:
        print(t("serve.failed", host=args.host, port=args.port, reason=exc.strerror or exc), file=sys.stderr)
        return 2  # as everywhere: 2 = cannot run with this input (here: the address or port)
    return 0
