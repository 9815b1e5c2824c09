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

PY="${PYTHON:-python3}"
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
        exec .venv/bin/python -m pytest "$@"
        ;;
esac
