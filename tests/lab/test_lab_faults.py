"""Each lab fault really happens, hits only its host, and heals."""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path

import asyncssh
import pytest
from labssh import SAFETY, connect, eventually, out, run

from cockpit.lab import Lab, LabError
from cockpit.lab import procs as lab_procs

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]

ERRORS = "dmesg --level=err,crit,alert,emerg"


def _mount_line(text: str, mountpoint: str) -> list[str]:
    lines = [ln.split() for ln in text.splitlines() if ln.split()[1:2] == [mountpoint]]
    assert lines, f"{mountpoint} not in {text}"
    return lines[-1]


async def _write_ok(lab: Lab, host: str, path: str) -> bool:
    r = await run(lab, host, f"echo x > {path}/.probe && rm {path}/.probe")
    return r.exit_status == 0


async def test_ro_mount_is_a_real_remount_on_that_host_only(lab: Lab) -> None:
    lab.fault("web1", "ro-mount", "/srv")
    assert "ro" in _mount_line(await out(lab, "web1", "cat /proc/mounts"), "/srv")[3].split(",")
    assert not await _write_ok(lab, "web1", "/srv")
    assert await _write_ok(lab, "web2", "/srv")
    assert lab.status()["faults"] == [{"host": "web1", "kind": "ro-mount", "args": ["/srv"]}]
    lab.heal("web1", "ro-mount")
    assert _mount_line(await out(lab, "web1", "cat /proc/mounts"), "/srv")[3].startswith("rw,")
    assert await _write_ok(lab, "web1", "/srv")


async def test_the_hosts_root_can_be_remounted_read_only_without_touching_the_machine(lab: Lab) -> None:
    lab.fault("standby1", "ro-mount", "/")
    assert _mount_line(await out(lab, "standby1", "cat /proc/mounts"), "/")[3].startswith("ro,")
    assert not await _write_ok(lab, "standby1", "/etc")
    probe = Path(f"/tmp/.cockpit-lab-rw-{os.getpid()}")
    await asyncio.to_thread(probe.write_text, "ok")  # the machine's root is still writable
    await asyncio.to_thread(probe.unlink)
    lab.heal()
    assert await _write_ok(lab, "standby1", "/etc")


async def test_fs_error_is_a_real_ext4_error_in_that_hosts_kernel_log(lab: Lab) -> None:
    lab.fault("web1", "fs-error", "/srv")
    opts = _mount_line(await out(lab, "web1", "cat /proc/mounts"), "/srv")[3].split(",")
    assert "emergency_ro" in opts or "ro" in opts
    assert not await _write_ok(lab, "web1", "/srv")
    dev = os.path.basename(lab.state.host("web1").loops[0].device or "")

    async def logged() -> str:
        text = await out(lab, "web1", ERRORS)
        return text if f"EXT4-fs error (device {dev})" in text else ""

    assert await eventually(logged), "the real ext4 error never reached web1's kernel log"
    assert dev not in await out(lab, "web2", "dmesg")  # no crying wolf on the other hosts
    lab.heal("web1")
    assert _mount_line(await out(lab, "web1", "cat /proc/mounts"), "/srv")[3].startswith("rw,")
    assert await _write_ok(lab, "web1", "/srv")
    assert "EXT4-fs error" not in await out(lab, "web1", ERRORS)


async def test_fill_reaches_the_percentage_and_heal_frees_it(lab: Lab) -> None:
    lab.fault("web2", "fill", "/srv", "93")
    capacity = (await out(lab, "web2", "df -P /srv")).splitlines()[1].split()[4]
    assert capacity == "93%"
    lab.fault("web2", "fill", "/srv", "100")  # replaces the first fill
    r = await run(lab, "web2", "head -c 1048576 /dev/zero > /srv/big")
    assert r.exit_status != 0 and "No space left" in str(r.stderr)
    lab.heal("web2", "fill")
    assert int((await out(lab, "web2", "df -P /srv")).splitlines()[1].split()[4].rstrip("%")) < 10
    await run(lab, "web2", "rm -f /srv/big")


async def test_raid_views(lab: Lab) -> None:
    lab.fault("web1", "degrade-raid")
    text = await out(lab, "web1", "cat /proc/mdstat")
    assert "[2/1] [U_]" in text and "(F)" in text
    assert "[2/2] [UU]" in await out(lab, "web2", "cat /proc/mdstat")
    lab.fault("web1", "resync-raid", "42")
    assert "resync = 42.0%" in await out(lab, "web1", "cat /proc/mdstat")
    assert [f["kind"] for f in lab.status()["faults"]] == ["resync-raid"]  # one RAID state at a time
    lab.heal("web1")
    assert "[2/2] [UU]" in await out(lab, "web1", "cat /proc/mdstat")


async def test_kernel_errors_and_an_unreadable_kernel_log(lab: Lab) -> None:
    lab.fault("web2", "kernel-errors")
    text = await out(lab, "web2", ERRORS)
    assert "Buffer I/O error on dev md0" in text and "Remounting filesystem read-only" in text
    assert await out(lab, "web1", ERRORS) == ""
    lab.fault("web1", "kernel-log-unreadable")
    r = await run(lab, "web1", "dmesg")
    assert r.exit_status != 0 and "Operation not permitted" in str(r.stderr)
    lab.heal()
    assert await out(lab, "web2", ERRORS) == ""
    assert (await run(lab, "web1", "dmesg")).exit_status == 0


async def test_hang_ssh_hangs_new_and_existing_connections(lab: Lab) -> None:
    conn = await connect(lab, "web2")
    try:
        assert (await conn.run("true")).exit_status == 0
        lab.fault("web2", "hang-ssh")
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(conn.run("true"), 3)
        with pytest.raises((asyncio.TimeoutError, OSError)):
            await connect(lab, "web2", timeout=3)
        assert (await out(lab, "web1", "hostname")).strip() == "web1"
        lab.heal("web2")
        assert (await out(lab, "web2", "hostname")).strip() == "web2"
    finally:
        conn.close()


async def test_kill_ssh_refuses_and_heal_restarts(lab: Lab) -> None:
    # something a session started and detached (an rsync import, say) outlives sshd, as on a real host
    pid = (await out(lab, "web1", "setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!")).strip()
    lab.fault("web1", "kill-ssh")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((lab.state.host("web1").address, 22), timeout=SAFETY)
    lab.heal("web1")
    assert (await out(lab, "web1", "hostname")).strip() == "web1"
    assert (await out(lab, "web1", f"kill {pid} && echo survived")).strip() == "survived"


async def test_new_host_key_is_not_trusted_and_heal_restores_the_old_one(lab: Lab) -> None:
    lab.fault("web2", "new-host-key")
    with pytest.raises(asyncssh.HostKeyNotVerifiable):
        await connect(lab, "web2")
    lab.heal("web2")
    assert (await out(lab, "web2", "hostname")).strip() == "web2"


async def test_link_down(lab: Lab) -> None:
    lab.fault("standby1", "link-down")
    with pytest.raises((asyncio.TimeoutError, OSError)):
        await connect(lab, "standby1", timeout=3)
    lab.heal("standby1", "link-down")
    assert (await out(lab, "standby1", "hostname")).strip() == "standby1"


@pytest.mark.parametrize(("kind", "args"), [
    ("ro-mount", ["/dev"]), ("ro-mount", ["/tmp"]), ("ro-mount", ["/proc"]), ("ro-mount", ["/run"]),
    ("fill", ["/sys", "50"]), ("fs-error", ["/"]), ("ro-mount", ["/srv/../dev"]),
])
def test_mounts_the_lab_did_not_make_are_refused(lab: Lab, kind: str, args: list[str]) -> None:
    with pytest.raises(LabError, match="refusing"):
        lab.fault("web1", kind, *args)
    assert lab.status()["faults"] == []


def test_unknown_host_fault_and_arguments_are_clear_errors(lab: Lab) -> None:
    with pytest.raises(LabError, match="unknown lab host 'nope'"):
        lab.fault("nope", "hang-ssh")
    with pytest.raises(LabError, match="unknown fault 'melt'"):
        lab.fault("web1", "melt")
    with pytest.raises(LabError, match="usage"):
        lab.fault("web1", "fill", "/srv")
    with pytest.raises(LabError, match="number"):
        lab.fault("web1", "fill", "/srv", "lots")


def test_the_same_fault_twice_is_a_no_op(lab: Lab) -> None:
    lab.fault("web1", "degrade-raid")
    assert "already" in lab.fault("web1", "degrade-raid")
    assert len(lab.status()["faults"]) == 1


def test_heal_with_no_arguments_restarts_a_dead_service(lab: Lab) -> None:
    pid = lab.status()["hosts"][0]["services"]["sshd"]["pid"]
    os.kill(pid, 9)  # behind the lab's back
    ref = lab.state.host("web1").running["sshd"].pid
    assert lab_procs.wait_until(lambda: not lab_procs.alive(ref), SAFETY)
    assert any("restarted sshd" in line for line in lab.heal())
    assert lab.status()["hosts"][0]["services"]["sshd"]["running"]


def test_heal_with_no_arguments_restarts_the_kernel_log_router(lab: Lab) -> None:
    ref = lab.state.klogd
    assert ref is not None
    os.kill(ref.pid, 9)
    assert lab_procs.wait_until(lambda: not lab_procs.alive(ref), SAFETY)
    assert "restarted the kernel log router" in lab.heal()
    assert lab.status()["klogd"]["running"]


def test_every_process_of_a_host_is_found_from_its_cgroup(lab: Lab) -> None:
    host = lab.handle("web2")
    pids = host.pids()
    assert host.init_pid in pids and set(host.service_pids("sshd")) <= set(pids)
    assert not set(pids) & set(lab.handle("web1").pids())
