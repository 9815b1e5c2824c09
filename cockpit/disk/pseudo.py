"""Which mounts are plumbing (ignored unless the inventory lists them) and how others are judged."""

from __future__ import annotations

# Kernel and runtime filesystems with no disk behind them.
PSEUDO_FSTYPES = frozenset(
    {
        "proc", "sysfs", "cgroup", "cgroup2", "devtmpfs", "devpts", "mqueue", "securityfs",
        "debugfs", "tracefs", "bpf", "pstore", "fusectl", "configfs", "autofs", "binfmt_misc",
        "nsfs", "hugetlbfs", "efivarfs", "rpc_pipefs", "nfsd", "selinuxfs", "smackfs",
        "rootfs", "ramfs", "overlay", "aufs", "squashfs", "shm", "devfs", "usbfs", "xenfs",
        "fuse.lxcfs", "fuse.snapfuse", "fuse.gvfsd-fuse", "fuse.portal", "fuse.kio-fuse",
    }
)  # fmt: skip
# Mount points under these are runtime plumbing whatever the filesystem (/run/netns binds...).
PSEUDO_PREFIXES = ("/proc", "/sys", "/dev", "/run", "/var/lib/docker", "/var/lib/containers",
                   "/var/lib/kubelet", "/var/lib/lxcfs", "/snap", "/var/lib/snapd")  # fmt: skip

# Block-device filesystems that are mounted read-write unless someone said otherwise:
# read-only here without fstab saying so means the kernel remounted it after an error.
WRITABLE_FSTYPES = frozenset(
    {
        "ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "jfs", "reiserfs", "nilfs2", "bcachefs",
        "vfat", "exfat", "ntfs", "ntfs3", "hfsplus", "ocfs2", "gfs2",
    }
)  # fmt: skip
# Filesystems that can only be read.
READ_ONLY_FSTYPES = frozenset({"iso9660", "udf", "erofs", "cramfs", "romfs"})


def is_pseudo(mountpoint: str, fstype: str) -> bool:
    """Plumbing that is never reported on its own. ``/`` is never plumbing."""
    if mountpoint == "/":
        return False
    if fstype in PSEUDO_FSTYPES:
        return True
    return any(mountpoint == p or mountpoint.startswith(p + "/") for p in PSEUDO_PREFIXES)
