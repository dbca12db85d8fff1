from __future__ import annotations

from flask import redirect, url_for
from flask_appbuilder import IndexView, expose
from flask_login import current_user


class HomeView(IndexView):
    """Staff land on their case list; everyone else on the login page."""

    @expose("/")
    def index(self):
        if current_user.is_authenticated:
            return redirect(url_for("CaseView.list"))
        return redirect(url_for("AuthDBView.login"))
