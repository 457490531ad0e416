"""Browser mode: ``serve`` answers with the application's page on 127.0.0.1, and warns for other hosts.

The server runs in a subprocess on a free loopback port; every wait is bounded and the process is always
terminated. Instead of a headless browser (Chromium is not installed on the CI machine) one test plays the
browser's part on the websocket and checks that the application itself starts and draws its screen.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kwaliteitskader.cli.serve import app_command, is_loopback
from tests.conftest import ROOT, run_cli

pytest.importorskip("textual_serve")

START_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a loopback http URL built here
        return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "KWALITEITSKADER_LANG": "nl"}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "kwaliteitskader", "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                _get(f"http://127.0.0.1:{port}/")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"serve did not answer (exit {process.poll()}):\n{log.read_text()}")
                time.sleep(0.2)
        yield port, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_serve_answers_with_the_application_page_on_localhost(server: tuple[int, Path]) -> None:
    port, log = server
    status, content_type, body = _get(f"http://127.0.0.1:{port}/")
    assert status == 200
    assert content_type.startswith("text/html")
    assert "<html" in body and f"ws://127.0.0.1:{port}/ws" in body
    assert "Kwaliteitskader jeugdinterventies" in body  # our title, in the chosen language
    status, _, script = _get(f"http://127.0.0.1:{port}/static/js/textual.js")
    assert status == 200 and len(script) > 1000  # the terminal front-end is served locally
    assert f"http://127.0.0.1:{port}" in log.read_text()


def test_serve_listens_on_loopback_only_by_default(server: tuple[int, Path]) -> None:
    port, _ = server
    listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=False)
    if listening.returncode != 0:
        pytest.skip("ss is not available")
    addresses = {line.split()[3].rsplit(":", 1)[0] for line in listening.stdout.splitlines() if line.strip()}
    assert addresses == {"127.0.0.1"}


def test_other_host_prints_a_warning_first(tmp_path: Path) -> None:
    # 192.0.2.1 is a documentation address (RFC 5737) that no interface here has: the bind fails, so
    # nothing ever listens beyond loopback, but the warning must already have been printed.
    result = run_cli("--lang", "en", "serve", "--host", "192.0.2.1", "--port", str(_free_port()))
    assert result.returncode == 2
    assert result.stderr.startswith("Warning: listening on 192.0.2.1")
    assert "Cannot listen on 192.0.2.1" in result.stderr


def test_taken_port_is_reported_plainly() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.returncode == 2
    assert f"Kan niet luisteren op 127.0.0.1:{port}" in result.stderr
    assert "Waarschuwing" not in result.stderr


def test_loopback_detection_and_app_command() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.10", "::", "example.org"))  # noqa: S104
    command = app_command(None, "en")
    assert command.endswith("-m kwaliteitskader --lang en")
    assert sys.executable in command


async def _terminal_output(port: int, wanted: str, timeout: float = 60.0) -> str:
    """Connect like the browser page does and collect what the application draws, until ``wanted`` shows."""
    import aiohttp

    received = b""
    url = f"http://127.0.0.1:{port}/ws?width=120&height=40"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        deadline = time.monotonic() + timeout
        while wanted.encode() not in received and time.monotonic() < deadline:
            try:
                message = await asyncio.wait_for(ws.receive(), timeout=max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                break
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type == aiohttp.WSMsgType.TEXT:
                received += message.data.encode()
            else:
                break
    return received.decode("utf-8", errors="replace")


def _has_app() -> bool:
    try:
        return importlib.util.find_spec("kwaliteitskader.tui.app") is not None
    except ModuleNotFoundError:
        return False


@pytest.mark.skipif(not _has_app(), reason="the interactive application is not on this branch")
def test_browser_session_runs_the_application(server: tuple[int, Path]) -> None:
    from kwaliteitskader.core.i18n import t

    port, _ = server
    title = t("tui.app.title", lang="nl")
    assert title != "tui.app.title"
    output = asyncio.run(_terminal_output(port, title))
    assert title in output
