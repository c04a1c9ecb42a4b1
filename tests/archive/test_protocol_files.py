"""The protocol for the archive: `samverkan export protocol <id> --format md|html|pdf`.

A story with two conferences, reports, decisions with å/ä/ö, a commitment, an approved
message and hostile user text; then the PDF's extracted text and the HTML's parsed structure
are checked."""

from __future__ import annotations

import io
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pypdf import PdfReader

from bot.archive.export import protocol_file, protocol_markdown
from bot.archive.serve import mount_protocols, protocol_links
from bot.bootstrap import App
from bot.cli import export_protocol
from bot.platforms.common import markdown_to_html
from bot.scheduling.engine import ScheduleEngine
from bot.settings import Settings
from tests.scheduling.helpers import RecordingPlatform, advance, say

# What these tests check does not depend on the database: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

TIB = "tib@lansstyrelsen"
POLICE = "vakthavande-befal@polisen"
REGION = "tib@region-stockholm"
ACT = "2026-001"
DECISIONS = ("Skolor i Södertälje och Värmdö stängs i morgon",
             "Övergång till distansundervisning, prioritera äldreomsorg")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def _story(app: App) -> None:
    async def ok(who: str, text: str) -> None:
        reply = await say(app, who, text)
        assert reply.ok, (text, reply.text)

    await ok(TIB, "aktivera samordnande oväder Snöstorm Gorm")
    await ok(TIB, "konferens 14:30 var 3:e timme")
    await advance(app, timedelta(minutes=90))  # 14:30: roll call
    await ok(POLICE, "närvarande")
    await ok(REGION, "närvarande")
    await ok(POLICE, f"läge Framkomligheten på E4 är låg {HOSTILE}")
    await ok(POLICE, "läge Två fordon fast vid Södertälje; E4 öppen igen")
    for text in DECISIONS:
        await ok(TIB, f"beslut {text}")
    await ok(POLICE, "åtagande Polisen dirigerar trafik vid Essingeleden")
    await ok(TIB, "klar 1")  # the playbook's checklist
    await ok(TIB, "budskap Undvik onödiga resor i kväll")
    await ok(POLICE, "godkänn 1")
    await advance(app, timedelta(hours=3))  # 17:30: the second conference
    await ok(REGION, "närvarande")
    await ok(TIB, "avaktivera Vädret har bedarrat")


class _Outline(HTMLParser):
    """Headings, tables (rows of cells), list items and scripts of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.tables: list[list[list[str]]] = []
        self.items: list[str] = []
        self.scripts = 0
        self.tags: set[str] = set()
        self.attrs: list[str] = []
        self.title = ""
        self._texts: list[list[str]] = []  # one buffer per open element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += [name for name, _ in attrs]
        self.scripts += tag == "script"
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        if tag not in ("br", "meta", "hr"):
            self.stack.append(tag)
            self._texts.append([])

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._texts.pop() if self._texts else []).split())
        if self._texts:
            self._texts[-1].append(text + " ")
        if tag in ("h1", "h2", "h3"):
            self.headings.append((tag, text))
        elif tag in ("td", "th"):
            self.tables[-1][-1].append(text)
        elif tag == "li":
            self.items.append(text)
        elif tag == "title":
            self.title = text
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._texts:
            self._texts[-1].append(data)


async def test_html_is_a_readable_document_with_inert_user_text(
        app: App, engine: ScheduleEngine) -> None:
    await _story(app)
    page = (await protocol_file(app, ACT, "html")).data.decode()
    outline = _Outline()
    outline.feed(page)
    assert page.startswith("<!DOCTYPE html>") and outline.title.startswith("Protokoll #2026-001")
    h2 = [text for tag, text in outline.headings if tag == "h2"]
    for section in ("Lägesrapporter", "Beslut om inriktning", "Gemensamma budskap",
                    "Närvaro per samverkanskonferens", "Checklista", "Tidslinje"):
        assert section in h2, h2
    conferences = [text for tag, text in outline.headings if tag == "h3"]
    assert len(conferences) == 2 and "14:30" in conferences[0] and "17:30" in conferences[1]
    # Attendance per conference as tables: header row, then one row per answer.
    assert len(outline.tables) == 2
    first, second = outline.tables
    assert first[0] == ["Aktör", "Funktion", "Person", "Svarade"]
    assert {row[0] for row in first[1:]} == {"Polisen", "Region Stockholm"}
    assert [row[0] for row in second[1:]] == ["Region Stockholm"]
    # The timeline in order: the activation first, the closing last, times not decreasing.
    markdown = (await protocol_markdown(app, ACT))[1]
    timeline = markdown.split("## Tidslinje", 1)[1].strip().splitlines()
    stamps = [line[2:18] for line in timeline if line.startswith("- 2026-")]
    assert stamps == sorted(stamps) and len(stamps) >= 10
    entries = [line for line in timeline if line.startswith("- 2026-")]
    assert "[aktiverad]" in entries[0] and "[avaktiverad]" in entries[-1]
    html_items = [item for item in outline.items if item.startswith("2026-")]
    assert [item[:40] for item in html_items] == [e[2:42] for e in entries]
    # User text is inert: shown as text, never as markup.
    assert outline.scripts == 0 and "img" not in outline.tags
    assert "onerror" not in outline.attrs
    assert HOSTILE.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in page \
        or "&lt;script&gt;" in page
    assert 'http-equiv="Content-Security-Policy"' in page


async def test_matrix_shows_the_attendance_as_tables(app: App, engine: ScheduleEngine) -> None:
    await _story(app)
    markdown = (await protocol_markdown(app, ACT))[1]
    outline = _Outline()
    outline.feed(markdown_to_html(markdown))
    assert [len(table) for table in outline.tables] == [3, 2]  # header + answers
    assert outline.scripts == 0


async def test_pdf_holds_decisions_with_swedish_letters_and_attendance(
        app: App, engine: ScheduleEngine) -> None:
    await _story(app)
    pdf = (await protocol_file(app, ACT, "pdf")).data
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None and "Snöstorm Gorm" in str(reader.metadata.title)
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for decision in DECISIONS:
        assert decision in flat, decision
    assert "Närvaro per samverkanskonferens" in flat
    assert "Aktör Funktion Person Svarade" in flat
    assert flat.count("Region Stockholm") >= 2 and "Polisen" in flat
    assert "dirigerar trafik vid Essingeleden" in flat
    assert "Undvik onödiga resor i kväll" in flat
    assert "Checklista" in flat and "[x] 1. Bekräfta SMHI:s varning och bevaka" in flat
    last = reader.pages[-1].extract_text()
    assert f"Sida {len(reader.pages)}" in last and "Protokoll #2026-001" in last  # footer


async def test_cli_writes_each_format(app: App, engine: ScheduleEngine, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    await _story(app)
    settings = Settings(database_url=app.settings.database_url)
    stored = (await protocol_markdown(app, ACT))[1]
    starts = {"md": stored.encode()[:40], "html": b"<!DOCTYPE html>", "pdf": b"%PDF-"}
    for fmt, start in starts.items():
        out = tmp_path / f"p.{fmt}"
        assert await export_protocol(settings, f"#{ACT}", fmt, str(out)) == 0
        assert out.read_bytes().startswith(start), fmt
        assert f"Protokollet är skrivet: {out}" in capsys.readouterr().out
    # exactly the protocol the war room received at `avaktivera`
    assert (tmp_path / "p.md").read_text() == stored
    assert await export_protocol(settings, ACT, "md", "-") == 0  # `--out -`: standard output
    assert capsys.readouterr().out == stored


async def test_cli_unknown_activation_fails_with_a_message(
        app: App, capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(database_url=app.settings.database_url)
    assert await export_protocol(settings, "2026-999", "pdf", "-") == 1
    assert "Okänd aktivering: #2026-999" in capsys.readouterr().err


async def test_an_active_activation_exports_a_draft(app: App, engine: ScheduleEngine) -> None:
    reply = await say(app, TIB, "aktivera samordnande oväder Snöstorm Gorm")
    assert reply.ok
    await say(app, TIB, f"beslut {DECISIONS[0]}")
    act, markdown = await protocol_markdown(app, ACT)
    assert act.is_active and markdown.startswith("> UTKAST") and DECISIONS[0] in markdown
    assert "avslutat – (pågår)" in markdown  # a draft has no end time (found by a new user)


async def test_avaktivera_hands_the_war_room_links_to_the_files(
        app: App, engine: ScheduleEngine) -> None:
    chat = RecordingPlatform()
    app.add_platform(chat)
    signer = await protocol_links(app, "https://samverkan.example/")
    app.service.archive = signer  # as `samverkan run` does
    await _story(app)
    await say(app, TIB, "aktivera samordnande Vattenläcka Norrmalm")  # 2026-002, still active
    last = chat.texts("activation", ACT)[-1]
    links = signer.links(ACT)
    assert list(links) == ["pdf", "html", "md"]
    assert last.startswith("Protokollet för arkivet: [PDF](https://samverkan.example/protocol/")
    assert all(f"({url})" in last for url in links.values())
    web_app = web.Application()
    mount_protocols(web_app, app)
    links = {fmt: url.removeprefix("https://samverkan.example") for fmt, url in links.items()}
    async with TestClient(TestServer(web_app, host="127.0.0.1")) as client:
        for fmt, url in links.items():
            response = await client.get(url)
            assert response.status == 200, fmt
            body = await response.read()
            expected = (await protocol_file(app, ACT, fmt)).data  # type: ignore[arg-type]
            assert body == expected if fmt != "pdf" else body.startswith(b"%PDF-")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert (await client.get(links["html"].replace("token=", "token=x"))).status == 403
        assert (await client.get(f"/protocol/{ACT}.pdf")).status == 403
        other = {fmt: url.removeprefix("https://samverkan.example")
                 for fmt, url in signer.links("2026-002").items()}
        stolen = other["pdf"].replace("2026-002", ACT)  # one war room's link opens no other
        assert (await client.get(stolen)).status == 403
        assert (await client.get(other["pdf"])).status == 404  # active: nothing fixed yet
        assert (await client.get(links["md"].replace(".md?", ".docx?"))).status == 404
