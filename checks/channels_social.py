"""channels.social — the homepage points to the 政务新媒体 accounts (两微一端).

MOT 2018 work points item 16 asks departments to use 政务微博、微信、移动客户端 to
publish, explain policies and serve. A visitor finds them through the portal: links
to weibo.com / mp.weixin.qq.com, QR-code images labelled 微信/微博, app download
links, or labels such as 官方微信、微信公众号 in the page. Markers are profile
keyword lists; absence is only a warning (the item asks for the accounts, not
explicitly for links to them).
"""
import re

from auditor.checking.check import Clause, Evidence, Result, T, check

from auditor.views.page_text import compact, excerpt, homepage_is_thin, homepage_links, nfkc
from auditor.checking.verdicts import thin_unknown

ID = "channels.social"
CHANNELS = {
    "weibo": T("政务微博", "government Weibo"),
    "weixin": T("政务微信", "government WeChat"),
    "app": T("移动客户端", "mobile app"),
}
# (URL/file-name markers, short labels for link texts and image alts, phrases for page text)
DEFAULTS = {
    "weibo": (["weibo.com", "weibo.cn", "t.qq.com", "t.sina.com.cn", "weibo"],
              ["微博"], ["政务微博", "官方微博", "新浪微博", "微博账号"]),
    "weixin": (["mp.weixin.qq.com", "weixin.qq.com", "weixin", "wechat"],
               ["微信", "公众号"], ["政务微信", "官方微信", "微信公众号", "微信公众平台", "微信号", "微信扫一扫"]),
    "app": (["apps.apple.com", "itunes.apple.com", "app.mi.com", "sj.qq.com", "a.app.qq.com", "appstore", ".apk"],
            ["客户端", "App下载", "移动端"], ["移动客户端", "手机客户端", "客户端下载", "APP下载", "App下载", "手机APP"]),
}


def _markers(profile, key):
    urls, labels, phrases = DEFAULTS[key]
    return (profile.keywords(f"social_{key}_urls") or urls, profile.keywords(f"social_{key}_labels") or labels,
            profile.keywords(f"social_{key}_phrases") or phrases)


def find_channels(snap, profile) -> dict[str, list[Evidence]]:
    found: dict[str, list[Evidence]] = {k: [] for k in CHANNELS}
    links = homepage_links(snap)
    for key in CHANNELS:
        urls, labels, phrases = _markers(profile, key)
        url_m = [u.lower() for u in urls]
        label_m = [compact(l).lower() for l in labels]
        for link in links:
            low = link.url.lower()
            text = compact(link.text).lower()
            hit = next((m for m in url_m if m in low), None)
            if hit is None and text and len(text) <= 20:
                hit = next((m for m in label_m if m in text), None)
            if hit and link.tag in ("a", "area", "img", "iframe"):
                kind = "二维码/图片" if link.tag == "img" else "链接"
                found[key].append(Evidence(link.url, f"{kind}：{link.text or '（无文字）'}"[:120], CHANNELS[key]))
                if len(found[key]) >= 3:
                    break
        if found[key]:
            continue
        pattern = re.compile("|".join(re.escape(nfkc(p)) for p in phrases), re.I)
        for where, url, text in snap.homepage_text_sources():
            if where == "html" or not text:
                continue
            m = pattern.search(nfkc(text))
            if m:
                found[key].append(Evidence(url, excerpt(nfkc(text), m.start(), m.end()), CHANNELS[key]))
                break
    return found


@check(
    id=ID,
    title=T("政务新媒体（两微一端）入口", "Government social media (两微一端)"),
    category="interaction",
    clause=Clause("《交通运输部2018年政务公开工作要点》（交通运输部办公厅 2018年5月6日印发）",
                  "第16项（两微一端）",
                  confidence="🟡", effective="2018-05-06", rule="R-mot-social",
                  quote="充分发挥政务微博、微信、移动客户端灵活便捷的优势，做好信息发布、政策解读和办事服务工作，进一步增强公开实效，"
                        "提升服务水平。",
                  note="门户网站须展示入口为推导"),
    weight=1,
    description=T("首页应有政务微博、政务微信（公众号）、移动客户端的入口（链接、二维码或说明文字）。"
                  "要求网站展示入口是由工作要点推导的，未找到只给警告。",
                  "The homepage shows the government Weibo, WeChat account and mobile app (links, QR codes or labels). "
                  "That the portal must show them is derived from the work points: absence only warns."),
    remediation=T("在首页（如页面底部或“政务新媒体”栏）提供政务微博、微信公众号、移动客户端的链接或二维码。",
                  "Show links or QR codes for the government Weibo, WeChat account and app on the homepage."),
    gatherers=("homepage", "links"),
)
def run(snap, profile):
    found = find_channels(snap, profile)
    have = [k for k, ev in found.items() if ev]
    missing = [k for k in CHANNELS if k not in have]
    need = profile.threshold("social_channels_min")
    evidence = [e for k in have for e in found[k]]
    details = {"found": have, "missing": missing}
    names = "、".join(CHANNELS[k].zh for k in have)
    names_en = ", ".join(CHANNELS[k].en for k in have)
    miss = "、".join(CHANNELS[k].zh for k in missing)
    miss_en = ", ".join(CHANNELS[k].en for k in missing)
    if have and len(have) >= need:
        tail = f"（未找到：{miss}）" if missing else ""
        return Result.passed(T(f"首页有{names}入口{tail}", f"the homepage links to: {names_en}"
                               + (f" (not found: {miss_en})" if missing else "")), evidence, **details)
    if not have and homepage_is_thin(snap):
        return thin_unknown(T("政务新媒体入口", "social media links"))
    if have:
        return Result.warned(T(f"首页只找到{names}入口，少于配置要求的 {need:g} 类（未找到：{miss}）",
                               f"only {names_en} found, fewer than the {need:g} kinds required"), evidence, **details)
    return Result.warned(T("首页未找到政务微博、政务微信或移动客户端的入口（链接、二维码或说明文字）",
                           "no link, QR code or label for a government Weibo, WeChat account or app on the homepage"),
                         [Evidence(snap.homepage.final_url, snap.homepage.footer_text[-160:], T("页面底部文字", "footer text"))],
                         **details)
