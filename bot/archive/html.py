"""Protocol Markdown → a standalone HTML page (markdown-it-py, CommonMark with GFM tables).

User text is inert: raw HTML in the Markdown is escaped (`html: False`), images are not
rendered (no request leaves the reader's browser), markdown-it refuses `javascript:` and
similar links, and the page's Content-Security-Policy allows no script, frame or fetch.
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")
_MARKDOWN.disable("image")

_STYLE = """
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.45; color: #1a1a1a; }
h1 { border-bottom: 2px solid #1a1a1a; padding-bottom: .3rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #bbb; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #999; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #eee; }
blockquote { border-left: 3px solid #bbb; margin-left: 0; padding-left: 1rem; color: #333; }
@media print { body { margin: 0; max-width: none; } }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'"


def markdown_body(markdown: str) -> str:
    """The Markdown as an HTML fragment (escaped user text; tables as <table>)."""
    return str(_MARKDOWN.render(markdown))


def protocol_html(markdown: str, title: str, lang: str = "sv") -> str:
    """A complete UTF-8 HTML5 document of the protocol, printable, with `title` escaped."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<main>\n{markdown_body(markdown)}</main>\n</body>\n</html>\n"
    )
