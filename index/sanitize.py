"""The one sanitiser every piece of text passes through on its way in.

Article text comes from sources we do not control and ends up on a terminal.
Escape sequences (CSI, OSC such as clipboard-writing OSC 52, DCS…) are removed
whole, so no payload is left behind as visible debris; every other control
character (C0 except tab and newline, DEL, C1) is dropped. Carriage returns
become newlines. Bidirectional overrides and isolates (which can make text read
differently from what it is) and invisible zero-width spaces are removed too;
joiners that scripts and emoji need (ZWJ, ZWNJ) and direction marks are kept.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ … final byte), OSC/DCS/SOS/PM/APC strings
# (ESC ] … up to BEL, ST or the end of the line), and two-byte escapes (ESC + one
# character other than a newline). The 8-bit forms (CSI 0x9b; DCS, SOS, OSC, PM,
# APC 0x90 0x98 0x9d 0x9e 0x9f) count as sequences only when they are terminated,
# because a lone C1 byte is usually mis-decoded text (â€\x9d for ”), not an attack.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?
    | \x1b[\]PX^_][^\n]*?(?:\x07|\x1b\\|\x9c|(?=\n)|$)
    | \x9b[0-?]*[ -/]*[@-~]
    | [\x90\x98\x9d\x9e\x9f][^\n\x90\x98\x9d\x9e\x9f]*?(?:\x07|\x1b\\|\x9c)
    | \x1b[^\n]?
    """,
    re.VERBOSE,
)
_CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_INVISIBLE_CHARS = (
    "\u202a-\u202e\u2066-\u2069\u061c"  # bidirectional overrides, isolates, the Arabic mark
    "\u200b\u2060-\u2064\u180e\ufeff"  # zero-width spaces, invisible operators, BOM
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers, blank on screen
    "\U000e0000-\U000e007f"  # TAG characters (hidden text)
)
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_REMOVED = re.compile(f"[{_CONTROL_CHARS}{_INVISIBLE_CHARS}]")
"""Every character that starts something removed above (every escape sequence starts with
a control character): a text with none is left as it is."""


def clean_text(text: str) -> str:
    """Return `text` with terminal escape sequences and control characters removed."""
    if text.isprintable() or not _REMOVED.search(text):  # one scan in C: most texts are clean
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    return _INVISIBLE.sub("", text)


def unsafe_url(url: str) -> bool:
    """Whether a URL holds a space, a control or an invisible character: refused, never
    stored (cleaning it would make it point somewhere else than it says)."""
    return bool(_REMOVED.search(url)) or any(char.isspace() for char in url)


def clean_value(value: object) -> object:
    """Sanitise every string inside a parsed YAML value (lists and mappings included)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    return value
