from __future__ import annotations

from flask import redirect, url_for
from flask_appbuilder import IndexView, expose
from flask_login import current_user


class HomeView(IndexView):
    """Staff land on their case list; everyone else on the public page: look up a case, or file one."""

    @expose("/")
    def index(self):
        if current_user.is_authenticated:
            return redirect(url_for("CaseView.list"))
        from app.views.public import render_home

        return render_home()
