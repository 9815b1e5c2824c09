"""``cockpit serve``: loopback by default, read-only by construction, and a real
page and wallboard over HTTP and a WebSocket on 127.0.0.1."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from cockpit.cli.main import main
from cockpit.cli.serve_cmd import is_loopback

ROOT = Path(__file__).resolve().parents[2]


class RecordingUI:
    """Takes the place of the Textual runner to see what serve would run (no server started)."""

    def __init__(self) -> None:
        self.served: list[argparse.Namespace] = []

    def run_dashboard(self, args: argparse.Namespace, inventory: object) -> int:
        raise AssertionError("serve must not open a dashboard here")

    def serve(self, args: argparse.Namespace) -> int:
        self.served.append(args)
        return 0


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.53", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("198.18.0.1", False), ("wallboard.example", False)])
def test_only_loopback_counts_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_non_loopback_host_is_refused_unless_allowed(make_inventory, closed_port, capsys) -> None:
    inv = make_inventory({"web1": closed_port})
    ui = RecordingUI()
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--inventory", str(inv.path), "--host", "0.0.0.0"], ui=ui)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "refusing to listen on 0.0.0.0" in err and "--allow-non-loopback" in err
    assert "Traceback" not in err and ui.served == []
    assert main(["serve", "--inventory", str(inv.path), "--host", "0.0.0.0", "--allow-non-loopback"], ui=ui) == 0
    assert ui.served[0].host == "0.0.0.0"


def test_the_served_command_is_always_read_only(make_inventory, closed_port) -> None:
    inv = make_inventory({"web1": closed_port})
    ui = RecordingUI()
    main(["serve", "--inventory", str(inv.path)], ui=ui)
    main(["serve", "--inventory", str(inv.path), "--wallboard", "--port", "9000"], ui=ui)
    main(["serve", "--inventory", str(inv.path), "--read-only"], ui=ui)
    wall, wall2, dash = (a.served_command for a in ui.served)
    assert wall == wall2 == [sys.executable, "-m", "screens.launch", "--inventory", str(inv.path.resolve()),
                             "--wallboard"]
    assert dash[-1] == "--read-only"
    assert ui.served[0].host == "127.0.0.1" and ui.served[0].port == 8080  # loopback by default


def test_accept_new_is_refused_for_a_served_wallboard(make_inventory, closed_port, capsys) -> None:
    inv = make_inventory({"web1": closed_port})
    ui = RecordingUI()
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--inventory", str(inv.path), "--accept-new"], ui=ui)
    assert exit_info.value.code == 2 and "--accept-new" in capsys.readouterr().err and ui.served == []


def test_a_bad_inventory_is_reported_before_serving(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[hosts]]\nname = 3\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--inventory", str(bad)], ui=RecordingUI())
    assert exit_info.value.code == 2 and "bad.toml" in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def wait_for_page(session: aiohttp.ClientSession, url: str, server: asyncio.subprocess.Process) -> str:
    for _ in range(600):
        assert server.returncode is None, "the server exited"
        try:
            async with session.get(url) as resp:
                assert resp.status == 200
                return await resp.text()
        except aiohttp.ClientConnectorError:
            await asyncio.sleep(0.1)
    raise AssertionError("the server never answered")


async def test_serve_shows_the_read_only_wallboard_over_loopback(make_inventory, closed_port, tmp_path) -> None:
    inv = make_inventory({"web1": closed_port})
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "screens.launch", "serve", "--wallboard", "--inventory", str(inv.path), "--port",
        str(port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True)
    try:
        async with aiohttp.ClientSession() as session:
            page = await wait_for_page(session, f"http://127.0.0.1:{port}/", server)
            assert "cockpit wallboard" in page and f"ws://127.0.0.1:{port}/ws" in page
            screen = b""
            async with session.ws_connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30") as ws:
                await ws.send_json(["resize", {"width": 100, "height": 30}])
                while not (b"READ-ONLY" in screen and b"Worst problems first" in screen):
                    msg = await ws.receive(timeout=120)
                    assert msg.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), msg
                    if msg.type is aiohttp.WSMsgType.BINARY:
                        screen += msg.data
                await ws.send_json(["stdin", "q"])  # the one key a wallboard needs: the app ends, the socket closes
                while (await ws.receive(timeout=120)).type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                                                    aiohttp.WSMsgType.CLOSING):
                    pass
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        await asyncio.wait_for(server.wait(), 60)
        log.close()
    assert "Traceback" not in (tmp_path / "serve.log").read_text(errors="replace")
