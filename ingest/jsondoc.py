"""Published JSON read strictly, within limits.

``NaN``, ``Infinity`` and numbers too large for a float (``1e400``) are not JSON: Python
would read them as floats; here they become :class:`NotANumber` values, which no type
check accepts, so the record holding one is quarantined with its field. An integer of
more than :data:`MAX_INT_DIGITS` digits is kept as :class:`HugeNumber` (an absurd value,
quarantined) instead of failing the read. A document nested deeper than
:data:`~ingest.limits.MAX_JSON_DEPTH` levels, or with a string longer than
:data:`~ingest.limits.MAX_FIELD_CHARS`, is refused with its path.
"""

from __future__ import annotations

import json
import math

from ingest.core import IngestFormatError
from ingest.limits import MAX_FIELD_CHARS, MAX_JSON_DEPTH
from ingest.textfile import decode

MAX_INT_DIGITS = 30  # far past any count or amount a source states (10^30)


class Literal:
    """A number literal JSON readers disagree on, kept as written (never a str, int or
    float, so no field check takes it for one)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.text == self.text  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.text))


class NotANumber(Literal):
    """``NaN``, ``Infinity``, ``-Infinity`` or a float literal out of range."""


class HugeNumber(Literal):
    """An integer literal of more than MAX_INT_DIGITS digits."""


def _float(text: str) -> float | NotANumber:
    value = float(text)
    return value if math.isfinite(value) else NotANumber(text)


def _int(text: str) -> int | HugeNumber:
    return HugeNumber(text) if len(text.lstrip("-")) > MAX_INT_DIGITS else int(text)


def loads(name: str, text: str, expected: str) -> object:
    """Parse ``text`` (of the file ``name``); refuse what is not JSON or is over a limit."""
    try:
        doc = json.loads(text, parse_constant=NotANumber, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise IngestFormatError(
            f"{name}: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
            f"expected {expected}"
        ) from exc
    except RecursionError as exc:
        raise IngestFormatError(
            f"{name}: JSON nested deeper than {MAX_JSON_DEPTH} levels: refused"
        ) from exc
    check_shape(name, doc)
    return doc


def load_bytes(name: str, data: bytes, expected: str) -> tuple[object, str, bool]:
    """(document, text, whether any bytes were not valid UTF-8: see ingest.textfile)."""
    text, broken = decode(data)
    return loads(name, text, expected), text, broken


def check_shape(name: str, doc: object) -> None:
    """Refuse a document nested deeper than MAX_JSON_DEPTH or holding a string (key or
    value) longer than MAX_FIELD_CHARS; walked without recursion."""
    stack: list[tuple[object, str, int]] = [(doc, "$", 0)]
    while stack:
        node, where, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            where = where if len(where) <= 48 else f"{where[:20]}…{where[-24:]}"
            raise IngestFormatError(
                f"{name}: {where}: JSON nested deeper than {MAX_JSON_DEPTH} levels: refused"
            )
        if isinstance(node, str):
            if len(node) > MAX_FIELD_CHARS:
                raise IngestFormatError(
                    f"{name}: {where}: a string of {len(node):,} characters, more than "
                    f"the {MAX_FIELD_CHARS:,} a field may have: refused"
                )
        elif isinstance(node, dict):
            for key, value in node.items():
                if len(key) > MAX_FIELD_CHARS:
                    raise IngestFormatError(
                        f"{name}: {where}: a key of {len(key):,} characters: refused"
                    )
                stack.append((value, f"{where}.{key[:40]}", depth + 1))
        elif isinstance(node, list):
            stack.extend((v, f"{where}[{i}]", depth + 1) for i, v in enumerate(node))


def dumps(value: object) -> str:
    """A record as JSON text for the quarantine (its NaN and huge numbers as written)."""
    return json.dumps(value, ensure_ascii=False, default=str)
