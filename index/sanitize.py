"""The one sanitiser every piece of text passes through on its way in.

Article text comes from sources we do not control and ends up on a terminal.
Escape sequences (CSI, OSC such as clipboard-writing OSC 52, DCS…) are removed whole,
so no payload is left behind as visible debris; every other control character
(C0 except tab and newline, DEL, C1) is dropped. Carriage returns become newlines.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ … final byte), OSC/DCS/SOS/PM/APC strings
# (ESC ] … up to BEL, ST or the end of the line), and two-byte escapes (ESC + one character).
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?                 # CSI
    | \x1b[\]PX^_][^\n]*?(?:\x07|\x1b\\|\x9c|(?=\n)|$)  # OSC, DCS, SOS, PM, APC strings
    | \x9b[0-?]*[ -/]*[@-~]?                 # 8-bit CSI
    | [\x90\x98\x9d\x9e\x9f][^\n]*?(?:\x07|\x1b\\|\x9c|(?=\n)|$)  # 8-bit string introducers
    | \x1b.?                                 # any other escape
    """,
    re.VERBOSE | re.DOTALL,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Return `text` with terminal escape sequences and control characters removed."""
    if text.isprintable():
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def clean_value(value: object) -> object:
    """Sanitise every string inside a parsed YAML value (lists and mappings included)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    return value
