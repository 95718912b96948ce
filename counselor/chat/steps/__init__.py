"""The pipeline's steps, in the order a turn runs them. Each may end the turn with ``ctx.stop``."""
