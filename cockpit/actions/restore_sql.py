"""The SQL and shell of a table restore (pure functions, every value quoted).

The table's section of a ``mariadb-dump`` file is cut out on the host with awk
(the dump's header of SET statements, then from the table's ``-- Table
structure for table `T``` line up to the next table, view or routine section)
on the backup's host, and streamed into the target's ``mariadb`` client
(:mod:`cockpit.actions.stream`), which loads it into a scratch schema.
"""

from __future__ import annotations

import shlex
from datetime import datetime

from cockpit.tables.sql import quote_ident

SCRATCH_PREFIX = "cockpit_restore_"

_AWK = r"""BEGIN { n = split(ENVIRON["COCKPIT_HDR"], h, "\n"); for (i = 1; i <= n; i++) want[h[i]] = 1 }
/^-- (Table structure for table|Temporary table structure for view)/ { started = 1; intable = ($0 in want) }
/^-- (Final view structure for view|Dumping routines|Dumping events)/ { started = 1; intable = 0 }
!started { print; next }
intable { print }
"""


def scratch_schema(database: str) -> str:
    return (SCRATCH_PREFIX + database)[:64]


def aside_name(table: str, at: datetime, why: str = "corrupt") -> str:
    """``worker__corrupt_20261125T1930`` (cut to MySQL's 64 characters)."""
    suffix = f"__{why}_{at.strftime('%Y%m%dT%H%M')}"
    return table[: 64 - len(suffix)] + suffix


def header_line(table: str) -> str:
    return f"-- Table structure for table {quote_ident(table)}"


def probe_backup_command(backup: str, table: str) -> str:
    """Prints ``date`` (mtime) of the backup and ``has`` or ``missing`` for the table."""
    q = shlex.quote
    return (f"f={q(backup)}; [ -r \"$f\" ] || {{ echo unreadable; exit 0; }}; stat -c 'date %y' \"$f\"; "
            f"if grep -Fqx -- {q(header_line(table))} \"$f\"; then echo has; else echo missing; fi")


def section_command(backup: str, *tables: str) -> str:
    """Print the dump's header and the sections of ``tables`` (to pipe into a client elsewhere): one pass
    over the dump however many tables are wanted."""
    q = shlex.quote
    return f"COCKPIT_HDR={q(chr(10).join(header_line(t) for t in tables))} awk {q(_AWK)} {q(backup)}"


def backup_tables_command(backup: str) -> str:
    """The tables a dump holds, one ``-- Table structure for table `T``` line each, and its date."""
    q = shlex.quote
    return (f"f={q(backup)}; [ -r \"$f\" ] || {{ echo unreadable; exit 0; }}; stat -c 'date %y' \"$f\"; "
            "grep -- '^-- Table structure for table ' \"$f\"")


def parse_backup_tables(text: str) -> tuple[str | None, list[str]]:
    """(date, tables) from :func:`backup_tables_command`; date None when unreadable."""
    prefix = "-- Table structure for table `"
    date, tables = None, []
    for line in text.splitlines():
        if line.startswith("date "):
            date = line[5:].strip()
        elif line.startswith(prefix) and line.endswith("`"):
            tables.append(line[len(prefix):-1].replace("``", "`"))
    return date, tables


def shown_load(backup: str, table: str, scratch: str) -> str:
    """What the plan shows for the load (the awk program abbreviated)."""
    return (f"awk '<the dump header, then the section of table {table}>' {shlex.quote(backup)} "
            f"| mariadb {shlex.quote(scratch)}")


def create_scratch(scratch: str) -> str:
    return f"CREATE DATABASE IF NOT EXISTS {quote_ident(scratch)}"


def swap(database: str, table: str, aside: str, scratch: str) -> str:
    """One statement: the corrupt table aside and the restored one in."""
    db, t = quote_ident(database), quote_ident(table)
    return (f"RENAME TABLE {db}.{t} TO {db}.{quote_ident(aside)}, "
            f"{quote_ident(scratch)}.{t} TO {db}.{t}")


def count(database: str, table: str) -> str:
    return f"SELECT COUNT(*) FROM {quote_ident(database)}.{quote_ident(table)}"


def asides(database: str, table: str) -> tuple[str, list[str]]:
    """Tables set aside by earlier restores of ``table``."""
    return ("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s AND TABLE_NAME LIKE %s",
            [database, table.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "\\_\\_corrupt\\_%"])


def exists(database: str, table: str) -> tuple[str, list[str]]:
    return ("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
            [database, table])
