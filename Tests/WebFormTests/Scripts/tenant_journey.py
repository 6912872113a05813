#!/usr/bin/env python3
"""The tenant journey through the web form in headless Chromium (run by WebFormJourneyTests.swift).

Sign up (field errors beside their fields, once), add a domain (refused names in plain words, then a pasted URL
reduced to its host name), read the TXT record the page shows, fail to verify (the page says what was found),
reload and go Back without losing the domain, publish the record with knotc and let the page verify by itself,
follow the checklist (publish _mta-sts, watch it and the certificate that Pebble issues turn done without a
click), edit the policy (per-line errors, coverage as you type, a 412, the force option only after a refused
uncovered MX, enforce), watch "DNS update pending" clear when the new id is published, the CNAMEs into the
platform's zone and the drift check, TLS-RPT addresses, restore an older policy version, create and revoke an API
token (with a confirmation), offboard the domain (one message), log out, fail and succeed to log in.
Every main screen is checked at 360 px for sideways scrolling (and saved for docs/guide.md with --guide-dir).
Fails on any console error except the HTTP errors the journey provokes on purpose.

Every wait is an explicit condition with a deadline (WebDriverWait), never a fixed sleep.
"""

import argparse
import json
import os
import re
import sys
import urllib.request

from selenium.webdriver.common.by import By

from journey_support import Browser, JourneyFailure, step

PASSWORD = "correct horse battery staple"

# HTTP errors the journey causes on purpose; Chromium logs each failed fetch as a SEVERE "network" entry.
EXPECTED_NETWORK_ERRORS = [
    re.compile(r"/v1/accounts - Failed to load resource: the server responded with a status of 422"),
    re.compile(r"/v1/sessions - Failed to load resource: the server responded with a status of 401"),
    re.compile(r"/v1/domains - Failed to load resource: the server responded with a status of 422"),
    re.compile(r"/verify - Failed to load resource: the server responded with a status of 422"),
    re.compile(r"/policy - Failed to load resource: the server responded with a status of 422"),
    re.compile(r"/policy - Failed to load resource: the server responded with a status of 412"),
    re.compile(r"/tlsrpt - Failed to load resource: the server responded with a status of 422"),
    re.compile(r"/v1/tokens - Failed to load resource: the server responded with a status of 422"),
    # GET …/mx-change answers 404 while the domain has never had a change of mail provider.
    re.compile(r"/mx-change - Failed to load resource: the server responded with a status of 404"),
]

# The page's words for each sts_record.status (app.js STS_RECORD_WORDS): never the raw value alone.
DRIFT_BADGES = {"current": "up to date", "delegated": "delegated", "stale": "old id", "missing": "missing",
                "multiple": "several records", "invalid": "invalid", "unknown": "lookup failed"}

# Texts that are API-speak and must never reach the tenant.
API_SPEAK = ["mx[0]", "mx[1]", "rua[", "\"force\"", "At least 1 characters", "Authentication required",
             "looks like an IP address literal", "Invalid fields", "validation-failed", "Request failed"]


class Journey(Browser):
    def __init__(self, arguments):
        super().__init__(arguments)
        self.domain = arguments.domain
        self.email = f"admin@{arguments.domain}"
        self.guide = arguments.guide_dir
        self.states_seen = []

    # MARK: - helpers

    def record_item(self, name):
        return self.driver.find_element(By.CSS_SELECTOR, f'#dns-records li[data-record-name="{name}"]')

    def record_status(self, name):
        items = self.css(f'#dns-records li[data-record-name="{name}"]')
        return items[0].get_attribute("data-status") if items else None

    def api_record(self, name):
        """The entry for `name` in GET …/dns-records, read directly from the API."""
        status, body = self.api("GET", f"/v1/domains/{self.domain}/dns-records")
        self.expect(status == 200, f"GET dns-records answered {status}")
        entries = [entry for entry in body["records"] if entry["name"] == name]
        self.expect(len(entries) == 1, f"one dns-records entry for {name}: {body}")
        return entries[0]

    def watch_state(self):
        """Records each setup state the page shows (printed as the STATE line)."""
        state = self.domain_state()
        if state and (not self.states_seen or self.states_seen[-1] != state):
            self.states_seen.append(state)

    def step_status(self, name):
        items = self.css(f'#setup-steps li[data-step="{name}"]')
        return items[0].get_attribute("data-status") if items else None

    def wait(self, condition, what, timeout=20):
        """Every wait on the domain page also notes the state the page shows meanwhile."""
        def watching(driver):
            if not self.by_id("domain-view").get_attribute("hidden"):
                self.watch_state()
            return condition(driver)
        return super().wait(watching, what, timeout)

    def steps(self):
        return {item.get_attribute("data-step"): item.get_attribute("data-status")
                for item in self.css("#setup-steps li")}

    def domain_state(self):
        return self.by_id("domain-status").get_attribute("data-state")

    def api_setup(self):
        status, body = self.api("GET", f"/v1/domains/{self.domain}")
        self.expect(status == 200, f"GET domain answered {status}")
        return body.get("setup")

    def panel_order(self):
        return self.driver.execute_script(
            "return [...document.getElementById('domain-panels').children].filter((p) => !p.hidden).map((p) => p.id)")

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

    def no_api_speak(self, where):
        text = self.page_text()
        found = [phrase for phrase in API_SPEAK if phrase in text]
        self.expect(not found, f"{where}: API wording on the page: {found}")

    def field_error(self, element_id, expected, what):
        """The human sentence `expected` shows beside #element_id, which is marked invalid."""
        message = self.text_in(f"{element_id}-error", expected)
        invalid = self.by_id(element_id).get_attribute("aria-invalid")
        self.expect(invalid == "true", f"{what}: #{element_id} marked invalid ({invalid!r})")
        return message

    def radio_value(self, name):
        return self.driver.execute_script(
            "const c = document.querySelector(`input[name='${arguments[0]}']:checked`); return c && c.value", name)

    # MARK: - the journey

    def run(self):
        driver = self.driver
        step("open the page")
        driver.get(self.base + "/")
        self.visible("auth-view")
        self.focused("auth-heading")
        self.expect(driver.title == "MTA-STS hosting", f"title {driver.title!r}")
        self.grant_clipboard()
        self.screen("01-sign-up", guide_dir=self.guide)

        self.sign_up()
        self.add_domain()
        self.verification()
        self.checklist_to_live_testing()
        self.policy_editor()
        self.dns_update_pending()
        self.delegation_steps()
        self.restore_version()

        self.collect_console()
        self.full_page(1280, os.path.join(self.arguments.output_dir, "journey-1280.png"),
                       ("setup-panel", "sts-record-panel", "tlsrpt-panel", "dns-panel", "policy-panel"))
        self.full_page(360, os.path.join(self.arguments.output_dir, "journey-360.png"),
                       ("setup-panel", "sts-record-panel", "tlsrpt-panel", "dns-panel", "policy-panel"))

        self.domain_list()
        self.tokens()
        self.back_to_domain()
        self.offboard()
        self.log_out_and_in()

        self.collect_console()
        unexpected = [entry for entry in self.console if entry.get("level") == "SEVERE"
                      and not any(pattern.search(entry.get("message", "")) for pattern in EXPECTED_NETWORK_ERRORS)]
        self.expect(not unexpected, f"console errors: {json.dumps(unexpected, indent=2)}")
        print("JOURNEY COMPLETE", flush=True)

    def sign_up(self):
        driver = self.driver
        step("sign up with an incomplete email and a short password: each error beside its field, once")
        self.fill("signup-email", "admin@")
        self.fill("signup-password", "short")
        self.by_id("signup-form").submit()
        self.field_error("signup-email", "Enter a complete email address, such as you@example.com.", "email")
        self.field_error("signup-password", "Use at least 12 characters; this one has 5.", "password")
        self.focused("signup-email")
        self.expect(self.hidden("signup-problem"), "no second copy of the errors in the problem box")
        self.expect(self.page_text().count("this one has 5") == 1, "the password message is shown once")
        self.no_api_speak("sign-up errors")
        self.screen("02-sign-up-errors", element_id="signup-form", guide_dir=self.guide)

        step("sign up")
        self.fill("signup-email", self.email)
        self.fill("signup-password", PASSWORD)
        self.by_id("signup-form").submit()
        self.visible("app-view")
        self.visible("list-view")
        self.text_in("account-usage", "0 of 5 domains")
        self.focused("domains-heading")
        self.expect(self.hash() in ("#/", ""), f"the list's address: {self.hash()!r}")
        self.expect(driver.execute_script("return sessionStorage.getItem('mtasts.session')").startswith("mts_"),
                    "session token kept in sessionStorage")

    def add_domain(self):
        step("add-domain refusals in plain words beside the field")
        refusals = [
            (f"*.{self.domain}", "without “*”"),
            ("192.0.2.1", "is an IP address"),
            ("localhost", "has no dot: enter the full name, such as example.com."),
        ]
        for text, sentence in refusals:
            self.fill("add-domain-name", text)
            self.by_id("add-domain-form").submit()
            message = self.field_error("add-domain-name", sentence, text)
            self.expect(message.count(sentence) == 1, f"{text}: one message: {message!r}")
            self.expect(self.hidden("add-domain-problem"), f"{text}: no second copy in the problem box")
            self.focused("add-domain-name")
            self.no_api_speak(f"add-domain {text}")

        step("paste a URL: the page takes the host name out and says so")
        pasted = f"HTTPS://www.{self.domain.upper()}./settings?tab=1"
        self.fill("add-domain-name", pasted)
        note = self.text_in("add-domain-name-note", f"Will add {self.domain}, taken out of “{pasted}”")
        self.expect("the scheme" in note and "“www.”" in note and "the path" in note, f"the note: {note!r}")
        self.screen("03-add-domain", element_id="list-view", guide_dir=self.guide)
        self.by_id("add-domain-form").submit()
        self.visible("verify-panel")
        self.wait(lambda d: self.hash() == f"#/domains/{self.domain}", f"the address #/domains/{self.domain}")
        self.text_in("domain-heading", self.domain)
        self.text_in("account-usage", "1 of 5 domains")
        self.focused("verify-heading")
        self.expect(self.text_of("notice") == "", "no notice: what matters is on the page")

    def verification(self):
        driver = self.driver
        step("the checklist starts with proving ownership; the state says action is needed")
        self.wait(lambda d: self.step_status("ownership") == "action_needed", "the ownership step, action needed")
        self.expect(self.domain_state() == "action_needed", f"state {self.domain_state()!r}")
        self.expect(self.text_of("domain-status").startswith("Action needed"), self.text_of("domain-status"))
        self.expect(self.by_id("next-step").is_displayed() and self.text_of("next-step").startswith("Next: "),
                    f"the next step is said at the top: {self.text_of('next-step')!r}")
        record_name = self.text_of("verify-name")
        token = self.text_of("verify-value")
        self.expect(record_name == f"_mtasts-verify.{self.domain}", f"verification record name {record_name!r}")
        self.expect(len(token) >= 20, f"verification value {token!r}")
        self.expect("the name is _mtasts-verify." in self.text_of("verify-relative"),
                    f"the host-relative name: {self.text_of('verify-relative')!r}")
        self.expect(len(self.css('#verify-panel button[data-copy-from]')) == 2, "copy buttons for name and value")
        button = driver.find_element(By.CSS_SELECTOR, 'button[data-copy-from="verify-value"]')
        copied = self.clipboard_after_clicking(button)
        self.expect(copied == token, f"the value copy button copied {copied!r}")
        status = self.copy_status_after(button)
        self.wait(lambda d: status.text == "Copied the record value.", "'Copied' beside the copy button")
        self.expect(self.text_of("notice") == "", "copy feedback is not in the notice at the top")
        self.screen("04-verify", guide_dir=self.guide)

        step("verify before publishing: the page says what was found, in words")
        self.click("verify-button")
        text = self.text_in("verify-result", "Not found yet.")
        self.expect(f"{record_name} does not exist in DNS yet." in text or f"{record_name} exists but has no TXT"
                    in text, f"the lookup result in words: {text}")
        self.focused("verify-result")
        self.text_in("verify-checked", "not found yet")
        self.no_api_speak("verification failed")
        driver.save_screenshot(os.path.join(self.arguments.output_dir, "verify-failed.png"))

        step("reload (F5) keeps the open domain")
        driver.refresh()
        self.visible("verify-panel")
        self.text_in("domain-heading", self.domain)
        self.expect(self.hash() == f"#/domains/{self.domain}", f"address after reload {self.hash()!r}")
        self.expect(self.hidden("list-view"), "the domain page, not the list")

        step("Back from the list returns to the domain")
        self.click("back-to-list")
        self.visible("list-view")
        self.focused("domains-heading")
        self.expect(self.hash() == "#/", f"the list's address {self.hash()!r}")
        driver.back()
        self.visible("verify-panel")
        self.text_in("domain-heading", self.domain)
        self.expect(self.hash() == f"#/domains/{self.domain}", f"address after Back {self.hash()!r}")

        step("a hidden tab pauses the refresher; coming back looks again at once")
        driver.execute_script(
            "performance.clearResourceTimings();"
            "Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});"
            "document.dispatchEvent(new Event('visibilitychange'));")
        self.text_in("domain-refreshed", "paused while this tab is hidden")
        api_requests = ("return performance.getEntriesByType('resource')"
                        ".filter((entry) => entry.name.includes('/v1/')).length")
        before = driver.execute_script(api_requests)

        def quiet_for(seconds):
            match = re.search(r"Updated (\d+) s ago", self.text_of("domain-refreshed"))
            return match and int(match.group(1)) >= seconds
        self.wait(lambda d: quiet_for(12), "12 s without a look while hidden", timeout=30)
        self.expect(driver.execute_script(api_requests) == before,
                    f"no requests while hidden ({before} → {driver.execute_script(api_requests)})")
        driver.execute_script("delete document.hidden; document.dispatchEvent(new Event('visibilitychange'));")
        self.text_in("domain-refreshed", "Updated just now", timeout=10)
        self.expect(driver.execute_script(api_requests) > before, "requests again once visible")

        step("publish the TXT record with knotc: the page verifies by itself (no click)")
        self.publish_txt(record_name, token)
        self.timed(lambda d: self.by_id("policy-panel").is_displayed(), "verification without a click", timeout=45)
        self.text_in("domain-live", "is verified")
        first = self.wait(lambda d: self.css("#certificate-summary .badge"), "the certificate state shown")[0]
        print(f"CERTIFICATE first shown after verification: {first.get_attribute('data-status')}", flush=True)
        self.wait(lambda d: self.step_status("ownership") == "done", "the ownership step done")
        self.wait(lambda d: self.by_id("policy-mx").get_attribute("value") == f"mx1.{self.domain}",
                  "the first policy lists the live MX host")
        self.expect(self.radio_value("mode") == "testing", "the first policy is testing")
        self.expect(self.radio_value("max_age_preset") == "86400", "the first policy is kept 1 day")
        self.text_in("policy-coverage-summary", "Your MX host is covered")
        self.text_in("mx-check", "covered by line 1")

    def checklist_to_live_testing(self):
        step("the checklist after verification: _mta-sts is next; DNS records come before the policy")
        sts_name = f"_mta-sts.{self.domain}"
        self.wait(lambda d: self.step_status("sts_record") == "action_needed", "the _mta-sts step, action needed",
                  timeout=30)
        self.wait(lambda d: self.step_status("policy_host") == "done", "the mta-sts CNAME step done", timeout=30)
        order = self.panel_order()
        self.expect(order.index("dns-panel") < order.index("policy-panel"), f"DNS records first: {order}")
        self.wait(lambda d: self.record_status(sts_name) in ("missing", "wrong"), "the _mta-sts entry listed")
        relative = [code.text for code in self.record_item(sts_name).find_elements(By.CSS_SELECTOR, "code.relative")]
        self.expect(relative == ["_mta-sts"], f"the host-relative name beside the FQDN: {relative}")
        self.screen("05-checklist", guide_dir=self.guide, scroll_to="domain-heading")
        self.screen("06-dns-records", element_id="dns-panel", guide_dir=self.guide)

        step("copy all as zone-file lines")
        lines = self.by_id("dns-zone-lines").get_attribute("textContent")
        self.expect(f"mta-sts.{self.domain}.\t3600\tIN\tCNAME\t{self.arguments.edge_hostname}." in lines,
                    f"the CNAME line: {lines!r}")
        self.expect(f"{sts_name}.\t3600\tIN\tCNAME\t" in lines and "; or, if your DNS host cannot CNAME" in lines,
                    f"the _mta-sts lines: {lines!r}")
        copied = self.clipboard_after_clicking(self.by_id("dns-copy-all"))
        self.expect(copied == lines, f"copy all copied {copied!r}")
        self.wait(lambda d: self.copy_status_after(self.by_id("dns-copy-all")).text == "Copied the zone-file lines.",
                  "'Copied' beside copy all")

        step("publish _mta-sts in Knot: the step turns done without a click")
        policy_id = self.api("GET", f"/v1/domains/{self.domain}/policy")[1]["id"]
        self.publish_txt(sts_name, f"v=STSv1; id={policy_id}")
        self.timed(lambda d: self.step_status("sts_record") == "done", "the _mta-sts step done without a click",
                   timeout=60)
        self.expect(self.record_status(sts_name) == "found", "the record found in the list too")

        step("Pebble issues the certificate: the page shows it without a click")
        self.timed(lambda d: self.css('#certificate-summary .badge[data-status="issued"]'),
                   "the certificate issued (no click)", timeout=90)
        self.text_in("certificate", "Valid until")
        self.text_in("certificate", "Pebble")
        self.wait(lambda d: self.step_status("certificate") == "done", "the certificate step done")
        self.text_in("certificate-checked", "Checked")
        self.expect("Last error" not in self.text_of("certificate-panel"), "no error label on a normal state")

        step("the worker fetches the policy over HTTPS: the state turns live testing without a click")
        self.timed(lambda d: self.step_status("policy_reachable") == "done", "the policy reachable step done",
                   timeout=60)
        self.timed(lambda d: self.domain_state() == "live_testing", "the state live testing", timeout=30)
        self.expect(self.text_of("domain-status") == "Live · testing", self.text_of("domain-status"))
        self.expect(self.api_setup()["state"] == "live_testing", "the API agrees")
        print(f"STATE seen on the page: {' → '.join(self.states_seen)}", flush=True)
        order = self.panel_order()
        self.expect(order.index("policy-panel") < order.index("dns-panel"), f"the policy first once DNS is done: {order}")
        self.screen("07-live-testing", guide_dir=self.guide, scroll_to="domain-heading")

    def policy_editor(self):
        driver = self.driver
        mx1, mx2 = f"mx1.{self.domain}", f"mx2.{self.domain}"

        step("policy with broken MX lines: each error by line number, beside the field")
        self.fill("policy-mx", "not a host!\nmx*.example.test")
        self.click("policy-save")
        message = self.field_error("policy-mx", "Line 1: “not a host!” contains characters", "mx")
        self.expect("Line 2: “mx*.example.test”: a * may only be the whole first label" in message, message)
        self.expect(self.hidden("policy-result"), "no second copy in the problem box")
        self.focused("policy-mx")
        self.no_api_speak("policy errors")

        step("a second MX host appears in DNS: coverage follows the draft as you type")
        self.replace_rrset(self.domain, [("MX", f"10 {mx1}."), ("MX", f"20 {mx2}.")], remove=("MX",))
        self.replace_rrset(mx2, [("A", "127.0.0.1")], remove=("A",))
        def mx2_listed(driver):
            if driver.find_elements(By.CSS_SELECTOR, f'#mx-check tr[data-host="{mx2}"]'):
                return True
            button = self.by_id("mx-refresh")
            if button.is_enabled():
                button.click()
            return False
        self.wait(mx2_listed, "mx2 in the live MX hosts", timeout=30)
        self.fill("policy-mx", mx1)
        self.choose("policy-mode-enforce")
        summary = self.text_in("policy-coverage-summary", f"Not covered: {mx2} (preference 20)")
        self.expect("senders would refuse to deliver" in summary, summary)
        self.expect(self.hidden("policy-force-field"), "no force option before the API refused")
        self.by_id("policy-mx").send_keys(f"\n{mx2.upper()}.")
        self.text_in("policy-coverage-summary", "All 2 MX hosts are covered")
        self.text_in("mx-check", "covered by line 2")
        self.expect(self.by_id("policy-dirty").is_displayed(), "unsaved changes are said")
        self.screen("08-policy", element_id="policy-panel", guide_dir=self.guide)

        step("a concurrent change: 412, then load the current policy")
        status, _ = self.api("PUT", f"/v1/domains/{self.domain}/policy",
                             {"mode": "testing", "mx": [mx1], "max_age": 1209600})
        self.expect(status == 200, f"the concurrent PUT answered {status}")
        self.choose("policy-mode-testing")
        self.fill("policy-mx", mx1)
        self.choose("max-age-custom")
        self.fill("policy-max-age-days", "12")
        self.click("policy-save")
        self.text_in("policy-result", "Changed elsewhere")
        driver.find_element(By.XPATH, '//div[@id="policy-result"]//button[text()="Load the current policy"]').click()
        self.wait(lambda d: self.radio_value("max_age_preset") == "custom"
                  and self.by_id("policy-max-age-days").get_attribute("value") == "14", "the reloaded 14 days")
        self.focused("policy-mode-testing")

        step("enforce with an uncovered MX: refused, and only then the force option")
        self.choose("policy-mode-enforce")
        self.choose("max-age-1w")
        self.click("policy-save")
        message = self.field_error("policy-mx", f"{mx2} (preference 20)", "mx not covered")
        self.expect("senders would refuse to deliver" in message, message)
        self.visible("policy-force-field")
        label = self.text_of("policy-force-label")
        self.expect(label == f"Save anyway: mail to {mx2} (preference 20) would be rejected", f"force label {label!r}")
        self.no_api_speak("mx not covered")
        self.expect(self.api("GET", f"/v1/domains/{self.domain}/policy")[1]["mode"] == "testing", "nothing saved")
        self.screen("09-save-anyway", guide_dir=self.guide, scroll_to="policy-mx")
        self.by_id("policy-mx").send_keys(f"\n{mx2}")
        self.wait(lambda d: not self.by_id("policy-force-field").is_displayed(),
                  "the force option gone once the list changed")

        step("enforce with both MX hosts")
        self.click("policy-save")
        status_line = self.text_in("policy-status", "Saved: new id")
        self.focused("policy-save")
        policy_id = re.search(r"new id (\S+?)\.", status_line).group(1)
        self.expect("Publish the new id in your _mta-sts TXT record" in status_line, status_line)
        self.text_in("policy-current", f"In force: mode enforce · mx {mx1}, {mx2} · kept 1 week · id {policy_id}")
        self.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#history li")) == 3, "three policies in the history")
        newest = self.driver.find_element(By.CSS_SELECTOR, "#history li .changes").text
        self.expect(newest == f"mode testing → enforce · added {mx2} · kept 14 days → 1 week", f"changes {newest!r}")
        self.wait(lambda d: "mode: enforce" in self.by_id("policy-text").get_attribute("textContent"),
                  "the policy text (in a closed details element) says mode: enforce")
        self.policy_id = policy_id

    def dns_update_pending(self):
        sts_name = f"_mta-sts.{self.domain}"
        step("after a save that changed the id: DNS update pending, and action is needed again")
        self.text_in("policy-current", "DNS update pending")
        self.wait(lambda d: self.record_item(sts_name).find_elements(By.CSS_SELECTOR, ".pending-update"),
                  "the pending badge on the _mta-sts record")
        self.timed(lambda d: self.step_status("sts_record") == "action_needed", "the _mta-sts step back to action "
                   "needed", timeout=60)
        self.expect(self.domain_state() == "action_needed", f"not green while the old id is published: "
                    f"{self.domain_state()}")
        self.wait(lambda d: self.record_status(sts_name) == "wrong", "the old id found instead")
        tlsrpt = self.record_item(f"_smtp._tls.{self.domain}").text
        self.expect("Found instead" in tlsrpt and "v=TLSRPTv1;" in tlsrpt, f"what was found is shown: {tlsrpt}")
        sts_value = self.record_item(sts_name).find_element(By.CSS_SELECTOR, "dd code").text
        self.expect(sts_value == sts_name, f"the first code is the record name: {sts_value!r}")
        self.expect(f"v=STSv1; id={self.policy_id}" in self.record_item(sts_name).text, "the new value to publish")
        order = self.panel_order()
        self.expect(order.index("dns-panel") < order.index("policy-panel"), f"DNS records first again: {order}")

        step("publish the new id: the badge and the step clear without a click")
        self.publish_txt(sts_name, f"v=STSv1; id={self.policy_id}")
        self.timed(lambda d: "DNS update pending" not in self.text_of("policy-current")
                   and self.record_status(sts_name) == "found", "the pending badge cleared (no click)", timeout=60)
        self.timed(lambda d: self.step_status("sts_record") == "done", "the _mta-sts step done again", timeout=60)
        self.timed(lambda d: self.domain_state() == "live_enforce", "the state live enforce", timeout=60)
        self.expect(self.text_of("domain-status") == "Live · enforce", self.text_of("domain-status"))

    def delegation_steps(self):
        """The platform's zone (MTASTS_DNS_ZONE): the recommended CNAMEs, drift, TLS-RPT addresses."""
        driver = self.driver
        zone = self.arguments.platform_zone
        sts_name = f"_mta-sts.{self.domain}"
        report_name = f"_smtp._tls.{self.domain}"
        policy_id = self.policy_id

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

        step("the copy buttons copy exactly the name and the CNAME target; 'Copied' appears beside them")
        button = cname_option.find_element(By.CSS_SELECTOR, 'code[data-role="delegation-value"] + button.copy')
        copied = self.clipboard_after_clicking(button)
        self.expect(copied == target, f"the CNAME copy button copied {copied!r}, not {target!r}")
        self.wait(lambda d: self.copy_status_after(
            self.record_item(sts_name).find_element(By.CSS_SELECTOR,
                                                    'code[data-role="delegation-value"] + button.copy')).text
                  == "Copied the CNAME record value.", "'Copied the CNAME record value.' beside the button")
        copied = self.clipboard_after_clicking(self.record_item(sts_name).find_element(
            By.CSS_SELECTOR, "dl.record-fields > dd button.copy"))
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
            return self.text_of("sts-record-detail") == latest["detail"]
        self.refresh_dns_until(drift_shown, f"the drift detail {domain['sts_record']['detail']!r} on the page")
        record = latest
        badge = self.text_of("sts-record-status")
        self.expect(badge == DRIFT_BADGES[record["status"]], f"drift badge {badge!r} for {record['status']}")
        self.expect(self.text_of("sts-record-summary"), "a plain sentence beside the badge")
        self.expect(self.text_of("sts-record-checked").startswith("Checked "), "when it was checked")

        step("Check DNS again: the result appears beside the button")
        self.click("dns-refresh")
        self.text_in("dns-status", "Checked just now:")
        self.expect(re.search(r"\d of \d required records found\.", self.text_of("dns-status")),
                    self.text_of("dns-status"))
        self.expect(self.text_of("notice") == "", "nothing in the notice at the top")

        step("TLS-RPT: the form suggests the account's address")
        self.visible("tlsrpt-panel")
        self.wait(lambda d: self.by_id("tlsrpt-rua").get_attribute("value") == f"mailto:{self.email}",
                  "the suggested mailto: address")
        self.text_in("tlsrpt-current", "No report addresses yet")

        step("TLS-RPT: one bad line shows the error beside the field and saves nothing")
        good = [f"mailto:tlsrpt@{self.domain}", f"https://reports.{self.domain}/tlsrpt"]
        self.fill("tlsrpt-rua", f"{good[0]}\ntlsrpt@{self.domain}\n")
        self.click("tlsrpt-save")
        error = self.visible("tlsrpt-rua-error").text
        self.expect(error == f"Line 2 (“tlsrpt@{self.domain}”) needs mailto: in front: write "
                    f"mailto:tlsrpt@{self.domain}.", f"the field's error: {error!r}")
        self.expect("rua[" not in self.text_of("tlsrpt-panel"), "no field paths on the page")
        self.expect(self.by_id("tlsrpt-rua").get_attribute("aria-invalid") == "true", "the field marked invalid")
        self.text_in("tlsrpt-result", "Nothing was saved")
        self.focused("tlsrpt-rua")
        self.by_id("tlsrpt-panel").screenshot(os.path.join(self.arguments.output_dir, "tlsrpt-error.png"))
        self.expect(self.text_of("tlsrpt-status") == "", "no success message")
        status, body = self.api("GET", f"/v1/domains/{self.domain}/tlsrpt")
        self.expect(status == 200 and body["rua"] == [] and body["record"] is None, f"nothing saved: {body}")

        step("TLS-RPT: good addresses are saved and the record and CNAME target shown")
        self.fill("tlsrpt-rua", "\n".join(good))
        self.click("tlsrpt-save")
        self.text_in("tlsrpt-status", "Saved: TLS reports go to these 2 addresses.")
        status, body = self.api("GET", f"/v1/domains/{self.domain}/tlsrpt")
        self.expect(status == 200 and body["rua"] == good, f"the addresses saved: {body}")
        self.expect(body["record"] == "v=TLSRPTv1; rua=" + ",".join(good), f"the record: {body}")
        self.expect(body["delegation_target"].endswith(f"._smtp._tls.{zone}"), f"the target: {body}")
        self.expect(self.visible("tlsrpt-record").text == body["record"], "the record shown is the API's")
        self.expect(self.text_of("tlsrpt-target") == body["delegation_target"], "the CNAME target shown")
        self.expect(self.by_id("tlsrpt-rua").get_attribute("aria-invalid") is None, "the field valid again")
        self.expect(not self.by_id("tlsrpt-rua-error").is_displayed(), "the error gone")
        self.expect(not self.by_id("tlsrpt-result").is_displayed(), "the problem gone")
        self.expect(self.text_of("tlsrpt-addresses").split("\n") == good, "the current addresses listed")
        self.screen("10-tls-reports", element_id="tlsrpt-panel", guide_dir=self.guide)

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

    def restore_version(self):
        driver = self.driver
        step("policy history: restore an older version after confirming")
        entries = self.css("#history li")
        self.expect(len(entries) == 3, f"three versions: {[entry.text for entry in entries]}")
        oldest_changes = entries[-1].find_element(By.CSS_SELECTOR, ".changes").text
        self.expect(oldest_changes == "first policy", f"the first version: {oldest_changes!r}")
        middle = entries[1]
        self.expect(middle.find_element(By.CSS_SELECTOR, ".changes").text == "kept 1 day → 14 days",
                    middle.text)
        restore = middle.find_element(By.CSS_SELECTOR, "button.restore")
        restore.click()
        self.visible("confirm-dialog")
        text = self.text_of("confirm-dialog-text")
        self.expect("mode testing" in text and "14 days" in text and "mode enforce → testing" in text,
                    f"the dialog says what changes: {text}")
        self.focused("confirm-no")
        self.click("confirm-no")
        self.wait(lambda d: not self.by_id("confirm-dialog").is_displayed(), "the dialog closed")
        self.expect(len(self.css("#history li")) == 3, "cancel restores nothing")
        driver.find_elements(By.CSS_SELECTOR, "#history li button.restore")[0].click()
        self.visible("confirm-dialog")
        self.click("confirm-yes")
        self.text_in("history-status", "Restored version")
        self.text_in("policy-current", "In force: mode testing")
        self.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#history li")) == 4, "four versions")
        newest = self.driver.find_element(By.CSS_SELECTOR, "#history li .changes").text
        self.expect(newest == f"mode enforce → testing · removed mx2.{self.domain} · kept 1 week → 14 days",
                    f"the restore's changes: {newest!r}")
        self.expect("DNS update pending" not in self.text_of("policy-current"),
                    "no DNS update with the CNAME into the platform's zone")
        self.screen("11-history", element_id="history-panel", guide_dir=self.guide)

    def domain_list(self):
        step("the list shows the state, mode and certificate of each domain")
        self.click("back-to-list")
        self.visible("list-view")
        # The list's refresher replaces the rows while they are read: the text and the state are read from one
        # element inside the wait, which looks again when that element went stale.
        def settled_row(driver):
            row = driver.find_element(By.CSS_SELECTOR, f'#domain-list li[data-domain="{self.domain}"]')
            text = row.text
            if "certificate valid until" not in text or "mode testing" not in text:
                return False
            return row.get_attribute("data-state"), text
        state, text = self.wait(settled_row, "mode and certificate in the row")
        self.expect(state in ("live_testing", "waiting", "action_needed"), f"row state {state}")
        print(f"LIST ROW {text!r}", flush=True)
        self.screen("12-domain-list", element_id="list-view", guide_dir=self.guide)

    def tokens(self):
        driver = self.driver
        step("API tokens have their own page")
        self.click("nav-tokens")
        self.visible("tokens-view")
        self.expect(self.hash() == "#/tokens", f"address {self.hash()!r}")
        self.focused("tokens-heading")

        step("a token without a name: a sentence beside the field")
        self.fill("token-name", "")
        self.by_id("token-form").submit()
        self.field_error("token-name", "Give the token a name", "token name")
        self.no_api_speak("token name")

        step("create an API token: the secret is shown once")
        self.fill("token-name", "ci")
        self.by_id("token-form").submit()
        self.visible("token-secret")
        secret = self.text_of("token-secret-value")
        self.expect(secret.startswith("mts_") and len(secret) == 47, f"token secret {secret!r}")
        self.focused("token-secret-heading")
        request = urllib.request.Request(self.base + "/v1/account", headers={"Authorization": f"Bearer {secret}"})
        with urllib.request.urlopen(request, timeout=20) as response:
            self.expect(response.status == 200, "the new token works")
        self.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#token-list li")) == 1, "the token listed")
        self.expect(secret not in self.text_of("token-list"), "the list never shows the secret")
        self.screen("13-api-tokens", element_id="tokens-view", guide_dir=self.guide)
        self.click("token-secret-done")
        self.expect(not self.by_id("token-secret").is_displayed(), "the secret is hidden again")
        self.expect(self.text_of("token-secret-value") == "", "the secret is gone from the page")

        step("revoking asks first; Cancel keeps the token")
        driver.find_element(By.CSS_SELECTOR, "#token-list li button").click()
        self.visible("confirm-dialog")
        self.expect("Revoke the token “ci”?" == self.text_of("confirm-dialog-heading"),
                    self.text_of("confirm-dialog-heading"))
        self.click("confirm-no")
        self.wait(lambda d: not self.by_id("confirm-dialog").is_displayed(), "the dialog closed")
        self.expect(len(self.css("#token-list li")) == 1, "the token is still there")

        step("revoke the token: the result appears beside the list")
        driver.find_element(By.CSS_SELECTOR, "#token-list li button").click()
        self.visible("confirm-dialog")
        self.click("confirm-yes")
        self.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#token-list li")) == 0, "the token revoked")
        self.visible("token-list-empty")
        self.text_in("token-status", "Token ci revoked")
        self.expect(self.text_of("notice") == "", "nothing in the notice at the top")

    def back_to_domain(self):
        driver = self.driver
        step("Back returns through the list to the open domain")
        driver.back()
        self.visible("list-view")
        driver.back()
        self.visible("domain-view")
        self.text_in("domain-heading", self.domain)
        self.expect(self.hash() == f"#/domains/{self.domain}", f"address after Back {self.hash()!r}")
        self.expect(self.text_of("token-status") == "" or self.hidden("tokens-view"), "the tokens page is gone")

    def offboard(self):
        step("offboard the domain with the RFC 8461 §8.3 confirmation")
        self.click("delete-button")
        self.visible("delete-dialog")
        explanation = self.text_of("delete-dialog-text")
        self.expect("RFC 8461 §8.3" in explanation and "mode none" in explanation, f"explanation: {explanation}")
        self.expect("14 days" in explanation, f"the largest max_age served (14 days) is named: {explanation}")
        self.focused("delete-cancel")
        self.driver.save_screenshot(os.path.join(self.arguments.output_dir, "delete-dialog.png"))
        self.click("delete-confirm")

        step("offboarding: one panel, one message, a readable date and the right instruction")
        self.visible("offboarding-panel")
        self.focused("offboarding-heading")
        self.wait(lambda d: self.domain_state() == "offboarding", "the offboarding state")
        text = self.text_of("offboarding-text")
        self.expect(text.count("is being removed") == 1, text)
        self.expect(self.page_text().count("is being removed") == 1, "the message appears once on the page")
        self.expect(self.page_text().count("RFC 8461 §8.3") == 1, "one explanation")
        self.expect(self.text_of("notice") == "" and self.hidden("domain-problem"), "no notice, no second box")
        self.expect(not re.search(r"\d{4}-\d\d-\d\dT\d\d:", self.page_text()), "no raw ISO timestamp on the page")
        self.expect(f"the CNAME mta-sts.{self.domain} → {self.arguments.edge_hostname}" in text, text)
        self.expect(f"_mta-sts.{self.domain} CNAME into the platform's zone" in text, text)
        self.expect("keep these DNS records" in text, text)
        self.expect(self.text_of("domain-status").startswith("Offboarding until "), self.text_of("domain-status"))
        self.expect(self.hidden("policy-panel") and self.hidden("setup-panel") and self.hidden("delete-panel"),
                    "no editor, checklist or remove button while offboarding")
        classes = self.by_id("offboarding-panel").get_attribute("class")
        self.expect("success" not in classes, f"not styled as success: {classes}")
        self.screen("14-offboarding", guide_dir=self.guide, scroll_to="domain-heading")

    def log_out_and_in(self):
        driver = self.driver
        step("log out, then a wrong password says so plainly")
        self.click("logout-button")
        self.visible("auth-view")
        self.expect(driver.execute_script("return sessionStorage.getItem('mtasts.session')") is None,
                    "the session token is removed")
        self.text_in("notice", "You are logged out.")

        step("a link to the domain page asks to log in first, then opens it")
        driver.get(f"{self.base}/#/domains/{self.domain}")
        self.visible("auth-view")
        self.fill("login-email", self.email)
        self.fill("login-password", PASSWORD + "x")
        self.by_id("login-form").submit()
        self.text_in("login-problem", "Wrong email or password.")
        self.focused("login-problem")
        self.no_api_speak("wrong password")

        step("log in again: the linked domain opens")
        self.fill("login-password", PASSWORD)
        self.by_id("login-form").submit()
        self.visible("domain-view")
        self.text_in("domain-heading", self.domain)
        self.visible("offboarding-panel")
        self.click("back-to-list")
        self.visible("list-view")
        self.text_in("domain-list", self.domain)
        # The rows are drawn again as the list's details arrive: each look finds the row anew.
        def offboarding_row(driver):
            row = driver.find_element(By.CSS_SELECTOR, f'#domain-list li[data-domain="{self.domain}"]')
            return row.get_attribute("data-state") == "offboarding" and "Offboarding until" in row.text
        self.wait(offboarding_row, "the row offboarding, with its date")
        self.expect(self.hidden("login-problem") or not self.by_id("auth-view").is_displayed(), "the problem gone")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("base-url", "domain", "zone", "knotc", "knot-socket", "output-dir", "chromium", "chromedriver",
                 "platform-zone", "edge-hostname"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--guide-dir", default=None, help="save the guide's screenshots (docs/guide/) here")
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
        print(f"FAILED: {type(error).__name__}: {error}", flush=True)
        return 1
    finally:
        journey.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
