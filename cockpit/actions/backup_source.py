"""Where a site's backup is and how to read tables out of it, whatever its format.

A site's ``backup`` lives on ``backup_host`` (default: the site's own
inventory host), which may be neither the server being restored nor the one
it moves to: the commands here run on the backup's host and print SQL, which
the cockpit pipes into the target's ``mariadb`` over its own SSH connections
(:mod:`cockpit.actions.stream`; no host-to-host trust needed).

Formats (``backup_format``): one ``mariadb-dump`` file
(:mod:`cockpit.actions.restore_sql`) or a mydumper directory
(:mod:`cockpit.actions.mydumper_sql`).
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.actions import mydumper_sql as md
from cockpit.actions import restore_sql as rs
from cockpit.inventory.model import Site


@dataclass(frozen=True)
class Backup:
    host: str
    path: str
    format: str  # "mariadb-dump" | "mydumper"
    database: str

    @property
    def mydumper(self) -> bool:
        return self.format == "mydumper"

    @property
    def where(self) -> str:
        kind = "mydumper directory" if self.mydumper else "mariadb-dump file"
        return f"{kind} {self.host}:{self.path}"

    def probe_command(self, table: str) -> str:
        """Prints ``date ...`` and ``has``/``missing`` (or ``unreadable``)."""
        if self.mydumper:
            return md.probe_command(self.path, self.database, table)
        return rs.probe_backup_command(self.path, table)

    def section_command(self, *tables: str) -> str:
        """Prints the SQL that creates and fills ``tables`` in the client's current schema."""
        if self.mydumper:
            return md.section_command(self.path, self.database, *tables)
        return rs.section_command(self.path, *tables)

    def tables_command(self) -> str:
        if self.mydumper:
            return md.tables_command(self.path)
        return rs.backup_tables_command(self.path)

    def parse_tables(self, text: str) -> tuple[str | None, list[str]]:
        """(date, tables) from :meth:`tables_command`'s output; date None when unreadable."""
        if self.mydumper:
            return md.parse_tables(text, self.database)
        return rs.parse_backup_tables(text)

    def shown(self, scratch: str, *tables: str) -> str:
        """The plan's line for loading ``tables`` into ``scratch``."""
        if self.mydumper:
            return f"[{self.host}] {md.shown(self.path, self.database, *tables)} | mariadb {scratch}"
        return f"[{self.host}] {rs.shown_load(self.path, ', '.join(tables), scratch)}"


def site_backup(site: Site) -> Backup | None:
    if site.backup is None:
        return None
    return Backup(site.backup_host or site.host, site.backup, site.backup_format, site.database or site.name)


def parse_probe(text: str) -> tuple[str, bool, bool]:
    """(date, readable, has the table) from a probe's output."""
    lines = text.split()
    date = next((ln[5:].strip() for ln in text.splitlines() if ln.startswith("date ")), "?")
    return date, "unreadable" not in lines, "has" in lines
