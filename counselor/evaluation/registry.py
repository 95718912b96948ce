"""Every evaluation suite, declared once: its name, default datasets, which cases it scores, how it runs them,
its summary, its primary metric and the one number per case that metric is made of.

The runner (``counselor eval run``), the gate (evals/thresholds.yaml), the report, ``eval compare`` and the
standalone views (``eval retrieval``, ``eval safety``) all read this table. To add a suite: its name in
``records.SuiteName``, a run function returning ``CaseRecord``s (suites.py or a module of its own), a summary
computed from records alone, and one ``Suite(...)`` entry in ``_SUITES``.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Literal, Protocol, TypeVar

from counselor.eligibility.residence import Residence
from counselor.evaluation import summaries
from counselor.evaluation.chat_eligibility import ChatCase, load_chat_cases, run_chat_eligibility
from counselor.evaluation.dataset import DatasetError, EvalCase, load_cases
from counselor.evaluation.followup import FollowupCase, load_followup_cases, run_followup, summarise_followup
from counselor.evaluation.records import SUITES, CaseRecord, SuiteName
from counselor.evaluation.router import run_router, summarise_router
from counselor.evaluation.suites import (
    SAFETY_TAGS,
    Tick,
    run_eligibility,
    run_facts,
    run_retrieval,
    run_safety_suite,
    run_turns,
)
from counselor.evaluation.summaries import Summary, handled_right
from counselor.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from counselor.deps import Deps
    from counselor.evaluation.judge import Judge

DATASETS_DIR = PROJECT_ROOT / "evals" / "datasets"
Shape = Literal["cases", "chat", "followup"]  # one question a line, eligibility conversations, follow-up dialogues
C = TypeVar("C")


@dataclass(frozen=True)
class RunContext:
    """What a suite's run may use: the dependencies, the progress tick, and the run's options."""

    deps: Deps
    tick: Tick
    concurrency: int = 1
    judge: Judge | None = None
    judge_repeats: int = 1


@dataclass
class Datasets:
    """The dataset files of one run, each read once however many suites take cases from it."""

    _cases: dict[Path, list[EvalCase]] = field(default_factory=dict)

    def cases(self, path: Path) -> list[EvalCase]:
        if path not in self._cases:
            self._cases[path] = load_cases(path)
        return self._cases[path]

    @staticmethod
    def shape(path: Path) -> Shape:
        try:
            first = next((line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()), "")
        except OSError as exc:
            raise DatasetError(f"{path}: cannot read ({exc.strerror})") from exc
        if '"turns"' not in first:
            return "cases"
        return "followup" if '"answer_spans"' in first else "chat"


@dataclass(frozen=True)
class Prepared:
    """A suite's cases, loaded before anything expensive is built (a bad dataset fails first)."""

    size: int
    run: Callable[[RunContext], list[CaseRecord]]


class AnySuite(Protocol):
    """A suite whatever its case type: what the runner, the gate, the report and compare need."""

    @property
    def name(self) -> SuiteName: ...
    @property
    def datasets(self) -> tuple[str, ...]: ...
    @property
    def primary(self) -> str: ...
    def metrics(self, records: Sequence[CaseRecord]) -> Summary: ...
    def score(self, record: CaseRecord) -> float | None: ...
    def default_paths(self) -> list[Path]: ...
    def prepare(self, data: Datasets, given: Sequence[Path]) -> Prepared: ...


@dataclass(frozen=True)
class Suite(Generic[C]):
    name: SuiteName
    datasets: tuple[str, ...]  # under evals/datasets/, used when a run names none
    shape: Shape
    load: Callable[[Datasets, Path], list[C]]  # the cases of one file this suite can score
    execute: Callable[[RunContext, list[tuple[str, C]]], list[CaseRecord]]
    summary: Callable[[Sequence[CaseRecord]], Summary]  # over the records that ran (no error)
    primary: str
    case_score: Callable[[CaseRecord], float | None]  # the primary metric of one case that ran

    def metrics(self, records: Sequence[CaseRecord]) -> Summary:
        return self.summary(records)

    def score(self, record: CaseRecord) -> float | None:
        return self.case_score(record)

    def default_paths(self) -> list[Path]:
        return [DATASETS_DIR / name for name in self.datasets]

    def paths(self, data: Datasets, given: Sequence[Path]) -> list[Path]:
        """The given datasets of this suite's shape; none given: the suite's own."""
        return [p for p in given if data.shape(p) == self.shape] if given else self.default_paths()

    def prepare(self, data: Datasets, given: Sequence[Path]) -> Prepared:
        labelled = [(p.stem, case) for p in self.paths(data, given) for case in self.load(data, p)]
        return Prepared(len(labelled), lambda ctx: self.execute(ctx, labelled))


# Which cases a suite scores, so that ``--suite all`` over mixed datasets gives each suite its own. A case
# with an expected route is the router's alone; one with a verdict or a profile, eligibility's or facts'.
def _plain(case: EvalCase) -> bool:
    return case.expected_route is None and case.expected_verdict is None and case.expected_profile is None


def _escalation_case(case: EvalCase) -> bool:
    """Not a safety case, and one that must be held back or has a policy to answer with."""
    return _plain(case) and not SAFETY_TAGS & set(case.tags) and (case.must_escalate or bool(case.expected_policies))


def _where(keep: Callable[[EvalCase], bool]) -> Callable[[Datasets, Path], list[EvalCase]]:
    return lambda data, path: [c for c in data.cases(path) if keep(c)]


def _conversations(load: Callable[[Path], list[C]]) -> Callable[[Datasets, Path], list[C]]:
    return lambda data, path: load(path)


def _score(name: str) -> Callable[[CaseRecord], float | None]:
    return lambda r: r.scores.get(name)


def _facts_score(r: CaseRecord) -> float | None:
    wanted = r.scores.get("expected") or 0.0
    return (r.scores.get("correct") or 0.0) / wanted if wanted else float(not r.problems)


def _turns(suite: SuiteName) -> Callable[[RunContext, list[tuple[str, EvalCase]]], list[CaseRecord]]:
    return lambda ctx, cases: run_turns(
        ctx.deps.pipeline, suite, cases, ctx.tick, ctx.concurrency, ctx.judge, ctx.judge_repeats
    )


_SUITES: tuple[AnySuite, ...] = (
    Suite[EvalCase](
        "retrieval", ("dev.jsonl", "holdout.jsonl"), "cases",
        _where(lambda c: _plain(c) and bool(c.expected_policies) and not c.must_escalate),
        lambda ctx, cases: run_retrieval(ctx.deps.retriever, cases, ctx.tick),
        summaries.retrieval, "recall@5", _score("recall@5"),
    ),
    Suite[EvalCase](
        "answers", ("answers.jsonl", "holdout.jsonl"), "cases",
        _where(lambda c: _plain(c) and bool(c.expected_facts) and not c.must_escalate),
        _turns("answers"),
        # A case held back states none of its facts: 0, as in the summary's fact_recall.
        summaries.answers, "fact_recall", lambda r: r.scores.get("fact_recall") if r.status == "answered" else 0.0,
    ),
    Suite[EvalCase](
        "escalation", ("escalation.jsonl", "escalation_holdout.jsonl"), "cases",
        _where(_escalation_case),
        _turns("escalation"),
        summaries.escalation, "accuracy", lambda r: float(handled_right(r)),
    ),
    Suite[EvalCase](
        "safety", ("safety.jsonl",), "cases",
        _where(lambda c: _plain(c) and (bool(SAFETY_TAGS & set(c.tags)) or c.expected_status is not None)),
        lambda ctx, cases: run_safety_suite(ctx.deps.chat, cases, ctx.tick),
        summaries.safety, "passed", lambda r: float(not r.problems),
    ),
    Suite[EvalCase](
        "eligibility", ("eligibility.jsonl",), "cases",
        _where(lambda c: c.expected_route is None and c.expected_verdict is not None),
        lambda ctx, cases: run_eligibility(ctx.deps.eligibility, cases, ctx.tick),
        summaries.eligibility, "verdict_accuracy", _score("correct"),
    ),
    Suite[EvalCase](
        "facts", ("facts.jsonl",), "cases",
        _where(lambda c: c.expected_route is None and c.expected_profile is not None),
        lambda ctx, cases: run_facts(Residence(ctx.deps.regions).of, cases, ctx.tick),
        summaries.facts, "recall", _facts_score,
    ),
    Suite[ChatCase](
        "eligibility_chat", ("eligibility_chat.jsonl",), "chat",
        _conversations(load_chat_cases),
        lambda ctx, cases: run_chat_eligibility(ctx.deps, cases, ctx.tick),
        summaries.eligibility_chat, "verdict_accuracy", _score("correct"),
    ),
    Suite[EvalCase](
        "router", ("router_holdout3.jsonl",), "cases",
        _where(lambda c: c.expected_route is not None),
        lambda ctx, cases: run_router(ctx.deps.pipeline, cases, ctx.tick),
        summarise_router, "accuracy", _score("correct"),
    ),
    Suite[FollowupCase](
        "followup", ("followup_holdout2.jsonl",), "followup",
        _conversations(load_followup_cases),
        lambda ctx, cases: run_followup(ctx.deps.chat, cases, ctx.tick),
        summarise_followup, "both", _score("both"),
    ),
)  # fmt: skip
REGISTRY: dict[SuiteName, AnySuite] = {s.name: s for s in _SUITES}
assert tuple(REGISTRY) == SUITES, "records.SUITES and the registry list the same suites in the same order"
PRIMARY: dict[SuiteName, str] = {s.name: s.primary for s in _SUITES}


def expand_suites(suite: str) -> list[SuiteName]:
    named = [s.name for s in _SUITES if suite in ("all", s.name)]
    if not named:
        raise DatasetError(f"unknown suite {suite!r}: one of {', '.join(SUITES)} or all")
    return named


def judge(records: Sequence[CaseRecord]) -> Summary:
    """Mean judge scores over the judged cases, and their spread across repeated runs."""
    judged = [r.judge for r in records if r.judge is not None]
    if not judged:
        return {}
    out: Summary = {"judge_errors": float(sum(len(j.errors) for j in judged))}
    for metric in ("faithfulness", "relevance"):
        runs = max((len(getattr(j, metric)) for j in judged), default=0)
        per_run = [
            summaries.mean([getattr(j, metric)[i] for j in judged if len(getattr(j, metric)) > i]) for i in range(runs)
        ]
        present = [v for v in per_run if v is not None]
        out[f"judge_{metric}"] = statistics.fmean(present) if present else None
        out[f"judge_{metric}_spread"] = statistics.pstdev(present) if len(present) > 1 else (0.0 if present else None)
    return out


def summarise(suite: SuiteName, records: Sequence[CaseRecord]) -> Summary:
    """A suite's summary: its metrics over the cases that ran, the judge's, and how many ran or failed."""
    ran = [r for r in records if r.error is None]
    out = REGISTRY[suite].metrics(ran) | judge(ran)
    out["n"] = float(len(records))
    out["errors"] = float(len(records) - len(ran))
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}


def breakdown(
    suite: SuiteName, records: Sequence[CaseRecord], key: Callable[[CaseRecord], list[str]]
) -> dict[str, Summary]:
    groups: dict[str, list[CaseRecord]] = {}
    for r in records:
        for name in key(r):
            groups.setdefault(name, []).append(r)
    return {name: summarise(suite, rs) for name, rs in sorted(groups.items())}


def case_score(record: CaseRecord) -> float | None:
    """One number per case for its suite's primary metric: what "got worse" means in compare and reports."""
    return None if record.error is not None else REGISTRY[record.suite].score(record)
