"""Second-year listings period by period: which periods to list, and the per-period loop that
refreshes a period's findings (duplicate candidates, continuations) before reading its rows."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import PmmError
from ..extract.period import normalize_period
from ..store import periods as store


def listed_periods(conn, period=None) -> list:
    """[the period as a person gave it, normalized], or every period in the store, oldest first."""
    if period is not None:
        return [normalize_period(period)]
    return sorted(p for p in store.period_counts(conn) if p is not None)


def rows_by_period(engine, periods, *, rows: Callable, refresh: Callable | None = None,
                   skip_unrefreshable: bool = False) -> list[dict]:
    """`rows(conn, period)` of each period in turn, after `refresh(engine, period=period)` when
    given. With `skip_unrefreshable`, a period whose refresh raises PmmError lists nothing."""
    out = []
    for period in periods:
        if refresh is not None:
            try:
                refresh(engine, period=period)
            except PmmError:
                if not skip_unrefreshable:
                    raise
                continue
        with engine.connect() as conn:
            out.extend(rows(conn, period))
    return out
