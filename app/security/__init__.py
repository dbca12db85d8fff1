"""Flask-AppBuilder security with agency-bound staff users."""
from __future__ import annotations

from flask_appbuilder.security.sqla.manager import SecurityManager

from app.security.views import StaffUserView
from app.models.user import StaffUser


class RueangSecurityManager(SecurityManager):
    user_model = StaffUser
    userdbmodelview = StaffUserView
