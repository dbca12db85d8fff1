"""Every generated screen has a title in the user's language: Flask-AppBuilder makes an English
one ("Edit Agency") from the model's name for any view that does not set its own."""
from __future__ import annotations

import re

from flask_appbuilder import ModelView
from flask_babel import force_locale

THAI = re.compile(r"[\u0e00-\u0e7f]")
TITLES = (("list", "list_title"), ("show", "show_title"), ("add", "add_title"), ("edit", "edit_title"))


def test_every_model_screen_has_a_thai_title(app):
    untitled = []
    with app.test_request_context(), force_locale("th"):
        for view in app.appbuilder.baseviews:
            if not isinstance(view, ModelView):
                continue
            for route, attribute in TITLES:
                if route in (view.exclude_route_methods or ()) or not hasattr(view, route):
                    continue
                title = str(getattr(view, attribute))
                if not THAI.search(title):
                    untitled.append(f"{type(view).__name__}.{attribute} = {title!r}")
    assert not untitled, "\n".join(untitled)
