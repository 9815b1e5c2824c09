"""MySQL credentials: from an env var or an option file; errors name the place, never the secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit import secrets
from cockpit.inventory.model import MySQL
from cockpit.transport.mysql_credentials import CredentialError, credentials_for


def test_password_from_the_environment_is_registered_as_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_COCKPIT_PW", "s3cret-from-env")
    c = credentials_for(MySQL(user="cockpit", password_env="TEST_COCKPIT_PW"))
    assert (c.user, c.password) == ("cockpit", "s3cret-from-env")
    assert "s3cret" not in repr(c)
    assert secrets.scrub_text("x s3cret-from-env y") == f"x {secrets.MASK} y"


def test_a_missing_env_var_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_COCKPIT_NOPE", raising=False)
    with pytest.raises(CredentialError, match="TEST_COCKPIT_NOPE"):
        credentials_for(MySQL(password_env="TEST_COCKPIT_NOPE"))


def test_option_file_client_group(tmp_path: Path) -> None:
    f = tmp_path / "my.cnf"
    f.write_text('[mysqld]\npassword = not-this\n[client]\n# comment\nuser = "site_ro"\npassword = "p#ss w\\"d"\n')
    c = credentials_for(MySQL(option_file=str(f)))
    assert (c.user, c.password) == ("site_ro", 'p#ss w"d')
    assert b'password = "p#ss w\\"d"' in c.option_file_text()


def test_option_file_problems_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(CredentialError, match="does not exist"):
        credentials_for(MySQL(option_file=str(tmp_path / "nope.cnf")))
    f = tmp_path / "my.cnf"
    f.write_text("[client]\nuser = x\n")
    with pytest.raises(CredentialError, match=f"{f}.*no password"):
        credentials_for(MySQL(option_file=str(f)))
