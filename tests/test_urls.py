"""URL canonical forms (auditor.network.urls.normalize): one spelling per resource, never two resources as one."""
from __future__ import annotations

import pytest

from auditor.network.urls import normalize


@pytest.mark.parametrize("a, b", [
    ("http://www.example.gov.cn/政务/x.html", "http://www.example.gov.cn/%E6%94%BF%E5%8A%A1/x.html"),
    ("HTTP://WWW.EXAMPLE.GOV.CN:80/a", "http://www.example.gov.cn/a"),
    ("http://www.example.gov.cn/a%2fb", "http://www.example.gov.cn/a%2Fb"),
    ("http://www.example.gov.cn/a?b=2&a=1#top", "http://www.example.gov.cn/a?a=1&b=2"),
])
def test_spellings_of_one_resource_are_one(a, b):
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize("a, b", [
    # An encoded slash is part of a path segment, not a separator (a TRS download path, an id).
    ("http://www.example.gov.cn/a%2Fb/c", "http://www.example.gov.cn/a/b/c"),
    ("http://www.example.gov.cn/a", "https://www.example.gov.cn/a"),
    ("http://www.example.gov.cn/list?page=2", "http://www.example.gov.cn/list?page=3"),
])
def test_different_resources_stay_apart(a, b):
    assert normalize(a) != normalize(b)


def test_not_crawlable_is_none():
    assert normalize("javascript:void(0)") is None
    assert normalize("mailto:x@example.gov.cn") is None
