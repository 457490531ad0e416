"""``kwaliteitskader serve [--port N] [--host H]``: the application in a web browser (textual-serve).

For officers who will not use a terminal. The server runs ``python -m kwaliteitskader`` (the interactive
application) once per browser tab and streams it over a websocket. It listens on 127.0.0.1 (this computer
only) unless ``--host`` says otherwise, and then warns: anyone who can reach the port can read and
change assessments with the rights of the user who started the server (there is no login).
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from kwaliteitskader.core.i18n import LANGUAGES, language, t

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("serve", help=t("cli.help.serve"), description=t("cli.help.serve_long"))
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N", help=t("cli.help.serve_port"))
    p.add_argument("--host", default=DEFAULT_HOST, metavar="H", help=t("cli.help.serve_host"))
    p.add_argument("--public-url", default=None, metavar="URL", help=t("cli.help.serve_public_url"))
    p.add_argument("--criteria", type=Path, default=argparse.SUPPRESS, metavar="DIR", help=t("cli.help.criteria"))
    p.add_argument("--lang", choices=list(LANGUAGES), default=argparse.SUPPRESS, help=t("cli.help.lang"))
    p.set_defaults(handler=run)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(criteria: Path | None, lang: str) -> str:
    """The shell command textual-serve starts per browser tab: this Python, this package, same options."""
    words = [sys.executable, "-m", "kwaliteitskader", "--lang", lang]
    if criteria is not None:
        words += ["--criteria", str(criteria.resolve())]
    return shlex.join(words)


def run(args: argparse.Namespace) -> int:
    from textual_serve.server import Server

    if not 0 < args.port < 65536:
        print(t("serve.bad_port", port=args.port), file=sys.stderr)
        return 2
    if not is_loopback(args.host):
        print(t("serve.warning_public", host=args.host), file=sys.stderr)
    command = app_command(getattr(args, "criteria", None), language())
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    url = args.public_url or f"http://{shown_host}:{args.port}"

    class _Server(Server):
        """textual-serve, with our own (translated) start message instead of its banner."""

        async def on_startup(self, app: Any) -> None:
            print(t("serve.listening", url=self.public_url), flush=True)
            print(t("serve.stop_hint"), flush=True)

    try:
        # Bind once ourselves first, so that a taken port or a wrong address is reported plainly, before
        # textual-serve announces anything.
        socket.create_server((args.host, args.port)).close()
        server = _Server(command, host=args.host, port=args.port, title=t("serve.title"), public_url=url)
        server.serve()
    except OSError as exc:
        print(t("serve.failed", host=args.host, port=args.port, reason=exc.strerror or exc), file=sys.stderr)
        return 2  # as everywhere: 2 = cannot run with this input (here: the address or port)
    return 0
