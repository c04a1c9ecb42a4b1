"""Swedish alphabetical order for names shown to users.

Python's `sorted` compares code points: "Österåker" lands between "Nynäshamn" and "Polisen",
and "Södertälje" before "Sollentuna" (capital before lower case). Swedish collation
(SS 66 61 21; the Swedish tailoring of ISO 14651) puts å, ä, ö after z and ignores case;
other accented letters sort as their base letter (é as e). No ICU dependency: the alphabet
is small and fixed.
"""

from __future__ import annotations

import unicodedata

_LAST = {"å": "{0", "ä": "{1", "ö": "{2", "æ": "{1", "ø": "{2"}  # "{" sorts after "z"


def swedish_key(text: str) -> tuple[str, str]:
    """Sort key for `text` in Swedish alphabetical order: case-insensitive, å < ä < ö after z,
    other diacritics ignored; ties broken by the text itself so the order is total.

    In: any str. Out: a tuple of two str (compare with <). Never raises."""
    letters = []
    for ch in text.casefold():
        if ch in _LAST:
            letters.append(_LAST[ch])
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        letters.append(base)
    return "".join(letters), text
