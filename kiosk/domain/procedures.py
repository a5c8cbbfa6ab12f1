"""The procedure catalogue: administrative procedures and their forms, loaded from JSON data.

Each file in ``assets/procedures/`` describes one procedure (see ``docs/procedures.md``).

Errors::

    CatalogueError          a procedure file is unreadable or invalid (names the file and the key)
"""

from __future__ import annotations

import dataclasses
import enum
import json
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "DELIVERY_OPTIONS",
    "SERVICE_LEVELS",
    "Catalogue",
    "CatalogueError",
    "Choice",
    "Condition",
    "Document",
    "FieldType",
    "FormField",
    "LocalText",
    "Procedure",
    "fold_text",
]


class CatalogueError(Exception):
    """A procedure file is broken. IT can fix the named file and key."""


@dataclasses.dataclass(frozen=True, slots=True)
class LocalText:
    """A text in Vietnamese and English (data, not UI chrome: the UI chrome uses Qt translations)."""

    vi: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.vi


class FieldType(enum.Enum):
    TEXT = "text"
    ID12 = "id12"
    PHONE = "phone"
    EMAIL = "email"
    DATE = "date"
    CHOICE = "choice"
    NUMBER = "number"
    YESNO = "yesno"
    ADDRESS = "address"  # province + commune of the current two-level units (kiosk.domain.addresses)
    ATTACHMENT = "attachment"  # the id of a document photo taken at the kiosk


SERVICE_LEVELS = ("toan_trinh", "mot_phan")  # fully online / partly online (some step in person)
DELIVERY_OPTIONS = ("counter", "post", "electronic")


@dataclasses.dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: LocalText


@dataclasses.dataclass(frozen=True, slots=True)
class Condition:
    """Show a field only when another (earlier) field's answer is one of ``values`` (JSON:
    ``"equals": "x"`` or ``"in": ["x", "y"]``)."""

    field: str
    values: tuple[str, ...]

    def matches(self, answer: str) -> bool:
        return answer in self.values


@dataclasses.dataclass(frozen=True, slots=True)
class Document:
    """One item of the dossier (thành phần hồ sơ).

    ``held_by_national_db``: the national databases (population, civil status, ...) already hold it,
    so the citizen need not bring it. ``get()`` keeps the old ``LocalText`` interface for the UI.
    """

    name: LocalText
    held_by_national_db: bool = False
    required: bool = True
    note: LocalText | None = None

    def get(self, language: str) -> str:
        return self.name.get(language)

    @property
    def vi(self) -> str:
        return self.name.vi

    @property
    def en(self) -> str:
        return self.name.en


@dataclasses.dataclass(frozen=True, slots=True)
class FormField:
    """One question on a form.

    ``prefill`` names an identity attribute (``identity.full_name``) whose value fills the field.
    ``minimum``/``maximum`` bound numbers; for dates they are offsets in days from today.
    ``group``: consecutive fields with the same key are asked on one page of the form (things a
    person answers together, like a licence's number and class).
    """

    id: str
    type: FieldType
    label: LocalText
    required: bool = True
    help: LocalText | None = None
    prefill: str | None = None
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 200
    visible_if: Condition | None = None
    group: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Procedure:
    code: str
    code_verified: bool
    name: LocalText
    category: str
    agency: LocalText
    service_level: str
    fee_vnd: int
    processing_days: int
    fields: tuple[FormField, ...]
    documents: tuple[Document, ...] = ()
    delivery: tuple[str, ...] = ("counter",)
    source: str | None = None
    source_note: str | None = None
    agency_note: str | None = None
    fee_note: LocalText | None = None
    processing_time: LocalText | None = None

    @property
    def documents_to_bring(self) -> tuple[Document, ...]:
        """What the citizen must still bring or photograph (the databases do not hold it)."""
        return tuple(d for d in self.documents if not d.held_by_national_db)

    def field(self, field_id: str) -> FormField:
        for field in self.fields:
            if field.id == field_id:
                return field
        raise KeyError(field_id)


def fold_text(text: str) -> str:
    """Lower-case and strip diacritics (đ -> d) so "doi giay phep" finds "Đổi giấy phép"."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class _Reader:
    """Reads typed values out of a JSON object, naming the file and key on error."""

    def __init__(self, source: str, data: Any, where: str = "") -> None:
        if not isinstance(data, Mapping):
            raise CatalogueError(f"{source}: {where or 'top level'} must be an object")
        self.source, self.data, self.where = source, data, where

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.data:
            if default is ...:
                raise CatalogueError(f"{self.source}: missing key '{self._name(key)}'")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind in (int, float):
            raise CatalogueError(f"{self.source}: key '{self._name(key)}' has the wrong type")
        return value

    def text(self, key: str, optional: bool = False) -> LocalText | None:
        raw = self.get(key, dict, None if optional else ...)
        if raw is None:
            return None
        sub = _Reader(self.source, raw, self._name(key))
        return LocalText(vi=sub.get("vi", str), en=sub.get("en", str))

    def sub(self, data: Any, where: str) -> _Reader:
        return _Reader(self.source, data, self._name(where))


def _parse_field(reader: _Reader) -> FormField:
    try:
        ftype = FieldType(reader.get("type", str))
    except ValueError:
        raise CatalogueError(f"{reader.source}: unknown field type at '{reader.where}.type'") from None
    choices = tuple(
        Choice(value=c.get("value", str), label=c.text("label"))  # type: ignore[arg-type]
        for i, raw in enumerate(reader.get("choices", list, []))
        for c in [reader.sub(raw, f"choices[{i}]")]
    )
    if ftype is FieldType.CHOICE and not choices:
        raise CatalogueError(f"{reader.source}: choice field '{reader.where}' has no choices")
    return FormField(
        id=reader.get("id", str),
        type=ftype,
        label=reader.text("label"),  # type: ignore[arg-type]
        required=reader.get("required", bool, True),
        help=reader.text("help", optional=True),
        prefill=reader.get("prefill", str, None),
        choices=choices,
        minimum=reader.get("min", (int, float), None),
        maximum=reader.get("max", (int, float), None),
        max_length=reader.get("max_length", int, 200),
        visible_if=_parse_condition(reader),
        group=_parse_group(reader),
    )


def _parse_group(reader: _Reader) -> str | None:
    group = reader.get("group", str, None)
    if group is not None and not group.strip():
        raise CatalogueError(f"{reader.source}: key '{reader.where}.group' must not be empty")
    return group


def _parse_condition(reader: _Reader) -> Condition | None:
    raw = reader.get("visible_if", dict, None)
    if raw is None:
        return None
    sub = reader.sub(raw, "visible_if")
    one_of = sub.get("in", list, None)
    if one_of is None:
        return Condition(field=sub.get("field", str), values=(sub.get("equals", str),))
    if not one_of or not all(isinstance(value, str) for value in one_of):
        raise CatalogueError(f"{reader.source}: key '{reader.where}.visible_if.in' must be a "
                             f"non-empty list of strings")
    return Condition(field=sub.get("field", str), values=tuple(one_of))


def _parse_document(reader: _Reader) -> Document:
    return Document(
        name=reader.text("name"),  # type: ignore[arg-type]
        held_by_national_db=reader.get("held_by_national_db", bool, False),
        required=reader.get("required", bool, True),
        note=reader.text("note", optional=True),
    )


def _check_conditions(source: str, fields: tuple[FormField, ...]) -> None:
    """A condition must name an earlier field (so there are no cycles) and, for a choice, a real value."""
    seen: dict[str, FormField] = {}
    for field in fields:
        cond = field.visible_if
        if cond is not None:
            target = seen.get(cond.field)
            if target is None:
                raise CatalogueError(f"{source}: field '{field.id}' is visible_if an unknown or later "
                                     f"field '{cond.field}'")
            allowed = {c.value for c in target.choices} if target.type is FieldType.CHOICE else None
            if target.type is FieldType.YESNO:
                allowed = {"yes", "no"}
            wrong = [value for value in cond.values if allowed is not None and value not in allowed]
            if wrong:
                raise CatalogueError(f"{source}: field '{field.id}' is visible_if '{cond.field}' equals "
                                     f"'{wrong[0]}', which is not one of its values")
        seen[field.id] = field


def _parse_procedure(source: str, data: Any) -> Procedure:
    r = _Reader(source, data)
    fields = tuple(
        _parse_field(r.sub(raw, f"fields[{i}]")) for i, raw in enumerate(r.get("fields", list))
    )
    ids = [f.id for f in fields]
    if len(set(ids)) != len(ids):
        raise CatalogueError(f"{source}: two fields share an id")
    _check_conditions(source, fields)
    service_level = r.get("service_level", str)
    if service_level not in SERVICE_LEVELS:
        raise CatalogueError(f"{source}: key 'service_level' must be one of {', '.join(SERVICE_LEVELS)}")
    delivery = tuple(r.get("delivery", list, ["counter"]))
    if not delivery or any(d not in DELIVERY_OPTIONS for d in delivery):
        raise CatalogueError(f"{source}: key 'delivery' must list some of {', '.join(DELIVERY_OPTIONS)}")
    return Procedure(
        code=r.get("code", str),
        code_verified=r.get("code_verified", bool, False),
        name=r.text("name"),  # type: ignore[arg-type]
        category=r.get("category", str),
        agency=r.text("agency"),  # type: ignore[arg-type]
        service_level=service_level,
        fee_vnd=r.get("fee_vnd", int),
        processing_days=r.get("processing_days", int),
        fields=fields,
        documents=tuple(
            _parse_document(r.sub(raw, f"documents[{i}]"))
            for i, raw in enumerate(r.get("documents", list, []))
        ),
        delivery=delivery,
        source=r.get("source", str, None),
        source_note=r.get("source_note", str, None),
        agency_note=r.get("agency_note", str, None),
        fee_note=r.text("fee_note", optional=True),
        processing_time=r.text("processing_time", optional=True),
    )


@dataclasses.dataclass(frozen=True)
class Catalogue:
    procedures: tuple[Procedure, ...]

    @classmethod
    def load(cls, folder: Path) -> Catalogue:
        files = sorted(Path(folder).glob("*.json"))
        if not files:
            raise CatalogueError(f"{folder}: no procedure files (*.json) found")
        procedures = []
        for path in files:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise CatalogueError(f"{path.name}: cannot read it as JSON ({exc})") from exc
            procedures.append(_parse_procedure(path.name, data))
        return cls.from_procedures(procedures)

    @classmethod
    def from_procedures(cls, procedures: Iterable[Procedure]) -> Catalogue:
        items = tuple(procedures)
        codes = [p.code for p in items]
        if len(set(codes)) != len(codes):
            raise CatalogueError("two procedure files share a procedure code")
        return cls(items)

    def get(self, code: str) -> Procedure:
        for procedure in self.procedures:
            if procedure.code == code:
                return procedure
        raise KeyError(code)

    def categories(self) -> list[str]:
        """Category keys in first-seen order (the UI words them)."""
        return list(dict.fromkeys(p.category for p in self.procedures))

    def in_category(self, category: str) -> list[Procedure]:
        return [p for p in self.procedures if p.category == category]

    def search(self, query: str) -> list[Procedure]:
        """Procedures whose name (either language) or code contains every word of ``query``."""
        words = fold_text(query).split()
        found = []
        for p in self.procedures:
            haystack = fold_text(f"{p.name.vi} {p.name.en} {p.code}")
            if all(word in haystack for word in words):
                found.append(p)
        return found
