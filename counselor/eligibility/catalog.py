"""Every indexed policy with its names and criteria, read from the index (ingest validated them). A policy
without criteria is still listed: a citizen names it, and the name must not be taken for a neighbour that has
criteria ("중증장애인 지원고용(훈련수당)" is not "장애인 직업능력개발 운영(훈련수당)")."""

from __future__ import annotations

from collections.abc import Iterable

from counselor.eligibility.engine import PolicyCriteria
from counselor.policies import Chunk


def policies_from_chunks(chunks: Iterable[Chunk]) -> list[PolicyCriteria]:
    out: dict[str, PolicyCriteria] = {}
    for chunk in chunks:
        known = out.get(chunk.policy_id)
        if known is None or (chunk.eligibility and not known.criteria):
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
