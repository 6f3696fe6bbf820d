"""What one API worker holds: the service's serving state plus the API's own rate limiter.

Readiness, the served list versions and index (re)builds are the service's
(:class:`sanctions.ServingState`); the web UI reads the same state without importing the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sanctions import Screener, ServingState, Settings
from sanctions.api.security import KeyHolders, RateLimiter


@dataclass
class ServiceState(ServingState):
    """The worker's serving state and the rate limiter its guard middleware uses."""

    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(0))

    @classmethod
    def create(cls, settings: Settings, screener: Screener | None = None) -> ServiceState:
        """State for a worker; opens a Screener on the settings when none is given."""
        return cls(
            settings, screener or Screener(settings), limiter=RateLimiter(settings.rate_limit_per_minute)
        )

    def key_holders(self) -> KeyHolders:
        """Who holds a personal key, for the rate limiter (one bucket per user)."""

        def lookup(key: str) -> str | None:
            found = self.screener.principal(key)
            return None if found is None else found.name

        return KeyHolders(lookup)
