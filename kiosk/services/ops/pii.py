"""Patterns for the personal data that must never reach logs, audit lines or metrics labels.

Why patterns and not only structured fields: log messages and exception texts are free text that
may quote a payload (a portal error, a library's repr). Redaction errs on the side of removing too
much: a street called "Lê Lợi" is redacted like a person called Lê Lợi, which costs nothing.
Covered: 12-digit CCCD numbers, 9-digit old CMND numbers, Vietnamese phone numbers (0..., 84...,
+84..., with spaces, dots or dashes), e-mail addresses, names that start with a common Vietnamese
surname (accented or not, any case), addresses (house numbers followed by a name, and the
administrative words phường/xã/quận/huyện/... with what follows them), and the values of keys such
as ``full_name`` or ``residence`` in a dict's repr or JSON.
"""

from __future__ import annotations

import re

__all__ = ["MASK", "contains_personal_data", "redact"]

MASK = "[REDACTED]"

# Every upper-case letter of the Latin blocks Vietnamese uses (Python's re has no \p{Lu}).
_UPPER = "".join(chr(c) for c in range(0x41, 0x1EFF) if chr(c).isupper() and chr(c).isalpha())
_WORD = rf"[{re.escape(_UPPER)}][^\W\d_]*"

_SURNAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương "
    "Trịnh Trương Lâm Mai Đinh Lương Lưu Cao Tạ Hà Quách Thái Tô Châu Kiều Triệu Lò Hoàng Lục "
    "Nông Sầm Mạc Tăng Văn Đàm Khổng Giang Tôn Thân Chu Âu "
    "Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Dao Doan Vuong Trinh "
    "Truong Lam Dinh Luong Luu Ta Quach Thai Chau Kieu Trieu Lo Nong Sam Mac Tang Dam Ton Than"
).split()
_SURNAME = "(?:" + "|".join(sorted({re.escape(s) for s in _SURNAMES}, key=len, reverse=True)) + ")"

_SENSITIVE_KEYS = (r"full_?name|name|holder|applicant_name|residence|address|origin|hometown|"
                   r"place_of_origin|id_number|old_id_number|cccd|cmnd|phone|mobile|email|"
                   r"date_of_birth|dob|birth_date|father|mother|spouse|pin")
_ADMIN_WORDS = (r"số nhà|thôn|ấp|bản|buôn|tổ dân phố|tổ|khu phố|khóm|ngõ|ngách|hẻm|kiệt|đường|"
                r"phố|phường|xã|thị trấn|quận|huyện|thị xã|tỉnh|thành phố|tp\.|p\.|q\.|"
                r"street|ward|district|province|hamlet|commune|village")

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # key: 'value' / "key": "value" / key=value in reprs, JSON and query strings
    (re.compile(rf"""(?ix)(['"]?\b(?:{_SENSITIVE_KEYS})['"]?\s*[:=]\s*)
                      (?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|(?:(?!\s+\w+[:=])[^,;}}\])\n])+)"""),
     rf"\1{MASK}"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), MASK),
    (re.compile(r"(?<![\w+])(?:\+\s?84|0084|84|0)[\s.-]?(?:[35789]|2\d)(?:[\s.-]?\d){8}(?!\d)"),
     MASK),
    (re.compile(r"(?<!\d)\d{12}(?!\d)"), MASK),
    (re.compile(r"(?<!\d)\d{9}(?!\d)"), MASK),
    (re.compile(rf"(?i:(?<![^\W\d_]){_SURNAME})(?![^\W\d_])(?:[ \t]+{_WORD}){{1,4}}"), MASK),
    (re.compile(rf"(?i)(?<![^\W\d_])(?:{_ADMIN_WORDS})(?![^\W\d_])[ \t]*[^,;\n\"'()\[\]{{}}]{{1,60}}"),
     MASK),
    (re.compile(rf"(?<![\w-])\d{{1,4}}[A-Za-z]?(?:/\d{{1,4}})*(?:[ \t]+{_WORD}){{1,4}}"), MASK),
]


def redact(text: str) -> str:
    """The text with every piece that looks like personal data replaced by ``[REDACTED]``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def contains_personal_data(text: str) -> bool:
    return redact(text) != text
