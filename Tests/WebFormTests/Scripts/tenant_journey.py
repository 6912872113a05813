#!/usr/bin/env python3
"""The tenant journey through the web form in headless Chromium (run by WebFormJourneyTests.swift).

Sign up, add a domain, read the TXT record the page shows, fail to verify (the page must say what was found),
publish the record with knotc, verify, edit the policy (a field error, a 412 from a concurrent change, then
enforce with the live MX), publish the _mta-sts record and watch its live status turn to found, read the drift
check of that record, set the TLS-RPT addresses (one bad line first), switch _mta-sts to the CNAME into the
platform's zone that the page recommends, create and revoke an API token, offboard the domain, log out and in
again. Screenshots at 1280 and 360 px. Fails on any console error except the HTTP errors the journey provokes on
purpose.

Every wait is an explicit condition with a deadline (WebDriverWait), never a fixed sleep.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = "correct horse battery staple"

# HTTP errors the journey causes on purpose; Chromium logs each failed fetch as a SEVERE "network" entry.
EXPECTED_NETWORK_ERRORS = [
    re.compile(r"/v1/accounts - Failed to load resource: the server responded with a status of 422"),
    re.compile(r"/verify - Failed to load resource: the server responded with a status of 422"),
    re.compile(r"/policy - Failed to load resource: the server responded with a status of 422"),
    re.compile(r"/policy - Failed to load resource: the server responded with a status of 412"),
    re.compile(r"/tlsrpt - Failed to load resource: the server responded with a status of 422"),
]

# The page's words for each sts_record.status (app.js STS_RECORD_WORDS): never the raw value alone.
DRIFT_BADGES = {"current": "up to date", "delegated": "delegated", "stale": "old id", "missing": "missing",
                "multiple": "several records", "invalid": "invalid", "unknown": "lookup failed"}


class JourneyFailure(Exception):
    pass


def step(message):
    print(f"STEP {message}", flush=True)


class Journey:
    def __init__(self, arguments):
        self.arguments = arguments
        self.base = arguments.base_url.rstrip("/")
        self.domain = arguments.domain
        self.email = f"admin@{arguments.domain}"
        self.console = []
        options = webdriver.ChromeOptions()
        options.binary_location = arguments.chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=en-US", "--no-first-run", "--disable-extensions"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(arguments.chromedriver), options=options)
        self.driver.set_page_load_timeout(30)

    # MARK: - helpers

    def wait(self, condition, what, timeout=20):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(condition)
        except TimeoutException as error:
            raise JourneyFailure(f"timed out waiting for {what}") from error

    def by_id(self, element_id):
        return self.driver.find_element(By.ID, element_id)

    def visible(self, element_id, timeout=20):
        return self.wait(EC.visibility_of_element_located((By.ID, element_id)), f"#{element_id} visible", timeout)

    def text_in(self, element_id, text, timeout=20):
        self.wait(EC.text_to_be_present_in_element((By.ID, element_id), text), f"'{text}' in #{element_id}", timeout)
        return self.by_id(element_id).text

    def fill(self, element_id, value):
        field = self.by_id(element_id)
        field.clear()
        field.send_keys(value)

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

    def collect_console(self):
        self.console.extend(self.driver.get_log("browser"))

    def knot(self, *arguments):
        command = [self.arguments.knotc, "-s", self.arguments.knot_socket, "-t", "10", *arguments]
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise JourneyFailure(f"{' '.join(command)} failed: {result.stdout}{result.stderr}")

    def publish_txt(self, owner, value):
        """Replaces the TXT RRset at owner with one value, in one Knot transaction."""
        zone = self.arguments.zone
        owner = owner.rstrip(".") + "."
        self.knot("zone-begin", zone)
        try:
            subprocess.run([self.arguments.knotc, "-s", self.arguments.knot_socket, "zone-unset", zone, owner, "TXT"],
                           capture_output=True, timeout=30)
            self.knot("zone-set", zone, owner, "1", "TXT", json.dumps(value))
            self.knot("zone-commit", zone)
        except Exception:
            subprocess.run([self.arguments.knotc, "-s", self.arguments.knot_socket, "zone-abort", zone],
                           capture_output=True, timeout=30)
            raise

    def publish_cname(self, owner, target):
        """Replaces whatever is at `owner` (TXT, CNAME) with one CNAME to `target`, in one transaction."""
        zone = self.arguments.zone
        owner = owner.rstrip(".") + "."
        self.knot("zone-begin", zone)
        try:
            for kind in ("TXT", "CNAME"):
                subprocess.run([self.arguments.knotc, "-s", self.arguments.knot_socket, "zone-unset", zone, owner,
                                kind], capture_output=True, timeout=30)
            self.knot("zone-set", zone, owner, "1", "CNAME", target)
            self.knot("zone-commit", zone)
        except Exception:
            subprocess.run([self.arguments.knotc, "-s", self.arguments.knot_socket, "zone-abort", zone],
                           capture_output=True, timeout=30)
            raise

    def api_record(self, name):
        """The entry for `name` in GET …/dns-records, read directly from the API."""
        status, body = self.api("GET", f"/v1/domains/{self.domain}/dns-records")
        self.expect(status == 200, f"GET dns-records answered {status}")
        entries = [entry for entry in body["records"] if entry["name"] == name]
        self.expect(len(entries) == 1, f"one dns-records entry for {name}: {body}")
        return entries[0]

    def clipboard_after_clicking(self, button):
        """Clicks a copy button and returns what the clipboard then holds (read through the Clipboard API)."""
        self.driver.execute_script("return navigator.clipboard.writeText('')")
        button.click()
        self.wait(lambda d: button.text == "Copied", "the copy button to say Copied")
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "navigator.clipboard.readText().then(done, (error) => done('clipboard error: ' + error))")

    def refresh_dns_until(self, condition, what, timeout=30):
        """Presses "Check DNS again" until `condition()` holds (the resolver may still cache the old answer)."""
        def check(driver):
            if condition():
                return True
            button = self.by_id("dns-refresh")
            if button.is_enabled():
                button.click()
            return False
        self.wait(check, what, timeout=timeout)

    def api(self, method, path, body=None, headers=None):
        """Calls the JSON API directly with the page's session token (to change things behind its back)."""
        token = self.driver.execute_script("return sessionStorage.getItem('mtasts.session')")
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode())
        request.add_header("Authorization", f"Bearer {token}")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def record_item(self, name):
        return self.driver.find_element(By.CSS_SELECTOR, f'#dns-records li[data-record-name="{name}"]')

    def record_status(self, name):
        try:
            return self.record_item(name).get_attribute("data-status")
        except Exception:
            return None

    def screenshot(self, width, name):
        """A full-page screenshot at `width` CSS pixels; fails when the page scrolls sideways."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
        overflow = self.driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            culprits = self.driver.execute_script(
                "const limit = document.documentElement.clientWidth;"
                "return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > limit)"
                ".slice(-5).map((e) => `${e.tagName}#${e.id}.${e.className} right=${e.getBoundingClientRect().right}`)")
            raise JourneyFailure(f"the page scrolls sideways by {overflow}px at {width}px: {culprits}")
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": min(int(height), 8000), "deviceScaleFactor": 1,
                                     "mobile": width < 600})
        path = os.path.join(self.arguments.output_dir, name)
        self.expect(self.driver.save_screenshot(path), f"could not save {path}")
        # The panels this journey adds to, one image each, to look at them at full size.
        for panel in ("sts-record-panel", "tlsrpt-panel", "dns-panel"):
            panel_path = os.path.join(self.arguments.output_dir, name.replace(".png", f"-{panel}.png"))
            self.expect(self.by_id(panel).screenshot(panel_path), f"could not save {panel_path}")
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        step(f"screenshot {path} ({width}x{height})")

    # MARK: - the journey

    def run(self):
        driver = self.driver
        step("open the page")
        driver.get(self.base + "/")
        self.visible("auth-view")
        self.focused("auth-heading")
        self.expect(driver.title == "MTA-STS hosting", f"title {driver.title!r}")

        step("sign up with a short password: field error from the API")
        self.fill("signup-email", self.email)
        self.fill("signup-password", "short")
        self.by_id("signup-form").submit()
        self.text_in("signup-problem", "password")
        self.expect(self.by_id("signup-password").get_attribute("aria-invalid") == "true", "password marked invalid")
        self.focused("signup-password")
        self.expect(self.by_id("signup-password-error").is_displayed(), "the field's message is shown")

        step("sign up")
        self.fill("signup-password", PASSWORD)
        self.by_id("signup-form").submit()
        self.visible("app-view")
        self.text_in("account-usage", "0 of 5 domains")
        self.focused("domains-heading")
        self.expect(driver.execute_script("return sessionStorage.getItem('mtasts.session')").startswith("mts_"),
                    "session token kept in sessionStorage")

        step("add a domain")
        self.fill("add-domain-name", self.domain.upper() + ".")
        self.by_id("add-domain-form").submit()
        self.visible("verify-panel")
        self.text_in("account-usage", "1 of 5 domains")
        record_name = self.by_id("verify-name").text
        token = self.by_id("verify-value").text
        self.expect(record_name == f"_mtasts-verify.{self.domain}", f"verification record name {record_name!r}")
        self.expect(len(token) >= 20, f"verification value {token!r}")
        self.focused("verify-heading")
        self.expect(len(driver.find_elements(By.CSS_SELECTOR, '#verify-panel button[data-copy-from]')) == 2,
                    "copy buttons for name and value")
        driver.find_element(By.CSS_SELECTOR, 'button[data-copy-from="verify-value"]').click()
        self.text_in("notice", "record value")

        step("verify before publishing: the page says what was found")
        self.by_id("verify-button").click()
        text = self.text_in("verify-result", "Found:")
        self.expect(token in text, "the expected value is shown")
        self.expect("nxdomain" in text or "no_data" in text, f"the lookup result is shown: {text}")
        self.focused("verify-result")
        self.driver.save_screenshot(os.path.join(self.arguments.output_dir, "verify-failed.png"))

        step("publish the TXT record with knotc and verify")
        self.publish_txt(record_name, token)

        def verified(driver):
            if self.by_id("policy-panel").is_displayed():
                return True
            button = self.by_id("verify-button")
            if button.is_displayed() and button.is_enabled():
                button.click()
            return False
        self.wait(verified, "verification to succeed", timeout=30)
        self.text_in("domain-status", "verified")
        self.focused("policy-heading")
        self.wait(lambda d: self.by_id("policy-mx").get_attribute("value") == f"mx1.{self.domain}",
                  "the first policy lists the live MX host")
        self.expect(Select(self.by_id("policy-mode")).first_selected_option.get_attribute("value") == "testing",
                    "the first policy is testing")
        self.text_in("mx-check", f"covered by mx1.{self.domain}")

        step("policy with a broken MX pattern: per-field error")
        self.fill("policy-mx", "not a host!")
        self.by_id("policy-save").click()
        self.text_in("policy-result", "mx[0]")
        self.expect(self.by_id("policy-mx").get_attribute("aria-invalid") == "true", "mx marked invalid")

        step("a concurrent change: 412 and reload")
        status, _ = self.api("PUT", f"/v1/domains/{self.domain}/policy",
                             {"mode": "testing", "mx": [f"mx1.{self.domain}"], "max_age": 1209600})
        self.expect(status == 200, f"the concurrent PUT answered {status}")
        self.fill("policy-mx", f"mx1.{self.domain}")
        self.fill("policy-max-age", "1000000")
        self.by_id("policy-save").click()
        self.text_in("policy-result", "changed elsewhere")
        self.driver.find_element(By.XPATH, '//div[@id="policy-result"]//button[text()="Reload the policy"]').click()
        self.wait(lambda d: self.by_id("policy-max-age").get_attribute("value") == "1209600", "the reloaded max_age")
        self.focused("policy-mode")

        step("enforce with the MX that Knot has")
        Select(self.by_id("policy-mode")).select_by_value("enforce")
        self.fill("policy-mx", f"mx1.{self.domain}")
        self.fill("policy-max-age", "604800")
        self.by_id("policy-save").click()
        result = self.text_in("policy-result", "Policy saved: new id")
        policy_id = re.search(r"new id (\S+)\.", result).group(1)
        self.text_in("policy-current", f"Current id {policy_id} · mode enforce · max_age 7 days")
        self.focused("policy-result")
        self.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#history li")) == 3, "three policies in the history")
        self.wait(lambda d: "mode: enforce" in self.by_id("policy-text").get_attribute("textContent"),
                  "the policy text (in a closed details element) says mode: enforce")

        step("DNS records with their live status")
        self.wait(lambda d: self.record_status(f"mta-sts.{self.domain}") == "found", "the CNAME found")
        self.wait(lambda d: self.record_status(f"_mta-sts.{self.domain}") == "missing", "the _mta-sts TXT missing")
        self.wait(lambda d: self.record_status(f"_smtp._tls.{self.domain}") == "wrong", "the TLSRPT record wrong")
        tlsrpt = self.record_item(f"_smtp._tls.{self.domain}").text
        self.expect("Found instead" in tlsrpt and "v=TLSRPTv1;" in tlsrpt, f"what was found is shown: {tlsrpt}")
        sts_value = self.record_item(f"_mta-sts.{self.domain}").find_element(By.CSS_SELECTOR, "dd code").text
        self.expect(sts_value == f"_mta-sts.{self.domain}", f"the first code is the record name: {sts_value!r}")
        sts_text = self.record_item(f"_mta-sts.{self.domain}").text
        self.expect(f"v=STSv1; id={policy_id}" in sts_text, f"the _mta-sts value to publish: {sts_text}")
        self.publish_txt(f"_mta-sts.{self.domain}", f"v=STSv1; id={policy_id}")

        def sts_found(driver):
            if self.record_status(f"_mta-sts.{self.domain}") == "found":
                return True
            button = self.by_id("dns-refresh")
            if button.is_enabled():
                button.click()
            return False
        self.wait(sts_found, "the _mta-sts record found after publishing", timeout=30)
        self.delegation_steps(policy_id)

        step("certificate status")
        self.text_in("certificate", "not started")
        self.text_in("certificate", f"mta-sts.{self.domain}")

        self.collect_console()
        self.screenshot(1280, "journey-1280.png")
        self.screenshot(360, "journey-360.png")

        step("create an API token: the secret is shown once")
        self.fill("token-name", "ci")
        self.by_id("token-form").submit()
        self.visible("token-secret")
        secret = self.by_id("token-secret-value").text
        self.expect(secret.startswith("mts_") and len(secret) == 47, f"token secret {secret!r}")
        self.focused("token-secret-heading")
        request = urllib.request.Request(self.base + "/v1/account", headers={"Authorization": f"Bearer {secret}"})
        with urllib.request.urlopen(request, timeout=20) as response:
            self.expect(response.status == 200, "the new token works")
        self.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#token-list li")) == 1, "the token listed")
        self.expect(secret not in self.by_id("token-list").text, "the list never shows the secret")
        self.by_id("token-secret-done").click()
        self.expect(not self.by_id("token-secret").is_displayed(), "the secret is hidden again")
        self.expect(self.by_id("token-secret-value").text == "", "the secret is gone from the page")

        step("revoke the token")
        driver.find_element(By.CSS_SELECTOR, "#token-list li button").click()
        self.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#token-list li")) == 0, "the token revoked")
        self.visible("token-list-empty")

        step("offboard the domain with the RFC 8461 §8.3 confirmation")
        self.by_id("delete-button").click()
        self.visible("delete-dialog")
        explanation = self.by_id("delete-dialog-text").text
        self.expect("RFC 8461 §8.3" in explanation and "mode none" in explanation, f"explanation: {explanation}")
        self.expect("14 days" in explanation, f"the largest max_age served (14 days) is named: {explanation}")
        self.focused("delete-cancel")
        self.driver.save_screenshot(os.path.join(self.arguments.output_dir, "delete-dialog.png"))
        self.by_id("delete-confirm").click()
        text = self.text_in("domain-problem", "is being offboarded until")
        self.expect("RFC 8461 §8.3" in text, f"the response detail is shown: {text}")
        self.text_in("domain-status", "offboarding")
        self.focused("domain-problem")
        self.text_in("offboarding-text", "Mode none is published until")

        step("log out and log in again")
        self.by_id("logout-button").click()
        self.visible("auth-view")
        self.expect(driver.execute_script("return sessionStorage.getItem('mtasts.session')") is None,
                    "the session token is removed")
        self.fill("login-email", self.email)
        self.fill("login-password", PASSWORD)
        self.by_id("login-form").submit()
        self.visible("app-view")
        self.text_in("domain-list", self.domain)

        self.collect_console()
        unexpected = [entry for entry in self.console if entry.get("level") == "SEVERE"
                      and not any(pattern.search(entry.get("message", "")) for pattern in EXPECTED_NETWORK_ERRORS)]
        self.expect(not unexpected, f"console errors: {json.dumps(unexpected, indent=2)}")
        print("JOURNEY COMPLETE", flush=True)

    def delegation_steps(self, policy_id):
        """The platform's zone (MTASTS_DNS_ZONE): the recommended CNAMEs, drift, TLS-RPT addresses."""
        driver = self.driver
        zone = self.arguments.platform_zone
        sts_name = f"_mta-sts.{self.domain}"
        report_name = f"_smtp._tls.{self.domain}"

        step("_mta-sts: the CNAME into the platform's zone is recommended, the TXT is the alternative")
        self.wait(lambda d: self.record_item(sts_name).get_attribute("data-published-as") == "txt",
                  "the _mta-sts entry published as TXT")
        api_sts = self.api_record(sts_name)
        delegation = api_sts.get("delegation") or {}
        self.expect(delegation.get("type") == "CNAME" and delegation.get("recommended") is True,
                    f"the API recommends a CNAME: {api_sts}")
        target = delegation["value"]
        self.expect(re.fullmatch(rf"[a-z0-9-]+\._mta-sts\.{re.escape(zone)}", target), f"delegation value {target!r}")
        self.expect(api_sts.get("published_as") == "txt" and api_sts["status"] == "found", f"API entry: {api_sts}")
        item = self.record_item(sts_name)
        cname_option = item.find_element(By.CSS_SELECTOR, '.option[data-option="cname"]')
        shown = cname_option.find_element(By.CSS_SELECTOR, 'code[data-role="delegation-value"]').text
        self.expect(shown == target, f"the CNAME value shown {shown!r} is the API's {target!r}")
        self.expect("Recommended: CNAME" in cname_option.text and "Ids rotate by themselves" in cname_option.text,
                    f"the CNAME is the recommended choice: {cname_option.text}")
        self.expect("not published" in cname_option.text, f"the CNAME is not published yet: {cname_option.text}")
        txt_option = item.find_element(By.CSS_SELECTOR, '.option[data-option="txt"]')
        self.expect("If your DNS host cannot CNAME this name." in txt_option.text, f"TXT: {txt_option.text}")
        self.expect(txt_option.find_element(By.CSS_SELECTOR, 'code[data-role="txt-value"]').text
                    == f"v=STSv1; id={policy_id}", "the TXT alternative's value")
        self.expect("published as TXT" in item.find_element(By.CSS_SELECTOR, ".record-head").text,
                    "the head says which one is published")
        self.expect(not driver.find_elements(By.CSS_SELECTOR, f'#dns-records li[data-record-name="{report_name}"] '
                                                              '.option'),
                    "no _smtp._tls delegation before TLS-RPT addresses are set")
        self.expect("delegation" not in self.api_record(report_name), "the API offers none either")

        step("the copy buttons copy exactly the name and the CNAME target")
        driver.execute_cdp_cmd("Browser.grantPermissions", {
            "origin": self.base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        copied = self.clipboard_after_clicking(
            cname_option.find_element(By.CSS_SELECTOR, 'code[data-role="delegation-value"] + button.copy'))
        self.expect(copied == target, f"the CNAME copy button copied {copied!r}, not {target!r}")
        self.text_in("notice", "Copied the CNAME record value.")
        copied = self.clipboard_after_clicking(item.find_element(By.CSS_SELECTOR, "dl.record-fields > dd button.copy"))
        self.expect(copied == sts_name, f"the name copy button copied {copied!r}")

        step("drift: the worker's check of _mta-sts is shown in plain words, with its sentence")
        def checked(driver):
            status, body = self.api("GET", f"/v1/domains/{self.domain}")
            return body if status == 200 and body.get("sts_record") else False
        domain = self.wait(checked, "the worker's first check of _mta-sts (sts_record)", timeout=60)
        latest = {}

        def drift_shown():
            _, body = self.api("GET", f"/v1/domains/{self.domain}")
            latest.update(body["sts_record"])
            return self.by_id("sts-record-detail").text == latest["detail"]
        self.refresh_dns_until(drift_shown, f"the drift detail {domain['sts_record']['detail']!r} on the page")
        record = latest
        badge = self.by_id("sts-record-status").text
        self.expect(badge == DRIFT_BADGES[record["status"]], f"drift badge {badge!r} for {record['status']}")
        self.expect(self.by_id("sts-record-summary").text, "a plain sentence beside the badge")
        self.expect(self.by_id("sts-record-checked").text.startswith("Checked "), "when it was checked")

        step("TLS-RPT: the form suggests the account's address")
        self.visible("tlsrpt-panel")
        self.wait(lambda d: self.by_id("tlsrpt-rua").get_attribute("value") == f"mailto:{self.email}",
                  "the suggested mailto: address")
        self.text_in("tlsrpt-current", "No report addresses yet")

        step("TLS-RPT: one bad line shows the error beside the field and saves nothing")
        good = [f"mailto:tlsrpt@{self.domain}", f"https://reports.{self.domain}/tlsrpt"]
        self.fill("tlsrpt-rua", f"{good[0]}\ntlsrpt@{self.domain}\n")
        self.by_id("tlsrpt-save").click()
        error = self.visible("tlsrpt-rua-error").text
        self.expect(error == f"Line 2 (“tlsrpt@{self.domain}”) needs mailto: in front: write "
                    f"mailto:tlsrpt@{self.domain}.", f"the field's error: {error!r}")
        self.expect("rua[" not in self.by_id("tlsrpt-panel").text, "no field paths on the page")
        self.expect(self.by_id("tlsrpt-rua").get_attribute("aria-invalid") == "true", "the field marked invalid")
        self.text_in("tlsrpt-result", "Nothing was saved")
        self.focused("tlsrpt-rua")
        self.by_id("tlsrpt-panel").screenshot(os.path.join(self.arguments.output_dir, "tlsrpt-error.png"))
        self.expect(self.by_id("tlsrpt-status").text == "", "no success message")
        status, body = self.api("GET", f"/v1/domains/{self.domain}/tlsrpt")
        self.expect(status == 200 and body["rua"] == [] and body["record"] is None, f"nothing saved: {body}")

        step("TLS-RPT: good addresses are saved and the record and CNAME target shown")
        self.fill("tlsrpt-rua", "\n".join(good))
        self.by_id("tlsrpt-save").click()
        self.text_in("tlsrpt-status", "Saved: TLS reports go to these 2 addresses.")
        status, body = self.api("GET", f"/v1/domains/{self.domain}/tlsrpt")
        self.expect(status == 200 and body["rua"] == good, f"the addresses saved: {body}")
        self.expect(body["record"] == "v=TLSRPTv1; rua=" + ",".join(good), f"the record: {body}")
        self.expect(body["delegation_target"].endswith(f"._smtp._tls.{zone}"), f"the target: {body}")
        self.expect(self.visible("tlsrpt-record").text == body["record"], "the record shown is the API's")
        self.expect(self.by_id("tlsrpt-target").text == body["delegation_target"], "the CNAME target shown")
        self.expect(self.by_id("tlsrpt-rua").get_attribute("aria-invalid") is None, "the field valid again")
        self.expect(not self.by_id("tlsrpt-rua-error").is_displayed(), "the error gone")
        self.expect(not self.by_id("tlsrpt-result").is_displayed(), "the problem gone")
        self.expect(self.by_id("tlsrpt-addresses").text.split("\n") == good, "the current addresses listed")

        step("_smtp._tls: now offered as a CNAME too")
        api_report = self.api_record(report_name)
        self.expect(api_report["delegation"]["value"] == body["delegation_target"], f"API entry: {api_report}")
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f'#dns-records li[data-record-name="{report_name}"] '
                                                             'code[data-role="delegation-value"]'),
                  "the _smtp._tls CNAME on the page")
        report_item = self.record_item(report_name)
        self.expect(report_item.find_element(By.CSS_SELECTOR, 'code[data-role="delegation-value"]').text
                    == body["delegation_target"], "the _smtp._tls CNAME value shown")
        self.expect(report_item.find_element(By.CSS_SELECTOR, 'code[data-role="txt-value"]').text == body["record"],
                    "the TXT alternative is the saved record")
        self.expect(report_item.get_attribute("data-status") == "wrong" and "Found instead" in report_item.text,
                    f"the broken TXT still shown as wrong: {report_item.text}")

        step("publish the recommended CNAME for _mta-sts: published as CNAME, found")
        self.publish_cname(sts_name, target + ".")
        self.refresh_dns_until(lambda: self.record_item(sts_name).get_attribute("data-published-as") == "cname",
                               "the _mta-sts entry published as CNAME")
        item = self.record_item(sts_name)
        self.expect(item.get_attribute("data-status") == "found", "the CNAME counts as found")
        self.expect("published as CNAME" in item.find_element(By.CSS_SELECTOR, ".record-head").text, item.text)
        option_badges = [element.text for element in item.find_elements(By.CSS_SELECTOR, ".option-head .badge")]
        self.expect(option_badges == ["published", "not published"], f"option badges {option_badges}")
        api_sts = self.api_record(sts_name)
        self.expect(api_sts["published_as"] == "cname" and api_sts["delegation"]["published"] is True, f"{api_sts}")

    def close(self):
        self.driver.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("base-url", "domain", "zone", "knotc", "knot-socket", "output-dir", "chromium", "chromedriver",
                 "platform-zone"):
        parser.add_argument(f"--{name}", required=True)
    arguments = parser.parse_args()
    journey = Journey(arguments)
    try:
        journey.run()
        for entry in journey.console:
            print(f"CONSOLE {entry.get('level')} {entry.get('message')}", flush=True)
    except Exception as error:
        try:
            journey.collect_console()
            for entry in journey.console:
                print(f"CONSOLE {entry.get('level')} {entry.get('message')}", flush=True)
            path = os.path.join(arguments.output_dir, "failure.png")
            journey.driver.save_screenshot(path)
            print(f"FAILURE screenshot {path}", flush=True)
            print(f"FAILURE page text:\n{journey.driver.find_element(By.TAG_NAME, 'body').text}", flush=True)
        except Exception as inner:
            print(f"(could not capture the failure state: {inner})", flush=True)
        print(f"FAILED: {error}", flush=True)
        return 1
    finally:
        journey.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
