"""What every generated administration screen needs beyond Flask-AppBuilder's defaults."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField
from wtforms.validators import DataRequired, InputRequired


class _TryDelete(Exception):
    """Raised inside the savepoint of a trial delete so that it is always rolled back."""


class RecordInUse(Exception):
    pass


def allow_unticked_flags(form_class) -> None:
    """Flask-AppBuilder makes every NOT NULL column required, and a required check box cannot be
    left unticked: an administrator could not switch an agency's sync, a case type or a client
    off. A check box's answer is yes or no, both valid."""
    if form_class is None:
        return
    for name in dir(form_class):
        field = getattr(form_class, name, None)
        if getattr(field, "field_class", None) is not None and issubclass(field.field_class, BooleanField):
            validators = field.kwargs.get("validators") or []
            field.kwargs["validators"] = [v for v in validators if not isinstance(v, (DataRequired, InputRequired))]


class AdminCrudMixin:
    """Check boxes that can be unticked, and a delete refused with a reason when other records
    still refer to the row (Flask-AppBuilder's own attempt ends in an empty red message)."""

    def _init_forms(self):
        super()._init_forms()
        allow_unticked_flags(self.add_form)
        allow_unticked_flags(self.edit_form)

    def pre_delete(self, item):
        super().pre_delete(item)
        session = self.datamodel.session
        try:
            with session.begin_nested():
                session.delete(item)
                session.flush()
                raise _TryDelete
        except _TryDelete:
            pass
        except IntegrityError:
            raise RecordInUse(_(
                "This record cannot be deleted: cases or other records refer to it. "
                "Switch it off (untick Active) instead.")) from None
