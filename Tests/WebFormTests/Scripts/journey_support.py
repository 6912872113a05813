"""Helpers for tenant_journey.py: the browser, waits with deadlines, Knot edits, direct API calls, screenshots.

Every wait is an explicit condition with a deadline (WebDriverWait), never a fixed sleep.
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

DESKTOP = (1280, 800)
PHONE = (360, 780)


class JourneyFailure(Exception):
    pass


def step(message):
    print(f"STEP {message}", flush=True)


class Browser:
    """Headless Chromium with the waits, lookups and checks the journey uses."""

    def __init__(self, arguments):
        self.arguments = arguments
        self.base = arguments.base_url.rstrip("/")
        self.console = []
        self.started = time.monotonic()
        options = webdriver.ChromeOptions()
        options.binary_location = arguments.chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=en-US", "--no-first-run", "--disable-extensions",
                     "--hide-scrollbars"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # Chromium leaves its singleton socket directory in $TMPDIR; give it one that close() removes.
        self.scratch = tempfile.mkdtemp(prefix="webform-chromium-")
        os.environ["TMPDIR"] = self.scratch
        self.driver = webdriver.Chrome(service=Service(arguments.chromedriver), options=options)
        self.driver.set_page_load_timeout(30)

    # MARK: - waits

    def wait(self, condition, what, timeout=20):
        def guarded(driver):
            try:
                return condition(driver)
            except (StaleElementReferenceException, NoSuchElementException):
                return False
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(guarded)
        except TimeoutException as error:
            raise JourneyFailure(f"timed out after {timeout}s waiting for {what}") from error

    def timed(self, condition, what, timeout=60):
        """Waits like wait() and prints how long it took (TIMING lines in the test output)."""
        start = time.monotonic()
        result = self.wait(condition, what, timeout)
        print(f"TIMING {what}: {time.monotonic() - start:.1f}s", flush=True)
        return result

    def by_id(self, element_id):
        return self.driver.find_element(By.ID, element_id)

    def css(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def visible(self, element_id, timeout=20):
        return self.wait(EC.visibility_of_element_located((By.ID, element_id)), f"#{element_id} visible", timeout)

    def hidden(self, element_id):
        return not self.by_id(element_id).is_displayed()

    def text_in(self, element_id, text, timeout=20):
        self.wait(EC.text_to_be_present_in_element((By.ID, element_id), text), f"'{text}' in #{element_id}", timeout)
        return self.by_id(element_id).text

    def text_of(self, element_id):
        return self.by_id(element_id).text

    def fill(self, element_id, value):
        field = self.by_id(element_id)
        field.clear()
        field.send_keys(value)

    def click(self, element_id):
        self.by_id(element_id).click()

    def choose(self, element_id):
        """Clicks a radio button by its label, as a person would. The domain page's status list above the forms
        re-renders as checks report, which can move the label between the moment the click is aimed and the
        moment it lands on something else: then it is aimed again, until the label takes it."""
        def clicked(driver):
            label = driver.find_element(By.CSS_SELECTOR, f'label[for="{element_id}"]')
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
            try:
                label.click()
            except ElementClickInterceptedException:
                return False
            return True
        self.wait(clicked, f"a click on the label of #{element_id}")
        self.wait(lambda d: self.by_id(element_id).is_selected(), f"#{element_id} selected")

    def active_id(self):
        return self.driver.execute_script("return document.activeElement && document.activeElement.id")

    def focused(self, element_id):
        """Waits until keyboard focus is on #element_id (focus moves after the request that caused it ends)."""
        try:
            WebDriverWait(self.driver, 10, poll_frequency=0.05).until(lambda d: self.active_id() == element_id)
        except TimeoutException as error:
            raise JourneyFailure(f"focus is on #{self.active_id()}, not #{element_id}") from error

    def expect(self, condition, message):
        if not condition:
            raise JourneyFailure(message)

    def hash(self):
        return self.driver.execute_script("return location.hash")

    def page_text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def collect_console(self):
        self.console.extend(self.driver.get_log("browser"))

    # MARK: - the API behind the page's back

    def token(self):
        return self.driver.execute_script("return sessionStorage.getItem('mtasts.session')")

    def api(self, method, path, body=None, headers=None, anonymous=False):
        """Calls the JSON API directly with the page's session token (to change or read things behind its back),
        or without one."""
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode())
        if not anonymous:
            request.add_header("Authorization", f"Bearer {self.token()}")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    # MARK: - Knot

    def knot(self, *arguments):
        command = [self.arguments.knotc, "-s", self.arguments.knot_socket, "-t", "10", *arguments]
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise JourneyFailure(f"{' '.join(command)} failed: {result.stdout}{result.stderr}")

    def replace_rrset(self, owner, records, remove=("TXT",)):
        """Replaces the RRsets of the types in `remove` at `owner` with `records` [(type, value)], in one
        transaction."""
        zone = self.arguments.zone
        owner = owner.rstrip(".") + "."
        self.knot("zone-begin", zone)
        try:
            for kind in remove:
                subprocess.run([self.arguments.knotc, "-s", self.arguments.knot_socket, "zone-unset", zone, owner,
                                kind], capture_output=True, timeout=30)
            for kind, value in records:
                self.knot("zone-set", zone, owner, "1", kind, value)
            self.knot("zone-commit", zone)
        except Exception:
            subprocess.run([self.arguments.knotc, "-s", self.arguments.knot_socket, "zone-abort", zone],
                           capture_output=True, timeout=30)
            raise

    def publish_txt(self, owner, value):
        """Replaces the TXT RRset at owner with one value."""
        self.replace_rrset(owner, [("TXT", json.dumps(value))])

    def publish_cname(self, owner, target):
        """Replaces whatever is at `owner` (TXT, CNAME) with one CNAME to `target`."""
        self.replace_rrset(owner, [("CNAME", target)], remove=("TXT", "CNAME"))

    # MARK: - clipboard

    def grant_clipboard(self):
        self.driver.execute_cdp_cmd("Browser.grantPermissions", {
            "origin": self.base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})

    def clipboard_after_clicking(self, button):
        """Clicks a copy button and returns what the clipboard then holds (read through the Clipboard API)."""
        self.driver.execute_script("return navigator.clipboard.writeText('')")
        button.click()
        self.wait(lambda d: button.text == "Copied", "the copy button to say Copied")
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "navigator.clipboard.readText().then(done, (error) => done('clipboard error: ' + error))")

    def copy_status_after(self, button):
        """The live region right after a copy button (where "Copied the …" appears)."""
        return button.find_element(By.XPATH, "following-sibling::span[contains(@class, 'copy-status')][1]")

    # MARK: - layout and screenshots

    def emulate(self, width, height, full_height=False):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
        if full_height:
            content = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                        {"width": width, "height": min(int(content), 8000), "deviceScaleFactor": 1,
                                         "mobile": width < 600})
            return int(content)
        return height

    def reset_emulation(self):
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def check_no_sideways_scroll(self, width, screen):
        """Fails when the page scrolls sideways at `width` CSS pixels, naming the widest elements."""
        overflow = self.driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            culprits = self.driver.execute_script(
                "const limit = document.documentElement.clientWidth;"
                "return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > limit)"
                ".slice(-5).map((e) => `${e.tagName}#${e.id}.${e.className} right=${e.getBoundingClientRect().right}`)")
            raise JourneyFailure(f"{screen}: the page scrolls sideways by {overflow}px at {width}px: {culprits}")

    def screen(self, name, element_id=None, guide_dir=None, scroll_to=None):
        """One main screen: checked for sideways scrolling at phone width, and with a guide directory saved at
        desktop and phone width (the viewport, or the element `element_id` when given)."""
        for label, (width, height) in (("1280", DESKTOP), ("360", PHONE)):
            self.emulate(width, height)
            self.wait(lambda d: d.execute_script("return document.readyState") == "complete", "layout")
            self.check_no_sideways_scroll(width, name)
            if guide_dir:
                path = os.path.join(guide_dir, f"{name}-{label}.png")
                if element_id:
                    # An element screenshot is clipped to the viewport: make the viewport as tall as the page.
                    self.emulate(width, height, full_height=True)
                    self.expect(self.by_id(element_id).screenshot(path), f"could not save {path}")
                else:
                    if scroll_to:
                        self.driver.execute_script(
                            "document.getElementById(arguments[0]).scrollIntoView({block: 'start'});"
                            "window.scrollBy(0, -48)", scroll_to)
                    else:
                        self.driver.execute_script("window.scrollTo(0, 0)")
                    self.expect(self.driver.save_screenshot(path), f"could not save {path}")
        self.reset_emulation()
        step(f"screen {name} checked at 1280 and 360 px" + (" and saved for the guide" if guide_dir else ""))

    def full_page(self, width, path, panels=()):
        """A full-page screenshot at `width`, and one image per panel id in `panels`."""
        self.emulate(width, 900)
        self.check_no_sideways_scroll(width, os.path.basename(path))
        height = self.emulate(width, 900, full_height=True)
        self.expect(self.driver.save_screenshot(path), f"could not save {path}")
        for panel in panels:
            panel_path = path.replace(".png", f"-{panel}.png")
            self.expect(self.by_id(panel).screenshot(panel_path), f"could not save {panel_path}")
        self.reset_emulation()
        step(f"screenshot {path} ({width}x{height})")

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
