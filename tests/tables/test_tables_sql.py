"""Statements the checker sends: quoted identifiers, one table, never QUICK."""

from __future__ import annotations

import shlex

import pytest

from cockpit.tables.dump import dump_command
from cockpit.tables.sql import check_table, discover, discover_names, literal, quote_ident, table_stats


def test_identifiers_are_quoted_and_backticks_doubled() -> None:
    assert quote_ident("worker") == "`worker`"
    assert quote_ident("old `import` 2019") == "`old ``import`` 2019`"
    assert check_table("acme", "old `import` 2019") == "CHECK TABLE `acme`.`old ``import`` 2019`"
    with pytest.raises(ValueError):
        quote_ident("a\x00b")


def test_default_check_is_used_and_extended_on_demand_never_quick() -> None:
    assert check_table("acme", "worker") == "CHECK TABLE `acme`.`worker`"
    assert check_table("acme", "worker", extended=True).endswith(" EXTENDED")
    assert "QUICK" not in check_table("acme", "worker") + check_table("acme", "worker", extended=True)


def test_discovery_passes_database_names_as_parameters() -> None:
    sql, args = discover(["acme", "x'); DROP DATABASE y; --"])
    assert args == ["acme", "x'); DROP DATABASE y; --"]
    assert "DROP" not in sql and sql.count("%s") == 2


def test_names_sent_without_parameters_are_hex_literals_never_raw_text() -> None:
    hostile = "x'); DROP DATABASE y; -- `\\"
    assert literal(hostile) == "_utf8mb4 X'" + hostile.encode().hex() + "'"
    for sql in (discover_names(["acme", hostile]), table_stats(hostile), table_stats("acme", hostile)):
        assert "DROP" not in sql and "`" not in sql and "\\" not in sql
    assert table_stats("acme", "worker").count("_utf8mb4 X'") == 2
    assert "TABLE_ROWS" in table_stats("acme") and "TABLE_ROWS" not in discover_names(["acme"])


def test_dump_command_quotes_every_value_and_keeps_credentials_off_the_command_line() -> None:
    cmd = dump_command("acme", ["old `import` 2019", "worker"], "/var/tmp/acme dump.sql", port=3306,
                       address="127.0.0.1")
    assert "--defaults-extra-file=/dev/stdin" in cmd
    assert "password" not in cmd
    first = cmd.split(" > ")[0].removeprefix("umask 077 && ")
    assert shlex.split(first)[-3:] == ["acme", "old `import` 2019", "worker"]
    assert "'/var/tmp/acme dump.sql.part'" in cmd
