"""Reading JSON lines that people wrote: each bad line is an error naming the file and line."""

import json

from .errors import BadInput


def parse_lines(lines, source):
    """Yield (line number, "source:line", object) for each non-blank line of `lines`.

    :raises BadInput: at the first line that is not valid JSON.
    """
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            yield lineno, where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(where, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
