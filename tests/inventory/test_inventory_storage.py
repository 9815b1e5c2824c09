"""Issue 5's inventory keys: [storage] and a site's storage_source, read from TOML, used by the plan."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cockpit.inventory import InventoryError, load_inventory
from cockpit.transfers.plan import plan_import

HOSTS = """
[[hosts]]
name = "web1"
address = "198.18.0.101"

[[hosts]]
name = "standby1"
address = "198.18.0.103"

[[hosts]]
name = "backup1"
address = "198.18.0.109"

[[sites]]
name = "acme"
host = "web1"
standby = "standby1"
storage = "/storage/acme"

[[sites]]
name = "globex"
host = "web1"
storage = "/storage/globex"
storage_source = "standby1"
"""


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    p = tmp_path / "inventory.toml"
    p.write_text(textwrap.dedent(text))
    return load_inventory(p)


def error_key(tmp_path: Path, text: str) -> str:
    with pytest.raises(InventoryError) as ei:
        load(tmp_path, text)
    assert "Traceback" not in str(ei.value)
    return ei.value.key


def test_the_issues_storage_keys_and_a_sites_own_source(tmp_path: Path) -> None:
    inv = load(tmp_path, HOSTS + '[storage]\nsource = "backup1"\nsource_root = "/backup/storage"\n'
                                 'rsync_args = ["--partial", "--numeric-ids"]\nbwlimit_kbps = 0\n')
    st = inv.storage
    assert (st.source, st.source_root, st.rsync_args, st.bwlimit_kbps) == \
        ("backup1", "/backup/storage", ("--partial", "--numeric-ids"), 0)
    assert st.stall_seconds == 60 and st.delete is False  # stalled after 60 s; never --delete unless asked
    acme, globex = plan_import(inv, "acme"), plan_import(inv, "globex")
    assert (acme.source_host, acme.destination_host) == ("backup1", "standby1")  # [storage] source, the standby
    assert (globex.source_host, globex.destination_host) == ("standby1", "web1")  # its own source, its host
    assert not any(a.startswith("--bwlimit") for a in acme.import_args)  # 0 = unlimited
    tuned = load(tmp_path, HOSTS + '[storage]\nsource = "backup1"\nbwlimit_kbps = 2500\nstall_seconds = 15\n'
                                   'delete = true\n')
    args = plan_import(tuned, "acme").import_args
    assert "--bwlimit=2500" in args and "--delete" in args and tuned.storage.stall_seconds == 15


@pytest.mark.parametrize(("storage", "key"), [
    ('source = "nohost"\n', "storage.source"),
    ('source = "backup1"\nbwlimit_kbps = -1\n', "storage.bwlimit_kbps"),
    ('source = "backup1"\nstall_seconds = 0\n', "storage.stall_seconds"),
    ('source = "backup1"\nsource_root = "backup"\n', "storage.source_root"),
    ('source = "backup1"\nrsync_args = ["--inc-recursive"]\n', "storage.rsync_args[0]"),  # the total must not grow
    ('source = "backup1"\nrsync_args = ["--partial", "--info=progress1"]\n', "storage.rsync_args[1]"),
])
def test_storage_errors_name_the_key(tmp_path: Path, storage: str, key: str) -> None:
    assert error_key(tmp_path, HOSTS + "[storage]\n" + storage) == key


def test_a_sites_storage_source_must_be_a_host(tmp_path: Path) -> None:
    assert error_key(tmp_path, HOSTS.replace('storage_source = "standby1"', 'storage_source = "gone"')) == \
        "sites[1].storage_source"
