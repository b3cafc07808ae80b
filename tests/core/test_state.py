"""core.state.Machine: the table decides, one refusal refuses all, repeats are skipped
(or refused when the machine says so)."""

from dataclasses import dataclass

import pytest

from core.state import Machine, TransitionRefused

TABLE = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset()}


@dataclass
class Row:
    pk: int
    status: str


def _machine(**kwargs):
    return Machine(TABLE, label=str.upper, **kwargs)


def test_a_move_in_the_table_changes_the_row_and_calls_on_change():
    # given
    rows, seen = [Row(1, "a"), Row(2, "a")], []
    # when
    changes = _machine().move_locked(rows, "b", on_change=lambda r, f, t: seen.append((r.pk, f, t)))
    # then
    assert [r.status for r in rows] == ["b", "b"]
    assert seen == [(1, "a", "b"), (2, "a", "b")] and len(changes) == 2


def test_one_refused_row_refuses_all_and_changes_none():
    # given
    rows = [Row(1, "a"), Row(2, "c")]
    # when
    with pytest.raises(TransitionRefused, match="当前为“C”，不能变为“B”"):
        _machine().move_locked(rows, "b")
    # then
    assert [r.status for r in rows] == ["a", "c"]


def test_a_row_already_there_is_skipped_unless_the_machine_refuses_repeats():
    assert _machine().move_locked([Row(1, "b")], "b") == []
    with pytest.raises(TransitionRefused):
        _machine(repeatable=False).move_locked([Row(1, "b")], "b")


def test_a_callable_target_moves_each_row_its_own_way():
    # given
    rows = [Row(1, "a"), Row(2, "b")]
    # when
    _machine().move_locked(rows, lambda row: {"a": "b", "b": "c"}[row.status])
    # then
    assert [r.status for r in rows] == ["b", "c"]
