"""``counselor eval run | compare | calibrate``: the evaluators' runner, diff and threshold picker."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from counselor.cli.console import err, fail
from counselor.cli.console import out as screen
from counselor.cli.progress import RichProgress
from counselor.errors import CounselorError
from counselor.settings import PROJECT_ROOT, get_settings

THRESHOLDS = PROJECT_ROOT / "evals" / "thresholds.yaml"


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("compare")(compare)
    app.command("calibrate")(calibrate)


def run(
    suite: Annotated[str, typer.Option(help="retrieval, answers, escalation, safety or all")] = "all",
    dataset: Annotated[
        list[Path] | None, typer.Option(help="JSON Lines dataset; repeat for several (default: each suite's own)")
    ] = None,
    answerer: Annotated[str | None, typer.Option(help="extractive, ollama or openai (default: settings)")] = None,
    out: Annotated[Path | None, typer.Option(help="run folder (default evals/runs/<time>-<suite>-<answerer>)")] = None,
    concurrency: Annotated[int | None, typer.Option(min=1, max=64, help="turns at once (default 1, LLMs 4)")] = None,
    judge: Annotated[
        bool, typer.Option(help="LLM-judged faithfulness and relevance with the configured model")
    ] = False,
    judge_repeats: Annotated[int, typer.Option(min=1, max=10)] = 1,
    thresholds: Annotated[Path, typer.Option(help="the gate's thresholds")] = THRESHOLDS,
    gate: Annotated[bool, typer.Option(help="check the thresholds (--no-gate: report only)")] = True,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Run suites into a run folder (manifest, cases, summary, report.md/html). Exits 1 when a threshold fails."""
    from counselor.evaluation.registry import expand_suites
    from counselor.evaluation.runner import RunOptions, run_evaluation
    from counselor.evaluation.thresholds import load_thresholds

    if answerer not in (None, "extractive", "ollama", "openai"):
        raise typer.BadParameter("answerer is extractive, ollama or openai")
    try:
        settings = get_settings(**({"llm": answerer} if answerer else {}))
        suites = expand_suites(suite)
        bounds = load_thresholds(thresholds) if gate else {}
        options = RunOptions(
            suites=suites,
            datasets=list(dataset or []),
            out=out,
            concurrency=concurrency or (1 if settings.llm == "extractive" else 4),
            judge=judge,
            judge_repeats=judge_repeats,
        )
        with RichProgress(err, enabled=not as_json and err.is_terminal) as progress:
            result = run_evaluation(settings, options, bounds, progress)
    except CounselorError as exc:
        fail(str(exc))
    if as_json:
        payload = {"folder": str(result.folder), "summaries": result.summaries, "gate_failures": result.failed}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        for name, summary in result.summaries.items():
            table = Table("metric", "value", title=name)
            for key, value in summary.items():
                table.add_row(key, "–" if value is None else f"{value:g}")
            screen.print(table)
        screen.print(f"run folder: {result.folder}", highlight=False)
    if result.failed:
        for line in result.failed:
            err.print(f"[bold red]gate:[/] {line}", highlight=False)
        raise typer.Exit(1)


def compare(
    run_a: Annotated[Path, typer.Argument(help="the baseline run folder")],
    run_b: Annotated[Path, typer.Argument(help="the run to judge against it")],
    resamples: Annotated[int, typer.Option(min=100, max=20000)] = 1000,
    markdown: Annotated[Path | None, typer.Option(help="write the comparison here (default RUN_B/compare.md)")] = None,
    limit: Annotated[int, typer.Option(help="cases listed per direction")] = 20,
) -> None:
    """Per-metric deltas (B − A) with paired bootstrap 95% intervals, and the cases that got worse or better."""
    from counselor.evaluation.compare import compare_runs, to_markdown

    try:
        result = compare_runs(run_a, run_b, resamples)
    except CounselorError as exc:
        fail(str(exc))
    table = Table("suite", "metric", "A", "B", "B − A", "95% interval", title=f"{run_b.name} vs {run_a.name}")
    for m in result.metrics:
        interval = f"[{m.low:+.4f}, {m.high:+.4f}]" if m.low is not None and m.high is not None else "–"
        delta = "–" if m.delta is None else f"{m.delta:+.4f}"
        style = ("green" if (m.delta or 0) > 0 else "red") if m.significant else ""
        table.add_row(
            m.suite, m.metric, *("–" if v is None else f"{v:.4f}" for v in (m.a, m.b)), delta, interval, style=style
        )
    screen.print(table)
    screen.print(f"{len(result.worse)} cases worse, {len(result.better)} better", highlight=False)
    for change in result.worse[:limit]:
        screen.print(f"  [red]worse[/] {change.suite} {change.key}: {change.a:.2f} → {change.b:.2f}", highlight=False)
    target = markdown or run_b / "compare.md"
    target.write_text(to_markdown(result, limit), encoding="utf-8")
    screen.print(f"written: {target}", highlight=False)


def calibrate(
    dataset: Annotated[list[Path] | None, typer.Option(help="datasets (default: escalation and answers sets)")] = None,
    target_precision: Annotated[
        float | None, typer.Option(min=0, max=1, help="escalations warranted at least this often")
    ] = None,
    target_coverage: Annotated[float | None, typer.Option(min=0, max=1, help="answer at least this share")] = None,
    settings_file: Annotated[Path, typer.Option(help="dotenv file the threshold is written to")] = Path(".env"),
    out: Annotated[Path | None, typer.Option(help="run folder for the report with the curve")] = None,
    dry_run: Annotated[bool, typer.Option(help="report the choice without writing it")] = False,
) -> None:
    """Pick the confidence threshold for a target escalation precision or coverage and write it to settings."""
    from counselor.evaluation.calibrate import SETTING, pick, write_setting
    from counselor.evaluation.runner import RunOptions, run_evaluation

    if (target_precision is None) == (target_coverage is None):
        raise typer.BadParameter("give exactly one of --target-precision and --target-coverage")
    try:
        base = get_settings()
        # Every turn past the rules reaches the answerer, so each gets a confidence to sweep over.
        chat = base.chat.model_copy(update={"confidence_threshold": 0.0})
        settings = base.model_copy(update={"chat": chat, "llm": "extractive"})
        options = RunOptions(suites=["escalation"], datasets=list(dataset or []), out=out)
        with RichProgress(err, enabled=err.is_terminal) as progress:
            result = run_evaluation(settings, options, None, progress)
    except CounselorError as exc:
        fail(str(exc))
    chosen = pick(result.records, target_precision, target_coverage)
    if chosen is None:
        fail("no threshold meets that target on this dataset", code=1)
    threshold, coverage, precision = chosen
    screen.print(
        f"threshold {threshold:.4f}: answers {coverage:.1%} of scored turns, escalations warranted {precision:.1%} "
        f"(was {base.chat.confidence_threshold:g}); curve in {result.folder / 'report.html'}",
        highlight=False,
    )
    if not dry_run:
        write_setting(settings_file, threshold)
        screen.print(f"written: {SETTING}={threshold:.4f} to {settings_file}", highlight=False)
