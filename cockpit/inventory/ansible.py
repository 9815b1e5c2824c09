"""Hosts from an Ansible inventory (INI or YAML).

Understood: groups (``[group]``, ``[group:vars]``, ``[group:children]`` and the
YAML ``children``/``hosts``/``vars`` tree), ``ansible_host``, ``ansible_port``,
``ansible_user``, plus cockpit's own host vars ``cockpit_role`` and
``cockpit_public_ip``. A host in a group named ``standby`` gets role standby.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cockpit.inventory.errors import InventoryError

_KNOWN_VARS = {"ansible_host", "ansible_port", "ansible_user", "cockpit_role", "cockpit_public_ip",
               "ansible_ssh_host", "ansible_ssh_port", "ansible_ssh_user"}


@dataclass
class AnsibleHost:
    name: str
    vars: dict[str, str] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)


def load_ansible(path: Path) -> list[AnsibleHost]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InventoryError(str(path), "", f"cannot read the Ansible inventory: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InventoryError(str(path), "", "expected a UTF-8 text file") from None
    stripped = text.lstrip()
    if path.suffix in (".yml", ".yaml") or stripped.startswith(("all:", "---")):
        return _from_yaml(path, text)
    return _from_ini(path, text)


def _from_ini(path: Path, text: str) -> list[AnsibleHost]:
    hosts: dict[str, AnsibleHost] = {}
    group_vars: dict[str, dict[str, str]] = {}
    children: dict[str, list[str]] = {}
    members: dict[str, list[str]] = {}
    section, kind = "ungrouped", "hosts"
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            if not line.endswith("]"):
                raise InventoryError(str(path), "", "expected a [group] header", line, line=lineno)
            header = line[1:-1].strip()
            section, _, kind = header.partition(":")
            kind = kind or "hosts"
            if kind not in ("hosts", "vars", "children"):
                raise InventoryError(str(path), f"[{header}]", "expected :vars or :children", line=lineno)
            continue
        try:
            parts = shlex.split(line, comments=True)
        except ValueError as e:
            raise InventoryError(str(path), f"[{section}]", f"cannot parse the line: {e}", line, line=lineno) from None
        if not parts:
            continue
        if kind == "vars":
            k, sep, v = line.partition("=")
            if not sep:
                raise InventoryError(str(path), f"[{section}:vars]", "expected key=value", line, line=lineno)
            group_vars.setdefault(section, {})[k.strip()] = v.strip().strip("'\"")
        elif kind == "children":
            children.setdefault(section, []).append(parts[0])
        else:
            name, hvars = parts[0], {}
            for p in parts[1:]:
                k, sep, v = p.partition("=")
                if not sep:
                    raise InventoryError(str(path), f"[{section}] {name}", "expected key=value host variables",
                                         p, line=lineno)
                hvars[k] = v
            h = hosts.setdefault(name, AnsibleHost(name))
            h.vars.update(hvars)
            members.setdefault(section, []).append(name)
    return _resolve(hosts, members, children, group_vars)


def _from_yaml(path: Path, text: str) -> list[AnsibleHost]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", None)
        raise InventoryError(str(path), "", "expected valid YAML", line=None if line is None else line + 1) from None
    if not isinstance(data, dict):
        raise InventoryError(str(path), "", "expected a mapping of groups at the top level")
    hosts: dict[str, AnsibleHost] = {}
    members: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    group_vars: dict[str, dict[str, str]] = {}

    def walk(group: str, node: Any, keypath: str) -> None:
        if node is None:
            return
        if not isinstance(node, dict):
            raise InventoryError(str(path), keypath, "expected a mapping with hosts, vars or children")
        hs = node.get("hosts") or {}
        if not isinstance(hs, dict):
            raise InventoryError(str(path), f"{keypath}.hosts", "expected a mapping of host names")
        for name, hv in hs.items():
            if hv is not None and not isinstance(hv, dict):
                raise InventoryError(str(path), f"{keypath}.hosts.{name}", "expected a mapping of host vars")
            h = hosts.setdefault(str(name), AnsibleHost(str(name)))
            h.vars.update({str(k): str(v) for k, v in (hv or {}).items()})
            members.setdefault(group, []).append(str(name))
        gv = node.get("vars") or {}
        if not isinstance(gv, dict):
            raise InventoryError(str(path), f"{keypath}.vars", "expected a mapping")
        group_vars.setdefault(group, {}).update({str(k): str(v) for k, v in gv.items()})
        ch = node.get("children") or {}
        if not isinstance(ch, dict):
            raise InventoryError(str(path), f"{keypath}.children", "expected a mapping of groups")
        for child, sub in ch.items():
            children.setdefault(group, []).append(str(child))
            walk(str(child), sub, f"{keypath}.children.{child}")

    for group, node in data.items():
        walk(str(group), node, str(group))
    return _resolve(hosts, members, children, group_vars)


def _resolve(hosts: dict[str, AnsibleHost], members: dict[str, list[str]],
             children: dict[str, list[str]], group_vars: dict[str, dict[str, str]]) -> list[AnsibleHost]:
    def groups_of(name: str) -> list[str]:
        direct = [g for g, ms in members.items() if name in ms]
        out: list[str] = []
        todo = list(direct)
        while todo:
            g = todo.pop()
            if g in out:
                continue
            out.append(g)
            todo.extend(parent for parent, kids in children.items() if g in kids)
        return out

    result = []
    for name, h in hosts.items():
        gs = groups_of(name)
        merged: dict[str, str] = dict(group_vars.get("all", {}))
        # parents first, so that a child group's vars win, then host vars win
        for g in reversed(gs):
            merged.update(group_vars.get(g, {}))
        merged.update(h.vars)
        h.vars = {k: v for k, v in merged.items() if k in _KNOWN_VARS}
        h.groups = sorted(g for g in gs if g not in ("all", "ungrouped"))
        result.append(h)
    return result
