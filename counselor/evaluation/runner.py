"""``counselor eval run``: the suites over their datasets, written to one run folder.

RUN/manifest.json   what was run on (commit, knowledge hash, answerer, settings, dataset hashes, times)
RUN/cases.jsonl     one record per case and suite
RUN/summary.json    per suite: overall, by language, by tag, by dataset; and the gate's failures
RUN/report.md/.html the summary with plots, readable in a minute
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from counselor.deps import Deps, build_deps
from counselor.evaluation.judge import Judge
from counselor.evaluation.manifest import Manifest, build_manifest, now
from counselor.evaluation.records import SUITES, CaseRecord, SuiteName
from counselor.evaluation.registry import REGISTRY, Datasets, RunContext, breakdown, summarise
from counselor.evaluation.summaries import Summary
from counselor.evaluation.thresholds import Thresholds, failures
from counselor.settings import PROJECT_ROOT, Settings


class ProgressSink(Protocol):
    def start(self, phase: str, total: int) -> None: ...
    def advance(self, n: int = 1) -> None: ...


class _Silent:
    def start(self, phase: str, total: int) -> None:
        return None

    def advance(self, n: int = 1) -> None:
        return None


@dataclass
class RunOptions:
    suites: list[SuiteName]
    datasets: list[Path] = field(default_factory=list)  # empty: each suite's defaults
    out: Path | None = None
    concurrency: int = 1
    judge: bool = False
    judge_repeats: int = 1


@dataclass
class RunResult:
    folder: Path
    manifest: Manifest
    summaries: dict[SuiteName, Summary]
    records: list[CaseRecord]
    failed: list[str]


def default_folder(suites: Sequence[str], answerer: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = "all" if len(suites) == len(SUITES) else "+".join(suites)
    return PROJECT_ROOT / "evals" / "runs" / f"{stamp}-{name}-{answerer.split(':')[0]}"


def _judge(deps: Deps) -> Judge:
    from counselor.chat.answerers.factory import chat_model

    settings = deps.settings
    kind = "ollama" if settings.llm in ("auto", "extractive", "ollama") else settings.llm
    model = deps.chat_model or chat_model(settings, kind)
    return Judge(model, deps.prompts.get("judge"), f"{kind}", settings.llm_options.timeout_s)


def run_evaluation(
    settings: Settings,
    options: RunOptions,
    thresholds: Thresholds | None = None,
    progress: ProgressSink | None = None,
    deps: Deps | None = None,
) -> RunResult:
    progress = progress or _Silent()
    data = Datasets()
    prepared = {s: REGISTRY[s].prepare(data, options.datasets) for s in options.suites}
    defaults = {path for s in options.suites for path in REGISTRY[s].default_paths()}
    datasets = sorted(set(options.datasets) or defaults)
    with tempfile.TemporaryDirectory() as scratch:
        # Safety cases go through the chat service, which stores conversations: never in the real database.
        settings = settings.model_copy(update={"database_url": f"sqlite:///{Path(scratch) / 'eval.sqlite3'}"})
        deps = deps or build_deps(settings)
        manifest = build_manifest(
            settings, deps.answerer.name, list(options.suites), datasets, options.concurrency, deps.embedder.name
        )
        judge = _judge(deps) if options.judge else None
        if judge is not None:
            manifest.judge, manifest.judge_repeats = judge.label, options.judge_repeats
        context = RunContext(deps, progress.advance, options.concurrency, judge, options.judge_repeats)
        records: list[CaseRecord] = []
        for suite in options.suites:
            progress.start(suite, prepared[suite].size)
            records += prepared[suite].run(context)
        deps.close()
    manifest.finished_at = now()
    summaries = {s: summarise(s, [r for r in records if r.suite == s]) for s in options.suites}
    failed = failures(thresholds or {}, summaries)
    folder = options.out or default_folder(options.suites, manifest.answerer)
    write_run(folder, manifest, records, summaries, failed)
    return RunResult(folder, manifest, summaries, records, failed)


def write_run(
    folder: Path, manifest: Manifest, records: list[CaseRecord], summaries: dict[SuiteName, Summary], failed: list[str]
) -> None:
    from counselor.evaluation.report import write_report

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(manifest.model_dump_json(indent=1), encoding="utf-8")
    with (folder / "cases.jsonl").open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(record.model_dump_json() + "\n")
    detail = {
        suite: {
            "overall": summaries[suite],
            "by_lang": breakdown(suite, [r for r in records if r.suite == suite], lambda r: [r.lang]),
            "by_dataset": breakdown(suite, [r for r in records if r.suite == suite], lambda r: [r.dataset]),
            "by_tag": breakdown(suite, [r for r in records if r.suite == suite], lambda r: r.tags),
        }
        for suite in summaries
    }
    summary = {"suites": detail, "gate_failures": failed}
    (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    write_report(folder, manifest, records, summaries, failed)
