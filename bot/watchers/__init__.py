"""Watchers of public warnings (SMHI, Sveriges Radio VMA, Krisinformation.se): read-only
feeds polled by the leader; see `bot.watchers.runtime`."""
