"""The console socket's frames are read strictly, as the citizen's are: each action with the fields it needs,
and whatever cannot be read is one code, ``bad_frame``."""

from __future__ import annotations

import pytest

from counselor.chat.frames import ErrorCode, FrameError
from counselor.web.console_frames import (
    MAX_TICKET_ID,
    ClaimAction,
    PingAction,
    ResolveAction,
    SendAction,
    parse_console_frame,
)


def test_each_action_reads_as_its_own_frame() -> None:
    assert isinstance(parse_console_frame('{"type": "ping"}'), PingAction)
    claim = parse_console_frame('{"type": "claim", "ticket_id": 7}')
    assert isinstance(claim, ClaimAction) and claim.ticket_id == 7
    send = parse_console_frame('{"type": "send", "ticket_id": 7, "text": "안녕하세요", "policies": ["p"]}')
    assert isinstance(send, SendAction) and (send.text, send.policies, send.template) == ("안녕하세요", ["p"], None)
    resolve = parse_console_frame('{"type": "resolve", "ticket_id": 7, "outcome": "referred"}')
    assert isinstance(resolve, ResolveAction) and resolve.outcome == "referred"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (None, "binary"),
        ("not json", "not valid JSON"),
        ('{"ticket_id": 7}', "'type'"),
        ('{"type": "open"}', "ticket_id"),  # the action names its ticket
        ('{"type": "ping", "ticket_id": 7}', "ticket_id"),  # and ping names none
        ('{"type": "note", "ticket_id": 7}', "text"),
        ('{"type": "claim", "ticket_id": 7, "extra": 1}', "extra"),
        (f'{{"type": "claim", "ticket_id": {MAX_TICKET_ID + 1}}}', "ticket_id"),
        ('{"type": "claim", "ticket_id": ' + "9" * 5000 + "}", "too long"),
        ('{"type": "sing", "ticket_id": 7}', "sing"),
    ],
)
def test_a_frame_that_cannot_be_read_is_a_bad_frame(raw: str | None, says: str) -> None:
    with pytest.raises(FrameError) as refused:
        parse_console_frame(raw)
    assert refused.value.code == ErrorCode.BAD_FRAME and says in refused.value.message
