"""A real fleet on one machine: network, mount, UTS and PID namespaces per
host, a real sshd (and later MariaDB, DNS servers, cron) in each, real faults.

See :class:`cockpit.lab.lab.Lab` for the API, :mod:`cockpit.lab.services.base`
to add a service, :mod:`cockpit.lab.kmsg` and :mod:`cockpit.lab.procview` for
the two per-host views a shared kernel cannot provide for real.
"""

from cockpit.lab.errors import LabError
from cockpit.lab.lab import Lab
from cockpit.lab.naming import DEFAULT_DIR
from cockpit.lab.spec import DataMount, FleetSpec, HostSpec

__all__ = ["DEFAULT_DIR", "DataMount", "FleetSpec", "HostSpec", "Lab", "LabError"]
