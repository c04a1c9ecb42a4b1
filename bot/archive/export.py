"""The protocol of one activation as a file: Markdown, HTML or PDF.

A closed activation's protocol is the one stored at `avaktivera` (exactly what the war room
received); an active one's is built from the record now and marked as a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bot.archive.html import protocol_html
from bot.archive.pdf import protocol_pdf
from bot.domain.ports import AppCore
from bot.domain.record import Activation
from bot.grammar.commands import Command, Help
from bot.handlers.context import Ctx
from bot.handlers.protocol import build_protocol
from bot.handlers.types import Origin

Format = Literal["md", "html", "pdf"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf")
MEDIA_TYPES: dict[Format, str] = {"md": "text/markdown; charset=utf-8",
                                  "html": "text/html; charset=utf-8",
                                  "pdf": "application/pdf"}
DRAFT = "> UTKAST — aktiveringen pågår; protokollet är inte fastställt.\n\n"


class UnknownActivation(LookupError):
    """No activation with that id (code: activation.unknown)."""


class ArchiveApp(AppCore, Protocol):
    """What the archive needs of the composition root: the core parts (`AppCore`)."""


@dataclass(frozen=True)
class ProtocolFile:
    """One rendering: file name (e.g. `protokoll-2026-001.pdf`), media type, bytes."""

    name: str
    media_type: str
    data: bytes


async def protocol_markdown(app: ArchiveApp, activation_id: str) -> tuple[Activation, str]:
    """The activation and its protocol's Markdown; raises UnknownActivation."""
    async with app.uow() as uow:
        act = await uow.activations.get(activation_id)
        if act is None:
            raise UnknownActivation(activation_id)
        if act.protocol is not None and not act.is_active:
            return act, act.protocol
        command = Command(word="hjälp", body=Help(topic=None))
        ctx = Ctx(roster=app.roster, uow=uow, tz=app.tz, now=app.clock.now(),
                  origin=Origin(platform="archive", person=None), command=command, person="",
                  activation=act)
        return act, DRAFT + await build_protocol(ctx, act)


def render(markdown: str, act: Activation, fmt: Format) -> ProtocolFile:
    """The Markdown rendered as `fmt`; HTML and PDF are built from that same Markdown."""
    title = f"Protokoll #{act.id}: {act.title}"
    name = f"protokoll-{act.id}.{fmt}"
    if fmt == "md":
        data = markdown.encode()
    elif fmt == "html":
        data = protocol_html(markdown, title).encode()
    else:
        data = protocol_pdf(markdown, title)
    return ProtocolFile(name, MEDIA_TYPES[fmt], data)


async def protocol_file(app: ArchiveApp, activation_id: str, fmt: Format) -> ProtocolFile:
    """`protocol_markdown` then `render`; raises UnknownActivation."""
    act, markdown = await protocol_markdown(app, activation_id)
    return render(markdown, act, fmt)
