"""Retrieve: the hybrid retriever, scoped to the citizen's region when it is known. A short message after an
answer is searched on its own first: if it names another policy ("아동수당은요?") it is a new question, else it
is about the policy just discussed ("서류는 뭐 필요해요?" after 기초연금), searched with that policy's name and
answered from it first."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import anyio

from counselor.chat.answerers.aspects import asked_aspects
from counselor.chat.context import StepNote, TurnContext
from counselor.chat.steps.understand import SHORT_WORDS, Understand, names_policy, previous_policy
from counselor.eligibility.naming import PolicyNames
from counselor.policies import SearchHit
from counselor.retrieval.filters import SearchFilter
from counselor.retrieval.hybrid import HybridRetriever, Rankings

# An aspect asked after an answer ("If I go to the community center, what should I bring?") is about the policy
# just discussed up to this many words; a longer message tells a new story and is searched on its own.
ASPECT_WORDS = 14
# Words that point back at what was just discussed ("Can I use it for a coding bootcamp?", "그거 온라인으로도
# 돼요?"): the question is about the program the answer named, whatever else it says.
_BACK = re.compile(
    r"\b(?:it|this\s+one|that\s+one|this\s+program|that\s+program)\b|그거|이거|그것|이것|그걸|이걸"
    r"|(?:그|이|해당)\s*(?:제도|지원|서비스|카드|수당|사업|프로그램)",
    re.IGNORECASE,
)


# Whether retrieval is sure of its first policy (hits, the top dense cosine, English): confidence.sure.
Sure = Callable[[list[SearchHit], float, bool], bool]


def refers_back(question: str) -> bool:
    return _BACK.search(question) is not None


class Retrieve:
    name = "retrieve"
    PIN_DEPTH = 50  # policies looked through for the one a follow-up is about

    def __init__(
        self,
        retriever: HybridRetriever,
        names: PolicyNames,
        k: int,
        concurrency: int | None = None,
        sure: Sure | None = None,
    ) -> None:
        self.retriever = retriever
        self.sure = sure
        self.names = names
        self.k = k
        # A search holds a core for ~40 ms of embedding (the GIL released): one per core keeps every core
        # busy under load, more would only queue inside the engine, and the event loop stays free.
        self.limiter = anyio.CapacityLimiter(concurrency or os.cpu_count() or 1)

    def _search(self, question: str, where: SearchFilter, pin: str | None = None) -> tuple[Rankings, list[SearchHit]]:
        """The first ``k`` policies; with ``pin`` (the title of the policy a follow-up or an eligibility question
        is about), that policy first when retrieval has it anywhere among its candidates."""
        rankings = self.retriever.rankings(question, where)
        if pin is None:
            return rankings, self.retriever.fuse(rankings, self.k)
        hits = self.retriever.fuse(rankings, self.PIN_DEPTH)
        pinned = [h for h in hits if h.title == pin]
        return rankings, (pinned + [h for h in hits if h.title != pin])[: self.k]

    def _said_better(self, question: str, own: list[SearchHit], named: str | None) -> bool:
        """Whether retrieval's own first program (``own``: its order without a pin) says more of the question
        than the program it names: a name inside a longer story names the story's program ("농어업인의
        건강보험료 지원 상한" holds 건강보험, yet asks about 농어업인 건강보험료 지원; "독립유공자 자녀의
        생활지원금" about 독립유공자 (손)자녀 생활지원금). A title holding the name and no more of the question
        (장애아동수당 for "아동수당은 몇 살까지") does not."""
        if named is None or not own or own[0].title == named:
            return False
        first, asked = self.names.holds(question, [own[0].title, named])
        return first > asked

    def continues(self, ctx: TurnContext, question: str, policy: str) -> bool:
        """Whether a message after an answer is about the policy just discussed: it names no other program
        (by a title or a name, "아동수당은요?"; by a distinctive word of a retrieved title when it asks for no
        aspect, "한부모는요?"), and it is short, or asks for an aspect of a program ("What's the city hall phone
        number?", "열차 탈 때 뭐 보여줘야 돼요?") without being a whole new story."""
        other = self.names.exact(question, ctx.sido, ctx.district, loose=False)
        if other is not None and self.names.title(other) != policy:
            return False
        words = len(question.split())
        asks = bool(asked_aspects(question))
        if words <= SHORT_WORDS or ((asks or refers_back(question)) and words <= ASPECT_WORDS):
            return asks or not any(
                h.title != policy and names_policy(question, h.title, h.title_en) for h in ctx.hits[:3]
            )
        # Longer, naming no other program by its name (a word of a title, "farms" for Farm Helper Support, is no
        # name in a story): what the citizen tells or asks next in the same conversation ("He
        # lives in the countryside and farms a little", "작년까지는 받았던 것 같은데 지금도 나오나요?") unless
        # retrieval, searching it alone, is sure it is another program's question. Asked instead "is it one of
        # these?", the citizen would be handed over for words we did not expect.
        english = ctx.language == "en"
        return self.sure is not None and not self.sure(ctx.hits, ctx.signals.get("dense_top", 0.0), english)

    async def __call__(self, ctx: TurnContext) -> StepNote | None:
        where = SearchFilter(sido=ctx.sido, district=ctx.district)
        question = ctx.standalone or ctx.question
        pin = previous_policy(ctx.history) if ctx.follow_up else ctx.named_policy
        rankings, ctx.hits = await anyio.to_thread.run_sync(self._search, question, where, pin, limiter=self.limiter)
        # Facts told after an answer are about the program discussed (Remember): they tell no story of their own,
        # and a reply of facts only is about the program it names.
        carried = bool(ctx.history) and ctx.named_policy == previous_policy(ctx.history)
        if ctx.named_policy is not None and not (ctx.follow_up or ctx.only_facts or carried):
            own = self.retriever.fuse(rankings, self.k)
            if self._said_better(question, own, ctx.named_policy):
                ctx.named_policy, ctx.hits = None, own
        if ctx.named_policy is not None and ctx.hits and ctx.hits[0].title != ctx.named_policy:
            # The program an eligibility question is about, searched with its name when the words alone missed
            # it ("1955년생이에요" after 에너지바우처), and anywhere: a city's program asked about by someone who
            # lives elsewhere is still the one they asked about.
            rankings, ctx.hits = await anyio.to_thread.run_sync(
                self._search, f"{ctx.named_policy} {question}", SearchFilter(), ctx.named_policy, limiter=self.limiter
            )
        found = ctx.named_policy is not None and bool(ctx.hits) and ctx.hits[0].title == ctx.named_policy
        ctx.signals["dense_top"] = rankings.dense[0][1] if rankings.dense else 0.0
        policy = None if found else Understand.may_continue(ctx)
        if policy is not None and self.continues(ctx, question, policy):
            ctx.follow_up = True
            ctx.standalone = f"{policy} {question}"
            rankings, ctx.hits = await anyio.to_thread.run_sync(
                self._search, ctx.standalone, where, policy, limiter=self.limiter
            )
        ctx.signals["dense_top"] = rankings.dense[0][1] if rankings.dense else 0.0
        ctx.signals["keyword_top"] = rankings.keyword[0][1] if rankings.keyword else 0.0
        return {
            "hits": [
                {"policy_id": h.policy_id, "score": h.score, "dense_rank": h.dense_rank, "keyword_rank": h.keyword_rank}
                for h in ctx.hits
            ],
            "region": " ".join(p for p in (ctx.sido, ctx.district) if p) or None,
            "follow_up": ctx.follow_up,
        }
