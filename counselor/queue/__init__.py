"""The caseworker side: the event bus between sockets, the counselor service, office hours."""
