"""Agency scoping, built once where queries are built, so every surface inherits it.

Forms, lists, case pages, REST, exports, charts and jobs all filter through `agency_clause`;
a view that forgets to call it gets the Flask-AppBuilder base filter below, which does.
"""
from __future__ import annotations

from flask import g
from flask_appbuilder.models.filters import BaseFilter
from sqlalchemy import false, true

from app.services.actor import Actor


def agency_clause(actor: Actor, agency_column):
    """SQL condition limiting rows to what the actor may see."""
    if actor.ministry_wide:
        return true()
    if actor.agency_id is None:
        return false()
    return agency_column == actor.agency_id


def scope_key(actor: Actor):
    """What agency_clause depends on, as a cache key: things rendered or counted for one actor
    may be handed to another actor with the same key. An account with no agency that is not
    ministry-wide sees nothing, and has a key of its own."""
    if actor.ministry_wide:
        return "all"
    if actor.agency_id is None:
        return "none"
    return actor.agency_id


def current_actor() -> Actor:
    actor = getattr(g, "rueang_actor", None)
    user = getattr(g, "user", None)
    if actor is None or actor.user_id != getattr(user, "id", None):
        from flask import request

        actor = Actor.for_user(user, origin=request.remote_addr if request else None)
        g.rueang_actor = actor
    return actor


class AgencyScopeFilter(BaseFilter):
    """Flask-AppBuilder base filter: rows of the current user's agency only."""

    name = "Agency scope"
    arg_name = "agency_scope"

    def apply(self, query, value):
        return query.filter(agency_clause(current_actor(), getattr(self.model, self.column_name)))


def scope_filters(column: str = "agency_id") -> list:
    return [[column, AgencyScopeFilter, None]]
