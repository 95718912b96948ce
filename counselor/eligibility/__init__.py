"""Eligibility: criteria as data, the citizen's profile, and deterministic verdicts. No model decides here."""
