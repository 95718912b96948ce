"""Train the router: ``counselor router train``. Reproducible: the same corpus, embedder and seed give the same
weights.

The corpus is `evals/training/router_train.jsonl` (written by `evals/sources/router_cases.py`, reviewable by
group), `evals/training/router_train_2.jsonl` (a second round written by another procedure: welfare
questions in the words of worry, dialect and short follow-ups, acknowledgements, hard crises),
`evals/training/router_train_3.jsonl` (what a citizen asks after an answer: a program's phone number, office or
papers, a child's age and amount — read as a request for a person or a child in danger before — and plain
requests for a person beside them), `evals/training/router_train_4.jsonl` (facts said in plain words — ages, illness,
a death, debts, a reply to the bot's question — as welfare, beside crises and distress that carry the same facts
and a danger now or a struggle: the model had learnt facts as danger), `evals/training/router_train_5.jsonl`
(the body, health and losses said as facts — teeth, memory, hearing, a care grade, a child's age in months,
a veteran's service, a death years ago — beside crises and distress that carry the same facts), plus every
question of the booklet's 자주하는 질문 sections in `knowledge/` (real citizens' questions, all welfare). Each
text is embedded exactly as a turn would embed it (the retriever's dense query through the embedder), and a
multinomial logistic regression (scikit-learn) is fitted with balanced class weights. Before the final fit,
stratified 5-fold cross-validation over the corpus reports how the bars in `RouterSettings` would do on
utterances the model did not see: these are the training-set figures; the frozen held-out sets (`counselor
eval run --suite router`) are never used here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from counselor.chat.routing.decide import decide
from counselor.chat.routing.model import RouterModel
from counselor.chat.routing.routes import CRISIS_ROUTES, Route
from counselor.settings import PROJECT_ROOT, RouterSettings

CORPUS = tuple(
    PROJECT_ROOT / "evals" / "training" / name
    for name in (
        "router_train.jsonl",
        "router_train_2.jsonl",
        "router_train_3.jsonl",
        "router_train_4.jsonl",
        "router_train_5.jsonl",
    )
)
# The kinds head (router.py, ``Router.kinds``) learns from the main corpus and round 7: one-word and fragment
# messages as vague, closings as small talk, everyday topics with words of danger as off topic.
KINDS_CORPUS = (*CORPUS, PROJECT_ROOT / "evals" / "training" / "router_train_7.jsonl")
_FAQ_Q = re.compile(r"^\*\*Q\.\*\*\s*(.+?)\s*$", re.MULTILINE)


class Utterance(BaseModel):
    text: str
    label: Route
    source: str


class CrossValidation(BaseModel):
    folds: int
    n: int
    accuracy: float  # the routing policy's route against the label (crisis kinds kept apart)
    crisis_recall: float
    crisis_precision: float
    crisis_kind_accuracy: float
    welfare_kept: float  # welfare utterances routed welfare
    welfare_out_of_scope: float
    per_label_recall: dict[str, float]


def corpus(
    paths: Sequence[Path] = CORPUS, knowledge: Sequence[Path] = (PROJECT_ROOT / "knowledge",)
) -> list[Utterance]:
    lines = [line for path in paths for line in path.read_text(encoding="utf-8").splitlines()]
    rows = [json.loads(line) for line in lines if line.strip()]
    out = [Utterance(text=r["text"], label=Route(r["label"]), source=r.get("group", "corpus")) for r in rows]
    for root in knowledge:
        for file in sorted(root.rglob("*.md")):
            for question in _FAQ_Q.findall(file.read_text(encoding="utf-8")):
                out.append(Utterance(text=question, label=Route.WELFARE, source="booklet_faq"))
    seen: set[str] = set()
    unique = []
    for u in out:
        key = " ".join(u.text.split())
        if key and key not in seen:
            seen.add(key)
            unique.append(u)
    return unique


def embed_all(texts: Iterable[str], embed: Callable[[str], np.ndarray]) -> np.ndarray:
    return np.stack([np.asarray(embed(t), dtype=np.float32) for t in texts])


def _fit(x: np.ndarray, y: np.ndarray, c: float, seed: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    from sklearn.linear_model import LogisticRegression  # a training-time dependency only

    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=seed)
    clf.fit(x, y)
    return clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32), [str(c) for c in clf.classes_]


def cross_validate(
    texts: Sequence[str],
    x: np.ndarray,
    labels: Sequence[Route],
    bars: RouterSettings,
    c: float,
    seed: int,
    folds: int = 5,
) -> CrossValidation:
    from sklearn.model_selection import StratifiedKFold

    y = np.array([label.value for label in labels])
    predicted: list[Route] = [Route.WELFARE] * len(y)
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        coef, intercept, classes = _fit(x[train_idx], y[train_idx], c, seed)
        model = RouterModel(tuple(Route(k) for k in classes), coef, intercept, "cv")
        for i in test_idx:
            predicted[i] = decide(texts[i], model.probabilities(x[i]), bars).route
    gold = list(labels)
    crisis_gold = [g in CRISIS_ROUTES for g in gold]
    crisis_pred = [p in CRISIS_ROUTES for p in predicted]
    caught = sum(g and p for g, p in zip(crisis_gold, crisis_pred, strict=True))
    welfare = [p for g, p in zip(gold, predicted, strict=True) if g == Route.WELFARE]
    kinds_right = sum(g == p for g, p in zip(gold, predicted, strict=True) if g in CRISIS_ROUTES and p in CRISIS_ROUTES)
    per_label = {
        route.value: round(sum(p == route for g, p in zip(gold, predicted, strict=True) if g == route) / n, 4)
        for route in Route
        if (n := sum(g == route for g in gold))
    }
    return CrossValidation(
        folds=folds,
        n=len(gold),
        accuracy=round(sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold), 4),
        crisis_recall=round(caught / max(sum(crisis_gold), 1), 4),
        crisis_precision=round(caught / max(sum(crisis_pred), 1), 4),
        crisis_kind_accuracy=round(kinds_right / max(caught, 1), 4),
        welfare_kept=round(sum(p == Route.WELFARE for p in welfare) / max(len(welfare), 1), 4),
        welfare_out_of_scope=round(sum(p == Route.OFF_TOPIC for p in welfare) / max(len(welfare), 1), 4),
        per_label_recall=per_label,
    )


def train(
    utterances: Sequence[Utterance],
    embed: Callable[[str], np.ndarray],
    embedder: str,
    bars: RouterSettings,
    c: float = 32.0,
    seed: int = 13,
    folds: int = 5,
) -> tuple[RouterModel, CrossValidation]:
    texts = [u.text for u in utterances]
    x = embed_all(texts, embed)
    labels = [u.label for u in utterances]
    report = cross_validate(texts, x, labels, bars, c, seed, folds)
    coef, intercept, classes = _fit(x, np.array([label.value for label in labels]), c, seed)
    digest = hashlib.sha256("\n".join(f"{u.label.value}\t{u.text}" for u in utterances).encode()).hexdigest()[:16]
    model = RouterModel(
        classes=tuple(Route(k) for k in classes),
        coef=coef,
        intercept=intercept,
        embedder=embedder,
        meta={
            "trained_on": len(utterances),
            "corpus_sha256_16": digest,
            "c": c,
            "seed": seed,
            "cross_validation": report.model_dump(),
        },
    )
    return model, report
