"""`jobs run NAME --option KEY=VALUE`: which keys a job takes, and which words mean yes or no."""
from __future__ import annotations

import pytest

from app.jobs import registry
from app.jobs.cli import options_problem
from app.jobs.sync_status import yes_or_no


@pytest.mark.parametrize("word, answer", [
    ("yes", True), ("YES", True), (" true ", True), ("1", True), ("on", True),
    ("no", False), ("False", False), ("0", False), ("off", False),
])
def test_yes_and_no_words(word, answer):
    assert yes_or_no(word) is answer


@pytest.mark.parametrize("word", ["maybe", "", "y", "n", "ture", "2", "yes please"])
def test_any_other_word_is_refused_rather_than_read_as_no(word):
    with pytest.raises(ValueError, match="yes or no"):
        yes_or_no(word)


@pytest.mark.parametrize("job, settings, problem", [
    ("sync-status", {}, None),
    ("sync-status", {"catch_up": "yes"}, None),
    ("sync-status", {"catch_up": "off"}, None),
    ("sync-status", {"catch_up": "maybe"},
     "--option catch_up takes yes or no (1 or 0, true or false, on or off), not 'maybe'; nothing was run"),
    ("sync-status", {"bogus": "1"}, "sync-status has no option 'bogus' (its options: catch_up); nothing was run"),
    ("sync-status", {"catchup": "yes"}, "sync-status has no option 'catchup' (its options: catch_up); nothing was run"),
    ("sla-flags", {"catch_up": "yes"}, "sla-flags has no option 'catch_up' (its options: none); nothing was run"),
])
def test_a_run_takes_only_the_options_its_job_knows(job, settings, problem):
    assert options_problem(registry.get_job(job), settings) == problem
