"""The dashboards: an agency dashboard (scoped like the case list), a ministry dashboard (every
agency, with an agency filter) and the public transparency page. Each page draws its charts with
the app's own copy of Chart.js and refreshes its figures from a JSON endpoint of the same view."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access, has_access_api
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain import dashboard as rules
from app.domain.case_rules import errors_of
from app.domain.errors import RuleError
from app.domain.statuses import KIND_LABELS, Kind
from app.domain.public_text import BY_LANGUAGE
from app.domain.thai_dates import day_pattern, shown_day
from app.extensions import db
from app.i18n import lang
from app.models import Agency, CaseType
from app.services import dashboard as service
from app.services.scope import agency_clause, current_actor, scope_key
from app.views.dashboard_payload import first_paint, present, present_public, texts
from app.views.public import public_lang

DEFAULT_REFRESH_SECONDS = 15
DEFAULT_CACHE_SECONDS = 5
DEFAULT_PUBLIC_CACHE_SECONDS = 30

staff_cache = service.TtlCache()


def _setting(name: str, default: float) -> float:
    value = current_app.config.get(name)
    return float(default if value is None else value)


def _refused_fields(error: RuleError | None) -> set[str]:
    """The filters a refusal names, marked invalid on the form and tied to its message."""
    if error is None:
        return set()
    return {item.field for item in errors_of(error) if item.field}


def _json_error(error: RuleError):
    response = jsonify(error.as_dict())
    response.status_code = error.http_status
    return response


class _DashboardView(BaseView):
    """What both staff dashboards share; subclasses say whose cases and whether agency is a filter."""

    default_view = "index"
    base_permissions = ["can_read"]
    method_permission_name = {"index": "read", "data": "read"}
    template = "dashboards/dashboard.html"
    choose_agency = False
    page_key = "agency_heading"

    def _filters(self, offered: tuple[list, list]) -> rules.DashboardFilters:
        filters = rules.parse_filters(request.args, allow_agency=self.choose_agency)
        agencies, types = offered
        rules.check_choices(filters, {a.id for a in agencies}, {t.id: t.agency_id for t in types})
        return filters

    def _whose(self, actor, language: str) -> str | None:
        """Whose cases the page counts, named beside its heading: the reader's agency, or every
        agency for a ministry-wide reader (who otherwise could not tell from the agency dashboard)."""
        if self.choose_agency:
            return None  # the ministry dashboard says so itself, and has the agency filter
        if actor.agency_id is None:
            return texts(language)["every_agency"]
        agency = db.session.get(Agency, actor.agency_id)
        return agency.label(language) if agency is not None else None

    def _offered(self, actor) -> tuple[list, list]:
        """The agencies (where the reader chooses one) and case types the filter form offers."""
        agencies = db.session.execute(
            select(Agency).where(agency_clause(actor, Agency.id), Agency.active.is_(True)).order_by(Agency.id)
        ).scalars().all() if self.choose_agency else []
        types = db.session.execute(
            select(CaseType).where(agency_clause(actor, CaseType.agency_id)).order_by(CaseType.agency_id, CaseType.id)
        ).scalars().all()
        return agencies, types

    def _choices(self, offered: tuple[list, list]) -> dict:
        language = lang()
        agencies, types = offered
        return {
            "agencies": [(a.id, a.label(language)) for a in agencies],
            "types": [(t.id, f"{t.code} {t.name_th if language == 'th' else t.name_en}", t.agency_id) for t in types],
            "kinds": [(k.value, KIND_LABELS[k][0 if language == "th" else 1]) for k in Kind],
        }

    @expose("/")
    @has_access
    def index(self):
        actor = current_actor()
        language = lang()
        offered = self._offered(actor)
        try:
            filters = self._filters(offered)
            error = None
        except RuleError as problem:
            filters, error = rules.DashboardFilters(), problem
        # Served with its figures (unless refused): they show without the script, which takes over.
        payload = None if error else self._payload(actor, filters, language)
        # The date fields show the range as the screen writes dates, or what was typed when refused.
        dates = {name: request.args.get(name, "") if error else shown_day(day, language)
                 for name, day in (("from", filters.date_from), ("to", filters.date_to))}
        self.update_redirect()  # the screens' history: the language menu comes back here
        return self.render_template(
            self.template, page_key=self.page_key, whose=self._whose(actor, language), texts=texts(language),
            filters=filters.as_dict(), choices=self._choices(offered),
            dates=dates, day_pattern=day_pattern(language),
            choose_agency=self.choose_agency, error=error.message(language) if error else None,
            invalid_fields=_refused_fields(error),
            data_url=self.route_base + "/data",
            refresh_seconds=_setting("DASHBOARD_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS), lang=language,
            payload=payload, paint=first_paint(payload, language) if payload else None,
        )

    def _payload(self, actor, filters: rules.DashboardFilters, language: str) -> dict:
        raw = staff_cache.get((scope_key(actor), filters), _setting("DASHBOARD_CACHE_SECONDS", DEFAULT_CACHE_SECONDS),
                              lambda: service.current_figures(db.session, actor, filters))
        return present(raw, filters, language, drill=True)

    @expose("/data")
    @has_access_api
    def data(self):
        actor = current_actor()
        try:
            filters = self._filters(self._offered(actor))
        except RuleError as error:
            return _json_error(error)
        response = jsonify(self._payload(actor, filters, lang()))
        response.headers["Cache-Control"] = "private, no-store"
        return response


class AgencyDashboardView(_DashboardView):
    route_base = "/dashboards/agency"
    class_permission_name = "Dashboard"


class MinistryDashboardView(_DashboardView):
    route_base = "/dashboards/ministry"
    class_permission_name = "MinistryDashboard"
    choose_agency = True
    page_key = "ministry_heading"


# ---- the public transparency page: no login, ministry-wide figures only -------------------------

transparency = Blueprint("transparency", __name__)


def _public_payload(language: str) -> dict:
    raw = service.public_cache.get("ministry", _setting("PUBLIC_DASHBOARD_CACHE_SECONDS", DEFAULT_PUBLIC_CACHE_SECONDS),
                                   lambda: service.public_figures(db.session))
    return present_public(raw, language)


# A visitor reads it in the language the public pages chose (?lang=, as their language links
# give); the page's script asks for its figures with the page's own query, so in that language too.

@transparency.get("/transparency")
def transparency_page():
    language = public_lang()
    other = "en" if language == "th" else "th"
    with_lang = {} if language == current_app.config.get("BABEL_DEFAULT_LOCALE", "th") else {"lang": language}
    links = {"track": url_for("public.lookup", **with_lang), "complain": url_for("public.complain", **with_lang),
             "other_lang": url_for("transparency.transparency_page", lang=other), "other": other}
    payload = _public_payload(language)
    return render_template("dashboards/transparency.html", lang=language, texts=texts(language),
                           payload=payload, paint=first_paint(payload, language),
                           words=BY_LANGUAGE[language], links=links,
                           data_url=url_for("transparency.transparency_data"),
                           refresh_seconds=_setting("DASHBOARD_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS))


@transparency.get("/transparency/data")
def transparency_data():
    response = jsonify(_public_payload(public_lang()))
    response.headers["Cache-Control"] = "public, max-age=15"
    # The language may come from a signed-in reader's cookie: a shared cache keeps one per cookie.
    response.headers["Vary"] = "Cookie"
    return response


def register_dashboards(app, appbuilder) -> None:
    appbuilder.add_view(AgencyDashboardView, "Agency dashboard", icon="fa-bar-chart", label=_l("Agency dashboard"),
                        category="Dashboards", category_label=_l("Dashboards"), category_icon="fa-dashboard")
    appbuilder.add_view(MinistryDashboardView, "Ministry dashboard", icon="fa-line-chart",
                        label=_l("Ministry dashboard"), category="Dashboards")
    app.register_blueprint(transparency)
