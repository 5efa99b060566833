"""The system browser (Debian's chromium), driven with the ``playwright`` package.

Playwright's own browser download is not used: gov-audit launches the chromium the
system has (``apt-get install -y chromium``) through ``executable_path``. The flags
keep a headless chromium from reaching out on its own (updates, sync, QUIC probes),
which on a closed network would hang it.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from typing import Iterator

INSTALL_HINT = "install it with: apt-get install -y chromium"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


class BrowserUnavailable(RuntimeError):
    """No usable browser: the message is one line saying how to get one."""


def find_chromium() -> str | None:
    """The browser executable: $GOV_AUDIT_CHROMIUM, /usr/bin/chromium, chromium-browser, google-chrome."""
    env = os.environ.get("GOV_AUDIT_CHROMIUM", "").strip()
    if env:
        found = shutil.which(env) or (env if os.path.isfile(env) and os.access(env, os.X_OK) else None)
        return found
    for name in CANDIDATES:
        found = shutil.which(name) or (name if os.path.isfile(name) and os.access(name, os.X_OK) else None)
        if found:
            return found
    return None


def unavailable_reason() -> str | None:
    """None when a browser can be driven, else a one-line reason with the fix."""
    if find_chromium() is None:
        env = os.environ.get("GOV_AUDIT_CHROMIUM", "").strip()
        where = f"GOV_AUDIT_CHROMIUM={env} is not an executable; " if env else ""
        return f"{where}no chromium browser found; {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing; install it with: pip install playwright"
    return None


@contextmanager
def launch(timeout: float = 30.0) -> Iterator[object]:
    """A launched headless chromium (playwright Browser) with an empty, temporary profile."""
    reason = unavailable_reason()
    if reason:
        raise BrowserUnavailable(reason)
    from playwright.sync_api import sync_playwright

    exe = find_chromium()
    # Playwright's launch() always starts chromium with a fresh, empty temporary
    # --user-data-dir of its own (and refuses one in args).
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, timeout=timeout * 1000, args=list(FLAGS))
        try:
            yield browser
        finally:
            browser.close()


def html_to_pdf(html_path, pdf_path, timeout: float = 60.0) -> None:
    """Print a local HTML file to an A4 PDF with the system browser."""
    from pathlib import Path

    src = Path(html_path).resolve()
    with launch() as browser:
        page = browser.new_page()
        page.goto(src.as_uri(), timeout=timeout * 1000, wait_until="load")
        page.emulate_media(media="print")
        page.pdf(path=str(pdf_path), format="A4", print_background=True,
                 margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
