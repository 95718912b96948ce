"""counselor: an AI welfare counselor for Korean cities."""

__version__ = "0.1.0"
