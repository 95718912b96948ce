"""Eligibility: after an answer, the computed verdict for the policy it cites, for the person the question is
about (the citizen, or the mother they asked for: the reply names her), the one question that would settle it,
and other policies that person's profile makes them eligible or likely eligible for."""

from __future__ import annotations

from counselor.chat.context import StepNote, TurnContext
from counselor.chat.frames import CriterionCheck, EligibilityItem
from counselor.chat.safety.intents import asks_whether_eligible
from counselor.chat.statuses import TurnStatus
from counselor.chat.steps.understand import previous_policy
from counselor.eligibility.engine import EligibilityEngine, Verdict, unmodelled
from counselor.eligibility.naming import PolicyNames, words_named
from counselor.eligibility.subject import asks_for_the_child, for_policy, for_verdict
from counselor.prompts import Prompt


class CheckEligibility:
    name = "eligibility"

    def __init__(self, engine: EligibilityEngine, names: PolicyNames, lines: Prompt, discover: int = 3) -> None:
        self.engine = engine
        self.names = names
        self.lines = lines
        self.discover = discover

    def target(self, ctx: TurnContext) -> str:
        """The policy the verdict is for: the one the citizen named ("부모급여 받을 수 있나요?"), in this message
        or, for a short reply to the bot's question, in the one before; else the one the answer cites."""
        # Where the citizen lives decides between a city's program and the national one of the same name.
        sido, district = (ctx.profile.sido, ctx.profile.district) if ctx.profile.sido else (ctx.sido, ctx.district)
        carried = next((c.policy_id for c in ctx.citations if c.title == ctx.named_policy), None)
        said = self.names.exact(ctx.question, sido, district)
        on_it = bool(ctx.history) and ctx.named_policy == previous_policy(ctx.history)
        if on_it and carried in self.engine.policies and said is not None and said != carried:
            # Facts told after an answer, asking nothing: the program the conversation is on, whatever other
            # program the facts name ("기초수급자예요" after a question about 장애수당; steps/remember.py).
            return str(carried)
        texts = [ctx.question] + ([ctx.history[-1].question] if ctx.profile.asked and ctx.history else [])
        if ctx.only_facts and len(texts) > 1:
            texts.reverse()  # "Yes, he fought in the Korean War": the answer to the question about that program
        for text in texts:
            named = said if text is ctx.question else self.names.exact(text, sido, district)
            if named is not None:
                return named
        # The program the turn was about by the conversation (steps/remember.py: facts told after an answer are
        # about the program just discussed), when the answer cites it.
        if carried is not None and carried in self.engine.policies:
            return carried
        # Named by most of a title's words: only a program with criteria to check, for a verdict on one without
        # any says nothing ("daycare fee support" holds most of 장애아 보육료 지원's words, and the answer cites
        # 0~2세 보육료 지원, whose criteria it can check).
        for text in texts:
            named = self.names.covered(text, sido, district)
            # A program said as received ("우리집 의료급여 받아요") is a fact about the household, not the question.
            received = named is not None and self.names.exact(text, sido, district, received=True) == named
            if named is not None and named in self.engine.policies and not received:
                return self._cited_if_as_said(ctx, text, named)
        # Named in other words ("한부모 양육비"): the retrieved policy whose title holds most of them.
        candidates = [(h.policy_id, h.title) for h in ctx.hits if h.policy_id in self.engine.policies]
        return words_named(" ".join(texts), candidates) or ctx.citations[0].policy_id

    def _cited_if_as_said(self, ctx: TurnContext, text: str, named: str) -> str:
        """The program named by most of a title's words, unless the one the answer cites says as much of the
        question and has criteria too: "daycare fee support" holds 장애아 보육료 지원's words and as many of
        0~2세 보육료 지원's, which retrieval put first for a two-year-old at a 어린이집."""
        cited = ctx.citations[0]
        if cited.policy_id == named or cited.policy_id not in self.engine.policies:
            return named
        said_cited, said_named = self.names.holds(text, [cited.title, self.names.title(named) or ""])
        return cited.policy_id if said_cited >= said_named else named

    def item(self, verdict: Verdict, discovered: bool, subject: str) -> EligibilityItem:
        return EligibilityItem(
            policy_id=verdict.policy_id,
            title=verdict.title,
            verdict=verdict.verdict,
            criteria=[CriterionCheck(fact=c.fact, outcome=c.outcome, source=c.source) for c in verdict.criteria],
            discovered=discovered,
            subject=subject,
        )

    def title(self, verdict: Verdict, lang: str) -> str:
        """The policy's name in the citizen's language (its English title where it has one)."""
        policy = self.engine.policies.get(verdict.policy_id)
        english = policy.title_en if policy is not None else None
        return english if lang == "en" and english else verdict.title

    def to_ask(self, verdict: Verdict) -> str | None:
        """The one fact to ask for: only when answering it could settle the verdict (nothing the profile
        cannot describe is open as well)."""
        if verdict.verdict not in ("unknown", "likely") or "other" in verdict.missing:
            return None
        fact = self.engine.next_question([verdict])
        return fact if fact is not None and fact in self.lines.field("questions") else None

    async def __call__(self, ctx: TurnContext) -> StepNote | None:
        asked_before = ctx.profile.asked
        note = await self._check(ctx)
        if ctx.profile.asked != ctx.asks and (ctx.asks is not None or asked_before is not None):
            # What was asked is remembered with the profile, so the next short reply answers it.
            ctx.profile = ctx.profile.model_copy(update={"asked": ctx.asks})
            ctx.profile_changed = True
        return note

    async def _check(self, ctx: TurnContext) -> StepNote | None:
        if ctx.status not in (None, TurnStatus.ANSWERED) or not ctx.citations:
            return None
        lang, lines = ctx.language, self.lines
        cited = self.target(ctx)
        policy = self.engine.policies.get(cited)
        if policy is not None and (moved := for_policy(ctx.profile, policy)) != ctx.profile:
            # The program decides whom it is about: a daughter for 생리용품 바우처, the parent for 아동수당.
            ctx.profile, ctx.profile_changed = moved, True
        subject = ctx.profile.subject or "self"
        person = for_verdict(ctx.profile.about(), subject)
        who = lines.field("people").get(subject, lines.field("people")["other"])[lang] if subject != "self" else ""
        verdict = self.engine.verdict(person, cited)
        told = bool(person.known())
        extra: list[str] = []
        # Asked whether they qualify, with nothing told yet, "not known yet" is the answer, and the fact it waits
        # for is asked below.
        if verdict is not None and (told or verdict.verdict != "unknown" or asks_whether_eligible(ctx.question)):
            ctx.eligibility.append(self.item(verdict, discovered=False, subject=subject))
            kind = "verdicts" if subject == "self" else "verdicts_other"
            said = lines.field(kind)[verdict.verdict][lang].format(who=who)
            unmet = [c.source for c in verdict.criteria if c.outcome == "not_met"]
            tail = lines.text("unmet", lang, criteria="; ".join(unmet)) if unmet else ""
            # Quoted only from a program the answer cites: its words, numbers included, are in the sources shown.
            quoted = verdict.policy_id in {c.policy_id for c in ctx.citations}
            if (
                verdict.verdict == "likely"
                and quoted
                and (to_confirm := [c.source for c in verdict.criteria if unmodelled(c)])
            ):
                tail = lines.text("to_confirm", lang, criteria="; ".join(dict.fromkeys(to_confirm)))
                if not any(c.fact == "income" for c in verdict.criteria):
                    said = said.split(" (")[0]  # likely for a condition the office confirms, not the means test
            if cited == ctx.citations[0].policy_id:
                label = lines.text("this_policy", lang, verdict=said)
            else:
                label = lines.text("named_policy", lang, title=self.title(verdict, lang), verdict=said)
            extra.append(label + (" " + tail if tail else ""))
        # Asked about another person ("can my mother get ..."), the question is whether they qualify.
        if verdict is not None and (told or subject != "self" or asks_whether_eligible(ctx.question)):
            # Ask only when the answer would settle it: the one fact this policy's verdict is waiting for.
            fact = self.to_ask(verdict)
            if fact == "age" and subject == "self" and policy is not None and asks_for_the_child(ctx.profile, policy):
                fact = "child_age"  # the daughter's age for 생리용품 바우처, not the parent's
            if fact is not None:
                ctx.asks = fact
                asked = lines.field("questions" if subject == "self" else "questions_other")[fact][lang]
                extra.append(asked.format(who=who))
        found: list[Verdict] = []
        if told:
            # Related policies are only named; a verdict on one of them is news, so they are not skipped.
            found = self.engine.discover(person, exclude={cited}, limit=self.discover)
            ctx.eligibility.extend(self.item(v, discovered=True, subject=subject) for v in found)
            if found:
                names = [
                    f"{self.title(v, lang)} ({lines.field('verdicts')[v.verdict][lang].split(' (')[0]})" for v in found
                ]
                intro = (
                    lines.text("discovered", lang)
                    if subject == "self"
                    else lines.text("discovered_other", lang, who=who)
                )
                extra.append(intro + "\n" + "\n".join(f"- {n}" for n in names))
        if extra:
            ctx.answer = ctx.answer.rstrip() + "\n\n" + "\n".join(extra)
        return {
            "verdict": verdict.verdict if verdict else None,
            "subject": subject,
            "asks": ctx.asks,
            "discovered": [v.policy_id for v in found],
        }
