"""One parser for every platform: command words (sv/en), names, times and recurrence rules."""
