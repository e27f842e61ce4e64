"""Reading JSON lines that people wrote: each bad line is an error naming the file and line.

A line must be JSON that pmm can write back out: no NaN or Infinity (not JSON, though Python
reads them), no lone UTF-16 surrogate ("\\ud800" cannot be encoded as UTF-8), no nesting deep
enough to exhaust the parser, no integer beyond Python's digit limit.
"""

import json

from .errors import BadInput


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse_lines(lines, source):
    """Yield (line number, "source:line", object) for each non-blank line of `lines`.

    :raises BadInput: at the first line that is not valid JSON or holds what cannot be written
        back as UTF-8 JSON.
    """
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            item = json.loads(line, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise BadInput(where, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        except RecursionError:
            raise BadInput(where, "not valid JSON (nested too deeply)") from None
        except ValueError as exc:  # NaN/Infinity, or an integer over the digit limit
            reason = " ".join(str(exc).split(";")[0].split())
            raise BadInput(where, f"not valid JSON ({reason})") from None
        problem = unwritable(item)
        if problem:
            raise BadInput(where, problem)
        yield lineno, where, item


def unwritable(item) -> str | None:
    """Why `item` (parsed JSON) cannot be written back as UTF-8 text, or None."""
    stack = [item]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return (f"lone surrogate {value[exc.start]!r} at character {exc.start + 1} of a string "
                        "(\\ud800-\\udfff escapes must come in pairs)")
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return None
