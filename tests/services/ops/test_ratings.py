"""Satisfaction ratings are kept without personal data (the day, the procedure, the score) in a
real SQLite file, counted by day in Vietnam time, and refuse what is not a rating."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from kiosk.services.ops.ratings import RatingError, RatingStore, RatingStoreError

# 2026-11-27 23:30 in Vietnam is 16:30 UTC; half an hour later it is the 28th there
LATE_EVENING = dt.datetime(2026, 11, 27, 16, 30, tzinfo=dt.UTC).timestamp()


def test_ratings_are_counted_by_day_and_score(tmp_path):
    now = [LATE_EVENING]
    store = RatingStore(tmp_path / "ratings.sqlite3", clock=lambda: now[0])
    for score in (3, 3, 2, 1):
        store.record("3.000347", score)
    day = store.summary()
    assert day.day == dt.date(2026, 11, 27) and day.counts == {3: 2, 2: 1, 1: 1}
    assert day.total == 4 and day.average == pytest.approx(2.25)
    now[0] += 3600  # past midnight in Vietnam: a new day
    assert store.summary().total == 0 and store.summary().average is None
    assert store.summary(dt.date(2026, 11, 27)).total == 4
    store.close()


def test_nothing_personal_is_kept(tmp_path):
    path = tmp_path / "ratings.sqlite3"
    store = RatingStore(path, clock=lambda: LATE_EVENING)
    store.record("1.001193", 2)
    store.close()
    with sqlite3.connect(path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(rating)")]
        rows = conn.execute("SELECT * FROM rating").fetchall()
    assert columns == ["day", "procedure", "score"] and rows == [("2026-11-27", "1.001193", 2)]


@pytest.mark.parametrize("code, score", [("3.000347", 0), ("3.000347", 4), ("3.000347", "3"),
                                         ("H12.22.10-261127-0001", 3), ("", 2)])
def test_only_a_score_of_the_scale_for_a_procedure_code(tmp_path, code, score):
    store = RatingStore(tmp_path / "ratings.sqlite3")
    with pytest.raises(RatingError):
        store.record(code, score)
    store.close()


def test_a_damaged_file_says_so(tmp_path):
    path = tmp_path / "ratings.sqlite3"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(RatingStoreError, match="ratings file .* cannot be opened"):
        RatingStore(path)
