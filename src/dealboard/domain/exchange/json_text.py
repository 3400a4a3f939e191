"""JSON text that carries control characters as escapes, never as raw characters.

`json.dumps(..., ensure_ascii=False)` keeps accents readable but writes C1
controls (U+0080-U+009F, a lone U+009B starts a terminal sequence), DEL and
the invisible bidi overrides raw. Escaping just those keeps the document
exact for a JSON reader and harmless on a terminal or in a pager.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Characters json.dumps leaves raw that a terminal or an editor would act on.
_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """`data` as JSON: UTF-8 text for people, every control character an escape.

    Outside strings JSON text is plain ASCII, so the substitution only ever
    touches characters inside strings, where `\\uXXXX` means the same thing.
    """
    return _RAW_UNSAFE.sub(_escape, json.dumps(data, ensure_ascii=False, indent=indent))
