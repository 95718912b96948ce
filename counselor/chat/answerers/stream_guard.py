"""The output guard while a model streams: a token goes to the citizen as it arrives, unless it may be part of a
claim (a number, a phone number, an address) that is not complete yet. Such text waits until the claim ends,
then goes on if a source the model was given says it; if none does, the rest of that sentence is withheld.

So an invented phone number never appears on the citizen's screen, not even for the seconds before the answer
frame replaces the streamed text. Plain words are never held. What was withheld is kept for the audit record;
the output guard still checks the whole draft against the sources it cites.
"""

from __future__ import annotations

import re

from counselor.chat.answerers.base import TokenSink
from counselor.chat.claims import Claim, Grounds, claims_in

# A word that may be part of a claim not yet complete: it holds a digit or an address's mark (☎ @ :// www).
# Such words at the end of the text wait, with the spaces after them ("33만 " may go on as "33만 4,810원"), and so
# does a last word whose "." may begin a domain. Word by word, not one regex over the tail: a nested
# quantifier there backtracked for seconds on a long run of digits.
_WORD = re.compile(r"\S+\s*")
_OPEN_WORD = re.compile(r"[\d☎@]|https?:|www|://", re.IGNORECASE)
_DOMAIN_END = re.compile(r"[A-Za-z0-9-]+\.[A-Za-z]+\S*$")
_MARK = re.compile(r"\[\d{1,2}\]")  # a citation mark is no claim: it need not wait
_SENTENCE_END = re.compile(r"[.!?。](?=\s)\s*|\n")
_REACH = 80  # no claim is longer: the claims of the text before ``sent`` less this are decided


def open_tail(text: str, start: int) -> int:
    """Where the words that may still grow into a claim begin (``len(text)`` if none), from ``start`` on."""
    words = [(m.start(), m.group(0)) for m in _WORD.finditer(_MARK.sub(lambda m: "#" * len(m.group(0)), text), start)]
    tail = len(text)
    for at, word in reversed(words):
        if not _OPEN_WORD.search(word):
            break
        tail = at
    if tail == len(text) and words and not words[-1][1][-1].isspace():
        at, word = words[-1]
        domain = _DOMAIN_END.search(word)
        tail = at + domain.start() if domain else tail
    return tail


class StreamGuard:
    def __init__(self, grounds: Grounds, emit: TokenSink) -> None:
        self.grounds = grounds
        self.emit = emit
        self.text = ""
        self.sent = 0  # everything before this index has been forwarded or withheld
        self.withholding = False  # inside a sentence that made an ungrounded claim
        self.withheld: list[Claim] = []
        self.held = 0  # tokens not (wholly) forwarded as they came

    async def feed(self, token: str) -> None:
        self.text += token
        await self._release(final=False)
        if self.sent < len(self.text):
            self.held += 1

    async def close(self) -> None:
        """The model has finished: decide the rest."""
        await self._release(final=True)

    async def _release(self, final: bool) -> None:
        out: list[str] = []
        while True:
            text = self.text
            if self.withholding:
                end = _SENTENCE_END.search(text, self.sent)
                if end is None:
                    self.sent = len(text) if final else self.sent
                    break
                self.sent, self.withholding = end.end(), False  # what follows is judged afresh
                continue
            limit = len(text) if final else open_tail(text, self.sent)
            blocked = None
            base = max(0, self.sent - _REACH)
            for found in claims_in(text[base:]):
                claim = Claim(found.kind, found.text, found.start + base, found.end + base)
                if claim.end <= self.sent or claim.start >= limit:
                    continue
                if claim.end > limit:  # still growing: judged when it ends
                    limit = max(self.sent, claim.start)
                    break
                if not self.grounds.grounded(claim):
                    blocked = claim
                    break
            if blocked is not None:
                start = max(blocked.start, self.sent)
                out.append(text[self.sent : start])
                self.sent, self.withholding = start, True
                self.withheld.append(blocked)
                continue
            if limit > self.sent:
                out.append(text[self.sent : limit])
                self.sent = limit
            break
        piece = "".join(out)
        if piece:
            await self.emit(piece)
