"""Compare reading Pabulib files with localpower.tally and with pabutools' ``parse_pabulib``.

For the largest shared files prints, per reader: the best wall time over a few runs, and the peak
memory allocated while reading (tracemalloc, measured in a separate run so it does not slow the timing),
then the time ratio pabutools / ours.

    .venv/bin/python bench/bench_parse.py [--files 4] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "pabulib"
sys.path.insert(0, str(ROOT / "src"))

from localpower.tally.pabulib import read_pabulib  # noqa: E402


def ours(path: Path):
    return read_pabulib(path, repeats="sum")


def pabutools(path: Path):
    from pabutools.election import parse_pabulib

    return parse_pabulib(str(path))


def best_time(reader, path: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = reader(path)
        best = min(best, time.perf_counter() - started)
        del result
    return best


def peak_memory(reader, path: Path) -> int:
    gc.collect()
    tracemalloc.start()
    result = reader(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=4, help="how many of the largest files (default 4)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per reader (default 3)")
    args = parser.parse_args(argv)
    files = sorted(DATA.glob("*.pb"), key=os.path.getsize, reverse=True)[: args.files]
    if not files:
        print(f"no Pabulib files in {DATA}", file=sys.stderr)
        return 1
    header = f"{'file':42} {'voters':>8} {'ours s':>8} {'pabutools s':>11} {'ratio':>7} {'ours MiB':>9} {'pbt MiB':>8}"
    print(header)
    print("-" * len(header))
    for path in files:
        election, profile = ours(path)
        t_ours = best_time(ours, path, args.repeat)
        t_pbt = best_time(pabutools, path, max(1, args.repeat - 1))
        m_ours = peak_memory(ours, path) / 2**20
        m_pbt = peak_memory(pabutools, path) / 2**20
        print(
            f"{path.name[:42]:42} {profile.n_voters:>8} {t_ours:>8.3f} {t_pbt:>11.3f} "
            f"{t_pbt / t_ours:>6.1f}x {m_ours:>9.1f} {m_pbt:>8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
