"""The words of a message besides its plain facts, which the router reads again (Router.decide's
``without_facts``): ages, children, a household's size and income, a place, a benefit held, a program's name
say who the citizen is, never that anyone is in danger."""

from __future__ import annotations

_PLAIN_SPAN = 20  # characters


def _whole_words(t: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span widened to the words it cuts into: a fact's words end inside a word ("둘째 낳|았어요", "여섯
    살|이고"), and the stub left ("았어요", "이고") reads to the router as a sentence of its own, one that can
    sound like anything ("사는데 이번에 았어요." read as an intent to die)."""
    start, end = span
    while start > 0 and t[start - 1].isalnum():
        start -= 1
    while end < len(t) and t[end].isalnum():
        end += 1
    return start, end


def without_plain_facts(t: str, spans: list[tuple[int, int]]) -> str | None:
    """``t`` with the words of its plain facts cut out, or None when it states none. Ages, children, a
    household's size and income, a place, a benefit held, a program's name: words that say who the citizen is,
    never that anyone is in danger, yet read alone by the router they sound like a child or an old person at
    risk ("애가 일곱 살이요 내년에 초등학교 들어가요"). A span longer than ``_PLAIN_SPAN`` is not cut: it joins
    facts said far apart ("딸이 7살인데 … 아들은 9살") and may hold the very words that do state a danger."""
    cut = sorted(_whole_words(t, span) for span in spans if 0 < span[1] - span[0] <= _PLAIN_SPAN)
    if not cut:
        return None
    kept, at = [], 0
    for start, end in cut:
        if start >= at:
            kept.append(t[at:start])
        at = max(at, end)
    kept.append(t[at:])
    return " ".join(" ".join(kept).split())
