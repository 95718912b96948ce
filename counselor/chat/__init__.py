"""The citizen's conversation: frames, the turn pipeline and its steps, answerers."""
