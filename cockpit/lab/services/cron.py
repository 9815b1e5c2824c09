"""A real Debian ``cron`` daemon on a lab host, with a job that proves it runs.

The host's own root (an overlay), PID namespace and private ``/run`` give it
its own ``/etc/cron.d``, ``/var/spool/cron`` and ``/run/crond.pid``, so
``/etc/init.d/cron stop|start|status`` over SSH acts on that host's cron only,
as on a real Debian host without systemd.

The daemon is started the Debian way (``/etc/init.d/cron start``, which
daemonizes) inside the host's cgroup for the service, but it is NOT a service
process the lab watches: the cockpit's stop-cron action stops it on purpose,
and ``lab heal`` must not start it again behind the action's back.

The job appends the time to :data:`MARKER` every minute: a test that stops
cron sees the file stop growing, and grow again after resume.
"""

from __future__ import annotations

import dataclasses
import time

from cockpit.lab import cgroup, procs
from cockpit.lab.errors import LabError
from cockpit.lab.host import HostHandle
from cockpit.lab.services.base import LabContext, Service, register

MARKER = "/var/lib/cockpit-lab/cron-marker"
JOB_FILE = "/etc/cron.d/cockpit-lab-marker"
INIT = "/etc/init.d/cron"
PIDFILE = "/run/crond.pid"

JOB = ("# cockpit lab: proves cron runs (one line per minute while cron runs)\n"
       "SHELL=/bin/sh\n"
       "PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"
       f"* * * * * root mkdir -p /var/lib/cockpit-lab && date -u +\\%Y-\\%m-\\%dT\\%H:\\%M:\\%SZ >> {MARKER}\n")


@register
@dataclasses.dataclass(frozen=True)
class Cron(Service):
    name = "cron"
    packages = ("cron",)
    tools = ("/usr/sbin/cron", INIT)

    def prepare(self, lab: LabContext, host: HostHandle) -> None:
        job = host.seed(JOB_FILE)
        job.write_text(JOB)
        job.chmod(0o644)

    def setup(self, lab: LabContext, host: HostHandle) -> None:
        cg = host.cgroup("svc-cron")
        cgroup.create(cg)
        log = host.dir / "cron.out"
        launcher = procs.spawn([*host.nsenter(), INIT, "start"], log, cg / "cgroup.procs")
        if not procs.wait_until(lambda: not procs.alive(launcher), 30.0):
            raise LabError(f"{host.name}: {INIT} start did not finish: {procs.tail(log)}")
        # not a watched service process, so the lab never calls wait_ready: wait here
        deadline = time.monotonic() + 30.0
        while time.monotonic() < deadline:
            if host.exec([INIT, "status"], timeout=30.0).returncode == 0:
                return
            time.sleep(0.05)
        raise LabError(f"{host.name}: cron is not running after {INIT} start: "
                       f"{procs.tail(host.dir / 'cron.out')}")
