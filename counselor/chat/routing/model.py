"""The router's model: a multinomial logistic regression over the question's e5 vector (the one retrieval
computes anyway), stored as plain arrays in an ``.npz`` file (no pickle: loading runs no code).

Trained by ``counselor router train`` (counselor/chat/routing/train.py) with scikit-learn; applied here with
numpy alone, a matrix-vector product over 384 numbers (well under a millisecond).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from counselor.chat.routing.routes import CRISIS_ROUTES, Route
from counselor.errors import RouterModelError
from counselor.jsontypes import JsonObject

Vector = np.ndarray


@dataclass(frozen=True)
class RouterModel:
    classes: tuple[Route, ...]
    coef: np.ndarray  # (classes, dimension)
    intercept: np.ndarray  # (classes,)
    embedder: str
    meta: JsonObject = field(default_factory=dict)  # training figures, as json.dumps wrote them

    @property
    def dimension(self) -> int:
        return int(self.coef.shape[1])

    def probabilities(self, vector: Vector) -> dict[Route, float]:
        z = self.coef @ np.asarray(vector, dtype=np.float32).reshape(-1) + self.intercept
        z = np.exp(z - z.max())
        p = z / z.sum()
        return {route: float(p[i]) for i, route in enumerate(self.classes)}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                coef=self.coef.astype(np.float32),
                intercept=self.intercept.astype(np.float32),
                classes=np.array([c.value for c in self.classes]),
                embedder=np.array(self.embedder),
                meta=np.array(json.dumps(self.meta, ensure_ascii=False)),
            )

    @classmethod
    def load(cls, path: Path, embedder: str, dimension: int) -> RouterModel:
        """The model for this embedder, or :class:`RouterModelError` saying what is wrong with the file."""
        if not path.is_file():
            raise RouterModelError(f"router model {path} is missing (run `counselor router train`)")
        try:
            with np.load(path, allow_pickle=False) as data:
                classes = tuple(Route(str(c)) for c in data["classes"])
                model = cls(
                    classes=classes,
                    coef=np.asarray(data["coef"], dtype=np.float32),
                    intercept=np.asarray(data["intercept"], dtype=np.float32),
                    embedder=str(data["embedder"]),
                    meta=json.loads(str(data["meta"])),
                )
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
            raise RouterModelError(f"router model {path} cannot be read: {type(exc).__name__}: {exc}") from exc
        if model.embedder != embedder:
            raise RouterModelError(f"router model {path} was trained on {model.embedder}, the index uses {embedder}")
        if model.coef.shape != (len(classes), dimension) or model.intercept.shape != (len(classes),):
            raise RouterModelError(
                f"router model {path} has shape {model.coef.shape}, expected ({len(classes)}, {dimension})"
            )
        if not np.isfinite(model.coef).all() or not np.isfinite(model.intercept).all():
            raise RouterModelError(f"router model {path} holds non-finite weights")
        if not set(CRISIS_ROUTES) <= set(classes) or Route.WELFARE not in classes:
            raise RouterModelError(f"router model {path} lacks the crisis or welfare classes")
        return model
