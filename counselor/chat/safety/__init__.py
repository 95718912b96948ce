"""Rules that run before anything is stored or sent to a model: identifiers, crisis, injection, scope."""
