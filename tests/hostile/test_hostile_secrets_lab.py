"""Secrets never leave: a realistic run against the lab (a sweep with MySQL
CHECKs and DNS, actions that succeed, fail and dry-run a TSIG failover, a
login that fails, the timeline), every command with --debug; then every byte
it printed (stdout, stderr, tracebacks included) and every file it wrote
(audit, timeline, state) is searched for the lab's MySQL password and TSIG
secret. Everything the cockpit wrote is 0600 (files) / 0700 (directories)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.lab import Lab
from cockpit.lab.services import mariadb_conf
from cockpit.lab.services.dns_bind import tsig_key_path

pytestmark = [pytest.mark.lab]


def cockpit(env: dict[str, str], *args: str) -> str:
    p = subprocess.run([sys.executable, "-m", "cockpit", *args], capture_output=True, text=True, env=env,
                       check=False, timeout=600, stdin=subprocess.DEVNULL)
    return f"$ cockpit {' '.join(args)} -> {p.returncode}\n{p.stdout}\n{p.stderr}\n"


def test_a_realistic_run_prints_and_writes_no_secret(lab: Lab, tmp_path: Path) -> None:
    password = mariadb_conf.lab_password(lab.dir)
    tsig = re.search(r'secret\s+"([^"]+)"', tsig_key_path(lab).read_text())
    assert tsig is not None and len(password) >= 8
    secrets = {"MySQL password": password, "TSIG secret": tsig.group(1)}
    state = tmp_path / "state"
    env = {**os.environ, "XDG_STATE_HOME": str(state), "COCKPIT_INVENTORY": str(lab.inventory_path)}
    # the real password for a user MariaDB refuses: the login failure path, with the secret in hand
    cnf = mariadb_conf.client_cnf_path(lab.dir)
    wrong_cnf = tmp_path / "wrong-user.cnf"
    wrong_cnf.write_text(re.sub(r"(?m)^user\s*=.*$", "user = nobody", cnf.read_text()))
    wrong_cnf.chmod(0o600)
    wrong_user = tmp_path / "wrong-user.toml"
    wrong_user.write_text(lab.inventory_path.read_text().replace(str(cnf), str(wrong_cnf)))
    assert str(wrong_cnf) in wrong_user.read_text() and "user = nobody" in wrong_cnf.read_text()

    out = "".join([
        cockpit(env, "check-config"),
        cockpit(env, "--debug", "status", "--json"),
        cockpit(env, "--debug", "status"),
        cockpit(env, "action", "--debug", "--yes", "recheck", "acme"),
        cockpit(env, "action", "--debug", "--dry-run", "failover-site", "acme"),  # loads the TSIG key
        cockpit(env, "action", "--debug", "--yes", "restore-table", "acme.no_such_table"),  # fails
        cockpit(env, "--debug", "--inventory", str(wrong_user), "status", "--json"),  # MySQL login refused
        cockpit(env, "timeline"),
        cockpit(env, "timeline", "--json"),
    ])
    Path(os.environ.get("COCKPIT_SECRETS_RUN_LOG", os.devnull)).write_text(out)
    assert "-> " in out and "13 tables checked" in out  # the commands really ran
    assert "Access denied for user 'nobody'" in out  # and the login really failed
    written = [p for p in state.rglob("*")]
    assert any(p.name.startswith("audit") for p in written), [str(p) for p in written]
    for what, secret in secrets.items():
        assert secret not in out, f"the {what} was printed"
        for p in written:
            if p.is_file():
                assert secret.encode() not in p.read_bytes(), f"the {what} is in {p}"
    for p in [state / "cockpit", *written]:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), f"{p} has mode {mode:04o}"
