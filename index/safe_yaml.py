"""Reading YAML safely: the one way briefing parses any YAML file.

Only a SafeLoader subclass that is stricter still: duplicate keys and aliases
are refused (no file of ours needs them, and aliases are how "billion laughs"
documents blow up), timestamps stay text so the fields holding them can
validate them with a clear message, and errors carry the line in the file.

Before anything is built from a document, its events are read once (LibYAML's
parser is iterative, so this is safe on any input) and the document is
refused if it is larger than MAX_YAML_BYTES, nests deeper than MAX_DEPTH or
holds an alias. Building a deeply nested value recurses in C: PyYAML 6.0.3
crashes the process (SIGSEGV) at about 30,000 levels, which a 58 KB file
reaches; no file of ours nests deeper than a handful of levels, so this
bound holds whatever the parser underneath does.
"""

from __future__ import annotations

from typing import Any

import yaml

from .errors import YamlError

_SafeBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # LibYAML when available
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted (ours use at most four levels)."""
MAX_YAML_BYTES = 32 * 1024 * 1024
"""Largest YAML document read (a reading state with 100,000 read marks is about 6 MB)."""
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class StrictSafeLoader(_SafeBase):
    """A safe loader that refuses aliases and duplicate mapping keys, and reads dates as text.

    Dates stay strings so that the fields that hold them validate them with a
    clear message (`published: 2024-02-30` is a bad date, not a YAML error).
    Parsing is LibYAML's (C) when PyYAML has it; construction stays SafeConstructor.
    """

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "keys must be plain names", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


StrictSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[Any, int]]:
    """Parse one YAML document safely; return the data and the line of each top-level entry.

    The lines are keyed by mapping key for a mapping, by position for a sequence.

    `first_line` is the file line where `text` begins, so errors point into the file.
    """
    _check_shape(text, first_line)
    loader = StrictSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        key_lines: dict[Any, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key_node, _value in node.value:
                key_lines.setdefault(str(key_node.value), key_node.start_mark.line + first_line)
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                key_lines[position] = item.start_mark.line + first_line
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        problem = error.problem or error.context or "invalid YAML"
        raise YamlError(f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {error}") from None
    except RecursionError:
        raise YamlError("invalid YAML: nested too deeply") from None
    except (ValueError, TypeError, AttributeError, OverflowError) as error:
        # PyYAML's constructors raise these on some values (huge numbers, bad tags).
        raise YamlError(f"invalid YAML: {error}") from None
    finally:
        loader.dispose()
    return data, key_lines


def _check_shape(text: str, first_line: int) -> None:
    """Refuse a document too large, too deeply nested, or holding aliases (see the docstring)."""
    if len(text) > MAX_YAML_BYTES // 4 and len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise YamlError(f"larger than {MAX_YAML_BYTES // 1024 // 1024} MB; not read", None)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_SafeBase):
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + first_line if event.start_mark else None
                    raise YamlError(f"invalid YAML: nested more than {MAX_DEPTH} levels deep", line)
            elif isinstance(event, _CLOSE):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + first_line if event.start_mark else None
                raise YamlError("invalid YAML: aliases (*name) are not allowed", line)
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in str(error.problem):  # LibYAML's own, lower limit on flow levels
            mark = error.problem_mark
            line = mark.line + first_line if mark else None
            raise YamlError(
                f"invalid YAML: nested more than {MAX_DEPTH} levels deep", line
            ) from None
        return  # a syntax error: reported with its line when the text is loaded
    except yaml.YAMLError:
        return
