"""report.md and report.html for a run: the summary, where it fails the gate, plots, and the worst cases.

Plots are PNG files next to the Markdown and embedded in the HTML, so the HTML is one file to send around.
"""

from __future__ import annotations

import base64
import glob
import warnings
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from counselor.evaluation.escalation import risk_coverage
from counselor.evaluation.manifest import Manifest
from counselor.evaluation.records import CaseRecord, SuiteName
from counselor.evaluation.registry import PRIMARY, breakdown, case_score
from counselor.evaluation.summaries import Summary, scored_turns

WORST_CASES = 10


@cache
def _plt() -> Any:
    """matplotlib, set up once per process (the font scan is the slow part)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    # Korean tags and questions need a Korean font; without one matplotlib draws boxes (and warns).
    # matplotlib's font cache predates fonts installed later (fonts-nanum): add them by file.
    for pattern in ("/usr/share/fonts/**/Nanum*.ttf", "/usr/share/fonts/**/NotoSansCJK*.tt[cf]"):
        for path in glob.glob(pattern, recursive=True):
            font_manager.fontManager.addfont(path)
    names = {f.name for f in font_manager.fontManager.ttflist}
    korean = [n for n in ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "UnDotum") if n in names]
    plt.rcParams["font.family"] = [*korean, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    if not korean:
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
    return plt


def plot_risk_coverage(records: Sequence[CaseRecord], threshold: float, path: Path) -> bool:
    scored = scored_turns([r for r in records if r.suite in ("answers", "escalation")])
    if len(scored) < 2:
        return False
    plt = _plt()
    curve = risk_coverage(scored)
    covered = sum(1 for c, _ in scored if c >= threshold) / len(scored)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([c for c, _ in curve], [r for _, r in curve], color="#1f5fa8")
    ax.axvline(covered, color="#c0392b", linestyle="--", label=f"threshold {threshold:g}: coverage {covered:.2f}")
    ax.set_xlabel("coverage (share of turns answered, most confident first)")
    ax.set_ylabel("risk (share of those answers wrong)")
    ax.set_title("Risk–coverage of the confidence score")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def plot_slices(records: Sequence[CaseRecord], suites: Sequence[SuiteName], path: Path) -> bool:
    """Each suite's primary metric by language and by its most common tags."""
    panels = []
    for suite in suites:
        mine = [r for r in records if r.suite == suite]
        metric = PRIMARY[suite]
        slices = breakdown(suite, mine, lambda r: [f"lang={r.lang}"])
        tags = breakdown(suite, mine, lambda r: r.tags)
        top = sorted(tags.items(), key=lambda kv: -(kv[1].get("n") or 0))[:12]
        rows = [(k, v.get(metric)) for k, v in [*slices.items(), *top] if v.get(metric) is not None]
        if rows:
            panels.append((suite, metric, rows))
    if not panels:
        return False
    plt = _plt()
    fig, axes = plt.subplots(1, len(panels), figsize=(4.5 * len(panels), 5), squeeze=False)
    for ax, (suite, metric, rows) in zip(axes[0], panels, strict=True):
        ax.barh([k for k, _ in rows][::-1], [v for _, v in rows][::-1], color="#1f5fa8")
        ax.set_xlim(0, 1)
        ax.set_title(f"{suite}: {metric}")
        ax.tick_params(axis="y", labelsize=8)
        ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def plot_latency(records: Sequence[CaseRecord], suites: Sequence[SuiteName], path: Path) -> bool:
    series = [(s, [r.latency_ms for r in records if r.suite == s and r.latency_ms > 0]) for s in suites]
    series = [(s, v) for s, v in series if v]
    if not series:
        return False
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4))
    for suite, values in series:
        ax.hist(values, bins=30, alpha=0.6, label=suite)
    ax.set_xlabel("latency per case (ms)")
    ax.set_ylabel("cases")
    ax.set_title("Latency")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def _worst(records: Sequence[CaseRecord], suite: SuiteName) -> list[CaseRecord]:
    mine = [r for r in records if r.suite == suite]
    scored = [r for r in mine if (case_score(r) or 0.0) < 1.0 or r.error]
    return sorted(scored, key=lambda r: (case_score(r) or 0.0, r.id))[:WORST_CASES]


def write_report(
    folder: Path, manifest: Manifest, records: list[CaseRecord], summaries: dict[SuiteName, Summary], failed: list[str]
) -> None:
    suites: list[SuiteName] = list(summaries)
    plots: list[tuple[str, str]] = []
    drawers: list[tuple[str, str, Callable[[Path], bool]]] = [
        ("risk_coverage.png", "Risk–coverage", lambda p: plot_risk_coverage(records, manifest.confidence_threshold, p)),
        ("slices.png", "Metrics by language and tag", lambda p: plot_slices(records, suites, p)),
        ("latency.png", "Latency", lambda p: plot_latency(records, suites, p)),
    ]
    for name, title, draw in drawers:
        if draw(folder / name):
            plots.append((name, title))
    env = Environment(loader=PackageLoader("counselor.evaluation", "templates"), autoescape=select_autoescape(["html"]))
    values = {
        "manifest": manifest,
        "summaries": summaries,
        "by_lang": {s: breakdown(s, [r for r in records if r.suite == s], lambda r: [r.lang]) for s in suites},
        "failed": failed,
        "plots": plots,
        "worst": {s: _worst(records, s) for s in suites},
        "primary": PRIMARY,
        "case_score": case_score,
    }
    (folder / "report.md").write_text(env.get_template("report.md.j2").render(**values), encoding="utf-8")
    images = {name: base64.b64encode((folder / name).read_bytes()).decode() for name, _ in plots}
    (folder / "report.html").write_text(
        env.get_template("report.html.j2").render(**values, images=images), encoding="utf-8"
    )
