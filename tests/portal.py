"""A county portal of ~3,000 pages, generated on the fly and served on loopback.

Modelled on the EmpireCMS county portals where a breadth-first crawl went wrong: the
homepage opens with dozens of headline articles, every article carries a sidebar of
related articles, lists are paginated (下一页, index_2.html), and the pages the checks
need — the 领导信箱 column under 互动交流 with its 我要写信 page, the 政府信息公开指南
and the 年度报告 column under 信息公开 — sit three clicks deep.

``portal_routes()`` gives a LoopbackSite route table; ``SECTIONS`` and ``WANTED`` say
what a crawl should reach.
"""
from __future__ import annotations

import zlib

from servers import Response, page

# (section, name, [(column, name)])
SECTIONS = [
    ("xwzx", "新闻中心", [("ywdt", "要闻动态"), ("bmdt", "部门动态"), ("xzdt", "乡镇动态"), ("tpxw", "图片新闻"),
                       ("mtjj", "媒体聚焦"), ("spxw", "视频新闻")]),
    ("zwgk", "政务公开", [("tzgg", "通知公告"), ("zcwj", "政策文件"), ("zcjd", "政策解读"), ("rsxx", "人事信息"),
                       ("ghjh", "规划计划"), ("czzj", "财政资金")]),
    ("xxgk", "政府信息公开", [("zn", "政府信息公开指南"), ("ml", "政府信息公开目录"), ("ysq", "依申请公开"),
                          ("ndbg", "政府信息公开年度报告"), ("zdly", "重点领域信息公开"), ("jgzn", "机构职能")]),
    ("zwfw", "政务服务", [("bszn", "办事指南"), ("bmfw", "便民服务"), ("ggfw", "公共服务"), ("wsbs", "网上办事"),
                       ("zxbl", "在线办理"), ("bjgs", "办件公示")]),
    ("hdjl", "互动交流", [("ldxx", "领导信箱"), ("zxzx", "在线咨询"), ("zjdc", "征集调查"), ("zxft", "在线访谈"),
                       ("hygq", "回应关切"), ("xjxd", "信件选登")]),
    ("ztzl", "专题专栏", [("yshj", "优化营商环境"), ("xczx", "乡村振兴"), ("aqsc", "安全生产"), ("szzf", "数字政府"),
                       ("wmcj", "文明创建"), ("hzzl", "河长制")]),
    ("zjxq", "走进本县", [("xqgk", "县情概况"), ("lsyg", "历史沿革"), ("zrdl", "自然地理"), ("jjfz", "经济发展"),
                       ("lyzy", "旅游资源"), ("rwfq", "人文风情")]),
    ("bmxz", "部门乡镇", [("bmwz", "部门网站"), ("xzwz", "乡镇网站"), ("bmxx", "部门信息"), ("xzxx", "乡镇信息"),
                       ("jcgk", "基层公开"), ("cwgk", "村务公开")]),
]
ARTICLES_PER_COLUMN = 60
PER_LIST = 20
HEADLINES = 60
RELATED = 12
# The pages the checks need: a crawl that misses them judges a channel or a guide "missing".
WANTED = {"/hdjl/ldxx/xjx.html": "我要写信", "/xxgk/zn/index.html": "政府信息公开指南",
          "/xxgk/ndbg/index.html": "政府信息公开年度报告", "/hdjl/ldxx/index.html": "领导信箱"}


def _article(sec: str, col: str, i: int) -> str:
    return f"/{sec}/{col}/2024{(i % 12) + 1:02d}/t2024{(i % 12) + 1:02d}{(i % 28) + 1:02d}_{i:05d}.html"


def _all_articles() -> list[tuple[str, str, int]]:
    return [(s, c, i) for s, _n, cols in SECTIONS for c, _cn in cols for i in range(ARTICLES_PER_COLUMN)]


def _nav() -> str:
    return "<ul class='nav'>" + "".join(f"<li><a href='/{s}/index.html'>{n}</a></li>" for s, n, _c in SECTIONS) + "</ul>"


def _footer() -> str:
    return ("<div class='footer'>主办单位：示例县人民政府办公室 网站标识码：3307000001 "
            "<a href='/wzdt.html'>网站地图</a> <a href='/lxwm.html'>联系我们</a></div>")


def _related(n: int) -> str:
    arts = _all_articles()
    picks = [arts[(n * 7919 + k * 104729) % len(arts)] for k in range(RELATED)]
    return "<ul class='related'>" + "".join(f"<li><a href='{_article(s, c, i)}'>相关新闻 {s}{c}{i}</a></li>"
                                            for s, c, i in picks) + "</ul>"


def homepage() -> str:
    arts = _all_articles()
    head = "".join(f"<li><a href='{_article(s, c, i)}'>头条新闻 {s}-{c}-{i} 县政府召开专题会议</a></li>"
                   for s, c, i in arts[7::len(arts) // HEADLINES][:HEADLINES])
    return page("示例县人民政府", f"<ul class='headlines'>{head}</ul>{_nav()}{_footer()}")


def section(sec: str) -> str:
    name, cols = next((n, c) for s, n, c in SECTIONS if s == sec)
    links = "".join(f"<li><a href='/{sec}/{c}/index.html'>{cn}</a></li>" for c, cn in cols)
    news = "".join(f"<li><a href='{_article(sec, cols[k % len(cols)][0], k)}'>{name}信息 {k}</a></li>" for k in range(10))
    return page(f"{name}_示例县人民政府", f"{_nav()}<h2>{name}</h2><ul class='cols'>{links}</ul><ul>{news}</ul>{_footer()}")


def column_list(sec: str, col: str, k: int) -> str:
    name = next(cn for s, _n, cols in SECTIONS if s == sec for c, cn in cols if c == col)
    pages = (ARTICLES_PER_COLUMN + PER_LIST - 1) // PER_LIST
    items = "".join(f"<li><a href='{_article(sec, col, i)}'>{name}文章 {i}</a><span>2024-06-{(i % 28) + 1:02d}</span></li>"
                    for i in range((k - 1) * PER_LIST, min(k * PER_LIST, ARTICLES_PER_COLUMN)))
    pager = "".join(f"<a href='{_list_url(sec, col, j)}'>{j}</a>" for j in range(1, pages + 1))
    if k < pages:
        pager += f"<a href='{_list_url(sec, col, k + 1)}'>下一页</a><a href='{_list_url(sec, col, pages)}'>尾页</a>"
    extra = ""
    if (sec, col) == ("hdjl", "ldxx"):
        extra = "<p><a href='/hdjl/ldxx/xjx.html'>我要写信</a></p>"
    return page(f"{name}_示例县人民政府", f"{_nav()}<h2>{name}</h2>{extra}<ul class='list'>{items}</ul>"
                                   f"<div class='pager'>{pager}</div>{_footer()}")


def _list_url(sec: str, col: str, k: int) -> str:
    return f"/{sec}/{col}/index.html" if k == 1 else f"/{sec}/{col}/index_{k - 1}.html"


def article(sec: str, col: str, i: int) -> str:
    n = zlib.crc32(f"{sec}/{col}/{i}".encode()) & 0xFFFF
    body = "<p>" + "县政府召开常务会议，研究部署有关工作。" * 20 + "</p>"
    return page(f"文章 {sec}{col}{i}_示例县人民政府",
                f"{_nav()}<div class='crumb'>首页 > {sec} > {col}</div><h1>文章 {i}</h1>{body}"
                f"{_related(n + i)}{_footer()}")


def route(handler) -> Response:
    path = handler.path.split("?", 1)[0]
    parts = [p for p in path.split("/") if p]
    if path in ("/", "/index.html"):
        return Response(homepage())
    if path == "/robots.txt":
        return Response("User-agent: *\nDisallow:\n", content_type="text/plain")
    if path == "/hdjl/ldxx/xjx.html":
        return Response(page("我要写信_领导信箱", f"{_nav()}<form action='/submit' method='post'>"
                                               f"<textarea name='content'></textarea>留言内容</form>{_footer()}"))
    if path in ("/wzdt.html", "/lxwm.html"):
        return Response(page("网站地图", _nav() + _footer()))
    secs = {s: cols for s, _n, cols in SECTIONS}
    if len(parts) == 2 and parts[0] in secs and parts[1] == "index.html":
        return Response(section(parts[0]))
    if len(parts) == 3 and parts[0] in secs and parts[1] in dict(secs[parts[0]]):
        sec, col, leaf = parts
        if leaf == "index.html":
            return Response(column_list(sec, col, 1))
        if leaf.startswith("index_") and leaf.endswith(".html"):
            k = int(leaf[6:-5]) + 1
            if k <= (ARTICLES_PER_COLUMN + PER_LIST - 1) // PER_LIST:
                return Response(column_list(sec, col, k))
    if len(parts) == 4 and parts[0] in secs and parts[1] in dict(secs[parts[0]]):
        i = int(parts[3].rsplit("_", 1)[-1].split(".")[0])
        if i < ARTICLES_PER_COLUMN:
            return Response(article(parts[0], parts[1], i))
    return Response(page("404", "not found"), 404)


def portal_routes() -> dict:
    return {"*": route}


def page_count() -> int:
    lists = (ARTICLES_PER_COLUMN + PER_LIST - 1) // PER_LIST
    columns = sum(len(c) for _s, _n, c in SECTIONS)
    return 1 + len(SECTIONS) + columns * (lists + ARTICLES_PER_COLUMN) + 3


def column_urls(base: str) -> list[str]:
    return [f"{base}{s}/{c}/index.html" for s, _n, cols in SECTIONS for c, _cn in cols]


def section_urls(base: str) -> list[str]:
    return [f"{base}{s}/index.html" for s, _n, _c in SECTIONS]
