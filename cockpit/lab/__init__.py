"""A real fleet on one machine: network, mount, UTS and PID namespaces per
host, a real sshd (and later MariaDB, DNS servers, cron) in each, real faults.

See :class:`cockpit.lab.lab.Lab` for the API, :mod:`cockpit.lab.services.base`
to add a service, :mod:`cockpit.lab.kmsg` and :mod:`cockpit.lab.procview` for
the two per-host views a shared kernel cannot provide for real.

The names below are imported on first use (PEP 562): ``cockpit status`` imports
:mod:`cockpit.lab.naming` for the CLI's ``--dir`` default, and must not pay for
the whole lab (asyncssh key generation, every service plugin) to do so.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cockpit.lab.errors import LabError
    from cockpit.lab.lab import Lab
    from cockpit.lab.naming import DEFAULT_DIR
    from cockpit.lab.spec import DataMount, FleetSpec, HostSpec

__all__ = ["DEFAULT_DIR", "DataMount", "FleetSpec", "HostSpec", "Lab", "LabError"]

_WHERE = {"DEFAULT_DIR": "naming", "DataMount": "spec", "FleetSpec": "spec", "HostSpec": "spec", "Lab": "lab",
          "LabError": "errors"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
