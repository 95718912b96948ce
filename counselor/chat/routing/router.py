"""The router: the trained model when its file fits the embedder, else the rules alone (and it says so)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import numpy as np

from counselor.chat.routing.decide import RouteDecision, decide
from counselor.chat.routing.model import RouterModel
from counselor.chat.routing.routes import CRISIS_ROUTES, Route
from counselor.errors import RouterModelError
from counselor.settings import RouterSettings

log = logging.getLogger(__name__)
# Where a sentence ends: its punctuation (ASCII, full-width, ellipsis) and a new line; a clause after a comma stays.
_SENTENCE_END = re.compile(r"(?<=[.!?。？！…])\s+|\n+")
MIN_SENTENCE_WORDS = 2  # "네." or "Thanks." alone says nothing the whole message does not

Embed = Callable[[str], np.ndarray]
# What the words left after the facts may read as for the facts to make the message a welfare question: the
# facts themselves are what it asks about ("일곱 살이요" is no small talk once the bot asked a child's age).
_NOT_A_CASE = (Route.WELFARE, Route.SMALL_TALK, Route.VAGUE, Route.OFF_TOPIC)
KINDS_SUFFIX = ".kinds"  # <embedder>.kinds.npz beside <embedder>.npz: the kinds head (``Router.kinds``)


class Router:
    """``embed`` gives the vector retrieval will use for the same text (HybridRetriever.dense_query through
    the question cache), so routing costs one matrix-vector product, not a second encoding.

    A missing, corrupt or mismatched model file does not stop the service: routing falls back to the rules,
    which catch fewer crises in unlisted words but never call a listed one out of scope; /readyz shows
    ``router: rules only: <why>`` so an operator sees it (docs/chat.md, "Routing")."""

    def __init__(self, settings: RouterSettings, embed: Embed, embedder: str, dimension: int) -> None:
        self.settings = settings
        self.embed = embed
        self.model: RouterModel | None = None
        self.kinds_model: RouterModel | None = None
        self.problem: str | None = None
        try:
            self.model = RouterModel.load(settings.model_dir / f"{embedder}.npz", embedder, dimension)
        except RouterModelError as exc:
            self.problem = str(exc)
            log.warning("routing by rules only: %s", exc)
        if self.model is not None:
            try:
                self.kinds_model = RouterModel.load(
                    settings.model_dir / f"{embedder}{KINDS_SUFFIX}.npz", embedder, dimension
                )
            except RouterModelError as exc:
                # The main head alone still routes every message; only the choice among small talk, off topic
                # and vague is the weaker for it.
                self.problem = str(exc)
                log.warning("routing without the kinds head: %s", exc)

    @property
    def status(self) -> str:
        if self.model is None:
            return f"rules only: {self.problem}"
        trained = self.model.meta.get("trained_on", "?")
        kinds = "a kinds head" if self.kinds_model is not None else f"no kinds head: {self.problem}"
        return f"model ({len(self.model.classes)} classes, {trained} utterances) and {kinds}, with rule overrides"

    def probabilities(self, text: str) -> dict[Route, float] | None:
        if self.model is None:
            return None
        return self.model.probabilities(self.embed(text))

    def kinds(self, text: str) -> dict[Route, float] | None:
        """The kinds head's reading: which of small talk, off topic, vague or a question a message is, once the
        main head has read no crisis, person, distress or own case in it (decide.py). It is trained on the
        main corpus and the short messages, closings and everyday topics of round 7; the main head is not, for
        those pulled real farewells ("I've decided I'm done") and short dangers ("남편이 또 벨트 들었어요") out of
        the crisis classes on the dev sets. Same vector as the main head: one more matrix-vector product."""
        if self.kinds_model is None:
            return None
        return self.kinds_model.probabilities(self.embed(text))

    def decide(self, text: str, about: str | None = None, without_facts: str | None = None) -> RouteDecision:
        """``about``: the policy the conversation is about (the previous answer's). Read alone, a short
        follow-up is ambiguous ("선생님이 집에 오는 거예요?" after 방문교육, "남편 죽으면 나는 계속 받어?" after
        주택연금), so two readings of the model are read again after that policy's name, as Retrieve will
        search it: the citizen's own case, and a crisis the model alone is not sure of
        (``crisis_in_conversation``). The context decides only when it makes the message a welfare question;
        otherwise the first reading stands (the safe side). A rule that states a danger is never read
        again, and neither is distress. Costs a second encoding only for those messages, which retrieval
        then reuses.

        ``without_facts``: the message less its plain facts (ages, children, a place, a program's name;
        eligibility.rest.without_plain_facts). Facts alone sound like a child or an old person at risk to the
        model ("열두살 6학년 딸", "I'm 59, retired early", "서른둘이고 혼자 살아요"), so a model's reading other than
        a welfare question is checked against the words that are left: a crisis or distress stands unless
        those, read the same way, are a welfare question (or nothing at all), and a message's sentences are
        read without their facts. Not the
        other way: read alone, the fragments left ("25일에 들어와야 하는데 아직 안 들어왔어요", "들면 경운기 사고도
        되나") sound like dangers far more often than they hide one."""
        # Sentences are read without their facts too ("My 3-year-old stays at home with me." alone reads as a
        # child in danger); with no facts known, as they are.
        sentences = text if without_facts is None else without_facts
        first = self._read(text, about, sentences)
        if (
            without_facts is None
            or first.decided_by != "model"
            or not (first.is_crisis or first.route == Route.DISTRESS)
        ):
            # A rule, a sentence's danger, or neither crisis nor distress: facts carry a program's name and the
            # words of a case in progress ("My child allowance did not arrive"), so only a crisis or distress is
            # read again without them.
            return first
        # Reading the words left also reads their sentences (``_read``): a danger in one of them stands.
        if without_facts.strip() and self._read(without_facts, about, without_facts).route not in _NOT_A_CASE:
            return first
        return first.model_copy(update={"route": Route.WELFARE, "crisis": None, "decided_by": "model_less_facts"})

    def _read(self, text: str, about: str | None, sentences: str) -> RouteDecision:
        probs = self.probabilities(text)
        first = decide(text, probs, self.settings, self.kinds(text))
        if about is not None and probs is not None and self._ambiguous(first, probs):
            context = self.probabilities(f"{about} {text}") or {}
            # The main head's alone: whether the context makes a crisis a question is no choice among kinds.
            again = decide(text, context, self.settings)
            # Only a context that leaves no doubt turns a crisis into a question: read with it, the crisis
            # classes fall under half the crisis bar (a danger told in reply to the bot's question stays one).
            clear = sum(context.get(r, 0.0) for r in CRISIS_ROUTES) < self.settings.crisis / 2
            if again.route == Route.WELFARE and clear:
                first = again.model_copy(update={"decided_by": "model_in_context"})
        # Whatever made the whole message no crisis, each sentence has its say ("thanks. will the pension go
        # to my daughter after I'm gone? I've decided tonight is it" reads as a question after 기초연금).
        if probs is not None and not first.is_crisis:
            return self._buried_crisis(sentences) or first
        return first

    def _ambiguous(self, first: RouteDecision, probs: dict[Route, float]) -> bool:
        if first.route == Route.OWN_CASE:
            return True
        if not first.is_crisis or first.decided_by != "model":
            return False
        return sum(probs.get(r, 0.0) for r in CRISIS_ROUTES) < self.settings.crisis_in_conversation

    def _buried_crisis(self, text: str) -> RouteDecision | None:
        """A danger told in one sentence of a longer welfare question ("기초연금 서류만 알려주세요. 어차피 다음
        달엔 제가 없을 테니까요", "Can I apply for daycare support? Also, my husband hits our 4-year-old"): the
        question's words outweigh it in the whole message's vector, so each sentence is read alone too. An
        intent to die past ``crisis_in_sentence`` makes the message a crisis: an intent or a farewell does not
        read so by accident. Otherwise the crisis classes together need ``danger_in_sentence``, far higher:
        read alone, a sentence that merely tells the situation ("작년에 애 낳았어요.", "My husband is in
        prison.") can read as a child or a person in danger. Costs one encoding per sentence, only for
        messages of more than one."""
        sentences = [s for s in _SENTENCE_END.split(text) if len(s.split()) >= MIN_SENTENCE_WORDS]
        if len(sentences) < 2:
            return None
        for sentence in sentences:
            p = self.probabilities(sentence) or {}
            likeliest = max(CRISIS_ROUTES, key=lambda r: p.get(r, 0.0))
            if p.get(Route.CRISIS_SUICIDE, 0.0) >= self.settings.crisis_in_sentence:
                likeliest = Route.CRISIS_SUICIDE
            elif sum(p.get(r, 0.0) for r in CRISIS_ROUTES) < self.settings.danger_in_sentence:
                continue  # the crisis classes together, as for the whole message (decide.py)
            kind = CRISIS_ROUTES[likeliest]
            return RouteDecision(
                route=likeliest, decided_by="model_in_sentence", crisis=kind, topic=kind, probabilities=p
            )
        return None
