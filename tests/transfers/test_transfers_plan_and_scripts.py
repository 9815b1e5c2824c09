"""Import plans from the inventory, and the remote shell run for real by a local sh."""

from __future__ import annotations

import dataclasses
import shlex
import subprocess
from pathlib import Path

import pytest

from cockpit.inventory.model import Defaults, Host, Inventory, Site, Storage
from cockpit.transfers import remote
from cockpit.transfers.dump import parse_dump
from cockpit.transfers.plan import PlanError, candidate_destinations, plan_import


def inventory(**storage: object) -> Inventory:
    hosts = (Host("web1", "198.18.0.101"), Host("web2", "198.18.0.102"),
             Host("backup1", "198.18.0.109", ssh_user="root", ssh_port=2222))
    sites = (Site("acme", host="web1", standby="web2", storage="/storage/acme"),
             Site("globex", host="web1", storage="/storage/globex", storage_source="web2"),
             Site("nostore", host="web1"))
    return Inventory(path=Path("/x/inventory.toml"), defaults=Defaults(), hosts=hosts, sites=sites,
                     storage=Storage(source="backup1", **storage))  # type: ignore[arg-type]


def test_the_import_pulls_on_the_standby_with_the_cockpits_options_first() -> None:
    p = plan_import(inventory(bwlimit_kbps=500), "acme")
    assert (p.source_host, p.destination_host) == ("backup1", "web2")
    assert p.remote_source == "198.18.0.109:/backup/storage/acme/"
    assert p.destination_path == "/storage/acme/"
    assert p.import_args[:3] == ("-a", "--info=progress2", "--no-inc-recursive")
    assert p.import_args.index("--partial") > p.import_args.index("--no-inc-recursive")
    assert "--bwlimit=500" in p.import_args
    assert "--delete" not in p.import_args and "--delete" not in p.verify_args
    assert "--dry-run" in p.verify_args and "--checksum" in p.verify_args
    rsh = p.import_args[p.import_args.index("-e") + 1]
    assert "-p 2222" in rsh and "-l root" in rsh and "BatchMode=yes" in rsh
    # a hung source is STALLED (60 s) for minutes before rsync's ssh gives up on it (12 x 15 s keepalives)
    assert "ServerAliveInterval=15" in rsh and "ServerAliveCountMax=12" in rsh
    quick = plan_import(inventory(stall_seconds=2.0), "acme").import_args
    assert "ServerAliveCountMax=4" in quick[quick.index("-e") + 1]  # never under a minute
    assert p.temp_dir == "/storage/.cockpit-import-tmp/acme"  # rsync's temporary files stay out of the tree
    assert p.state_dir == "/var/lib/cockpit/imports/acme"
    assert p.source_label == "backup1:/backup/storage/acme" and p.destination_label == "web2:/storage/acme"


def test_delete_only_when_the_inventory_asks_and_never_on_a_resume() -> None:
    asked = inventory(delete=True)
    assert "--delete" in plan_import(asked, "acme").import_args
    resume = plan_import(asked, "acme", resume=True)
    assert not any(a.startswith("--del") for a in (*resume.import_args, *resume.verify_args))
    assert resume.import_args == tuple(a for a in plan_import(asked, "acme").import_args if a != "--delete")
    job = remote.job_script(resume)
    assert "--delete" not in job  # the detached job a resume starts cannot delete either


def test_site_overrides_and_clear_errors() -> None:
    g = plan_import(inventory(), "globex")
    assert (g.source_host, g.destination_host) == ("web2", "web1")
    assert plan_import(inventory(), "acme", destination="web1").destination_host == "web1"
    with pytest.raises(PlanError, match="no storage directory"):
        plan_import(inventory(), "nostore")
    with pytest.raises(PlanError, match="no site 'nope'"):
        plan_import(inventory(), "nope")
    with pytest.raises(PlanError, match="also the destination"):
        plan_import(inventory(), "globex", destination="web2")
    inv = dataclasses.replace(inventory(), storage=Storage())
    with pytest.raises(PlanError, match="no source"):
        plan_import(inv, "acme")
    assert candidate_destinations(inventory()) == {"web2": ["acme"], "web1": ["acme", "globex"]}


def test_every_script_is_valid_sh_and_quotes_hostile_values() -> None:
    inv = inventory(rsync_args=["--partial", "--exclude=*.tmp $(touch /tmp/pwned)"])
    p = plan_import(inv, "acme")
    for script in (remote.job_script(p), remote.start_command(p, "import"), remote.start_command(p, "verify"),
                   remote.cancel_command(p, "eve'; rm -rf /"), remote.status_command("/var/x y", "n", ["acme"])):
        r = subprocess.run(["sh", "-n"], input=script.encode(), capture_output=True, check=False)
        assert r.returncode == 0, (r.stderr, script)
    assert shlex.quote("--exclude=*.tmp $(touch /tmp/pwned)") in remote.job_script(p)


def _sh(script: str) -> bytes:
    return subprocess.run(["sh", "-c", script], capture_output=True, check=True, timeout=30).stdout


def test_the_listing_reads_a_real_state_directory(tmp_path: Path) -> None:
    d = tmp_path / "acme"
    d.mkdir()
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        start = Path(f"/proc/{sleeper.pid}/stat").read_text().rpartition(") ")[2].split()[19]
        (d / "pid").write_text(f"{sleeper.pid} {start} 1\n")
        (d / "job.pid").write_text(f"{sleeper.pid} 12345 1\n")  # the same pid, another start time: a reused pid
        (d / "log").write_bytes(b"\r   100  50%  1.00kB/s  0:00:01")
        (d / "verify.exit").write_text("0 5\n")
        (d / "verify.out").write_bytes(b">f+++++++++ a\n>f+++++++++ b\n\nNumber of files: 3 (reg: 2, dir: 1)\n")
        (tmp_path / "not a site!").mkdir()
        dump = parse_dump(_sh(remote.status_command(str(tmp_path), "feedbeef")), "feedbeef")
    finally:
        sleeper.kill()
        sleeper.wait()
    assert dump.complete and dump.now is not None
    acme = dump.imports["acme"]
    assert acme.alive == {"pid"}  # job.pid's start time does not match: not alive
    assert acme.files["log"] == b"\r   100  50%  1.00kB/s  0:00:01"
    assert acme.changes == 2 and acme.files["verify.changes"] == b">f+++++++++ a\n>f+++++++++ b\n"
    assert acme.log_mtime is not None
    assert dump.problems  # the odd directory name is reported, not parsed
    assert parse_dump(_sh(remote.status_command(str(tmp_path / "missing"), "n1")), "n1").no_state_dir


async def test_a_read_only_cockpit_refuses_every_import_action_before_touching_a_host() -> None:
    from cockpit.engine.gate import ActionGate, ReadOnlyRefused
    from cockpit.transfers.engine import Transfers
    from cockpit.transport.ssh import SshPool

    inv = inventory()
    t = Transfers(inv, SshPool(inv.hosts), ActionGate(True))
    for action in (t.start, t.resume, t.cancel, t.verify):
        with pytest.raises(ReadOnlyRefused, match="acme@web2"):
            await action("acme")
    assert t.imports == {}
