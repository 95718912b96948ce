"""Fakes that ship with the code, for tests and benches: no model, no network beyond loopback."""
