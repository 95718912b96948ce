"""The ``counselor`` command line."""
