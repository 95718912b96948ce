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
from counselor.eligibility.residence import Residence
from counselor.evaluation.chat_eligibility import ChatCase, load_chat_cases, run_chat_eligibility
from counselor.evaluation.dataset import DatasetError, EvalCase, load_cases
from counselor.evaluation.followup import FollowupCase, load_followup_cases, run_followup
from counselor.evaluation.judge import Judge
from counselor.evaluation.manifest import Manifest, build_manifest, now
from counselor.evaluation.records import SUITES, CaseRecord, SuiteName
from counselor.evaluation.router import run_router
from counselor.evaluation.suites import (
    Labelled,
    applies,
    run_eligibility,
    run_facts,
    run_retrieval,
    run_safety_suite,
    run_turns,
)
from counselor.evaluation.summaries import Summary, breakdown, summarise
from counselor.evaluation.thresholds import Thresholds, failures
from counselor.settings import PROJECT_ROOT, Settings

DATASETS_DIR = PROJECT_ROOT / "evals" / "datasets"
DEFAULT_DATASETS: dict[SuiteName, tuple[str, ...]] = {
    "retrieval": ("dev.jsonl", "holdout.jsonl"),
    "answers": ("answers.jsonl", "holdout.jsonl"),
    "escalation": ("escalation.jsonl", "escalation_holdout.jsonl"),
    "safety": ("safety.jsonl",),
    "eligibility": ("eligibility.jsonl",),
    "facts": ("facts.jsonl",),
    "router": ("router_holdout3.jsonl",),
    "eligibility_chat": ("eligibility_chat.jsonl",),
    "followup": ("followup_holdout2.jsonl",),
}
# Suites whose cases are conversations, each in datasets of its own shape (``_shape``).
CONVERSATIONS: dict[SuiteName, str] = {"eligibility_chat": "chat", "followup": "followup"}


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


def expand_suites(suite: str) -> list[SuiteName]:
    if suite == "all":
        return list(SUITES)
    if suite not in SUITES:
        raise DatasetError(f"unknown suite {suite!r}: one of {', '.join(SUITES)} or all")
    return [suite]


def cases_for(suites: Sequence[SuiteName], datasets: Sequence[Path]) -> dict[SuiteName, list[Labelled]]:
    """Each suite's cases: from the given datasets, the cases the suite can score; else its own datasets."""
    loaded: dict[Path, list[EvalCase]] = {}

    def load(path: Path) -> list[EvalCase]:
        if path not in loaded:
            loaded[path] = load_cases(path)
        return loaded[path]

    out: dict[SuiteName, list[Labelled]] = {}
    for suite in suites:
        if suite in CONVERSATIONS:
            continue  # cases of their own shape: conversation_paths
        paths = list(datasets) or [DATASETS_DIR / name for name in DEFAULT_DATASETS[suite]]
        out[suite] = [(p.stem, c) for p in paths if _shape(p) == "cases" for c in load(p) if applies(suite, c)]
    return out


def conversation_paths(suite: SuiteName, datasets: Sequence[Path]) -> list[Path]:
    """A conversation suite's datasets: those of its shape among the given ones; else the suite's own."""
    if datasets:
        return [p for p in datasets if _shape(p) == CONVERSATIONS[suite]]
    return [DATASETS_DIR / name for name in DEFAULT_DATASETS[suite]]


def chat_cases_for(datasets: Sequence[Path]) -> list[tuple[str, ChatCase]]:
    """The end-to-end eligibility cases: from the given datasets those of their shape; else the suite's own."""
    return [(p.stem, c) for p in conversation_paths("eligibility_chat", datasets) for c in load_chat_cases(p)]


def followup_cases_for(datasets: Sequence[Path]) -> list[tuple[str, FollowupCase]]:
    """The follow-up dialogues: from the given datasets those of their shape; else the suite's own."""
    return [(p.stem, c) for p in conversation_paths("followup", datasets) for c in load_followup_cases(p)]


def _shape(path: Path) -> str:
    """ "cases" (one question a line), "chat" (eligibility conversations) or "followup" (dialogues with spans)."""
    try:
        first = next((line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()), "")
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror})") from exc
    if '"turns"' not in first:
        return "cases"
    return "followup" if '"answer_spans"' in first else "chat"


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
    cases = cases_for(options.suites, options.datasets)
    defaults = {DATASETS_DIR / name for s in options.suites for name in DEFAULT_DATASETS[s]}
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
        records: list[CaseRecord] = []
        chat_cases = chat_cases_for(options.datasets) if "eligibility_chat" in options.suites else []
        dialogues = followup_cases_for(options.datasets) if "followup" in options.suites else []
        sizes = {"eligibility_chat": len(chat_cases), "followup": len(dialogues)}
        for suite in options.suites:
            progress.start(suite, sizes[suite] if suite in sizes else len(cases[suite]))
            tick = progress.advance
            if suite == "eligibility_chat":
                records += run_chat_eligibility(deps, chat_cases, tick)
            elif suite == "followup":
                records += run_followup(deps.chat, dialogues, tick)
            elif suite == "retrieval":
                records += run_retrieval(deps.retriever, cases[suite], tick)
            elif suite == "safety":
                records += run_safety_suite(deps.chat, cases[suite], tick)
            elif suite == "eligibility":
                records += run_eligibility(deps.eligibility, cases[suite], tick)
            elif suite == "facts":
                records += run_facts(Residence(deps.regions).of, cases[suite], tick)
            elif suite == "router":
                records += run_router(deps.pipeline, cases[suite], tick)
            else:
                records += run_turns(
                    deps.pipeline, suite, cases[suite], tick, options.concurrency, judge, options.judge_repeats
                )
        if "store" in deps.__dict__:
            deps.store.engine.dispose()
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
