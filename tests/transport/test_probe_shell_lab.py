"""The probe shell (``SshPool.run(..., reuse=True)``) against the lab's real sshd, with real faults.

A command's ``$$`` is the probe shell that ran it (the command runs in a subshell,
whose ``$$`` is its shell's): the same number twice means the same probe shell
was reused; a new one means the old shell was dropped.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time

import pytest

from cockpit.engine.hoststate import Reach
from cockpit.inventory import load_inventory
from cockpit.inventory.model import Host
from cockpit.lab import Lab
from cockpit.transport.errors import HostDown, ProbeError
from cockpit.transport.ssh import SshPool

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]

FAKE_END = "@@cockpit-shell:0123456789abcdef0123456789abcdef:end 000"


def lab_hosts(lab: Lab) -> list[Host]:
    return [dataclasses.replace(h, connect_timeout=2.0, command_timeout=10.0)
            for h in load_inventory(lab.inventory_path).hosts]


async def shell_pid(pool: SshPool, host: str) -> bytes:
    return (await pool.run(host, "echo $$", reuse=True)).stdout


async def test_one_shell_serves_many_commands_with_their_own_output_and_status(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        first = await shell_pid(pool, "web1")
        r = await pool.run("web1", "echo out; echo err >&2; exit 3", reuse=True)
        assert (r.exit_status, r.stdout, r.stderr) == (3, b"out\n", b"err\n")
        assert (await pool.run("web1", "printf x", reuse=True)).stdout == b"x"  # no newline added
        assert (await pool.run("web1", "true", reuse=True)).stdout == b""
        # a command cannot read the next command's text: its stdin is /dev/null
        assert (await pool.run("web1", "cat", reuse=True)).stdout == b""
        assert await shell_pid(pool, "web1") == first
        assert (await pool.run("web1", "echo $$")).stdout != first  # without reuse: a new session
    finally:
        await pool.close()


async def test_what_a_command_sets_ends_with_it(lab: Lab) -> None:
    """Each command runs in a subshell: variables, functions, cd, exec redirections and exit stay in it."""
    pool = SshPool(lab_hosts(lab))
    try:
        first = await shell_pid(pool, "web1")
        r = await pool.run("web1", "X=1; f() { echo f; }; cd /tmp; exec 3>/dev/null; exit 4", reuse=True)
        assert r.exit_status == 4
        r = await pool.run("web1", 'echo "x=${X-unset}"; command -v f || echo nof; pwd; '
                                   "{ true >&3; } 2>/dev/null && echo fd3 || echo nofd3", reuse=True)
        assert r.stdout.split() == [b"x=unset", b"nof", r.stdout.split()[2], b"nofd3"]
        assert r.stdout.split()[2] != b"/tmp"
        r = await pool.run("web1", "if then fi (", reuse=True)  # a syntax error fails that command alone
        assert r.exit_status == 2 and r.stderr
        assert await shell_pid(pool, "web1") == first
    finally:
        await pool.close()


async def test_a_sh_script_runs_in_the_probe_shell_itself_and_under_sh_in_a_new_session(lab: Lab) -> None:
    """``sh=True``: the probe shell (a /bin/sh) runs the script with no second shell (the disk probe's
    exec less per sweep), a new session hands it to /bin/sh -c rather than the login shell (bash here)."""
    pool = SshPool(lab_hosts(lab))
    try:
        first = await shell_pid(pool, "web1")
        r = await pool.run("web1", 'echo "$$ $0"', reuse=True, sh=True)
        assert r.stdout == first.rstrip(b"\n") + b" /bin/sh\n"  # $$ of the probe shell: not another sh
        assert (await pool.run("web1", 'echo "$0"', sh=True)).stdout == b"/bin/sh\n"
        assert (await pool.run("web1", 'echo "$0"')).stdout == b"bash\n"  # the login shell, without sh
    finally:
        await pool.close()


async def test_output_holding_a_fake_marker_comes_back_whole(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        first = await shell_pid(pool, "web1")
        hostile = f"a\\n{FAKE_END}\\n\\n{FAKE_END[:-7]}begin\\n@@cockpit-shell:"
        r = await pool.run("web1", f"printf '{hostile}'; printf '{hostile}' >&2; exit 7", reuse=True)
        want = hostile.replace("\\n", "\n").encode()
        assert (r.exit_status, r.stdout, r.stderr) == (7, want, want)
        assert await shell_pid(pool, "web1") == first  # nothing odd happened: the shell stays
    finally:
        await pool.close()


async def test_a_hung_command_times_out_and_the_next_gets_a_new_shell(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        first = await shell_pid(pool, "web2")
        with pytest.raises(ProbeError, match="timed out"):
            await pool.run("web2", "sleep 60", reuse=True, timeout=1)
        assert await shell_pid(pool, "web2") != first
    finally:
        await pool.close()


async def test_oversized_output_is_cut_off_and_the_shell_replaced(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        first = await shell_pid(pool, "web2")
        with pytest.raises(ProbeError, match="larger than"):
            await pool.run("web2", "head -c 3000000 /dev/zero", reuse=True, max_bytes=1 << 20, timeout=30)
        second = await shell_pid(pool, "web2")
        assert second != first
        # a big stderr is cut, not an error, and the shell stays
        r = await pool.run("web2", "head -c 300000 /dev/zero >&2; echo ok", reuse=True)
        assert (r.stdout, len(r.stderr)) == (b"ok\n", 64 * 1024)
        assert await shell_pid(pool, "web2") == second
    finally:
        await pool.close()


async def test_a_command_that_kills_its_shell_fails_alone(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        first = await shell_pid(pool, "web1")
        with pytest.raises(ProbeError, match="probe shell failed"):
            await pool.run("web1", "kill -9 $$; sleep 1", reuse=True)
        assert await shell_pid(pool, "web1") not in (first, b"")
    finally:
        await pool.close()


async def test_concurrent_probes_on_one_host_all_answer(lab: Lab) -> None:
    """One shell runs one command at a time: the others get sessions of their own."""
    pool = SshPool(lab_hosts(lab))
    try:
        results = await asyncio.gather(*(pool.run("web1", f"sleep 0.2; echo {i}", reuse=True) for i in range(4)))
        assert [r.stdout for r in results] == [f"{i}\n".encode() for i in range(4)]
    finally:
        await pool.close()


async def test_a_hung_sshd_mid_command_then_healed(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        await shell_pid(pool, "standby1")
        running = asyncio.ensure_future(pool.run("standby1", "sleep 1; echo late", reuse=True, timeout=3))
        await asyncio.sleep(0.2)
        lab.fault("standby1", "hang-ssh")
        with pytest.raises((ProbeError, HostDown)):
            await running
        lab.heal("standby1")
        pool.retry_now("standby1")
        assert (await pool.run("standby1", "hostname", reuse=True)).stdout == b"standby1\n"
        # hung between two commands: no reply within connect_timeout is a hung host, as a session that
        # cannot be opened is (not a command timeout)
        lab.fault("standby1", "hang-ssh")
        with pytest.raises(HostDown, match="not answering") as hung:
            await pool.run("standby1", "hostname", reuse=True)
        assert hung.value.reach is Reach.UNREACHABLE and pool.reach("standby1")[0] is Reach.UNREACHABLE
        lab.heal("standby1")
        pool.retry_now("standby1")
        assert (await pool.run("standby1", "hostname", reuse=True)).stdout == b"standby1\n"
    finally:
        await pool.close()


async def test_sshd_killed_then_healed_gets_a_new_shell(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        first = await shell_pid(pool, "web2")
        assert pool.connects == 1
        lab.fault("web2", "kill-ssh")
        with pytest.raises((ProbeError, HostDown)):
            for _ in range(50):  # the connection's end may arrive a moment after the kill
                await pool.run("web2", "true", reuse=True)
                await asyncio.sleep(0.1)
        lab.heal("web2")
        pool.retry_now("web2")
        again = await shell_pid(pool, "web2")
        assert again not in (first, b"")
        assert pool.connects == 2  # one reconnect, counted
    finally:
        await pool.close()


async def test_a_stall_of_our_own_is_not_a_hung_host_nor_a_command_timeout(lab: Lab) -> None:
    """A TUI frame or a starved process can block the cockpit's loop for seconds while the host answers
    at once: the command's limit and the shell's answer wait charge the host's time, not the stall."""
    hosts = [dataclasses.replace(h, connect_timeout=1.0, command_timeout=2.0)
             for h in load_inventory(lab.inventory_path).hosts]
    pool = SshPool(hosts)
    try:
        first = await shell_pid(pool, "web1")
        conn = await pool.connection("web1")
        asyncio.get_running_loop().call_soon(time.sleep, 2.5)  # longer than both limits
        r = await pool.run("web1", "echo $$", reuse=True)
        assert (r.exit_status, r.stdout) == (0, first)  # answered, by the same shell
        assert await pool.connection("web1") is conn and not conn.is_closed()
    finally:
        await pool.close()
