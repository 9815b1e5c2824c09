"""The SQL the table checker sends: identifiers always quoted, values always parameters."""

from __future__ import annotations

from collections.abc import Sequence


def quote_ident(name: str) -> str:
    """A MySQL identifier in backticks (a backtick inside is doubled). NUL cannot be quoted."""
    if "\x00" in name:
        raise ValueError("an identifier cannot contain NUL")
    return "`" + name.replace("`", "``") + "`"


def qualified(database: str, table: str) -> str:
    return f"{quote_ident(database)}.{quote_ident(table)}"


def check_table(database: str, table: str, *, extended: bool = False) -> str:
    """One table per statement, the default check (never QUICK: it misses
    corrupt MyISAM and Aria data files), or EXTENDED on demand."""
    return f"CHECK TABLE {qualified(database, table)}" + (" EXTENDED" if extended else "")


def discover(databases: Sequence[str]) -> tuple[str, list[str]]:
    """The base tables of ``databases`` with engine, rows and sizes (views skipped)."""
    marks = ", ".join(["%s"] * len(databases))
    sql = ("SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH, TABLE_COMMENT "
           "FROM information_schema.TABLES "
           f"WHERE TABLE_SCHEMA IN ({marks}) AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') "
           "ORDER BY TABLE_SCHEMA, TABLE_NAME")
    return sql, list(databases)
