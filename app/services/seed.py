"""Agencies, case types and demo accounts: created when missing, never duplicated."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.domain import defaults, roles
from app.models import Agency, CaseType, StaffUser

DEMO_PEOPLE = {
    "manager": ("สมชาย", "ใจดี", roles.AGENCY_MANAGER),
    "officer": ("สุดา", "รักงาน", roles.AGENCY_OFFICER),
    "clerk": ("วิภา", "ถี่ถ้วน", roles.AGENCY_CLERK),
}


def demo_username(agency_code: str, person: str) -> str:
    """The demo account of an agency's manager, officer or clerk (a key of DEMO_PEOPLE)."""
    return f"{agency_code.lower()}.{person}"


def ensure_agencies_and_types(session) -> dict[str, Agency]:
    agencies = {a.code: a for a in session.execute(select(Agency)).scalars()}
    for seed in defaults.AGENCIES:
        if seed.code not in agencies:
            agency = Agency(code=seed.code, name_th=seed.name_th, short_th=seed.short_th, name_en=seed.name_en,
                            description=seed.role, active=True)
            session.add(agency)
            agencies[seed.code] = agency
    session.flush()
    known = set(session.execute(select(CaseType.code)).scalars())
    for seed in defaults.CASE_TYPES:
        if seed.code not in known:
            session.add(CaseType(code=seed.code, agency_id=agencies[seed.agency].id, kind=seed.kind,
                                 name_th=seed.name_th, name_en=seed.name_en, sla_days=seed.sla_days,
                                 at_risk_share=0.8, first_response_days=seed.first_response_days,
                                 public=True, active=True))
    session.flush()
    return agencies


def ensure_demo_users(session, password: str, agencies: dict[str, Agency]) -> list[str]:
    """The demo accounts of CONTRACT.md; an existing account gets the given password again."""
    sm = current_app.appbuilder.sm
    wanted = [("admin", "ผู้ดูแล", "ระบบ", roles.ADMIN, None), ("ministry", "ผู้ติดตาม", "กระทรวง", roles.MINISTRY_VIEWER, None)]
    for code in agencies:
        for suffix, (first, last, role) in DEMO_PEOPLE.items():
            wanted.append((demo_username(code, suffix), first, f"{last} ({code})", role, agencies[code].id))
    made = []
    for username, first, last, role_name, agency_id in wanted:
        role = sm.find_role(role_name) or sm.add_role(role_name)
        user = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
        if user is None:
            user = StaffUser(username=username, first_name=first, last_name=last,
                             email=f"{username}@demo.rueang.invalid", active=True)
            session.add(user)
            made.append(username)
        user.roles = [role]
        user.agency_id = agency_id
        user.active = True
        from werkzeug.security import generate_password_hash

        user.password = generate_password_hash(password)
    session.flush()
    return made
