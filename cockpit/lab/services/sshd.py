"""The host's OpenSSH server: the way the cockpit (and other hosts) reach it.

Started by absolute path with absolute ``-f``/``-E`` (otherwise it resets
every connection when it re-executes itself), in the foreground (``-D``)
so the lab owns its pid; key-only auth, its own host key and pid file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import socket
import time
from typing import Any

from cockpit.lab import procs
from cockpit.lab.errors import LabError
from cockpit.lab.faultkind import FaultKind
from cockpit.lab.host import HostHandle
from cockpit.lab.keys import write_keypair
from cockpit.lab.services.base import LabContext, Service, register
from cockpit.lab.state import FaultRec

SSHD = "/usr/sbin/sshd"
# what sshd runs per connection (9.2 re-executes itself; 9.8+ has helper binaries)
SSHD_EXES = (SSHD, "/usr/lib/openssh/sshd-session", "/usr/lib/openssh/sshd-auth")
CONFIG = "/etc/ssh/lab/sshd_config"
HOST_KEY = "/etc/ssh/lab/ssh_host_ed25519_key"
LOG = "/run/lab/sshd.log"  # on tmpfs: sshd exits if it cannot open it (a read-only root)

CONFIG_TEXT = f"""# lab sshd (cockpit.lab.services.sshd)
Port 22
ListenAddress 0.0.0.0
HostKey {HOST_KEY}
PidFile /run/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile /root/.ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 100:30:200
MaxSessions 50
UseDNS no
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
"""


def _install(host: HostHandle, src: os.PathLike[str], dest: str) -> None:
    """Copy a key into the running host's root (through /proc/<init>/root)."""
    target = host.path(dest)
    tmp = target.with_name(target.name + ".tmp")
    shutil.copyfile(src, tmp)
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    pub = host.path(dest + ".pub")
    shutil.copyfile(str(src) + ".pub", pub)


@register
@dataclasses.dataclass(frozen=True)
class Sshd(Service):
    name = "sshd"
    packages = ("openssh-server", "openssh-client")
    tools = (SSHD,)

    def prepare(self, lab: LabContext, host: HostHandle) -> None:
        host.seed(CONFIG).write_text(CONFIG_TEXT)
        key = lab.host_key_path(host.name)
        shutil.copyfile(key, host.seed(HOST_KEY))
        os.chmod(host.seed(HOST_KEY), 0o600)
        shutil.copyfile(str(key) + ".pub", host.seed(HOST_KEY + ".pub"))
        # /root/.ssh: the cockpit's key and the fleet's host-to-host key may log
        # in; the host-to-host private key and every host's key for rsync between hosts
        ssh = host.seed("/root/.ssh/authorized_keys").parent
        os.chmod(ssh, 0o700)
        os.chmod(ssh.parent, 0o700)
        (ssh / "authorized_keys").write_text(f"{lab.client_key.public_line}\n{lab.peer_key.public_line}\n")
        shutil.copyfile(lab.peer_key.private, ssh / "id_ed25519")
        os.chmod(ssh / "id_ed25519", 0o600)
        (ssh / "id_ed25519.pub").write_text(lab.peer_key.public_line + "\n")
        (ssh / "known_hosts").write_text(lab.known_hosts_text())

    def command(self, lab: LabContext, host: HostHandle) -> list[str]:
        return [SSHD, "-D", "-f", CONFIG, "-E", LOG]

    def wait_ready(self, lab: LabContext, host: HostHandle, timeout: float) -> None:
        rec = host.state.running.get(self.name)
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if rec is not None and not procs.alive(rec.pid):
                why = procs.tail(host.path(LOG)) or procs.tail(host.dir / "sshd.out")
                raise LabError(f"{host.name}: sshd exited: {why}")
            try:
                with socket.create_connection((host.address, 22), timeout=2) as s:
                    s.settimeout(2)
                    if s.recv(64).startswith(b"SSH-2.0-"):
                        return
            except OSError as e:
                last = str(e)
            time.sleep(0.02)
        raise LabError(f"{host.name}: sshd does not answer on {host.address}:22 ({last})")

    def stop(self, lab: LabContext, host: HostHandle) -> None:
        """Kill every sshd process (the listener and each connection's), as a
        crashed or stopped sshd would: connections drop. What sessions started
        and detached (an rsync import, a cron) keeps running, as on a real host."""
        rec = host.state.running.get(self.name)
        refs = [rec.pid, rec.launcher] if rec else []
        for pid in sshd_pids(host):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        # nsenter stops itself when its child is stopped (hang-ssh): kill it too
        procs.signal_proc(rec.launcher if rec else None, signal.SIGKILL)
        if not procs.wait_until(lambda: not sshd_pids(host) and not any(procs.alive(r) for r in refs), 10.0):
            raise LabError(f"{host.name}: sshd processes did not exit")

    def faults(self) -> tuple[FaultKind, ...]:
        return (
            FaultKind("hang-ssh", "", "SIGSTOP the host's sshd and its connections (connects and commands hang)",
                      _hang_apply, _hang_heal, slot="sshd"),
            FaultKind("kill-ssh", "", "kill the host's sshd and its connections (connection refused)",
                      _kill_apply, _restart_heal, slot="sshd"),
            FaultKind("new-host-key", "", "restart sshd with a NEW host key (the cockpit must distrust it)",
                      _newkey_apply, _newkey_heal, slot="sshd"),
        )


# -- faults ------------------------------------------------------------------------
def sshd_pids(host: HostHandle) -> list[int]:
    """The sshd processes in the service's cgroup (not what sessions started)."""
    out = []
    for pid in host.service_pids("sshd"):
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
        except OSError:
            continue
        if exe in SSHD_EXES:
            out.append(pid)
    return out


def _signal_all(host: HostHandle, sig: int, first: int | None = None) -> list[int]:
    done: list[int] = []
    if first is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(first, sig)
            done.append(first)
    for _ in range(3):  # a connection may fork while we go: sweep until stable
        new = [p for p in sshd_pids(host) if p not in done]
        if not new:
            break
        for pid in new:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
            done.append(pid)
    return done


def _main_pid(host: HostHandle) -> int:
    rec = host.state.running.get("sshd")
    if rec is None or not procs.alive(rec.pid):
        raise LabError(f"{host.name}: sshd is not running")
    assert rec.pid is not None
    return rec.pid.pid


def _hang_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    # The listener first (no new connections), then each connection's sshd:
    # an existing connection hangs too, as on a hung machine.
    return {"pids": _signal_all(host, signal.SIGSTOP, _main_pid(host))}


def _hang_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    # nsenter (the launcher) stopped itself when sshd was stopped: it resumes
    # and sends its child SIGCONT; then every sshd process we stopped
    svc = host.state.running.get("sshd")
    procs.signal_proc(svc.launcher if svc else None, signal.SIGCONT)
    for pid in rec.data.get("pids", []):
        if pid in sshd_pids(host):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
    _signal_all(host, signal.SIGCONT)


def _kill_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    _main_pid(host)
    lab.stop_service(host, "sshd")
    return {}


def _restart_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    lab.stop_service(host, "sshd")
    lab.start_service(host, "sshd")


def _newkey_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    _main_pid(host)
    new = lab.host_key_path(host.name).with_name("ssh_host_ed25519_key.new")
    write_keypair(new, f"root@{host.name}-reinstalled")
    lab.stop_service(host, "sshd")
    _install(host, new, HOST_KEY)
    lab.start_service(host, "sshd")
    return {}


def _newkey_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    lab.stop_service(host, "sshd")
    _install(host, lab.host_key_path(host.name), HOST_KEY)
    lab.start_service(host, "sshd")
