"""`flask jobs run NAME --option KEY=VALUE` refuses a key the job does not know and a yes-or-no
word that is neither, before anything runs: `catch_up=maybe` ran an ordinary sync, read as no,
and `bogus=1` was ignored, both silently."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.job import JobRun


def _runs(app) -> int:
    with app.app_context():
        count = db.session.execute(select(func.count(JobRun.id))).scalar_one()
        db.session.rollback()
        return count


@pytest.mark.parametrize("args, words", [
    (["sync-status", "--agency", "DIW", "--option", "catch_up=maybe"], "takes yes or no"),
    (["sync-status", "--agency", "DIW", "--option", "catch_up="], "takes yes or no"),
    (["sync-status", "--agency", "DIW", "--option", "bogus=1"], "has no option 'bogus'"),
    (["sync-status", "--option", "catch_up=yes", "--option", "bogus=1"], "has no option 'bogus'"),
    (["sla-flags", "--option", "catch_up=yes"], "sla-flags has no option 'catch_up'"),
])
def test_an_option_the_job_cannot_take_is_refused_and_nothing_runs(app, args, words):
    before = _runs(app)
    result = app.test_cli_runner().invoke(args=["jobs", "run", *args])
    assert result.exit_code == 2, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["status"] == "failed" and words in summary["error"], summary
    assert _runs(app) == before
