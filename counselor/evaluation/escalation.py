"""Escalation metrics, pure functions over (should it be handed over, was it) pairs and confidence scores.

A turn is *held back* when the bot did not answer on its own: it handed the chat to a caseworker (escalated,
crisis) or asked the citizen to say more. The risk–coverage curve orders the turns the confidence score was
computed for from most to least confident: at coverage c the bot answers the top c of them, and the risk is
the share of those answers that are wrong (a must-escalate case answered, or the wrong first policy).
"""

from __future__ import annotations

from collections.abc import Sequence

HELD_BACK = frozenset({"escalated", "crisis", "needs_more_info"})


def held_back(status: str | None) -> bool:
    return status in HELD_BACK


def prf(pairs: Sequence[tuple[bool, bool]]) -> dict[str, float | None]:
    """Precision, recall and F1 of held back (predicted) against must escalate (expected), and the rate."""
    if not pairs:
        return {"precision": None, "recall": None, "f1": None, "escalation_rate": None}
    tp = sum(1 for must, held in pairs if must and held)
    predicted = sum(1 for _, held in pairs if held)
    actual = sum(1 for must, _ in pairs if must)
    precision = tp / predicted if predicted else None
    recall = tp / actual if actual else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else (0.0 if actual else None)
    return {"precision": precision, "recall": recall, "f1": f1, "escalation_rate": predicted / len(pairs)}


def risk_coverage(scored: Sequence[tuple[float, bool]]) -> list[tuple[float, float]]:
    """(coverage, risk) after each case, most confident first; ``scored`` is (confidence, correct if answered).
    Ties keep their order, and the curve is computed once over the sorted list."""
    ordered = sorted(scored, key=lambda s: -s[0])
    curve, wrong = [], 0
    for i, (_, correct) in enumerate(ordered, start=1):
        wrong += not correct
        curve.append((i / len(ordered), wrong / i))
    return curve


def aurc(scored: Sequence[tuple[float, bool]]) -> float | None:
    """Area under the risk–coverage curve (lower is better; a perfect ranking gives the least possible)."""
    curve = risk_coverage(scored)
    return sum(risk for _, risk in curve) / len(curve) if curve else None


def choose_threshold(
    scored: Sequence[tuple[float, bool]],
    target_precision: float | None = None,
    target_coverage: float | None = None,
) -> tuple[float, float, float] | None:
    """The confidence threshold (answer when confidence >= it) for a target, as (threshold, coverage,
    escalation precision). ``target_precision``: the highest threshold whose escalations are warranted (the
    answer would have been wrong) at least that often. ``target_coverage``: the highest threshold that still
    answers at least that share. None when no threshold meets the target."""
    if not scored or (target_precision is None) == (target_coverage is None):
        return None
    chosen = None
    for t in sorted({c for c, _ in scored}):
        answered = [ok for c, ok in scored if c >= t]
        escalated = [ok for c, ok in scored if c < t]
        coverage = len(answered) / len(scored)
        precision = sum(not ok for ok in escalated) / len(escalated) if escalated else 1.0
        if target_coverage is not None and coverage >= target_coverage:
            chosen = (t, coverage, precision)
        if target_precision is not None and escalated and precision >= target_precision:
            chosen = (t, coverage, precision)
    return chosen
