"""``cockpit lab ...``: build, break, heal and remove the lab fleet (see cockpit.lab)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cockpit.cli.common import UiRunner

EXIT_LAB_ERROR = 1


def _default_dir() -> str:
    from cockpit.lab.naming import DEFAULT_DIR

    return os.environ.get("COCKPIT_LAB_DIR") or str(DEFAULT_DIR)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("lab", help="a real fleet on this machine: namespaces, sshd, real faults",
                       description="Build, break, heal and remove a fleet of real servers on this machine (root).")

    def usage(args: argparse.Namespace, ui: UiRunner | None) -> int:
        p.print_help()
        return 2

    p.set_defaults(handler=usage)
    lsub = p.add_subparsers(dest="lab_command", metavar="ACTION")

    def cmd(name: str, help: str) -> argparse.ArgumentParser:
        c = lsub.add_parser(name, help=help, description=help)
        c.add_argument("--dir", default=_default_dir(),
                       help="lab directory (default: $COCKPIT_LAB_DIR or %(default)s)")
        return c

    c = cmd("up", "build N hosts (web1..webN) and write DIR/inventory.toml")
    c.add_argument("--hosts", type=int, default=3, metavar="N", help="number of hosts (default 3)")
    c.add_argument("--subnet", help="lab network, e.g. 198.18.7.0/24 (default: derived from --dir)")
    c.add_argument("--data-size", type=int, default=256, metavar="MB", help="size of each /srv (default 256)")
    c.add_argument("--light", action="store_true",
                   help="scale runs: sshd only, no /srv, no RAID view (about 5 MB per host)")
    c.add_argument("--sites", type=int, default=0, metavar="N",
                   help="each host also runs MariaDB serving N sites (helpdesk schema; about 60 MB per host)")
    c.add_argument("--storage", action="store_true",
                   help="with --sites: backup1 holds a /storage copy of every site to import (rsync, "
                        "bwlimit_kbps = 2000 so a copy can be watched), each host gets /storage")
    c.add_argument("--no-dns", action="store_true",
                   help="without the DNS hosts (ns1 primary, ns2, lagging ns3, resolver res1; not with --light)")
    c.set_defaults(handler=_up)

    c = cmd("down", "remove every namespace, process, mount, loop device and link of the lab")
    c.set_defaults(handler=_down)

    c = cmd("status", "list hosts, pids and active faults")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_status)

    c = cmd("fault", "inject a real fault into one host (see `cockpit lab faults`)")
    c.add_argument("host")
    c.add_argument("kind")
    c.add_argument("args", nargs=argparse.REMAINDER, metavar="ARG")  # e.g. corrupt-table DB.T --part index
    c.set_defaults(handler=_fault)

    c = cmd("heal", "undo faults: all of them, a host's, or one kind on a host")
    c.add_argument("host", nargs="?")
    c.add_argument("kind", nargs="?")
    c.set_defaults(handler=_heal)

    c = cmd("faults", "list the fault kinds")
    c.set_defaults(handler=_faults)

    c = cmd("exec", "run a command inside a host's namespaces")
    c.add_argument("--privileged", action="store_true", help="with all of root's capabilities")
    c.add_argument("host")
    c.add_argument("argv", nargs=argparse.REMAINDER, metavar="CMD")
    c.set_defaults(handler=_exec)


def _dir_among(fault_args: list[str]) -> tuple[list[str], str | None]:
    """A ``--dir`` among a fault's arguments, taken out: argparse hands everything after KIND to the fault, so
    ``cockpit lab fault web2 hang-ssh --dir /tmp/lab`` hit the lab in the default directory instead (no fault
    takes a ``--dir`` of its own)."""
    rest: list[str] = []
    found: str | None = None
    it = iter(fault_args)
    for arg in it:
        if arg.startswith("--dir="):
            found = arg.split("=", 1)[1]
        elif arg == "--dir":
            found = next(it, "")
        else:
            rest.append(arg)
    return rest, found


def _run(args: argparse.Namespace, action: str) -> int:
    from cockpit.lab import Lab, LabError

    try:
        if action == "fault":
            args.args, given = _dir_among(list(args.args))
            if given == "":
                raise LabError("--dir needs a directory")
            args.dir = given if given is not None else args.dir
        lab = Lab(Path(args.dir))
        return _ACTIONS[action](lab, args)
    except LabError as e:
        print(f"cockpit lab {action}: {e}", file=sys.stderr)
        return EXIT_LAB_ERROR
    except BrokenPipeError:  # `cockpit lab up | head -1`: the work is done, the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:
        print(f"cockpit lab {action}: {e.strerror or e}" + (f": {e.filename}" if e.filename else ""), file=sys.stderr)
        return EXIT_LAB_ERROR


def _do_up(lab: object, args: argparse.Namespace) -> int:
    from cockpit.lab import FleetSpec, Lab, LabError

    assert isinstance(lab, Lab)
    if args.sites and args.light:
        raise LabError("--sites needs the /srv data mount: not with --light")
    spec = FleetSpec.web(args.hosts, subnet=args.subnet, data_size_mb=args.data_size, light=args.light,
                         sites_per_host=args.sites)
    if args.storage:
        from cockpit.lab.storage_fleet import with_storage

        spec = with_storage(spec)  # backup1 with every site's /storage copy; /storage on the site hosts
    if not (args.light or args.no_dns):
        from cockpit.lab.dns_fleet import with_dns

        spec = with_dns(spec)  # BIND: primary, secondaries, resolver; the zone holds every lab site
    took = lab.up(spec)
    st = lab.state
    first = next(iter(st.hosts.values()))
    n = len(st.hosts)
    print(f"lab up: {n} host{'' if n == 1 else 's'} in {took:.1f} s on {st.subnet} (bridge {st.bridge})")
    print(f"  inventory:  {lab.inventory_path}")
    print(f"  ssh:        ssh -i {lab.identity_file} -o UserKnownHostsFile={lab.known_hosts_path} "
          f"root@{first.address}")
    print(f"  cockpit:    cockpit --inventory {lab.inventory_path}")
    print(f"  remove it:  cockpit lab down --dir {lab.dir}")
    return 0


def _do_down(lab: object, args: argparse.Namespace) -> int:
    from cockpit.lab import Lab

    assert isinstance(lab, Lab)
    if lab.down():
        print(f"lab down: {lab.dir} removed")
    else:
        print(f"lab down: no lab in {lab.dir}, nothing to remove")
    return 0


def _do_status(lab: object, args: argparse.Namespace) -> int:
    from cockpit.lab import Lab

    assert isinstance(lab, Lab)
    s = lab.status()
    if args.json:
        print(json.dumps(s, indent=1))
        return 0
    print(f"lab {s['dir']}: {s['status']}, {s['subnet']}, kernel log router "
          f"{'pid ' + str(s['klogd']['pid']) if s['klogd']['running'] else 'NOT running'}")
    for h in s["hosts"]:
        svcs = " ".join(f"{k}={v['pid'] if v['running'] else 'dead'}" for k, v in h["services"].items())
        state = f"init={h['init']}" if h["running"] else "DOWN"
        print(f"  {h['name']:<12} {h['address']:<15} {h['role']:<8} {state:<12} link={h['link']:<5} {svcs}")
    if s["faults"]:
        print("active faults:")
        for f in s["faults"]:
            print(f"  {f['host']}: {f['kind']} {' '.join(f['args'])}".rstrip())
    else:
        print("no active faults")
    return 0


def _do_fault(lab: object, args: argparse.Namespace) -> int:
    from cockpit.lab import Lab

    assert isinstance(lab, Lab)
    print(lab.fault(args.host, args.kind, *args.args))
    return 0


def _do_heal(lab: object, args: argparse.Namespace) -> int:
    from cockpit.lab import Lab

    assert isinstance(lab, Lab)
    done = lab.heal(args.host, args.kind)
    print("\n".join(done) if done else "nothing to heal")
    return 0


def _do_faults(lab: object, args: argparse.Namespace) -> int:
    from cockpit.lab.faults import all_kinds

    for k in all_kinds().values():
        print(f"  {(k.name + ' ' + k.usage).strip():<34} {k.summary}")
    return 0


def _do_exec(lab: object, args: argparse.Namespace) -> int:
    from cockpit.lab import Lab, LabError

    assert isinstance(lab, Lab)
    argv = list(args.argv)
    while argv and argv[0] != "--" and argv[0].startswith("--"):  # options after HOST
        opt = argv.pop(0)
        if opt == "--privileged":
            args.privileged = True
        elif opt.startswith("--dir="):
            lab = Lab(Path(opt.split("=", 1)[1]))
        elif opt == "--dir" and argv:
            lab = Lab(Path(argv.pop(0)))
        else:
            raise LabError(f"exec: unknown option {opt} (put the command after --)")
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        raise LabError("give a command, e.g. cockpit lab exec web1 -- df -P")
    p = lab.exec(args.host, argv, privileged=args.privileged, timeout=3600)
    sys.stdout.buffer.write(p.stdout)
    sys.stderr.buffer.write(p.stderr)
    return p.returncode


_ACTIONS = {"up": _do_up, "down": _do_down, "status": _do_status, "fault": _do_fault, "heal": _do_heal,
            "faults": _do_faults, "exec": _do_exec}


def _up(args: argparse.Namespace, ui: UiRunner | None) -> int:
    return _run(args, "up")


def _down(args: argparse.Namespace, ui: UiRunner | None) -> int:
    return _run(args, "down")


def _status(args: argparse.Namespace, ui: UiRunner | None) -> int:
    return _run(args, "status")


def _fault(args: argparse.Namespace, ui: UiRunner | None) -> int:
    return _run(args, "fault")


def _heal(args: argparse.Namespace, ui: UiRunner | None) -> int:
    return _run(args, "heal")


def _faults(args: argparse.Namespace, ui: UiRunner | None) -> int:
    return _run(args, "faults")


def _exec(args: argparse.Namespace, ui: UiRunner | None) -> int:
    return _run(args, "exec")
