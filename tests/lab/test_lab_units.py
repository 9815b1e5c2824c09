"""Lab pieces that need no root: names, views, TOML, specs."""

from __future__ import annotations

import argparse
import ipaddress
import subprocess
from pathlib import Path

import pytest

from cockpit.inventory import load_inventory
from cockpit.lab import DataMount, FleetSpec, HostSpec, Lab, LabError, install, kmsg, naming, procview
from cockpit.lab.faults import CORE_FAULTS
from cockpit.lab.inventory_writer import dumps
from cockpit.lab.services.sshd import Sshd


def test_names_fit_ifnamsiz_and_differ_per_dir() -> None:
    a, b = naming.Names(naming.lab_id(Path("/tmp/a"))), naming.Names(naming.lab_id(Path("/tmp/b")))
    assert a.bridge != b.bridge and a.veth(1) != b.veth(1)
    for n in (a.bridge, a.veth(9999), a.peer(9999)):
        assert len(n) <= 15
    with pytest.raises(LabError):
        a.veth(1000000)


def test_addresses() -> None:
    net = ipaddress.IPv4Network("198.18.5.0/24")
    assert str(naming.gateway(net)) == "198.18.5.1"
    assert str(naming.host_address(net, 1)) == "198.18.5.101"
    with pytest.raises(LabError, match="does not fit"):
        naming.host_address(net, 155)
    assert naming.public_ip(1) == "203.0.113.1"
    assert naming.public_ip(300) == "198.51.100.46"
    assert naming.public_ip(600) is None


@pytest.mark.parametrize("bad", ["10.0.0.0/24", "198.18.0.0/25", "198.18.0.1/24", "nonsense"])
def test_subnet_must_be_a_benchmark_network(bad: str) -> None:
    with pytest.raises(LabError):
        naming.parse_subnet(bad)


def test_default_dir_gets_198_18_0_and_others_not(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(naming, "networks_in_use", lambda: [])
    assert str(naming.choose_subnet(naming.DEFAULT_DIR, None, 3)) == "198.18.0.0/24"
    other = naming.choose_subnet(Path("/tmp/some-other-lab"), None, 3)
    assert other != ipaddress.IPv4Network("198.18.0.0/24")
    monkeypatch.setattr(naming, "networks_in_use", lambda: [other])
    assert naming.choose_subnet(Path("/tmp/some-other-lab"), None, 3) != other  # taken: the next free one


def test_kmsg_records_are_what_dmesg_reads(tmp_path: Path) -> None:
    view = tmp_path / "kmsg"
    view.write_bytes(b"")
    kmsg.append(view, [(kmsg.ERR, "Buffer I/O error on dev md0"), (kmsg.INFO, "hello \x1b[31m")])
    kmsg.append(view, [(kmsg.CRIT, "EXT4-fs (loop3): Remounting filesystem read-only")], source="kernel",
                device="loop3")
    data = view.read_bytes()
    assert len(data) == 3 * kmsg.RECORD_SIZE
    recs = kmsg.read_records(view)
    assert [r.seq for r in recs] == [0, 1, 2]
    assert recs[0].text == "Buffer I/O error on dev md0" and recs[0].level == kmsg.ERR
    assert "\\x1b" in recs[1].text  # escaped as the kernel does
    assert data.startswith(b"3,0,")
    assert kmsg.remove(view, source="inject") == 2
    assert [r.text for r in kmsg.read_records(view)] == ["EXT4-fs (loop3): Remounting filesystem read-only"]


def test_mdstat_views() -> None:
    assert "[2/2] [UU]" in procview.mdstat()
    degraded = procview.mdstat("degraded")
    assert "[2/1] [U_]" in degraded and "(F)" in degraded
    assert "resync = 27.5% (" in procview.mdstat("resync", 27.5)
    rec = procview.mdstat("recovery", 3)
    assert "recovery =  3.0% (" in rec and "[U_]" in rec


def test_toml_writer_round_trips_through_the_inventory_loader(tmp_path: Path) -> None:
    data = {
        "defaults": {"ssh_user": "root", "identity_file": "/x/id", "connect_timeout": 5},
        "hosts": [{"name": "web1", "address": "198.18.0.101", "role": "primary", "public_ip": "203.0.113.1",
                   "mounts": ["/", "/srv"]}],
    }
    p = tmp_path / "inventory.toml"
    p.write_text(dumps(data, "a header\nwith two lines"))
    inv = load_inventory(p)
    assert inv.hosts[0].mounts == ("/", "/srv") and inv.defaults.identity_file == "/x/id"


def test_spec_validation() -> None:
    FleetSpec.web(3).validate()
    with pytest.raises(LabError, match="at least one"):
        FleetSpec.web(0)
    for bad in (HostSpec("Web1"), HostSpec("web1", role="king"), HostSpec("web1", mounts=(DataMount("/"),)),
                HostSpec("web1", mounts=(DataMount("/proc/x"),)), HostSpec("web1", services=(Sshd(), Sshd()))):
        with pytest.raises(LabError):
            bad.validate()
    with pytest.raises(LabError, match="used twice"):
        FleetSpec((HostSpec("a"), HostSpec("a"))).validate()


def test_fault_slots() -> None:
    kinds = {k.name: k for k in CORE_FAULTS}
    assert kinds["degrade-raid"].slot_key([]) == kinds["resync-raid"].slot_key(["50"])
    assert kinds["ro-mount"].slot_key(["/srv"]) != kinds["ro-mount"].slot_key(["/"])


def test_not_root_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(install.os, "geteuid", lambda: 1000)
    with pytest.raises(LabError, match="needs root"):
        install.require_root()


def test_cli_lab_errors_are_one_line(tmp_path: Path) -> None:
    import sys

    p = subprocess.run([sys.executable, "-m", "cockpit", "lab", "status", "--dir", str(tmp_path / "none")],
                       capture_output=True, text=True, check=False)
    assert p.returncode != 0
    assert "no lab in" in p.stderr and "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("tail", [["--dir", "{d}"], ["--dir={d}"]])
def test_lab_fault_honours_a_dir_given_after_the_faults_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  tail: list[str]) -> None:
    """argparse hands everything after KIND to the fault: ``--dir`` at the end used to stay among the fault's
    arguments, and the fault went to the lab in the default directory."""
    from cockpit.cli import lab_cmd
    from cockpit.cli.main import build_parser

    seen: dict[str, object] = {}

    def record(lab: Lab, args: argparse.Namespace) -> int:
        seen.update(dir=lab.dir, args=args.args)
        return 0

    monkeypatch.setitem(lab_cmd._ACTIONS, "fault", record)
    d = tmp_path / "my-lab"
    args = build_parser().parse_args(["lab", "fault", "web1", "corrupt-table", "acme.worker", "--part", "data",
                                      *(t.format(d=d) for t in tail)])
    assert args.handler(args, None) == 0
    assert seen == {"dir": d, "args": ["acme.worker", "--part", "data"]}


def test_lab_fault_with_an_empty_dir_is_a_clear_error(capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from cockpit.cli import lab_cmd
    from cockpit.cli.main import build_parser

    def must_not_run(lab: Lab, args: argparse.Namespace) -> int:  # no lab is touched, whichever it would be
        raise AssertionError(f"the fault ran on {lab.dir}")

    monkeypatch.setitem(lab_cmd._ACTIONS, "fault", must_not_run)
    args = build_parser().parse_args(["lab", "fault", "web1", "hang-ssh", "--dir"])
    assert args.handler(args, None) != 0
    assert capsys.readouterr().err.strip() == "cockpit lab fault: --dir needs a directory"


@pytest.mark.parametrize("argv", [["fault", "web1", "kill-ssh"], ["heal"]])
@pytest.mark.parametrize("there", [False, True])
def test_lab_fault_or_heal_on_a_dir_with_no_lab_leaves_nothing_behind(tmp_path: Path, argv: list[str],
                                                                     there: bool) -> None:
    """The lock used to be taken before the state was read: the command said "no lab in DIR" and left DIR,
    with an empty .lock in it, behind."""
    import os
    import sys

    if os.geteuid() != 0:
        pytest.skip("lab fault and heal need root")
    d = tmp_path / "none"
    if there:
        d.mkdir()
    p = subprocess.run([sys.executable, "-m", "cockpit", "lab", *argv, "--dir", str(d)],
                       capture_output=True, text=True, check=False)
    assert p.returncode != 0 and "no lab in" in p.stderr and "Traceback" not in p.stderr
    assert (sorted(d.iterdir()) == []) if there else not d.exists()
