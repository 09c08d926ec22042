"""A query while it is being typed: its last word is also matched as a prefix.

`SearchEngine.parse(text, typing=True)` searches for what `typed_prefix`
makes of the text, so the count follows each keystroke instead of waiting
for the word to be complete.
"""

from __future__ import annotations

from .lexer import is_plain_word, lexemes

MIN_PREFIX = 2
"""Letters a word being typed needs before it is matched as a prefix (Hangul: one)."""
STEM_REACH = 4
"""Letters a stemmer takes off a word at most ("development" is indexed as "develop")."""
MIN_STEM = 4
"""The shortest stem a word being typed is also matched as (see typed_prefix)."""


def typed_prefix(text: str) -> str:
    """`text` with its last word, while being typed, also matched as a prefix.

    Words are indexed by their stems, so a word typed into its ending
    ("regiona", "constructi") is a prefix of no indexed word: it is also
    matched as the stems it may be heading for, itself less up to STEM_REACH
    letters ("region", "construct"). The count no longer drops from thousands
    to none and back while a word is typed.
    """
    if not text or text[-1].isspace():
        return text
    parts = list(lexemes(text))
    kind, word = parts[-1]
    before = parts[-2][1] if len(parts) > 1 else ""
    if kind != "word" or not is_plain_word(word) or before.endswith(":"):
        return text
    if not any(ch.isalnum() for ch in word):
        return text
    head = "".join(part for _kind, part in parts[:-1])
    if len(word) < MIN_PREFIX and word.isascii():
        # One Latin letter as a prefix is most of the vocabulary (0.4-0.8 s at 20,000
        # articles): it waits for the next letter; the words before it are searched.
        return head.rstrip() or text
    alternatives = [word, f"{word}*"]
    if word.isascii() and word.isalpha():  # stems are of Latin words; lower case: no operator
        shortest = max(MIN_STEM, len(word) - STEM_REACH)
        alternatives += [word[:k].lower() for k in range(shortest, len(word))]
    return head + "(" + " OR ".join(alternatives) + ")"
