"""Write ``DIR/inventory.toml`` for the lab fleet (and check that it loads)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cockpit.lab.errors import LabError


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
