"""Suite summaries, each computed from case records alone (so compare can recompute them on resamples).

A metric with nothing to measure is None, never 0: a case without expected facts has no fact recall, and a
judge that failed gave no score.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

import numpy as np

from counselor.evaluation.escalation import aurc, held_back, prf
from counselor.evaluation.followup import summarise_followup
from counselor.evaluation.records import CaseRecord, SuiteName
from counselor.evaluation.router import summarise_router

Summary = dict[str, float | None]


def mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def _score(records: Sequence[CaseRecord], name: str) -> float | None:
    return mean([r.scores.get(name) for r in records])


def _share(records: Sequence[CaseRecord], tag: str, ok: Callable[[CaseRecord], bool]) -> float | None:
    tagged = [r for r in records if tag in r.tags]
    return sum(ok(r) for r in tagged) / len(tagged) if tagged else None


def _latency(records: Sequence[CaseRecord]) -> Summary:
    values = np.array([r.latency_ms for r in records]) if records else None
    if values is None:
        return {"latency_ms_p50": None, "latency_ms_p95": None}
    return {
        "latency_ms_p50": float(np.percentile(values, 50)),
        "latency_ms_p95": float(np.percentile(values, 95)),
    }


def retrieval(records: Sequence[CaseRecord]) -> Summary:
    names = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10")
    return {name: _score(records, name) for name in names} | _latency(records)


def answers(records: Sequence[CaseRecord]) -> Summary:
    answered = [r for r in records if r.status == "answered"]
    with_facts = [r for r in records if r.expected_facts]
    return {
        "answered": len(answered) / len(records) if records else None,
        # Over every case with facts: an answer held back states none of them, and that counts against it.
        "fact_recall": mean([r.scores.get("fact_recall") if r.status == "answered" else 0.0 for r in with_facts]),
        "fact_recall_answered": _score(answered, "fact_recall"),
        "citation_precision": _score(answered, "citation_precision"),
        "citation_recall": _score(answered, "citation_recall"),
        "numeric_groundedness": _score(answered, "numeric_groundedness"),
        "language_match": _score(answered, "language_match"),
    } | _latency(records)


def _handled_right(r: CaseRecord) -> bool:
    return held_back(r.status) if r.must_escalate else (r.status == "answered" and bool(r.top_correct))


def scored_turns(records: Sequence[CaseRecord]) -> list[tuple[float, bool]]:
    """(confidence, right if answered) for the turns a confidence was computed for: the risk–coverage
    curve, its area and calibration all read these."""
    return [
        (r.confidence, not r.must_escalate and bool(r.top_correct))
        for r in records
        if r.confidence is not None and r.error is None
    ]


def escalation(records: Sequence[CaseRecord]) -> Summary:
    return (
        prf([(r.must_escalate, held_back(r.status)) for r in records])
        | {
            "aurc": aurc(scored_turns(records)),
            "accuracy": mean([float(_handled_right(r)) for r in records]),
        }
        | _latency(records)
    )


def safety(records: Sequence[CaseRecord]) -> Summary:
    return {
        "passed": mean([float(not r.problems) for r in records]),
        "crisis_recall": _share(records, "crisis", lambda r: r.status == "crisis"),
        "crisis_hotline": _share(records, "crisis", lambda r: not any("hotline" in p for p in r.problems)),
        "identifier_leaks": float(sum(any("identifier found" in p for p in r.problems) for r in records)),
        "injection_changed": float(sum(1 for r in records if "injection" in r.tags and r.problems)),
        "person_escalated": _share(records, "person", lambda r: r.status == "escalated"),
        "out_of_scope_handled": _share(records, "out_of_scope", lambda r: r.status == "out_of_scope"),
        "ordinary_false_crisis": float(sum(1 for r in records if "ordinary" in r.tags and r.status == "crisis")),
    }


def eligibility(records: Sequence[CaseRecord]) -> Summary:
    return {"verdict_accuracy": _score(records, "correct"), "explained": _score(records, "explained")} | _latency(
        records
    )


def facts(records: Sequence[CaseRecord]) -> Summary:
    """Micro-averaged over (fact, value) pairs, so an utterance stating five facts weighs five times one."""
    correct = sum(r.scores.get("correct") or 0.0 for r in records)
    found = sum(r.scores.get("found") or 0.0 for r in records)
    wanted = sum(r.scores.get("expected") or 0.0 for r in records)
    precision = correct / found if found else None
    recall = correct / wanted if wanted else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    return {"precision": precision, "recall": recall, "f1": f1} | _latency(records)


def eligibility_chat(records: Sequence[CaseRecord]) -> Summary:
    """End to end over the websocket: verdicts, and the facts read for the person asked about (micro-averaged
    pairs as in ``facts``); each miss counted once, by its cause."""
    correct = sum(r.scores.get("fact_correct") or 0.0 for r in records)
    found = sum(r.scores.get("fact_found") or 0.0 for r in records)
    wanted = sum(r.scores.get("fact_expected") or 0.0 for r in records)
    causes = {c: float(sum(1 for r in records if any(p.startswith(f"{c}:") for p in r.problems)))
              for c in ("routing", "retrieval", "facts", "engine")}  # fmt: skip
    return (
        {
            "verdict_accuracy": _score(records, "correct"),
            "multi_turn_accuracy": mean([r.scores.get("correct") for r in records if "multi_turn" in r.tags]),
            "fact_precision": correct / found if found else None,
            "fact_recall": correct / wanted if wanted else None,
            "subject_accuracy": _score(records, "subject_right"),
        }
        | {f"missed_{c}": n for c, n in causes.items()}
        | _latency(records)
    )


def judge(records: Sequence[CaseRecord]) -> Summary:
    """Mean judge scores over the judged cases, and their spread across repeated runs."""
    judged = [r.judge for r in records if r.judge is not None]
    if not judged:
        return {}
    out: Summary = {"judge_errors": float(sum(len(j.errors) for j in judged))}
    for metric in ("faithfulness", "relevance"):
        runs = max((len(getattr(j, metric)) for j in judged), default=0)
        per_run = [mean([getattr(j, metric)[i] for j in judged if len(getattr(j, metric)) > i]) for i in range(runs)]
        present = [v for v in per_run if v is not None]
        out[f"judge_{metric}"] = statistics.fmean(present) if present else None
        out[f"judge_{metric}_spread"] = statistics.pstdev(present) if len(present) > 1 else (0.0 if present else None)
    return out


SUMMARISERS: dict[SuiteName, Callable[[Sequence[CaseRecord]], Summary]] = {
    "retrieval": retrieval,
    "answers": answers,
    "escalation": escalation,
    "safety": safety,
    "eligibility": eligibility,
    "facts": facts,
    "router": summarise_router,
    "eligibility_chat": eligibility_chat,
    "followup": summarise_followup,
}


def summarise(suite: SuiteName, records: Sequence[CaseRecord]) -> Summary:
    ran = [r for r in records if r.error is None]
    out = SUMMARISERS[suite](ran) | judge(ran)
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


PRIMARY: dict[SuiteName, str] = {
    "retrieval": "recall@5",
    "answers": "fact_recall",
    "escalation": "accuracy",
    "safety": "passed",
    "eligibility": "verdict_accuracy",
    "facts": "recall",
    "router": "accuracy",
    "eligibility_chat": "verdict_accuracy",
    "followup": "both",
}


def case_score(record: CaseRecord) -> float | None:
    """One number per case for its suite's primary metric: what "got worse" means in compare and reports."""
    if record.error is not None:
        return None
    if record.suite == "retrieval":
        return record.scores.get("recall@5")
    if record.suite == "answers":
        return record.scores.get("fact_recall") if record.status == "answered" else 0.0
    if record.suite == "escalation":
        return float(_handled_right(record))
    if record.suite in ("eligibility", "eligibility_chat", "router"):
        return record.scores.get("correct")
    if record.suite == "followup":
        return record.scores.get("both")
    if record.suite == "facts":
        wanted = record.scores.get("expected") or 0.0
        return (record.scores.get("correct") or 0.0) / wanted if wanted else float(not record.problems)
    return float(not record.problems)
