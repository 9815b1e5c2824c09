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


def literal(value: str) -> str:
    """A string as an SQL literal that needs no escaping (for statements sent without
    parameters, e.g. in a multi-statement batch): hex digits under a charset introducer."""
    return "_utf8mb4 X'" + value.encode("utf-8", "surrogateescape").hex() + "'"


_STATS_COLUMNS = "TABLE_SCHEMA, TABLE_NAME, ENGINE, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH, TABLE_COMMENT"
_BASE_TABLES = "TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')"  # views skipped


def discover_names(databases: Sequence[str]) -> str:
    """The base tables of ``databases`` and their engines: read from the table
    definitions only (no table is opened), so it is quick even for thousands.
    Names as :func:`literal` (the check sessions accept several statements)."""
    names = ", ".join(literal(d) for d in databases)
    return ("SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE FROM information_schema.TABLES "
            f"WHERE TABLE_SCHEMA IN ({names}) AND {_BASE_TABLES} ORDER BY TABLE_SCHEMA, TABLE_NAME")


def table_stats(database: str, table: str | None = None) -> str:
    """Rows, sizes and comment of one database's base tables (or one table): this
    opens each table, so it is sent along with the database's CHECKs, which open
    them too (one open, not two)."""
    only = f" AND TABLE_NAME = {literal(table)}" if table is not None else ""
    return (f"SELECT {_STATS_COLUMNS} FROM information_schema.TABLES "
            f"WHERE TABLE_SCHEMA = {literal(database)}{only} AND {_BASE_TABLES} ORDER BY TABLE_NAME")


def discover(databases: Sequence[str]) -> tuple[str, list[str]]:
    """The base tables of ``databases`` with engine, rows and sizes (views skipped)."""
    marks = ", ".join(["%s"] * len(databases))
    sql = (f"SELECT {_STATS_COLUMNS} FROM information_schema.TABLES "
           f"WHERE TABLE_SCHEMA IN ({marks}) AND {_BASE_TABLES} ORDER BY TABLE_SCHEMA, TABLE_NAME")
    return sql, list(databases)
