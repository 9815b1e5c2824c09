"""Hostile inventory values that would reach a shell, SQL or a DNS name: the
loader either rejects them with a message naming the file and the key, or the
value is one the commands quote (run against the lab in
test_hostile_inventory_lab.py). Names (site, database, host) are a closed
alphabet; DNS names must be valid; paths may hold anything but NUL and newline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hostile_fuzz import FUZZ, HOSTILE, ran
from hypothesis import given
from hypothesis import strategies as st

from cockpit.inventory import InventoryError, load_inventory

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
BASE = """
[[hosts]]
name = "web1"
address = "198.18.0.101"

[[sites]]
name = {site}
host = "web1"
database = {database}
hostname = {hostname}
storage = {storage}
maintenance_on = [{hook}]
"""
SAFE = {"site": "acme", "database": "acme", "hostname": "acme.example.test", "storage": "/storage/acme",
        "hook": "true"}
value = st.one_of(st.lists(st.sampled_from([*HOSTILE, "acme", "a", "-", ".", "..", "é", "x" * 70]),
                           min_size=1, max_size=5).map("".join),
                  st.text(max_size=20))


def load(tmp: Path, **over: str) -> object:
    fields = {k: json.dumps(over.get(k, v)) for k, v in SAFE.items()}  # TOML basic strings = JSON strings
    p = tmp / "inventory.toml"
    p.write_text(BASE.format(**fields))
    return load_inventory(p)


@FUZZ
@given(st.sampled_from(["site", "database", "hostname", "storage", "hook"]), value)
def test_hostile_values_are_rejected_with_file_and_key_or_kept_verbatim(tmp_path_factory: pytest.TempPathFactory,
                                                                         key: str, v: str) -> None:
    ran("inventory: hostile values")
    tmp = tmp_path_factory.mktemp("inv")
    try:
        inv = load(tmp, **{key: v})
    except InventoryError as e:
        assert e.file == str(tmp / "inventory.toml") and str(e).startswith(e.file)
        toml_key = {"site": "name", "hook": "maintenance_on"}.get(key, key)
        assert e.line is not None or (e.key.startswith("sites[0]") and toml_key in e.key), str(e)
        return
    site = inv.sites[0]  # type: ignore[attr-defined]
    if key in ("site", "database"):
        assert NAME.match(v), f"{key} {v!r} accepted: it would need quoting in every shell and SQL"
    if key == "hostname":
        assert re.fullmatch(r"[A-Za-z0-9.-]+\.?", v), f"hostname {v!r} accepted: not a DNS name"
    if key == "storage":
        assert site.storage == v and v.startswith("/") and "\n" not in v and "\x00" not in v
    if key == "hook":
        assert site.maintenance_on == (v,)  # an operator's shell command, run as written (quoted whole)


@pytest.mark.parametrize(("key", "v"), [
    ("site", "acme; touch /tmp/x"), ("site", "$(id)"), ("database", "acme`"), ("database", "ac'me"),
    ("hostname", "acme_.example.test"), ("hostname", "[b]x[/b].example"), ("hostname", "a" * 64 + ".test"),
    ("storage", "relative/path"), ("storage", "/storage/a\nb"),
])
def test_examples_are_rejected_naming_the_key(tmp_path: Path, key: str, v: str) -> None:
    with pytest.raises(InventoryError) as ei:
        load(tmp_path, **{key: v})
    assert ei.value.key == f"sites[0].{ {'site': 'name'}.get(key, key) }".replace(" ", "")
