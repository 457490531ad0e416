"""What ``serve`` writes to its log when attacked: one short, safe line per refused or malformed request,
never a raw control character, a traceback, its local variables or the token.

Any web page can make the browser send a request to the server (a cross-origin fetch), and the log is shown
in the terminal that runs ``serve``: an OSC 52 sequence in a path would write the user's clipboard."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import time
from pathlib import Path

from kwaliteitskader.cli.serve import LOG_LINE_LIMIT, LogLine, log_line
from tests.functional.ecosystem.test_eco_serve import _printed_url, server  # noqa: F401 - the fixture

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HOSTILE_PATH = "/%1b%5d52%3bc%3bZXZpbA%3d%3d%07%1b%5b31mRED%c2%9b%e2%80%ae"


def _send(port: int, payload: bytes) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(payload)
        conn.shutdown(socket.SHUT_WR)
        with contextlib.suppress(OSError):  # the server may close first
            while conn.recv(65536):
                pass


def _new_lines(log: Path, start: int, wanted: int = 1, timeout: float = 10.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        lines = log.read_text(encoding="utf-8", errors="replace")[start:].splitlines()
        if len(lines) >= wanted or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def _token(log: Path) -> str:
    url = _printed_url(log)
    assert url is not None
    return url.rsplit("=", 1)[1]


def _assert_clean(lines: list[str], token: str) -> None:
    text = "\n".join(lines)
    assert not RAW.search(text), repr(text)
    assert token not in text and "Traceback" not in text and "locals" not in text.lower()
    assert all(len(line) <= LOG_LINE_LIMIT for line in lines)


def test_a_refused_cross_origin_request_logs_one_escaped_line(server: tuple[int, Path]) -> None:  # noqa: F811
    port, log = server
    token = _token(log)
    start = len(log.read_text(encoding="utf-8", errors="replace"))
    request = (f"GET {HOSTILE_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://evil.example\r\n"
               "Connection: close\r\n\r\n")
    _send(port, request.encode())
    lines = _new_lines(log, start)
    assert len(lines) == 1 and "403" in lines[0], lines
    assert "\\x1b]52" in lines[0] and "\\x9b" in lines[0] and "\\u202e" in lines[0]
    _assert_clean(lines, token)


def test_a_malformed_request_line_logs_at_most_one_short_line(server: tuple[int, Path]) -> None:  # noqa: F811
    port, log = server
    token = _token(log)
    start = len(log.read_text(encoding="utf-8", errors="replace"))
    _send(port, b"GET /\x1b]0;titel\x07 \x00HTTP/9\r\n\r\n")
    time.sleep(1.0)
    lines = _new_lines(log, start, wanted=1, timeout=3)
    assert len(lines) <= 1, lines
    _assert_clean(lines, token)


async def _resize_without_size(port: int, token: str) -> None:
    import aiohttp

    url = f"http://127.0.0.1:{port}/ws/{token}?width=80&height=24"
    async with aiohttp.ClientSession() as session, session.ws_connect(
        url, headers={"Origin": f"http://127.0.0.1:{port}"}
    ) as ws:
        await ws.send_json(["resize", {}])
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ws.receive(), timeout=5)


def test_a_bad_websocket_message_with_the_token_logs_no_traceback_and_no_token(
    server: tuple[int, Path],  # noqa: F811
) -> None:
    port, log = server
    token = _token(log)
    start = len(log.read_text(encoding="utf-8", errors="replace"))
    asyncio.run(_resize_without_size(port, token))
    lines = _new_lines(log, start, wanted=1, timeout=10)
    assert 1 <= len(lines) <= 3, lines
    _assert_clean(lines, token)


def test_the_log_formatter_names_an_exception_in_one_line() -> None:
    import logging

    secret = "geheim-token-123"  # noqa: S105 - a stand-in token
    try:
        raise KeyError(f"width {secret}")
    except KeyError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "fout in /ws/%s\x1b[2J", (secret,), sys.exc_info())
    line = LogLine(secret).format(record)
    assert "\n" not in line and secret not in line and "\x1b" not in line and "KeyError" in line
    assert log_line("x" * 1000).endswith("…") and len(log_line("x" * 1000)) == LOG_LINE_LIMIT
