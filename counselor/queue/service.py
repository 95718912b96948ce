"""What caseworkers do to tickets, and what the citizen sees of it.

Each action changes the ticket atomically (counselor/store/tickets.py), stores what the citizen should see as
a message of the conversation (so a reconnecting citizen replays it), then publishes the citizen's frame and
the queue change on the bus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from pydantic import BaseModel

from counselor.chat.frames import CounselorMessageFrame, HandoffFrame
from counselor.queue.bus import EventBus
from counselor.queue.cards import TicketCard, make_card
from counselor.settings import QueueSettings
from counselor.store.accounts import Account
from counselor.store.conversations import ConversationStore
from counselor.store.records import StoredMessage
from counselor.store.tickets import TicketView

T = TypeVar("T")


class QueueError(Exception):
    """A caseworker's action that cannot be done: not theirs, taken, closed, or not visible to them."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Case(BaseModel):
    card: TicketCard
    transcript: list[StoredMessage]


def citizen_topic(conversation_id: str) -> str:
    return f"citizen:{conversation_id}"


def case_topic(conversation_id: str) -> str:
    return f"case:{conversation_id}"


def may_see(who: Account, state: str, claimed_by: str | None) -> bool:
    """The one access rule for a ticket and its transcript, over HTTP and on the console socket alike: a
    supervisor sees all, anyone sees a waiting ticket, otherwise only the caseworker who claimed it."""
    return who.supervisor or state == "waiting" or claimed_by == who.name


def handoff_frame(message: StoredMessage) -> HandoffFrame | CounselorMessageFrame:
    if message.role == "counselor":
        return CounselorMessageFrame(
            message_id=message.id, text=message.text, counselor=str(message.payload.get("counselor", ""))
        )
    return HandoffFrame(
        type=message.payload["event"], message_id=message.id, counselor=str(message.payload.get("counselor", ""))
    )


class CounselorService:
    def __init__(self, store: ConversationStore, bus: EventBus, settings: QueueSettings) -> None:
        self.store = store
        self.tickets = store.tickets
        self.bus = bus
        self.settings = settings

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

    async def case(self, who: Account, ticket_id: int) -> Case:
        ticket = await self._visible_ticket(who, ticket_id)
        transcript = await self._db(self.store.messages_after, ticket.conversation_id)
        return Case(card=self.card(ticket), transcript=transcript)

    async def _visible_ticket(self, who: Account, ticket_id: int) -> TicketView:
        ticket = await self._db(self.tickets.get, ticket_id)
        if ticket is None or not may_see(who, ticket.state, ticket.claimed_by):
            raise QueueError("not_found", f"no ticket {ticket_id} for you")
        return ticket

    async def still_sees(self, who: Account, ticket_id: int) -> bool:
        """Whether ``who`` may see the ticket now (events are checked when delivered, not when subscribed)."""
        ticket = await self._db(self.tickets.get, ticket_id)
        return ticket is not None and may_see(who, ticket.state, ticket.claimed_by)

    async def claim(self, who: Account, ticket_id: int) -> TicketCard:
        if await self._db(self.tickets.get, ticket_id) is None:
            raise QueueError("not_found", f"no ticket {ticket_id}")
        ticket = await self._db(self.tickets.claim, ticket_id, who.name)
        if ticket is None:
            raise QueueError("taken", f"ticket {ticket_id} is no longer waiting")
        await self._tell_citizen(ticket, "event", "", {"event": "counselor_joined", "counselor": who.name})
        return await self._announce(ticket)

    async def send(self, who: Account, ticket_id: int, text: str) -> StoredMessage:
        ticket = await self._db(self.tickets.get, ticket_id)
        if ticket is None or ticket.state != "claimed" or ticket.claimed_by != who.name:
            raise QueueError("not_yours", f"ticket {ticket_id} is not claimed by you")
        if not text.strip():
            raise QueueError("empty", "the message is empty")
        return await self._tell_citizen(ticket, "counselor", text.strip(), {"counselor": who.name})

    async def return_to_bot(self, who: Account, ticket_id: int) -> TicketCard:
        ticket = await self._db(self.tickets.return_to_bot, ticket_id, who.name, who.supervisor)
        if ticket is None:
            raise QueueError("not_yours", f"ticket {ticket_id} is not claimed by you")
        await self._tell_citizen(ticket, "event", "", {"event": "returned_to_bot", "counselor": who.name})
        return await self._announce(ticket)

    async def resolve(self, who: Account, ticket_id: int, note: str, tags: list[str]) -> TicketCard:
        ticket = await self._db(self.tickets.resolve, ticket_id, who.name, note, tags, who.supervisor)
        if ticket is None:
            raise QueueError("not_yours", f"ticket {ticket_id} is not claimed by you")
        await self._tell_citizen(ticket, "event", "", {"event": "resolved", "counselor": who.name})
        return await self._announce(ticket)

    async def _tell_citizen(self, ticket: TicketView, role: str, text: str, payload: dict[str, Any]) -> StoredMessage:
        stored, _ = await self._db(lambda: self.store.add_message(ticket.conversation_id, role, text, payload=payload))
        frame = handoff_frame(stored)
        await self.bus.publish(citizen_topic(ticket.conversation_id), frame.model_dump(mode="json"))
        await self.bus.publish(
            case_topic(ticket.conversation_id),
            {"type": "case_message", "ticket_id": ticket.id, "message": stored.model_dump(mode="json")},
        )
        return stored

    async def _announce(self, ticket: TicketView) -> TicketCard:
        card = self.card(ticket)
        await self.bus.publish("queue", {"type": "ticket", **card.model_dump(mode="json")})
        return card
