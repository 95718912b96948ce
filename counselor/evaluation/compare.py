"""``counselor eval compare RUN_A RUN_B``: per-metric deltas (B − A) with a paired bootstrap 95% interval
over the cases both runs share, and the cases that got worse or better.

The bootstrap resamples cases, not runs: both runs' summaries are recomputed on the same resampled cases, so
the interval says how much the delta depends on which questions happened to be in the dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from counselor.evaluation.dataset import DatasetError
from counselor.evaluation.records import SUITES, CaseRecord, SuiteName, read_records
from counselor.evaluation.registry import case_score, summarise

SKIP = frozenset({"n", "errors"})


@dataclass
class MetricDelta:
    suite: SuiteName
    metric: str
    a: float | None
    b: float | None
    delta: float | None
    low: float | None
    high: float | None

    @property
    def significant(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


@dataclass
class CaseChange:
    suite: str
    key: str
    question: str
    a: float
    b: float


@dataclass
class Comparison:
    a: str
    b: str
    paired: dict[str, int] = field(default_factory=dict)
    metrics: list[MetricDelta] = field(default_factory=list)
    worse: list[CaseChange] = field(default_factory=list)
    better: list[CaseChange] = field(default_factory=list)


def _load(folder: Path) -> list[CaseRecord]:
    path = folder / "cases.jsonl"
    if not path.is_file():
        raise DatasetError(f"{folder}: not a run folder (no cases.jsonl)")
    return read_records(path)


def compare_records(
    a: list[CaseRecord], b: list[CaseRecord], resamples: int = 1000, seed: int = 0, names: tuple[str, str] = ("A", "B")
) -> Comparison:
    rng = np.random.default_rng(seed)
    out = Comparison(*names)
    for suite in SUITES:
        left = {r.key: r for r in a if r.suite == suite}
        right = {r.key: r for r in b if r.suite == suite}
        keys = sorted(left.keys() & right.keys())
        if not keys:
            continue
        out.paired[suite] = len(keys)
        xs, ys = [left[k] for k in keys], [right[k] for k in keys]
        _metric_deltas(out, suite, xs, ys, rng, resamples)
        for x, y in zip(xs, ys, strict=True):
            sx, sy = case_score(x), case_score(y)
            if sx is None or sy is None or sx == sy:
                continue
            change = CaseChange(suite, f"{x.dataset}/{x.id}", x.question, sx, sy)
            (out.worse if sy < sx else out.better).append(change)
    out.worse.sort(key=lambda c: c.b - c.a)
    out.better.sort(key=lambda c: c.a - c.b)
    return out


def _metric_deltas(
    out: Comparison, suite: SuiteName, xs: list[CaseRecord], ys: list[CaseRecord], rng: np.random.Generator, n: int
) -> None:
    base_a, base_b = summarise(suite, xs), summarise(suite, ys)
    samples: dict[str, list[float]] = {}
    for _ in range(n):
        idx = rng.integers(0, len(xs), len(xs))
        sa, sb = summarise(suite, [xs[i] for i in idx]), summarise(suite, [ys[i] for i in idx])
        for metric, value in sb.items():
            other = sa.get(metric)
            if value is not None and other is not None:
                samples.setdefault(metric, []).append(value - other)
    for metric in base_b.keys() | base_a.keys():
        if metric in SKIP:
            continue
        va, vb = base_a.get(metric), base_b.get(metric)
        delta = vb - va if va is not None and vb is not None else None
        draws = samples.get(metric)
        low, high = (float(np.percentile(draws, 2.5)), float(np.percentile(draws, 97.5))) if draws else (None, None)
        out.metrics.append(MetricDelta(suite, metric, va, vb, delta, low, high))
    out.metrics.sort(key=lambda m: (SUITES.index(m.suite), m.metric))


def compare_runs(a: Path, b: Path, resamples: int = 1000, seed: int = 0) -> Comparison:
    return compare_records(_load(a), _load(b), resamples, seed, (a.name, b.name))


def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.4f}" if signed else f"{value:.4f}"


def to_markdown(c: Comparison, limit: int = 20) -> str:
    lines = [f"# {c.b} compared with {c.a}", ""]
    lines.append("Paired cases: " + ", ".join(f"{s} {n}" for s, n in c.paired.items()) + ".")
    lines += ["", "| suite | metric | A | B | B − A | 95% interval | |", "|---|---|---|---|---|---|---|"]
    for m in c.metrics:
        mark = "significant" if m.significant else ""
        interval = f"[{_fmt(m.low, True)}, {_fmt(m.high, True)}]" if m.low is not None else "–"
        lines.append(
            f"| {m.suite} | {m.metric} | {_fmt(m.a)} | {_fmt(m.b)} | {_fmt(m.delta, True)} | {interval} | {mark} |"
        )
    for title, changes in (("Worse", c.worse), ("Better", c.better)):
        lines += ["", f"## {title} ({len(changes)})", ""]
        if changes:
            lines += ["| suite | case | A | B | question |", "|---|---|---|---|---|"]
            for ch in changes[:limit]:
                question = ch.question.replace("|", "/").replace("\n", " ")[:80]
                lines.append(f"| {ch.suite} | {ch.key} | {ch.a:.2f} | {ch.b:.2f} | {question} |")
    return "\n".join(lines) + "\n"
