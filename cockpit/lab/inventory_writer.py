"""Write ``DIR/inventory.toml`` for the lab fleet (and check that it loads)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cockpit.lab.errors import LabError

if TYPE_CHECKING:
    from cockpit.lab.lab import Lab


def _merge(into: dict[str, Any], add: Mapping[str, Any]) -> None:
    for k, v in add.items():
        if isinstance(v, Mapping) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        elif isinstance(v, list) and isinstance(into.get(k), list):
            into[k] += [x for x in v if x not in into[k]]
        else:
            into[k] = v


def fleet_data(lab: Lab) -> dict[str, Any]:
    """The inventory of the lab fleet, with what each service adds."""
    from cockpit.lab.faults import host_services

    data: dict[str, Any] = {
        "defaults": {"ssh_user": "root", "ssh_port": 22, "identity_file": str(lab.identity_file),
                     "known_hosts": str(lab.known_hosts_path), "connect_timeout": 5, "command_timeout": 10},
        "hosts": [],
    }
    extra: dict[str, Any] = {}
    for h in lab.state.hosts.values():
        entry: dict[str, Any] = {"name": h.name, "address": h.address, "role": h.role}
        if h.public_ip:
            entry["public_ip"] = h.public_ip
        entry["mounts"] = h.owned_mounts()
        handle = lab.handle(h.name, running=False)
        for s in host_services(handle):
            _merge(entry, s.host_inventory(lab, handle))
            _merge(extra, s.fleet_inventory(lab))
        data["hosts"].append(entry)
    _merge(data, extra)
    return data


def header(lab: Lab) -> str:
    return (f"cockpit lab fleet in {lab.dir} ({lab.state.subnet}); written by `cockpit lab up`.\n"
            "public_ip values are documentation addresses: nothing is ever sent to them.")


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() else json.dumps(k)


def _is_table_array(v: Any) -> bool:
    return isinstance(v, list | tuple) and bool(v) and all(isinstance(x, Mapping) for x in v)


def _table(lines: list[str], path: str, data: Mapping[str, Any]) -> None:
    scalars = {k: v for k, v in data.items() if not isinstance(v, Mapping) and not _is_table_array(v)}
    for k, v in scalars.items():
        lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in data.items():
        sub = f"{path}.{_key(k)}" if path else _key(k)
        if isinstance(v, Mapping):
            lines += ["", f"[{sub}]"]
            _table(lines, sub, v)
        elif _is_table_array(v):
            for item in v:
                lines += ["", f"[[{sub}]]"]
                _table(lines, sub, item)


def dumps(data: Mapping[str, Any], header: str = "") -> str:
    lines = [f"# {line}" for line in header.splitlines()]
    _table(lines, "", data)
    return "\n".join(lines).lstrip("\n") + "\n"


def write(path: Path, data: Mapping[str, Any], header: str) -> None:
    from cockpit.inventory import InventoryError, load_inventory

    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps(data, header))
    try:
        load_inventory(tmp)
    except InventoryError as e:
        raise LabError(f"the generated inventory does not load: {e}") from None
    tmp.replace(path)
