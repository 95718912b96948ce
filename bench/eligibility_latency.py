"""How long a verdict for every policy with criteria takes for one profile, and discovery over them all (bar: 20 ms
p50 each), and fact reading.

    python -m bench.eligibility_latency --runs 5

Each run times ``engine.all(profile)`` over the shipped catalog for a set of profiles (elderly, single parent,
young adult, pregnant, disabled; with income as an amount and as a band), many times, and reports the median
and p95 per call, then ``engine.discover(profile)`` (every policy's verdict, ranked) the same way; the figure
quoted is the median of the runs' medians. Fact reading is timed after the morphological analyser is loaded
(numerals.warm: seconds, once per process).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench._results import record
from counselor.deps import build_deps
from counselor.eligibility.facts import extract
from counselor.eligibility.numerals import warm
from counselor.eligibility.profile import Child, Profile

PROFILES = [
    Profile(age=67, lives_alone=True, monthly_income=1_500_000, sido="전라남도", district="광양시"),
    Profile(age=34, single_parent=True, children=[Child(age_years=5), Child(age_years=8)], monthly_income=1_800_000),
    Profile(age=25, lives_alone=True, monthly_income=2_000_000),
    Profile(age=31, pregnant=True, couple=True, children=[], household_size=2, income_band=(0.6, 0.63)),
    Profile(age=45, disability="severe", recipient=["livelihood"], sido="경기도", district="고양시"),
    Profile(),
]
UTTERANCES = [
    "67살이고 혼자 살아요",
    "애 둘 키우는 한부모예요. 5살, 8살이에요",
    "I'm 34 and pregnant",
    "월 150만원 벌어요",
    "우리 딸이 네 살인데 아동수당 받을 수 있어요?",
    "아버지가 일흔 살이신데 혼자 사세요. 기초연금 받으실 수 있나요?",
    "작년 12월에 셋째를 낳았어요",
    "My mother is seventy-two and lives alone",
]


def one_run(iterations: int) -> dict[str, float]:
    engine = build_deps().eligibility
    times = []
    for _ in range(iterations):
        for profile in PROFILES:
            started = time.perf_counter()
            engine.all(profile)
            times.append((time.perf_counter() - started) * 1000)
    found = []
    for _ in range(iterations):
        for profile in PROFILES:
            started = time.perf_counter()
            engine.discover(profile)
            found.append((time.perf_counter() - started) * 1000)
    warm()
    facts = []
    for _ in range(iterations):
        for text in UTTERANCES:
            started = time.perf_counter()
            extract(text)
            facts.append((time.perf_counter() - started) * 1000)
    times.sort()
    found.sort()
    return {
        "policies": len(engine.policies),
        "all_policies_ms_p50": statistics.median(times),
        "all_policies_ms_p95": times[int(len(times) * 0.95)],
        "discover_ms_p50": statistics.median(found),
        "discover_ms_p95": found[int(len(found) * 0.95)],
        "extract_ms_p50": statistics.median(facts),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    runs = [one_run(args.iterations) for _ in range(args.runs)]
    record(
        "eligibility_latency",
        {
            "runs": runs,
            "policies": runs[0]["policies"],
            "all_policies_ms_p50_median": round(statistics.median(r["all_policies_ms_p50"] for r in runs), 3),
            "all_policies_ms_p95_median": round(statistics.median(r["all_policies_ms_p95"] for r in runs), 3),
            "discover_ms_p50_median": round(statistics.median(r["discover_ms_p50"] for r in runs), 3),
            "discover_ms_p95_median": round(statistics.median(r["discover_ms_p95"] for r in runs), 3),
            "extract_ms_p50_median": round(statistics.median(r["extract_ms_p50"] for r in runs), 3),
        },
    )


if __name__ == "__main__":
    main()
