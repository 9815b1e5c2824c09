"""The shell that reads one table out of a mydumper directory, run by sh on
directories the real mydumper (Debian 12's 0.10) wrote: tests/data/actions/
mydumper_acme_plain and mydumper_acme_chunked_gz (``--rows 10 -c``), database
acme with tables note (30 rows), worker (3 rows) and a view v."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cockpit.actions import mydumper_sql as md

DATA = Path(__file__).resolve().parents[1] / "data" / "actions"
DIRS = ("mydumper_acme_plain", "mydumper_acme_chunked_gz")


def sh(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=30, check=False)


@pytest.mark.parametrize("name", DIRS)
def test_probe_finds_tables_and_not_views(name: str) -> None:
    d = str(DATA / name)
    out = sh(md.probe_command(d, "acme", "note")).stdout.split("\n")
    assert out[0].startswith("date 2026-") and out[1] == "has"  # metadata's "Started dump at"
    assert sh(md.probe_command(d, "acme", "nosuch")).stdout.split("\n")[1] == "missing"
    assert sh(md.probe_command(d, "acme", "v")).stdout.split("\n")[1] == "missing (a view)"
    assert sh(md.probe_command(d, "other", "note")).stdout.split("\n")[1] == "missing"  # another database
    assert sh(md.probe_command(d + "/nope", "acme", "note")).stdout.strip() == "unreadable"


@pytest.mark.parametrize("name", DIRS)
def test_tables_of_the_directory(name: str) -> None:
    date, tables = md.parse_tables(sh(md.tables_command(str(DATA / name))).stdout, "acme")
    assert date is not None and date.startswith("2026-")
    assert tables == ["note", "worker"]  # the view's stand-in table is not a table to restore
    assert md.parse_tables(sh(md.tables_command(str(DATA / "nope"))).stdout, "acme") == (None, [])


@pytest.mark.parametrize("name", DIRS)
def test_section_is_the_create_then_every_chunk_in_order(name: str) -> None:
    p = sh(md.section_command(str(DATA / name), "acme", "note"))
    assert p.returncode == 0, p.stderr
    sql = p.stdout
    assert sql.index("CREATE TABLE `note`") < sql.index("INSERT INTO `note`")
    ids = [int(line[1:].split(",")[0]) for line in sql.splitlines() if line[:1] == "(" and line[1:2].isdigit()]
    assert ids == list(range(1, 31))  # all 30 rows, chunks decompressed in order
    assert "worker" not in sql and "USE " not in sql  # only this table, into the client's schema


def test_section_of_a_table_without_schema_file_fails() -> None:
    p = sh(md.section_command(str(DATA / DIRS[0]), "acme", "note", "nosuch"))
    assert p.returncode == 4 and "no acme.nosuch-schema.sql" in p.stderr


def test_hostile_directory_and_names_are_quoted(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    evil = f"/x/$(touch {canary})/`touch {canary}`; touch {canary}"
    for cmd in (md.probe_command(evil, "a", "t"), md.section_command(evil, "a", "t"), md.tables_command(evil)):
        sh(cmd)
    assert not canary.exists()


def test_section_of_two_tables_reads_both_in_one_pass() -> None:
    p = sh(md.section_command(str(DATA / DIRS[1]), "acme", "worker", "note"))
    assert p.returncode == 0, p.stderr
    assert p.stdout.index("CREATE TABLE `worker`") < p.stdout.index("CREATE TABLE `note`")
    assert "CREATE TABLE `v`" not in p.stdout
