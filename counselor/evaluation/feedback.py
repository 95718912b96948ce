"""``counselor eval feedback``: what citizens said of the answers they got, from the service's own database.

Each rated answer is read with its turn (status) and its answer (the first cited policy, the language), so an
evaluator sees which policies and which kinds of turn citizens found unhelpful, and reads the worst-rated
answers themselves. Computed from the rows alone, like every summary in counselor/evaluation/."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime

from pydantic import BaseModel

from counselor.store.feedback import RatedAnswer, RatedChat

NO_POLICY = "(no policy cited)"
EXCERPT = 240


class Share(BaseModel):
    n: int
    helpful: int
    share_helpful: float | None


class WorstAnswer(BaseModel):
    message_id: str
    rated_at: datetime
    policy: str
    status: str
    language: str
    reason: str | None
    question: str
    answer: str  # the first EXCERPT characters


class Satisfaction(BaseModel):
    n: int
    mean: float | None
    distribution: dict[int, int]  # rating 1..5 -> count
    by_counselor: dict[str, Share]  # helpful: rated 4 or 5


class FeedbackReport(BaseModel):
    answers: Share
    by_policy: dict[str, Share]
    by_status: dict[str, Share]
    by_language: dict[str, Share]
    reasons: dict[str, int]
    worst: list[WorstAnswer]
    satisfaction: Satisfaction


def share(helpful: Iterable[bool]) -> Share:
    values = list(helpful)
    n, yes = len(values), sum(values)
    return Share(n=n, helpful=yes, share_helpful=round(yes / n, 3) if n else None)


def _by(rows: list[RatedAnswer], key: Callable[[RatedAnswer], str]) -> dict[str, Share]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row.helpful)
    # Worst first: what most needs an evaluator's eye; then the most rated.
    ordered = sorted(groups.items(), key=lambda item: (sum(item[1]) / len(item[1]), -len(item[1]), item[0]))
    return {name: share(values) for name, values in ordered}


def summarise(answers: list[RatedAnswer], chats: list[RatedChat], worst: int = 10) -> FeedbackReport:
    by_policy = _by(answers, lambda r: r.policy_title or NO_POLICY)
    unhelpful = [r for r in answers if not r.helpful]
    # The worst-rated: unhelpful answers about the policies rated worst, newest first within a policy.
    unhelpful.sort(key=lambda r: -r.rated_at.timestamp())
    unhelpful.sort(key=lambda r: by_policy[r.policy_title or NO_POLICY].share_helpful or 0.0)
    ratings = [c.rating for c in chats]
    counselors: dict[str, list[bool]] = defaultdict(list)
    for chat in chats:
        counselors[chat.counselor or "?"].append(chat.rating >= 4)
    return FeedbackReport(
        answers=share(r.helpful for r in answers),
        by_policy=by_policy,
        by_status=_by(answers, lambda r: r.status),
        by_language=_by(answers, lambda r: r.language),
        reasons=dict(Counter(r.reason.value for r in unhelpful if r.reason).most_common()),
        worst=[
            WorstAnswer(
                message_id=r.message_id,
                rated_at=r.rated_at,
                policy=r.policy_title or NO_POLICY,
                status=r.status,
                language=r.language,
                reason=r.reason.value if r.reason else None,
                question=r.question,
                answer=r.answer[:EXCERPT],
            )
            for r in unhelpful[:worst]
        ],
        satisfaction=Satisfaction(
            n=len(ratings),
            mean=round(statistics.fmean(ratings), 2) if ratings else None,
            distribution={n: ratings.count(n) for n in range(1, 6)},
            by_counselor={name: share(values) for name, values in sorted(counselors.items())},
        ),
    )
