"""`lab down` leaves nothing behind, even after a crash or a half-finished up,
and two labs coexist on one machine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lab_fixture import lab_unavailable, new_lab_dir, owner_ref
from labssh import out

from cockpit.lab import FleetSpec, HostSpec, Lab, loopdev, netns
from cockpit.lab.state import STATE_FILE, LabState

pytestmark = pytest.mark.lab

SAFETY = 60.0


@pytest.fixture(autouse=True)
def _need_lab() -> None:
    reason = lab_unavailable()
    if reason:
        pytest.skip(reason)


def _quiet(msg: str) -> None:
    pass


def _footprint(st: LabState) -> dict[str, list[str]]:
    """Everything the lab made that could outlive it."""
    pids = [st.klogd.pid] if st.klogd else []
    for h in st.hosts.values():
        pids += [r.pid for r in (h.launcher, h.init) if r]
        pids += [r.pid for s in h.running.values() for r in (s.pid, s.launcher) if r]
    return {
        "netns": [h.netns for h in st.hosts.values()],
        "links": [st.bridge, *[h.veth for h in st.hosts.values()]],
        "loops": [lp.device for h in st.hosts.values() for lp in h.loops if lp.device],
        "pids": [str(p) for p in pids],
        "cgroup": [st.cgroup],
    }


def _live(pids: list[str]) -> list[str]:
    live = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            live.append(f"process {pid}")
    return live


def _leftovers(fp: dict[str, list[str]], lab_dir: Path) -> list[str]:
    left = [f"netns {n}" for n in fp["netns"] if netns.netns_exists(n)]
    left += [f"link {x}" for x in fp["links"] if netns.exists(x)]
    left += [f"loop {d}" for d in loopdev.devices_backed_under(lab_dir)]
    left += [f"cgroup {c}" for c in fp["cgroup"] if Path(c).exists()]
    return left + _live(fp["pids"])


async def test_down_after_a_crash_leaves_nothing_and_the_other_lab_is_untouched(lab: Lab) -> None:
    d = new_lab_dir("crash-")
    other = Lab(d)
    other.up(FleetSpec((HostSpec("web1"), HostSpec("db1", raid=False))), echo=_quiet, owner=owner_ref())
    assert other.state.subnet != lab.state.subnet  # two labs side by side
    assert (await out(other, "db1", "hostname")).strip() == "db1"
    assert (await out(other, "db1", "cat /proc/mdstat 2>&1; true")).count("No such file") == 1  # no RAID
    fp = _footprint(other.state)
    # the crash: every init and the log router die; nobody cleans up
    for h in other.state.hosts.values():
        for r in (h.init, h.launcher):
            if r:
                os.kill(r.pid, signal.SIGKILL)
    assert other.state.klogd is not None
    os.kill(other.state.klogd.pid, signal.SIGKILL)
    Lab(d).down(echo=_quiet)  # a fresh process would do just this: read the state and remove
    assert _leftovers(fp, d) == []
    assert not d.exists()
    Lab(d).down(echo=_quiet)  # idempotent
    assert (await out(lab, "web1", "hostname")).strip() == "web1"


def test_down_after_a_half_finished_up(lab: Lab) -> None:
    d = new_lab_dir("half-")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    p = subprocess.Popen([sys.executable, "-m", "cockpit", "lab", "up", "--hosts", "6", "--dir", str(d)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    state_file = d / STATE_FILE
    deadline = time.monotonic() + SAFETY
    # kill `lab up` as soon as one host has booted, mid-build
    while time.monotonic() < deadline and p.poll() is None:
        try:
            hosts = json.loads(state_file.read_text())["hosts"]
        except (OSError, ValueError, KeyError):
            hosts = {}
        if any(h.get("init") for h in hosts.values()):
            break
        time.sleep(0.005)
    p.kill()
    p.wait()
    half = Lab(d)
    fp = _footprint(half.state)
    assert fp["netns"]
    half.down(echo=_quiet)
    assert _leftovers(fp, d) == []
    assert not d.exists()


def test_down_without_a_state_file_removes_what_carries_the_labs_names(lab: Lab) -> None:
    d = new_lab_dir("nostate-")
    lost = Lab(d)
    lost.up(FleetSpec.web(2), echo=_quiet, owner=owner_ref())
    fp = _footprint(lost.state)
    (d / STATE_FILE).unlink()  # lost by hand
    assert Lab(d).down(echo=_quiet) is False  # there was no lab to speak of...
    assert _leftovers(fp, d) == []  # ...and yet nothing is left


def test_up_again_in_the_same_dir_replaces_the_lab(lab: Lab) -> None:
    d = new_lab_dir("again-")
    first = Lab(d)
    first.up(FleetSpec.web(1), echo=_quiet, owner=owner_ref())
    fp = _footprint(first.state)
    second = Lab(d)
    second.up(FleetSpec.web(2), echo=_quiet, owner=owner_ref())
    fp2 = _footprint(second.state)
    try:
        assert _live(fp["pids"]) == []  # the first lab's processes are gone
        assert second.hosts == ["web1", "web2"]
    finally:
        second.down(echo=_quiet)
    assert _leftovers(fp2, d) == []
