"""``make bench``: every benchmark, one table (figure, value, target, pass/fail).

Exits non-zero when any target is missed. Targets live in bench/targets.py.

    python -m bench                       # all
    python -m bench --only checkin        # one (or several: --only checkin --only badges)
    python -m bench --only cost           # worker CPU per request (explains the others)
    python -m bench --quick               # small sizes, to prove the scripts work
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from bench.stack import Row, print_table

# name -> module; each has run(quick) -> list[Row]. Side by side figures are measured inside one
# module (check-in against /health in the same run), so the machine's noise cancels.
BENCHMARKS = {
    "checkin": "bench.checkin",
    "registrations": "bench.registrations",
    "pages": "bench.http_pages",
    "badges": "bench.badges",
    "programme": "bench.programme_pdf",
    "cost": "bench.cost",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), default=[])
    parser.add_argument("--quick", action="store_true", help="small sizes, to prove it works")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for name in args.only or list(BENCHMARKS):
        began = time.monotonic()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        module = importlib.import_module(BENCHMARKS[name])
        try:
            found = module.run(args.quick)
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            found = [Row(f"{name}: did not run ({type(exc).__name__}: {exc})", "-", "-", False)]
        rows += [Row(f"{name}: {r.figure}", r.value, r.target, r.passed) for r in found]
        print(f"  {name} took {time.monotonic() - began:.0f} s", file=sys.stderr, flush=True)
    title = "events benchmarks" + (
        " (--quick: small sizes, figures not comparable)" if args.quick else ""
    )
    print_table(title, rows)
    missed = [r.figure for r in rows if not r.passed]
    print(f"\n{len(missed)} target(s) missed" if missed else "\nall targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
