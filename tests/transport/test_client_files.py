"""known_hosts and identity files are parsed once for all connections, and again when they change."""

from __future__ import annotations

from pathlib import Path

import asyncssh

from cockpit.transport import hostkeys
from cockpit.transport.client_files import ClientFiles


def key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


def trusted(kh: asyncssh.SSHKnownHosts, address: str) -> set[bytes]:
    return {k.public_data for k in kh.match(address, address, 22)[0]}


def test_known_hosts_is_parsed_once_and_again_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "known_hosts"
    first, second = key(), key()
    hostkeys.record_key(path, "198.18.0.101", 22, first, replace=False)
    files = ClientFiles()
    kh = files.known_hosts(path)
    assert files.known_hosts(path) is kh and files.loads == 1
    assert trusted(kh, "198.18.0.101") == {first.public_data}

    hostkeys.record_key(path, "198.18.0.101", 22, second, replace=True)  # an operator accepted a new key
    assert trusted(files.known_hosts(path), "198.18.0.101") == {second.public_data}
    assert files.loads == 2


def test_identity_file_is_loaded_once(tmp_path: Path) -> None:
    path = tmp_path / "id_ed25519"
    k = key()
    k.write_private_key(path)
    files = ClientFiles()
    pairs = files.client_keys(path)
    assert files.client_keys(path) is pairs and files.loads == 1
    assert [p.public_data for p in pairs] == [k.public_data]
