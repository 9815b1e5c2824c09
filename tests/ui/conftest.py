"""Fixtures for the TUI tests: frozen time, inventories, real unreachable hosts."""

from __future__ import annotations

import socket
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ui_states import NOW

from cockpit import clock
from cockpit.inventory import Inventory, load_inventory


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    clock.freeze(NOW)
    yield
    clock.freeze(None)


@pytest.fixture
def closed_port() -> int:
    """A local port nobody listens on: connecting is refused at once (a host whose sshd is gone)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port: int = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def hung_port() -> Iterator[int]:
    """A local port whose listener never answers: the kernel completes the TCP
    handshake but no SSH banner ever comes (like an sshd stopped with SIGSTOP)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    yield s.getsockname()[1]
    s.close()


InventoryMaker = Callable[..., Inventory]


@pytest.fixture
def make_inventory(tmp_path: Path) -> InventoryMaker:
    """``make_inventory({"web1": port, ...}, keys={...}, connect_timeout=...)`` loads a real inventory file."""

    def make(hosts: dict[str, int], *, keys: dict[str, str] | None = None, connect_timeout: float = 2,
             refresh: float = 600) -> Inventory:
        (tmp_path / "known_hosts").touch()
        text = f"[defaults]\nconnect_timeout = {connect_timeout}\ncommand_timeout = 5\nrefresh = {refresh}\n"
        text += f'known_hosts = "{tmp_path / "known_hosts"}"\n'
        for name, port in hosts.items():
            text += f'\n[[hosts]]\nname = "{name}"\naddress = "127.0.0.1"\nssh_port = {port}\n'
        if keys:
            text += "\n[keys]\n" + "".join(f'{k} = "{v}"\n' for k, v in keys.items())
        path = tmp_path / "inventory.toml"
        path.write_text(textwrap.dedent(text))
        return load_inventory(path)

    return make
