"""``cockpit status`` loads only what the inventory needs: a disk-only fleet never
imports the MySQL driver, dnspython or the lab (bench/disk_sweep.py: each costs
start-up CPU on every Nagios run). The CLI's status path runs for real in a
fresh interpreter (its host refuses the connection: no lab needed), then
``sys.modules`` is read; an inventory with a site and [dns] is the control that
the same check does see those imports."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

RUN = """
import contextlib, io, json, sys
from cockpit.cli.main import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["status", "--json", "--inventory", sys.argv[1]])
heavy = ("aiomysql", "pymysql", "dns", "cockpit.lab.lab", "cockpit.demo.scenario", "cockpit.actions")
loaded = sorted(m for m in heavy if m in sys.modules)
print(json.dumps({"code": code, "doc": json.loads(out.getvalue()), "loaded": loaded}))
"""


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A 127.0.0.1 port bound but not listening: a connect to it is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield int(s.getsockname()[1])


def inventory(tmp_path: Path, port: int, extra: str = "") -> Path:
    path = tmp_path / "inventory.toml"
    path.write_text(f'state_dir = "{tmp_path / "state"}"\n\n[defaults]\nconnect_timeout = 2\n'
                    f'known_hosts = "{tmp_path / "known_hosts"}"\n\n'
                    f'[[hosts]]\nname = "disk1"\naddress = "127.0.0.1"\nssh_port = {port}\n{extra}')
    return path


def status(path: Path) -> dict[str, object]:
    p = subprocess.run([sys.executable, "-c", RUN, str(path)], capture_output=True, text=True, timeout=120,
                       check=False)
    assert p.returncode == 0, p.stderr
    result: dict[str, object] = json.loads(p.stdout.splitlines()[-1])
    return result


def test_a_disk_only_inventory_loads_no_mysql_driver_dnspython_or_lab(tmp_path: Path, refused_port: int) -> None:
    result = status(inventory(tmp_path, refused_port))
    doc = result["doc"]
    assert isinstance(doc, dict) and [h["name"] for h in doc["hosts"]] == ["disk1"]
    assert doc["hosts"][0]["state"] == "unreachable" and result["code"] == 2  # the sweep did run
    assert result["loaded"] == []


def test_a_site_and_dns_do_load_the_driver_and_dnspython(tmp_path: Path, refused_port: int) -> None:
    extra = (f'\n[mysql]\nvia = "direct"\nport = {refused_port}\nconnect_timeout = 2\n\n'
             '[[sites]]\nname = "shop"\nhost = "disk1"\n\n'
             f'[dns]\nzone = "example.test"\ntimeout = 1\n'
             f'nameservers = [{{ name = "ns1", address = "127.0.0.1", port = {refused_port} }}]\n')
    result = status(inventory(tmp_path, refused_port, extra))
    loaded = result["loaded"]
    assert isinstance(loaded, list) and {"aiomysql", "pymysql", "dns"} <= set(loaded)
    assert "cockpit.lab.lab" not in loaded
