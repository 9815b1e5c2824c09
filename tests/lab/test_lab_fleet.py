"""The lab fleet as the cockpit sees it: real sshd, verified host keys, the
files and tools the disk probe reads, over ssh."""

from __future__ import annotations

import asyncio
import json

import asyncssh
import pytest
from labssh import connect, eventually, out, run

from cockpit.inventory import load_inventory
from cockpit.lab import Lab

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]


def test_inventory_loads_and_matches_the_lab(lab: Lab) -> None:
    inv = load_inventory(lab.inventory_path)
    assert [h.name for h in inv.hosts][:3] == ["web1", "web2", "standby1"]  # later work adds hosts after them
    assert inv.defaults.identity_file == str(lab.identity_file)
    assert inv.defaults.known_hosts == str(lab.known_hosts_path)
    for h in inv.hosts:
        assert h.address == lab.state.host(h.name).address
        assert h.public_ip is not None and h.public_ip.startswith("203.0.113.")
        assert h.mounts[:2] == (("/", "/backup") if h.role == "backup" else ("/", "/srv"))
    assert inv.host("standby1").role == "standby"


async def test_every_host_answers_with_its_own_name_and_verified_key(lab: Lab) -> None:
    names = await asyncio.gather(*(out(lab, h, "hostname") for h in lab.hosts))
    assert [n.strip() for n in names] == lab.hosts


async def test_a_wrong_known_hosts_is_refused(lab: Lab, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = lab.known_hosts_path.read_text().splitlines()
    swapped = tmp_path / "known_hosts"
    # web1's address with web2's key: the real key must not verify
    web1, web2 = lines[0].split(), lines[1].split()
    swapped.write_text(f"{web1[0]} {web2[1]} {web2[2]}\n")
    with pytest.raises(asyncssh.HostKeyNotVerifiable):
        await connect(lab, "web1", known_hosts=str(swapped))


async def test_the_probe_tools_work_inside_a_host(lab: Lab) -> None:
    r = await run(lab, "web1", "cat /proc/mounts; echo @@; df -P; echo @@; df -Pi; echo @@; cat /proc/mdstat;"
                              " echo @@; cat /etc/fstab; echo @@; dmesg --level=err,crit,alert,emerg; echo rc=$?")
    mounts, df, dfi, mdstat, fstab, dmesg = str(r.stdout).split("@@\n")
    assert "lab-root-web1 / overlay rw," in mounts
    srv = [line for line in mounts.splitlines() if " /srv " in line]
    assert len(srv) == 1 and srv[0].split()[2] == "ext4" and srv[0].split()[3].startswith("rw,")
    assert df.startswith("Filesystem") and " /srv\n" in df
    assert "Inodes" in dfi.splitlines()[0] or "IUsed" in dfi.splitlines()[0]
    assert "md0 : active raid1" in mdstat and "[2/2] [UU]" in mdstat
    assert "/srv\text4\trw" in fstab and "/\toverlay\trw" in fstab
    assert dmesg.strip() == "rc=0"  # a readable, empty error log


async def test_ps_pgrep_proc_self_and_reaping_work_inside_a_host(lab: Lab) -> None:
    r = await run(lab, "web2", "pgrep -x sshd >/dev/null && echo pgrep-ok; ps ax | grep -c sshd;"
                              " test -d /proc/1 && echo pid1; cat /proc/self/mountinfo | grep -c ' /srv ';"
                              " readlink -f /proc/self/exe")
    lines = str(r.stdout).split()
    assert lines[0] == "pgrep-ok" and int(lines[1]) >= 2 and lines[2] == "pid1" and lines[3] == "1"
    assert lines[4] == "/usr/bin/readlink"
    # an orphan is reaped by the host's init: no zombie stays behind
    pid = (await out(lab, "web2", "sh -c 'sleep 0.2 >/dev/null 2>&1 & echo $!'")).strip()
    gone = await eventually(lambda: _gone(lab, "web2", pid))
    assert gone, f"orphan {pid} was not reaped"


async def _gone(lab: Lab, host: str, pid: str) -> bool:
    return (await out(lab, host, f"test -e /proc/{pid} && echo alive || echo gone")).strip() == "gone"


async def test_hosts_are_isolated_from_each_other_and_the_machine(lab: Lab) -> None:
    await run(lab, "web1", "echo web1 > /srv/marker; echo web1 > /etc/lab-marker")
    other = await out(lab, "web2", "cat /srv/marker /etc/lab-marker 2>&1; true")
    assert "web1" not in other
    assert not __import__("os").path.exists("/etc/lab-marker")  # the host's root is its own
    await run(lab, "web1", "rm -f /srv/marker /etc/lab-marker")


async def test_a_host_cannot_reach_the_machines_disk_sysctls_or_sysfs(lab: Lab) -> None:
    r = await run(lab, "web2", "ls /dev/vda /dev/sda 2>/dev/null | wc -l; ls /dev/pts/ptmx >/dev/null && echo pts;"
                              " test -w /proc/sys/vm/drop_caches || grep -c ' /run/.lab/proc/sys proc ro' /proc/mounts;"
                              " grep -c '^sysfs /sys sysfs ro' /proc/mounts")
    assert str(r.stdout).split() == ["0", "pts", "1", "1"]


async def test_a_host_cannot_mount_or_read_the_real_kernel_log(lab: Lab) -> None:
    # (harmless if it worked: a tmpfs in the host's own namespace; it must not)
    r = await run(lab, "web1", "mount -t tmpfs lab-test /mnt; echo mount=$?; umount /dev/kmsg; echo umount=$?;"
                              " dmesg >/dev/null 2>&1; echo dmesg=$?")
    assert "mount=32" in str(r.stdout) and "umount=32" in str(r.stdout) and "dmesg=0" in str(r.stdout)


async def test_host_to_host_ssh_with_the_fleets_own_key(lab: Lab) -> None:
    r = await run(lab, "web1", "ssh -o BatchMode=yes standby1 hostname && "
                              f"ssh -o BatchMode=yes {lab.state.host('web2').address} hostname")
    assert str(r.stdout).split() == ["standby1", "web2"], r.stderr


def test_status_lists_hosts_and_pids(lab: Lab) -> None:
    s = lab.status()
    json.dumps(s)
    assert s["status"] == "up" and s["klogd"]["running"]
    for h in s["hosts"]:
        assert h["running"] and h["link"] == "up" and h["services"]["sshd"]["running"]
