"""The portal's payload validator and procedure loader, fed arbitrary input."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from portal_helpers import BASE_PAYLOAD, PROCEDURES, make_payload

from kiosk.portal.schema import PayloadInvalid, canonical_hash, load_procedures, validate_submission

KNOWN = load_procedures(PROCEDURES)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=15),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=12), kids, max_size=4),
    max_leaves=10,
)


def test_loader_skips_malformed_files() -> None:
    assert sorted(KNOWN) == ["1.001193", "1.004194"]


def test_loader_tolerates_unreadable_json(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{", encoding="utf-8")
    (tmp_path / "b.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "c.json").write_bytes(b"\xff\xfe")
    assert load_procedures(tmp_path) == {}


def test_contract_example_is_valid() -> None:
    assert validate_submission(make_payload(), KNOWN) == BASE_PAYLOAD


@given(json_values)
def test_validator_only_raises_payload_invalid(body: object) -> None:
    try:
        validate_submission(body, KNOWN)
    except PayloadInvalid as exc:
        assert exc.message and isinstance(exc.field, str)


@given(key=st.sampled_from(sorted(BASE_PAYLOAD)), value=json_values)
def test_one_bad_field_is_named_and_never_echoed(key: str, value: object) -> None:
    try:
        validate_submission(make_payload(**{key: value}), KNOWN)
    except PayloadInvalid as exc:
        assert exc.field.split(".")[0] == key
        if isinstance(value, str) and not value.isascii():  # messages are ASCII templates
            assert value not in exc.message


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_canonical_hash_ignores_key_order(obj: dict) -> None:
    reordered = json.loads(json.dumps(dict(reversed(list(obj.items())))))
    assert canonical_hash(obj) == canonical_hash(reordered)
