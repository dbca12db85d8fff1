"""Photos sent with cases, for staff who may read the case: never for the public."""
from __future__ import annotations

from flask import abort, send_file
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access

from app.extensions import db
from app.services.case_photos import photo_file, photos_of
from app.services.errors import NotFound
from app.services.scope import current_actor
from app.views.cases import CASE_PERMISSIONS


class CasePhotoView(BaseView):
    route_base = "/case-photos"
    class_permission_name = "Case"
    base_permissions = CASE_PERMISSIONS
    method_permission_name = {"photo": "read"}
    default_view = "photo"

    @expose("/<int:photo_id>")
    @has_access
    def photo(self, photo_id: int):
        try:
            path, content_type = photo_file(db.session, current_actor(), photo_id)
        except NotFound:
            abort(404)
        response = send_file(path, mimetype=content_type, max_age=0, conditional=True)
        response.headers["Cache-Control"] = "private, no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'none'"
        return response


def case_photos(case) -> list:
    """For the case page: the photos of `case` the signed-in user may see."""
    if case is None:
        return []
    return photos_of(db.session, current_actor(), case.id)
