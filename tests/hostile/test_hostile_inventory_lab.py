"""Inventory values that end up in remote shell commands and SQL, made hostile,
run for real against the lab: every one is quoted (or rejected by the loader,
see test_hostile_inventory_load.py), and a canary file that any injected
command would create never appears, on the host or here.

Commands are the cockpit's own builders, run through the engine's SshPool on
a real lab host; SQL is the checker's own statement run by the host's real
MariaDB client (which would execute an injected second statement)."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import shlex
from pathlib import Path

import pytest

from cockpit.actions import cron_commands, maintenance, mydumper_sql, restore_sql
from cockpit.actions.targets import Target, TargetKind
from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.tables import sql
from cockpit.transfers import remote
from cockpit.transfers.plan import ImportPlan

pytestmark = [pytest.mark.lab]

CANARY = f"/tmp/cockpit-canary-{secrets.token_hex(6)}"
HOSTILE = [f"$(touch {CANARY})", f"`touch {CANARY}`", f"; touch {CANARY}", f"' ; touch {CANARY} ; '",
           f'" ; touch {CANARY} ; "', f"| touch {CANARY}", f"&& touch {CANARY}", f"\\$(touch {CANARY})",
           f"$(touch${{IFS}}{CANARY})", f"x\r; touch {CANARY}", "-rf /", "*", "~root", "$HOME", "%s%n"]


def commands(value: str) -> list[tuple[str, str, bytes | None]]:
    """(what, command, stdin) for every builder that takes an inventory value."""
    plan = ImportPlan(site="acme", source_host="backup1", source_path=f"/backup/{value}/",
                      destination_host="web1", destination_path=f"/storage/{value}/",
                      state_dir=f"/etc/passwd/{value}", temp_dir=f"/etc/passwd/{value}.tmp",
                      remote_source=f"root@127.0.0.1:/backup/{value}/", import_args=("--partial",),
                      verify_args=("--dry-run",))
    return [
        ("restore: probe backup", restore_sql.probe_backup_command(f"/nonexistent/{value}", f"t{value}"), None),
        ("restore: table section", restore_sql.section_command(f"/nonexistent/{value}", f"t{value}"), None),
        ("restore: backup tables", restore_sql.backup_tables_command(f"/nonexistent/{value}"), None),
        ("restore: mydumper probe", mydumper_sql.probe_command(f"/nonexistent/{value}", f"d{value}", f"t{value}"),
         None),
        ("restore: mydumper section", mydumper_sql.section_command(f"/nonexistent/{value}", f"d{value}", f"t{value}"),
         None),
        ("restore: mydumper tables", mydumper_sql.tables_command(f"/nonexistent/{value}"), None),
        ("import: start (state dir cannot be made)", remote.start_command(plan, "import"), b"{}\n"),
        ("import: cancel", remote.cancel_command(plan, value), None),
        ("import: status", remote.status_command(f"/nonexistent/{value}", "0123456789abcdef", [value]), None),
        ("cron: timers from a host", cron_commands.timers_command("status", [value]), None),
    ]


async def test_hostile_paths_names_and_hook_values_never_run_a_command(lab: Lab) -> None:
    inv = load_inventory(lab.inventory_path)
    e = Engine(inv)
    try:
        ran = 0
        for value in HOSTILE:
            for what, command, stdin in commands(value):
                r = await e.pool.run("web1", command, timeout=30, stdin=stdin)
                assert r.stdout is not None, what
                ran += 1
            # maintenance hooks: the operator's command gets the site's values in its environment, verbatim
            site = dataclasses.replace(inv.sites[0], name=value, hostname=value, database=value)
            target = Target(TargetKind.SITE, value, inv.host(inv.sites[0].host), site)
            cmd = maintenance.hook_command("maintenance_on", target,
                                           'printf "%s|%s|%s" "$COCKPIT_SITE" "$COCKPIT_HOSTNAME" "$COCKPIT_DATABASE"')
            r = await e.pool.run("web1", cmd, timeout=30)
            assert r.stdout.decode() == "|".join([value] * 3)
            r = await e.pool.run("web1", cron_commands.hook_command(f"printf %s {shlex.quote(value)}"), timeout=30)
            assert r.stdout.decode() == value
            ran += 2
        r = await e.pool.run("web1", f"test -e {CANARY} && echo FOUND || echo absent", timeout=30)
        assert r.stdout.decode().strip() == "absent", f"an injected command ran on web1 ({ran} commands)"
        assert not await asyncio.to_thread(Path(CANARY).exists)
    finally:
        await e.close()


async def test_hostile_table_names_are_one_quoted_identifier_in_real_sql(lab: Lab) -> None:
    """A CHECK of a table whose name tries to close the identifier and add a statement: the
    server sees one statement about one (missing) table; the canary table is never created."""
    e = Engine(load_inventory(lab.inventory_path))
    try:
        canary = f"canary_{secrets.token_hex(4)}"
        for name in [f"x`; CREATE TABLE acme.{canary} (i INT); -- ", f"x``; CREATE TABLE acme.{canary} (i INT);#",
                     f"x'; CREATE TABLE acme.{canary} (i INT); -- ", f'x"; CREATE TABLE acme.{canary} (i INT);',
                     f"x\\`; CREATE TABLE acme.{canary} (i INT);"]:
            stmt = sql.check_table("acme", name)
            r = await e.pool.run("web1", f"mariadb --batch -e {shlex.quote(stmt)}", timeout=60)
            out = r.stdout.decode() + r.stderr.decode()
            # one statement about one table (the whole name): "doesn't exist" or "Incorrect table name"
            assert out.count("doesn't exist") == 1 or "Incorrect table name" in out, out
        count = f"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = '{canary}'"
        r = await e.pool.run("web1", f"mariadb --batch --skip-column-names -e {shlex.quote(count)}", timeout=60)
        assert r.stdout.decode().strip() == "0"
    finally:
        await e.close()
