"""Who is looking at which action, so two reviewers are not handed the same one at once.

In memory and advisory: a lease only steers the queue (it expires after a few minutes, and is
lost on restart); it never blocks a decision, and every decision is its own insert, so nothing a
reviewer decides is lost whatever the leases say.
"""

import threading
import time

DEFAULT_LEASE_SECONDS = 300


class LeaseBook:
    def __init__(self, *, seconds: float = DEFAULT_LEASE_SECONDS, clock=time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._leases = {}  # (action_id, scheme) -> (reviewer, expires_at)

    def claim(self, action_id: int, scheme: str, reviewer: str) -> bool:
        """Lease the action to `reviewer` unless someone else holds it; a reviewer holds at most
        one action per scheme, so claiming a new one releases the previous one."""
        with self._lock:
            now = self._clock()
            key = (action_id, scheme)
            holder = self._leases.get(key)
            if holder and holder[0] != reviewer and holder[1] > now:
                return False
            for other_key, (who, _) in list(self._leases.items()):
                if who == reviewer and other_key[1] == scheme and other_key != key:
                    del self._leases[other_key]
            self._leases[key] = (reviewer, now + self.seconds)
            return True

    def release(self, action_id: int, scheme: str, reviewer: str) -> None:
        with self._lock:
            if self._leases.get((action_id, scheme), (None,))[0] == reviewer:
                del self._leases[(action_id, scheme)]

    def held_by_others(self, scheme: str, reviewer: str) -> set[int]:
        """Action ids of `scheme` leased to someone else right now."""
        with self._lock:
            now = self._clock()
            return {action_id for (action_id, s), (who, expires) in self._leases.items()
                    if s == scheme and who != reviewer and expires > now}
