"""``make bench``: every benchmark in turn; exits non-zero when any target is missed."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["bench.http_pages"]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        module = importlib.import_module(name)
        if module.main() != 0:
            failed.append(name)
    if failed:
        print(f"\ntargets missed in: {', '.join(failed)}")
        return 1
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
