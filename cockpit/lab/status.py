"""``lab status``: hosts, pids, links and active faults, as JSON-able data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cockpit.lab import netns, procs

if TYPE_CHECKING:
    from cockpit.lab.lab import Lab


def status(lab: Lab) -> dict[str, Any]:
    st = lab.state
    hosts = []
    for h in st.hosts.values():
        hosts.append({
            "name": h.name, "address": h.address, "role": h.role, "netns": h.netns,
            "init": h.init.pid if h.init else None, "running": procs.alive(h.init),
            "link": "up" if netns.link_is_up(h.veth) else "down",
            "services": {k: {"pid": v.pid.pid if v.pid else None, "running": procs.alive(v.pid)}
                         for k, v in h.running.items()},
            "mounts": {lp.mountpoint: lp.device for lp in h.loops},
        })
    return {
        "dir": st.dir, "status": st.status, "subnet": st.subnet, "bridge": st.bridge,
        "klogd": {"pid": st.klogd.pid if st.klogd else None, "running": procs.alive(st.klogd)},
        "inventory": str(lab.inventory_path), "hosts": hosts,
        "faults": [{"host": f.host, "kind": f.kind, "args": f.args} for f in st.faults],
        "owner": st.owner.pid if st.owner else None,
    }
