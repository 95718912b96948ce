"""The router: the trained model when its file fits the embedder, else the rules alone (and it says so)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from counselor.chat.routing.decide import RouteDecision, decide
from counselor.chat.routing.model import RouterModel
from counselor.chat.routing.routes import Route
from counselor.errors import RouterModelError
from counselor.settings import RouterSettings

log = logging.getLogger(__name__)

Embed = Callable[[str], np.ndarray]


class Router:
    """``embed`` gives the vector retrieval will use for the same text (HybridRetriever.dense_query through
    the question cache), so routing costs one matrix-vector product, not a second encoding.

    A missing, corrupt or mismatched model file does not stop the service: routing falls back to the rules,
    which catch fewer crises in unlisted words but never call a listed one out of scope; /readyz shows
    ``router: rules only: <why>`` so an operator sees it (docs/chat.md, "Routing")."""

    def __init__(self, settings: RouterSettings, embed: Embed, embedder: str, dimension: int) -> None:
        self.settings = settings
        self.embed = embed
        self.model: RouterModel | None = None
        self.problem: str | None = None
        try:
            self.model = RouterModel.load(settings.model_dir / f"{embedder}.npz", embedder, dimension)
        except RouterModelError as exc:
            self.problem = str(exc)
            log.warning("routing by rules only: %s", exc)

    @property
    def status(self) -> str:
        if self.model is None:
            return f"rules only: {self.problem}"
        trained = self.model.meta.get("trained_on", "?")
        return f"model ({len(self.model.classes)} classes, {trained} utterances) with rule overrides"

    def probabilities(self, text: str) -> dict[Route, float] | None:
        if self.model is None:
            return None
        return self.model.probabilities(self.embed(text))

    def decide(self, text: str) -> RouteDecision:
        return decide(text, self.probabilities(text), self.settings)
