"""One table out of a mydumper directory (pure functions, every value quoted).

mydumper writes, per table, ``DB.T-schema.sql`` (its CREATE TABLE) and its
rows in ``DB.T.sql`` or, chunked (``--rows``), ``DB.T.00000.sql``,
``DB.T.00001.sql`` ...; each may be compressed (``.gz``; ``.zst`` in newer
versions). The dump's time is the ``Started dump at:`` line of ``metadata``.
None of these files name the database (no ``USE``), so the printed SQL loads
into whatever schema the client is given: the restore's scratch schema.

Table names the cockpit accepts are ``[A-Za-z0-9_$]`` and database names
``[A-Za-z0-9._-]``, which mydumper writes into file names unescaped.
"""

from __future__ import annotations

import re
import shlex

# a view has both (its -schema.sql is a stand-in table): it is not a table to restore
_SCHEMA_RE = re.compile(r"^(?P<name>.+)-schema(?P<view>-view)?\.sql(\.gz|\.zst)?$")

# emit FILE: print it, decompressed by its suffix
_EMIT = ('emit() { case "$1" in *.gz) gzip -dc -- "$1" ;; *.zst) zstd -qdc -- "$1" ;; *) cat -- "$1" ;; esac; }; ')


def _date() -> str:
    """Print ``date <when the dump started>`` (from metadata, else the directory's mtime)."""
    return ("w=$(sed -n 's/^Started dump at: //p' metadata 2>/dev/null | head -n 1); "
            "[ -n \"$w\" ] || w=$(stat -c %y . ); echo \"date $w\"; ")


def _enter(directory: str) -> str:
    q = shlex.quote(directory)
    return f"[ -d {q} ] && [ -r {q} ] && cd -- {q} || {{ echo unreadable; exit 0; }}; "


def probe_command(directory: str, database: str, table: str) -> str:
    """Prints ``date ...`` and ``has`` or ``missing`` for the table (``unreadable``: no such directory)."""
    p = shlex.quote(f"{database}.{table}")
    return (_enter(directory) + _date() + f"P={p}; "
            'for f in "$P"-schema-view.sql "$P"-schema-view.sql.gz "$P"-schema-view.sql.zst; do '
            '[ -f "$f" ] && { echo "missing (a view)"; exit 0; }; done; '
            'for f in "$P"-schema.sql "$P"-schema.sql.gz "$P"-schema.sql.zst; do '
            '[ -f "$f" ] && { echo has; exit 0; }; done; echo missing')


def section_command(directory: str, database: str, *tables: str) -> str:
    """Print each table's CREATE TABLE then its rows, in chunk order (to pipe into a client).

    Exits 4 when a table has no schema file, 5 when a file cannot be read or decompressed."""
    q = shlex.quote
    names = " ".join(q(f"{database}.{t}") for t in tables)
    return (f"cd -- {q(directory)} || exit 3; " + _EMIT +
            f"for P in {names}; do s=; "
            'for f in "$P"-schema.sql "$P"-schema.sql.gz "$P"-schema.sql.zst; do [ -f "$f" ] && s=$f; done; '
            '[ -n "$s" ] || { echo "no $P-schema.sql in the mydumper directory" >&2; exit 4; }; '
            'emit "$s" || exit 5; echo; '
            'for f in "$P".sql "$P".sql.gz "$P".sql.zst "$P".[0-9]*.sql "$P".[0-9]*.sql.gz "$P".[0-9]*.sql.zst; do '
            '[ -f "$f" ] || continue; emit "$f" || exit 5; echo; done; done')


def tables_command(directory: str) -> str:
    """``date ...`` then the directory's file names, one a line (``unreadable``: no such directory)."""
    return _enter(directory) + _date() + "ls -1"


def parse_tables(text: str, database: str) -> tuple[str | None, list[str]]:
    """(date, tables of ``database``) from :func:`tables_command`; date None when unreadable."""
    date: str | None = None
    tables: set[str] = set()
    views: set[str] = set()
    prefix = database + "."
    for line in text.splitlines():
        if line.startswith("date "):
            date = line[5:].strip()
            continue
        m = _SCHEMA_RE.match(line)
        if m and m["name"].startswith(prefix) and "." not in m["name"][len(prefix):]:
            (views if m["view"] else tables).add(m["name"][len(prefix):])
    return date, sorted(tables - views)


def shown(directory: str, database: str, *tables: str) -> str:
    """What the plan shows for reading the tables out of the directory."""
    d = directory.rstrip("/")
    return " ".join(f"cat {shlex.quote(f'{d}/{database}.{t}-schema.sql')} "
                    f"{shlex.quote(f'{d}/{database}.{t}')}{{.sql,.NNNNN.sql}}[.gz|.zst];" for t in tables)

