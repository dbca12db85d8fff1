"""Date fields and date filters of the staff screens, in the screen's language.

A date field shows and takes a date as the screen writes it (24/11/2569 in Thai, 2026-11-24 in
English; app.domain.thai_dates reads either, and what staff type by hand), and the picker beside
it (bootstrap-datepicker, set up by static/js/date_pickers.js) shows B.E. years on Thai screens.
Forms store the C.E. date; a field that cannot be read gets its message and nothing is saved.

List filters on date and time columns read the same dates, as Bangkok days as the list shows
them, or an ISO moment (the dashboards' links); Flask-AppBuilder's own would read 05/12/2569 as
12 May 2569 and fail on a date given to a time column. Their order (on, after, before, not on)
is Flask-AppBuilder's (equal, greater, smaller, not equal), so `_flt_1_submitted_at` keeps its
meaning. The REST API keeps Flask-AppBuilder's filters: these register no `arg_name`.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import flash
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import SQLAFilterConverter, get_field_setup_query
from flask_babel import gettext as _, lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import or_
from wtforms import DateField, DateTimeField, Field
from wtforms.fields.core import UnboundField
from wtforms.widgets import html_params

from app.domain.local_time import local_date
from app.domain.thai_dates import DateTextError, day_pattern, day_span, parse_day, parse_filter_value, shown_day
from app.i18n import lang


class DayPickerWidget:
    """A text input with a calendar button; the picker script finds it by data-day-picker."""

    def __call__(self, field, **kwargs):
        language = lang()
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("name", field.name)
        kwargs["class"] = "form-control"
        params = html_params(type="text", value=field._value(), placeholder=day_pattern(language),
                             autocomplete="off", data_day_picker=language, **kwargs)
        return Markup('<div class="input-group rueang-date"><span class="input-group-addon">'
                      '<i class="fa fa-calendar" aria-hidden="true"></i></span><input {}></div>').format(Markup(params))


class DayFormatHint:
    """A date field's help under it, in the reader's language when the form is drawn: the form
    it takes and today's date as an example. A placeholder alone goes as soon as one types and
    is not read by every screen reader."""

    def __init__(self, description: str = ""):
        self.description = description

    def hint(self) -> str:
        language = lang()
        return _("Format %(pattern)s, e.g. %(example)s", pattern=day_pattern(language),
                 example=shown_day(local_date(datetime.now(timezone.utc)), language))

    def __str__(self) -> str:
        return f"{self.hint()} {self.description}" if self.description else self.hint()

    def __html__(self) -> str:
        if not self.description:
            return str(Markup.escape(self.hint()))
        return str(Markup("{}<br>{}").format(self.hint(), str(self.description)))

    def __bool__(self) -> bool:
        return True


class DayField(Field):
    """A date, shown and typed as the screen writes it; data is the C.E. date."""

    widget = DayPickerWidget()

    def __init__(self, label=None, validators=None, description: str = "", **kwargs):
        super().__init__(label, validators, description=DayFormatHint(description), **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]  # what was typed, back with its message when refused
        return shown_day(self.data, lang()) if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_day(valuelist[0])
        except DateTextError as error:
            self.data = None
            # The message quotes what was typed: the form escapes it (app.i18n.field_error).
            raise ValueError(error.message(lang())) from None


def use_day_fields(form_class, *, search: bool = False) -> None:
    """Puts a DayField where Flask-AppBuilder generated a date field (with its label, description
    and validators). In a search form a date-and-time column gets one too: its filters take days.
    A date-and-time column in an add or edit form would need a field of its own, and is refused."""
    if form_class is None:
        return
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        if not isinstance(unbound, UnboundField) or unbound.field_class not in (DateField, DateTimeField):
            continue
        if unbound.field_class is DateTimeField and not search:
            raise TypeError(f"{name}: a date-and-time column in an add or edit form needs its own field")
        kwargs = {key: value for key, value in unbound.kwargs.items() if key not in ("widget", "format")}
        setattr(form_class, name, UnboundField(DayField, *unbound.args, **kwargs))


# ---- list filters -----------------------------------------------------------------------------

class DayFilter(BaseFilter):
    """A filter of a date or a date-and-time column. An unreadable value is left out (the list
    says so: DateEntryMixin); a day given to a date-and-time column stands for every instant the
    list shows as that Bangkok day."""

    arg_name = None

    def apply(self, query, value):
        try:
            reading = parse_filter_value(value)
        except DateTextError:
            return query
        query, column = get_field_setup_query(query, self.model, self.column_name)
        if self.datamodel.is_date(self.column_name):
            day = local_date(reading) if isinstance(reading, datetime) else reading
            return query.filter(self.compare(column, day))
        if isinstance(reading, datetime):
            return query.filter(self.compare(column, reading))
        deadline = self.column_name in getattr(self.datamodel, "deadline_columns", ())
        start, end = day_span(reading, deadline=deadline)
        return query.filter(self.within(column, start, end))

    def compare(self, column, value):
        raise NotImplementedError

    def within(self, column, start, end):
        raise NotImplementedError


class DayEqual(DayFilter):
    name = _l("On")

    def compare(self, column, value):
        return column == value

    def within(self, column, start, end):
        return (column >= start) & (column < end)


class DayGreater(DayFilter):
    name = _l("After")

    def compare(self, column, value):
        return column > value

    def within(self, column, start, end):
        return column >= end


class DaySmaller(DayFilter):
    name = _l("Before")

    def compare(self, column, value):
        return column < value

    def within(self, column, start, end):
        return column < start


class DayNotEqual(DayFilter):
    name = _l("Not on")

    def compare(self, column, value):
        return column != value

    def within(self, column, start, end):
        return or_(column < start, column >= end)


DAY_FILTERS = [DayEqual, DayGreater, DaySmaller, DayNotEqual]


class DayFilterConverter(SQLAFilterConverter):
    conversion_table = tuple(
        (test, DAY_FILTERS if test in ("is_date", "is_datetime") else filters)
        for test, filters in SQLAFilterConverter.conversion_table
    )


class DateEntryMixin:
    """For a ModelView: its date fields and date filters as above. `deadline_columns` names the
    date-and-time columns that hold a deadline, shown as the day before (due_at)."""

    deadline_columns: tuple[str, ...] = ()

    def __init__(self, **kwargs):
        # The view's own datamodel: an API on the same model keeps Flask-AppBuilder's filters.
        self.datamodel.filter_converter_class = DayFilterConverter
        self.datamodel.deadline_columns = frozenset(self.deadline_columns)
        super().__init__(**kwargs)

    def _init_forms(self):
        super()._init_forms()
        use_day_fields(self.search_form, search=True)
        excluded = self.exclude_route_methods or set()
        for route in ("add", "edit"):  # forms of excluded routes are built, and never shown
            if route not in excluded:
                use_day_fields(getattr(self, f"{route}_form", None))

    def _get_list_widget(self, filters, **kwargs):
        warn_unread_day_filters(filters, self.label_columns)
        return super()._get_list_widget(filters=filters, **kwargs)


def unread_day_filters(filters):
    """(filter, DateTextError) for each date filter whose value is not a date."""
    for flt, values in filters.get_filters_values():
        if not isinstance(flt, DayFilter):
            continue
        for value in values if isinstance(values, list) else [values]:
            try:
                parse_filter_value(value)
            except DateTextError as error:
                yield flt, error


def warn_unread_day_filters(filters, labels) -> None:
    """A flash message for each date filter whose value is not a date: that filter is left out."""
    language = lang()
    for flt, error in unread_day_filters(filters):
        flash(_("The filter \"%(label)s\" was not applied: %(reason)s",
                label=str(labels.get(flt.column_name, flt.column_name)), reason=error.message(language)),
              "warning")
