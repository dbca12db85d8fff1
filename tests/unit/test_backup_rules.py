"""Backups: names, which old ones go, whether one is whole."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.domain.backups import backup_name, backups_to_remove, is_backup_name, manifest_problems


def test_a_backup_is_named_by_its_utc_time():
    bangkok = timezone(timedelta(hours=7))
    assert backup_name(datetime(2026, 11, 24, 14, 30, 5, tzinfo=bangkok)) == "rueang-20261124T073005Z"


@pytest.mark.parametrize("name, ours", [("rueang-20261124T073005Z", True), ("rueang-20261124T073005Z.tmp", False),
                                        (".rueang-20261124T073005Z.partial", False), ("notes", False)])
def test_which_names_are_backups(name, ours):
    assert is_backup_name(name) is ours


@pytest.mark.parametrize("names, keep, removed", [
    (["rueang-20260101T000000Z", "rueang-20260103T000000Z", "rueang-20260102T000000Z"], 2, ["rueang-20260101T000000Z"]),
    (["rueang-20260101T000000Z"], 1, []),
    (["rueang-20260101T000000Z", "notes", ".rueang-20260102T000000Z.partial"], 1, []),
    ([], 3, []),
])
def test_the_oldest_beyond_keep_go(names, keep, removed):
    assert backups_to_remove(names, keep) == removed


def test_keeping_none_is_refused():
    with pytest.raises(ValueError):
        backups_to_remove(["rueang-20260101T000000Z"], 0)


@pytest.mark.parametrize("manifest, digests, problems", [
    ({"files": {"a": "1", "b": "2"}}, {"a": "1", "b": "2"}, []),
    ({"files": {"a": "1", "b": "2"}}, {"a": "1", "b": None}, ["b is missing"]),
    ({"files": {"a": "1"}}, {"a": "9"}, ["a does not match its checksum"]),
    ({"files": {}}, {}, ["the manifest lists no files"]),
    ({}, {}, ["the manifest lists no files"]),
])
def test_a_backup_is_whole_when_every_file_matches(manifest, digests, problems):
    assert manifest_problems(manifest, digests) == problems
