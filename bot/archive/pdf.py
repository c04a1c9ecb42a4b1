"""Protocol Markdown → PDF (A4) with ReportLab, walking the same markdown-it token stream the
HTML is rendered from: headings, paragraphs, lists, quotes and tables keep their structure.

Fonts: Bitstream Vera (Latin-1 and more: å, ä, ö, é, –, —), shipped inside the reportlab
wheel with its licence (reportlab/fonts/bitstream-vera-license.txt), embedded as TrueType
subsets with a ToUnicode map, so text extracted from the PDF keeps å/ä/ö. User text is
escaped before it reaches ReportLab's paragraph markup.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "Vera"
_FACES = {"Vera": "Vera.ttf", "Vera-Bold": "VeraBd.ttf", "Vera-Italic": "VeraIt.ttf",
          "Vera-BoldItalic": "VeraBI.ttf"}
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")
_LOCK = threading.Lock()  # ReportLab keeps global state (fonts, caches): one build at a time
_INLINE = {"strong_open": "<b>", "strong_close": "</b>", "em_open": "<i>", "em_close": "</i>",
           "softbreak": "<br/>", "hardbreak": "<br/>", "s_open": "<strike>",
           "s_close": "</strike>"}


@cache
def _fonts() -> str:
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file in _FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal="Vera", bold="Vera-Bold", italic="Vera-Italic",
                                  boldItalic="Vera-BoldItalic")
    return FONT


@cache
def _styles() -> StyleSheet1:
    font = _fonts()
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        if isinstance(style, ParagraphStyle):
            style.fontName = "Vera-Bold" if style.name.startswith(("Heading", "Title")) \
                else font
    sheet.add(ParagraphStyle("Cell", parent=sheet["BodyText"], fontSize=9, leading=11))
    sheet.add(ParagraphStyle("CellHead", parent=sheet["Cell"], fontName="Vera-Bold"))
    sheet.add(ParagraphStyle("Quote", parent=sheet["BodyText"], leftIndent=8 * mm,
                             textColor=colors.HexColor("#333333")))
    return sheet


def inline_markup(token: Token) -> str:
    """An inline token's children as ReportLab paragraph markup, user text escaped."""
    out: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(escape(child.content))
        else:
            out.append(_INLINE.get(child.type, ""))
    return "".join(out)


@dataclass
class _Walk:
    """State while walking the token stream: lists, table rows, quote depth."""

    styles: StyleSheet1
    story: list[Flowable] = field(default_factory=list)
    lists: list[list[int]] = field(default_factory=list)  # per open list: [next number | -1]
    bullet: str | None = None  # bullet of the list item whose first paragraph comes next
    rows: list[list[Paragraph]] | None = None
    quote: int = 0
    in_head: bool = False

    def paragraph(self, markup: str) -> None:
        if self.rows is not None:
            style = self.styles["CellHead" if self.in_head else "Cell"]
            self.rows[-1].append(Paragraph(markup, style))
            return
        style = self.styles["Quote" if self.quote else "BodyText"]
        if self.lists:
            indent = 6 * mm * len(self.lists)
            style = ParagraphStyle(f"List{len(self.lists)}", parent=style, leftIndent=indent,
                                   bulletIndent=indent - 4 * mm)
            self.story.append(Paragraph(markup, style, bulletText=self.bullet))
            self.bullet = None
            return
        self.story.append(Paragraph(markup, style))

    def token(self, tok: Token, pending: list[str]) -> None:
        kind = tok.type
        if kind == "heading_open":
            pending.append(f"Heading{min(int(tok.tag[1]), 4)}")
        elif kind == "inline":
            markup = inline_markup(tok)
            if pending and pending[-1].startswith("Heading"):
                self.story.append(Paragraph(markup, self.styles[pending.pop()]))
            else:
                self.paragraph(markup)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append([int(tok.attrs.get("start", 1) or 1)
                               if kind == "ordered_list_open" else -1])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            counter = self.lists[-1]
            self.bullet = "•" if counter[0] < 0 else f"{counter[0]}."
            if counter[0] >= 0:
                counter[0] += 1
        elif kind in ("blockquote_open", "blockquote_close"):
            self.quote += 1 if kind == "blockquote_open" else -1
        elif kind in ("fence", "code_block"):
            self.paragraph(escape(tok.content).replace("\n", "<br/>"))
        else:
            self.table_token(kind)

    def table_token(self, kind: str) -> None:
        if kind == "table_open":
            self.rows = []
        elif kind == "thead_open":
            self.in_head = True
        elif kind == "thead_close":
            self.in_head = False
        elif kind == "tr_open" and self.rows is not None:
            self.rows.append([])
        elif kind == "table_close" and self.rows is not None:
            self.story.append(_table(self.rows))
            self.story.append(Spacer(1, 3 * mm))
            self.rows = None
        elif kind == "hr":
            self.story.append(Spacer(1, 4 * mm))


def _table(rows: list[list[Paragraph]]) -> Table:
    width = max((len(r) for r in rows), default=1)
    rows = [r + [Paragraph("", r[0].style)] * (width - len(r)) for r in rows if r]
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _footer(title: str) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def draw(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(18 * mm, 10 * mm, title)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Sida {doc.page}")
        canvas.restoreState()
    return draw


def protocol_pdf(markdown: str, title: str, author: str = "Samverkansboten") -> bytes:
    """The protocol as PDF bytes (A4, embedded Vera fonts, document title `title`, the title
    and the page number in every page's footer)."""
    with _LOCK:
        walk = _Walk(_styles())
        pending: list[str] = []
        for tok in _MARKDOWN.parse(markdown):
            walk.token(tok, pending)
        buffer = BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=author,
                                leftMargin=18 * mm, rightMargin=18 * mm,
                                topMargin=16 * mm, bottomMargin=16 * mm)
        footer = _footer(title)
        doc.build(walk.story or [Paragraph("", walk.styles["BodyText"])],
                  onFirstPage=footer, onLaterPages=footer)
        return buffer.getvalue()
