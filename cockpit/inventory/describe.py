"""A human summary of what an inventory says (``cockpit check-config``)."""

from __future__ import annotations

from cockpit import keymap
from cockpit.inventory.model import Inventory
from cockpit.wording import count


def describe(inv: Inventory) -> str:
    d = inv.defaults
    out = [f"inventory {inv.path}: OK",
           f"  defaults: connect_timeout={d.connect_timeout:g}s command_timeout={d.command_timeout:g}s "
           f"refresh={d.refresh:g}s space warning/critical={d.thresholds.warning:g}/{d.thresholds.critical:g}%"]
    if inv.ansible_inventory:
        out.append(f"  ansible inventory: {inv.ansible_inventory}")
    out.append(f"  {count(len(inv.hosts), 'host')}:")
    for h in inv.hosts:
        who = f"{h.ssh_user or '(ssh config)'}@{h.address}:{h.ssh_port or '(ssh config)'}"
        extra = []
        if h.public_ip:
            extra.append(f"public_ip={h.public_ip}")
        if h.public_ipv6:
            extra.append(f"public_ipv6={h.public_ipv6}")
        if h.mounts:
            extra.append("mounts=" + ",".join(h.mounts))
        if h.groups:
            extra.append("groups=" + ",".join(h.groups))
        out.append(f"    {h.name:<14} {h.role:<8} {who}  {' '.join(extra)}".rstrip())
    if inv.sites:
        out.append(f"  {count(len(inv.sites), 'site')}:")
        for s in inv.sites:
            out.append(f"    {s.name:<14} on {s.host}" + (f" -> standby {s.standby}" if s.standby else "")
                       + (f"  db={s.database}" if s.database else "")
                       + (f"  {s.hostname}" if s.hostname else ""))
        m = inv.mysql
        secret = (f"password from ${m.password_env}" if m.password_env
                  else f"option file {m.option_file}" if m.option_file else "no password")
        out.append(f"  mysql: user={m.user} via={m.via} {m.address}:{m.port} ({secret})")
    if inv.dns is not None:
        ns = ", ".join(f"{n.name}={n.address}" for n in inv.dns.nameservers) or "(from NS records)"
        rs = ", ".join(f"{n.name}={n.address}" for n in inv.dns.resolvers) or "(none)"
        out.append(f"  dns: zone={inv.dns.zone} nameservers: {ns}; resolvers: {rs}")
        if inv.dns.update is not None:
            u = inv.dns.update
            where = f"key file {u.key_file}" if u.key_file else f"secret from ${u.key_secret_env}"
            out.append(f"  dns update: {u.server}:{u.port} key {u.key_name} ({u.algorithm}, {where})")
    if inv.storage.source:
        st = inv.storage
        out.append(f"  storage: from {st.source}:{st.source_root} args={' '.join(st.rsync_args)}"
                   + (f" bwlimit={st.bwlimit_kbps}KB/s" if st.bwlimit_kbps else ""))
    if inv.keys:
        out.append("  keys: " + ", ".join(f"{k}={v}" for k, v in inv.keys))
    else:
        out.append(f"  keys: defaults ({len(keymap.DEFAULT_KEYS)} bindings)")
    return "\n".join(out)
