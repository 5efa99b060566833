#!/usr/bin/env python3
"""Generate a synthetic Chinese government website for benchmarks.

The site imitates what TRS WCM and Hanweb (大汉) sites publish: a homepage, section
landing pages, ~30 columns (栏目) with paginated list pages of 20-40 dated news
links, and articles (文章) of Chinese text with the usual header, navigation,
breadcrumbs, sidebar, friend links and a footer with 主办单位 / 网站标识码 / ICP /
公安备案. Pages are 30-80 KB of markup with ~95 link-like references each; a few
articles carry small pdf/doc/xls attachments; there is a robots.txt, a few CSS/JS
files and a handful of images.

Everything is deterministic for a given ``--pages`` and ``--seed``: the same
arguments give byte-identical files. No date depends on today.

A breadth-first walk from ``/`` reaches every one of the N HTML pages within depth
4; the generator checks this on the link graph it wrote and fails otherwise.

External links (中国政府网, 省政府, 备案系统 …) never leave the machine. By default
(``--external loopback``) they point at a closed port of another loopback address,
``http://127.0.0.2:9/<real host name>/…``, so a crawler that checks them is refused
at once. ``--external invalid`` writes ``http://<real host name>.invalid/…``
instead (RFC 6761: never resolves); it reads more like a real site, but each check
of such a link costs a DNS lookup, and a resolver that drops some of 16 concurrent
lookups adds a 5 s stall to the run.

Hanweb-style list pages are paginated with ``index.html?uid=…&pageNum=K``; a static
server must map that query to the file ``page_K.html`` next to ``index.html``
(benchmarks/run.py writes the nginx rewrite for it).

Usage::

    python3 benchmarks/generate_site.py --pages 2000 --out benchmarks/site/n2000 --seed 1
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import sys
import zlib
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from pathlib import Path

GENERATOR_VERSION = 4
SITE_NAME = "江临市人民政府"
SITE_CODE = "3307000001"
ICP = "浙ICP备05012345号-1"
GA = "浙公网安备 33070202000123号"
GA_CODE = "33070202000123"
BASE_DATE = date(2024, 12, 31)
MAX_DEPTH = 4

# (section code, section name, [(column code, column name, style)])
SECTIONS = [
    ("xwzx", "新闻中心", [
        ("jlyw", "江临要闻", "trs"), ("bmdt", "部门动态", "trs"), ("qxdt", "区县动态", "trs"),
        ("mtgz", "媒体关注", "trs"), ("tpxw", "图片新闻", "trs"),
    ]),
    ("zwgk", "政务公开", [
        ("tzgg", "通知公告", "trs"), ("zcwj", "政策文件", "trs"), ("zcjd", "政策解读", "trs"),
        ("rsxx", "人事信息", "trs"), ("ghjh", "规划计划", "trs"), ("tjsj", "统计数据", "trs"),
        ("czzj", "财政资金", "trs"), ("jyta", "建议提案办理", "trs"),
    ]),
    ("zwfw", "政务服务", [
        ("bszn", "办事指南", "trs"), ("bmfw", "便民服务", "trs"), ("ggfw", "公共服务", "trs"),
    ]),
    ("hdjl", "互动交流", [
        ("zjdc", "征集调查", "hanweb"), ("zxft", "在线访谈", "hanweb"),
        ("hygq", "回应关切", "hanweb"), ("xxxx", "信件选登", "hanweb"),
    ]),
    ("ztzl", "专题专栏", [
        ("yshj", "优化营商环境", "trs"), ("xczx", "乡村振兴", "trs"), ("aqsc", "安全生产", "trs"),
        ("szzf", "数字政府", "trs"),
    ]),
]
STATIC_PAGES = [
    ("/gybw.html", "关于本网"), ("/wzdt.html", "网站地图"), ("/lxwm.html", "联系我们"),
    ("/yssm.html", "隐私声明"), ("/syb.html", "使用帮助"), ("/wza.html", "无障碍说明"),
    ("/zwgk/ldxx.html", "领导信息"), ("/zwgk/jgzn.html", "机构职能"),
]
EXTERNAL = [
    ("http://www.gov.cn.invalid/", "中国政府网"), ("http://www.zj.gov.cn.invalid/", "浙江省人民政府"),
    ("http://www.hz.gov.cn.invalid/", "杭州市人民政府"), ("http://www.nb.gov.cn.invalid/", "宁波市人民政府"),
    ("http://www.wenzhou.gov.cn.invalid/", "温州市人民政府"), ("http://www.jiaxing.gov.cn.invalid/", "嘉兴市人民政府"),
    ("http://www.huzhou.gov.cn.invalid/", "湖州市人民政府"), ("http://www.sx.gov.cn.invalid/", "绍兴市人民政府"),
    ("http://www.jinhua.gov.cn.invalid/", "金华市人民政府"), ("http://www.qz.gov.cn.invalid/", "衢州市人民政府"),
    ("http://www.zhoushan.gov.cn.invalid/", "舟山市人民政府"), ("http://www.zjtz.gov.cn.invalid/", "台州市人民政府"),
    ("http://www.lishui.gov.cn.invalid/", "丽水市人民政府"), ("http://www.zjzwfw.gov.cn.invalid/", "浙江政务服务网"),
]
BEIAN_URL = "http://beian.miit.gov.cn.invalid/"
GA_URL = f"http://www.beian.gov.cn.invalid/portal/registerSystemInfo?recordcode={GA_CODE}"
CONAC_URL = "http://bszs.conac.cn.invalid/sitename?method=show&id=5A3C1E2B9D7F4A10"
JIUCUO_URL = f"http://zfwzgl.www.gov.cn.invalid/exposure/jiucuo.html?site_code={SITE_CODE}"

DEPTS = ["市政府办公室", "市发展改革委", "市教育局", "市科技局", "市经信局", "市公安局", "市民政局",
         "市司法局", "市财政局", "市人力社保局", "市自然资源和规划局", "市生态环境局", "市住建局",
         "市交通运输局", "市水利局", "市农业农村局", "市商务局", "市文化广电旅游局", "市卫生健康委",
         "市应急管理局", "市审计局", "市市场监管局", "市统计局", "市医保局", "市大数据局", "市信访局",
         "市退役军人事务局", "市综合行政执法局", "市机关事务局", "市国资委"]
TOPICS = ["优化营商环境", "乡村振兴", "安全生产", "生态环境保护", "数字政府建设", "民生实事项目",
          "高质量发展", "招商引资", "城市更新", "基层治理", "防汛防台", "就业创业", "养老服务体系",
          "义务教育优质均衡", "医疗卫生服务", "食品安全", "消防安全", "文明城市创建", "科技创新",
          "重大项目建设", "政务服务“一网通办”", "“最多跑一次”改革", "财政预算管理", "审计整改",
          "河湖长制", "垃圾分类", "老旧小区改造", "住房保障", "交通综合治理", "共同富裕示范区建设",
          "耕地保护", "森林防火", "数字经济", "人才引进", "知识产权保护", "消费帮扶", "污染防治攻坚",
          "信访积案化解", "扫黑除恶常态化", "退役军人服务保障"]
ACTIONS = ["召开", "部署", "推进", "开展", "落实", "加强", "深化", "调研", "督导", "启动", "完成",
           "举办", "组织", "研究", "推动"]
DOC_TITLES = [
    "关于印发《{t}实施方案》的通知", "关于进一步加强{t}工作的通知", "关于公布{y}年度{t}名单的公告",
    "{y}年{t}工作要点", "关于{t}有关情况的通报", "关于征求《{t}若干措施（征求意见稿）》意见的公告",
    "{d}关于{t}的实施意见", "关于做好{y}年{t}工作的通知", "《{t}三年行动计划》政策解读",
    "{d}{y}年{t}工作总结", "关于{t}专项资金安排情况的公示", "{d}召开{t}工作推进会",
    "市政府常务会议研究{t}工作", "{d}赴基层调研{t}工作", "我市{t}工作取得新成效",
    "{t}新闻发布会在我市举行", "{d}部署{t}工作", "关于{t}的答复", "关于开展{t}专项检查的通知",
]
SENTENCES = [
    "{date}，{d}{a}{t}工作会议，总结前一阶段工作，分析当前形势，部署下一步重点任务。",
    "会议强调，要坚持以人民为中心的发展思想，{a}{t}，切实把各项决策部署落到实处。",
    "会议要求，各地各部门要进一步提高政治站位，压紧压实工作责任，确保{t}各项任务按期完成。",
    "据了解，今年以来全市累计投入资金{n}亿元，实施项目{m}个，惠及群众{k}万人。",
    "下一步，{d}将持续{a}{t}，不断完善工作机制，推动{t2}取得更大成效。",
    "{d}主要负责同志指出，{t}是一项系统工程，必须统筹兼顾、协同推进、久久为功。",
    "截至{mon}底，全市{t}工作完成年度目标的{p}%，同比提高{q}个百分点。",
    "各县（市、区）要结合实际，细化工作举措，建立工作台账，实行清单化管理、闭环式推进。",
    "要加强监督检查，对工作推进不力、敷衍塞责的，依规依纪严肃追责问责。",
    "要强化宣传引导，及时回应社会关切，营造全社会共同参与{t}的良好氛围。",
    "本次活动共发放宣传资料{m}余份，现场解答群众咨询{k}余人次，收到良好社会效果。",
    "会上，{d}、{d2}分别作交流发言，市级有关部门负责同志参加会议。",
    "根据《中华人民共和国政府信息公开条例》规定，现将有关情况公告如下。",
    "本通知自印发之日起施行，有效期至{y2}年12月31日。此前有关规定与本通知不一致的，以本通知为准。",
    "联系人：{name}，联系电话：0579-8{tel}。",
    "一是聚焦重点领域，{a}{t}；二是强化要素保障，{a2}{t2}；三是优化服务供给，提升群众满意度。",
]
NAMES = ["王建国", "李晓明", "张卫东", "刘芳", "陈静", "杨帆", "赵磊", "黄丽华", "周涛", "吴敏",
         "徐丽", "孙伟", "胡军", "朱琳", "高翔", "林峰", "何萍", "郭亮", "马俊", "罗颖"]
FONT_STYLE = ('style="text-indent: 2em; font-family: 仿宋_GB2312, 仿宋; font-size: 16pt; '
              'line-height: 28pt; margin-top: 0px; margin-bottom: 0px; text-align: justify;"')

# Shared images (paths) and attachment kinds.
ON = ' class="on"'
IMAGES = ([f"/images/news/pic{k:02d}.jpg" for k in range(20)]
          + ["/images/logo.png", "/images/dzjg.png", "/images/jiucuo.png", "/images/ga.png",
             "/images/banner.jpg", "/images/wza.png"])
ATTACH_KINDS = ("pdf", "doc", "docx", "xls")


@dataclass
class Article:
    col: "Column"
    index: int
    day: date
    aid: int
    title: str
    path: str  # site path, e.g. /zwgk/tzgg/202403/t20240315_1234567.html
    dept: str
    paragraphs: int
    has_image: bool
    attachment: str | None = None  # site path of the attachment


@dataclass
class Column:
    section: str
    section_name: str
    code: str
    name: str
    style: str
    cid: int
    per_page: int
    articles: list[Article] = field(default_factory=list)

    @property
    def base(self) -> str:
        if self.style == "hanweb":
            return f"/col/col{self.cid}/"
        return f"/{self.section}/{self.code}/"

    @property
    def index_path(self) -> str:
        return self.base + "index.html" if self.style == "hanweb" else self.base

    def list_pages(self) -> int:
        return max(1, math.ceil(len(self.articles) / self.per_page))

    def page_url(self, k: int) -> str:
        """Link target of list page k (0-based), as a site path (with query for Hanweb)."""
        if k == 0:
            return self.index_path
        if self.style == "hanweb":
            return f"{self.base}index.html?uid={self.cid * 7 + 3}&pageNum={k + 1}"
        return f"{self.base}index_{k}.html"

    def page_file(self, k: int) -> str:
        if k == 0:
            return self.base + "index.html"
        if self.style == "hanweb":
            return f"{self.base}page_{k + 1}.html"
        return f"{self.base}index_{k}.html"


_INVALID_HOST = re.compile(r"http://([a-z0-9.-]+)\.invalid/")
EXTERNAL_MODES = ("loopback", "invalid")


class Gen:
    def __init__(self, pages: int, seed: int, external: str = "loopback") -> None:
        if pages < 60:
            raise SystemExit("--pages must be at least 60")
        if external not in EXTERNAL_MODES:
            raise SystemExit(f"--external must be one of {', '.join(EXTERNAL_MODES)}")
        self.n = pages
        self.seed = seed
        self.external = external
        self.r = random.Random(seed)
        self.columns: list[Column] = []
        cid = 1000 + self.r.randrange(1000)
        for sec, sec_name, cols in SECTIONS:
            for code, name, style in cols:
                cid += self.r.randrange(3, 40)
                self.columns.append(Column(sec, sec_name, code, name, style, cid,
                                           per_page=self.r.choice((20, 20, 25, 30, 30, 40))))
        self.weights = [self.r.uniform(0.4, 2.2) for _ in self.columns]
        self.links: dict[str, set[str]] = {}  # page path -> internal page paths it links to
        self.files: dict[str, int] = {}  # written html path -> bytes
        self.stats = {"a": 0, "refs": 0}

    # -- planning ------------------------------------------------------------
    def plan(self) -> None:
        fixed = 1 + len(SECTIONS) + len(STATIC_PAGES)
        budget = self.n - fixed
        # Articles A and list pages L with A + L == budget.
        a = int(budget * 0.965)
        for _ in range(200):
            counts = self._distribute(a)
            lists = sum(max(1, math.ceil(c / col.per_page)) for c, col in zip(counts, self.columns))
            diff = budget - (a + lists)
            if diff == 0:
                break
            a += diff if abs(diff) > 1 else (1 if diff > 0 else -1)
        else:
            raise SystemExit("could not plan the site; try another --pages")
        self.counts = counts
        aid = 100000 + self.r.randrange(900000)
        for col, count in zip(self.columns, counts):
            day = BASE_DATE - timedelta(days=self.r.randrange(0, 5))
            for i in range(count):
                aid += self.r.randrange(1, 60)
                title = self._title(day.year)
                if col.style == "hanweb":
                    path = f"/art/{day.year}/{day.month}/{day.day}/art_{col.cid}_{aid}.html"
                else:
                    path = (f"{col.base}{day.year}{day.month:02d}/"
                            f"t{day.year}{day.month:02d}{day.day:02d}_{aid}.html")
                paragraphs = max(3, int(self.r.lognormvariate(3.1, 0.5)))
                art = Article(col, i, day, aid, title, path, self.r.choice(DEPTS), min(paragraphs, 60),
                              self.r.random() < 0.3)
                if self.r.random() < 0.04:
                    ext = self.r.choice(ATTACH_KINDS)
                    folder = path.rsplit("/", 1)[0]
                    art.attachment = f"{folder}/P0{day.year}{day.month:02d}{day.day:02d}{aid}.{ext}"
                col.articles.append(art)
                day -= timedelta(days=self.r.choice((0, 0, 1, 1, 2, 3, 5)))

    def _distribute(self, total: int) -> list[int]:
        wsum = sum(self.weights)
        raw = [total * w / wsum for w in self.weights]
        counts = [max(1, int(x)) for x in raw]
        i = 0
        while sum(counts) < total:
            counts[i % len(counts)] += 1
            i += 1
        while sum(counts) > total:
            j = max(range(len(counts)), key=lambda k: counts[k])
            counts[j] -= 1
        return counts

    # -- text ----------------------------------------------------------------
    def _title(self, year: int) -> str:
        r = self.r
        return r.choice(DOC_TITLES).format(t=r.choice(TOPICS), y=year, d=r.choice(DEPTS))

    def _sentence(self, art: Article) -> str:
        r = self.r
        return r.choice(SENTENCES).format(
            date=f"{art.day.month}月{art.day.day}日", d=art.dept, d2=r.choice(DEPTS),
            a=r.choice(ACTIONS), a2=r.choice(ACTIONS), t=r.choice(TOPICS), t2=r.choice(TOPICS),
            n=f"{r.uniform(0.5, 90):.2f}", m=r.randrange(12, 3000), k=f"{r.uniform(0.2, 60):.1f}",
            mon=f"{r.randrange(1, 12)}月", p=r.randrange(60, 100), q=f"{r.uniform(0.5, 9):.1f}",
            y2=art.day.year + r.randrange(1, 5), name=r.choice(NAMES), tel=f"{r.randrange(1000000):06d}")

    # -- shared page parts ---------------------------------------------------
    def _head(self, title: str, meta: dict[str, str]) -> str:
        metas = "\n".join(f'<meta name="{k}" content="{escape(v)}" />' for k, v in meta.items())
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
<title>{escape(title)}</title>
<meta name="SiteName" content="{SITE_NAME}" />
<meta name="SiteDomain" content="www.jianglin.gov.cn" />
<meta name="SiteIDCode" content="{SITE_CODE}" />
{metas}
<link href="/images/common.css" rel="stylesheet" type="text/css" />
<link href="/images/page.css" rel="stylesheet" type="text/css" />
<link rel="shortcut icon" href="/favicon.ico" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
<script type="text/javascript" src="/js/common.js"></script>
<style type="text/css">
{STYLE}
</style>
<!--[if lt IE 9]><script src="/js/html5shiv.min.js"></script><![endif]-->
</head>
"""

    def _header(self, here: str) -> tuple[str, list[str]]:
        nav = ['<li class="nav-home"><a href="/" target="_self">首页</a></li>']
        targets = ["/"]
        for sec, sec_name, cols in SECTIONS:
            sec_url = f"/{sec}/"
            targets.append(sec_url)
            sub = []
            for c in self._cols_of(sec):
                sub.append(f'<dd><a href="{c.index_path}" target="_self" title="{c.name}">{c.name}</a></dd>')
                targets.append(c.index_path)
            nav.append(f'<li class="nav-item"><a href="{sec_url}" target="_self">{sec_name}</a>'
                       f'<div class="sub-nav"><dl>{"".join(sub)}</dl></div></li>')
        nav.append('<li class="nav-item"><a href="/zwgk/ldxx.html">领导信息</a></li>')
        targets.append("/zwgk/ldxx.html")
        html = f"""<body>
<div class="top-bar"><div class="w1200 clearfix">
<span class="fl" id="today">今天是：<script type="text/javascript">showDate();</script></span>
<span class="fr top-links"><a href="/wza.html" class="wza" id="cniil_wza">无障碍</a> | <a href="javascript:void(0);" onclick="aged()">长者模式</a> | <a href="javascript:void(0);" class="jt-ft" id="StranLink">繁体</a> | <a href="http://en.jianglin.gov.cn.invalid/" target="_blank">English</a> | <a href="http://zwfw.jianglin.gov.cn.invalid/login" target="_blank">登录</a> | <a href="http://zwfw.jianglin.gov.cn.invalid/register" target="_blank">注册</a></span>
</div></div>
<div class="header"><div class="w1200 clearfix">
<div class="logo fl"><a href="/"><img src="/images/logo.png" alt="{SITE_NAME}" width="520" height="90" /></a></div>
<div class="search fr"><form name="searchform" action="/search/search.html" method="get" target="_blank" onsubmit="return checkSearch(this)">
<input type="hidden" name="siteCode" value="{SITE_CODE}" /><input type="text" name="searchWord" id="searchWord" class="search-input" placeholder="请输入关键词" />
<input type="submit" class="search-btn" value="搜索" /></form>
<p class="hot-words">热词：<a href="/search/search.html?searchWord=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83">营商环境</a><a href="/search/search.html?searchWord=%E5%85%BB%E8%80%81">养老</a><a href="/search/search.html?searchWord=%E5%85%AC%E7%A7%AF%E9%87%91">公积金</a></p></div>
</div></div>
<div class="nav" id="nav"><div class="w1200"><ul class="clearfix">
{"".join(nav)}
</ul></div></div>
"""
        return html, targets

    def _cols_of(self, sec: str) -> list[Column]:
        return [c for c in self.columns if c.section == sec]

    def _sidebar(self, exclude: str) -> tuple[str, list[str]]:
        r = self.r
        picks = []
        hot = [c for c in self.columns if c.articles]
        while len(picks) < 10:
            c = r.choice(hot)
            a = c.articles[r.randrange(min(len(c.articles), 8))]
            if a.path != exclude and a not in picks:
                picks.append(a)
        items = "".join(f'<li><a href="{a.path}" target="_blank" title="{escape(a.title)}">{escape(_short(a.title, 22))}</a></li>'
                        for a in picks)
        topics = "".join(f'<li><a href="{c.index_path}" target="_blank"><img src="/images/news/pic{k:02d}.jpg" alt="{c.name}" width="260" height="70" /></a></li>'
                         for k, c in enumerate(self._cols_of("ztzl")))
        html = f"""<div class="side fr">
<div class="side-box"><div class="side-tit"><h3>最新信息</h3></div><ul class="side-list">{items}</ul></div>
<div class="side-box"><div class="side-tit"><h3>专题专栏</h3></div><ul class="side-zt">{topics}</ul></div>
</div>
"""
        return html, [a.path for a in picks] + [c.index_path for c in self._cols_of("ztzl")]

    def _footer(self, url_for_jiucuo: str) -> tuple[str, list[str]]:
        friends = "".join(f'<li><a href="{u}" target="_blank">{n}</a></li>' for u, n in EXTERNAL)
        options = "".join(f'<option value="{u}">{n}</option>' for u, n in EXTERNAL)
        static = " | ".join(f'<a href="{p}" target="_blank">{n}</a>' for p, n in STATIC_PAGES[:6])
        html = f"""<div class="friend-links"><div class="w1200 clearfix">
<div class="fl fl-tit">友情链接</div>
<ul class="fl-list clearfix">{friends}</ul>
<select class="fl-select" onchange="if(this.value){{window.open(this.value)}}"><option value="">省内市级政府网站</option>{options}</select>
</div></div>
<div class="footer" id="footer"><div class="w1200 clearfix">
<div class="foot-links">{static}</div>
<div class="foot-info">
<p>主办单位：{SITE_NAME}办公室&nbsp;&nbsp;承办单位：江临市大数据发展管理局</p>
<p>网站标识码：{SITE_CODE}&nbsp;&nbsp;<a href="{BEIAN_URL}" target="_blank">{ICP}</a>&nbsp;&nbsp;<a href="{GA_URL}" target="_blank"><img src="/images/ga.png" alt="" />{GA}</a></p>
<p>地址：江临市人民大道1号&nbsp;&nbsp;邮编：321000&nbsp;&nbsp;联系电话：0579-82212345&nbsp;&nbsp;建议使用1280×768分辨率浏览</p>
</div>
<div class="foot-icons"><span id="_ideConac"><a href="{CONAC_URL}" target="_blank"><img src="/images/dzjg.png" alt="党政机关" width="54" height="64" /></a></span>
<a href="{JIUCUO_URL}&amp;url={url_for_jiucuo}" target="_blank"><img src="/images/jiucuo.png" alt="政府网站找错" width="110" height="55" /></a>
<a href="/wza.html"><img src="/images/wza.png" alt="适老化无障碍服务" /></a></div>
</div></div>
{TAIL_SCRIPTS}
</body>
</html>
"""
        return html, [p for p, _ in STATIC_PAGES[:6]] + ["/wza.html"]

    # -- pages ---------------------------------------------------------------
    def page(self, path: str, title: str, meta: dict, crumbs: list[tuple[str, str]], main: str,
             main_links: list[str], jiucuo: str, sidebar: bool = True) -> str:
        head = self._head(title, meta)
        header, t1 = self._header(path)
        crumb = " &gt; ".join(f'<a href="{u}" target="_self">{escape(n)}</a>' for u, n in crumbs)
        side, t2 = self._sidebar(path) if sidebar else ("", [])
        foot, t3 = self._footer(jiucuo)
        html = (head + header + f'<div class="main w1200 clearfix">\n<div class="crumbs">当前位置：{crumb}</div>\n'
                f'<div class="content fl">\n{main}\n</div>\n{side}</div>\n' + foot)
        self.links[path] = set(_internal(path, t) for t in [*t1, *t2, *t3, *main_links, *(u for u, _ in crumbs)])
        return html

    def article(self, art: Article, related: list[Article]) -> str:
        r = self.r
        col = art.col
        paras = []
        for i in range(art.paragraphs):
            text = "".join(self._sentence(art) for _ in range(r.randrange(2, 6)))
            paras.append(f"<p {FONT_STYLE}><span style=\"font-family: 仿宋_GB2312; font-size: 16pt;\">{text}</span></p>")
            if art.has_image and i == 1:
                k = art.aid % 20
                paras.append(f'<p style="text-align: center;"><img src="/images/news/pic{k:02d}.jpg" '
                             f'title="{escape(_short(art.title, 20))}" alt="" width="600" height="400" '
                             f'oldsrc="W0{art.aid}.jpg" /></p>')
        body = "\n".join(paras)
        here_dir = art.path.rsplit("/", 1)[0] + "/"
        attach = ""
        links = []
        if art.attachment:
            href = _relative(here_dir, art.attachment)
            attach = (f'<div class="fj"><p>附件：<a href="{href}" target="_blank" OLDSRC="{art.attachment.rsplit("/", 1)[1]}">'
                      f'{escape(_short(art.title, 30))}.{art.attachment.rsplit(".", 1)[1]}</a></p></div>')
            links.append(art.attachment)
        rel = "".join(f'<li><a href="{_relative(here_dir, a.path)}" target="_blank" title="{escape(a.title)}">'
                      f'{escape(a.title)}</a><span>{a.day.isoformat()}</span></li>' for a in related)
        links += [a.path for a in related]
        pub = f"{art.day.isoformat()} {9 + art.aid % 9:02d}:{art.aid % 60:02d}"
        main = f"""<div class="article">
<h1 class="art-title">{escape(art.title)}</h1>
<div class="art-info">发布时间：<span class="pubdate">{pub}</span>&nbsp;&nbsp;来源：<span>{art.dept}</span>&nbsp;&nbsp;浏览次数：<span id="hits">--</span>&nbsp;&nbsp;字号：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>&nbsp;&nbsp;<a href="javascript:window.print()">打印</a></div>
<div class="art-con" id="zoom"><div class="TRS_Editor"><div class="TRS_PreAppend" style="overflow-x: hidden; word-break: break-all">
{body}
</div></div></div>
{attach}
<div class="art-share">分享到：<a href="javascript:void(0)" class="wx" title="微信">微信</a><a href="javascript:void(0)" class="wb" title="微博">微博</a><a href="#" onclick="window.close();return false;">关闭窗口</a></div>
<div class="related"><h3>相关信息</h3><ul>{rel}</ul></div>
</div>"""
        crumbs = [("/", "首页"), (f"/{col.section}/", col.section_name),
                  (_relative(here_dir, col.index_path), col.name)]
        meta = {"ColumnName": col.name, "ColumnDescription": f"{SITE_NAME}{col.name}",
                "ColumnKeywords": col.name, "ColumnType": col.name, "ArticleTitle": art.title,
                "PubDate": pub, "ContentSource": art.dept, "Keywords": col.name,
                "Author": art.dept, "Description": _short(art.title, 60), "Url": art.path}
        html = self.page(art.path, f"{art.title}_{col.name}_{SITE_NAME}", meta, crumbs, main, links,
                         art.path)
        return html

    def list_page(self, col: Column, k: int) -> str:
        n = col.list_pages()
        items = col.articles[k * col.per_page:(k + 1) * col.per_page]
        here = col.page_file(k)
        here_dir = here.rsplit("/", 1)[0] + "/"
        lis = []
        for a in items:
            href = _relative(here_dir, a.path) if col.style == "trs" else a.path
            lis.append(f'<li><a href="{href}" target="_blank" title="{escape(a.title)}">'
                       f'{escape(_short(a.title, 34))}</a><span class="date">{a.day.isoformat()}</span></li>')
        pager = []
        if n > 1:
            pager.append(f'<a href="{_page_href(col, 0, here_dir)}">首页</a>')
            if k > 0:
                pager.append(f'<a href="{_page_href(col, k - 1, here_dir)}">上一页</a>')
            for j in range(n):
                pager.append(f'<span class="cur">{j + 1}</span>' if j == k else
                             f'<a href="{_page_href(col, j, here_dir)}">{j + 1}</a>')
            if k < n - 1:
                pager.append(f'<a href="{_page_href(col, k + 1, here_dir)}">下一页</a>')
            pager.append(f'<a href="{_page_href(col, n - 1, here_dir)}">尾页</a>')
        sibl = "".join(f'<li{ON if c is col else ""}><a href="{c.index_path}">{c.name}</a></li>'
                       for c in self._cols_of(col.section))
        main = f"""<div class="col-side"><h2>{col.section_name}</h2><ul class="col-sub">{sibl}</ul></div>
<div class="list-box"><div class="list-tit"><h2>{col.name}</h2></div>
<ul class="news-list">
{chr(10).join(lis)}
</ul>
<div class="pager">{"".join(pager)}<span class="total">共{len(col.articles)}条 {n}页</span></div>
<script type="text/javascript">createPageHTML({n}, {k}, "index", "html");</script>
</div>"""
        links = [a.path for a in items] + [col.page_url(j) for j in range(n)]
        links += [c.index_path for c in self._cols_of(col.section)]
        crumbs = [("/", "首页"), (f"/{col.section}/", col.section_name), (col.index_path, col.name)]
        meta = {"ColumnName": col.name, "ColumnDescription": f"{SITE_NAME}{col.name}",
                "ColumnKeywords": col.name, "ColumnType": col.name}
        url = col.page_url(k)
        html = self.page(url, f"{col.name}_{SITE_NAME}", meta, crumbs, main, links, col.index_path,
                         sidebar=True)
        return html

    def section_page(self, sec: str, sec_name: str) -> str:
        blocks, links = [], []
        for c in self._cols_of(sec):
            items = c.articles[:8]
            lis = "".join(f'<li><a href="{a.path}" target="_blank" title="{escape(a.title)}">{escape(_short(a.title, 28))}</a>'
                          f'<span>{a.day.strftime("%m-%d")}</span></li>' for a in items)
            blocks.append(f'<div class="sec-block"><div class="sec-tit"><h3>{c.name}</h3>'
                          f'<a href="{c.index_path}" class="more">更多&gt;&gt;</a></div><ul>{lis}</ul></div>')
            links += [a.path for a in items] + [c.index_path]
        main = f'<div class="sec-wrap"><h2>{sec_name}</h2>{"".join(blocks)}</div>'
        return self.page(f"/{sec}/", f"{sec_name}_{SITE_NAME}", {"ColumnName": sec_name},
                         [("/", "首页"), (f"/{sec}/", sec_name)], main, links, f"/{sec}/", sidebar=False)

    def static_page(self, path: str, name: str) -> str:
        r = self.r
        links = []
        if path == "/wzdt.html":
            blocks = []
            for sec, sec_name, _ in SECTIONS:
                cols = "".join(f'<li><a href="{c.index_path}">{c.name}</a></li>' for c in self._cols_of(sec))
                blocks.append(f'<dl><dt><a href="/{sec}/">{sec_name}</a></dt><dd><ul>{cols}</ul></dd></dl>')
                links += [f"/{sec}/"] + [c.index_path for c in self._cols_of(sec)]
            blocks.append("<dl><dt>其他</dt><dd><ul>" + "".join(
                f'<li><a href="{p}">{n}</a></li>' for p, n in STATIC_PAGES) + "</ul></dd></dl>")
            links += [p for p, _ in STATIC_PAGES]
            main = f'<div class="sitemap"><h2>网站地图</h2>{"".join(blocks)}</div>'
        else:
            fake = Article(self.columns[0], 0, BASE_DATE, 1, name, path, "市政府办公室", 6, False)
            paras = "".join(f"<p {FONT_STYLE}>{''.join(self._sentence(fake) for _ in range(r.randrange(3, 7)))}</p>"
                            for _ in range(r.randrange(6, 16)))
            main = f'<div class="article"><h1 class="art-title">{name}</h1><div class="art-con">{paras}</div></div>'
        return self.page(path, f"{name}_{SITE_NAME}", {"ColumnName": name},
                         [("/", "首页"), (path, name)], main, links, path)

    def home(self) -> str:
        r = self.r
        blocks, links = [], []
        # Headline and 要闻 tabs.
        top = self.columns[0].articles[:1]
        blocks.append(f'<div class="headline"><h2><a href="{top[0].path}" target="_blank">{escape(top[0].title)}</a></h2></div>')
        links += [a.path for a in top]
        pics = self._cols_of("xwzx")[-1].articles[:5]
        slides = "".join(f'<li><a href="{a.path}" target="_blank"><img src="/images/news/pic{i:02d}.jpg" alt="{escape(a.title)}" width="560" height="360" /><p>{escape(_short(a.title, 26))}</p></a></li>'
                         for i, a in enumerate(pics))
        blocks.append(f'<div class="slide fl"><ul class="slide-list">{slides}</ul></div>')
        links += [a.path for a in pics]
        for sec in ("xwzx", "zwgk"):
            tabs, panes = [], []
            for c in self._cols_of(sec)[:4]:
                tabs.append(f'<li><a href="{c.index_path}" target="_blank">{c.name}</a></li>')
                lis = "".join(f'<li><a href="{a.path}" target="_blank" title="{escape(a.title)}">{escape(_short(a.title, 30))}</a>'
                              f'<span class="date">{a.day.strftime("%m-%d")}</span></li>' for a in c.articles[:7])
                panes.append(f'<ul class="tab-pane">{lis}</ul>')
                links += [c.index_path] + [a.path for a in c.articles[:7]]
            blocks.append(f'<div class="tab-box"><ul class="tab-tit">{"".join(tabs)}</ul>{"".join(panes)}</div>')
        services = "".join(f'<li><a href="http://zwfw.jianglin.gov.cn.invalid/item/{r.randrange(10**6)}" target="_blank"><i class="ico ico{i}"></i>{t}</a></li>'
                           for i, t in enumerate(["个人办事", "法人办事", "社保查询", "公积金查询", "不动产登记", "出入境",
                                                  "车驾管", "医保服务", "生育登记", "企业开办", "工程建设", "好差评"]))
        blocks.append(f'<div class="service"><h3>政务服务</h3><ul>{services}</ul></div>')
        ints = "".join(f'<li><a href="{c.index_path}">{c.name}</a></li>' for c in self._cols_of("hdjl"))
        blocks.append(f'<div class="interact"><h3>互动交流</h3><ul>{ints}</ul></div>')
        links += [c.index_path for c in self._cols_of("hdjl")]
        main = f'<div class="home-main">{"".join(blocks)}</div>'
        meta = {"ColumnName": "首页", "ColumnType": "首页", "Keywords": SITE_NAME,
                "Description": f"{SITE_NAME}门户网站"}
        return self.page("/", SITE_NAME, meta, [("/", "首页")], main, links, "/")

    # -- output --------------------------------------------------------------
    def write(self, out: Path) -> dict:
        self.plan()
        tmp = out.with_name(out.name + ".tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)

        def put(path: str, data: str | bytes, html: bool = True) -> None:
            f = tmp / path.lstrip("/")
            if path.endswith("/"):
                f = f / "index.html"
            f.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, str) and self.external == "loopback":
                data = _INVALID_HOST.sub(r"http://127.0.0.2:9/\1/", data)
            raw = data.encode("utf-8") if isinstance(data, str) else data
            f.write_bytes(raw)
            if html:
                self.files[path] = len(raw)
                self.stats["a"] += raw.count(b"<a ")
                self.stats["refs"] += raw.count(b' href="') + raw.count(b' src="')

        put("/", self.home())
        for sec, sec_name, _ in SECTIONS:
            put(f"/{sec}/", self.section_page(sec, sec_name))
        for path, name in STATIC_PAGES:
            put(path, self.static_page(path, name))
        attachments = 0
        for col in self.columns:
            for k in range(col.list_pages()):
                html = self.list_page(col, k)
                put(col.page_file(k), html, html=False)
                self.files[col.page_url(k)] = len(html.encode("utf-8"))
                raw = html.encode("utf-8")
                self.stats["a"] += raw.count(b"<a ")
                self.stats["refs"] += raw.count(b' href="') + raw.count(b' src="')
            arts = col.articles
            for i, art in enumerate(arts):
                related = [arts[j] for j in range(max(0, i - 4), min(len(arts), i + 5)) if j != i][:8]
                put(art.path, self.article(art, related))
                if art.attachment:
                    put(art.attachment, _attachment(art.attachment, art.title, self.r), html=False)
                    attachments += 1
        for p in IMAGES:
            put(p, _image(p), html=False)
        put("/favicon.ico", _GIF, html=False)
        put("/images/common.css", (STYLE + "\n") * 3, html=False)
        put("/images/page.css", STYLE, html=False)
        put("/js/jquery.min.js", _fake_js(self.r, 30_000), html=False)
        put("/js/common.js", _fake_js(self.r, 6_000), html=False)
        put("/js/html5shiv.min.js", _fake_js(self.r, 2_000), html=False)
        put("/robots.txt", "User-agent: *\nDisallow: /search/\nDisallow: /admin/\nDisallow: /*.jsp$\n\n"
            "Sitemap: /sitemap.xml\n", html=False)

        depths = self.check_reachable()
        sizes = sorted(self.files.values())
        manifest = {
            "generator_version": GENERATOR_VERSION, "pages": self.n, "seed": self.seed,
            "external": self.external,
            "html_pages": len(self.files), "attachments": attachments,
            "columns": len(self.columns), "articles": sum(len(c.articles) for c in self.columns),
            "list_pages": sum(c.list_pages() for c in self.columns),
            "max_depth": max(depths.values()),
            "pages_by_depth": {str(d): sum(1 for v in depths.values() if v == d)
                               for d in sorted(set(depths.values()))},
            "html_bytes": sum(sizes), "page_kb": {"min": round(sizes[0] / 1024, 1),
                                                  "median": round(sizes[len(sizes) // 2] / 1024, 1),
                                                  "mean": round(sum(sizes) / len(sizes) / 1024, 1),
                                                  "max": round(sizes[-1] / 1024, 1)},
            "anchors_per_page": round(self.stats["a"] / len(sizes), 1),
            "refs_per_page": round(self.stats["refs"] / len(sizes), 1),
            "hanweb_pagination": "index.html?uid=U&pageNum=K -> page_K.html",
        }
        (tmp / "site.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
        return manifest

    def check_reachable(self) -> dict[str, int]:
        depth = {"/": 0}
        q = deque(["/"])
        while q:
            u = q.popleft()
            for v in self.links.get(u, ()):
                if v in self.links and v not in depth:
                    depth[v] = depth[u] + 1
                    q.append(v)
        missing = set(self.links) - set(depth)
        if missing:
            raise SystemExit(f"generator bug: {len(missing)} pages unreachable, e.g. {sorted(missing)[:3]}")
        if max(depth.values()) > MAX_DEPTH:
            raise SystemExit(f"generator bug: a page is at depth {max(depth.values())} > {MAX_DEPTH}")
        if len(self.links) != self.n:
            raise SystemExit(f"generator bug: {len(self.links)} pages instead of {self.n}")
        return depth


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _relative(from_dir: str, target: str) -> str:
    """A relative href from directory ``from_dir`` (ends with /) to site path ``target``."""
    a = [p for p in from_dir.split("/") if p]
    tpath, _, query = target.partition("?")
    b = tpath.split("/")[1:]
    common = 0
    while common < len(a) and common < len(b) - 1 and a[common] == b[common]:
        common += 1
    up = len(a) - common
    rest = "/".join(b[common:])
    href = ("../" * up if up else "./") + rest
    return href + ("?" + query if query else "")


def _page_href(col: Column, k: int, here_dir: str) -> str:
    if col.style == "hanweb":
        return col.page_url(k)
    return "./" if k == 0 else f"index_{k}.html"


def _internal(page: str, target: str) -> str:
    """Resolve a generated href (absolute path or relative) to a site path."""
    if target.startswith("/"):
        return target
    base_dir = page.split("?", 1)[0]
    base_dir = base_dir[: base_dir.rfind("/") + 1]
    parts = [p for p in base_dir.split("/") if p]
    tpath, _, query = target.partition("?")
    for seg in tpath.split("/"):
        if seg == "..":
            parts.pop()
        elif seg in (".", ""):
            continue
        else:
            parts.append(seg)
    out = "/" + "/".join(parts) + ("/" if tpath.endswith("/") or tpath in ("./", ".") else "")
    return out + ("?" + query if query else "")


_GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
        b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def _image(path: str) -> bytes:
    if path.endswith(".png"):
        import struct

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        w, h = 4, 4
        rows = b"".join(b"\x00" + b"\xc0\x10\x10" * w for _ in range(h))
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return _GIF  # served as image/jpeg; crawlers never look inside


def _attachment(path: str, title: str, r: random.Random) -> bytes:
    ext = path.rsplit(".", 1)[1]
    text = f"{title}\n" * r.randrange(5, 40)
    if ext == "pdf":
        stream = "BT /F1 12 Tf 72 720 Td (attachment) Tj ET"
        objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream"]
        out = "%PDF-1.4\n"
        offsets = []
        for i, o in enumerate(objs, 1):
            offsets.append(len(out))
            out += f"{i} 0 obj\n{o}\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
        out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        return out.encode("latin-1") + b"%" + text.encode("utf-8")
    if ext in ("docx",):
        return b"PK\x03\x04" + text.encode("utf-8")
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + text.encode("utf-16-le")


def _fake_js(r: random.Random, size: int) -> str:
    out = ["/*! generated for benchmarks */"]
    n = 0
    while n < size:
        name = "".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
        line = f"function {name}(e,t){{var n=e||{{}};for(var i=0;i<t.length;i++){{n[t[i]]=i*{r.randrange(99)};}}return n;}}"
        out.append(line)
        n += len(line)
    return "\n".join(out)


def _style() -> str:
    rng = random.Random(7)
    rules = ["*{margin:0;padding:0}body{font:14px/1.5 \"Microsoft YaHei\",\"微软雅黑\",Arial,sans-serif;color:#333;background:#fff}",
             "a{color:#333;text-decoration:none}a:hover{color:#c00}ul,li{list-style:none}img{border:0}",
             ".w1200{width:1200px;margin:0 auto}.clearfix:after{content:\"\";display:block;clear:both}.fl{float:left}.fr{float:right}"]
    for i in range(110):
        sel = rng.choice(["top-bar", "header", "nav", "sub-nav", "crumbs", "content", "side", "footer", "news-list",
                          "art-title", "art-info", "art-con", "pager", "tab-box", "slide", "service", "friend-links"])
        rules.append(f".{sel} .item{i}{{width:{rng.randrange(50, 1200)}px;height:{rng.randrange(20, 400)}px;"
                     f"line-height:{rng.randrange(20, 60)}px;color:#{rng.randrange(16**6):06x};"
                     f"background:url(/images/bg{i % 9}.png) no-repeat {rng.randrange(0, 100)}% center;"
                     f"margin:{rng.randrange(0, 30)}px auto;padding:0 {rng.randrange(0, 20)}px}}")
    return "\n".join(rules)


STYLE = _style()
TAIL_SCRIPTS = """<script type="text/javascript">
var _hmt = _hmt || [];
(function() { var hm = document.createElement("script"); hm.src = "/js/stat.js?v=20241231"; var s = document.getElementsByTagName("script")[0]; s.parentNode.insertBefore(hm, s); })();
</script>
<script type="text/javascript">
$(function(){ $(".nav li").hover(function(){ $(this).addClass("on").find(".sub-nav").stop(true,true).slideDown(200); }, function(){ $(this).removeClass("on").find(".sub-nav").hide(); });
 $(".tab-tit li").mouseover(function(){ var i = $(this).index(); $(this).addClass("on").siblings().removeClass("on"); $(this).parent().siblings(".tab-pane").eq(i).show().siblings(".tab-pane").hide(); });
 if (typeof(_trsStat) != "undefined") { _trsStat.init({siteId: 1, channelId: 0, docId: 0}); } });
function showDate(){ var d = new Date(); var w = ["日","一","二","三","四","五","六"]; document.write(d.getFullYear()+"年"+(d.getMonth()+1)+"月"+d.getDate()+"日 星期"+w[d.getDay()]); }
</script>
<script type="text/javascript" src="/js/common.js" charset="utf-8"></script>"""


def generate(pages: int, out: Path, seed: int = 1, external: str = "loopback") -> dict:
    return Gen(pages, seed, external).write(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=2000, help="HTML pages in the site (default 2000)")
    p.add_argument("--out", default=None, help="output folder (default benchmarks/site/n<PAGES>-s<SEED>)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--external", choices=EXTERNAL_MODES, default="loopback",
                   help="where external links point (default loopback: 127.0.0.2:9, refused at once)")
    args = p.parse_args(argv)
    out = Path(args.out) if args.out else Path(__file__).resolve().parent / "site" / (
        f"n{args.pages}-s{args.seed}" + ("" if args.external == "loopback" else f"-{args.external}"))
    m = generate(args.pages, out, args.seed, args.external)
    print(f"wrote {m['html_pages']} pages ({m['articles']} articles, {m['list_pages']} list pages), "
          f"{m['attachments']} attachments to {out}; pages {m['page_kb']['min']}-{m['page_kb']['max']} KB "
          f"(mean {m['page_kb']['mean']}), {m['anchors_per_page']} <a> and {m['refs_per_page']} href/src per page, "
          f"max depth {m['max_depth']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
