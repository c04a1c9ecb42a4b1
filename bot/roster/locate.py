"""Where in a roster file each value sits: index path → 1-based line number.

tomllib and yaml.safe_load return plain data without positions, so validation problems
(which name a path such as `("actors", 3, "functions", 1, "holder")`) are located here.
The TOML scanner runs only on text that tomllib has already accepted, so it may assume
well-formed input.
"""

from __future__ import annotations

from typing import Any

from bot.roster.checks import Loc

Lines = dict[Loc, int]

_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_END = frozenset(",]}\n#\r")


def locate(lines: Lines, loc: Loc) -> int | None:
    """The line of the longest prefix of `loc` that has one (a missing key: its table)."""
    for end in range(len(loc), 0, -1):
        if (line := lines.get(loc[:end])) is not None:
            return line
    return None


def toml_lines(text: str) -> Lines:
    scanner = _TomlScanner(text)
    scanner.run()
    return scanner.lines


class _TomlScanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: Lines = {}
        # arrays of tables: next index per concrete parent path, latest element per header
        self._counts: dict[Loc, int] = {}
        self._latest: dict[tuple[str, ...], Loc] = {}

    def _peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def _advance(self, n: int = 1) -> None:
        self.line += self.text.count("\n", self.pos, self.pos + n)
        self.pos += n

    def _skip(self, *, newlines: bool) -> None:
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c == "#":
                end = self.text.find("\n", self.pos)
                self._advance((len(self.text) if end < 0 else end) - self.pos)
            elif c in " \t\r" or (newlines and c == "\n"):
                self._advance()
            else:
                return

    def run(self) -> None:
        table: Loc = ()
        while True:
            self._skip(newlines=True)
            if self.pos >= len(self.text):
                return
            before = self.pos
            if self._peek() == "[":
                table = self._header()
            else:
                self._key_value(table)
            if self.pos == before:  # never spin on text the scanner does not understand
                self._advance()

    def _header(self) -> Loc:
        line, is_array = self.line, self._peek(2) == "[["
        self._advance(2 if is_array else 1)
        self._skip(newlines=False)
        names = self._key()
        self._skip(newlines=False)
        self._advance(2 if is_array else 1)
        path = (*self._resolve(names[:-1]), names[-1])
        if is_array:
            index = self._counts.get(path, 0)
            self._counts[path] = index + 1
            path = (*path, index)
            self._latest[names] = path
        self.lines.setdefault(path, line)
        return path

    def _resolve(self, names: tuple[str, ...]) -> Loc:
        path: Loc = ()
        for end in range(1, len(names) + 1):
            path = self._latest.get(names[:end], (*path, names[end - 1]))
        return path

    def _key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while True:
            self._skip(newlines=False)
            if self._peek() in ('"', "'"):
                start = self.pos
                self._string()
                parts.append(self.text[start + 1 : self.pos - 1])
            else:
                start = self.pos
                while self._peek() and self._peek() in _BARE_KEY:
                    self._advance()
                parts.append(self.text[start : self.pos])
            self._skip(newlines=False)
            if self._peek() != ".":
                return tuple(parts)
            self._advance()

    def _key_value(self, base: Loc) -> None:
        line = self.line
        path = base + self._key()
        self._skip(newlines=False)
        self._advance()  # '='
        self._skip(newlines=False)
        self.lines.setdefault(path, line)
        self._value(path)

    def _value(self, path: Loc) -> None:
        c = self._peek()
        if c in ('"', "'"):
            self._string()
        elif c == "[":
            self._array(path)
        elif c == "{":
            self._inline_table(path)
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in _SCALAR_END:
                self._advance()

    def _array(self, path: Loc) -> None:
        self._advance()
        index = 0
        while True:
            self._skip(newlines=True)
            if self._peek() in ("]", ""):
                self._advance()
                return
            before = self.pos
            self.lines.setdefault((*path, index), self.line)
            self._value((*path, index))
            index += 1
            self._skip(newlines=True)
            if self._peek() == "," or self.pos == before:
                self._advance()

    def _inline_table(self, path: Loc) -> None:
        self._advance()
        while True:
            self._skip(newlines=False)
            if self._peek() in ("}", ""):
                self._advance()
                return
            before = self.pos
            self._key_value(path)
            self._skip(newlines=False)
            if self._peek() == "," or self.pos == before:
                self._advance()

    def _string(self) -> None:
        quote = self._peek()
        delim = quote * 3 if self._peek(3) == quote * 3 else quote
        self._advance(len(delim))
        while self.pos < len(self.text):
            if quote == '"' and self._peek() == "\\":
                self._advance(2)
            elif self.text.startswith(delim, self.pos):
                # a multi-line string may end with up to two extra quotes: """a""""
                while len(delim) == 3 and self.text.startswith(delim + quote, self.pos):
                    self._advance()
                self._advance(len(delim))
                return
            else:
                self._advance()


def yaml_lines(node: Any) -> Lines:
    """Lines of a node tree from `yaml.compose` (marks are 0-based)."""
    import yaml

    lines: Lines = {}

    def walk(n: Any, path: Loc) -> None:
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                sub = (*path, str(key.value))
                lines.setdefault(sub, key.start_mark.line + 1)
                walk(value, sub)
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                lines.setdefault((*path, i), item.start_mark.line + 1)
                walk(item, (*path, i))

    if node is not None:
        lines[()] = node.start_mark.line + 1
        walk(node, ())
    return lines
