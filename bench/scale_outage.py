"""The outage of ``bench/scale_1000.py --outage K``: from the cockpit's first sweep
to SIGTERM, K hosts of the lab at a time lose their sshd (the lab's ``kill-ssh``)
and get it back 10 s later; the next K go 10 s after that, round the fleet.

A process of its own, in a session of its own: the lab's fault and heal commands
read and write the whole lab's state (1,000 hosts) each time, and done from a
thread inside the cockpit's process they took 60 % of its CPU (py-spy), which
read as sweeps over 5 s. Separate machines fail without costing the cockpit.

    scale_outage.py LAB_DIR K FIRST_SWEEP_FILE   prints {"batches": n, "killed": hosts, "seconds": s}
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from pathlib import Path

from cockpit.lab import Lab

STEP = 10.0  # seconds a batch stays without sshd, and between batches


def main(lab_dir: Path, k: int, first_sweep: Path) -> int:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not first_sweep.exists() and not stop.wait(0.2):
        pass
    lab = Lab(lab_dir)
    hosts = sorted(lab.hosts)
    killed = 0
    i = 0
    start = time.perf_counter()
    while not stop.is_set():
        batch = [hosts[(i + j) % len(hosts)] for j in range(k)]
        i += k
        try:
            for h in batch:
                lab.fault(h, "kill-ssh")
            killed += len(batch)
            stop.wait(STEP)
        finally:
            for h in batch:
                lab.heal(h, "kill-ssh")
        stop.wait(STEP)
    print(json.dumps({"batches": i // k if k else 0, "killed": killed,
                      "seconds": round(time.perf_counter() - start, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])))
