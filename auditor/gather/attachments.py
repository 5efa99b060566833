"""The ``attachments`` gatherer: the first page of published attachments, for content.classified
(a 密级 stamp sits at the top of a document's first page).

The crawl only asks for attachments' status (HEAD). This fetches up to
``[checks."content.classified"] max_attachments`` PDF, DOCX and TXT attachments the crawl found
on the site, through the crawl's fetcher (rate limit, size cap), and keeps the text of their
first page: PDF through pypdf, DOCX from its document XML (the first paragraphs), TXT as is.
Old binary .doc/.xls/.wps files are counted, not read.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from auditor.gather import _net
from auditor.gather.base import gatherer
from auditor.network.decode import decode_html
from auditor.network.urls import extension

MAX_ATTACHMENTS = 20
MAX_BYTES = 4 * 1024 * 1024  # a bigger file is counted as not read
FIRST_PAGE_CHARS = 3000
READABLE = ("pdf", "docx", "txt")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def first_page(kind: str, body: bytes) -> str:
    """The text of a document's first page (raises on a damaged file)."""
    if kind == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return (reader.pages[0].extract_text() or "")[:FIRST_PAGE_CHARS] if reader.pages else ""
    if kind == "docx":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            root = etree.fromstring(z.read("word/document.xml"), etree.XMLParser(resolve_entities=False, no_network=True))
        lines = []
        for p in root.iter(_W + "p"):
            lines.append("".join(t.text or "" for t in p.iter(_W + "t")))
            if sum(map(len, lines)) > FIRST_PAGE_CHARS:
                break
        return "\n".join(lines)[:FIRST_PAGE_CHARS]
    return decode_html(body, "text/plain")[0][:FIRST_PAGE_CHARS]


@gatherer("attachments")
def gather(snap, ctx) -> dict:
    if ctx.fetcher is None:
        return {"state": "no-fetcher"}
    if _net.stopped(ctx):
        return {"state": "stopped"}
    cap = MAX_ATTACHMENTS
    handed = ctx.settings.get("attachments", {})  # from the checks that declare these settings
    cap = int(handed.get("max_attachments", MAX_ATTACHMENTS))
    found = sorted({p.final_url for p in snap.pages.values() if p.kind == "attachment" and p.ok
                    and snap.in_site(p.final_url)})
    readable = [u for u in found if extension(u) in READABLE]
    out = []
    for url in readable[:cap]:
        if _net.stopped(ctx):
            break
        f = ctx.fetcher.fetch(url, max_bytes=MAX_BYTES, any_type=True)
        rec = {"url": url, "kind": extension(url), "status": f.status, "error": f.error, "text": ""}
        if f.ok and f.body and not f.truncated:
            try:
                rec["text"] = first_page(rec["kind"], f.body)
            except Exception as exc:  # noqa: BLE001 - a damaged or encrypted file is that file's record
                rec["error"] = f"unreadable {rec['kind']}: {type(exc).__name__}"
        elif f.truncated:
            rec["error"] = "larger than the size cap"
        out.append(rec)
    return {"state": "stopped" if _net.stopped(ctx) else "done", "attachments": out,
            "not_read": len(found) - len(out)}
