"""Message payloads are typed by role, yet rows keep the JSON they always had: rows written before a payload
gained a field still read, and what is written now is what was written before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from counselor.chat.frames import AckFrame, AnswerFrame, CounselorMessageFrame, HandoffFrame
from counselor.chat.service import answer_from_stored
from counselor.chat.statuses import TurnStatus
from counselor.store.conversations import ConversationStore
from counselor.store.ids import new_id
from counselor.store.payloads import AnswerPayload, CitizenPayload, CounselorPayload, EventPayload, Role
from counselor.store.records import StoredMessage
from counselor.store.tables import Message, utcnow
from counselor.web.chat_ws import replay_frame

CITATION = {"number": 1, "policy_id": "nat-pension", "title": "기초연금제도", "section": "내용", "source": "x"}
# The shapes of rows written by earlier versions: an answer before related policies, verdicts and asks, a
# caseworker's message before links, an event before it named its ticket.
OLD_ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("citizen", "제 번호는 [전화번호]", {"masked": ["phone"]}),
    ("citizen", "기초연금 얼마예요?", {}),
    (
        "bot",
        "월 최대 33만 4,810원 [1]",
        {"reply_to": None, "citations": [CITATION], "confidence": 0.9, "status": "answered", "language": "ko"},
    ),
    ("counselor", "안녕하세요", {"counselor": "lee"}),
    ("event", "", {"event": "resolved", "counselor": "lee"}),
    ("bot", "답", {"status": "no longer a status", "confidence": 2}),  # damaged: read, without a frame
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConversationStore]:
    store = ConversationStore.from_url(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield store
    store.engine.dispose()


def _write_raw(store: ConversationStore, conversation: str, rows: list[tuple[str, str, dict[str, object]]]) -> None:
    with store.engine.begin() as db:
        for role, text, payload in rows:
            db.execute(
                insert(Message).values(
                    id=new_id(),
                    conversation_id=conversation,
                    role=role,
                    text=text,
                    payload=payload,
                    created_at=utcnow(),
                )
            )


def test_rows_of_older_shapes_read_as_their_role_s_payload(store: ConversationStore) -> None:
    conversation, _ = store.open_conversation()
    _write_raw(store, conversation, OLD_ROWS)
    read = store.messages_after(conversation)
    assert [type(m.payload) for m in read] == [
        CitizenPayload,
        CitizenPayload,
        AnswerPayload,
        CounselorPayload,
        EventPayload,
        AnswerPayload,
    ]
    masked, plain, answer, counselor, event, damaged = read
    assert isinstance(masked.payload, CitizenPayload) and masked.payload.masked == ["phone"]
    assert isinstance(plain.payload, CitizenPayload) and plain.payload.masked == []
    frame = answer_from_stored(answer)
    assert frame.status == TurnStatus.ANSWERED and frame.citations[0].title == "기초연금제도"
    assert frame.message_id == answer.id and frame.text == answer.text and frame.related == []
    assert isinstance(counselor.payload, CounselorPayload) and counselor.payload.links == []
    assert isinstance(event.payload, EventPayload) and event.payload.ticket_id is None
    assert isinstance(damaged.payload, AnswerPayload) and damaged.payload.frame is None

    replayed = [replay_frame(m) for m in read[:5]]
    assert [type(f) for f in replayed] == [AckFrame, AckFrame, AnswerFrame, CounselorMessageFrame, HandoffFrame]
    assert isinstance(replayed[0], AckFrame) and replayed[0].masked == ["phone"]
    assert isinstance(replayed[4], HandoffFrame) and replayed[4].type == "resolved"
    chat = store.feedback.rate_chat(conversation, event.id, 5)
    assert chat is not None and (chat.ticket_id, chat.counselor) == (None, "lee")


def test_what_is_written_is_the_json_rows_always_held(store: ConversationStore) -> None:
    conversation, _ = store.open_conversation()
    store.add_message(conversation, Role.CITIZEN, "q", payload=CitizenPayload(masked=["rrn"]))
    store.add_message(conversation, Role.COUNSELOR, "c", payload=CounselorPayload(counselor="lee"))
    store.add_message(
        conversation, Role.EVENT, "", payload=EventPayload(event="requeued", counselor="lee", ticket_id=3)
    )
    frame = AnswerFrame(message_id=new_id(), text="답 [1]", citations=[CITATION], confidence=0.5, status="answered")
    store.add_message(
        conversation, Role.BOT, frame.text, message_id=frame.message_id, payload=AnswerPayload(frame=frame)
    )
    with store.engine.connect() as db:
        stored = [row.payload for row in db.execute(select(Message.payload).order_by(Message.seq))]
    assert stored == [
        {"masked": ["rrn"]},
        {"counselor": "lee", "links": []},
        {"event": "requeued", "counselor": "lee", "ticket_id": 3},
        frame.model_dump(mode="json", exclude={"message_id", "text", "type"}),  # the frame less the row's own fields
    ]
    # The wire (a console's transcript, a case_message event) shows the same JSON, with no tag added.
    dumped = [json.loads(m.model_dump_json())["payload"] for m in store.messages_after(conversation)]
    assert dumped == stored


def test_a_payload_must_be_its_role_s() -> None:
    with pytest.raises(ValueError, match="cannot hold"):
        StoredMessage(
            id="m", seq=0, conversation_id="c", role=Role.BOT, text="", payload=CitizenPayload(), created_at=utcnow()
        )
