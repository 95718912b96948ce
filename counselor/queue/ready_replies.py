"""Ready replies for caseworkers: one YAML file each under ``prompts/ready_replies/`` (Korean and English, with
placeholders and links to policies), loaded and checked when the service starts, so a broken file stops the
start with its name and the problem instead of failing in front of a citizen.

Placeholders: ``{counselor}`` (the caseworker's name), ``{policy}`` (the title of the case's first candidate
policy, whose link then goes with the message) and ``{region}`` (the citizen's region). A file may give a
default per language for a value a case lacks; without one the placeholder is left as ``[region]`` for the
caseworker to fill in before sending."""

from __future__ import annotations

import logging
import string
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from counselor.errors import ConfigError
from counselor.language import Language
from counselor.shared_frames import PolicyLink

log = logging.getLogger(__name__)
Placeholder = Literal["counselor", "policy", "region"]
PLACEHOLDERS: tuple[Placeholder, ...] = ("counselor", "policy", "region")


class Localized(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ko: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.ko


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


class ReadyReply(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    version: int = Field(ge=1)
    title: Localized
    text: Localized
    policies: list[str] = Field(default_factory=list, max_length=5, description="policy ids linked with it")
    defaults: dict[Placeholder, Localized] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _placeholders(self) -> ReadyReply:
        korean, english = placeholders(self.text.ko), placeholders(self.text.en)
        unknown = (korean | english) - set(PLACEHOLDERS)
        if unknown:
            raise ValueError(f"unknown placeholder(s) {sorted(unknown)}; use {list(PLACEHOLDERS)}")
        if korean != english:
            raise ValueError(f"the Korean and English texts use different placeholders: {korean} / {english}")
        return self

    @property
    def uses(self) -> set[str]:
        return placeholders(self.text.ko)


class RenderedReply(BaseModel):
    """A ready reply filled in for one case, as the console offers it."""

    id: str
    version: int
    title: str
    text: str
    links: list[PolicyLink]
    language: Language


class ReadyReplies:
    def __init__(self, replies: list[ReadyReply]) -> None:
        self.replies = {r.id: r for r in replies}

    @classmethod
    def load(cls, folder: Path) -> ReadyReplies:
        """Every ``*.yaml`` in ``folder``; a file whose name is not its id, or that does not validate, is a
        ConfigError naming it. A missing folder means no ready replies."""
        if not folder.is_dir():
            log.warning("no ready replies: %s is not a folder", folder)
            return cls([])
        replies = []
        for path in sorted(folder.glob("*.yaml")):
            try:
                reply = ReadyReply.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
            except (OSError, yaml.YAMLError, ValidationError) as exc:
                raise ConfigError(f"ready reply {path}: {exc}") from exc
            if reply.id != path.stem:
                raise ConfigError(f"ready reply {path}: its id is {reply.id!r}, its file name must be {reply.id}.yaml")
            replies.append(reply)
        return cls(replies)

    def check_policies(self, title: Callable[[str], str | None]) -> list[str]:
        """Drop links to policies the index does not have (logged); the problems found."""
        problems = []
        for reply in self.replies.values():
            missing = [p for p in reply.policies if title(p) is None]
            for policy_id in missing:
                problems.append(f"ready reply {reply.id}: no policy {policy_id} in the index; its link is left out")
            reply.policies = [p for p in reply.policies if p not in missing]
        for problem in problems:
            log.warning(problem)
        return problems

    def render(
        self,
        language: Language,
        title: Callable[[str], str | None],
        counselor: str,
        policy: PolicyLink | None,
        region: str,
    ) -> list[RenderedReply]:
        values = {"counselor": counselor, "policy": policy.title if policy else "", "region": region}
        out = []
        for reply in self.replies.values():
            filled = {}
            for name in PLACEHOLDERS:
                default = reply.defaults.get(name)
                filled[name] = values[name] or (default.get(language) if default else f"[{name}]")
            links = [PolicyLink(policy_id=p, title=t) for p in reply.policies if (t := title(p))]
            if "policy" in reply.uses and policy is not None:
                links.insert(0, policy)
            out.append(
                RenderedReply(
                    id=reply.id,
                    version=reply.version,
                    title=reply.title.get(language),
                    text=reply.text.get(language).format(**filled),
                    links=links,
                    language=language,
                )
            )
        return out
