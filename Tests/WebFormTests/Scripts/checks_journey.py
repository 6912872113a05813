#!/usr/bin/env python3
"""The check pages of the web form in headless Chromium (run by WebFormChecksTests.swift).

Signed out, from the log-in page to "Check a domain": a refused name said beside the field, a domain with problems
(every finding of the real report under its severity with its message, what to do and the record to publish),
then the hourly limit. Signed in: a verified domain gets the worker's check as a badge on its page (no click) and
in the list; the Checks panel shows the latest report and a short history; "Check now" shows a report that compares
with the policy served. The policy editor's provider presets fill the MX lines and say what they cover. An MX change
is refused for a bad line, started, moved on by the worker to the tenant's turn (the page follows by itself, with
the steps, the next step in words and the MX hosts the platform sees), cancelled behind the page's back (the page
follows by itself), started again and cancelled with its own button.
Fails on any console error except the HTTP errors the journey provokes on purpose.

Every wait is an explicit condition with a deadline (WebDriverWait), never a fixed sleep.
"""

import argparse
import datetime
import json
import os
import re
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from journey_support import Browser, JourneyFailure, step

PASSWORD = "correct horse battery staple"

EXPECTED_NETWORK_ERRORS = [
    re.compile(r"/v1/checks - Failed to load resource: the server responded with a status of 422"),
    re.compile(r"/v1/checks - Failed to load resource: the server responded with a status of 429"),
    re.compile(r"/verify - Failed to load resource: the server responded with a status of 422"),
    # GET …/mx-change answers 404 while the domain has never had a change.
    re.compile(r"/mx-change - Failed to load resource: the server responded with a status of 404"),
    re.compile(r"/mx-change - Failed to load resource: the server responded with a status of 422"),
]

API_SPEAK = ["add[0]", "remove[0]", "temporary_max_age", "Invalid fields", "validation-failed", "too-many-checks",
             "Request failed", "worst_severity", "{\""]

SEVERITY_GROUPS = {"error": "Problems to fix", "warning": "Warnings", "info": "Good to know"}


def plural(count, one, many):
    return f"1 {one}" if count == 1 else f"{count} {many}"


def badge_text(summary):
    """The page's badge for a check summary (app.js checkBadge): the worst only."""
    if summary["errors"]:
        return plural(summary["errors"], "problem", "problems")
    if summary["warnings"]:
        return plural(summary["warnings"], "warning", "warnings")
    return "All good"


class ChecksJourney(Browser):
    def __init__(self, arguments):
        super().__init__(arguments)
        self.domain = arguments.domain
        self.problem_domain = arguments.problem_domain
        self.email = f"admin@{arguments.domain}"
        self.guide = arguments.guide_dir

    # MARK: - helpers

    def no_api_speak(self, where):
        text = self.page_text()
        found = [phrase for phrase in API_SPEAK if phrase in text]
        self.expect(not found, f"{where}: API wording on the page: {found}")

    def field_error(self, element_id, expected, what):
        message = self.text_in(f"{element_id}-error", expected)
        self.expect(self.by_id(element_id).get_attribute("aria-invalid") == "true", f"{what}: #{element_id} invalid")
        return message

    def findings_on_page(self, container_id):
        """{code: (severity group heading, message, what to do)} of the report shown in #container_id."""
        shown = {}
        for section in self.css(f"#{container_id} section.findings"):
            heading = section.find_element(By.CSS_SELECTOR, "h2, h3, h4").text
            for item in section.find_elements(By.CSS_SELECTOR, "li.finding"):
                message = item.find_element(By.CSS_SELECTOR, ".finding-message").text
                fix = item.find_element(By.CSS_SELECTOR, ".finding-fix").text
                shown.setdefault(item.get_attribute("data-code"), []).append(
                    (section.get_attribute("data-severity"), heading, message, fix))
        return shown

    @staticmethod
    def report_differences(shown, report):
        """What differs between the findings shown and `report` (none: every finding under its severity's heading,
        with its message and what to do, and nothing else)."""
        differences = []
        counted = sum(len(items) for items in shown.values())
        if counted != len(report["findings"]):
            differences.append(f"{counted} findings shown, the report has {len(report['findings'])}")
        for finding in report["findings"]:
            severity = finding["severity"]
            count = sum(1 for item in report["findings"] if item["severity"] == severity)
            expected = (severity, f"{SEVERITY_GROUPS[severity]} ({count})", finding["message"],
                        f"What to do: {finding['fix']}")
            if expected not in shown.get(finding["code"], []):
                differences.append(f"{finding['code']} shown as {shown.get(finding['code'])}, expected {expected}")
        return differences

    def expect_report_shown(self, container_id, report_at, what):
        """Waits until #container_id shows a report that `report_at(checked_at)` gives (the worker may store a newer
        one meanwhile, and the panel is drawn again) with every finding as it should be; returns that report."""
        last = []

        def shown(driver):
            body = driver.find_element(By.CSS_SELECTOR, f"#{container_id} .report-body")
            report = report_at(body.get_attribute("data-checked-at"))
            if report is None:
                last[:] = [f"no report checked at {body.get_attribute('data-checked-at')}"]
                return False
            last[:] = self.report_differences(self.findings_on_page(container_id), report)
            return not last and report
        try:
            return self.wait(shown, f"{what}: the report's findings")
        except JourneyFailure as error:
            raise JourneyFailure(f"{error}: {last}") from error

    def fix_record(self, container_id, code, record_type):
        """(name, value, box) of the record the finding `code` asks to publish, as the page shows it."""
        def record(driver):
            item = driver.find_element(By.CSS_SELECTOR, f'#{container_id} li.finding[data-code="{code}"]')
            for box in item.find_elements(By.CSS_SELECTOR, ".fix-record"):
                if f"The {record_type} record to publish" in box.text:
                    values = box.find_elements(By.CSS_SELECTOR, "code.value")
                    return values[0].text, values[1].text, box
            return False
        return self.wait(record, f"the {record_type} record to publish under {code}")

    def domain_api(self):
        status, body = self.api("GET", f"/v1/domains/{self.domain}")
        self.expect(status == 200, f"GET domain answered {status}")
        return body

    def plan_steps(self):
        return [(item.get_attribute("data-step"), item.get_attribute("data-plan-status"))
                for item in self.css("#mx-change-steps li")]

    # MARK: - the journey

    def run(self):
        self.public_check()
        self.sign_up_and_verify()
        self.worker_check()
        self.check_now()
        self.presets()
        self.mx_change()
        self.collect_console()
        unexpected = [entry for entry in self.console if entry.get("level") == "SEVERE"
                      and not any(pattern.search(entry.get("message", "")) for pattern in EXPECTED_NETWORK_ERRORS)]
        self.expect(not unexpected, f"console errors: {json.dumps(unexpected, indent=2)}")
        print("CHECKS JOURNEY COMPLETE", flush=True)

    def public_check(self):
        driver = self.driver
        step("signed out: the log-in page links to the public check")
        driver.get(self.base + "/")
        self.visible("auth-view")
        self.grant_clipboard()
        self.click("auth-check-link")
        self.visible("check-view")
        self.expect(self.hash() == "#/check", f"the check page's address {self.hash()!r}")
        self.focused("check-heading")
        self.expect(self.hidden("auth-view") and self.hidden("app-view"), "only the check page")
        self.expect(self.by_id("check-back").is_displayed(), "a way back to log in")
        self.expect(self.by_id("check-status").get_attribute("aria-live") == "polite", "results are announced")

        step("a refused name: the sentence beside the field, nothing else")
        for text, sentence in (("192.0.2.1", "“192.0.2.1” is an IP address."),
                               ("", "Enter a domain name, such as example.com.")):
            self.fill("check-domain", text)
            self.by_id("check-form").submit()
            self.field_error("check-domain", sentence, repr(text))
            self.focused("check-domain")
            self.expect(self.hidden("check-problem"), "no second copy of the error")
            self.expect(not self.css("#check-result .finding"), "no report")
            self.no_api_speak(f"check {text!r}")

        step("a domain with problems, typed as a web address: every finding with what to do, under its severity")
        self.fill("check-domain", f"https://{self.problem_domain}/")
        self.by_id("check-form").submit()
        status = self.timed(lambda d: self.text_of("check-status").startswith(f"Checked {self.problem_domain}:")
                            and self.text_of("check-status"), "the public check's result", timeout=60)
        self.expect(self.by_id("check-domain").get_attribute("aria-invalid") is None, "the field is valid again")
        code, report = self.api("POST", "/v1/checks", {"domain": self.problem_domain}, anonymous=True)
        self.expect(code == 200 and not report["hosted"], f"the API's own check: {code} {report}")
        codes = sorted(finding["code"] for finding in report["findings"])
        self.expect(codes == ["mx-unreachable", "policy-fetch-failed", "policy-host-not-pointing-here",
                              "sts-record-missing", "tlsrpt-legacy-label", "tlsrpt-missing"],
                    f"the fixture's findings: {codes}")
        elsewhere = self.driver.find_element(By.CSS_SELECTOR,
                                             '#check-result li[data-code="policy-host-not-pointing-here"]')
        self.expect("Points to\nother.platform.test" in elsewhere.text, f"where it points: {elsewhere.text!r}")
        self.expect(not elsewhere.find_elements(By.CSS_SELECTOR, ".fix-record"),
                    "no record to publish for what is only good to know")
        self.expect_report_shown("check-result", lambda _: report, "public check")
        summary = report["summary"]
        self.expect(self.text_of("check-result").startswith(f"Result for {self.problem_domain}\n"
                                                             f"{badge_text(summary)}\nChecked "),
                    f"title and badge: {self.text_of('check-result')[:120]!r}")
        self.expect(status == f"Checked {self.problem_domain}: 3 problems, 2 warnings and 1 note.", status)
        name, value, box = self.fix_record("check-result", "tlsrpt-missing", "TXT")
        self.expect((name, value) == (f"_smtp._tls.{self.problem_domain}",
                                      f"v=TLSRPTv1; rua=mailto:tlsrpt@{self.problem_domain}"), f"{name} {value}")
        copied = self.clipboard_after_clicking(box.find_elements(By.CSS_SELECTOR, "button.copy")[1])
        self.expect(copied == value, f"the value's copy button copied {copied!r}")
        legacy = self.driver.find_element(By.CSS_SELECTOR, '#check-result li[data-code="tlsrpt-legacy-label"]').text
        self.expect(f"Found\nv=TLSRPTv1; rua=mailto:reports@{self.problem_domain}" in legacy,
                    f"the record found at the draft label: {legacy!r}")
        self.no_api_speak("public check")
        self.screen("15-check-a-domain", element_id="check-view", guide_dir=self.guide)

        step("over the hourly limit: when to try again, in words")
        self.by_id("check-form").submit()
        problem = self.text_in("check-problem", "Too many checks for now.")
        self.expect(re.search(r"You can check again in \d+ minutes \(at [^)]+\)\.", problem), problem)
        self.expect("Signed in, an account can run more checks." in problem, problem)
        self.focused("check-problem")
        self.expect(not self.css("#check-result .finding"), "the older report is not left as if it were new")
        self.no_api_speak("429")

    def sign_up_and_verify(self):
        step("back to log in; sign up and add the domain")
        self.driver.find_element(By.CSS_SELECTOR, "#check-back a").click()
        self.visible("auth-view")
        self.expect(self.hidden("check-view"), "the check page is gone")
        self.fill("signup-email", self.email)
        self.fill("signup-password", PASSWORD)
        self.by_id("signup-form").submit()
        self.visible("list-view")
        self.expect(self.by_id("nav-check").is_displayed(), "the check page is in the app's navigation")
        self.fill("add-domain-name", self.domain)
        self.by_id("add-domain-form").submit()
        self.visible("verify-panel")
        self.publish_txt(self.text_of("verify-name"), self.text_of("verify-value"))

        clicked = [0.0]

        def verified(driver):
            if self.by_id("policy-panel").is_displayed():
                return True
            # The resolver may still hold the answer from before the record: ask again, once a second.
            if self.by_id("verify-button").is_enabled() and time.monotonic() - clicked[0] >= 1:
                clicked[0] = time.monotonic()
                self.click("verify-button")
            return False
        self.timed(verified, "verification", timeout=45)
        self.visible("checks-panel")

    def worker_check(self):
        step("the worker's check appears on the domain page by itself")
        domain = self.timed(lambda d: self.domain_api()["check"] and self.domain_api(), "the worker's first check",
                            timeout=60)
        self.timed(lambda d: self.css("#domain-check .check-badge"), "the check badge on the page", timeout=30)
        summary = self.domain_api()["check"]
        self.wait(lambda d: self.by_id("domain-check").find_element(By.CSS_SELECTOR, ".check-badge").text
                  == badge_text(self.domain_api()["check"]), "the badge says the API's counts")
        self.expect(summary["errors"] > 0 and badge_text(summary).endswith("problems"), f"problems expected: {summary}")
        self.expect("last check" in self.text_of("domain-check"), self.text_of("domain-check"))

        step("the Checks panel: the latest report and a short history")
        stored = {}

        def stored_report(checked_at):
            if checked_at not in stored:
                status, history = self.api("GET", f"/v1/domains/{self.domain}/checks?limit=50")
                self.expect(status == 200, f"the stored reports: {status}")
                stored.update((entry["checked_at"], entry) for entry in history["checks"])
            return stored.get(checked_at)
        report = self.expect_report_shown("checks-latest", stored_report, "latest check")
        self.expect(report["hosted"], "the worker compares with the policy served")
        self.text_in("checks-latest", "The platform checked")

        def history_matches(driver):
            rows = driver.find_elements(By.CSS_SELECTOR, "#checks-history li")
            entries = [stored_report(row.get_attribute("data-checked-at")) for row in rows]
            return rows and all(entry and row.text.startswith(f"{badge_text(entry['summary'])}\n")
                                and f" · {plural(entry['summary']['errors'], 'problem', 'problems')}" in row.text
                                for row, entry in zip(rows, entries))
        self.wait(history_matches, "one history row per stored report, with its badge, time and counts")
        self.expect(not re.search(r"\d{4}-\d\d-\d\dT\d\d:", self.text_of("checks-panel")), "no raw timestamps")
        self.no_api_speak("checks panel")
        self.screen("16-checks", element_id="checks-panel", guide_dir=self.guide)

        step("the domain list shows the badge and when")
        self.click("back-to-list")
        self.visible("list-view")
        def row():
            return self.driver.find_element(By.CSS_SELECTOR, f'#domain-list li[data-domain="{self.domain}"] .row-check')
        expected = badge_text(self.domain_api()["check"])
        # The rows are drawn again as the list's details arrive: each look finds the row anew.
        text = self.wait(lambda d: row().text.startswith(f"{expected}\nlast check ") and row().find_element(
            By.CSS_SELECTOR, ".check-badge").get_attribute("data-severity") == "error" and row().text,
            f"the row to say {expected!r}, coloured as a problem")
        print(f"LIST ROW {text!r} for {domain['check']}", flush=True)

    def check_now(self):
        step("Check now: a report that compares with the policy served, in place")
        self.wait(lambda d: d.find_element(By.CSS_SELECTOR, f'#domain-list a[href="#/domains/{self.domain}"]').click()
                  or True, "the domain's link clicked")
        self.visible("checks-panel")
        self.wait(lambda d: self.css("#checks-latest .report-body"), "the latest report")
        clicked = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.click("check-now")
        self.timed(lambda d: self.text_of("check-now-status").startswith("Checked just now:"), "Check now's report",
                   timeout=60)

        def own_report(driver):
            """The page shows the report Check now got, unless the worker has stored a newer one since."""
            body = driver.find_element(By.CSS_SELECTOR, "#checks-latest .report-body")
            source, checked_at = body.get_attribute("data-source"), body.get_attribute("data-checked-at")
            return (source == "own" and "You checked" in body.text) or (source == "worker" and checked_at >= clicked)
        # At once: waiting longer would let a newer report of the worker stand in for one Check now never showed.
        self.wait(own_report, "the report of Check now shown in the panel", timeout=2)
        self.expect("Compared with the policy this platform serves" in self.text_of("checks-latest"),
                    "a hosted report")
        policy_id = self.api("GET", f"/v1/domains/{self.domain}/policy")[1]["id"]
        name, value, _ = self.fix_record("checks-latest", "sts-record-missing", "TXT")
        self.expect((name, value) == (f"_mta-sts.{self.domain}", f"v=STSv1; id={policy_id}"),
                    f"the record to publish names the id served: {name} {value}")

    def presets(self):
        step("presets: the provider list fills the MX lines and says what they cover")
        self.visible("policy-panel")
        self.wait(lambda d: len(Select(self.by_id("policy-preset")).options) > 1, "the provider list")
        options = {option.get_attribute("value"): option.text for option in Select(self.by_id("policy-preset")).options}
        self.expect(options["self-hosted"] == "Self-hosted (matches your MX records now)", f"options {options}")
        self.expect(options["google"] == "Google Workspace", f"options {options}")
        mx = f"mx1.{self.domain}"
        Select(self.by_id("policy-preset")).select_by_value("google")
        self.wait(lambda d: self.by_id("policy-mx").get_attribute("value")
                  == "smtp.google.com\naspmx.l.google.com\n*.aspmx.l.google.com", "Google's patterns filled in")
        note = self.text_in("policy-preset-note", f"They do not cover {mx}, which your MX records name right now.")
        self.expect(note.startswith("Google Workspace: smtp.google.com, and aspmx.l.google.com"), note)
        self.text_in("policy-coverage-summary", f"Not covered: {mx} (preference 10)")
        self.expect(self.by_id("policy-dirty").is_displayed(), "unsaved changes are said")
        self.screen("17-mail-provider", guide_dir=self.guide, scroll_to="policy-preset")

        Select(self.by_id("policy-preset")).select_by_value("self-hosted")
        self.wait(lambda d: self.by_id("policy-mx").get_attribute("value") == mx, "the live MX host filled in")
        self.text_in("policy-preset-note", "Self-hosted: Exactly the domain's current MX hosts")
        self.text_in("policy-preset-note", "They cover your MX host right now.")
        self.text_in("policy-coverage-summary", "Your MX host is covered")

        step("the filled lines stay editable; Discard changes puts the policy back")
        self.by_id("policy-mx").send_keys("\nmx9.example.test")
        self.text_in("mx-check", "Line 2 (mx9.example.test) matches no MX host")
        self.click("policy-reload")
        self.wait(lambda d: Select(self.by_id("policy-preset")).first_selected_option.get_attribute("value") == ""
                  and self.text_of("policy-preset-note") == "", "the provider list reset")
        self.no_api_speak("presets")

    def mx_change(self):
        mx = f"mx1.{self.domain}"
        step("MX change: a preset fills the new servers; a line already in the policy is refused beside the field")
        self.visible("mx-change-panel")
        self.expect(self.by_id("mx-change-form").is_displayed() and self.hidden("mx-change-plan"), "no plan yet")
        Select(self.by_id("mx-change-preset")).select_by_value("fastmail")
        self.wait(lambda d: self.by_id("mx-change-add").get_attribute("value") == "*.messagingengine.com",
                  "Fastmail's pattern filled in")
        self.text_in("mx-change-preset-note", "Fastmail: in1-smtp and in2-smtp.messagingengine.com.")
        self.text_in("mx-change-preset-note", "expected while you move")
        boxes = self.css('#mx-change-remove-list input[type="checkbox"]')
        self.expect([(box.get_attribute("value"), box.is_selected()) for box in boxes] == [(mx, True)],
                    "the current server, ticked to go")
        self.by_id("mx-change-add").send_keys(f"\n{mx.upper()}")
        self.click("mx-change-start")
        self.field_error("mx-change-add", f"Line 2: {mx.upper()} is already in your policy.", "already listed")
        self.focused("mx-change-add")

        step("a line the API refuses: its number and words beside the field")
        self.fill("mx-change-add", "not a host!\n*.messagingengine.com")
        self.click("mx-change-start")
        self.field_error("mx-change-add", "Line 1 (“not a host!”) is not a host name or pattern", "bad line")
        self.expect(self.hidden("mx-change-plan"), "nothing started")
        self.no_api_speak("mx-change refused")

        step("start the change: the policy lists the new servers at once, the plan replaces the form")
        self.fill("mx-change-add", "*.messagingengine.com")
        self.choose("mx-change-max-age-1h")
        self.click("mx-change-start")
        self.text_in("mx-change-status", "Started: the policy now lists *.messagingengine.com too, and senders keep "
                                         "it for 1 hour.")
        self.visible("mx-change-plan")
        self.focused("mx-change-next")
        self.expect(self.hidden("mx-change-form"), "no second change while one runs")
        self.text_in("policy-current", f"mx {mx}, *.messagingengine.com · kept 1 hour")

        step("no enforce policy was ever served, so nothing to wait for: the page says it is the tenant's turn")
        self.timed(lambda d: self.by_id("mx-change-plan").get_attribute("data-state") == "ready",
                   "the worker's next step shown without a click", timeout=30)
        self.expect(self.plan_steps() == [("publish_new_patterns", "done"), ("wait_for_caches", "done"),
                                          ("switch_mx_records", "current"), ("remove_old_patterns", "pending")],
                    f"steps {self.plan_steps()}")
        self.expect(self.text_of("mx-change-state") == "your turn: switch the MX records",
                    self.text_of("mx-change-state"))
        self.expect(self.text_of("mx-change-next") == f"Next: Point the MX records of {self.domain} to the new "
                    "servers (*.messagingengine.com) now. The platform watches them and finishes the change by itself.",
                    self.text_of("mx-change-next"))
        steps_text = self.text_of("mx-change-steps")
        for sentence in ("The policy lists *.messagingengine.com too, and senders keep it for 1 hour.",
                         f"Point the MX records of {self.domain} to the new servers (*.messagingengine.com) now; the "
                         "platform watches them and goes on by itself.",
                         f"{mx} leave the policy, and senders keep the policy for 1 day again."):
            self.expect(sentence in steps_text, f"{sentence!r} in {steps_text!r}")
        status, plan = self.api("GET", f"/v1/domains/{self.domain}/mx-change")
        self.expect(status == 200 and plan["state"] == "ready" and plan["temporary_max_age"] == 3600
                    and plan["add"] == ["*.messagingengine.com"] and plan["remove"] == [mx], f"the API's plan: {plan}")
        self.text_in("mx-change-observed", "Your MX records as the platform last saw them", timeout=30)
        self.text_in("mx-change-observed", f"): {mx}.")
        self.no_api_speak("mx-change started")
        self.expect(not re.search(r"\d{4}-\d\d-\d\dT\d\d:|\d{4,} seconds", self.text_of("mx-change-panel")),
                    "no raw timestamps or max_age in seconds")
        self.screen("18-mx-change", element_id="mx-change-panel", guide_dir=self.guide)

        step("cancelled behind the page's back: the page follows by itself")
        status, _ = self.api("DELETE", f"/v1/domains/{self.domain}/mx-change")
        self.expect(status == 200, f"DELETE answered {status}")
        self.timed(lambda d: self.text_of("mx-change-state") == "cancelled", "the cancel shown without a click",
                   timeout=30)
        self.expect(self.plan_steps()[2:] == [("switch_mx_records", "skipped"), ("remove_old_patterns", "skipped")],
                    f"steps {self.plan_steps()}")
        self.expect(self.text_of("mx-change-next").startswith("Result: Cancelled on ") and
                    "The policy stays as it is now: it still lists *.messagingengine.com." in
                    self.text_of("mx-change-next"), self.text_of("mx-change-next"))
        self.visible("mx-change-form")
        self.text_in("mx-change-form-heading", "Start another change")

        step("start another change, then cancel it with the page's button after saying no once")
        Select(self.by_id("mx-change-preset")).select_by_value("proton")
        self.wait(lambda d: self.by_id("mx-change-add").get_attribute("value")
                  == "mail.protonmail.ch\nmailsec.protonmail.ch", "Proton's servers filled in")
        self.click("mx-change-start")
        running = ("waiting", "ready")
        self.wait(lambda d: self.by_id("mx-change-plan").get_attribute("data-state") in running,
                  "the second plan running")
        self.click("mx-change-cancel")
        self.visible("confirm-dialog")
        self.expect(self.text_of("confirm-dialog-heading") == "Cancel the change of mail provider?",
                    self.text_of("confirm-dialog-heading"))
        self.expect(self.text_of("confirm-no") == "Keep it running", self.text_of("confirm-no"))
        self.focused("confirm-no")
        self.click("confirm-no")
        self.wait(lambda d: not self.by_id("confirm-dialog").is_displayed(), "the dialog closed")
        self.expect(self.api("GET", f"/v1/domains/{self.domain}/mx-change")[1]["state"] in running, "still running")
        self.click("mx-change-cancel")
        self.visible("confirm-dialog")
        self.click("confirm-yes")
        self.text_in("mx-change-status", "Cancelled. The policy stays as it is now.")
        self.wait(lambda d: self.text_of("mx-change-state") == "cancelled", "cancelled")
        self.expect(self.api("GET", f"/v1/domains/{self.domain}/mx-change")[1]["state"] == "cancelled",
                    "the API agrees")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("base-url", "domain", "problem-domain", "zone", "knotc", "knot-socket", "output-dir", "chromium",
                 "chromedriver"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--guide-dir", default=None, help="save the guide's screenshots (docs/guide/) here")
    arguments = parser.parse_args()
    journey = ChecksJourney(arguments)
    try:
        journey.run()
    except Exception as error:
        try:
            journey.collect_console()
            for entry in journey.console:
                print(f"CONSOLE {entry.get('level')} {entry.get('message')}", flush=True)
            path = os.path.join(arguments.output_dir, "checks-failure.png")
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
