"""The system browser (Debian's chromium), driven with the ``playwright`` package.

Playwright's own browser download is not used: gov-audit launches the chromium the
system has (``apt-get install -y chromium-headless-shell``, or ``chromium``) through ``executable_path``. The flags
keep a headless chromium from reaching out on its own (updates, sync, QUIC probes),
which on a closed network would hang it.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

INSTALL_HINT = "install it with: apt-get install -y chromium-headless-shell"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")
# What Playwright's launch() (1.65) puts before FLAGS: the BrowserService starts chromium itself
# and must render exactly as a launched one does — hidden scrollbars (page widths, the phone
# view's overflow), no HTTPS upgrades, sRGB, the hover/pointer media features, no back/forward
# cache. (Never add a second --disable-features to FLAGS: chromium keeps only the last one.)
PLAYWRIGHT_SWITCHES = (
    "--disable-field-trial-config", "--disable-background-networking", "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows", "--disable-back-forward-cache", "--disable-breakpad",
    "--disable-component-extensions-with-background-pages", "--disable-component-update",
    "--no-default-browser-check", "--disable-default-apps", "--disable-dev-shm-usage", "--disable-edgeupdater",
    "--disable-extensions",
    "--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,"
    "HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,"
    "AvoidCorsURLLoaderRestartOnRedirect,TcpPortRandomizationWin,OptimizationHints,NetworkTimeServiceQuerying,"
    "AimEnabled,PreconnectToSearch,msForceBrowserSignIn,msEdgeUpdateLaunchServicesPreferredVersion",
    "--enable-features=CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies", "--allow-pre-commit-input",
    "--disable-hang-monitor", "--disable-ipc-flooding-protection", "--disable-popup-blocking",
    "--disable-prompt-on-repost", "--disable-renderer-backgrounding", "--disable-updater-scheduler",
    "--force-color-profile=srgb", "--metrics-recording-only", "--no-first-run", "--password-store=basic",
    "--use-mock-keychain", "--no-service-autorun", "--disable-search-engine-choice-screen",
    "--unsafely-disable-devtools-self-xss-warnings", "--enable-unsafe-swiftshader", "--edge-skip-compat-layer-relaunch",
    "--disable-stack-profiler", "--do-not-de-elevate",
    "--disable-infobars", "--disable-sync", "--headless", "--hide-scrollbars", "--mute-audio",
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4",
    "--no-sandbox")
# Debian's chromium-headless-shell first: it is the same Blink as chromium without the desktop
# browser around it (the build Playwright itself uses for headless), and starting it with one tab
# costs about 60 % of chromium's CPU and 60 % of its memory (benchmarks/browser_floor.py). Its
# /usr/bin wrapper does not exec, so the binary itself, which then receives signals and
# PR_SET_PDEATHSIG directly. The full chromium is the fallback for machines set up before.
CANDIDATES = ("/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell", "headless_shell",
              "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
# The executables' names as a process list shows them (the main process has no --type=).
BROWSER_PROCESS_NAMES = ("chromium-headless-shell", "headless_shell", "chromium", "chrome", "chromium-browser",
                         "google-chrome")


def is_browser_main(proc) -> bool:
    """Whether ``proc`` (a ``psutil.Process``) is a browser's main process, for whoever counts the
    browsers started (tests, benchmarks): a browser executable without ``--type=`` (helpers have
    one) whose parent is no browser — a helper chromium has just forked (zygote, GPU) shows the
    browser's command line until it execs."""
    def browser(cmd: list[str]) -> bool:
        return bool(cmd) and os.path.basename(cmd[0]) in BROWSER_PROCESS_NAMES

    try:
        cmd = proc.cmdline()
        if not browser(cmd) or any(a.startswith("--type=") for a in cmd):
            return False
        parent = proc.parent()
        return not (parent is not None and browser(parent.cmdline()))
    except Exception:  # noqa: BLE001 - psutil.Error: the process is gone or not ours to read
        return False


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
    """The browser executable: $GOV_AUDIT_CHROMIUM, else the first of CANDIDATES found."""
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


# The chromium this process's audits share (a fleet worker's BrowserService), as its DevTools
# endpoint; None: each audit launches a browser of its own.
_shared_endpoint: str | None = None


def use_shared(endpoint: str | None) -> None:
    """From now on launch() connects to the chromium at ``endpoint`` (a BrowserService) instead of
    starting one; None goes back to one browser per audit."""
    global _shared_endpoint
    _shared_endpoint = endpoint or None


@contextmanager
def launch(timeout: float = 30.0) -> Iterator[object]:
    """A headless chromium (playwright Browser) for one audit.

    By default a browser of its own with an empty, temporary profile, closed at the end. In a
    fleet worker (``use_shared``) a connection to the worker's running chromium instead: the
    audit's contexts are fresh (no cookie, cache or storage of another site) and are closed
    at the end, but chromium is not started again for every site. If that chromium cannot be
    reached, the audit starts one of its own."""
    reason = unavailable_reason()
    if reason:
        raise BrowserUnavailable(reason)
    from playwright.sync_api import sync_playwright

    exe = find_chromium()
    with sync_playwright() as pw:
        browser = None
        if _shared_endpoint:
            try:
                browser = pw.chromium.connect_over_cdp(_shared_endpoint, timeout=timeout * 1000)
            except Exception as exc:  # noqa: BLE001 - the worker's chromium died: this audit starts its own
                import sys

                print(f"gov-audit: the shared browser at {_shared_endpoint} could not be reached "
                      f"({type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}); "
                      "starting one for this audit", file=sys.stderr)
                browser = None
        if browser is None:
            # Playwright's launch() always starts chromium with a fresh, empty temporary
            # --user-data-dir of its own (and refuses one in args).
            browser = pw.chromium.launch(executable_path=exe, timeout=timeout * 1000, args=list(FLAGS))
        try:
            yield browser
        finally:
            browser.close()  # a connected browser: its contexts are closed, chromium goes on


class BrowserService:
    """A chromium that outlives one audit: a fleet worker starts one and its audits connect to it
    (``use_shared(service.endpoint)``), each with fresh contexts. Started with the same switches
    as launch() (PLAYWRIGHT_SWITCHES + FLAGS), an empty temporary profile, and DevTools on a
    loopback port; it dies with the
    process that started it (PR_SET_PDEATHSIG), so a killed worker leaves no browser behind."""

    def __init__(self) -> None:
        self.proc = None
        self.endpoint: str | None = None
        self._dir: str | None = None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 30.0) -> "BrowserService":
        import re
        import subprocess
        import tempfile
        import threading
        import time

        reason = unavailable_reason()
        if reason:
            raise BrowserUnavailable(reason)
        self._dir = tempfile.mkdtemp(prefix="gov-audit-chromium-")
        self.proc = subprocess.Popen(
            [find_chromium(), *PLAYWRIGHT_SWITCHES, *FLAGS, "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", f"--user-data-dir={self._dir}", "--no-startup-window"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            errors="replace", preexec_fn=_die_with_parent)
        found: list[str] = []
        ready = threading.Event()

        def read() -> None:  # the endpoint line, then drained so chromium never blocks on a full pipe
            for line in self.proc.stderr:
                if not found:
                    m = re.search(r"DevTools listening on (ws://\S+)", line)
                    if m:
                        found.append(m.group(1))
                        ready.set()
            ready.set()

        threading.Thread(target=read, name="gov-audit-chromium-log", daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.1) and time.monotonic() < deadline:
            pass
        if not found:
            self.close()
            raise BrowserUnavailable(f"chromium did not start within {timeout:g} s")
        self.endpoint = found[0]
        return self

    def close(self) -> None:
        import shutil
        import subprocess

        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


def _die_with_parent() -> None:
    """In the browser's process before exec: SIGKILL when the process that started it dies."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux: the owner's close() still ends it
        pass


_process_service: BrowserService | None = None


def _close_process_service() -> None:
    if _process_service is not None:
        _process_service.close()


def process_service() -> BrowserService | None:
    """This process's BrowserService, started on first use and restarted if it died (a Celery
    pool process audits site after site); None when no browser can be started."""
    global _process_service
    if _process_service is not None and _process_service.alive:
        return _process_service
    if _process_service is not None:
        _process_service.close()
    else:
        import atexit

        atexit.register(_close_process_service)
    try:
        _process_service = BrowserService().start()
    except (BrowserUnavailable, OSError):
        _process_service = None
    return _process_service


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
