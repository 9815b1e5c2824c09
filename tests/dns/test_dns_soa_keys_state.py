"""SOA lagging, TSIG key files, and what the DNS work keeps in the state file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from dnsdata import NS1, NS2, NS3, T0, message

from cockpit.dns import changes
from cockpit.dns.keyfile import KeyFileError, parse_key_file
from cockpit.dns.model import DnsChange, SoaStatus
from cockpit.dns.soa import mark_lagging, serial_lt
from cockpit.dns.update import build_update
from cockpit.engine import placement
from cockpit.engine.statefile import StateFile
from cockpit.inventory.model import Defaults, Host, Inventory, Site

SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="


def test_captured_soa_serial_and_lagging_flag() -> None:
    serial = message("auth_soa.bin").answer[0][0].serial
    st = mark_lagging([SoaStatus(NS1, serial + 1, T0), SoaStatus(NS2, serial + 1, T0), SoaStatus(NS3, serial, T0),
                       SoaStatus(NS3, None, T0, error="timeout")])
    assert [s.lagging for s in st] == [False, False, True, False]


def test_serial_arithmetic_wraps() -> None:
    assert serial_lt(1, 2) and not serial_lt(2, 1) and not serial_lt(5, 5)
    assert serial_lt(2**32 - 10, 5)  # RFC 1982: 5 comes after a wrapped serial


def test_key_file_parses_tsig_keygen_output() -> None:
    text = f'# made by tsig-keygen\nkey "cockpit-key" {{\n\talgorithm hmac-sha256;\n\tsecret "{SECRET}";\n}};\n'
    k = parse_key_file(text)
    assert (k.name, k.algorithm, k.secret) == ("cockpit-key", "hmac-sha256", SECRET)
    assert SECRET not in repr(k)
    with pytest.raises(KeyFileError, match="no key named"):
        parse_key_file(text, "other")
    with pytest.raises(KeyFileError) as e:
        parse_key_file('key "k" { algorithm hmac-sha256; secret "not base64!"; };')
    assert "not base64" not in str(e.value).replace("not valid base64", "")


def test_a_secret_with_slashes_is_not_taken_for_a_comment() -> None:
    # base64 has "/", so about one random lab secret in a hundred holds "//" (CI at bf6168f failed on one)
    secret = "ab//cd+/ef//Zm9vYmFy//4xMjM0NTY3ODkwYWJjZA=="
    text = (f'/* a C comment */ key "cockpit-key" {{ // the key\n  algorithm hmac-sha256; # hash\n'
            f'  secret "{secret}";\n}};\n')
    assert parse_key_file(text).secret == secret
    # a comment still hides what it comments out
    with pytest.raises(KeyFileError, match="no algorithm or no secret"):
        parse_key_file(f'key "k" {{ algorithm hmac-sha256; // secret "{secret}";\n}};')


def test_update_message_replaces_a_and_deletes_aaaa() -> None:
    import dns.tsigkeyring

    ring = dns.tsigkeyring.from_text({"cockpit-key": ("hmac-sha256", SECRET)})
    upd = build_update("example.test", "acme.example.test", ["203.0.113.20"], ttl=300, keyring=ring,
                       keyname=dns.name.from_text("cockpit-key"), algorithm="hmac-sha256")
    parsed = dns.message.from_wire(upd.to_wire(), keyring=ring)  # verifies the signature too
    text = parsed.to_text()
    assert "acme.example.test. ANY A\n" in text and "acme.example.test. 300 IN A 203.0.113.20" in text
    assert "acme.example.test. ANY AAAA" in text
    assert parsed.had_tsig and SECRET not in text


def test_changes_survive_a_restart_and_broken_entries_are_skipped(tmp_path: Path) -> None:
    sf = StateFile(tmp_path / "state.json")
    changes.record(sf, DnsChange("acme", "acme.example.test", T0, ("203.0.113.10",), ("203.0.113.20",), 300))
    sf.update(lambda s: s["dns_changes"].__setitem__("broken", {"at": "yesterday", "old_ttl": "x"}))
    got = changes.read(StateFile(tmp_path / "state.json").load())
    assert list(got) == ["acme"]
    assert got["acme"].at == T0 and got["acme"].old_ttl == 300 and got["acme"].old_addresses == ("203.0.113.10",)


def _inv(tmp_path: Path) -> Inventory:
    return Inventory(path=tmp_path / "inv.toml", defaults=Defaults(),
                     hosts=(Host("web1", "198.18.0.101", public_ip="203.0.113.10"),
                            Host("web2", "198.18.0.102", role="standby", public_ip="203.0.113.20")),
                     sites=(Site("acme", "web1", standby="web2"),))


def test_site_placement_after_failover_is_persisted(tmp_path: Path) -> None:
    inv = _inv(tmp_path)
    sf = StateFile(tmp_path / "state.json")
    assert placement.current_host(sf.load(), inv.sites[0], inv) == "web1"
    placement.record_move(sf, "acme", "web2", previous="web1", at=T0 + timedelta(seconds=5))
    assert placement.current_host(StateFile(tmp_path / "state.json").load(), inv.sites[0], inv) == "web2"
    sf.update(lambda s: s["site_hosts"]["acme"].__setitem__("host", "gone-host"))
    assert placement.current_host(sf.load(), inv.sites[0], inv) == "web1"  # an unknown host is ignored
    placement.forget_move(sf, "acme")
    assert "acme" not in sf.load()["site_hosts"]
