"""The disk memo: a host that printed the same (but for the nonce) is not parsed again."""

from __future__ import annotations

import dataclasses

from diskdata import data

from cockpit.disk.evaluate import report_from_output
from cockpit.disk.memo import DiskMemo
from cockpit.disk.model import DiskReport
from cockpit.inventory.model import Host, Thresholds

HOST = Host(name="web1", address="198.18.0.101")
NONCE = "5eed5eed5eed5eed"


class Counting:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, output: bytes, nonce: str, host: Host) -> DiskReport:
        self.calls += 1
        return report_from_output(output, nonce, host)


def faults(nonce: str = NONCE) -> bytes:
    return data("machine/probe_nobody_faults.bin").replace(NONCE.encode(), nonce.encode())


def test_the_same_output_under_a_new_nonce_reuses_the_report() -> None:
    memo, evaluate = DiskMemo(), Counting()
    first = memo.report(HOST, faults(), NONCE, evaluate)
    again = memo.report(HOST, faults("0123456789abcdef"), "0123456789abcdef", evaluate)
    assert again is first and evaluate.calls == 1
    assert first == report_from_output(faults(), NONCE, HOST) and first.severity.value != "ok"


def test_any_changed_byte_or_host_entry_evaluates_again() -> None:
    memo, evaluate = DiskMemo(), Counting()
    first = memo.report(HOST, faults(), NONCE, evaluate)
    changed = faults().replace(b"/dev/vda / ext4", b"/dev/vdb / ext4", 1)
    assert changed != faults()
    assert memo.report(HOST, changed, NONCE, evaluate) == report_from_output(changed, NONCE, HOST)
    stricter = dataclasses.replace(HOST, thresholds=Thresholds(warning=1, critical=2))
    assert memo.report(stricter, changed, NONCE, evaluate) == report_from_output(changed, NONCE, stricter)
    assert memo.report(HOST, faults(), NONCE, evaluate) == first
    assert evaluate.calls == 4


def test_the_nonce_moved_elsewhere_is_not_the_same_output() -> None:
    """Markers at other places (a host printing the old nonce as text) must not match the last report."""
    memo, evaluate = DiskMemo(), Counting()
    memo.report(HOST, faults(), NONCE, evaluate)
    other = "0123456789abcdef"
    shifted = faults().replace(NONCE.encode(), other.encode(), 1)  # the first marker keeps the new nonce only
    memo.report(HOST, shifted.replace(NONCE.encode(), b"x" * 16), other, evaluate)
    assert evaluate.calls == 2
