"""Every benchmark target in one place (the figures are checked against these)."""

from __future__ import annotations

# Check-in (issue: check-in desk): throughput against the same app's /health, side by side.
CHECKIN_VS_HEALTH_MIN = 0.40
# 50 desks scanning at 200 scans/s in all, open loop: p99 latency.
CHECKIN_RATE = 200
CHECKIN_DESKS = 50
CHECKIN_P99_MS = 25.0
# A burst of 1,000 registrations for 300 seats.
BURST_REGISTRATIONS = 1000
BURST_SEATS = 300
BURST_MIN_PER_SECOND = 200.0
# The public programme page against /health, and its p99 under 50 connections.
PROGRAMME_PAGE_VS_HEALTH_MIN = 0.10
PROGRAMME_PAGE_P99_MS = 250.0
# Badges: 1,000 with QR codes against the same pages without (ratio), and 5,000 in memory.
BADGE_QR_RATIO_MAX = 3.0
BADGE_RSS_MAX_MB = 300.0
# The programme PDF: 200 sessions and 300 speakers.
PROGRAMME_PDF_MAX_SECONDS = 2.0
# Peak resident memory of each app worker over a benchmark.
WORKER_RSS_MAX_MB = 300.0
