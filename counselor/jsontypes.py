"""JSON as it is before a model reads it."""

from __future__ import annotations

from typing import Any

# A decoded JSON object whose shape its reader checks: a database JSON column (store/tables.py; the records
# in store/records.py and store/payloads.py type it), the facts a dataset states (free-form by design, scored
# pair by pair in evaluation/facts_metrics.py), a settings source's raw values. Any, not pydantic's JsonValue,
# because these readers walk nested values whose types the data decides (a child's facts, a list of ages).
JsonObject = dict[str, Any]
