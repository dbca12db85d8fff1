"""The staff roles and what each may do: one table, synced into Flask-AppBuilder's permissions.

Views and APIs name their permissions through `class_permission_name` and
`method_permission_name`, so the screen and the REST API of one resource share one set.
"""
from __future__ import annotations

ADMIN = "Admin"
MINISTRY_VIEWER = "Ministry Viewer"
AGENCY_MANAGER = "Agency Manager"
AGENCY_OFFICER = "Agency Officer"
AGENCY_CLERK = "Agency Clerk"
PUBLIC = "Public"

# Roles whose users read every agency's cases (and may write none unless the role says so).
MINISTRY_WIDE_ROLES = frozenset({ADMIN, MINISTRY_VIEWER})
AGENCY_ROLES = (AGENCY_MANAGER, AGENCY_OFFICER, AGENCY_CLERK)

# Permissions every signed-in staff user needs for their own profile.
_SELF_SERVICE = {
    # The staff user screen is app.security.views.StaffUserView: its permissions carry that name.
    ("can_userinfo", "StaffUserView"),
    ("resetmypassword", "StaffUserView"),
    ("userinfoedit", "StaffUserView"),
    ("can_this_form_get", "ResetMyPasswordView"),
    ("can_this_form_post", "ResetMyPasswordView"),
    ("can_this_form_get", "UserInfoEditView"),
    ("can_this_form_post", "UserInfoEditView"),
    ("menu_access", "Cases"),
    ("menu_access", "Case list"),
    # The OpenAPI document and its browser, for staff who script against the API.
    ("can_get", "OpenApi"),
    ("can_show", "SwaggerView"),
}

# The dashboards (app/views/dashboards.py): the agency one for agency staff, both for the ministry.
_AGENCY_DASHBOARD = {("can_read", "Dashboard"), ("menu_access", "Dashboards"), ("menu_access", "Agency dashboard")}
_MINISTRY_DASHBOARD = {("can_read", "MinistryDashboard"), ("menu_access", "Ministry dashboard")}
# The Excel screens (app/views/excel.py): import for clerks, the monthly workbook for those who export.
_EXCEL_IMPORT = {("menu_access", "Import from Excel")}
_MONTHLY_REPORT = {("menu_access", "Monthly report")}

ROLE_PERMISSIONS: dict[str, set[tuple[str, str]]] = {
    MINISTRY_VIEWER: _SELF_SERVICE | _AGENCY_DASHBOARD | _MINISTRY_DASHBOARD | _MONTHLY_REPORT | {
        ("can_read", "Case"),
        ("can_export", "Case"),
        ("can_read", "CaseType"),
        ("can_read", "Agency"),
        ("can_read", "Dashboard"),
    },
    AGENCY_MANAGER: _SELF_SERVICE | _AGENCY_DASHBOARD | _MONTHLY_REPORT | {
        ("can_read", "Case"),
        ("can_write", "Case"),
        ("can_assign", "Case"),
        ("can_export", "Case"),
        ("can_read", "CaseType"),
        ("can_read", "Dashboard"),
        # Their agency's job runs and the ministry-wide ones (app/views/jobs.py).
        ("can_read", "JobRun"),
        ("menu_access", "Administration"),
        ("menu_access", "Job runs"),
    },
    AGENCY_OFFICER: _SELF_SERVICE | _AGENCY_DASHBOARD | {
        ("can_read", "Case"),
        ("can_write", "Case"),
        ("can_read", "CaseType"),
        ("can_read", "Dashboard"),
    },
    AGENCY_CLERK: _SELF_SERVICE | _EXCEL_IMPORT | _MONTHLY_REPORT | {
        ("can_read", "Case"),
        ("can_import", "Case"),
        ("can_export", "Case"),
        ("can_read", "CaseType"),
    },
    PUBLIC: set(),
}

ROLE_LABELS = {
    ADMIN: ("ผู้ดูแลระบบ", "Administrator"),
    MINISTRY_VIEWER: ("ผู้ติดตามระดับกระทรวง", "Ministry-wide viewer"),
    AGENCY_MANAGER: ("ผู้บริหารหน่วยงาน", "Agency manager"),
    AGENCY_OFFICER: ("เจ้าหน้าที่", "Agency officer"),
    AGENCY_CLERK: ("เจ้าหน้าที่ธุรการ", "Agency clerk"),
    PUBLIC: ("ประชาชน", "Public"),
}


def works_cases(role_names) -> bool:
    """Whether someone with these roles works cases (may write to them), and so may be given
    one to work: an officer or a manager, not a clerk, who reads and imports."""
    return any(("can_write", "Case") in ROLE_PERMISSIONS.get(name, ()) for name in role_names)
