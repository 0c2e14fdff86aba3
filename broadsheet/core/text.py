"""Checks on user text that no renderer can repair: refused with a message, never altered."""

import unicodedata

from .errors import InvalidInput


def check_text(value: str, *, field: str, label: str) -> str:
    """Refuses NUL bytes, lone surrogates and other control characters; returns the text as is."""
    if "\x00" in value:
        raise InvalidInput(f"{label} contains a NUL byte.", code="nul_byte", field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"{label} contains an invalid character (a lone surrogate).",
            code="invalid_unicode",
            field=field,
        ) from None
    if "\ufffd" in value:
        raise InvalidInput(
            f"{label} contains bytes that are not valid UTF-8.", code="invalid_utf8", field=field
        )
    for ch in value:
        if ch not in "\n\r\t" and unicodedata.category(ch) == "Cc":
            raise InvalidInput(
                f"{label} contains a control character (U+{ord(ch):04X}).",
                code="control_character",
                field=field,
            )
    return value


def normalize_newlines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")
