"""Badge speed and memory: `.venv/bin/python -m bench.badges`.

1. 1,000 badges in one PDF against the same 1,000 pages drawn without their QR codes, side by side
   in one run (best of three each, interleaved): the ratio must be at most 3.
2. 5,000 badges rendered in a child process (badges fed from a generator, one A6 page each, the
   PDF written to a file): the child's peak RSS (VmHWM) must stay under 300 MB.
3. For the record (no target): what one QR code costs with the fixed mask we use, with qrcode's
   search over all eight masks, and with reportlab's own QR encoder.

Prints a table (figure, value, target, pass/fail) and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from PIL import Image, ImageDraw

from bench.stack import Row
from events.documents.badges import Badge, BadgeEvent, BadgeLayout, render_badges, write_badges

RATIO_TARGET = 3.0
RSS_TARGET_MB = 300.0

PEOPLE = [
    ("Prof. Dr.", "Айгерім", "Сәрсенбаева-Нұрмағамбетова", "Қарағанды индустриялық университеті",
     "Қазақстан", "Спикер", "#C0392B"),
    ("", "Łukasz", "Wójcik", "Akademia Górniczo-Hutnicza w Krakowie", "Polska", "Delegacja",
     "#F1C40F"),
    ("Dr.", "Jürgen", "Groß", "Bundesministerium für Bildung und Forschung", "Deutschland", "Gast",
     "#2ECC71"),
    ("", "Maximilian-Alexander Friedrich", "von Hohenzollern-Sigmaringen", "Helmholtz-Zentrum "
     "Dresden-Rossendorf, Institut für Ressourcentechnologie", "Deutschland", "Participant",
     "#1F4E79"),
]  # fmt: skip


def event() -> BadgeEvent:
    image = Image.new("RGBA", (480, 320), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((16, 16, 304, 304), fill=(31, 78, 121, 255))
    draw.rectangle((240, 100, 464, 220), fill=(192, 57, 43, 255))
    logo = io.BytesIO()
    image.save(logo, format="PNG")
    return BadgeEvent(
        title="German–Kazakh Science Day 2023: Raw Materials and Energy",
        dates="12–13 October 2023 · Almaty",
        logo=logo.getvalue(),
    )


def badges(count: int) -> Iterator[Badge]:
    for i in range(count):
        honorific, given, family, organisation, country, category, colour = PEOPLE[i % len(PEOPLE)]
        yield Badge(
            honorific=honorific,
            given_name=given,
            family_name=f"{family} {i}",
            organisation=organisation,
            country=country,
            category=category,
            category_colour=colour,
            checkin_token=secrets.token_urlsafe(24),
        )


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def qr_costs(samples: int = 200) -> dict[str, float]:
    """Milliseconds per code for the three ways of encoding a 32-character token."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from reportlab.graphics.barcode.qrencoder import QRCode as ReportlabQR
    from reportlab.graphics.barcode.qrencoder import QRErrorCorrectLevel

    from events.documents.qr import qr_matrix

    tokens = [secrets.token_urlsafe(24) for _ in range(samples)]

    def all_masks() -> None:
        for token in tokens:
            code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
            code.add_data(token)
            code.make(fit=True)

    def reportlab_qr() -> None:
        for token in tokens:
            code = ReportlabQR(None, QRErrorCorrectLevel.M)
            code.addData(token)
            code.make()

    def fixed_mask() -> None:
        for token in tokens:
            code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=0)
            code.add_data(token)
            code.make(fit=True)

    def ours() -> None:
        for token in tokens:
            qr_matrix(token)

    return {
        "events.documents.qr (qrcode, mask 0, as used)": best_of(3, ours) * 1000 / samples,
        "qrcode, fixed mask 0": best_of(3, fixed_mask) * 1000 / samples,
        "qrcode, all 8 masks": best_of(3, all_masks) * 1000 / samples,
        "reportlab qrencoder": best_of(3, reportlab_qr) * 1000 / samples,
    }


def child(count: int, layout: str) -> None:
    """Render ``count`` badges to a file and report time and peak RSS as JSON on stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        pages = write_badges(out, event(), badges(count), layout)
        size = out.tell()
    seconds = time.perf_counter() - start
    peak_kb = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak_kb = int(line.split()[1])
    print(json.dumps({"badges": pages, "seconds": seconds, "bytes": size, "vmhwm_kb": peak_kb}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="badges for the QR ratio")
    parser.add_argument("--big", type=int, default=5000, help="badges for the memory run")
    parser.add_argument("--child", nargs=2, metavar=("COUNT", "LAYOUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), args.child[1])
        return 0

    the_event = event()
    people = list(badges(args.count))
    render_badges(the_event, people[:20], BadgeLayout.A6)  # warm up fonts and imports
    with_qr = without_qr = float("inf")
    for _ in range(3):  # interleaved, so both see the same machine load
        with_qr = min(with_qr, best_of(1, lambda: render_badges(the_event, people, "a6")))
        without_qr = min(
            without_qr,
            best_of(1, lambda: render_badges(the_event, people, "a6", include_qr=False)),
        )
    ratio = with_qr / without_qr

    result = subprocess.run(
        [sys.executable, "-m", "bench.badges", "--child", str(args.big), "a6"],
        check=True,
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    peak_mb = report["vmhwm_kb"] / 1024
    rusage_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    costs = qr_costs()

    rows: list[tuple[str, str, str, str]] = [
        (f"{args.count} badges, A6, with QR", f"{with_qr:.2f} s", "", ""),
        (f"{args.count} badges, A6, without QR", f"{without_qr:.2f} s", "", ""),
        (
            "ratio with / without QR",
            f"{ratio:.2f}",
            f"<= {RATIO_TARGET:g}",
            "pass" if ratio <= RATIO_TARGET else "FAIL",
        ),
        (f"{report['badges']} badges, A6, child process", f"{report['seconds']:.2f} s", "", ""),
        (f"{report['badges']} badges, PDF size", f"{report['bytes'] / 2**20:.1f} MB", "", ""),
        (
            f"{report['badges']} badges, child peak RSS (VmHWM)",
            f"{peak_mb:.0f} MB",
            f"< {RSS_TARGET_MB:g} MB",
            "pass" if peak_mb < RSS_TARGET_MB else "FAIL",
        ),
        ("  same, getrusage(RUSAGE_CHILDREN)", f"{rusage_mb:.0f} MB", "", ""),
    ]
    rows += [(f"one QR code: {name}", f"{ms:.2f} ms", "", "") for name, ms in costs.items()]

    headers = ("figure", "value", "target", "result")
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(4)]
    for row in [headers, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    failed = ratio > RATIO_TARGET or peak_mb >= RSS_TARGET_MB
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())


def run(quick: bool = False) -> list[Row]:
    """The two targeted figures as table rows for ``make bench``."""
    from bench import targets as t

    count, big = (200, 500) if quick else (1000, 5000)
    the_event = event()
    people = list(badges(count))
    render_badges(the_event, people[:20], BadgeLayout.A6)
    with_qr = without_qr = float("inf")
    for _ in range(3):
        with_qr = min(with_qr, best_of(1, lambda: render_badges(the_event, people, "a6")))
        without_qr = min(
            without_qr,
            best_of(1, lambda: render_badges(the_event, people, "a6", include_qr=False)),
        )
    ratio = with_qr / without_qr
    result = subprocess.run(
        [sys.executable, "-m", "bench.badges", "--child", str(big), "a6"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    peak_mb = json.loads(result.stdout)["vmhwm_kb"] / 1024
    return [
        Row(f"{count} badges with / without QR", f"{ratio:.2f}", f"<= {t.BADGE_QR_RATIO_MAX:g}",
            ratio <= t.BADGE_QR_RATIO_MAX),
        Row(f"{big} badges, child peak RSS (MB)", f"{peak_mb:.0f}", f"< {t.BADGE_RSS_MAX_MB:g}",
            peak_mb < t.BADGE_RSS_MAX_MB),
    ]  # fmt: skip
