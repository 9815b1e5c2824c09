#!/bin/sh
# cockpit set-up for a fresh Debian 12 machine, as root.
#   ./setup.sh demo   install everything, then open the cockpit on the demo lab fleet
#   ./setup.sh test   install everything, then run the whole test suite (what CI runs)
# Anything after the first argument is passed on (to `cockpit demo` or to pytest).
set -eu
cd "$(dirname "$0")"
mode="${1:-}"
[ $# -gt 0 ] && shift
case "$mode" in
    demo|test) ;;
    *) echo "usage: ./setup.sh demo|test [args...]" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: run as root: the lab uses network and mount namespaces" >&2
    exit 2
fi

# System packages: Python, and the real servers the lab runs (sshd, MariaDB,
# BIND, rsync, cron, mydumper). Only what is missing is installed.
PKGS="python3 python3-venv python3-pip openssh-server openssh-client mariadb-server mariadb-client
bind9 bind9-utils bind9-dnsutils rsync cron mydumper iproute2 e2fsprogs util-linux procps tmux ca-certificates"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup.sh: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The python3 installed above (Debian's), not whatever comes first in PATH: a pyenv build found first
# (a shared libpython without PGO) made the idle wallboard cost 2.65-4.90 % of a core, against 2.15 %
# in a run with Debian's on the same machine (bench/idle_cpu.py). PYTHON=... still chooses another.
if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY="${PYTHON:-python3}"; fi
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e '.[test]'

case "$mode" in
    demo)
        exec .venv/bin/cockpit demo "$@"
        ;;
    test)
        .venv/bin/ruff check cockpit screens widgets tests bench
        .venv/bin/mypy
        .venv/bin/lint-imports
        # Two halves side by side: the lab tests mostly wait on real servers (TTLs, cron's
        # minute, timeouts) while the rest keep the CPU busy, so together they take about as
        # long as the lab half alone. Each has its own temp dir; the other half's report
        # follows this one's. Exit status: non-zero if either half failed.
        log=$(mktemp /tmp/cockpit-tests-ui.XXXXXX)
        ui_tmp=$(mktemp -d /tmp/cockpit-pytest-ui.XXXXXX)
        lab_tmp=$(mktemp -d /tmp/cockpit-pytest-lab.XXXXXX)
        .venv/bin/python -m pytest -m "not lab" --basetemp="$ui_tmp" "$@" >"$log" 2>&1 &
        ui=$!
        lab_rc=0
        .venv/bin/python -m pytest -m lab --basetemp="$lab_tmp" "$@" || lab_rc=$?
        ui_rc=0
        wait "$ui" || ui_rc=$?
        echo "==================== the tests that need no lab ===================="
        cat "$log"
        rm -rf "$log" "$ui_tmp" "$lab_tmp"
        # 5 = that half collected no test (a selection that falls entirely in the other half)
        [ "$lab_rc" -eq 5 ] && lab_rc=0
        [ "$ui_rc" -eq 5 ] && ui_rc=0
        echo "setup.sh: lab tests exit $lab_rc, the other tests exit $ui_rc"
        [ "$lab_rc" -eq 0 ] && [ "$ui_rc" -eq 0 ]
        ;;
esac
