"""What each site should resolve to now: its name (the site's hostname, else
NAME.zone), the host it is on now (the state file after a failover, across a
restart) and that host's public_ip / public_ipv6 (pure: no servers)."""

from __future__ import annotations

from pathlib import Path

from cockpit.dns.targets import targets
from cockpit.engine import placement
from cockpit.engine.statefile import StateFile
from cockpit.inventory import load_inventory

INVENTORY = """
[[hosts]]
name = "web1"
address = "198.18.0.101"
public_ip = "203.0.113.10"

[[hosts]]
name = "web2"
address = "198.18.0.102"
public_ip = "203.0.113.20"
public_ipv6 = "2001:db8::20"

[[hosts]]
name = "web3"
address = "198.18.0.103"

[mysql]
user = "cockpit"
password_env = "COCKPIT_MYSQL_PASSWORD"

[[sites]]
name = "acme"
hostname = "WWW.Acme.example.test."
host = "web1"
standby = "web2"

[[sites]]
name = "globex"
host = "web1"

[[sites]]
name = "initech"
host = "web3"

[dns]
zone = "example.test"
"""


def test_names_hosts_and_expected_addresses_follow_the_state_file(tmp_path: Path) -> None:
    (tmp_path / "inventory.toml").write_text(INVENTORY)
    inv = load_inventory(tmp_path / "inventory.toml")
    sf = StateFile(tmp_path / "state.json")
    t = {x.site: x for x in targets(inv, sf.load())}
    assert t["acme"].name == "www.acme.example.test" and t["globex"].name == "globex.example.test"
    assert (t["acme"].host, t["acme"].expected, t["acme"].qtypes) == ("web1", ("203.0.113.10",), ("A",))
    assert t["initech"].expected == () and "web3 has no public_ip" in (t["initech"].problem or "")

    placement.record_move(sf, "acme", "web2", previous="web1")  # a failover
    t = {x.site: x for x in targets(inv, StateFile(sf.path).load())}  # a restarted cockpit reads the file
    assert (t["acme"].host, t["acme"].expected, t["acme"].qtypes) == (
        "web2", ("203.0.113.20", "2001:db8::20"), ("A", "AAAA"))
    assert t["acme"].a == ("203.0.113.20",) and t["acme"].aaaa == ("2001:db8::20",)
    assert t["globex"].host == "web1"  # only the site that moved

    placement.record_move(sf, "globex", "gone-host", previous="web1")  # a host no longer in the inventory
    assert {x.site: x.host for x in targets(inv, sf.load())}["globex"] == "web1"
