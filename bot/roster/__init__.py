"""The region's roster as files: checks across sections, loading with file:line locations,
and the `samverkan roster check|show` CLI. The pure model is `bot.domain.roster`."""
