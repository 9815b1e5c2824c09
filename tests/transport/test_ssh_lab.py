"""The SSH pool against the lab's real sshd, with real faults (needs root).

Nothing here asserts how fast things happen: timeouts are set small so that
the tests finish, and every wait has a generous safety net.
"""

from __future__ import annotations

import asyncio
import dataclasses
import resource
import shlex
from pathlib import Path

import asyncssh
import pytest

from cockpit.engine.engine import Engine
from cockpit.engine.hoststate import Reach
from cockpit.inventory import load_inventory
from cockpit.inventory.model import Host
from cockpit.lab import Lab
from cockpit.transport.errors import HostDown, ProbeError
from cockpit.transport.ssh import SshPool

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]


def lab_hosts(lab: Lab, **changes: object) -> list[Host]:
    hosts = load_inventory(lab.inventory_path).hosts
    return [dataclasses.replace(h, connect_timeout=2.0, command_timeout=10.0, **changes)  # type: ignore[arg-type]
            for h in hosts]


async def test_many_channels_share_one_connection_per_host(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        results = await asyncio.gather(*(pool.run("web1", f"echo {i}; echo $PPID") for i in range(8)))
        assert [r.stdout.split()[0] for r in results] == [str(i).encode() for i in range(8)]
        conn = await pool.connection("web1")
        assert conn is await pool.connection("web1")
        assert conn.get_extra_info("send_cipher") == "aes128-gcm@openssh.com"  # the cheaper cipher is preferred
        assert pool.reach("web1") == (Reach.UP, None)
        assert (pool.fingerprint("web1") or "").startswith("SHA256:")
    finally:
        await pool.close()


async def test_a_hung_host_is_unreachable_and_the_others_keep_answering(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        await pool.run("web2", "true")  # connected before the hang: the live connection hangs too
        lab.fault("web2", "hang-ssh")
        hung, ok = await asyncio.gather(pool.run("web2", "true"), pool.run("web1", "hostname"),
                                        return_exceptions=True)
        assert isinstance(hung, HostDown) and hung.reach is Reach.UNREACHABLE
        assert not isinstance(ok, BaseException) and ok.stdout.strip() == b"web1"
        assert pool.reach("web2")[0] is Reach.UNREACHABLE
        # A new connection to the hung sshd times out too, and is not retried before its backoff.
        with pytest.raises(HostDown):
            await pool.run("web2", "true")
        lab.heal("web2")
        pool.retry_now("web2")
        assert (await pool.run("web2", "hostname")).stdout.strip() == b"web2"
    finally:
        await pool.close()


async def test_link_down_mid_command_fails_that_probe_only(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        await pool.run("standby1", "true")
        running = asyncio.ensure_future(pool.run("standby1", "sleep 5; echo finished", timeout=8))
        await asyncio.sleep(0.5)
        lab.fault("standby1", "link-down")
        with pytest.raises((ProbeError, HostDown)):
            await running
        assert (await pool.run("web1", "echo still")).stdout == b"still\n"
    finally:
        await pool.close()


async def test_a_host_killed_mid_command_is_an_error_for_that_command(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        running = asyncio.ensure_future(pool.run("web1", "sleep 5", timeout=8))
        await asyncio.sleep(0.5)
        lab.fault("web1", "kill-ssh")
        with pytest.raises((ProbeError, HostDown)):
            await running
        with pytest.raises(HostDown) as refused:
            pool.retry_now("web1")
            await pool.run("web1", "true")
        assert refused.value.reach is Reach.UNREACHABLE
    finally:
        await pool.close()


async def test_a_changed_host_key_is_untrusted_even_with_accept_new(lab: Lab) -> None:
    lab.fault("web1", "new-host-key")
    pool = SshPool(lab_hosts(lab), accept_new=True)
    try:
        with pytest.raises(HostDown) as e:
            await pool.run("web1", "touch /tmp/must-not-exist")
        assert e.value.reach is Reach.UNTRUSTED
        assert "CHANGED" in str(e.value)
    finally:
        await pool.close()
    assert b"must-not-exist" not in lab.exec("web1", ["ls", "/tmp"]).stdout


async def test_unknown_host_key_needs_accept_new_which_records_it(lab: Lab, tmp_path: Path) -> None:
    kh = tmp_path / "known_hosts"
    strict = SshPool(lab_hosts(lab, known_hosts=str(kh)))
    try:
        with pytest.raises(HostDown) as e:
            await strict.run("web1", "true")
        assert e.value.reach is Reach.UNTRUSTED and "unknown host key" in str(e.value)
    finally:
        await strict.close()
    assert not kh.exists() or kh.read_text() == ""
    accepting = SshPool(lab_hosts(lab, known_hosts=str(kh)), accept_new=True)
    try:
        assert (await accepting.run("web1", "hostname")).stdout.strip() == b"web1"
    finally:
        await accepting.close()
    recorded = kh.read_text()
    assert lab.address("web1") in recorded
    assert (kh.stat().st_mode & 0o777) == 0o600
    # The recorded key is the real one: strict checking now passes.
    again = SshPool(lab_hosts(lab, known_hosts=str(kh)))
    try:
        assert (await again.run("web1", "true")).ok
    finally:
        await again.close()


async def test_a_key_the_host_refuses_is_an_authentication_error(lab: Lab, tmp_path: Path) -> None:
    stranger = tmp_path / "id_stranger"
    asyncssh.generate_private_key("ssh-ed25519").write_private_key(str(stranger))
    pool = SshPool(lab_hosts(lab, identity_file=str(stranger)))
    try:
        with pytest.raises(HostDown) as e:
            await pool.run("web1", "true")
        assert e.value.reach is Reach.ERROR and "authentication failed" in str(e.value)
    finally:
        await pool.close()


async def test_huge_output_is_cut_off_without_eating_memory(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab), max_output_bytes=1024 * 1024)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with pytest.raises(ProbeError, match="larger than"):
            await pool.run("web1", "head -c 300000000 /dev/zero", timeout=30)
        # The connection is still usable for the next probe.
        assert (await pool.run("web1", "echo ok")).stdout == b"ok\n"
    finally:
        await pool.close()
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 100 * 1024, f"peak RSS grew by {grown_kib} KiB for a 300 MB reply"


async def test_binary_garbage_comes_back_as_bytes(lab: Lab) -> None:
    pool = SshPool(lab_hosts(lab))
    try:
        r = await pool.run("web1", r"printf '\377\376[bold]\033[31m\000x'")
        assert r.stdout == b"\xff\xfe[bold]\x1b[31m\x00x"
    finally:
        await pool.close()


async def test_values_are_quoted_so_metacharacters_do_nothing(lab: Lab) -> None:
    canary = "/tmp/cockpit-canary"
    hostile = f"x; touch {canary}; $(touch {canary}) `touch {canary}` '\""
    pool = SshPool(lab_hosts(lab))
    try:
        r = await pool.run("web1", f"printf %s {shlex.quote(hostile)}")
        assert r.stdout.decode() == hostile
        assert (await pool.run("web1", f"test -e {canary}; echo $?")).stdout == b"1\n"
    finally:
        await pool.close()


async def test_proxyjump_from_the_users_ssh_config_is_honoured(lab: Lab, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """web2 reached only through web1, the way ~/.ssh/config says (asyncssh reads it)."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "config").write_text(
        f"Host web2-behind-bastion\n  HostName {lab.address('web2')}\n  ProxyJump bastion\n"
        f"Host bastion\n  HostName {lab.address('web1')}\n  User root\n"
        f"  IdentityFile {lab.identity_file}\n  UserKnownHostsFile {lab.known_hosts_path}\n")
    monkeypatch.setenv("HOME", str(home))
    hosts = [dataclasses.replace(h, address="web2-behind-bastion") if h.name == "web2" else h
             for h in lab_hosts(lab)]
    pool = SshPool(hosts)
    try:
        r = await pool.run("web2", "hostname; echo $SSH_CLIENT")
        name, client = r.stdout.decode().splitlines()
        assert name == "web2"
        assert client.split()[0] == lab.address("web1"), "the session came through the bastion"
    finally:
        await pool.close()


async def test_engine_sweep_reports_hung_and_read_only_hosts_and_keeps_the_rest(lab: Lab) -> None:
    lab.fault("web1", "ro-mount", "/srv")
    lab.fault("web2", "hang-ssh")
    inv = load_inventory(lab.inventory_path)
    inv = dataclasses.replace(inv, hosts=tuple(dataclasses.replace(h, connect_timeout=2.0) for h in inv.hosts))
    engine = Engine(inv)
    try:
        states = await engine.sweep_disks()
        assert states["web2"].reach is Reach.UNREACHABLE
        assert states["web1"].reach is Reach.UP and states["web1"].severity.value == "critical"
        assert states["standby1"].severity.value == "ok"
        again = await engine.sweep_disks()  # the hung host does not hold the next sweep
        assert again["standby1"].reach is Reach.UP
    finally:
        await engine.close()


async def test_a_refused_session_fails_that_command_and_keeps_the_connection(lab: Lab) -> None:
    """sshd refuses sessions past MaxSessions (10 by default, 50 in the lab): that one command fails; the
    connection, and the sessions already on it (a held lock, a copy), go on."""
    pool = SshPool(lab_hosts(lab))
    held: list[asyncssh.SSHClientProcess[bytes]] = []
    try:
        conn = await pool.connection("web2")
        for _ in range(50):  # the lab's MaxSessions
            held.append(await conn.create_process("cat >/dev/null", encoding=None))  # until its stdin ends
        with pytest.raises(ProbeError, match="refused a new SSH session"):
            await pool.run("web2", "true")
        assert await pool.connection("web2") is conn and pool.reach("web2") == (Reach.UP, None)
        assert all(p.exit_status is None for p in held)  # the sessions already open were not touched
        ended = held.pop()
        ended.stdin.write_eof()  # that session's command ends, and sshd frees its place
        await ended.wait_closed()
        for _ in range(20):
            try:
                assert (await pool.run("web2", "echo again")).stdout == b"again\n"
                break
            except ProbeError:
                await asyncio.sleep(0.5)
        else:
            raise AssertionError("no session fitted again after one was closed")
    finally:
        for p in held:
            p.close()
        await pool.close()


async def test_a_session_waiting_when_a_hang_is_found_says_the_host_is_not_answering(lab: Lab) -> None:
    """SSH to a host hangs. The probe shell finds it (no reply within connect_timeout) and closes the connection
    while another command still waits for its new session. That one is told what the probe shell found: it
    said 'the host refused a new SSH session (SSH connection closed; sshd MaxSessions?)', which pointed the
    on-call engineer at sshd's configuration instead of a hung host (seen on a wallboard in tmux)."""
    pool = SshPool(lab_hosts(lab))  # connect_timeout 2 s
    try:
        await pool.run("web2", "true", reuse=True)  # the probe shell is open, and idle
        lab.fault("web2", "hang-ssh")
        in_shell = asyncio.create_task(pool.run("web2", "true", reuse=True))  # finds the hang after 2 s
        await asyncio.sleep(1.0)
        new_session = asyncio.create_task(pool.run("web2", "true"))  # its own wait would end at 3 s
        shell_result, session_result = await asyncio.gather(in_shell, new_session, return_exceptions=True)
        assert isinstance(shell_result, HostDown), shell_result
        assert isinstance(session_result, HostDown), session_result
        assert session_result.reach is Reach.UNREACHABLE
        assert str(session_result) == str(shell_result)  # "not answering: no reply to a command within 2 s"
        assert "MaxSessions" not in str(session_result)
    finally:
        await pool.close()


async def test_keepalives_follow_how_long_a_sweep_takes(lab: Lab) -> None:
    """A host answers once a sweep: its connection's keepalive waits for the sweep interval plus the last
    sweep's length, so a slow sweep (1,000 hosts) sends no keepalive to hosts about to answer anyway."""
    pool = SshPool(lab_hosts(lab), sweep_interval=5.0)
    try:
        conn = await pool.connection("web1")
        assert conn._keepalive_interval == 2.0 + 5.0  # connect_timeout + interval: no sweep measured yet
        pool.sweep_took(20.0)
        assert conn._keepalive_interval == 2.0 + 5.0 + 20.0
        pool.sweep_took(21.0)  # jitter moves nothing
        assert conn._keepalive_interval == 27.0
        pool.sweep_took(0.5)  # short again: keepalives come back down
        assert conn._keepalive_interval == 7.5
        await pool.connection("web2")
        assert (await pool.connection("web2"))._keepalive_interval == 7.5  # a new connection starts there
    finally:
        await pool.close()
