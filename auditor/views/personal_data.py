"""Personal data in published pages: 居民身份证号码 (GB 11643) and mainland mobile numbers.

One compiled pattern finds the candidates in a page's text; each is verified
cheaply (check digit, birth date, province prefix; context for mobiles). Whatever
is reported goes through :func:`mask_text`: a full number never reaches the report.
"""
from __future__ import annotations

import re
from datetime import date

from auditor.views.page_text import PROVINCE_PREFIXES

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Runs of 11+ digits (an ID may end in X): the one cheap regex pass per page. Which runs
# are candidates is decided in Python: an 18-character ID (17 digits + digit/X) or an
# 11-digit mobile (1[3-9] + 9 digits, or +86 before it), neither inside a longer run of
# digits or letters. (Lookbehinds in the pattern made it 7x slower.)
_RUN = re.compile(r"[0-9]{11,}[0-9Xx]?")
_MOBILE = re.compile(r"1[3-9]\d{9}")


def candidates(text: str):
    """(kind, number, start, end) for each ID-like and mobile-like run in ``text``."""
    for m in _RUN.finditer(text):
        start, end = m.span()
        if start and (text[start - 1].isascii() and text[start - 1].isalnum()):
            continue
        if end < len(text) and text[end].isascii() and text[end].isalnum():
            continue
        run = m.group(0)
        if len(run) == 18 and run[0] != "0" and run[:17].isdigit():
            yield "id", run, start, end
        elif len(run) == 11 and _MOBILE.fullmatch(run):
            yield "mobile", run, start, end
        elif len(run) == 13 and run.startswith("86") and text[max(0, start - 1):start] == "+" \
                and _MOBILE.fullmatch(run[2:]):
            yield "mobile", run[2:], start + 2, end


_FULLWIDTH_DIGIT = re.compile("[\uff10-\uff19]")
_LONG_RUN = re.compile(r"(?<![0-9])\d{11,}[Xx]?(?![0-9])")
# Words before an 18-digit number that make it a code, not a person's ID.
_ID_NOT_PERSON = re.compile(r"(?:信用代码|统一代码|索引号|编号|登记号|流水号|订单号|文号|批准号|证书号|代码)\s*[:：]?\s*$")
# An area code and a hyphen before 1…: part of a landline or extension, not a mobile.
_AREA_CODE = re.compile(r"0\d{2,3}[-－—]\s*$")


def id_valid(number: str, as_of: date | None = None) -> bool:
    """GB 11643 check digit, a real birth date (1900 .. as_of, age <= 120), a province prefix."""
    if len(number) != 18 or number[:2] not in PROVINCE_PREFIXES:
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    today = as_of or date.today()
    if born > today or born.year < 1900 or today.year - born.year > 120:
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def mask_id(number: str) -> str:
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_mobile(number: str) -> str:
    return number[:3] + "****" + number[-4:]


def _mask_run(m: re.Match) -> str:
    run = m.group(0)
    if len(run) == 11:
        return mask_mobile(run)
    if len(run) >= 15:
        return mask_id(run)
    return run[:3] + "*" * (len(run) - 7) + run[-4:]


def mask_text(text: str) -> str:
    """Every run of 11 or more digits masked (IDs as 370102********2310, mobiles as 138****2468)."""
    return _LONG_RUN.sub(_mask_run, text)


def fold_digits(text: str) -> str:
    """Full-width digits (１３８…) to ASCII, only when the text has any."""
    if _FULLWIDTH_DIGIT.search(text):
        return text.translate({0xFF10 + i: 0x30 + i for i in range(10)})
    return text


def contact_pattern(labels: list[str]) -> re.Pattern:
    """A contact label shortly before a number, with no digit between: "联系电话：138…",
    "联系人：王科长，手机：138…", "服务热线138…". (A table header is usually followed by a row
    number or other cells with digits before the first phone number: those stay leaks.)"""
    alt = "|".join(re.escape(l) for l in sorted(labels, key=len, reverse=True) if l)
    return re.compile(rf"(?:{alt})[^\d]{{0,16}}$")


# Phone numbers a label may list before this one (a landline, an extension, another mobile).
_PHONE = re.compile(r"(?:[(（]?0\d{2,3}[)）]?[-－—]?)?\d{7,8}(?:[-－—转]\d{1,6})?|1[3-9]\d{9}")
_SPACE = re.compile(r"[\s\u3000\xa0]+")


def citizen_pattern(labels: list[str]) -> re.Pattern | None:
    """A label naming a private person (申请人, 补助对象, 受助人 …) shortly before a number.
    "联系人…" is an office's contact, not a citizen."""
    words = [l for l in labels if l]
    if not words:
        return None
    alt = "|".join(re.escape(l) for l in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!联系人)(?:{alt})")


def is_published_contact(before: str, contact: re.Pattern, citizen: re.Pattern | None) -> bool:
    """A number published as an official contact: a contact label before it ("联 系 人：王老师
    联系电话：0531-88881234、138…", spaces folded, the other numbers the label lists skipped),
    and no private person named just before it (申请人：张某 联系电话：138… is that person's)."""
    compacted = _SPACE.sub("", before)
    if citizen is not None and citizen.search(compacted):
        return False
    return bool(contact.search(_PHONE.sub("", compacted)))


def not_person_id(before: str) -> bool:
    return bool(_ID_NOT_PERSON.search(before))


def after_area_code(before: str) -> bool:
    return bool(_AREA_CODE.search(before))
