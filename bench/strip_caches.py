"""What a drawn line costs with Textual's strips as they come, and with their caches
built on first use (widgets/strip_caches.py): bytes held and time per chain of a
strip, a crop of it and a styled crop (as the compositor makes them), in the same
process, stock first.

    .venv/bin/python bench/strip_caches.py [--chains 5000] [--repeat 5]

Prints bytes per chain (tracemalloc) and microseconds per chain (best of the
repeats, without tracemalloc), and the ratios lazy/stock.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchenv import save
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from widgets import strip_caches

BOLD, DIM = Style(bold=True), Style(dim=True)
SEGMENTS = [Segment(" web17 ", BOLD), Segment("/srv  ext4  rw  71 % used  ", None), Segment("ok", DIM)]


def chains(n: int) -> list[tuple[Strip, Strip, Strip]]:
    out = []
    for _ in range(n):
        strip = Strip(SEGMENTS)
        cropped = strip.crop(1, 30)
        out.append((strip, cropped, cropped.apply_style(DIM)))
    return out


def held_bytes(n: int) -> float:
    gc.collect()
    tracemalloc.start()
    kept = chains(n)
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return held / n


def micros(n: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        chains(n)
        best = min(best, time.perf_counter() - t)
    return best * 1e6 / n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chains", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    stock = {"bytes": held_bytes(args.chains), "us": micros(args.chains, args.repeat)}
    if not strip_caches.install():
        print("the lazy caches do not apply to this Textual: nothing to compare", file=sys.stderr)
        return 1
    lazy = {"bytes": held_bytes(args.chains), "us": micros(args.chains, args.repeat)}
    for name, r in (("stock", stock), ("lazy", lazy)):
        print(f"  {name:6} {r['bytes']:7.0f} bytes and {r['us']:5.1f} us per chain (strip, crop, styled crop)")
    ratios = {k: round(lazy[k] / stock[k], 3) for k in stock}
    print(f"  ratio lazy/stock: bytes {ratios['bytes']}, time {ratios['us']}")
    path = save("strip-caches", {"chains": args.chains, "stock": stock, "lazy": lazy, "ratio_lazy_over_stock": ratios})
    print(f"saved {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
