"""Backups: names, which old ones go, which unfinished ones are abandoned, whether one is whole."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.domain.backups import (
    abandoned_partials, backup_name, backups_to_remove, is_backup_name, is_partial_name, manifest_problems,
    partial_name, unsafe_file_name,
)


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


@pytest.mark.parametrize("name, partial", [(".rueang-20261124T073005Z.partial", True),
                                           ("rueang-20261124T073005Z", False), (".rueang-x.partial", False),
                                           (".rueang-20261124T073005Z.partial.old", False), (".notes.partial", False)])
def test_which_names_are_unfinished_backups(name, partial):
    assert is_partial_name(name) is partial


def test_a_backup_is_built_under_its_partial_name():
    assert is_partial_name(partial_name("rueang-20261124T073005Z"))


NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
QUIET = timedelta(hours=7)


@pytest.mark.parametrize("last_written, abandoned", [
    ({".rueang-20261123T000000Z.partial": NOW - timedelta(hours=36)}, [".rueang-20261123T000000Z.partial"]),
    # a run going on beside this one: pg_dump may wait that long for its locks
    ({".rueang-20261124T060000Z.partial": NOW - timedelta(hours=6, minutes=59)}, []),
    ({".rueang-20261124T115959Z.partial": NOW - timedelta(seconds=1)}, []),
    # not ours, however old
    ({"rueang-20261101T000000Z": NOW - timedelta(days=20), ".other.partial": NOW - timedelta(days=20),
      "notes": NOW - timedelta(days=20)}, []),
    ({".rueang-20261102T000000Z.partial": NOW - timedelta(days=20),
      ".rueang-20261101T000000Z.partial": NOW - timedelta(days=21)},
     [".rueang-20261101T000000Z.partial", ".rueang-20261102T000000Z.partial"]),
    ({}, []),
])
def test_unfinished_backups_nothing_has_written_to_for_long_are_abandoned(last_written, abandoned):
    assert abandoned_partials(last_written, NOW, QUIET) == abandoned


@pytest.mark.parametrize("name, unsafe", [
    ("database.dump", False), ("uploads.tar.gz", False), ("manifest.json", False),
    ("../outside", True), ("../../../etc/hostname", True), ("/etc/hostname", True), ("sub/file", True),
    ("..\\outside", True), ("..", True), (".", True), ("", True), ("a..b", True), ("nul\0byte", True), (3, True),
])
def test_a_manifest_may_name_only_files_in_the_backups_own_folder(name, unsafe):
    assert unsafe_file_name(name) is unsafe


@pytest.mark.parametrize("manifest, problems", [
    ([], ["the manifest is not a JSON object"]),
    ("files", ["the manifest is not a JSON object"]),
    (None, ["the manifest is not a JSON object"]),
    ({"files": {"database.dump": "1", "../../etc/hostname": "2"}},
     ["the manifest names files outside the backup: '../../etc/hostname'"]),
])
def test_a_manifest_that_is_not_an_object_or_points_outside_is_refused(manifest, problems):
    assert manifest_problems(manifest, {"database.dump": "1", "../../etc/hostname": "2"}) == problems
