"""A secret file (MySQL option file, TSIG key file, SSH identity file) that
other local users can read gets a warning naming the file, the inventory key
and the fix: from check-config (and every command that loads the inventory)
and in the TUI at start-up (cockpit.secret_files, called by screens/app.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cockpit.inventory import load_inventory
from cockpit.secret_files import exposed_secret_files

INVENTORY = """
[defaults]
identity_file = "{ident}"

[mysql]
option_file = "{opt}"

[[hosts]]
name = "web1"
address = "198.18.0.101"

[dns]
zone = "example.test"
nameservers = [{{name = "ns1", address = "198.18.0.31"}}]
[dns.update]
server = "198.18.0.31"
key_name = "cockpit-key"
key_file = "{key}"
"""


def fleet(tmp: Path, opt: int, key: int, ident: int) -> Path:
    files = {}
    for name, mode in (("my.cnf", opt), ("tsig.key", key), ("id_ed25519", ident)):
        p = tmp / name
        p.write_text("s3cr3t-T0KEN-in-the-file\n")
        p.chmod(mode)
        files[name] = p
    inv = tmp / "inventory.toml"
    inv.write_text(INVENTORY.format(opt=files["my.cnf"], key=files["tsig.key"], ident=files["id_ed25519"]))
    return inv


def test_only_files_others_can_read_are_named_with_their_key(tmp_path: Path) -> None:
    inv = load_inventory(fleet(tmp_path, opt=0o644, key=0o640, ident=0o600))
    found = {e.key: e for e in exposed_secret_files(inv)}
    assert set(found) == {"mysql.option_file", "dns.update.key_file"}
    assert "every local user (mode 0644)" in found["mysql.option_file"].message
    assert "its group (mode 0640)" in found["dns.update.key_file"].message
    assert f"chmod 600 {tmp_path / 'tsig.key'}" in found["dns.update.key_file"].message
    assert exposed_secret_files(load_inventory(fleet(tmp_path, opt=0o600, key=0o400, ident=0o600))) == []


def test_check_config_warns_on_stderr_and_still_succeeds(tmp_path: Path) -> None:
    inv = fleet(tmp_path, opt=0o600, key=0o600, ident=0o604)
    proc = subprocess.run([sys.executable, "-m", "cockpit", "check-config", "--inventory", str(inv)],
                          capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    warning = [ln for ln in proc.stderr.splitlines() if "warning" in ln]
    assert len(warning) == 1 and "SSH identity file" in warning[0] and "defaults.identity_file" in warning[0]
    assert "s3cr3t-T0KEN" not in proc.stdout + proc.stderr  # the file's content is never shown
