"""Who is acting: the user behind a request, a job or a command, as the services see them."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.domain import roles
from app.domain.statuses import PUBLIC_ACTOR, EventSource


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    agency_id: int | None
    role_names: frozenset[str] = field(default_factory=frozenset)
    label: str = ""
    source: EventSource = EventSource.SCREEN
    origin: str | None = None  # remote address, file and row, or departmental system
    # Permissions held for this one call only, e.g. a requester's private link lets them reopen their case.
    grants: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    @property
    def ministry_wide(self) -> bool:
        return bool(self.role_names & roles.MINISTRY_WIDE_ROLES) or self.source == EventSource.SYSTEM

    @property
    def is_public(self) -> bool:
        """Someone without a staff account: a citizen on the public form, or an Open311 client."""
        return roles.PUBLIC in self.role_names

    @property
    def is_admin(self) -> bool:
        return roles.ADMIN in self.role_names or self.source == EventSource.SYSTEM

    @property
    def is_ministry_viewer(self) -> bool:
        return roles.MINISTRY_VIEWER in self.role_names and not self.is_admin

    @classmethod
    def system(cls, label: str, source: EventSource = EventSource.SYSTEM, origin: str | None = None) -> "Actor":
        return cls(user_id=None, agency_id=None, role_names=frozenset(), label=label, source=source, origin=origin)

    @classmethod
    def for_user(cls, user, source: EventSource = EventSource.SCREEN, origin: str | None = None) -> "Actor":
        if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "is_anonymous", True):
            return cls(user_id=None, agency_id=None, role_names=frozenset({roles.PUBLIC}),
                       label=PUBLIC_ACTOR, source=EventSource.PUBLIC, origin=origin)
        return cls(
            user_id=user.id,
            agency_id=getattr(user, "agency_id", None),
            role_names=frozenset(r.name for r in user.roles),
            label=user.username,
            source=source,
            origin=origin,
        )
