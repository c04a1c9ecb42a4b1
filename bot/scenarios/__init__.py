"""The bundled playbooks (scenarios), one TOML file per playbook; the file name is its key.

Each file holds one table with the fields of `bot.domain.roster.Scenario`: `name`,
`aliases`, `description`, `forum` (the default forum), `extra_calls` (actors or
`funktion@aktör` called besides the forum's composition), `conference_every_hours` (the
samverkanskonferens rhythm planned at activation), `agenda` (additions to the model's
default agenda), `checklist` (posted in the war room, ticked with `klar <nr>`) and
`templates` (common public messages, `budskap mall <key>`; placeholders {rubrik}, {forum},
{datum}, {tid}, {region}), and `resources` (typical resources that `resurs behov band…`
completes to).

They are loaded with the roster (`bot.roster.loader.load_roster`), validated with file:line
errors, and left out where a region lacks their forum or an extra call. A region adds or
replaces playbooks in its own `scenarios/` folder (or `SAMVERKAN_SCENARIOS`) — no code.
"""
