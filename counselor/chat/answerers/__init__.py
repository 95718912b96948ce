"""Answerers compose the reply from retrieved policies: extractive templates (no model) or a chat model."""
