"""Evaluation datasets and metrics."""
