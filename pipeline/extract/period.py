"""The reporting period a submission covers, read from its dates.

Periods are named by the year they end in, as the Informe is: the Informe 2022 covers
"junio de 2021 a junio de 2022", so "junio de 2022 a junio de 2023" is period "2023". A document
states its period in its title or first page ("Acciones para el seguimiento del PMM, junio 2022 –
junio 2023"), in a form's period column, or in its actions' own sentences ("En el periodo de junio
de 2022 a junio de 2023, se realizaron…"); the first that states one wins, and among actions the
period most of them state.
"""

from __future__ import annotations

import re
from collections import Counter

from ..errors import BadInput
from ..text import strip_accents

MONTHS = ("enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
          "noviembre|diciembre|january|february|march|april|may|june|july|august|september|"
          "october|november|december|ene|feb|mar|abr|may|jun|jul|ago|sep|sept|oct|nov|dic")
YEAR = r"((?:19|20)\d{2})"
# "[1 de] junio [de|del] 2022": a day and the "de" are optional; so is the month.
_DATE = rf"(?:\d{{1,2}}\s+(?:de\s+)?)?(?:(?:{MONTHS})\.?\s+(?:de(?:l)?\s+|,\s*)?)?{YEAR}"
_RANGE = re.compile(rf"{_DATE}\s*(?:a|al|hasta(?:\s+el)?|to|until|through|[-–—/])\s*(?:el\s+)?{_DATE}",
                    re.IGNORECASE)
_BETWEEN = re.compile(rf"\b(?:entre|between)\s+(?:el\s+)?{_DATE}\s+(?:y|and)\s+(?:el\s+)?{_DATE}",
                      re.IGNORECASE)
# A year alone, when the period is given that way ("--period 2023", "Informe 2023").
_ONE_YEAR = re.compile(rf"^\s*{YEAR}\s*$")
# ISO-like "2022-06/2023-06".
_ISO_RANGE = re.compile(rf"^\s*{YEAR}-\d{{2}}\s*/\s*{YEAR}-\d{{2}}\s*$")
# A range longer than this is a history ("desde 2015 hasta 2023"), not a reporting period.
MAX_SPAN_YEARS = 2


def periods_in(text: str) -> list[str]:
    """Every reporting period a text states as a range of dates, as end years, in order."""
    folded = " ".join(strip_accents(text).split())
    matches = sorted([*_RANGE.finditer(folded), *_BETWEEN.finditer(folded)], key=lambda m: m.start())
    found = []
    for match in matches:
        start, end = int(match.group(1)), int(match.group(2))
        if 0 <= end - start <= MAX_SPAN_YEARS:
            found.append(str(end))
    return found


def detect_period(text: str) -> str | None:
    """The period the text states first ("junio de 2022 a junio de 2023" -> "2023"), or None."""
    found = periods_in(text)
    return found[0] if found else None


def normalize_period(value, *, source="--period") -> str | None:
    """A period as given by a person or a form cell -> its end year; None for an empty value.

    Accepts "2023", "2022-2023", "junio de 2022 a junio de 2023", "2022-06/2023-06".

    :raises BadInput: for text that names no year.
    """
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    for pattern in (_ONE_YEAR, _ISO_RANGE):
        match = pattern.match(text)
        if match:
            return match.groups()[-1]
    found = detect_period(text)
    if found is None:
        raise BadInput(source, f"{text!r} is not a period; give the year it ends in, e.g. 2023")
    return found


def document_period(front_text: str, records=()) -> str | None:
    """The period a submission covers: its first page's dates, else its form's period column, else
    the period most of its actions state; None when nothing states one.

    :param front_text: the first page's text, as the extraction read it (`Extraction.front_text`).
    """
    found = detect_period(front_text)
    if found:
        return found
    votes = Counter()
    for record in records:
        stated = record.get("period")
        period = detect_period(stated) if stated else None
        if period is None:
            period = detect_period(record.get("text") or "")
        if period is not None:
            votes[period] += 1
    if not votes:
        return None
    # Most stated; on a tie, the later period (a report mentions last year's dates, not next).
    return max(votes, key=lambda p: (votes[p], p))
