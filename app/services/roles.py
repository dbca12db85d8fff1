"""Keeping Flask-AppBuilder's roles and permissions in line with domain.roles."""
from __future__ import annotations

from flask import current_app

from app.domain import roles


def sync_roles() -> dict:
    """Create every permission the registered views declare, then give each role exactly the
    permissions domain.roles lists for it. Idempotent; Admin keeps everything."""
    appbuilder = current_app.appbuilder
    sm = appbuilder.sm
    # Flask-AppBuilder hands every new permission to the Admin role as it creates it.
    for role_name in (roles.ADMIN, roles.PUBLIC, *roles.ROLE_PERMISSIONS):
        sm.find_role(role_name) or sm.add_role(role_name)
    appbuilder.add_permissions(update_perms=True)
    summary = {}
    for role_name, wanted in roles.ROLE_PERMISSIONS.items():
        role = sm.find_role(role_name)
        permission_views = []
        for permission, view_menu in sorted(wanted):
            pv = sm.find_permission_view_menu(permission, view_menu) or sm.add_permission_view_menu(permission, view_menu)
            if pv is not None:
                permission_views.append(pv)
        role.permissions = permission_views
        summary[role_name] = len(permission_views)
    admin = sm.find_role(roles.ADMIN)
    admin.permissions = sm.session.query(sm.permissionview_model).all()
    summary[roles.ADMIN] = len(admin.permissions)
    sm.session.commit()
    return summary
