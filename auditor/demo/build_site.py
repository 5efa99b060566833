"""Generate the sample government website in ``auditor/demo/site/``.

Run ``python3 -m auditor.demo.build_site`` after changing anything here and commit
both this script and its output: the demo serves the committed files and needs no
build step. The output is deterministic (no timestamps, sorted writes), and a test
checks that the committed files are exactly what this script produces.

The site is fictional — 示例市人民政府 — and is dated against ``AS_OF`` (2026-11-20).
It is deliberately imperfect; ``DEFECTS`` lists every planted problem and the check
that should find it.
"""
from __future__ import annotations

import html
import shutil
import struct
import sys
import zlib
from pathlib import Path

SITE_NAME = "示例市人民政府"
SITE_DOMAIN = "www.shili.gov.cn"
FOOTER_SITE_CODE = "3799000001"
META_SITE_CODE = "3799000002"   # defect: disagrees with the footer's 网站标识码
ICP = "鲁ICP备12345678号-1"
PSB = "3701020200001"            # defect: 13 digits, a 公安备案号 has 14
CONAC_URL = "http://bszs.conac.cn/sitename?method=show&id=5B7C3A91D2E4F608"
DEAD_EXTERNAL = "http://127.0.0.1:9/"   # nothing listens on port 9: connection refused
OFFICE = "示例市人民政府办公室"
INDEX_PREFIX = "11379900004000012X"

# (url path, what is wrong, check id that should catch it)
DEFECTS = [
    ("/ (meta SiteIDCode) vs /js/footer.js", "SiteIDCode meta says 3799000002, footer 网站标识码 says 3799000001",
     "identity.site-code"),
    ("/js/footer.js", "公安备案号 鲁公网安备 3701020200001号 has 13 digits (should be 14)", "identity.psb"),
    ("every page", "no 我为政府网站找错 entry (no _jiucuo_ script, no jiucuo.js)", "interaction.zhaocuo"),
    ("/xxgk/jcgk/index.html (linked from /)", "internal link to a missing page (404)", "links.homepage"),
    ("/images/missing-banner.jpg (on /)", "broken image (404)", "links.homepage"),
    ("http://127.0.0.1:9/ (on /, 相关链接)", "dead external link (connection refused)", "links.homepage"),
    ("/xxgk/ndbg/index.html", "no 2025 年度报告 (due 2026-03-31; as of 2026-11-20 missing)", "disclosure.annual-report"),
    ("/xwzx/tzgg/index.html", "通知公告 last updated 2026-03-02 (> 6 months)", "freshness.columns"),
    ("/xxgk/rsxx/index.html", "人事信息 last updated 2025-06-01 (> 1 year)", "freshness.columns"),
    ("/xxgk/ghjh/index.html", "规划计划 is a blank column (暂无信息)", "freshness.empty-columns"),
    ("/bsfw/bszn/… guides 4–6", "3 办事指南 each miss ≥ 4 key elements (below the veto's 5)", "services.guide-elements"),
    ("/hdjl/xx/202606/t20260615_6007.html", "letter of 2026-06-15 unanswered after > 3 months (veto)",
     "interaction.response"),
    ("/hdjl/xx/202608/t20260803_6005.html", "letter of 2026-08-03 answered after 40 days", "interaction.response"),
    ("/xxgk/rsxx/202506/t20250601_4103.html", "unmasked 18-digit 身份证号 (valid check digit) and mobile number",
     "privacy.personal-data"),
    ("/xxgk/index.html", "重点领域 has no 权责清单 column", "disclosure.key-areas"),
    ("/xxgk/czyjs/index.html", "attachment link P020250212_ys2025.pdf is broken (404)", "links (site-wide)"),
    ("/xwzx/tzgg/…_4003.html, …_4004.html, /xxgk/rsxx/… (3 articles)", "no ArticleTitle/PubDate/ContentSource "
     "meta tags (older template)", "identity.meta-tags"),
    ("/xwzx/ywdt/202610/t20261020_1003.html", "ContentSource meta tag missing", "identity.meta-tags"),
    ("/zjsl/lsyg.html", "no SiteName/SiteDomain/SiteIDCode meta tags (old static page)", "identity.meta-tags"),
    ("/zjsl/lsyg.html", "GBK bytes served with a charset=utf-8 header", "(decoder robustness)"),
]

E = html.escape


# --------------------------------------------------------------------------------------
# binary assets
# --------------------------------------------------------------------------------------
def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid, solid-colour PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF (ASCII text in Helvetica) with a correct xref table."""
    text = "BT /F1 16 Tf 72 770 Td 20 TL " + " ".join(
        f"({s.replace(chr(92), '').replace('(', '[').replace(')', ']')}) '" for s in lines) + " ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("ascii")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def ole_dummy(label: str) -> bytes:
    """Small dummy bytes behind an OLE2 signature (what .doc/.xls files start with)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24 + label.encode("utf-8") + b"\x00" * 480


def id_number(first17: str) -> str:
    """Complete an 18-digit 居民身份证号码 with its GB 11643 check digit."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights))
    return first17 + "10X98765432"[total % 11]


LEAKED_ID = id_number("37010219900307231")
LEAKED_MOBILE = "13805312468"


# --------------------------------------------------------------------------------------
# templates
# --------------------------------------------------------------------------------------
NAV = [
    ("首页", "/"),
    ("政府信息公开", "/xxgk/index.html"),
    ("要闻动态", "/xwzx/ywdt/index.html"),
    ("通知公告", "/xwzx/tzgg/index.html"),
    ("政策文件", "/zcwj/index.html"),
    ("政策解读", "/zcjd/index.html"),
    ("办事服务", "/bsfw/index.html"),
    ("互动交流", "/hdjl/index.html"),
    ("走进示例市", "/zjsl/index.html"),
]


def site_meta() -> str:
    return (f'<meta name="SiteName" content="{SITE_NAME}">\n'
            f'<meta name="SiteDomain" content="{SITE_DOMAIN}">\n'
            f'<meta name="SiteIDCode" content="{META_SITE_CODE}">')


def column_meta(name: str, desc: str, keywords: str, ctype: str) -> str:
    return (f'<meta name="ColumnName" content="{E(name)}">\n'
            f'<meta name="ColumnDescription" content="{E(desc)}">\n'
            f'<meta name="ColumnKeywords" content="{E(keywords)}">\n'
            f'<meta name="ColumnType" content="{E(ctype)}">')


def article_meta(title: str, pubdate: str, source: str, column: str, ctype: str,
                 keywords: str = "", description: str = "") -> str:
    out = [f'<meta name="ArticleTitle" content="{E(title)}">',
           f'<meta name="PubDate" content="{pubdate}">',
           f'<meta name="ContentSource" content="{E(source)}">']
    if keywords:
        out.append(f'<meta name="Keywords" content="{E(keywords)}">')
    if description:
        out.append(f'<meta name="Description" content="{E(description)}">')
    out.append(f'<meta name="ColumnName" content="{E(column)}">')
    out.append(f'<meta name="ColumnType" content="{E(ctype)}">')
    return "\n".join(out)


def layout(title: str, meta: str, body: str, active: str = "") -> str:
    on = ' class="on"'
    nav = "".join(f'<li{on if name == active else ""}><a href="{href}">{name}</a></li>' for name, href in NAV)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{E(title)}</title>
{meta}
<link rel="stylesheet" type="text/css" href="/css/style.css">
</head>
<body>
<div class="top"><div class="w1200 clearfix"><span class="fl">欢迎访问示例市人民政府门户网站</span><span class="fr"><a href="/sitemap.html">网站地图</a>　|　<a href="/zjsl/index.html">走进示例市</a></span></div></div>
<div class="header"><div class="w1200 clearfix">
<a class="logo" href="/"><img src="/images/logo.png" alt="{SITE_NAME}" width="420" height="80"></a>
<div class="search-box"><form action="/search" method="get" name="searchform"><input type="text" name="q" class="search-input" placeholder="请输入关键词"><input type="submit" class="search-btn" value="搜索"></form></div>
</div></div>
<div class="nav"><ul class="w1200 clearfix">{nav}</ul></div>
<div class="w1200 main clearfix">
{body}
</div>
<div class="footer"><div class="w1200 clearfix">
<div class="dzjg"><a href="{E(CONAC_URL)}" target="_blank"><img src="/images/red.png" alt="党政机关" width="55" height="68"></a></div>
<div class="bq"><script type="text/javascript" src="/js/footer.js"></script></div>
</div></div>
</body>
</html>
"""


def crumbs(*parts: tuple[str, str | None]) -> str:
    items = ['<a href="/">首页</a>']
    for name, href in parts:
        items.append(f'<a href="{href}">{name}</a>' if href else name)
    return '<div class="position">当前位置：' + " &gt; ".join(items) + "</div>"


def paras(texts: list[str]) -> str:
    return "\n".join(f'<p style="text-indent:2em;">{t}</p>' for t in texts)


def article_path(col: str, day: str, num: int) -> str:
    ymd = day.replace("-", "")
    return f"{col}{ymd[:6]}/t{ymd}_{num}.html"


# --------------------------------------------------------------------------------------
# content
# --------------------------------------------------------------------------------------
# Each article: (number, date, time, title, source, paragraphs, meta: "full" | "no-source" | "none")
YWDT = [
    (1008, "2026-11-18", "16:20", "示例市召开2026年冬季安全生产工作会议", "示例市应急管理局", [
        "11月17日下午，示例市召开2026年冬季安全生产工作会议，总结前三季度全市安全生产工作，分析当前形势，部署今冬明春安全防范重点任务。副市长张建华出席会议并讲话。",
        "会议指出，今年以来，全市各级各部门深入开展安全生产治本攻坚三年行动，生产安全事故起数和死亡人数实现“双下降”，安全生产形势总体平稳。",
        "会议强调，冬季是火灾、燃气、道路交通等事故易发多发期。各地各部门要紧盯城镇燃气、建筑施工、人员密集场所、道路交通等重点行业领域，深入开展隐患排查整治，严格落实24小时值班值守和领导带班制度，确保全市安全生产形势持续稳定。",
        "各区县政府、市安委会成员单位负责同志参加会议。",
    ], "full"),
    (1007, "2026-11-12", "10:05", "市政府常务会议研究部署冬季供暖保障工作", OFFICE, [
        "11月11日，市长李明远主持召开市政府第38次常务会议，听取全市今冬供暖准备情况汇报，研究部署供暖保障工作。",
        "会议指出，供暖事关千家万户，是重要的民生工程。今年全市集中供暖面积达到4860万平方米，完成老旧小区供热管网改造120公里。",
        "会议要求，各供热企业要加强设备巡检和热源调度，确保居民室温达标；住建部门要畅通12345供暖投诉渠道，做到接诉即办、限时办结；困难群众采暖补贴要按时足额发放到位。",
        "会议还研究了其他事项。",
    ], "full"),
    (1006, "2026-11-06", "09:30", "示例市举办2026年秋季人才招聘会", "示例市人力资源和社会保障局", [
        "11月5日，由市人力资源和社会保障局主办的2026年秋季人才招聘会在市人力资源市场举行。",
        "本次招聘会共有制造业、现代服务业等领域的215家企业参会，提供就业岗位4300余个，其中面向高校毕业生的岗位1600余个。现场设置政策咨询、职业指导、社保服务等专区，为求职者提供“一站式”服务。",
        "据统计，当天入场求职者约5200人次，初步达成就业意向1380人。市人社局将持续开展系列招聘活动，促进人力资源供需精准对接。",
    ], "full"),
    (1005, "2026-11-02", "15:12", "示例市启动“119”消防宣传月活动", "示例市消防救援支队", [
        "11月1日，示例市2026年“119”消防宣传月活动在市民广场启动，今年活动主题为“全民消防、生命至上”。",
        "启动仪式上，消防救援人员通过灭火器实操、火场逃生体验、消防装备展示等形式，向市民普及消防安全常识。",
        "宣传月期间，全市将组织开展消防安全进社区、进学校、进企业、进家庭活动，并对高层建筑、老旧小区、电动自行车集中停放充电场所开展专项检查。",
    ], "full"),
    (1004, "2026-10-26", "11:00", "示例市重点项目集中开工 总投资86亿元", "示例市发展和改革委员会", [
        "10月25日，示例市2026年第四批重点项目集中开工仪式在高新区举行。此次集中开工项目共32个，总投资86亿元，涵盖先进制造、基础设施、社会民生等领域。",
        "市长李明远宣布项目开工。他表示，要坚持“项目为王”，强化要素保障，优化审批服务，推动项目早建成、早投产、早见效。",
        "今年以来，全市已累计开工重点项目156个，完成投资占年度计划的87.3%。",
    ], "full"),
    (1003, "2026-10-20", "17:40", "示例市召开第三季度经济运行分析会", "示例市统计局", [
        "10月19日，示例市召开第三季度经济运行分析会。会议通报，前三季度全市地区生产总值同比增长5.6%，规模以上工业增加值增长6.8%，社会消费品零售总额增长5.1%。",
        "会议要求，各部门要对照全年目标任务，聚焦工业稳增长、扩大有效投资、促进消费等重点工作，确保完成全年各项目标。",
    ], "no-source"),
    (1002, "2026-10-09", "09:00", "示例市推进“一网通办”改革 政务服务事项网上可办率达98%", "示例市行政审批服务局", [
        "今年以来，示例市持续深化“一网通办”改革，依托省政务服务平台，推动更多事项网上办、掌上办、一次办。",
        "截至9月底，全市依申请政务服务事项网上可办率达到98%，“全程网办”事项占比达到76%，企业开办时间压缩至0.5个工作日。",
        "下一步，市行政审批服务局将围绕企业和群众办事的高频事项，持续推进“高效办成一件事”集成改革。",
    ], "full"),
    (1001, "2026-10-01", "08:30", "示例市举行国庆节升国旗仪式", OFFICE, [
        "10月1日上午，示例市在市民广场举行升国旗仪式，热烈庆祝中华人民共和国成立77周年。",
        "市领导与各界群众代表一同参加仪式。伴随着雄壮的国歌声，五星红旗冉冉升起，全场肃立，齐声高唱国歌。",
    ], "full"),
]

TZGG = [
    (4006, "2026-03-02", "10:00", "关于做好2026年清明节期间文明祭扫工作的通告", "示例市民政局", [
        "2026年清明节即将到来。为维护祭扫秩序，保障群众生命财产安全，倡导文明节俭的祭扫新风，现将有关事项通告如下：",
        "一、倡导鲜花祭扫、植树祭扫、网络祭扫等文明低碳祭扫方式，自觉抵制焚烧纸钱、燃放鞭炮等不文明行为。",
        "二、清明节期间，全市各公墓、骨灰堂延长开放时间为每日7:00至17:00，请广大群众错峰出行、有序祭扫。",
        "三、严禁在林区、草原及其他禁火区域使用明火。违反规定的，由有关部门依法予以处理。",
        "特此通告。",
    ], "full"),
    (4005, "2026-01-20", "15:30", "示例市人民政府关于2026年春节期间烟花爆竹燃放管理的通告", SITE_NAME, [
        "为保障人民群众生命财产安全，减少大气污染，根据《烟花爆竹安全管理条例》等规定，现就2026年春节期间烟花爆竹燃放管理有关事项通告如下：",
        "一、2026年2月16日至2026年3月3日，市区禁止燃放区域以外可燃放烟花爆竹，其他时间全市禁止燃放。",
        "二、任何单位和个人不得在文物保护单位、车站、医院、学校、加油站等场所燃放烟花爆竹。",
        "三、对违反本通告的，由公安机关依法予以处罚。",
    ], "full"),
    (4004, "2025-11-05", "09:00", "关于开展2025年度统计执法检查的公告", "示例市统计局", [
        "根据《中华人民共和国统计法》及其实施条例，市统计局定于2025年11月至12月开展年度统计执法检查。",
        "检查对象为随机抽取的规模以上工业企业、限额以上批发零售企业和房地产开发企业，检查内容为统计数据质量和统计基础工作。",
        "请有关单位积极配合，如实提供统计资料。",
    ], "none"),
    (4003, "2025-10-15", "10:30", "关于征集2026年市政府民生实事项目建议的公告", OFFICE, [
        "为广泛听取社会各界意见，科学确定2026年市政府民生实事项目，现面向社会公开征集项目建议。",
        "征集时间为2025年10月15日至11月15日。建议可通过本网站“互动交流”栏目或电子邮件提交，请写明项目名称、实施内容和理由。",
    ], "none"),
]

ZCWJ = [
    (2004, "2026-09-10", "10:00", "示例市人民政府关于印发示例市优化营商环境若干措施的通知", SITE_NAME, "示政发〔2026〕12号",
     "2026-09-05", "市场监管、经济运行", [
        "各区县人民政府，市政府各部门：",
        "现将《示例市优化营商环境若干措施》印发给你们，请认真贯彻执行。",
        "《若干措施》共6个方面28条，围绕提升政务服务效能、降低企业经营成本、加强要素保障、维护公平竞争等方面提出具体举措。各部门要结合实际制定配套办法，确保各项措施落地见效。",
        "示例市人民政府　2026年9月5日",
     ], ("示例市优化营商环境若干措施.pdf", "/xxgk/files/P020260910_yshj.pdf")),
    (2003, "2026-06-20", "16:00", "示例市人民政府办公室关于进一步做好城市内涝防治工作的通知", OFFICE, "示政办发〔2026〕8号",
     "2026-06-18", "城乡建设、环境保护", [
        "各区县人民政府，市政府各部门：",
        "为切实做好今年汛期城市内涝防治工作，保障人民群众生命财产安全，经市政府同意，现就有关事项通知如下：",
        "一、全面排查易涝点。各区县要对下穿隧道、低洼路段、地下空间等易涝区域逐一排查，建立台账，落实责任人。",
        "二、加强排水设施维护。汛前完成排水管网清淤疏浚，确保雨水口、排水泵站正常运行。",
        "三、强化应急值守。遇强降雨天气，各有关部门要提前预置抢险力量和物资，及时发布预警信息。",
     ], None),
    (2002, "2026-04-02", "09:30", "示例市人民政府关于印发示例市全民健身实施计划（2026—2030年）的通知", SITE_NAME,
     "示政发〔2026〕5号", "2026-03-28", "文化、体育", [
        "各区县人民政府，市政府各部门：",
        "现将《示例市全民健身实施计划（2026—2030年）》印发给你们，请认真组织实施。",
        "到2030年，全市经常参加体育锻炼人数比例达到40%以上，城市社区“15分钟健身圈”实现全覆盖。",
     ], None),
    (2001, "2025-12-15", "11:20", "示例市人民政府办公室关于印发示例市既有住宅加装电梯实施办法的通知", OFFICE,
     "示政办发〔2025〕21号", "2025-12-10", "城乡建设", [
        "各区县人民政府，市政府各部门：",
        "《示例市既有住宅加装电梯实施办法》已经市政府同意，现印发给你们，请认真贯彻落实。",
        "本办法自2026年1月1日起施行，有效期5年。",
     ], None),
]

ZCJD = [
    (2103, "2026-09-12", "15:00", "《示例市优化营商环境若干措施》政策解读", "示例市发展和改革委员会", 2004, [
        "一、制定背景。为深入贯彻《优化营商环境条例》，进一步激发市场主体活力，市发展改革委会同有关部门起草了《示例市优化营商环境若干措施》。",
        "二、主要内容。《若干措施》共6个方面28条：提升政务服务效能方面，推行企业开办“一网通办、一窗通取”；降低经营成本方面，落实各项减税降费政策，规范涉企收费；加强要素保障方面，推行工业用地“标准地”出让。",
        "三、适用对象。在本市登记注册的各类市场主体。",
    ]),
    (2102, "2026-06-24", "10:00", "一图读懂：示例市城市内涝防治工作要点", "示例市住房和城乡建设局", 2003, [
        "为便于广大市民了解今年城市内涝防治工作安排，市住房城乡建设局以图解形式对《关于进一步做好城市内涝防治工作的通知》进行解读。",
        "主要内容包括：易涝点排查整治、排水设施维护、应急预警发布、群众避险指引四个方面。",
    ]),
    (2101, "2025-12-18", "09:00", "《示例市既有住宅加装电梯实施办法》解读", "示例市住房和城乡建设局", 2001, [
        "问：哪些住宅可以加装电梯？答：本市行政区域内已建成投入使用、具有合法权属证明、未列入房屋征收计划的四层及以上无电梯住宅。",
        "问：加装电梯需要哪些业主同意？答：应当经本单元专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决的业主中双四分之三以上同意。",
        "问：有没有财政补贴？答：对符合条件的加装电梯项目，每台给予一次性补贴15万元。",
    ]),
]

RSXX = [
    (4103, "2025-06-01", "14:00", "2025年示例市市属事业单位公开招聘拟聘用人员公示（第一批）", "示例市人力资源和社会保障局"),
    (4102, "2025-03-18", "17:00", "示例市人民政府关于刘志强等同志职务任免的通知", SITE_NAME),
    (4101, "2025-02-20", "09:00", "2025年示例市市属事业单位公开招聘工作人员简章", "示例市人力资源和社会保障局"),
]

# 互动交流 letters: (number, asked, title, unit, replied or None, question, answer)
LETTERS = [
    (6010, "2026-11-18", "建议在地铁站出口增设非机动车停放点", "示例市城市管理局", None,
     "市民广场地铁站B出口附近经常有共享单车乱停乱放，影响行人通行，建议规划设置非机动车停放点。", None),
    (6009, "2026-11-10", "关于某小区周边道路夜间施工噪音扰民的咨询", "示例市生态环境局", "2026-11-14",
     "近一周来，文化路与学府街交叉口附近工地每天夜里施工到凌晨一两点，噪音很大，请问夜间施工是否办理了审批手续？",
     "经核查，该工地因混凝土连续浇筑作业办理了夜间施工许可，许可期限至11月12日。我局已要求施工单位采取降噪措施，许可到期后不得再夜间施工。感谢您的监督。"),
    (6008, "2026-10-28", "咨询新生儿医保参保办理流程", "示例市医疗保障局", "2026-10-30",
     "孩子刚出生一个月，请问新生儿怎么办理居民医保参保？需要带哪些材料？",
     "新生儿可在出生后通过“示例医保”小程序或就近的医保经办窗口办理参保登记，需提供出生医学证明和户口簿（或身份证号码）。出生后90天内参保缴费的，自出生之日起享受医保待遇。"),
    (6006, "2026-10-12", "关于城区公交12路增加班次的建议", "示例市交通运输局", "2026-10-19",
     "公交12路早高峰时段车辆太少，经常要等20多分钟，车上非常拥挤，建议早高峰增加班次。",
     "感谢您的建议。经市公交集团客流调查，自10月20日起，12路早高峰（7:00—9:00）发车间隔由12分钟缩短至8分钟，并增加2辆区间车。"),
    (6004, "2026-09-20", "老旧小区加装电梯补贴政策咨询", "示例市住房和城乡建设局", "2026-09-25",
     "我家小区是1995年建成的6层住宅，想加装电梯，请问有补贴吗？怎么申请？",
     "根据《示例市既有住宅加装电梯实施办法》，符合条件的项目每台补贴15万元。电梯竣工验收并办理使用登记后，由业主代表向所在区住建部门提出申请。"),
    (6005, "2026-08-03", "反映滨河公园路灯损坏问题", "示例市城市管理局", "2026-09-12",
     "滨河公园东段沿河步道有十几盏路灯不亮，晚上散步的人很多，存在安全隐患，请尽快维修。",
     "经现场核实，滨河公园东段14盏路灯因线路老化故障，已于9月10日全部修复。因涉及线路改造，处理时间较长，敬请谅解。"),
    (6003, "2026-07-14", "灵活就业人员社保缴费基数咨询", "示例市人力资源和社会保障局", "2026-07-20",
     "我是灵活就业人员，请问2026年企业职工养老保险的缴费基数上下限是多少？",
     "2026年度灵活就业人员缴费基数下限为4127元/月，上限为20634元/月，可在上下限之间自主选择缴费基数。"),
    (6007, "2026-06-15", "关于农村宅基地翻建审批的咨询", "示例市自然资源和规划局", None,
     "我家老房子是上世纪80年代建的，现在想原址翻建，请问需要到哪里办理审批？需要什么材料？", None),
    (6002, "2026-05-08", "咨询中小学学区划分", "示例市教育局", "2026-05-12",
     "请问今年城区小学的学区划分什么时候公布？和去年相比有没有变化？",
     "2026年城区义务教育学校招生范围已于5月10日在市教育局网站公布，与去年相比，新建的实验小学东校区单独划定了招生范围。"),
    (6001, "2026-03-22", "建议增设老年人助餐点", "示例市民政局", "2026-03-30",
     "建议在老年人较多的社区增设助餐点，方便行动不便的老人就餐。",
     "感谢您的建议。今年我市将新建社区老年助餐点30处，年底前实现城市社区全覆盖，具体位置将在建成后公布。"),
]

GUIDES = [
    # (number, date, name, format, elements [(heading, text)], flowchart image or None)
    (3001, "2026-03-15", "食品经营许可（新办）", "table", [
        ("事项名称", "食品经营许可（新办）"),
        ("办理机构", "示例市行政审批服务局"),
        ("设定依据", "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》第二条"),
        ("申请条件", "（一）具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所；（二）具有与经营的食品品种、数量相适应的经营设备或者设施；（三）有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；（四）具有合理的设备布局和工艺流程。"),
        ("申请材料", "1.食品经营许可申请书；2.营业执照或者其他主体资格证明文件复印件；3.与食品经营相适应的主要设备设施、经营布局、操作流程等文件；4.食品安全自查、从业人员健康管理、进货查验记录等保证食品安全的规章制度目录。"),
        ("办理流程", "申请 → 受理 → 审查（含现场核查） → 决定 → 制证送达。"),
        ("办理时限", "法定办结时限：10个工作日；承诺办结时限：5个工作日。"),
        ("收费标准", "不收费。"),
        ("办理地点", "示例市政务服务中心二楼市场准入区B12—B15窗口（示例市市中区政务大道9号）"),
        ("办理时间", "周一至周五 上午9:00—12:00，下午13:00—17:00（法定节假日除外）"),
        ("咨询电话", "0531-12345601"),
        ("监督投诉", "示例市行政审批服务局监督科 0531-12345699；12345政务服务便民热线"),
    ], "/bsfw/images/lct1.png"),
    (3002, "2025-11-20", "城镇污水排入排水管网许可", "table", [
        ("事项名称", "城镇污水排入排水管网许可"),
        ("办理机构", "示例市行政审批服务局"),
        ("设定依据", "《城镇排水与污水处理条例》第二十一条；《城镇污水排入排水管网许可管理办法》第四条"),
        ("申请条件", "排水户向城镇排水设施排放污水，排放的污水符合国家或者地方规定的有关排放标准，并按照规定建设相应的预处理设施和水质、水量检测设施。"),
        ("申请材料", "1.排水许可申请表；2.排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明等材料；3.按规定建设污水预处理设施的有关材料；4.排水隐蔽工程竣工报告；5.排水水质检测报告。"),
        ("办理流程", "网上或窗口申请 → 受理 → 现场勘查 → 审查决定 → 发证。"),
        ("办理时限", "法定办结时限：20个工作日；承诺办结时限：7个工作日。"),
        ("收费标准", "不收费。"),
        ("办理地点", "示例市政务服务中心三楼投资建设区C08窗口"),
        ("办理时间", "周一至周五 上午9:00—12:00，下午13:00—17:00（法定节假日除外）"),
        ("咨询电话", "0531-12345602"),
        ("监督投诉", "0531-12345699；12345政务服务便民热线"),
    ], "/bsfw/images/lct2.png"),
    (3003, "2025-09-08", "建设工程消防验收", "headings", [
        ("事项名称", "特殊建设工程消防验收"),
        ("办理机构", "示例市住房和城乡建设局"),
        ("设定依据", "《中华人民共和国消防法》第十三条；《建设工程消防设计审查验收管理暂行规定》第二十六条"),
        ("申请条件", "特殊建设工程竣工后，建设单位已组织竣工验收，且工程符合经审查合格的消防设计文件。"),
        ("申请材料", "1.消防验收申请表；2.工程竣工验收报告；3.涉及消防的建设工程竣工图纸。"),
        ("办理流程", "申请 → 受理 → 现场评定 → 审批决定 → 出具验收意见书。"),
        ("办理时限", "法定办结时限：15日；承诺办结时限：10个工作日。"),
        ("收费标准", "不收费。"),
        ("办理地点", "示例市政务服务中心三楼投资建设区C12窗口"),
        ("办理时间", "周一至周五 上午9:00—12:00，下午13:00—17:00（法定节假日除外）"),
        ("咨询电话", "0531-12345603"),
        ("监督投诉", "示例市住房和城乡建设局 0531-12345698"),
    ], "/bsfw/images/lct3.png"),
    # incomplete guides: each misses 4 or more of the key elements
    (3004, "2024-06-12", "社会团体成立登记", "table", [
        ("事项名称", "社会团体成立登记"),
        ("申请条件", "有50个以上的个人会员或者30个以上的单位会员；有规范的名称和相应的组织机构；有固定的住所；有与其业务活动相适应的专职工作人员；有合法的资产和经费来源；有独立承担民事责任的能力。"),
        ("申请材料", "1.登记申请书；2.业务主管单位的批准文件；3.验资报告、场所使用权证明；4.发起人和拟任负责人的基本情况、身份证明；5.章程草案。"),
        ("办理时限", "60日"),
        ("咨询电话", "0531-12345604"),
    ], None),
    (3005, "2024-05-20", "公共场所卫生许可", "table", [
        ("事项名称", "公共场所卫生许可（新办）"),
        ("设定依据", "《公共场所卫生管理条例》第八条"),
        ("申请材料", "1.卫生许可证申请表；2.营业执照复印件；3.公共场所平面图和卫生设施平面布局图；4.公共场所卫生检测或者评价报告。"),
        ("办理地点", "示例市政务服务中心二楼"),
    ], None),
    (3006, "2024-04-09", "临时占用城市道路审批", "headings", [
        ("事项名称", "临时占用城市道路审批"),
        ("申请条件", "因特殊情况需要临时占用城市道路的。"),
        ("申请材料", "1.临时占用城市道路申请表；2.占道平面示意图；3.申请人身份证明。"),
        ("办理时间", "—"),
        ("咨询电话", "0531-12345605"),
    ], None),
]

LEADERS = [
    ("ldxx_lmy", "李明远", "市委副书记、市长", "1970年3月生，汉族，山东济南人，中共党员，研究生学历，经济学博士。",
     ["1992年7月参加工作，历任示例市计划委员会科员、副科长，示例市发展和改革委员会副主任、主任；",
      "2016年9月任示例县委书记；2020年1月任示例市人民政府副市长；",
      "2023年2月起任示例市委副书记、市人民政府市长。"],
     "主持市政府全面工作。负责审计方面工作。分管市审计局。"),
    ("ldxx_zjh", "张建华", "市人民政府副市长", "1974年8月生，汉族，中共党员，大学学历，工学学士。",
     ["1996年7月参加工作，历任示例市建设委员会技术员、科长，示例市住房和城乡建设局副局长、局长；",
      "2021年6月起任示例市人民政府副市长。"],
     "负责住房城乡建设、城市管理、交通运输、应急管理、安全生产等方面工作。分管市住房和城乡建设局、市城市管理局、市交通运输局、市应急管理局。"),
    ("ldxx_cyq", "陈雅琴", "市人民政府副市长", "1978年11月生，汉族，中共党员，研究生学历，管理学硕士。",
     ["2001年7月参加工作，历任示例市教育局科员、办公室主任，示例市民政局副局长，示例区人民政府区长；",
      "2022年3月起任示例市人民政府副市长。"],
     "负责教育、民政、人力资源社会保障、卫生健康、医疗保障等方面工作。分管市教育局、市民政局、市人力资源和社会保障局、市卫生健康委员会、市医疗保障局。"),
]


# --------------------------------------------------------------------------------------
# page builders
# --------------------------------------------------------------------------------------
def list_page(title: str, colmeta: str, crumb: str, heading: str, items: list[tuple[str, str, str]],
              side: str = "", pager: str = "", active: str = "") -> str:
    rows = "\n".join(f'<li><a href="{href}" target="_blank" title="{E(t)}">{E(t)}</a><span>{d}</span></li>'
                     for href, t, d in items)
    body = f"""{crumb}
{side}
<div class="list-box{' fr w900' if side else ''}">
<div class="list-title"><h2>{heading}</h2></div>
<ul class="list">
{rows}
</ul>
{pager}
</div>"""
    return layout(f"{title}_{SITE_NAME}", site_meta() + "\n" + colmeta, body, active)


XXGK_SIDE = [
    ("政府信息公开指南", "/xxgk/zn/index.html"),
    ("政府信息公开制度", "/xxgk/zd/index.html"),
    ("法定主动公开内容", "/xxgk/fdzdgknr/index.html"),
    ("政府信息公开年报", "/xxgk/ndbg/index.html"),
    ("依申请公开", "/xxgk/ysqgk/index.html"),
    ("财政预决算", "/xxgk/czyjs/index.html"),
    ("双随机一公开", "/xxgk/ssjygk/index.html"),
    ("建议提案办理", "/xxgk/jyta/index.html"),
    ("重大建设项目", "/xxgk/zdjsxm/index.html"),
    ("规划计划", "/xxgk/ghjh/index.html"),
    ("人事信息", "/xxgk/rsxx/index.html"),
]


def xxgk_side(current: str = "") -> str:
    on = ' class="on"'
    items = "".join(f'<li{on if name == current else ""}><a href="{href}">{name}</a></li>' for name, href in XXGK_SIDE)
    return f'<div class="side fl"><div class="side-title">政府信息公开</div><ul class="side-nav">{items}</ul></div>'


def xxgk_page(name: str, colmeta: str, inner: str, title: str | None = None) -> str:
    body = f"""{crumbs(("政府信息公开", "/xxgk/index.html"), (name, None))}
{xxgk_side(name)}
<div class="xxgk-main fr w900">
<div class="list-title"><h2>{name}</h2></div>
{inner}
</div>"""
    return layout(f"{title or name}_{SITE_NAME}", site_meta() + "\n" + colmeta, body, "政府信息公开")


def article_page(*, column: str, column_href: str, parent: tuple[str, str] | None, ctype: str, title: str,
                 day: str, time_: str, source: str, body: str, meta: str = "full", info_table: str = "",
                 attachments: list[tuple[str, str]] = (), active: str = "") -> str:
    if meta == "full":
        m = site_meta() + "\n" + article_meta(title, f"{day} {time_}", source, column, ctype)
    elif meta == "no-source":
        m = site_meta() + "\n" + "\n".join(l for l in article_meta(title, f"{day} {time_}", source, column,
                                                                   ctype).splitlines() if "ContentSource" not in l)
    else:  # an older template: site tags only
        m = site_meta()
    att = ""
    if attachments:
        att = '<div class="attach">附件：' + "".join(
            f'<p><a href="{href}">{E(name)}</a></p>' for name, href in attachments) + "</div>"
    trail = [parent] if parent else []
    page_body = f"""{crumbs(*trail, (column, column_href))}
<div class="article">
{info_table}<h1 class="art-title">{E(title)}</h1>
<div class="art-info"><span>发布时间：{day} {time_}</span><span>来源：{E(source)}</span><span>字号：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a></span></div>
<div class="content TRS_Editor">
{body}
</div>
{att}
<div class="art-tools"><a href="javascript:window.print()">【打印本页】</a>　<a href="javascript:window.close()">【关闭窗口】</a></div>
</div>"""
    return layout(f"{title}_{SITE_NAME}", m, page_body, active)


def build_files() -> dict[str, bytes]:
    files: dict[str, str | bytes] = {}

    # ---- static assets -----------------------------------------------------------------
    files["robots.txt"] = "User-agent: *\nDisallow: /admin/\n"
    files["css/style.css"] = CSS
    files["js/footer.js"] = FOOTER_JS
    files["images/logo.png"] = png(42, 8, (176, 18, 24))
    files["images/banner.png"] = png(60, 20, (200, 40, 40))
    files["images/red.png"] = png(11, 14, (204, 0, 0))
    files["images/ga.png"] = png(10, 10, (40, 80, 160))
    files["bsfw/images/lct1.png"] = png(30, 40, (60, 120, 200))
    files["bsfw/images/lct2.png"] = png(30, 40, (60, 160, 120))
    files["bsfw/images/lct3.png"] = png(30, 40, (160, 120, 60))
    files["xxgk/files/P020260210_ys2026.pdf"] = pdf(["Shili City 2026 Municipal Budget", "(sample file)"])
    files["xxgk/files/P020260910_yshj.pdf"] = pdf(["Shili City: Measures to Improve the Business Environment",
                                                  "(sample file)"])
    files["xxgk/files/P020260825_js2025.xls"] = ole_dummy("2025 final accounts (sample)")
    files["xxgk/files/ysqgk_sqb.doc"] = ole_dummy("application form (sample)")
    files["xxgk/files/P020250220_bmb.doc"] = ole_dummy("registration form (sample)")

    # ---- news-type columns -------------------------------------------------------------
    ywdt_meta = column_meta("要闻动态", "示例市政府重要会议、重要活动和工作动态", "要闻,动态,示例市", "工作动态")
    ywdt_items = []
    for num, day, t, title, source, body, meta in YWDT:
        path = article_path("xwzx/ywdt/", day, num)
        files[path] = article_page(column="要闻动态", column_href="/xwzx/ywdt/index.html",
                                   parent=("新闻动态", "/xwzx/ywdt/index.html"), ctype="工作动态", title=title,
                                   day=day, time_=t, source=source, body=paras(body), meta=meta, active="要闻动态")
        ywdt_items.append(("./" + path.removeprefix("xwzx/ywdt/"), title, day))
    crumb = crumbs(("新闻动态", "/xwzx/ywdt/index.html"), ("要闻动态", None))
    files["xwzx/ywdt/index.html"] = list_page(
        "要闻动态", ywdt_meta, crumb, "要闻动态", ywdt_items[:5], active="要闻动态",
        pager='<div class="page">共8条　第1/2页　<span>首页</span>　<span>上一页</span>　'
              '<a href="index_1.html">下一页</a>　<a href="index_1.html">尾页</a></div>')
    files["xwzx/ywdt/index_1.html"] = list_page(
        "要闻动态", ywdt_meta, crumb, "要闻动态", ywdt_items[5:], active="要闻动态",
        pager='<div class="page">共8条　第2/2页　<a href="index.html">首页</a>　<a href="index.html">上一页</a>　'
              '<span>下一页</span>　<span>尾页</span></div>')

    tzgg_meta = column_meta("通知公告", "示例市政府及部门发布的通知、公告、通告", "通知,公告,通告", "通知公告")
    tzgg_items = []
    for num, day, t, title, source, body, meta in TZGG:
        path = article_path("xwzx/tzgg/", day, num)
        files[path] = article_page(column="通知公告", column_href="/xwzx/tzgg/index.html",
                                   parent=("新闻动态", "/xwzx/ywdt/index.html"), ctype="通知公告", title=title,
                                   day=day, time_=t, source=source, body=paras(body), meta=meta, active="通知公告")
        tzgg_items.append(("./" + path.removeprefix("xwzx/tzgg/"), title, day))
    files["xwzx/tzgg/index.html"] = list_page(
        "通知公告", tzgg_meta, crumbs(("新闻动态", "/xwzx/ywdt/index.html"), ("通知公告", None)), "通知公告",
        tzgg_items, active="通知公告", pager='<div class="page">共4条　第1/1页</div>')

    zcwj_items = []
    catalogue = []  # rows for 法定主动公开内容: (index no, title, summary, made, published, href)
    for seq, (num, day, t, title, source, docno, made, topic, body, attachment) in enumerate(ZCWJ):
        path = article_path("zcwj/", day, num)
        index_no = f"{INDEX_PREFIX}/{day[:4]}-{num - 1900:05d}"
        info = f"""<table class="xxgk-info">
<tr><th>索&nbsp;引&nbsp;号：</th><td>{index_no}</td><th>主题分类：</th><td>{topic}</td></tr>
<tr><th>发文机关：</th><td>{E(source)}</td><th>成文日期：</th><td>{made}</td></tr>
<tr><th>发文字号：</th><td>{docno}</td><th>发布日期：</th><td>{day}</td></tr>
<tr><th>有&nbsp;效&nbsp;性：</th><td>有效</td><th>信息来源：</th><td>{E(source)}</td></tr>
</table>
"""
        files[path] = article_page(column="政策文件", column_href="/zcwj/index.html", parent=None, ctype="政策文件",
                                   title=title, day=day, time_=t, source=source, body=paras(body), info_table=info,
                                   attachments=[attachment] if attachment else [], active="政策文件")
        zcwj_items.append(("./" + path.removeprefix("zcwj/"), title, day))
        catalogue.append((index_no, title, body[2 if len(body) > 2 else 1][:40] + "…", made, day, "/" + path))
    files["zcwj/index.html"] = list_page(
        "政策文件", column_meta("政策文件", "示例市政府及办公室制发的规范性文件和其他政策文件", "政策文件,规范性文件",
                              "政策文件"),
        crumbs(("政策文件", None)), "政策文件", zcwj_items, active="政策文件",
        pager='<div class="page">共4条　第1/1页</div>')

    zcjd_items = []
    zcwj_by_num = {z[0]: z for z in ZCWJ}
    for num, day, t, title, source, ref, body in ZCJD:
        path = article_path("zcjd/", day, num)
        z = zcwj_by_num[ref]
        related = (f'<p class="related">相关文件：<a href="/{article_path("zcwj/", z[1], z[0])}">{E(z[3])}</a></p>')
        files[path] = article_page(column="政策解读", column_href="/zcjd/index.html", parent=None, ctype="政策解读",
                                   title=title, day=day, time_=t, source=source, body=paras(body) + "\n" + related,
                                   active="政策解读")
        zcjd_items.append(("./" + path.removeprefix("zcjd/"), title, day))
    files["zcjd/index.html"] = list_page(
        "政策解读", column_meta("政策解读", "对市政府重要政策文件的解读", "政策解读,图解", "政策解读"),
        crumbs(("政策解读", None)), "政策解读", zcjd_items, active="政策解读",
        pager='<div class="page">共3条　第1/1页</div>')

    # ---- 政府信息公开 --------------------------------------------------------------------
    build_xxgk(files, catalogue, tzgg_items)

    # ---- 办事服务 -------------------------------------------------------------------------
    build_bsfw(files)

    # ---- 互动交流 -------------------------------------------------------------------------
    build_hdjl(files)

    # ---- 走进示例市 -----------------------------------------------------------------------
    build_zjsl(files)

    # ---- homepage, sitemap, admin --------------------------------------------------------
    files["index.html"] = homepage(ywdt_items, tzgg_items, zcwj_items, zcjd_items)
    files["sitemap.html"] = sitemap()
    files["admin/secret.html"] = ADMIN_PAGE

    return {k: (v.encode("utf-8") if isinstance(v, str) else v) for k, v in files.items()}


def build_xxgk(files: dict, catalogue: list, tzgg_items: list) -> None:
    # personnel column (人事信息): the 2025-06-01 公示 leaks an ID number and a mobile number
    rs_bodies = {
        4103: paras([
            "根据《事业单位人事管理条例》和《2025年示例市市属事业单位公开招聘工作人员简章》，经笔试、面试、考察和体检，确定王晓明等3名同志为拟聘用人员，现予以公示。",
            "公示期为2025年6月1日至6月7日（5个工作日）。公示期间，如对拟聘用人员有异议，可向示例市人力资源和社会保障局反映。",
        ]) + f"""
<table class="gs-table" border="1" cellspacing="0" cellpadding="4">
<tr><th>序号</th><th>姓名</th><th>性别</th><th>身份证号码</th><th>联系电话</th><th>拟聘单位</th><th>岗位</th></tr>
<tr><td>1</td><td>王晓明</td><td>男</td><td>{LEAKED_ID}</td><td>{LEAKED_MOBILE}</td><td>示例市大数据中心</td><td>信息技术岗</td></tr>
<tr><td>2</td><td>赵丽</td><td>女</td><td>370102********2328</td><td>138****6621</td><td>示例市疾病预防控制中心</td><td>检验岗</td></tr>
<tr><td>3</td><td>孙浩然</td><td>男</td><td>370103********1517</td><td>139****0375</td><td>示例市第一中学</td><td>数学教师岗</td></tr>
</table>
""" + paras(["联系电话：0531-12345610（工作日）", "示例市人力资源和社会保障局　2025年6月1日"]),
        4102: paras([
            "各区县人民政府，市政府各部门：",
            "经市政府研究决定：刘志强同志任示例市行政审批服务局副局长（试用期一年）；周敏同志任示例市统计局副局长；免去吴海涛同志的示例市交通运输局副局长职务，另有任用。",
            "示例市人民政府　2025年3月18日",
        ]),
        4101: paras([
            "根据工作需要，示例市市属事业单位2025年计划公开招聘工作人员45名。现将有关事项公告如下：",
            "一、招聘范围和条件：具有中华人民共和国国籍，遵守宪法和法律，具有良好的品行和岗位所需的专业或技能条件，年龄18周岁以上、35周岁以下。",
            "二、报名时间：2025年3月1日至3月7日，采取网上报名方式。",
            "三、考试分笔试和面试，笔试成绩和面试成绩各占50%。",
        ]),
    }
    rs_items = []
    for num, day, t, title, source in RSXX:
        path = article_path("xxgk/rsxx/", day, num)
        att = [("2025年示例市市属事业单位公开招聘报名登记表.doc", "/xxgk/files/P020250220_bmb.doc")] if num == 4101 else []
        files[path] = article_page(column="人事信息", column_href="/xxgk/rsxx/index.html",
                                   parent=("政府信息公开", "/xxgk/index.html"), ctype="人事信息", title=title,
                                   day=day, time_=t, source=source, body=rs_bodies[num], meta="none",
                                   attachments=att, active="政府信息公开")
        rs_items.append(("./" + path.removeprefix("xxgk/rsxx/"), title, day))
        catalogue.append((f"{INDEX_PREFIX}/{day[:4]}-{num - 4000:05d}", title, "人事任免和招聘信息", day, day,
                          "/" + path))
    rows = "\n".join(f'<li><a href="{h}" target="_blank">{E(t)}</a><span>{d}</span></li>' for h, t, d in rs_items)
    files["xxgk/rsxx/index.html"] = xxgk_page(
        "人事信息", column_meta("人事信息", "人事任免、公务员及事业单位招考录用信息", "人事任免,招聘,录用", "人事信息"),
        f'<ul class="list">\n{rows}\n</ul>\n<div class="page">共3条　第1/1页</div>')

    # empty column (规划计划)
    files["xxgk/ghjh/index.html"] = xxgk_page(
        "规划计划", column_meta("规划计划", "国民经济和社会发展规划、专项规划、年度计划", "规划,计划", "规划计划"),
        '<ul class="list">\n</ul>\n<div class="no-data">暂无信息</div>')

    # 指南
    files["xxgk/zn/index.html"] = xxgk_page("政府信息公开指南", column_meta(
        "政府信息公开指南", "示例市人民政府政府信息公开指南", "信息公开指南", "信息公开指南"), """<div class="content">
<h3 style="text-align:center;">示例市人民政府政府信息公开指南</h3>
<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。本指南每年更新一次，最近更新时间：2026年1月10日。</p>
<h4>一、信息分类</h4>
<p>本机关主动公开的政府信息分为：机构职能、政策文件、政策解读、规划计划、财政预决算、重大建设项目、双随机一公开、建议提案办理、人事信息、通知公告、政府信息公开年报等类别。</p>
<h4>二、编排体系</h4>
<p>政府信息按类别编排；同一类别内按信息生成时间倒序排列。每条信息均编制索引号，由“机构代码/年份-流水号”组成，标注名称、内容概述、生成日期等要素。</p>
<h4>三、获取方式</h4>
<p>（一）主动公开。本机关主动公开的政府信息，通过示例市人民政府门户网站“政府信息公开”专栏、《示例市人民政府公报》、新闻发布会以及报刊、广播、电视等途径予以公开。市档案馆、市图书馆和市政务服务中心设立政府信息查阅场所，免费提供查阅服务。</p>
<p>（二）依申请公开。公民、法人或者其他组织可以通过网上申请、信函申请、当面申请等方式向本机关申请获取政府信息，具体见<a href="/xxgk/ysqgk/index.html">依申请公开</a>。</p>
<h4>四、政府信息公开工作机构</h4>
<table class="info-table" border="1" cellspacing="0" cellpadding="4">
<tr><th>名称</th><td>示例市人民政府办公室（市政务公开办公室）</td></tr>
<tr><th>办公地址</th><td>示例市市中区政务大道1号市政府2号楼305室</td></tr>
<tr><th>办公时间</th><td>周一至周五 上午9:00—12:00，下午13:30—17:00（法定节假日除外）</td></tr>
<tr><th>联系电话</th><td>0531-12345679</td></tr>
<tr><th>传真</th><td>0531-12345680</td></tr>
<tr><th>电子邮箱</th><td>zwgk@shili.gov.cn</td></tr>
<tr><th>邮政编码</th><td>250001</td></tr>
</table>
<h4>五、监督和救济</h4>
<p>公民、法人或者其他组织认为本机关未依法履行政府信息公开义务的，可以向示例市政务公开办公室投诉、举报；认为在政府信息公开工作中侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。</p>
</div>""")

    files["xxgk/zd/index.html"] = xxgk_page("政府信息公开制度", column_meta(
        "政府信息公开制度", "政府信息公开工作制度", "信息公开制度", "信息公开制度"), """<div class="content">
<p>为规范政府信息公开工作，本机关建立健全以下制度：</p>
<ul class="plain">
<li>政府信息公开保密审查制度：拟公开的政府信息，按照“先审查、后公开”和“一事一审”的原则进行保密审查。</li>
<li>政府信息主动公开制度：主动公开的政府信息自形成或者变更之日起20个工作日内予以公开。</li>
<li>依申请公开受理制度：依申请公开政府信息，按照《条例》规定的期限予以答复。</li>
<li>政府信息公开工作考核和责任追究制度。</li>
</ul>
</div>""")

    # 年报 (no 2025 report: it was due by 2026-03-31)
    reports = [
        (5003, "2025-01-20", 2024, (70, 10, 0, 1, 3, 2), (3, 1, 0, 0, 0, 0), [
            (42, 6, 0, 1, 2, 1), (9, 2, 0, 0, 0, 0), (3, 0, 0, 0, 0, 0), (12, 2, 0, 0, 1, 0), (2, 0, 0, 0, 0, 1),
            (1, 0, 0, 0, 0, 0)], (4, 1, 0, 0, 0, 0)),
        (5002, "2024-01-22", 2023, (58, 8, 1, 0, 2, 1), (2, 0, 0, 0, 0, 0), [
            (36, 5, 1, 0, 1, 1), (7, 1, 0, 0, 0, 0), (2, 0, 0, 0, 0, 0), (10, 1, 0, 0, 1, 0), (2, 0, 0, 0, 0, 0),
            (0, 0, 0, 0, 0, 0)], (3, 1, 0, 0, 0, 0)),
        (5001, "2023-01-19", 2022, (51, 6, 0, 1, 1, 0), (1, 1, 0, 0, 0, 0), [
            (33, 4, 0, 1, 1, 0), (6, 1, 0, 0, 0, 0), (2, 0, 0, 0, 0, 0), (7, 1, 0, 0, 0, 0), (2, 1, 0, 0, 0, 0),
            (0, 0, 0, 0, 0, 0)], (2, 0, 0, 0, 0, 0)),
    ]
    nb_items = []
    for num, day, year, new, carried, results, forward in reports:
        title = f"示例市人民政府{year}年政府信息公开工作年度报告"
        path = article_path("xxgk/ndbg/", day, num)
        files[path] = article_page(column="政府信息公开年报", column_href="/xxgk/ndbg/index.html",
                                   parent=("政府信息公开", "/xxgk/index.html"), ctype="信息公开年报", title=title,
                                   day=day, time_="09:00", source=OFFICE,
                                   body=annual_report(year, new, carried, results, forward), active="政府信息公开")
        nb_items.append(("./" + path.removeprefix("xxgk/ndbg/"), title, day))
        catalogue.append((f"{INDEX_PREFIX}/{day[:4]}-{num - 5000:05d}", title, f"{year}年度政府信息公开工作情况", day,
                          day, "/" + path))
    rows = "\n".join(f'<li><a href="{h}" target="_blank">{E(t)}</a><span>{d}</span></li>' for h, t, d in nb_items)
    files["xxgk/ndbg/index.html"] = xxgk_page(
        "政府信息公开年报", column_meta("政府信息公开年报", "示例市人民政府历年政府信息公开工作年度报告", "年度报告,年报",
                                "信息公开年报"),
        f'<ul class="list">\n{rows}\n</ul>\n<div class="page">共3条　第1/1页</div>')

    # 依申请公开
    files["xxgk/ysqgk/index.html"] = xxgk_page("依申请公开", column_meta(
        "依申请公开", "政府信息公开申请的受理机构、方式和在线申请", "依申请公开,申请表", "依法申请公开"), """<div class="content">
<p>公民、法人或者其他组织申请获取政府信息的，可以通过以下方式提出：</p>
<p>（一）网上申请：填写下方在线申请表提交。</p>
<p>（二）信函申请：下载并填写<a href="/xxgk/files/ysqgk_sqb.doc">《示例市人民政府政府信息公开申请表》</a>，邮寄至示例市市中区政务大道1号市政府2号楼305室，邮编250001，并在信封左下角注明“政府信息公开申请”字样。</p>
<p>（三）当面申请：工作时间到上述地址当面提交。本机关收到申请后，能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内予以答复。</p>
<form action="/xxgk/ysqgk/submit" method="post" class="apply-form">
<table class="form-table">
<tr><th>申请人类型</th><td><label><input type="radio" name="applicant_type" value="person" checked>公民</label> <label><input type="radio" name="applicant_type" value="org">法人或者其他组织</label></td></tr>
<tr><th>姓名/名称</th><td><input type="text" name="name" required></td></tr>
<tr><th>证件类型</th><td><select name="id_type"><option>居民身份证</option><option>统一社会信用代码</option><option>护照</option></select></td></tr>
<tr><th>证件号码</th><td><input type="text" name="id_number" required></td></tr>
<tr><th>联系电话</th><td><input type="tel" name="phone" required></td></tr>
<tr><th>电子邮箱</th><td><input type="email" name="email"></td></tr>
<tr><th>通信地址</th><td><input type="text" name="address"></td></tr>
<tr><th>所需信息的名称、文号或内容描述</th><td><textarea name="description" rows="5" required></textarea></td></tr>
<tr><th>获取信息的方式</th><td><label><input type="radio" name="delivery" value="email" checked>电子邮件</label> <label><input type="radio" name="delivery" value="post">邮寄</label> <label><input type="radio" name="delivery" value="pickup">当面领取</label></td></tr>
</table>
<p><input type="submit" value="提交申请"></p>
</form>
</div>""")

    # 财政预决算 (one attachment link is broken)
    files["xxgk/czyjs/index.html"] = xxgk_page("财政预决算", column_meta(
        "财政预决算", "市级财政预算、决算及“三公”经费信息", "预算,决算,三公经费", "财政预决算"), """<table class="list-table" border="1" cellspacing="0" cellpadding="4">
<tr><th>名称</th><th>附件</th><th>发布日期</th></tr>
<tr><td>示例市2025年市级决算公开</td><td><a href="/xxgk/files/P020260825_js2025.xls">2025年市级决算公开表.xls</a></td><td>2026-08-25</td></tr>
<tr><td>示例市2026年市级预算公开</td><td><a href="/xxgk/files/P020260210_ys2026.pdf">2026年市级预算公开说明.pdf</a></td><td>2026-02-10</td></tr>
<tr><td>示例市2025年市级预算公开</td><td><a href="/xxgk/files/P020250212_ys2025.pdf">2025年市级预算公开说明.pdf</a></td><td>2025-02-12</td></tr>
</table>
<p class="note">注：部门预决算由市级各部门在本部门网站公开。</p>""")

    files["xxgk/ssjygk/index.html"] = xxgk_page("双随机一公开", column_meta(
        "双随机一公开", "随机抽查事项清单、抽查计划和抽查结果", "双随机,抽查", "双随机一公开"), """<table class="list-table" border="1" cellspacing="0" cellpadding="4">
<tr><th>名称</th><th>实施部门</th><th>发布日期</th></tr>
<tr><td>2026年第三季度食品经营企业随机抽查结果</td><td>示例市市场监督管理局</td><td>2026-10-30</td></tr>
<tr><td>2026年建筑施工企业安全生产随机抽查结果</td><td>示例市住房和城乡建设局</td><td>2026-09-18</td></tr>
<tr><td>示例市2026年度“双随机、一公开”抽查计划</td><td>示例市市场监督管理局</td><td>2026-03-10</td></tr>
<tr><td>示例市随机抽查事项清单（2026年版）</td><td>示例市市场监督管理局</td><td>2026-02-26</td></tr>
</table>""")

    files["xxgk/jyta/index.html"] = xxgk_page("建议提案办理", column_meta(
        "建议提案办理", "市人大代表建议和市政协提案办理复文", "建议,提案,复文", "建议提案办理"), """<table class="list-table" border="1" cellspacing="0" cellpadding="4">
<tr><th>名称</th><th>承办单位</th><th>发布日期</th></tr>
<tr><td>对市十七届人大五次会议第0126号建议的答复</td><td>示例市教育局</td><td>2026-09-28</td></tr>
<tr><td>对市政协十四届五次会议第0203号提案的答复</td><td>示例市交通运输局</td><td>2026-09-15</td></tr>
<tr><td>对市十七届人大五次会议第0087号建议的答复</td><td>示例市住房和城乡建设局</td><td>2026-08-30</td></tr>
<tr><td>示例市人民政府2026年建议提案办理工作情况</td><td>示例市人民政府办公室</td><td>2026-07-20</td></tr>
</table>""")

    files["xxgk/zdjsxm/index.html"] = xxgk_page("重大建设项目", column_meta(
        "重大建设项目", "重大建设项目批准和实施情况", "重大项目,建设项目", "重大建设项目"), """<table class="list-table" border="1" cellspacing="0" cellpadding="4">
<tr><th>项目名称</th><th>批准文号</th><th>总投资（亿元）</th><th>实施进度</th><th>更新日期</th></tr>
<tr><td>示例市轨道交通2号线一期工程</td><td>示发改基础〔2024〕58号</td><td>182.6</td><td>主体结构施工，完成投资62%</td><td>2026-10-15</td></tr>
<tr><td>示例市第一人民医院新院区</td><td>示发改社会〔2025〕17号</td><td>24.3</td><td>主体封顶</td><td>2026-09-30</td></tr>
<tr><td>小清河示例段综合治理工程</td><td>示发改农经〔2025〕33号</td><td>11.8</td><td>已完工，进入验收阶段</td><td>2026-08-12</td></tr>
</table>""")

    # 法定主动公开内容 / 信息公开目录
    catalogue.sort(key=lambda r: r[4], reverse=True)
    rows = "\n".join(f'<tr><td>{ix}</td><td class="name"><a href="{href}" target="_blank">{E(t)}</a></td>'
                     f'<td>{E(summary)}</td><td>{made}</td></tr>' for ix, t, summary, made, _pub, href in catalogue)
    files["xxgk/fdzdgknr/index.html"] = xxgk_page("法定主动公开内容", column_meta(
        "法定主动公开内容", "政府信息公开目录：依法主动公开的政府信息", "信息公开目录,主动公开", "信息公开目录"),
        f"""<div class="ml-search"><form action="/search" method="get">目录检索：<input type="text" name="q"><input type="submit" value="检索"></form></div>
<table class="ml-table" border="1" cellspacing="0" cellpadding="4">
<tr><th>索引号</th><th>名称</th><th>内容概述</th><th>生成日期</th></tr>
{rows}
</table>""", title="政府信息公开目录")

    # 信息公开 home: 权责清单 is missing from 重点领域
    latest = "\n".join(f'<li><a href="{href}" target="_blank">{E(t)}</a><span>{pub}</span></li>'
                       for _ix, t, _s, _m, pub, href in catalogue[:6])
    key_areas = "".join(f'<li><a href="{h}">{n}</a></li>' for n, h in XXGK_SIDE[5:])
    files["xxgk/index.html"] = layout(f"政府信息公开_{SITE_NAME}", site_meta() + "\n" + column_meta(
        "政府信息公开", "示例市人民政府政府信息公开平台", "政府信息公开,政务公开", "政府信息公开"), f"""{crumbs(("政府信息公开", None))}
{xxgk_side()}
<div class="xxgk-main fr w900">
<div class="xxgk-search"><form action="/search" method="get">信息检索：<input type="text" name="q" placeholder="请输入标题关键词"><input type="submit" value="检索"></form></div>
<div class="box"><div class="box-title"><h3>政府信息公开</h3></div>
<ul class="entry">
<li><a href="/xxgk/zn/index.html">政府信息公开指南</a></li>
<li><a href="/xxgk/zd/index.html">政府信息公开制度</a></li>
<li><a href="/xxgk/fdzdgknr/index.html">法定主动公开内容</a></li>
<li><a href="/xxgk/ndbg/index.html">政府信息公开年报</a></li>
<li><a href="/xxgk/ysqgk/index.html">依申请公开</a></li>
</ul></div>
<div class="box"><div class="box-title"><h3>重点领域信息公开</h3></div>
<ul class="entry">{key_areas}<li><a href="/xwzx/tzgg/index.html">通知公告</a></li><li><a href="/zcwj/index.html">政策文件</a></li></ul></div>
<div class="box"><div class="box-title"><h3>最新公开</h3><a class="more" href="/xxgk/fdzdgknr/index.html">更多&gt;&gt;</a></div>
<ul class="list">
{latest}
</ul></div>
</div>""", "政府信息公开")


def annual_report(year: int, new, carried, results, forward) -> str:
    cols = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    names = ("（一）予以公开", "（二）部分公开", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理")

    def row(label, values):
        return f"<tr><td>{label}</td>" + "".join(f"<td>{v}</td>" for v in values) + f"<td>{sum(values)}</td></tr>"

    total = tuple(sum(r[i] for r in results) for i in range(6))
    assert all(new[i] + carried[i] == total[i] + forward[i] for i in range(6)), year
    app = "\n".join([
        "<tr><th>本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和</th>"
        + "".join(f"<th>{c}</th>" for c in cols) + "<th>总计</th></tr>",
        row("一、本年新收政府信息公开申请数量", new),
        row("二、上年结转政府信息公开申请数量", carried),
        '<tr><td colspan="8">三、本年度办理结果</td></tr>',
        *(row(n, r) for n, r in zip(names, results)),
        row("（七）总计", total),
        row("四、结转下年度继续办理", forward),
    ])
    k = year - 2020
    return f"""<p style="text-indent:2em;">本报告依据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）编制。本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。</p>
<h3>一、总体情况</h3>
<p style="text-indent:2em;">{year}年，示例市人民政府坚持以公开为常态、不公开为例外，全年主动公开政府信息{1200 + 150 * k}条，政策解读{40 + 6 * k}篇。</p>
<h3>二、主动公开政府信息情况</h3>
<table border="1" cellspacing="0" cellpadding="3">
<tr><th colspan="4">第二十条第（一）项</th></tr>
<tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr>
<tr><td>规章</td><td>{k % 2}</td><td>0</td><td>{10 + k}</td></tr>
<tr><td>行政规范性文件</td><td>{14 + k}</td><td>{3 + k % 3}</td><td>{88 + 4 * k}</td></tr>
<tr><th colspan="4">第二十条第（五）项</th></tr>
<tr><td>行政许可</td><td colspan="3">本年处理决定数量：{11000 + 480 * k}</td></tr>
<tr><th colspan="4">第二十条第（六）项</th></tr>
<tr><td>行政处罚</td><td colspan="3">本年处理决定数量：{3000 + 70 * k}</td></tr>
<tr><td>行政强制</td><td colspan="3">本年处理决定数量：{160 + 9 * k}</td></tr>
<tr><th colspan="4">第二十条第（八）项</th></tr>
<tr><td>行政事业性收费</td><td colspan="3">本年收费金额（单位：万元）：{4500 + 120 * k}.35</td></tr>
</table>
<h3>三、收到和处理政府信息公开申请情况</h3>
<table border="1" cellspacing="0" cellpadding="3">
{app}
</table>
<h3>四、政府信息公开行政复议、行政诉讼情况</h3>
<table border="1" cellspacing="0" cellpadding="3">
<tr><th colspan="5">行政复议</th><th colspan="5">行政诉讼</th></tr>
<tr><th>结果维持</th><th>结果纠正</th><th>其他结果</th><th>尚未审结</th><th>总计</th><th>结果维持</th><th>结果纠正</th><th>其他结果</th><th>尚未审结</th><th>总计</th></tr>
<tr><td>{k}</td><td>0</td><td>0</td><td>0</td><td>{k}</td><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
</table>
<h3>五、存在的主要问题及改进情况</h3>
<p style="text-indent:2em;">一是部分部门政策解读形式较为单一；二是基层政务公开标准化规范化水平有待提升。下一步，将丰富解读形式，加强业务培训。</p>
<h3>六、其他需要报告的事项</h3>
<p style="text-indent:2em;">本年度未收取信息处理费。</p>"""


def build_bsfw(files: dict) -> None:
    items = []
    for num, day, name, fmt, elements, chart in GUIDES:
        if fmt == "table":
            rows = []
            for head, text in elements:
                extra = ""
                if head == "办理流程" and chart:
                    extra = f'<br><img src="{chart}" alt="办理流程图" width="300" height="400">'
                rows.append(f"<tr><th>{head}</th><td>{E(text)}{extra}</td></tr>")
            inner = '<table class="bszn-table" border="1" cellspacing="0" cellpadding="6">\n' + "\n".join(rows) + "\n</table>"
        else:
            parts = []
            numerals = "一二三四五六七八九十"
            for i, (head, text) in enumerate(elements):
                label = numerals[i] if i < 10 else "十" + numerals[i - 10]
                parts.append(f"<h3>{label}、{head}</h3>\n<p>{E(text)}</p>")
                if head == "办理流程" and chart:
                    parts.append(f'<p class="lct"><img src="{chart}" alt="办理流程图" width="300" height="400"></p>')
            inner = "\n".join(parts)
        path = article_path("bsfw/bszn/", day, num)
        title = f"{name}办事指南"
        files[path] = layout(f"{title}_{SITE_NAME}", site_meta() + "\n" + article_meta(
            title, f"{day} 10:00", "示例市行政审批服务局", "办事指南", "办事服务"), f"""{crumbs(("办事服务", "/bsfw/index.html"), ("办事指南", None))}
<div class="article bszn">
<h1 class="art-title">{E(title)}</h1>
<div class="art-info"><span>更新时间：{day}</span></div>
<div class="content">
{inner}
</div>
<div class="art-tools"><a href="javascript:window.print()">【打印本页】</a></div>
</div>""", "办事服务")
        items.append((f"./{path.removeprefix('bsfw/')}", name))
    rows = "\n".join(f'<tr><td>{i}</td><td class="name"><a href="{h}" target="_blank">{E(n)}</a></td>'
                     f'<td><a href="{h}" target="_blank">办事指南</a></td></tr>' for i, (h, n) in enumerate(items, 1))
    files["bsfw/index.html"] = layout(f"办事服务_{SITE_NAME}", site_meta() + "\n" + column_meta(
        "办事服务", "行政许可和公共服务事项办事指南", "办事指南,行政许可,政务服务", "办事服务"), f"""{crumbs(("办事服务", None))}
<div class="bsfw">
<div class="list-title"><h2>办事指南</h2></div>
<p>本栏目公开市级部门依申请政务服务事项的办事指南。更多事项请访问示例市政务服务网。</p>
<table class="list-table" border="1" cellspacing="0" cellpadding="4">
<tr><th>序号</th><th>事项名称</th><th>操作</th></tr>
{rows}
</table>
</div>""", "办事服务")


def build_hdjl(files: dict) -> None:
    rows = []
    for num, asked, title, unit, replied, question, answer in LETTERS:
        path = article_path("hdjl/xx/", asked, num)
        status = "已回复" if replied else "未回复"
        reply = (f"""<tr><th>回复单位</th><td>{E(unit)}</td></tr>
<tr><th>回复时间</th><td>{replied}</td></tr>
<tr><th>回复内容</th><td>{E(answer)}</td></tr>""" if replied else
                 """<tr><th>回复单位</th><td>—</td></tr>
<tr><th>回复时间</th><td>—</td></tr>
<tr><th>回复内容</th><td>暂无回复</td></tr>""")
        files[path] = layout(f"{title}_{SITE_NAME}", site_meta() + "\n" + column_meta(
            "领导信箱", "网民咨询、建议和回复", "领导信箱,咨询,留言", "咨询投诉"), f"""{crumbs(("互动交流", "/hdjl/index.html"), ("领导信箱", "/hdjl/index.html"))}
<div class="letter">
<h1 class="art-title">{E(title)}</h1>
<div class="art-info"><span>留言时间：{asked}</span><span>办理状态：{status}</span></div>
<table class="letter-table" border="1" cellspacing="0" cellpadding="6">
<tr><th>留言标题</th><td>{E(title)}</td></tr>
<tr><th>留言人</th><td>网友</td></tr>
<tr><th>留言时间</th><td>{asked}</td></tr>
<tr><th>办理状态</th><td>{status}</td></tr>
<tr><th>留言内容</th><td>{E(question)}</td></tr>
{reply}
</table>
</div>""", "互动交流")
        rows.append((path, title, asked, replied, status))

    def table(chunk):
        return "\n".join(
            f'<tr><td class="name"><a href="/{p}" target="_blank">{E(t)}</a></td><td>{a}</td>'
            f'<td>{r or "—"}</td><td>{s}</td></tr>' for p, t, a, r, s in chunk)

    form = """<div class="box write"><div class="box-title"><h3>我要写信</h3></div>
<form action="/hdjl/submit" method="post" class="letter-form">
<p><label>姓　　名：<input type="text" name="name" required></label></p>
<p><label>联系电话：<input type="tel" name="phone" required></label></p>
<p><label>留言类型：<select name="kind"><option>咨询</option><option>建议</option><option>求助</option></select></label></p>
<p><label>留言标题：<input type="text" name="title" required></label></p>
<p><label>留言内容：<textarea name="content" rows="6" required></textarea></label></p>
<p><label><input type="checkbox" name="public" value="1" checked>同意公开留言内容（个人信息不公开）</label></p>
<p><input type="submit" value="提交留言"></p>
</form></div>"""
    head = '<tr><th>标题</th><th>留言时间</th><th>回复时间</th><th>状态</th></tr>'
    meta = site_meta() + "\n" + column_meta("领导信箱", "网民向市政府领导咨询、建议，由有关部门办理答复", "领导信箱,咨询,建议",
                                            "咨询投诉")
    intro = ("<p>领导信箱受理公民、法人和其他组织对市政府工作的咨询和建议。来信一般在10个工作日内答复。"
             "涉及信访事项的请通过网上信访渠道反映。</p>")
    pages = [(rows[:6], "index.html",
              '<div class="page">共10条　第1/2页　<span>首页</span>　<span>上一页</span>　'
              '<a href="index_1.html">下一页</a>　<a href="index_1.html">尾页</a></div>'),
             (rows[6:], "index_1.html",
              '<div class="page">共10条　第2/2页　<a href="index.html">首页</a>　<a href="index.html">上一页</a>　'
              '<span>下一页</span>　<span>尾页</span></div>')]
    for chunk, name, pager in pages:
        files[f"hdjl/{name}"] = layout(f"领导信箱_互动交流_{SITE_NAME}", meta, f"""{crumbs(("互动交流", "/hdjl/index.html"), ("领导信箱", None))}
<div class="hdjl">
<div class="list-title"><h2>领导信箱</h2></div>
{intro}
<table class="letter-list" border="1" cellspacing="0" cellpadding="4">
{head}
{table(chunk)}
</table>
{pager}
{form if name == "index.html" else ""}
</div>""", "互动交流")


def build_zjsl(files: dict) -> None:
    leader_rows = []
    for slug, name, post, brief, career, duties in LEADERS:
        path = f"zjsl/ldxx/{slug}.html"
        files[path] = layout(f"{name}_{SITE_NAME}", site_meta() + "\n" + column_meta(
            "领导信息", "市政府领导姓名、简历和工作分工", "市长,副市长,领导分工", "负责人信息"), f"""{crumbs(("走进示例市", "/zjsl/index.html"), ("领导信息", "/zjsl/ldxx/index.html"), (name, None))}
<div class="leader">
<h2>{name}</h2>
<p class="post">{post}</p>
<h3>简历</h3>
<p>{brief}</p>
{paras(career)}
<h3>工作分工</h3>
<p>{duties}</p>
</div>""", "走进示例市")
        leader_rows.append(f'<tr><td><a href="{slug}.html">{name}</a></td><td>{post}</td><td>{duties}</td></tr>')
    files["zjsl/ldxx/index.html"] = layout(f"领导信息_{SITE_NAME}", site_meta() + "\n" + column_meta(
        "领导信息", "市政府领导姓名、简历和工作分工", "市长,副市长,领导分工", "负责人信息"), f"""{crumbs(("走进示例市", "/zjsl/index.html"), ("领导信息", None))}
<div class="ldxx">
<div class="list-title"><h2>市政府领导</h2></div>
<table class="list-table" border="1" cellspacing="0" cellpadding="6">
<tr><th>姓名</th><th>职务</th><th>分工</th></tr>
{chr(10).join(leader_rows)}
</table>
</div>""", "走进示例市")

    files["zjsl/jgzn/index.html"] = layout(f"机构职能_{SITE_NAME}", site_meta() + "\n" + column_meta(
        "机构职能", "示例市人民政府职能和工作部门设置", "机构职能,工作部门", "机构职能"), f"""{crumbs(("走进示例市", "/zjsl/index.html"), ("机构职能", None))}
<div class="content jgzn">
<h3>示例市人民政府主要职能</h3>
<p style="text-indent:2em;">执行市人民代表大会及其常务委员会的决议，以及上级国家行政机关的决定和命令，规定行政措施，发布决定和命令；领导所属各工作部门和各区县人民政府的工作；执行国民经济和社会发展计划、预算，管理本行政区域内的经济、教育、科学、文化、卫生、体育、城乡建设等行政工作。</p>
<h3>办公地址和时间</h3>
<p>办公地址：示例市市中区政务大道1号　办公时间：周一至周五 9:00—12:00，13:30—17:00　联系电话：0531-12345678</p>
<h3>市政府工作部门</h3>
<table class="list-table" border="1" cellspacing="0" cellpadding="4">
<tr><th>部门名称</th><th>主要职责</th></tr>
<tr><td>示例市人民政府办公室</td><td>协助市政府领导处理日常工作，负责政务公开、政务信息和督查工作。</td></tr>
<tr><td>示例市发展和改革委员会</td><td>拟订并组织实施国民经济和社会发展规划，统筹重大建设项目。</td></tr>
<tr><td>示例市教育局</td><td>负责全市各级各类教育的统筹规划和协调管理。</td></tr>
<tr><td>示例市民政局</td><td>负责社会救助、养老服务、社会组织登记管理等工作。</td></tr>
<tr><td>示例市人力资源和社会保障局</td><td>负责就业创业、社会保险和人事人才工作。</td></tr>
<tr><td>示例市住房和城乡建设局</td><td>负责住房保障、城乡建设和建筑市场监管。</td></tr>
<tr><td>示例市交通运输局</td><td>负责公路、水路交通和城市公共交通管理。</td></tr>
<tr><td>示例市行政审批服务局</td><td>集中行使行政许可权，负责政务服务中心运行管理。</td></tr>
</table>
</div>""", "走进示例市")

    files["zjsl/index.html"] = layout(f"走进示例市_{SITE_NAME}", site_meta() + "\n" + column_meta(
        "走进示例市", "示例市市情概况、历史沿革、机构职能和领导信息", "市情,概况,历史", "概况信息"), f"""{crumbs(("走进示例市", None))}
<div class="zjsl">
<div class="list-title"><h2>市情概况</h2></div>
<p style="text-indent:2em;">示例市位于示例省中部，总面积8177平方公里，辖4区2县，常住人口约512万人。示例市历史悠久，山水秀美，是国家历史文化名城和全国文明城市。</p>
<p style="text-indent:2em;">2025年，全市实现地区生产总值5120亿元，一般公共预算收入412亿元，城乡居民人均可支配收入分别达到5.6万元和2.5万元。</p>
<ul class="entry">
<li><a href="/zjsl/lsyg.html">历史沿革</a></li>
<li><a href="/zjsl/jgzn/index.html">机构职能</a></li>
<li><a href="/zjsl/ldxx/index.html">领导信息</a></li>
</ul>
</div>""", "走进示例市")

    # The one GBK page: an older static page, stored as GBK, served with a utf-8 header.
    files["zjsl/lsyg.html"] = LSYG.encode("gbk")


def homepage(ywdt, tzgg, zcwj, zcjd) -> str:
    def ul(items, n):
        return "\n".join(f'<li><a href="{h}">{E(t)}</a><span>{d}</span></li>' for h, t, d in items[:n])

    def rebase(items, prefix):
        return [(prefix + h.removeprefix("./"), t, d) for h, t, d in items]

    guides = "".join(f'<li><a href="/{article_path("bsfw/bszn/", g[1], g[0])}">{g[2]}</a></li>'
                     for g in GUIDES[:4])
    letters = "\n".join(
        f'<li><a href="/{article_path("hdjl/xx/", a, n)}">{E(t)}</a><span>{a}</span></li>'
        for n, a, t, *_ in LETTERS[:4])
    body = f"""<div class="banner"><img src="/images/banner.png" alt="示例市欢迎您" width="1200" height="300"><img src="/images/missing-banner.jpg" alt="美丽示例市" width="1200" height="300"></div>
<div class="row clearfix">
<div class="box news fl">
<div class="box-title"><h3>要闻动态</h3><a class="more" href="/xwzx/ywdt/index.html">更多&gt;&gt;</a></div>
<ul class="list">
{ul(rebase(ywdt, "/xwzx/ywdt/"), 5)}
</ul></div>
<div class="box notice fr">
<div class="box-title"><h3>通知公告</h3><a class="more" href="/xwzx/tzgg/index.html">更多&gt;&gt;</a></div>
<ul class="list">
{ul(rebase(tzgg, "/xwzx/tzgg/"), 4)}
</ul></div>
</div>
<div class="row clearfix">
<div class="box policy fl">
<div class="box-title"><h3>政策文件</h3><a class="more" href="/zcwj/index.html">更多&gt;&gt;</a></div>
<ul class="list">
{ul(rebase(zcwj, "/zcwj/"), 4)}
</ul></div>
<div class="box jd fr">
<div class="box-title"><h3>政策解读</h3><a class="more" href="/zcjd/index.html">更多&gt;&gt;</a></div>
<ul class="list">
{ul(rebase(zcjd, "/zcjd/"), 3)}
</ul></div>
</div>
<div class="row clearfix">
<div class="box xxgk fl">
<div class="box-title"><h3>政府信息公开</h3><a class="more" href="/xxgk/index.html">更多&gt;&gt;</a></div>
<ul class="entry">
<li><a href="/xxgk/zn/index.html">政府信息公开指南</a></li>
<li><a href="/xxgk/fdzdgknr/index.html">法定主动公开内容</a></li>
<li><a href="/xxgk/ndbg/index.html">政府信息公开年报</a></li>
<li><a href="/xxgk/ysqgk/index.html">依申请公开</a></li>
<li><a href="/xxgk/jcgk/index.html">决策公开</a></li>
<li><a href="/xxgk/czyjs/index.html">财政预决算</a></li>
<li><a href="/xxgk/zdjsxm/index.html">重大建设项目</a></li>
<li><a href="/xxgk/rsxx/index.html">人事信息</a></li>
</ul></div>
<div class="box bsfw fr">
<div class="box-title"><h3>办事服务</h3><a class="more" href="/bsfw/index.html">更多&gt;&gt;</a></div>
<ul class="entry">{guides}</ul></div>
</div>
<div class="row clearfix">
<div class="box hdjl fl">
<div class="box-title"><h3>互动交流</h3><a class="more" href="/hdjl/index.html">更多&gt;&gt;</a></div>
<p class="entry-big"><a href="/hdjl/index.html">领导信箱（我要写信）</a></p>
<ul class="list">
{letters}
</ul></div>
<div class="box zjsl fr">
<div class="box-title"><h3>走进示例市</h3><a class="more" href="/zjsl/index.html">更多&gt;&gt;</a></div>
<ul class="entry">
<li><a href="/zjsl/index.html">市情概况</a></li>
<li><a href="/zjsl/lsyg.html">历史沿革</a></li>
<li><a href="/zjsl/jgzn/index.html">机构职能</a></li>
<li><a href="/zjsl/ldxx/index.html">领导信息</a></li>
</ul></div>
</div>
<div class="links">相关链接：<a href="{DEAD_EXTERNAL}" target="_blank">示例市公共资源交易中心</a>　<a href="/sitemap.html">网站地图</a>　<a href="/admin/secret.html">内部办公</a></div>"""
    meta = (site_meta() + '\n<meta name="Keywords" content="示例市,示例市人民政府,政府信息公开,政务服务">\n'
            '<meta name="Description" content="示例市人民政府门户网站">')
    return layout(SITE_NAME, meta, body, "首页")


def sitemap() -> str:
    groups = [
        ("政府信息公开", [(n, h) for n, h in XXGK_SIDE]),
        ("新闻动态", [("要闻动态", "/xwzx/ywdt/index.html"), ("通知公告", "/xwzx/tzgg/index.html")]),
        ("政策", [("政策文件", "/zcwj/index.html"), ("政策解读", "/zcjd/index.html")]),
        ("办事服务", [("办事指南", "/bsfw/index.html")]),
        ("互动交流", [("领导信箱", "/hdjl/index.html")]),
        ("走进示例市", [("市情概况", "/zjsl/index.html"), ("历史沿革", "/zjsl/lsyg.html"),
                    ("机构职能", "/zjsl/jgzn/index.html"), ("领导信息", "/zjsl/ldxx/index.html")]),
    ]
    blocks = "\n".join(f'<dl class="map"><dt>{g}</dt><dd>' + "　".join(f'<a href="{h}">{n}</a>' for n, h in links)
                       + "</dd></dl>" for g, links in groups)
    return layout(f"网站地图_{SITE_NAME}", site_meta(), f"""{crumbs(("网站地图", None))}
<div class="sitemap">
<div class="list-title"><h2>网站地图</h2></div>
{blocks}
</div>""")


CSS = """@charset "utf-8";
body,ul,li,p,h1,h2,h3,h4,dl,dt,dd,form{margin:0;padding:0}
body{font:14px/1.8 "Microsoft YaHei","SimSun",sans-serif;color:#333;background:#f5f5f5}
a{color:#333;text-decoration:none}a:hover{color:#b01218}
ul{list-style:none}
.w1200{width:1200px;margin:0 auto}.w900{width:900px}.fl{float:left}.fr{float:right}
.clearfix:after{content:"";display:block;clear:both}
.top{background:#eee;height:32px;line-height:32px;font-size:12px}
.header{background:#b01218;height:110px}.logo{display:block;float:left;margin-top:15px}
.search-box{float:right;margin-top:40px}.search-input{width:220px;height:28px;border:0;padding:0 8px}
.search-btn{height:30px;width:60px;border:0;background:#fff;color:#b01218;cursor:pointer}
.nav{background:#8c0d12;height:46px}.nav li{float:left;width:133px;text-align:center}
.nav a{color:#fff;line-height:46px;font-size:16px;display:block}.nav li.on a,.nav a:hover{background:#c8161d}
.main{background:#fff;padding:15px 20px;margin-top:10px;min-height:500px}
.position{font-size:12px;color:#666;border-bottom:1px solid #ddd;padding-bottom:6px;margin-bottom:12px}
.box{width:570px;margin-bottom:15px}.box-title{border-bottom:2px solid #b01218;height:36px;position:relative}
.box-title h3{font-size:16px;color:#b01218;line-height:36px}.more{position:absolute;right:0;top:8px;font-size:12px}
.list li{height:32px;line-height:32px;border-bottom:1px dashed #ddd;overflow:hidden}
.list li span{float:right;color:#999}.entry li{display:inline-block;margin:6px 12px}
.side{width:230px}.side-title{background:#b01218;color:#fff;font-size:16px;padding:8px 15px}
.side-nav li{border-bottom:1px solid #eee;padding:6px 15px}.side-nav li.on a{color:#b01218;font-weight:bold}
.list-title h2{font-size:18px;color:#b01218;border-bottom:2px solid #b01218;margin-bottom:10px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd}
.article h1{font-size:22px;text-align:center;margin:15px 0}.art-info{text-align:center;color:#888;font-size:12px}
.art-info span{margin:0 10px}.content{padding:15px 0}.content p{margin-bottom:10px}
.page{text-align:center;margin:15px 0}.no-data{text-align:center;color:#999;padding:60px 0}
.footer{background:#8c0d12;color:#fff;padding:20px 0;margin-top:15px;font-size:12px;text-align:center}
.footer a{color:#fff}.dzjg{float:left;margin:10px 40px 0 120px}
"""

FOOTER_JS = f"""/* 示例市人民政府 全站公共底部 */
document.write('<div class="foot-links"><a href="/sitemap.html">网站地图</a> | <a href="/zjsl/jgzn/index.html">联系我们</a></div>');
document.write('<p>主办单位：{OFFICE}　　承办单位：示例市大数据中心</p>');
document.write('<p>地址：示例市市中区政务大道1号　　邮编：250001　　联系电话：0531-12345678</p>');
document.write('<p>网站标识码：{FOOTER_SITE_CODE}　　<a href="https://beian.miit.gov.cn/" target="_blank">{ICP}</a>　　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={PSB}" target="_blank"><img src="/images/ga.png" alt="" style="vertical-align:middle"> 鲁公网安备 {PSB}号</a></p>');
document.write('<p>版权所有：示例市人民政府　　建议使用1366×768分辨率浏览本网站</p>');
"""

LSYG = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="gbk">
<title>历史沿革_{SITE_NAME}</title>
<link rel="stylesheet" type="text/css" href="/css/style.css">
</head>
<body>
<div class="header"><div class="w1200"><a class="logo" href="/"><img src="/images/logo.png" alt="{SITE_NAME}"></a></div></div>
<div class="w1200 main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zjsl/index.html">走进示例市</a> &gt; 历史沿革</div>
<div class="content">
<h2>历史沿革</h2>
<p style="text-indent:2em;">示例市历史悠久，境内发现的新石器时代遗址表明，早在五千多年前先民就在这里繁衍生息。春秋时期属齐国，秦统一后置郡县。</p>
<p style="text-indent:2em;">汉代以后，历代在此设州、府、县治所，明清时期为府城，商贾云集，是区域性的政治、经济和文化中心。</p>
<p style="text-indent:2em;">1948年，示例城解放，设立示例市。1983年，实行市管县体制。2001年，经国务院批准，调整部分行政区划，形成现在的4区2县格局。</p>
<p style="text-indent:2em;">改革开放以来，示例市经济社会快速发展，先后获得国家历史文化名城、全国文明城市、国家森林城市等称号。</p>
<p class="date">更新时间：2019-05-16</p>
</div>
</div>
<div class="footer"><div class="w1200">主办单位：{OFFICE}　地址：示例市市中区政务大道1号　联系电话：0531-12345678</div></div>
</body>
</html>
"""

ADMIN_PAGE = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>内部办公系统_{SITE_NAME}</title>
<meta name="robots" content="noindex,nofollow">
</head>
<body>
<h1>示例市人民政府内部办公系统</h1>
<p>本页面仅供内部工作人员使用（robots.txt 禁止抓取 /admin/）。</p>
<form action="/admin/login" method="post"><p>用户名：<input type="text" name="user"></p><p>密码：<input type="password" name="pass"></p><p><input type="submit" value="登录"></p></form>
<p><a href="/">返回首页</a></p>
</body>
</html>
"""


def build(out: Path) -> dict[str, bytes]:
    """Write the site to ``out`` (replacing it) and return {relative path: bytes}."""
    files = build_files()
    if out.exists():
        shutil.rmtree(out)
    for rel in sorted(files):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[rel])
    return files


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent / "site"
    files = build(out)
    pages = sum(1 for k in files if k.endswith(".html"))
    print(f"wrote {len(files)} files ({pages} HTML pages) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
