"""Fact extraction scored as (fact, value) pairs: a child counts once for being there and once for its age,
benefits as a set. A ``False`` the extractor infers ("single mother" → not a couple) is scored only when the
case states it, so an inference is neither rewarded nor punished when nobody asked for it."""

from __future__ import annotations

from collections import Counter

from counselor.jsontypes import JsonObject

Pair = tuple[str, object]


def fact_pairs(facts: JsonObject) -> Counter[Pair]:
    pairs: Counter[Pair] = Counter()
    for name, value in facts.items():
        if name in ("sources", "income_band", "conditions") or value is None:
            continue  # conditions (daycare, a diagnosis ...) are outside the datasets' schema: not scored
        if name == "children":
            pairs[("children", len(value))] += 1
            for child in value:
                child = {k: v for k, v in child.items() if v is not None} if isinstance(child, dict) else {}
                if child:
                    pairs[("child_age", _hashable(child))] += 1
        elif name == "recipient":
            pairs[("recipient", frozenset([value] if isinstance(value, str) else value))] += 1
        else:
            pairs[(name, _hashable(value))] += 1
    return pairs


def _hashable(value: object) -> object:
    """A fact's value as a key: a dataset may state a fact as a list or a mapping ("birth": {"year": 2023}),
    which is scored like any other value, never a crash of the run."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def score(expected: JsonObject, found: JsonObject) -> tuple[int, int, int]:
    """(correct, found, expected) pair counts for one utterance."""
    want = fact_pairs(expected)
    got = fact_pairs(found)
    stated_false = {name for name, value in expected.items() if value is False}
    got = Counter({p: n for p, n in got.items() if p[1] is not False or p[0] in stated_false})
    correct = sum((want & got).values())
    return correct, sum(got.values()), sum(want.values())
