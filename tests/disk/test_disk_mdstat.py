"""/proc/mdstat parser on texts published from real systems (see tests/data/disk/README.md)."""

from __future__ import annotations

import pytest
from diskdata import assert_safe, data

from cockpit.disk.mdstat import parse_mdstat
from cockpit.disk.model import RaidArray


def arrays(name: str) -> dict[str, RaidArray]:
    parsed = parse_mdstat(data(f"mdstat/{name}"))
    assert parsed.problems == (), parsed.problems
    assert_safe(parsed)
    return {a.device: a for a in parsed.items}


def summary(a: RaidArray) -> tuple[object, ...]:
    return (a.level, a.state, a.members_total, a.members_up, a.failed_members, a.progress_percent)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("clean_raid1_auto_read_only.txt", {
            "md2": ("raid1", "clean", 2, 2, (), None), "md1": ("raid1", "clean", 2, 2, (), None),
            "md0": ("raid1", "clean", 2, 2, (), None)}),
        ("clean_raid5_spare.txt", {"md1": ("raid5", "clean", 5, 5, (), None)}),
        ("failed_member_full_count.txt", {
            "md1": ("raid1", "clean", 5, 5, ("sdh1",), None), "md0": ("raid1", "clean", 2, 2, (), None)}),
        ("raid5_failed_degraded.txt", {"md0": ("raid5", "degraded", 3, 2, ("sdc1",), None)}),
        ("raid1_missing_and_recovery.txt", {
            "md1": ("raid1", "degraded", 2, 1, (), None), "md0": ("raid1", "recovery", 2, 1, (), 3.6)}),
        ("raid1_recovery_resync_delayed.txt", {
            "md1": ("raid1", "resync", 2, 1, (), None), "md0": ("raid1", "recovery", 2, 1, (), 3.9)}),
        ("raid1_check_and_delayed.txt", {
            "md1": ("raid1", "resync", 2, 2, (), None), "md0": ("raid1", "check", 2, 2, (), 6.4)}),
        ("raid6_recovery_two_missing.txt", {"md0": ("raid6", "recovery", 6, 4, (), 19.6)}),
        ("raid6_reshape.txt", {"md0": ("raid6", "reshape", 6, 4, (), 48.4)}),
        ("imsm_container.txt", {
            "md126": ("raid1", "clean", 2, 2, (), None), "md127": (None, "container", 2, 0, (), None)}),
        ("raid10_resync_and_pending.txt", {
            "md127": ("raid10", "clean", 2, 2, (), None), "md3": ("raid10", "resync", 8, 8, (), 37.2),
            "md1": ("raid10", "clean", 8, 8, (), None), "md0": ("raid10", "clean", 8, 8, (), None),
            "md2": ("raid10", "resync", 8, 8, (), None)}),
        ("raid0_and_raid1.txt", {
            "md0": ("raid0", "clean", 2, 2, (), None), "md1": ("raid1", "clean", 2, 2, (), None)}),
        ("inactive_all_spares.txt", {"md127": (None, "inactive", 3, 0, (), None)}),
        ("inactive_leftover_and_degraded_raid5.txt", {
            "md127": (None, "inactive", 1, 0, (), None), "md0": ("raid5", "degraded", 3, 2, (), None)}),
        ("raid5_recovery_excerpt.txt", {
            "md0": ("raid1", "clean", 6, 6, (), None), "md1": ("raid6", "clean", 6, 6, (), None),
            "md2": ("raid6", "clean", 6, 6, (), None), "md3": ("raid5", "recovery", 6, 5, (), 7.7)}),
        ("raid1_raid0_2_4_kernel.txt", {
            "md2": ("raid1", "clean", 2, 2, (), None), "md1": ("raid0", "clean", 2, 2, (), None)}),
        ("no_arrays.txt", {}),
        ("no_arrays_2_4_kernel.txt", {}),
    ],
)
def test_published_mdstat(name: str, expected: dict[str, tuple[object, ...]]) -> None:
    got = arrays(name)
    assert {k: summary(v) for k, v in got.items()} == expected


def test_details_spares_waiting_read_only() -> None:
    md1 = arrays("clean_raid5_spare.txt")["md1"]
    assert md1.spare_members == ("sdk",)
    md2 = arrays("raid10_resync_and_pending.txt")["md2"]
    assert (md2.sync_action, md2.sync_waiting, md2.read_only) == ("resync", "pending", True)
    md1 = arrays("raid1_recovery_resync_delayed.txt")["md1"]
    assert md1.sync_waiting == "delayed"
    assert arrays("imsm_container.txt")["md127"].container


def test_kernel_prints_waiting_after_a_tab() -> None:
    text = (b"Personalities : [raid1]\nmd9 : active raid1 sdb[1] sda[0]\n"
            b"      1000 blocks [2/2] [UU]\n      \tresync=DELAYED\n")
    (md9,) = parse_mdstat(text).items
    assert (md9.state, md9.sync_waiting) == ("resync", "delayed")


def test_garbage_lines_become_problems() -> None:
    parsed = parse_mdstat(b"Personalities : [raid1]\n\x1b[2J[bold]not mdstat\x00\nmd0 : exploded\n")
    assert parsed.items == ()
    assert len(parsed.problems) == 2
    assert_safe(parsed)
