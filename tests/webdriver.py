"""Just enough of the W3C WebDriver protocol (plain HTTP + JSON to chromedriver, no Selenium) to drive
headless Chromium with the network blocked (``browser``, the fixture in conftest.py, starts it)."""

from __future__ import annotations

import base64
import json
import shutil
import time
import urllib.error
import urllib.request

import pytest

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C WebDriver key of an element reference


def binary(*names: str) -> str:
    for name in names:
        if found := shutil.which(name):
            return found
    pytest.fail(f"{names[0]} is needed for the browser tests: apt-get install chromium chromium-driver "
                "(scripts/test.sh installs them)")


class WebDriver:
    """Just enough of the W3C WebDriver protocol: a session, navigation, scripts, clicks, screenshots."""

    def __init__(self, url: str, chromium: str, profile: str):
        self.url = url
        capabilities = {"browserName": "chrome", "goog:chromeOptions": {"binary": chromium, "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
            # no network but loopback: names do not resolve, other traffic goes to a closed port
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--proxy-server=http://127.0.0.1:9",
            "--window-size=1360,1000",
        ]}, "goog:loggingPrefs": {"browser": "ALL"}}
        created = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = created["sessionId"]

    def _call(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as err:
            raise AssertionError(f"WebDriver {method} {path}: {err.read().decode()[:1000]}") from None

    def command(self, method: str, path: str, body: dict | None = None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def open(self, url: str) -> None:
        """Load ``url`` afresh (a page only differing in its #fragment would not reload)."""
        self.command("POST", "/url", {"url": "about:blank"})
        self.command("POST", "/url", {"url": url})

    def script(self, source: str, *args):
        return self.command("POST", "/execute/sync", {"script": source, "args": list(args)})

    def click(self, css: str) -> None:
        element = self.command("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]
        self.command("POST", f"/element/{element}/click", {})

    def wait_for(self, source: str, seconds: float = 30.0):
        deadline = time.monotonic() + seconds
        while not (value := self.script(source)):
            assert time.monotonic() < deadline, f"timed out waiting for: {source}"
            time.sleep(0.2)
        return value

    def element(self, css: str) -> str:
        return self.command("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def type(self, css: str, text: str) -> None:
        self.command("POST", f"/element/{self.element(css)}/value", {"text": text})

    def click_at(self, css: str, x: int, y: int) -> None:
        """A real pointer click at (x, y) from the top-left corner of the element ``css``."""
        element = {ELEMENT: self.element(css)}
        size = self.script("const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                           "return [r.width, r.height];", css)
        dx, dy = round(x - size[0] / 2), round(y - size[1] / 2)  # the origin is the element's centre
        self.command("POST", "/actions", {"actions": [{"type": "pointer", "id": "mouse",
                     "parameters": {"pointerType": "mouse"}, "actions": [
                         {"type": "pointerMove", "origin": element, "x": dx, "y": dy, "duration": 0},
                         {"type": "pointerDown", "button": 0}, {"type": "pause", "duration": 80},
                         {"type": "pointerUp", "button": 0}]}]})
        self.command("DELETE", "/actions")

    def screenshot(self) -> bytes:
        return base64.b64decode(self.command("GET", "/screenshot"))

    def console_errors(self) -> list[str]:
        """Browser console messages of level SEVERE since the last call."""
        entries = self.command("POST", "/se/log", {"type": "browser"})
        return [e["message"] for e in entries if e["level"] == "SEVERE"]

    def url_now(self) -> str:
        return self.command("GET", "/url")

    def quit(self) -> None:
        self.command("DELETE", "")
