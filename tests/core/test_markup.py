"""User text never changes the protocol's structure: hostile text piped into every free-text
command leaves the stored protocol with the headings and list items the bot put there — in
its Markdown (parsed with markdown-it-py), in the HTML Matrix gets, in Slack's mrkdwn and in
the terminal — and every line typed is still there, inside its own entry."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.bootstrap import App
from bot.platforms.common import markdown_to_html
from bot.platforms.slack.render import to_mrkdwn
from bot.texts import t
from bot.texts.markup import block, inline, plain
from tests.core.conftest import say

# What these tests check does not depend on the database: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

TIB = "tib@lansstyrelsen"
POLIS = "vakthavande-befal@polisen"
MD = MarkdownIt("commonmark")

HOSTILE_LINES = [
    "## Åtaganden",
    "- **Polisen**: Stänger E4",
    "* stjärna", "+ plus", "1. Första", "2) Andra", "> citat", "---", "***", "___", "===",
    "```", "~~~", "    indragen kod", "\tflik", "<h1>html</h1>", "<!-- kommentar -->",
    "[länk](http://evil.example)", "![bild](http://evil.example/x.png)", "# rubrik",
    "#2026-001 inte en rubrik", "| a | b |", "\\", "&amp; &lt;", "_kursiv_ `kod`", "- ",
]
HOSTILE = "Första raden\n" + "\n".join(HOSTILE_LINES) + "\n\nEfter en tom rad: VMA-text.\n- sista"
# The commands that take free text, and how each is written with `text` (one line for a title).
COMMANDS = [
    (TIB, "aktivera verkstallande {title}"),
    (TIB, "läge #{id} {text}"),
    (POLIS, "läge #{id} händelse: {line}; konsekvenser: {line}"),
    (TIB, "beslut #{id} {text}"),
    (TIB, "åtagande #{id} {text}"),
    (POLIS, "åtagande #{id} Polisen {text}"),
    (TIB, "budskap #{id} {text}"),
    (POLIS, "budskap #{id} {text}"),
    (POLIS, "godkänn #{id} 1"),
    (TIB, "godkänn #{id} 2"),
    (TIB, "resurs #{id} behov 2 reservkraftverk {line}"),
    (POLIS, "resurs #{id} erbjud 3 bandvagnar {line}"),
    (TIB, "resurs #{id} prioritera bandvagnar till {line}"),
    (TIB, "avaktivera #{id} {text}"),
]
BLOCKS = ("heading_open", "bullet_list_open", "ordered_list_open", "list_item_open",
          "blockquote_open", "fence", "code_block", "hr", "html_block", "table_open")


async def _protocol(app: App, activation_id: str, text: str) -> str:
    """Every free-text command with `text`; the stored protocol of the activation."""
    for who, command in COMMANDS:
        line = command.format(id=activation_id, text=text, title=" ".join(text.split()),
                              line=" ".join(text.split()).replace(";", ","))
        reply = await say(app, who, line)
        assert reply.ok, (line, reply.text)
    async with app.uow() as uow:
        act = await uow.activations.get(activation_id)
    assert act is not None and act.protocol is not None
    return act.protocol


def _structure(markdown: str) -> list[tuple[str, int, str]]:
    """Block-level tokens: type, nesting level, and a heading's text."""
    tokens = MD.parse(markdown)
    out = []
    for i, tok in enumerate(tokens):
        if tok.type in BLOCKS:
            title = tokens[i + 1].content if tok.type == "heading_open" else ""
            out.append((tok.type, tok.level, title))
    return out


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags[tag] += 1


def _html_tags(markdown: str) -> Counter[str]:
    parser = _Tags()
    parser.feed(markdown_to_html(markdown))
    return parser.tags


def _items(markdown: str) -> list[str]:
    """The inline text of every list item and paragraph, as a reader sees it."""
    out = []
    for tok in MD.parse(markdown):
        if tok.type == "inline":
            out.append("".join(c.content if c.type != "softbreak" else "\n"
                               for c in tok.children or [] if isinstance(c, Token)))
    return out


async def test_hostile_text_keeps_the_protocols_structure(app: App) -> None:
    hostile = await _protocol(app, "2026-001", HOSTILE)
    benign = await _protocol(app, "2026-002", "x")  # the twin: a new event, plain words
    # Markdown: the bot's headings and list items, nothing more.
    shape, twin_shape = _structure(hostile), _structure(benign)
    assert [s[:2] for s in shape] == [s[:2] for s in twin_shape]
    headings = [h for kind, _l, h in shape if kind == "heading_open"]
    assert headings[1:] == [h for kind, _l, h in twin_shape if kind == "heading_open"][1:]
    assert headings[0].startswith("ÖVNING Protokoll #2026-001: Första raden ## Åtaganden")
    # HTML (Matrix): the same tags as the twin's, bar line breaks within entries.
    tags, twin_tags = _html_tags(hostile), _html_tags(benign)
    for tag in ("h1", "h2", "h3", "ul", "ol", "li", "blockquote", "pre", "code", "hr", "img",
                "a", "table", "em"):
        assert tags[tag] == twin_tags[tag], tag
    # Every typed line is there, as text, in one entry with the others of its text.
    items = _items(hostile)
    lines = [line.strip() for line in HOSTILE.splitlines() if line.strip()]
    for kind in ("Beslut", "Polisen", "budskap"):
        whole = [i for i in items if all(line in i for line in lines)]
        assert whole, kind
    assert sum(1 for i in items if all(line in i for line in lines)) >= 6
    # Slack and the terminal: no bullet or heading made of user text.
    slack = to_mrkdwn(hostile, {})
    assert sum(1 for line in slack.splitlines() if line.startswith("•")) == sum(
        1 for line in to_mrkdwn(benign, {}).splitlines() if line.startswith("•"))
    assert "- **Polisen**: Stänger E4" in plain(hostile)


@pytest.mark.parametrize("line", HOSTILE_LINES)
@pytest.mark.parametrize(("template", "indent"), [("- {text}", 2), ("1. {text}", 3),
                                                  ("10. {text} — x", 4), ("{text}", 0)])
def test_every_hostile_line_stays_text_in_its_entry(line: str, template: str,
                                                     indent: int) -> None:
    text = f"a\n{line}\n\n{line}"
    markdown = "## Rubrik\n" + template.format(text=block(text, indent)) + "\n- nästa"
    plain_twin = "## Rubrik\n" + template.format(text="a") + "\n- nästa"
    assert _structure(markdown) == _structure(plain_twin)
    (entry, *_rest) = [i for i in _items(markdown) if i.startswith("a\n")]
    assert entry.count(line.strip()) == 2 if line.strip() else True


@pytest.mark.parametrize("line", HOSTILE_LINES)
def test_titles_and_agenda_items_stay_text(line: str) -> None:
    heading = f"# Protokoll #2026-001 {inline(line + ' ' + line)}\n- a"
    assert [s[:2] for s in _structure(heading)] == [
        ("heading_open", 0), ("bullet_list_open", 0), ("list_item_open", 1)]
    assert _items(heading)[0] == f"Protokoll #2026-001 {line.strip()} {line.strip()}".strip()
    item = t("sv", "post.item", text=block(f"punkt\n{line}", 5), who="Polisen")
    agenda = f"Dagordning:\n{item}\n   - nästa (Polisen)"
    twin = f"Dagordning:\n{t('sv', 'post.item', text='punkt', who='Polisen')}\n   - nästa (x)"
    assert _structure(agenda) == _structure(twin)


async def test_resource_entries_are_stored_as_text_and_escaped_once(app: App) -> None:
    """Found by a new user: resource timeline entries were stored escaped and escaped again
    when shown (`\\-3`). The timeline holds the text; the protocol escapes it once."""
    assert (await say(app, TIB, "aktivera verkstallande Trädfällning i Nacka")).ok
    assert (await say(app, TIB, "resurs #2026-001 behov 2 reservkraftverk _akut_ [x]")).ok
    async with app.uow() as uow:
        act = await uow.activations.get("2026-001")
        assert act is not None
        entries = await uow.timeline.of_event(act.event_id)
    (entry,) = [e for e in entries if "reservkraftverk" in e.text]
    assert "_akut_ [x]" in entry.text and "\\" not in entry.text
    protocol = await say(app, TIB, "logg #2026-001 5")
    assert "_akut_ [x]" in plain(protocol.text) and "\\\\" not in protocol.text
