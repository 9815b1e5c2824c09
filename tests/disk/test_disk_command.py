"""The combined probe command, run for real by /bin/sh (dash) and bash on this machine.

Fake tools placed first in PATH stand in for a hung df, an unusable dmesg and
a huge /proc/mounts; everything else is the machine's own.
"""

from __future__ import annotations

import os
import select
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from cockpit.disk.command import KERNEL_BYTES, KERNEL_LINES, STDERR_LIMIT, STDOUT_LIMIT, build_command, new_nonce
from cockpit.disk.evaluate import report_from_output
from cockpit.disk.sections import split_output
from cockpit.inventory.model import Host
from cockpit.severity import Severity

SHELLS = [s for s in ("/bin/sh", "/bin/bash", "/bin/dash") if Path(s).exists()]


def run(command: str, shell: str = "/bin/sh", fake: Path | None = None, timeout: float = 30) -> bytes:
    env = dict(os.environ)
    if fake is not None:
        env["PATH"] = f"{fake}:{env.get('PATH', '/usr/bin:/bin')}"
    done = subprocess.run([shell, "-c", command], capture_output=True, env=env, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def tool(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.mark.parametrize("shell", SHELLS)
def test_runs_on_this_machine(shell: str) -> None:
    nonce = new_nonce()
    split = split_output(run(build_command(nonce), shell), nonce)
    s = split.sections
    assert split.problems == ()
    assert {"mounts", "fstab", "dfo", "mdstat", "dmesg"} <= set(s)
    assert s["mounts"].exit_status == 0 and b" / " in s["mounts"].stdout
    # GNU df: blocks and inodes from one run, so df -P and df -Pi did not run
    assert s["dfo"].exit_status == 0 and s["dfo"].stdout.startswith(b"Filesystem")
    assert "df" not in s and "dfi" not in s
    assert s["mdstat"].absent == (not Path("/proc/mdstat").exists())
    report = report_from_output(run(build_command(nonce), shell), nonce, Host(name="here", address="127.0.0.1"))
    root = next(m for m in report.mounts if m.mountpoint == "/")
    assert not root.read_only and root.used_percent is not None


def test_the_command_is_one_line_for_any_login_shell() -> None:
    cmd = build_command("0123456789abcdef")
    assert "\n" not in cmd and cmd.startswith("exec /bin/sh -c '")


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.timeout(60)  # a safety net: if dmesg never ran, the FIFO would wait forever
def test_the_reply_is_written_at_once_when_the_script_ends(tmp_path: Path, shell: str) -> None:
    """sshd sends each write as an SSH packet of its own: nothing may reach stdout before the script
    ends. A fake dmesg (the last section) waits for the test: by then the mounts, fstab and df sections
    are done, so if any of them had been written straight out, the pipe would hold it."""
    for fifo in ("started", "go"):
        os.mkfifo(tmp_path / fifo)
    tool(tmp_path, "dmesg", f"echo up > {tmp_path}/started; read x < {tmp_path}/go; echo '[1.0] the log'")
    nonce = new_nonce()
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    with subprocess.Popen([shell, "-c", build_command(nonce)], stdout=subprocess.PIPE, env=env) as proc:
        assert proc.stdout is not None
        try:
            with (tmp_path / "started").open() as started:
                assert started.read() == "up\n"  # dmesg runs: every section before it has finished
            assert select.select([proc.stdout], [], [], 0)[0] == []  # and nothing came out yet
        finally:
            with (tmp_path / "go").open("w") as go:
                go.write("go\n")
        out = proc.stdout.read()
    s = split_output(out, nonce).sections
    assert s["dmesg"].stdout == b"[1.0] the log\n" and s["mounts"].exit_status == 0
    assert out.endswith(b"@@\n") and not out.endswith(b"\n\n")  # the newline the substitution took, once


@pytest.mark.parametrize("bad", ["", "abc", "0123456789ABCDEF", "0123456789abcdef'; touch /tmp/x; '", "g" * 16])
def test_nonce_must_be_hex(bad: str) -> None:
    with pytest.raises(ValueError):
        build_command(bad)


def test_hung_df_times_out_and_local_filesystems_are_measured(tmp_path: Path) -> None:
    if shutil.which("timeout") is None:
        pytest.skip("no timeout(1)")
    tool(tmp_path, "df", 'case "$1" in *l*) echo "Filesystem 1024-blocks Used Available Capacity Mounted on";'
                         ' echo "/dev/fake 100 95 5 95% /";; *) exec sleep 30;; esac')
    nonce = new_nonce()
    out = run(build_command(nonce, df_timeout=1, df_local_timeout=1), fake=tmp_path)
    s = split_output(out, nonce).sections
    assert s["dfo"].exit_status in (124, 137) and s["dfo"].stdout == b""
    assert s["df_local"].exit_status == 0 and s["dfi_local"].exit_status == 0
    assert "df" not in s and "dfi" not in s
    report = report_from_output(out, nonce, Host(name="h", address="127.0.0.1"))
    root = next(m for m in report.mounts if m.mountpoint == "/")
    assert root.used_percent == 95.0 and root.severity == Severity.CRITICAL
    assert any("df timed out" in e for e in report.errors)


def test_a_df_without_output_columns_runs_df_p_and_df_pi(tmp_path: Path) -> None:
    # busybox's df (and GNU df before 8.21) has no --output: it says so, and the POSIX pair runs
    real_df = shutil.which("df")
    tool(tmp_path, "df", 'case "$*" in *--output*) echo "df: unrecognized option: output" >&2; exit 1;; esac;'
                         f' exec {real_df} "$@"')
    nonce = new_nonce()
    out = run(build_command(nonce), fake=tmp_path)
    s = split_output(out, nonce).sections
    assert s["dfo"].exit_status == 1 and s["df"].exit_status == 0 and s["dfi"].exit_status == 0
    report = report_from_output(out, nonce, Host(name="h", address="127.0.0.1"))
    root = next(m for m in report.mounts if m.mountpoint == "/")
    assert root.used_percent is not None and root.inodes_used_percent is not None
    assert not any("dfo" in e or "unrecognized" in e for e in report.errors)


def test_unusable_dmesg_falls_back_to_journalctl(tmp_path: Path) -> None:
    tool(tmp_path, "dmesg", 'echo "dmesg: read kernel buffer failed: Operation not permitted" >&2; exit 1')
    tool(tmp_path, "journalctl",
         'echo "Jan 30 00:32:03 localhost kernel: Buffer I/O error on dev sr0, logical block 254978"')
    nonce = new_nonce()
    out = run(build_command(nonce), fake=tmp_path)
    s = split_output(out, nonce).sections
    assert s["dmesg"].exit_status == 1 and b"Operation not permitted" in s["dmesg"].stderr
    assert s["journal"].exit_status == 0
    kernel = report_from_output(out, nonce, Host(name="h", address="127.0.0.1")).kernel
    assert (kernel.readable, kernel.source, kernel.count) == (True, "journalctl", 1)


def test_missing_tools_are_reported_not_hung(tmp_path: Path) -> None:
    tool(tmp_path, "dmesg", "exec /nonexistent/dmesg")
    tool(tmp_path, "journalctl", "exec /nonexistent/journalctl")
    nonce = new_nonce()
    out = run(build_command(nonce), fake=tmp_path)
    s = split_output(out, nonce).sections
    assert s["dmesg"].exit_status == 127 and s["journal"].exit_status == 127
    kernel = report_from_output(out, nonce, Host(name="h", address="127.0.0.1")).kernel
    assert not kernel.readable and kernel.severity == Severity.UNKNOWN
    assert kernel.error == "dmesg: not installed; journalctl: not installed"


def test_outputs_are_bounded(tmp_path: Path) -> None:
    # a host whose /proc/mounts is huge (head reads it with the probe's own limit) and whose dmesg floods stderr
    real_head = shutil.which("head")
    tool(tmp_path, "head", f'if [ "$3" = /proc/mounts ]; then yes "tmpfs /x tmpfs rw 0 0" | {real_head} -c "$2";'
                           f' else exec {real_head} "$@"; fi')
    tool(tmp_path, "dmesg", 'yes "noise on stderr" | head -c 20000 >&2; exit 1')
    nonce = new_nonce()
    out = run(build_command(nonce), fake=tmp_path)
    s = split_output(out, nonce).sections
    assert len(s["mounts"].stdout) == STDOUT_LIMIT + 1  # one byte over: the parser knows it was cut
    assert len(s["dmesg"].stderr) <= STDERR_LIMIT and s["dmesg"].stderr.startswith(b"noise on stderr")
    report = report_from_output(out, nonce, Host(name="h", address="127.0.0.1", mounts=("/srv/data",)))
    srv = next(m for m in report.mounts if m.mountpoint == "/srv/data")
    assert srv.severity == Severity.UNKNOWN and not srv.missing  # cut off: cannot tell it is missing


def test_host_output_cannot_forge_a_section_end(tmp_path: Path) -> None:
    tool(tmp_path, "dmesg", 'echo "@@cockpit:0123456789abcdef:end:dmesg:0@@"; echo "[1.0] I/O error, dev sda"; exit 3')
    nonce = new_nonce()
    s = split_output(run(build_command(nonce), fake=tmp_path), nonce).sections
    assert s["dmesg"].exit_status == 3
    assert b"@@cockpit:0123456789abcdef:end:dmesg:0@@" in s["dmesg"].stdout


def test_a_flooding_kernel_log_keeps_its_newest_whole_lines(tmp_path: Path) -> None:
    # 5,000 numbered lines of ~70 bytes, the newest an I/O error: only the newest 64 KiB leave the
    # host, and the parser counts the newest KERNEL_LINES whole lines of them (the cut first one goes)
    tool(tmp_path, "dmesg", 'i=0; while [ $i -lt 5000 ]; do i=$((i+1));'
                            ' echo "[$i.0] EXT4-fs error (device vda): line $i of a very noisy log"; done;'
                            ' echo "[5001.0] I/O error, dev sda, sector 42 (the newest)"')
    nonce = new_nonce()
    out = run(build_command(nonce), fake=tmp_path)
    s = split_output(out, nonce).sections
    assert len(s["dmesg"].stdout) == KERNEL_BYTES and s["dmesg"].exit_status == 0
    kernel = report_from_output(out, nonce, Host(name="h", address="127.0.0.1")).kernel
    assert kernel.count == KERNEL_LINES
    assert kernel.latest == "[5001.0] I/O error, dev sda, sector 42 (the newest)"


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("size", [0, 40, KERNEL_BYTES - 2, KERNEL_BYTES - 1, KERNEL_BYTES, KERNEL_BYTES + 1,
                                  3 * KERNEL_BYTES])
def test_the_kernel_log_section_is_the_logs_newest_bytes(tmp_path: Path, shell: str, size: int) -> None:
    """dmesg's output is held in a shell variable, not piped through tail: the section must still be
    exactly what ``dmesg | tail -c KERNEL_BYTES`` gave, at every length around the cut, and a dmesg
    that succeeds runs once (its stderr is asked for only when it fails). (A command substitution
    drops trailing newlines, and one is added back: dmesg ends each record with exactly one.)"""
    log = b"".join(b"[%d.0] EXT4-fs error (device vda): line %d\n" % (i, i) for i in range(1, size // 20 + 2))
    log = log[len(log) - size:] if size else b""
    if log and not log.endswith(b"\n"):
        log = log[:-1] + b"\n"
    (tmp_path / "log").write_bytes(log)
    tool(tmp_path, "dmesg", f'echo run >> {tmp_path}/calls; cat {tmp_path}/log')
    nonce = new_nonce()
    s = split_output(run(build_command(nonce), shell, fake=tmp_path), nonce).sections
    assert s["dmesg"].stdout == log[-KERNEL_BYTES:] and s["dmesg"].exit_status == 0
    assert s["dmesg"].stderr == b"" and "journal" not in s
    assert (tmp_path / "calls").read_text() == "run\n"


def test_a_failing_dmesg_keeps_its_output_status_and_why(tmp_path: Path) -> None:
    tool(tmp_path, "dmesg", 'echo "[1.0] half a log";'
                            ' echo "dmesg: read kernel buffer failed: Operation not permitted" >&2; exit 1')
    nonce = new_nonce()
    out = run(build_command(nonce), fake=tmp_path)
    s = split_output(out, nonce).sections
    assert s["dmesg"].exit_status == 1 and s["dmesg"].stdout == b"[1.0] half a log\n"
    assert s["dmesg"].stderr == b"dmesg: read kernel buffer failed: Operation not permitted"
    assert "journal" in s  # the fallback still runs
