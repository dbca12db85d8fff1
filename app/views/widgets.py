"""Widgets tuned for long lists."""
from __future__ import annotations

import time

from flask_appbuilder.widgets import SearchWidget, RenderTemplateWidget
from flask_appbuilder._compat import as_unicode

from app.i18n import lang
from app.services.scope import current_actor, scope_key

SEARCH_CACHE_SECONDS = 60
_search_parts: dict[tuple, tuple[float, dict]] = {}


class CachedSearchWidget(SearchWidget):
    """Flask-AppBuilder's filter bar renders every filter's input (the case types, officers and
    77 provinces among them) on every list page. Those inputs depend only on the language and
    the user's scope, so they are rendered once a minute per (language, scope); the active
    filters still come from each request."""

    def __call__(self, **kwargs):
        actor = current_actor()
        key = (self.template_args["form"].__class__.__name__, lang(), scope_key(actor))
        cached = _search_parts.get(key)
        if cached is None or time.monotonic() - cached[0] > SEARCH_CACHE_SECONDS:
            dict_filters = self.filters.get_search_filters()
            form = self.template_args["form"]
            parts = {"label_columns": {}, "form_fields": {}, "search_filters": {}}
            for col in self.template_args["include_cols"]:
                parts["label_columns"][col] = as_unicode(form[col].label.text)
                parts["form_fields"][col] = form[col]()
                parts["search_filters"][col] = [as_unicode(flt.name) for flt in dict_filters[col]]
            cached = _search_parts[key] = (time.monotonic(), parts)
        kwargs.update(cached[1])
        kwargs["active_filters"] = self.filters.get_filters_values_tojson()
        return RenderTemplateWidget.__call__(self, **kwargs)
