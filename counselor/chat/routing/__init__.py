"""What a message is: a learned router over the question's e5 vector, with rules as overrides."""
