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
from functools import lru_cache
from typing import Iterator

INSTALL_HINT = "install it with: apt-get install -y chromium"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


# Debian's chromium brings no Chinese font: without one every Chinese character of a screenshot
# or of the PDF scorecard is an empty box. Debian's package of a CJK family:
FONT_PACKAGE = "fonts-noto-cjk"
FONT_HINT = f"install one with: apt-get install -y {FONT_PACKAGE}"
# Font files that carry Chinese, for a machine without fontconfig's fc-list.
_CJK_FILE_HINTS = ("cjk", "wqy", "wenquan", "droidsansfallback", "sourcehan", "simsun", "simhei", "msyh",
                   "notosanssc", "notoserifsc", "arphic", "uming", "ukai")
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")


def chinese_fonts(env: dict | None = None) -> list[str]:
    """Font families that can show Chinese, as fontconfig (which chromium uses) sees them."""
    import subprocess

    try:
        proc = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30,
                              env=env)
    except (OSError, subprocess.SubprocessError):
        return _chinese_font_files()
    families = set()
    for line in proc.stdout.splitlines():
        families.update(name.strip() for name in line.split(",") if name.strip())
    return sorted(families)


@lru_cache(maxsize=4)
def _have_chinese_font(fontconfig_file: str) -> bool:
    """Asked once per process (and fontconfig file): a fleet worker audits many sites."""
    return bool(chinese_fonts())


def _chinese_font_files() -> list[str]:
    from pathlib import Path

    found = []
    for folder in _FONT_DIRS:
        root = Path(folder).expanduser()
        if root.is_dir():
            found += [f.stem for f in root.rglob("*") if f.suffix.lower() in (".ttf", ".otf", ".ttc", ".otc")
                      and any(h in f.name.lower() for h in _CJK_FILE_HINTS)]
    return sorted(set(found))


def cjk_font_problem(env: dict | None = None) -> str | None:
    """None when a Chinese font is installed, else one line saying what goes wrong and the package."""
    if (_have_chinese_font(os.environ.get("FONTCONFIG_FILE", "")) if env is None else chinese_fonts(env)):
        return None
    return ("font missing: no Chinese (CJK) font is installed, so Chinese text in the PDF scorecard and the "
            f"homepage screenshots shows as empty boxes; {FONT_HINT}")


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
                 margin={"top": "10mm", "bottom": "10mm", "left": "10mm", "right": "10mm"})
