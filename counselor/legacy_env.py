"""The old spellings of the nested settings, read while deployments move to the one spelling.

Each group of settings was once a settings class of its own, read from ``COUNSELOR_<GROUP>_<KNOB>`` (one
underscore), besides the nested ``COUNSELOR_<GROUP>__<KNOB>``. The groups are now plain models inside the one
``Settings``, so the nested spelling is the knob's name; the old one is still read from the environment (as it
always was, never from .env), loses to the new one when both are set, and is logged as old.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource

from counselor.jsontypes import JsonObject

log = logging.getLogger(__name__)

# Settings field -> the prefix its group's own settings class read.
OLD_PREFIXES = {
    "retrieval": "COUNSELOR_RETRIEVAL_",
    "chat": "COUNSELOR_CHAT_",
    "queue": "COUNSELOR_QUEUE_",
    "web": "COUNSELOR_WEB_",
    "llm_options": "COUNSELOR_LLM_",
}


class OldSpellings(PydanticBaseSettingsSource):
    """``COUNSELOR_CHAT_CONFIDENCE_THRESHOLD`` read as ``chat.confidence_threshold``."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # __call__ reads every group at once

    def __call__(self) -> JsonObject:  # a settings source's contract: raw values, validated by Settings
        found: JsonObject = {}
        for group, prefix in OLD_PREFIXES.items():
            model = self.settings_cls.model_fields[group].annotation
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                continue
            # The source that read the group's own class then: the same decoding of lists and JSON values.
            # (It reads only the fields and model_config of the class it is given, which a plain model has too.)
            source = EnvSettingsSource(cast(type[BaseSettings], model), env_prefix=prefix, case_sensitive=False)
            values = source()
            if values:
                for name in values:
                    new = f"COUNSELOR_{group.upper()}__{name.upper()}"
                    log.warning("%s%s is the old spelling of %s", prefix, name.upper(), new)
                found[group] = values
        return found
