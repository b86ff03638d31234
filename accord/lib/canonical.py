"""Canonical JSON (RFC 8785) for everything Accord hashes or signs.

Two parties must turn the same statement into the same bytes, or signatures
stop meaning anything. RFC 8785 fixes key order, number and string encoding;
on top of it Accord admits only what every JSON implementation reads the same
way: no floats (their decimal forms differ between libraries), integers within
±(2^53 − 1), text in Unicode NFC (so "é" typed two ways is one string) and
without NUL (which PostgreSQL cannot store), no duplicate object keys, and
nesting at most ``MAX_DEPTH`` deep (deeper input would exhaust the stack of
this or another party's parser). ``parse`` accepts bytes only if they are
exactly the canonical form of what they decode to, so a statement has one
byte form.
"""

import json
import re
import unicodedata
from typing import Any

import rfc8785

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 64
"""Arrays and objects nested deeper than this are refused: no act needs more, and a
recursive reader (ours, or another party's) must never run out of stack on a statement."""
_MAX_INTEGER_DIGITS = len(str(MAX_SAFE_INTEGER))
_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|([\[\]{}])')
"""A JSON string, skipped whole (escapes included), or one bracket, captured."""

JSONValue = None | bool | int | str | list["JSONValue"] | dict[str, "JSONValue"]


class CanonicalError(ValueError):
    """JSON that Accord will not hash or sign; the message says what and where.

    ``code`` names the rule broken: ``not_json``, ``duplicate_key``, ``float``,
    ``big_integer``, ``too_deep``, ``non_nfc``, ``nul`` or ``non_canonical``.
    """

    def __init__(self, message: str, code: str = "non_canonical") -> None:
        super().__init__(message)
        self.code = code


def nfc(value: Any) -> Any:
    """``value`` with every string (keys included) normalised to NFC; for building bodies."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list | tuple):
        return [nfc(item) for item in value]
    if isinstance(value, dict):
        return {nfc(key): nfc(item) for key, item in value.items()}
    return value


def check(value: Any, path: str = "$", depth: int = 0) -> None:
    """Raise CanonicalError unless ``value`` is JSON Accord can sign."""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalError(f"{path}: integer {value} is beyond ±(2^53 − 1)", "big_integer")
        return
    if isinstance(value, float):
        raise CanonicalError(f"{path}: numbers must be integers, found {value!r}", "float")
    if isinstance(value, str):
        _check_text(value, path)
        return
    if isinstance(value, list | dict):
        _check_container(value, path, depth + 1)
        return
    raise CanonicalError(f"{path}: {type(value).__name__} is not JSON", "not_json")


def _too_deep() -> CanonicalError:
    return CanonicalError(f"arrays and objects may be nested at most {MAX_DEPTH} deep", "too_deep")


def _check_container(value: list[Any] | dict[Any, Any], path: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise _too_deep()
    if isinstance(value, list):
        for position, item in enumerate(value):
            check(item, f"{path}[{position}]", depth)
        return
    for key, item in value.items():
        if not isinstance(key, str):
            raise CanonicalError(f"{path}: object keys must be strings, found {key!r}", "not_json")
        _check_text(key, f"{path} key")
        check(item, f"{path}.{key}", depth)


def _check_text(text: str, path: str) -> None:
    if "\x00" in text:
        # JSON allows it, but no text column of PostgreSQL can hold it.
        raise CanonicalError(f"{path}: text must not contain the NUL character", "nul")
    if not unicodedata.is_normalized("NFC", text):
        raise CanonicalError(f"{path}: text must be in Unicode NFC", "non_nfc")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise CanonicalError(f"{path}: text contains a lone surrogate", "not_json") from None


def dumps(value: Any) -> bytes:
    """The canonical bytes of ``value``, after ``check``."""
    check(value)
    return rfc8785.dumps(value)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise CanonicalError(f"duplicate key {key!r}", "duplicate_key")
        result[key] = value
    return result


def _no_float(text: str) -> Any:
    raise CanonicalError(f"numbers must be integers, found {text}", "float")


def _bounded_integer(text: str) -> int:
    # Checked before conversion: turning thousands of digits into an int costs quadratic time.
    if len(text.lstrip("-")) > _MAX_INTEGER_DIGITS:
        raise CanonicalError(
            f"integers may have at most {_MAX_INTEGER_DIGITS} digits, found one with"
            f" {len(text.lstrip('-'))}",
            "big_integer",
        )
    return int(text)


def _nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON ``text``, outside strings.

    One regular-expression pass (strings are skipped whole, a few milliseconds
    per megabyte); it runs before the recursive decoder, so no input can make
    that recurse too deep.
    """
    depth = deepest = 0
    for bracket in _STRUCTURE.findall(text):
        if bracket in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif bracket:
            depth -= 1
    return deepest


def parse(data: bytes) -> Any:
    """Decode JSON that must already be in canonical form; CanonicalError otherwise."""
    value = loads(data)
    if rfc8785.dumps(value) != data:
        raise CanonicalError("the bytes are not in RFC 8785 canonical form")
    return value


def loads(data: bytes | str) -> Any:
    """Decode any JSON under the same rules but without demanding canonical bytes.

    For input from people and tools (the API, ``accord sign``), which is then
    re-serialised canonically before anything is signed.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CanonicalError(
            f"expected UTF-8, found an invalid byte at {exc.start}", "not_json"
        ) from None
    if _nesting_depth(text) > MAX_DEPTH:
        raise _too_deep()
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_no_float,
            parse_int=_bounded_integer,
            parse_constant=_no_float,
        )
    except json.JSONDecodeError as exc:
        raise CanonicalError(f"not JSON: {exc.msg} at byte {exc.pos}", "not_json") from None
    check(value)
    return value
