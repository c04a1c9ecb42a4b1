"""What a platform hands to the core and what it gets back."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.grammar.commands import Lang


@dataclass(frozen=True)
class Origin:
    """Who said a command, where.

    `person` is the roster key the adapter resolved (None: not in the roster). `room` is the
    platform's own room id; the core maps it to an activation through the room bindings.
    `delivery_id` identifies one delivery so that a platform's re-delivery is recognised.
    """

    platform: str
    person: str | None
    room: str | None = None
    user: str = ""
    delivery_id: str | None = None


@dataclass(frozen=True)
class Reply:
    """The answer to the speaker, in light Markdown; people as `<@person-key>` mentions."""

    text: str
    ok: bool = True
    lang: Lang = "sv"
    mentions: tuple[str, ...] = field(default_factory=tuple)
    private: bool = False
    activation_id: str | None = None
    code: str | None = None  # the error code of a refused command
