"""The criteria of every indexed policy, read from the index (ingest validated them) and the year's tables."""

from __future__ import annotations

from collections.abc import Iterable

from counselor.eligibility.engine import PolicyCriteria
from counselor.policies import Chunk


def policies_from_chunks(chunks: Iterable[Chunk]) -> list[PolicyCriteria]:
    out: dict[str, PolicyCriteria] = {}
    for chunk in chunks:
        if chunk.eligibility and chunk.policy_id not in out:
            out[chunk.policy_id] = PolicyCriteria(
                policy_id=chunk.policy_id,
                title=chunk.title,
                criteria=chunk.eligibility,
                sido=chunk.sido,
                district=chunk.district,
                title_en=chunk.title_en,
                names=chunk.names,
            )
    return list(out.values())
