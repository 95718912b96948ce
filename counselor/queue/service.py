"""What caseworkers do to tickets, and what the citizen sees of it.

Each action changes the ticket atomically with its audit entry (counselor/store/tickets.py, casework.py), stores
what the citizen should see as a message of the conversation (so a reconnecting citizen replays it), then
publishes the citizen's frame and the queue change on the bus. Private notes go to the case's topic, which
only consoles subscribe to.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from typing import Any, TypeVar

import anyio
from pydantic import BaseModel, Field, ValidationError

from counselor.casework import AuditAction, Outcome
from counselor.eligibility.profile import Profile
from counselor.errors import RefusedError
from counselor.language import Language
from counselor.queue.brief import BriefMaker, CaseBrief
from counselor.queue.bus import EventBus
from counselor.queue.cards import TicketCard, make_card, read_brief
from counselor.queue.events import (
    QUEUE_TOPIC,
    CaseNoteEvent,
    CrisisOverdueEvent,
    case_message,
    case_topic,
    citizen_topic,
    ticket_event,
)
from counselor.queue.ready_replies import ReadyReplies, RenderedReply
from counselor.settings import QueueSettings
from counselor.shared_frames import CounselorMessageFrame, HandoffEvent, HandoffFrame, PolicyLink
from counselor.store.accounts import Account
from counselor.store.audit import AuditDraft, AuditRecord
from counselor.store.conversations import ConversationStore
from counselor.store.notes import NoteView
from counselor.store.payloads import CounselorPayload, EventPayload, Role
from counselor.store.records import StoredMessage
from counselor.store.tables import utcnow
from counselor.store.tickets import TicketState, TicketView

T = TypeVar("T")
MAX_LINKS = 5


class Refusal(StrEnum):
    """Why a caseworker's action was refused: the code an error frame or HTTP detail carries."""

    NOT_FOUND = "not_found"
    TAKEN = "taken"
    NOT_YOURS = "not_yours"
    EMPTY = "empty"
    BAD_LINK = "bad_link"
    BAD_TARGET = "bad_target"
    FORBIDDEN = "forbidden"


class QueueError(RefusedError):
    """A caseworker's action that cannot be done: not theirs, taken, closed, or not visible to them."""

    def __init__(self, code: Refusal, message: str) -> None:
        super().__init__(message)
        self.code = code


class Case(BaseModel):
    card: TicketCard
    transcript: list[StoredMessage]
    notes: list[NoteView] = Field(default_factory=list, description="private: never sent to the citizen")
    brief: CaseBrief | None = None


class Colleague(BaseModel):
    name: str
    role: str
    holding: int  # open tickets claimed now


def may_see(who: Account, state: TicketState, claimed_by: str | None) -> bool:
    """The one access rule for a ticket and its transcript, over HTTP and on the console socket alike: a
    supervisor sees all, anyone sees a waiting ticket, otherwise only the caseworker who claimed it."""
    return who.supervisor or state == TicketState.WAITING or claimed_by == who.name


def handoff_frame(message: StoredMessage) -> HandoffFrame | CounselorMessageFrame:
    """What the citizen is shown of a caseworker's message or action (a ``counselor`` or ``event`` message)."""
    payload = message.payload
    if isinstance(payload, CounselorPayload):
        return CounselorMessageFrame(
            message_id=message.id, text=message.text, counselor=payload.counselor, links=payload.links
        )
    if isinstance(payload, EventPayload):
        return HandoffFrame(type=payload.event, message_id=message.id, counselor=payload.counselor)
    raise ValueError(f"a {message.role} message is not a caseworker's")


class CounselorService:
    def __init__(
        self,
        store: ConversationStore,
        bus: EventBus,
        settings: QueueSettings,
        briefs: BriefMaker | None = None,
        replies: ReadyReplies | None = None,
        titles: Callable[[str], str | None] | None = None,
    ) -> None:
        """``titles``: a policy's title by id from the index (None when unknown), for links sent to citizens."""
        self.store = store
        self.tickets = store.tickets
        self.bus = bus
        self.settings = settings
        self.briefs = briefs or BriefMaker()
        self.replies = replies or ReadyReplies([])
        self.titles = titles or (lambda _: None)

    async def _db(self, fn: Callable[..., T], *args: Any) -> T:
        return await anyio.to_thread.run_sync(fn, *args)

    def card(self, ticket: TicketView) -> TicketCard:
        return make_card(ticket, self.settings.sla_minutes)

    async def visible(self, who: Account) -> list[TicketCard]:
        tickets = await self._db(self.tickets.visible_to, who.name, who.supervisor)
        return [self.card(t) for t in tickets]

    async def history(self, who: Account) -> list[TicketCard]:
        tickets = await self._db(self.tickets.history)
        return [self.card(t) for t in tickets if who.supervisor or t.claimed_by == who.name]

    async def case(self, who: Account, ticket_id: int, audit: bool = True) -> Case:
        """The case with its brief, notes and transcript; opening it is audited (who read which case)."""
        ticket = await self._visible_ticket(who, ticket_id)
        transcript = await self._db(self.store.messages_after, ticket.conversation_id)
        notes = await self._db(self.store.casework.notes, ticket_id)
        facts = await self._db(self.store.profile, ticket.conversation_id)
        try:
            profile = Profile.model_validate(facts or {})
        except ValidationError:  # a profile of an older shape: the brief goes without its facts
            profile = Profile()
        brief = await self._db(self.briefs.make, read_brief(ticket), transcript, profile)
        if audit:
            await self._audit(who, AuditAction.OPEN, ticket_id)
        return Case(card=self.card(ticket), transcript=transcript, notes=notes, brief=brief)

    async def _visible_ticket(self, who: Account, ticket_id: int) -> TicketView:
        ticket = await self._db(self.tickets.get, ticket_id)
        if ticket is None or not may_see(who, ticket.state, ticket.claimed_by):
            raise QueueError(Refusal.NOT_FOUND, f"no ticket {ticket_id} for you")
        return ticket

    async def still_sees(self, who: Account, ticket_id: int) -> bool:
        """Whether ``who`` may see the ticket now (events are checked when delivered, not when subscribed)."""
        ticket = await self._db(self.tickets.get, ticket_id)
        return ticket is not None and may_see(who, ticket.state, ticket.claimed_by)

    async def claim(self, who: Account, ticket_id: int) -> TicketCard:
        if await self._db(self.tickets.get, ticket_id) is None:
            raise QueueError(Refusal.NOT_FOUND, f"no ticket {ticket_id}")
        ticket = await self._db(self.tickets.claim, ticket_id, who.name)
        if ticket is None:
            raise QueueError(Refusal.TAKEN, f"ticket {ticket_id} is no longer waiting")
        await self._tell_citizen(ticket, "counselor_joined", who.name)
        return await self._announce(ticket)

    async def send(
        self, who: Account, ticket_id: int, text: str, template: str | None = None, policies: list[str] | None = None
    ) -> StoredMessage:
        """A message to the citizen, with links to the ``policies`` named (ids the index knows)."""
        ticket = await self._db(self.tickets.get, ticket_id)
        if ticket is None or ticket.state != TicketState.CLAIMED or ticket.claimed_by != who.name:
            raise QueueError(Refusal.NOT_YOURS, f"ticket {ticket_id} is not claimed by you")
        if not text.strip():
            raise QueueError(Refusal.EMPTY, "the message is empty")
        links = []
        for policy_id in list(dict.fromkeys(policies or []))[:MAX_LINKS]:
            title = self.titles(policy_id)
            if title is None:
                raise QueueError(Refusal.BAD_LINK, f"no policy {policy_id}")
            links.append(PolicyLink(policy_id=policy_id, title=title))
        stored = await self._db(
            lambda: self.store.casework.reply(
                ticket_id, ticket.conversation_id, who.name, text.strip(), template, links
            )
        )
        if stored is None:
            raise QueueError(Refusal.NOT_YOURS, f"ticket {ticket_id} is not claimed by you")
        await self._publish_message(ticket, stored)
        return stored

    async def note(self, who: Account, ticket_id: int, text: str) -> NoteView:
        """A private note: stored and audited, shown to every caseworker who opens the case, never sent to
        the citizen (it goes to the case's topic only)."""
        ticket = await self._visible_ticket(who, ticket_id)
        if not text.strip():
            raise QueueError(Refusal.EMPTY, "the note is empty")
        note = await self._db(self.store.casework.add_note, ticket_id, who.name, text.strip())
        await self._publish_note(ticket, note)
        return note

    async def transfer(self, who: Account, ticket_id: int, to: str | None, note: str = "") -> TicketCard:
        """Hand a claimed case to caseworker ``to``, or back to the queue (``to`` None), with an optional note."""
        if to is not None:
            accounts = {a.name for a in await self._db(self.store.accounts.names)}
            if to not in accounts or to in await self._db(self.store.accounts.disabled_names):
                raise QueueError(Refusal.NOT_FOUND, f"no caseworker {to!r}")
            if to == who.name:
                raise QueueError(Refusal.BAD_TARGET, "the case is yours already")
        moved = await self._db(self.tickets.transfer, ticket_id, who.name, to, note.strip(), who.supervisor)
        if moved is None:
            raise QueueError(Refusal.NOT_YOURS, f"ticket {ticket_id} is not claimed by you")
        ticket, written = moved
        if written is not None:
            await self._publish_note(ticket, written)
        await self._tell_citizen(ticket, "counselor_joined" if to else "requeued", to or who.name)
        return await self._announce(ticket)

    async def return_to_bot(self, who: Account, ticket_id: int) -> TicketCard:
        ticket = await self._db(self.tickets.return_to_bot, ticket_id, who.name, who.supervisor)
        if ticket is None:
            raise QueueError(Refusal.NOT_YOURS, f"ticket {ticket_id} is not claimed by you")
        await self._tell_citizen(ticket, "returned_to_bot", who.name)
        return await self._announce(ticket)

    async def resolve(
        self, who: Account, ticket_id: int, note: str, tags: list[str], outcome: Outcome | None = None
    ) -> TicketCard:
        ticket = await self._db(lambda: self.tickets.resolve(ticket_id, who.name, note, tags, who.supervisor, outcome))
        if ticket is None:
            raise QueueError(Refusal.NOT_YOURS, f"ticket {ticket_id} is not claimed by you")
        await self._tell_citizen(ticket, "resolved", who.name)
        return await self._announce(ticket)

    async def ready_replies(self, who: Account, ticket_id: int) -> list[RenderedReply]:
        case = await self.case(who, ticket_id, audit=False)
        first = case.brief.candidates[0] if case.brief and case.brief.candidates else None
        policy = PolicyLink(policy_id=first.policy_id, title=first.title) if first else None
        language: Language = "en" if case.card.language == "en" else "ko"
        return self.replies.render(language, self.titles, who.name, policy, case.card.region)

    async def colleagues(self) -> list[Colleague]:
        accounts = await self._db(self.store.accounts.names)
        disabled = await self._db(self.store.accounts.disabled_names)
        open_tickets = await self._db(self.tickets.visible_to, "", True)
        holding = {a.name: sum(t.claimed_by == a.name for t in open_tickets) for a in accounts}
        return [
            Colleague(name=a.name, role=a.role, holding=holding[a.name]) for a in accounts if a.name not in disabled
        ]

    async def audit_log(
        self, who: Account, ticket_id: int | None = None, actor: str | None = None, limit: int = 200
    ) -> list[AuditRecord]:
        if not who.supervisor:
            raise QueueError(Refusal.FORBIDDEN, "the audit log is for supervisors")
        entries = await self._db(lambda: self.store.casework.audit_log(ticket_id, actor, limit))
        await self._audit(who, AuditAction.READ_AUDIT, ticket_id)
        return entries

    async def overdue_crises(self) -> list[CrisisOverdueEvent]:
        """Crisis tickets unclaimed past ``crisis_realert_minutes``, each told once (to every replica's
        supervisors) and published on the queue topic."""
        minutes = self.settings.crisis_realert_minutes
        due = await self._db(self.tickets.overdue_crises, utcnow() - timedelta(minutes=minutes))
        events = [CrisisOverdueEvent(**self.card(t).model_dump(), minutes=minutes) for t in due]
        for event in events:
            await self.bus.publish(QUEUE_TOPIC, event)
        return events

    async def _audit(self, who: Account, action: AuditAction, ticket_id: int | None = None) -> None:
        await self._db(self.store.casework.record, AuditDraft(actor=who.name, action=action, ticket_id=ticket_id))

    async def _tell_citizen(self, ticket: TicketView, event: HandoffEvent, counselor: str) -> None:
        payload = EventPayload(event=event, counselor=counselor, ticket_id=ticket.id)
        stored, _ = await self._db(
            lambda: self.store.add_message(ticket.conversation_id, Role.EVENT, "", payload=payload)
        )
        await self._publish_message(ticket, stored)

    async def _publish_message(self, ticket: TicketView, stored: StoredMessage) -> None:
        await self.bus.publish(citizen_topic(ticket.conversation_id), handoff_frame(stored))
        await self.bus.publish(*case_message(ticket.id, stored))

    async def _publish_note(self, ticket: TicketView, note: NoteView) -> None:
        await self.bus.publish(case_topic(ticket.conversation_id), CaseNoteEvent(ticket_id=ticket.id, note=note))

    async def _announce(self, ticket: TicketView) -> TicketCard:
        card = self.card(ticket)
        await self.bus.publish(QUEUE_TOPIC, ticket_event(card))
        return card
