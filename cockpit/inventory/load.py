"""Load and strictly validate an inventory file (TOML, plus optional Ansible hosts)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from cockpit import keymap
from cockpit.inventory.ansible import load_ansible
from cockpit.inventory.dns import read_dns
from cockpit.inventory.errors import InventoryError
from cockpit.inventory.hosts import ROLES, check_unique_hosts, read_defaults, read_host
from cockpit.inventory.model import Defaults, Host, Inventory, MySQL
from cockpit.inventory.reader import NAME_RE, Table
from cockpit.inventory.sites import check_unique_sites, read_mysql, read_site, with_database_default
from cockpit.inventory.storage import read_storage

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_inventory(path: str | Path, ansible_inventory: str | Path | None = None) -> Inventory:
    """Read ``path``; every problem raises :class:`InventoryError` naming file and key."""
    path = Path(path).expanduser()
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InventoryError(file, "", "no such file") from None
    except OSError as e:
        raise InventoryError(file, "", f"cannot read the file: {e.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InventoryError(file, "", "expected a UTF-8 TOML file") from None
    except tomllib.TOMLDecodeError as e:
        m = _TOML_POS.search(str(e))
        msg = _TOML_POS.sub("", str(e)).strip()
        raise InventoryError(file, "", f"invalid TOML: {msg}", line=int(m.group(1)) if m else None) from None
    return inventory_from_dict(data, file, ansible_inventory)


def inventory_from_dict(data: dict[str, object], file: str,
                        ansible_inventory: str | Path | None = None) -> Inventory:
    top = Table(file, "", data)
    defaults = read_defaults(top.table("defaults"))
    hosts: list[Host] = [read_host(ht, defaults) for ht in top.tables("hosts")]

    ans_key = top.text("ansible_inventory", None)
    ans_path = ansible_inventory if ansible_inventory is not None else ans_key
    if ans_path is not None:
        base = Path(file).parent
        p = Path(ans_path).expanduser()
        hosts.extend(_ansible_hosts(base / p if not p.is_absolute() else p, defaults))
    check_unique_hosts(file, hosts)
    if not hosts:
        raise InventoryError(file, "hosts", "expected at least one [[hosts]] entry (or ansible_inventory)")
    by_name = {h.name: h for h in hosts}

    mysql = read_mysql(top.table("mysql"), MySQL())
    sites = [with_database_default(read_site(st, mysql, by_name)) for st in top.tables("sites")]
    check_unique_sites(file, sites)

    inv = Inventory(
        path=Path(file),
        defaults=defaults,
        hosts=tuple(hosts),
        keys=_read_keys(top.table("keys")),
        mysql=mysql,
        sites=tuple(sites),
        dns=read_dns(top.table("dns")),
        storage=read_storage(top.table("storage"), by_name),
        audit_file=top.text("audit_file", None),
        state_dir=top.text("state_dir", None),
        ansible_inventory=None if ans_path is None else str(ans_path),
    )
    top.finish()
    return inv


def _read_keys(t: Table | None) -> tuple[tuple[str, str], ...]:
    if t is None:
        return ()
    known = keymap.known_ids()
    out: list[tuple[str, str]] = []
    for binding_id in list(t.data):
        if binding_id not in known:
            raise t.error(binding_id, "unknown binding id; expected one of " + ", ".join(sorted(known)))
        key = t.text(binding_id, what="a key name such as 'f5' or 'ctrl+r'")
        if not re.fullmatch(r"[a-z0-9_+,]+|[!-~]", key):
            raise t.error(binding_id, "expected a key name such as 'f5' or 'ctrl+r'", key)
        if key.startswith("ctrl+b"):
            raise t.error(binding_id, "expected a key other than ctrl+b (tmux's prefix)", key)
        out.append((binding_id, key))
    t.finish()
    keys = keymap.resolve(tuple(out))
    seen: dict[str, str] = {}
    for bid, key in keys.items():
        for k in key.split(","):
            if k in seen:
                raise t.error(bid, f"expected a key not already bound to {seen[k]!r}", k)
            seen[k] = bid
    return tuple(out)


def _ansible_hosts(path: Path, d: Defaults) -> list[Host]:
    out = []
    for ah in load_ansible(path):
        file, key = str(path), f"host {ah.name}"
        if not NAME_RE.match(ah.name):
            raise InventoryError(file, key, "expected a host name of letters, digits, . _ -", ah.name)
        v = ah.vars
        port = v.get("ansible_port") or v.get("ansible_ssh_port")
        if port is not None and not (port.isdigit() and 1 <= int(port) <= 65535):
            raise InventoryError(file, f"{key}.ansible_port", "expected a port from 1 to 65535", port)
        role = v.get("cockpit_role") or ("standby" if "standby" in ah.groups else "primary")
        if role not in ROLES:
            raise InventoryError(file, f"{key}.cockpit_role", "expected one of " + ", ".join(ROLES), role)
        host = Host(
            name=ah.name,
            address=v.get("ansible_host") or v.get("ansible_ssh_host") or ah.name,
            role=role,
            public_ip=v.get("cockpit_public_ip"),
            ssh_user=v.get("ansible_user") or v.get("ansible_ssh_user") or d.ssh_user,
            ssh_port=int(port) if port else d.ssh_port,
            identity_file=d.identity_file,
            known_hosts=d.known_hosts,
            connect_timeout=d.connect_timeout,
            command_timeout=d.command_timeout,
            thresholds=d.thresholds,
            groups=tuple(ah.groups),
        )
        out.append(host)
    return out
