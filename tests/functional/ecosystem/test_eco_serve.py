"""Browser mode: ``serve`` answers with the application's page on 127.0.0.1, and warns for other hosts.

The server runs in a subprocess on a free loopback port; every wait is bounded and the process is always
terminated. Instead of a headless browser (Chromium is not installed on the CI machine) one test plays the
browser's part on the websocket and checks that the application itself starts and draws its screen.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kwaliteitskader.cli.serve import Guard, app_command, is_loopback
from tests.conftest import ROOT, run_cli

START_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a loopback http URL built here
        return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")


def _printed_url(log: Path) -> str | None:
    """The secret address ``serve`` printed (``http://…/?token=…``), once it has."""
    found = re.search(r"http://\S+/\?token=[\w-]+", log.read_text())
    return found.group() if found else None


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
                url = _printed_url(log)
                if url is None:
                    raise ConnectionError
                _get(url)
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
    url = _printed_url(log)
    assert url is not None and url.startswith(f"http://127.0.0.1:{port}/?token=")
    status, content_type, body = _get(url)
    assert status == 200
    assert content_type.startswith("text/html")
    token = url.rsplit("=", 1)[1]
    assert "<html" in body and f"ws://127.0.0.1:{port}/ws/{token}" in body
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


async def _terminal_output(port: int, token: str, wanted: str, timeout: float = 60.0) -> str:
    """Connect like the browser page does and collect what the application draws, until ``wanted`` shows."""
    import aiohttp

    received = b""
    url = f"http://127.0.0.1:{port}/ws/{token}?width=120&height=40"
    origin = {"Origin": f"http://127.0.0.1:{port}"}
    async with aiohttp.ClientSession() as session, session.ws_connect(url, headers=origin) as ws:
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


def test_browser_session_runs_the_application(server: tuple[int, Path]) -> None:
    from kwaliteitskader.core.i18n import t

    port, log = server
    title = t("tui.app.title", lang="nl")
    assert title != "tui.app.title"
    url = _printed_url(log)
    assert url is not None
    output = asyncio.run(_terminal_output(port, url.rsplit("=", 1)[1], title))
    assert title in output


# --- no other web page drives the application ----------------------------------------------------------


async def _handshake(url: str, headers: dict[str, str]) -> int:
    """The HTTP status of a websocket handshake (101 when it is accepted), the connection closed at once."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers, timeout=aiohttp.ClientWSTimeout(ws_close=5)) as ws:
                await ws.close()
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


def test_websocket_handshake_needs_token_own_origin_and_own_host(server: tuple[int, Path]) -> None:
    port, log = server
    url = _printed_url(log)
    assert url is not None
    token = url.rsplit("=", 1)[1]
    here = f"127.0.0.1:{port}"
    good = {"Origin": f"http://{here}"}
    socket_url = f"http://{here}/ws/{token}?width=80&height=24"
    guessed = token[:-1] + ("y" if token.endswith("x") else "x")  # one character off (never the token itself)
    cases = {
        "foreign origin": (socket_url, {"Origin": "https://evil.example"}),
        "foreign origin on our port": (socket_url, {"Origin": f"http://evil.example:{port}"}),
        "no origin": (socket_url, {}),
        "wrong host (DNS rebinding)": (socket_url, {**good, "Host": f"evil.example:{port}"}),
        "wrong port in host": (socket_url, {**good, "Host": "127.0.0.1:1"}),
        "no token": (f"http://{here}/ws?width=80&height=24", good),
        "wrong token": (f"http://{here}/ws/{guessed}?width=80&height=24", good),
    }
    for name, (target, headers) in cases.items():
        assert asyncio.run(_handshake(target, headers)) == 403, name
    assert asyncio.run(_handshake(socket_url, good)) == 101
    assert asyncio.run(_handshake(socket_url, {"Origin": f"http://localhost:{port}"})) == 101
    text = log.read_text()
    assert text.count("Geweigerd (403)") >= len(cases)
    assert "evil.example" in text
    assert guessed not in text  # a guessed token is not written to the log


def test_page_needs_the_token_and_loads_nothing_from_another_host(server: tuple[int, Path]) -> None:
    port, log = server
    url = _printed_url(log)
    assert url is not None
    for bad in (f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/?token=raden"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(bad)
        assert refused.value.code == 403
    request = urllib.request.Request(url, headers={"Host": f"evil.example:{port}"})  # noqa: S310
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - loopback
    assert refused.value.code == 403
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
        body = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "no-referrer"
    # every address in the page is this server's (the SVG namespace is a name, not a request)
    addresses = set(re.findall(r"(?:https?|wss?)://[^\s\"'<>)]+", body)) - {"http://www.w3.org/2000/svg"}
    assert addresses and all(a.startswith((f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/")) for a in addresses)
    assert "fonts.googleapis" not in body and "RobotoMono" in body
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "https:" not in policy.replace("wss://", "")
    font = f"http://127.0.0.1:{port}/static/fonts/RobotoMono-VariableFont_wght.ttf"
    with urllib.request.urlopen(font, timeout=5) as response:
        assert response.status == 200 and len(response.read()) > 10_000


def test_guard_for_other_hosts_still_wants_the_token() -> None:
    guard = Guard("geheim", "0.0.0.0", 8000)  # noqa: S104 - only the rules are tested; nothing listens
    ok = {"Host": "192.168.1.20:8000", "Origin": "http://192.168.1.20:8000"}
    assert guard.refusal("socket", ok, "geheim") is None
    assert guard.refusal("socket", ok, None) == "missing or wrong token"
    assert guard.refusal("page", {"Host": "192.168.1.20:8000"}, "fout") == "missing or wrong token"
    assert guard.refusal("socket", {**ok, "Origin": "http://evil.example"}, "geheim") is not None
    assert guard.refusal("socket", {**ok, "Host": "192.168.1.20:9999"}, "geheim") is not None
    named = Guard("geheim", "192.168.1.20", 8000)
    assert named.refusal("page", {"Host": "evil.example:8000"}, "geheim") is not None
    assert named.refusal("page", {"Host": "192.168.1.20:8000"}, "geheim") is None
