"""The bus takes and hands out typed events; its transports carry them as JSON, so what one replica
publishes another reads as the same model, and a shape no version knows is dropped, not half-read."""

from __future__ import annotations

import asyncio

from counselor.chat.frames import HandoffFrame
from counselor.queue.bus import EventBus, InProcessBus
from counselor.queue.events import EVENTS, CaseMessageEvent, SessionEndedEvent, case_message
from counselor.store.payloads import CitizenPayload, Role
from counselor.store.records import StoredMessage
from counselor.store.tables import utcnow


def test_events_cross_the_bus_as_json_and_come_back_as_models() -> None:
    message = StoredMessage(
        id="m1",
        seq=3,
        conversation_id="c1",
        role=Role.CITIZEN,
        text="도와주세요",
        payload=CitizenPayload(masked=["phone"]),
        created_at=utcnow(),
    )
    transport = InProcessBus()

    async def run() -> list[object]:
        bus = EventBus(transport)
        async with bus.subscribe("case:c1", "queue") as sub:
            await transport.publish("queue", {"type": "no such event"})  # another version's, say
            await bus.publish(*case_message(7, message))
            await bus.publish("queue", SessionEndedEvent(session="abc"))
            return [await asyncio.wait_for(sub.get(), 1) for _ in range(2)]

    event, ended = asyncio.run(run())
    assert isinstance(event, CaseMessageEvent) and event.ticket_id == 7 and event.message == message
    assert isinstance(ended, SessionEndedEvent) and ended.session == "abc"
    wire = EVENTS.dump_python(event, mode="json")
    assert wire["type"] == "case_message" and wire["message"]["payload"] == {"masked": ["phone"]}
    handoff = EVENTS.validate_python({"type": "resolved", "message_id": "m2", "counselor": "lee"})
    assert isinstance(handoff, HandoffFrame)
