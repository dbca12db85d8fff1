"""The models, one module per aggregate; importing this package registers them all."""
from app.models.agency import Agency, CaseType
from app.models.attachment import CaseAttachment
from app.models.calendar import CalendarDay
from app.models.case import Case, CaseEvent, CaseLink, TrackingCounter
from app.models.dashboard import DashboardCloseDays, DashboardClosed, DashboardDirty, DashboardProvince, DashboardStatus
from app.models.holiday import ExtraHoliday
from app.models.job import JobRun
from app.models.open311 import Open311Client
from app.models.requester_link import RequesterLink
from app.models.settings_change import SettingsChange
from app.models.sync import UnknownExternalStatus
from app.models.user import EndedSession, StaffUser

__all__ = ["Agency", "CaseType", "Case", "CaseEvent", "TrackingCounter", "StaffUser", "ExtraHoliday", "CalendarDay",
           "JobRun", "UnknownExternalStatus", "CaseAttachment", "RequesterLink", "Open311Client",
           "DashboardDirty", "DashboardStatus", "DashboardClosed", "DashboardCloseDays", "DashboardProvince",
           "SettingsChange", "CaseLink", "EndedSession"]
