"""What the chat tells caseworkers through the bus: a ticket its turn opened (topic ``queue``), and a citizen's
message to a case a caseworker has or awaits (topic ``case:<conversation>``).

The events themselves are built in counselor/queue/events.py, the one place both services build them.
"""

from __future__ import annotations

from counselor.queue.bus import EventBus, InProcessBus
from counselor.queue.cards import make_card
from counselor.queue.events import QUEUE_TOPIC, case_message, ticket_event
from counselor.settings import QueueSettings
from counselor.store.records import StoredMessage
from counselor.store.tickets import TicketView


class QueuePublisher:
    def __init__(self, bus: EventBus | None, queue: QueueSettings) -> None:
        # No bus given: one in this process, so a service built alone (a command, a test) still runs.
        self.bus = bus or EventBus(InProcessBus())
        self.queue = queue

    async def ticket_opened(self, ticket: TicketView) -> None:
        await self.bus.publish(QUEUE_TOPIC, ticket_event(make_card(ticket, self.queue.sla_minutes)))

    async def case_message(self, ticket_id: int, message: StoredMessage) -> None:
        await self.bus.publish(*case_message(ticket_id, message))
