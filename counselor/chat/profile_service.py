"""The citizen's profile as the citizen sees it: read it, correct facts, clear some, or erase it all.

A correction is the citizen's word and wins over what the fact reader took from a message; its source says so.
"""

from __future__ import annotations

import logging

import anyio
from pydantic import ValidationError

from counselor.chat.frames import ErrorCode, FrameError, ProfileFrame, ProfileRequestFrame
from counselor.eligibility.profile import Profile
from counselor.jsontypes import JsonObject
from counselor.store.conversations import ConversationStore

log = logging.getLogger(__name__)


def load_profile(facts: JsonObject | None) -> Profile:
    """The stored profile; one that no longer validates (an older shape) starts afresh rather than failing."""
    try:
        return Profile.model_validate(facts or {})
    except ValidationError:
        log.warning("a stored profile did not validate; starting a new one")
        return Profile()


class ProfileService:
    def __init__(self, store: ConversationStore) -> None:
        self.store = store

    async def request(self, conversation_id: str, frame: ProfileRequestFrame) -> ProfileFrame:
        """The citizen sees, corrects or erases what the service keeps about them."""
        if frame.action == "erase":
            await anyio.to_thread.run_sync(self.store.erase_profile, conversation_id)
            return ProfileFrame(facts={}, erased=True)
        current = load_profile(await anyio.to_thread.run_sync(self.store.profile, conversation_id))
        if frame.action == "get":
            return ProfileFrame(facts=current.known())
        updated = _changed(current, frame)
        await anyio.to_thread.run_sync(self.store.save_profile, conversation_id, updated.model_dump(mode="json"))
        return ProfileFrame(facts=updated.known())


def _changed(current: Profile, frame: ProfileRequestFrame) -> Profile:
    """The profile after a ``set`` or ``clear``; a FrameError naming the first fact that cannot be used."""
    data = current.model_dump()
    if frame.action == "set":
        unknown = set(frame.facts) - set(Profile.model_fields) - {"sources"}
        if unknown:
            raise FrameError(ErrorCode.BAD_FRAME, f"facts: unknown {', '.join(sorted(unknown))}")
        data.update(frame.facts)
        for name in frame.facts:
            data["sources"][name] = {"message_id": None, "text": "corrected by the citizen"}
    else:
        for name in frame.names:
            if name in Profile.model_fields and name != "sources":
                data[name] = None
                data["sources"].pop(name, None)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise FrameError(ErrorCode.BAD_FRAME, f"facts.{'.'.join(map(str, first['loc']))}: {first['msg']}") from exc
