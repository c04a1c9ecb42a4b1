"""The terminal chat: one command per stdin line; output shows which room each message goes to."""
