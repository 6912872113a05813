#!/usr/bin/env python3
"""The TLS reports page and the enforce verdict in headless Chromium (run by WebFormReportsTests.swift).

The Swift test has stored a month of reports for a verified domain (ReportSeed.swift) and hands over what the page
must show (--expectations). Logged in, the domain page lists the platform's reporting addresses in the TLS-RPT panel
and, under the testing policy, what stands between it and enforce. The reports page: a chart with one bar group per
UTC day and the seeded totals (also in a table for screen readers), failures by result type with what each means
(a fallback for a type nobody registered), failures by MX host, the reporters (the silent one flagged, each with
the policy version it applies), the list with its outdated and unmatched flags, "Show older reports", one report
opened by keyboard with its failure details, and its JSON downloaded under RFC 8460's file name. Back on the domain
page, switching testing to enforce is refused with the reports' verdict; "Enforce anyway" (keyboard) saves it.
Fails on any console error except the HTTP errors the journey provokes on purpose.

Every wait is an explicit condition with a deadline (WebDriverWait), never a fixed sleep.
"""

import argparse
import json
import os
import re
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from journey_support import Browser, JourneyFailure, step

EXPECTED_NETWORK_ERRORS = [
    # GET …/mx-change answers 404 while the domain has never had a change of mail provider.
    re.compile(r"/mx-change - Failed to load resource: the server responded with a status of 404"),
    # testing → enforce before the reports say it is safe.
    re.compile(r"/policy - Failed to load resource: the server responded with a status of 409"),
]

API_SPEAK = ["enforce_readiness", "enforce-not-ready", "\"force\"", "next_before", "applies_current_policy",
             "failures_by_result_type", "{\""]


class ReportsJourney(Browser):
    def __init__(self, arguments):
        super().__init__(arguments)
        with open(arguments.expectations, encoding="utf-8") as file:
            self.expected = json.load(file)
        self.domain = self.expected["domain"]
        self.guide = arguments.guide_dir
        os.makedirs(arguments.download_dir, exist_ok=True)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                                    {"behavior": "allow", "downloadPath": arguments.download_dir})

    # MARK: - helpers

    def no_api_speak(self, where):
        text = self.page_text()
        found = [phrase for phrase in API_SPEAK if phrase in text]
        self.expect(not found, f"{where}: API wording on the page: {found}")

    def texts(self, selector):
        return [element.text for element in self.css(selector)]

    def summary(self):
        status, body = self.api("GET", f"/v1/domains/{self.domain}/reports/summary?days=30")
        self.expect(status == 200, f"GET summary answered {status}")
        return body

    def policy(self):
        status, body = self.api("GET", f"/v1/domains/{self.domain}/policy")
        self.expect(status == 200, f"GET policy answered {status}")
        return body

    def press_enter(self, element):
        """Activates a control from the keyboard: focus, then Enter."""
        self.driver.execute_script("arguments[0].focus()", element)
        self.wait(lambda d: d.switch_to.active_element == element, "the control focused")
        element.send_keys(Keys.ENTER)

    # MARK: - the journey

    def run(self):
        self.log_in()
        self.domain_page()
        self.reports_page()
        self.report_list()
        self.report_detail()
        self.enforce_verdict()
        self.collect_console()
        unexpected = [entry for entry in self.console if entry.get("level") == "SEVERE"
                      and not any(pattern.search(entry.get("message", "")) for pattern in EXPECTED_NETWORK_ERRORS)]
        self.expect(not unexpected, f"console errors: {json.dumps(unexpected, indent=2)}")
        print("REPORTS JOURNEY COMPLETE", flush=True)

    def log_in(self):
        step("log in and open the domain")
        self.driver.get(self.base + "/")
        self.visible("auth-view")
        self.fill("login-email", self.arguments.email)
        self.fill("login-password", self.arguments.password)
        self.by_id("login-form").submit()
        self.visible("list-view")
        self.wait(lambda d: d.find_element(By.CSS_SELECTOR, f'#domain-list a[href="#/domains/{self.domain}"]').click()
                  or True, "the domain's link clicked")
        self.visible("policy-panel")

    def domain_page(self):
        expected = self.expected
        step("the TLS-RPT panel lists the platform's reporting addresses")
        platform = self.arguments.platform_rua.split(",")
        status, tlsrpt = self.api("GET", f"/v1/domains/{self.domain}/tlsrpt")
        self.expect(status == 200 and tlsrpt["platform_rua"] == platform, f"the API's platform_rua: {tlsrpt}")
        self.wait(lambda d: self.texts("#tlsrpt-platform-addresses li") == platform,
                  "the platform's addresses in the TLS-RPT panel")
        self.text_in("tlsrpt-current", "No addresses of your own: reports go to the platform only.")
        self.expect(self.by_id("tlsrpt-rua").get_attribute("value") == "", "no address suggested: the platform has them")
        self.expect(self.visible("tlsrpt-record").text == tlsrpt["record"], "the record to publish names them")
        self.expect(self.text_of("tlsrpt-rua-label") == "Report addresses of your own, one per line",
                    self.text_of("tlsrpt-rua-label"))

        step("an address of one's own: after the platform's in the record")
        own = f"mailto:tls@{self.domain}"
        self.fill("tlsrpt-rua", own)
        self.click("tlsrpt-save")
        self.text_in("tlsrpt-status", "Saved: TLS reports also go to this address of your own.")
        self.text_in("tlsrpt-current", "Reports also go to this address of your own:")
        status, tlsrpt = self.api("GET", f"/v1/domains/{self.domain}/tlsrpt")
        self.expect(tlsrpt["record"] == "v=TLSRPTv1; rua=" + ",".join(platform + [own]), f"the record: {tlsrpt}")
        self.wait(lambda d: self.text_of("tlsrpt-record") == tlsrpt["record"], "the new record shown")

        step("under the testing policy: not ready for enforce, and why")
        readiness = self.summary()["enforce_readiness"]
        self.expect(readiness and not readiness["ready"], f"the seeded reports block enforce: {readiness}")
        self.expect(expected["blockingSentence"] in readiness["missing"], f"the API's verdict: {readiness}")
        self.visible("policy-readiness")
        self.wait(lambda d: self.texts("#policy-readiness li") == readiness["missing"],
                  "the missing sentences under the policy in force")
        self.text_in("policy-readiness", "not ready for enforce")
        self.no_api_speak("domain page")
        for panel in ("tlsrpt-panel", "policy-readiness"):
            self.by_id(panel).screenshot(os.path.join(self.arguments.output_dir, f"reports-{panel}.png"))

    def reports_page(self):
        expected = self.expected
        totals = expected["totals"]
        step("the TLS reports page, from the domain page")
        self.click("tlsrpt-reports-link")
        self.visible("reports-content")
        self.expect(self.hash() == f"#/domains/{self.domain}/reports", f"the page's address {self.hash()!r}")
        self.focused("reports-heading")
        self.expect(self.text_of("reports-heading") == f"TLS reports for {self.domain}", self.text_of("reports-heading"))
        self.expect(self.hidden("domain-view"), "only the reports page")

        step("the chart: one bar group per UTC day, and the seeded totals")
        groups = self.css("#sessions-chart svg g.day")
        # The API's days (not the test's clock: a run across UTC midnight shifts them by one).
        days = [day["date"] for day in self.summary()["daily"]]
        self.expect(len(days) == 30 and [group.get_attribute("data-date") for group in groups] == days,
                    f"one group per day, oldest first: {[group.get_attribute('data-date') for group in groups]}")
        self.expect(all(len(group.find_elements(By.CSS_SELECTOR, "rect")) == 2 for group in groups),
                    "each day: a successful and a failed bar")
        shown_ok = sum(int(group.get_attribute("data-successful")) for group in groups)
        shown_failed = sum(int(group.get_attribute("data-failed")) for group in groups)
        self.expect((shown_ok, shown_failed) == (totals["successfulSessions"], totals["failedSessions"]),
                    f"the bars add up to {shown_ok}/{shown_failed}, seeded {totals}")
        failed_days = [group.get_attribute("data-date") for group in groups if group.get_attribute("data-failed") != "0"]
        self.expect(len(failed_days) == 2, f"two days with failures: {failed_days}")
        sessions = totals["successfulSessions"] + totals["failedSessions"]
        sentence = self.text_of("sessions-totals")
        self.expect(sentence.startswith(f"{totals['reports']} reports in the last 30 days: {sessions:,} sessions, "
                                        f"{totals['successfulSessions']:,} successful and "
                                        f"{totals['failedSessions']:,} failed"), f"the totals: {sentence!r}")
        chart = self.driver.find_element(By.CSS_SELECTOR, "#sessions-chart svg")
        self.expect(chart.get_attribute("role") == "img", "the chart is an image to screen readers")
        labelled = [self.driver.execute_script("return document.getElementById(arguments[0]).textContent", name)
                    for name in chart.get_attribute("aria-labelledby").split()]
        self.expect(labelled[0].startswith("Successful and failed sessions per UTC day") and labelled[1] == sentence,
                    f"its title and description: {labelled}")
        table = self.by_id("sessions-table-box")
        self.expect(table.size["width"] <= 1 and table.size["height"] <= 1, "the table is for screen readers only")
        rows = self.driver.execute_script(
            "return [...document.querySelectorAll('#sessions-table tbody tr')].length")
        total_row = self.driver.execute_script(
            "return [...document.querySelectorAll('#sessions-table tfoot td')].map((c) => c.textContent)")
        self.expect(rows == 30 and total_row == [f"{totals['successfulSessions']:,}", f"{totals['failedSessions']:,}",
                                                 f"{totals['reports']}"], f"the table: {rows} rows, total {total_row}")

        step("failures by result type: what each means and what to do; an unknown type says so")
        known = self.driver.find_element(By.CSS_SELECTOR, f'#failure-types li[data-result-type="{expected["knownType"]}"]')
        self.expect(known.find_element(By.CSS_SELECTOR, ".failure-meaning").text == expected["knownMeaning"],
                    f"the meaning: {known.text!r}")
        self.expect(known.find_element(By.CSS_SELECTOR, ".failure-advice").text
                    == f"What to do: {expected['knownAdvice']}", f"the advice: {known.text!r}")
        self.expect("3 failed sessions" in known.text and "blocks delivery under enforce" in known.text, known.text)
        unknown = self.driver.find_element(By.CSS_SELECTOR,
                                           f'#failure-types li[data-result-type="{expected["unknownType"]}"]')
        self.expect(unknown.get_attribute("data-known") == "false", "the unknown type is marked")
        self.expect(f"“{expected['unknownType']}” is not a result type this platform knows" in unknown.text
                    and "What to do: Open a report below that lists it" in unknown.text, f"fallback: {unknown.text!r}")
        mx_rows = {row.get_attribute("data-host"): row.find_element(By.CSS_SELECTOR, "td.number").text
                   for row in self.css("#failure-mx-table tbody tr")}
        self.expect(mx_rows == {f"mx1.{self.domain}": "3", f"mx2.{self.domain}": "2"}, f"failures by MX: {mx_rows}")

        step("reporters: the silent one flagged, each with the policy version it applies")
        for reporter in expected["reporters"]:
            item = self.driver.find_element(By.CSS_SELECTOR, f'#reporters li[data-reporter="{reporter["name"]}"]')
            name = item.find_element(By.CSS_SELECTOR, ".reporter-name").text
            self.expect(name == reporter["name"], f"the name as text: {name!r}")
            badges = [badge.text for badge in item.find_elements(By.CSS_SELECTOR, ".badge")]
            self.expect(("silent" in badges) == reporter["silent"], f"{name}: badges {badges}")
            self.expect(item.get_attribute("data-silent") == str(reporter["silent"]).lower(), f"{name} silent")
            if reporter["silent"]:
                self.expect(re.search(r"Silent: its latest report ended \w+ \d+, \d{4}, 00:00 UTC, more than 3 days "
                                      r"ago\.", item.text), item.text)
            applied = item.find_element(By.CSS_SELECTOR, ".applied").text
            if reporter["appliesCurrentPolicy"]:
                self.expect(applied == f"Applies the current policy (id {reporter['lastAppliedPolicyID']}).", applied)
            else:
                self.expect(applied.startswith(f"Applies policy id {reporter['lastAppliedPolicyID']}, not the current "
                                               f"{expected['currentPolicyID']}"), applied)
        self.expect(not self.css("#reporters b"), "a name with <…> in it stays text")
        self.no_api_speak("reports page")
        self.screen("20-tls-reports", guide_dir=self.guide, scroll_to="reports-heading")

    def report_list(self):
        expected = self.expected
        step("the list: newest first, flags for outdated and unmatched policies, and older pages")
        rows = self.css("#report-list li.report-row")
        self.expect(len(rows) == 25, f"the first page: {len(rows)} rows")
        self.expect(self.by_id("reports-more").is_displayed(), "older reports to show")
        for report_id in expected["outdatedReportIDs"]:
            row = self.driver.find_element(By.CSS_SELECTOR, f'#report-list li[data-report-id="{report_id}"]')
            self.expect(row.get_attribute("data-outdated") == "true" and "outdated policy" in row.text
                        and f"applied policy id {expected['oldPolicyID']}" in row.text, f"outdated row: {row.text!r}")
        for report_id in expected["unmatchedReportIDs"]:
            row = self.driver.find_element(By.CSS_SELECTOR, f'#report-list li[data-report-id="{report_id}"]')
            self.expect("policy not matched" in row.text and "applied no policy version" in row.text, row.text)
        newest = rows[0].text
        self.expect(f"applied policy id {expected['currentPolicyID']} (current)" in newest, f"newest: {newest!r}")
        self.expect(len(self.css('#report-list li[data-outdated="true"]')) == len(expected["outdatedReportIDs"]),
                    "no other row flagged outdated")

        self.press_enter(self.by_id("reports-more"))
        self.wait(lambda d: len(self.css("#report-list li.report-row")) == expected["totals"]["reports"],
                  "every report listed after the second page")
        self.text_in("reports-more-status", "8 older reports added: that is all of them.")
        self.wait(lambda d: not self.by_id("reports-more").is_displayed(), "no more pages")
        self.wait(lambda d: d.switch_to.active_element == self.css("#report-list li.report-row")[25]
                  .find_element(By.CSS_SELECTOR, "button.open-report"), "focus on the first added report")
        starts = [row.get_attribute("data-report-id") for row in self.css("#report-list li.report-row")]
        self.expect(len(set(starts)) == len(starts), "no report twice")

    def report_detail(self):
        detail = self.expected["detail"]
        step("one report opened by keyboard: its failure details, then its JSON downloaded")
        row = self.driver.find_element(By.CSS_SELECTOR, f'#report-list li[data-report-id="{detail["id"]}"]')
        opener = row.find_element(By.CSS_SELECTOR, "button.open-report")
        self.press_enter(opener)
        self.visible("report-detail")
        self.focused("report-detail-heading")
        self.expect(self.text_of("report-detail-heading").startswith("Report from Example Mail Inc., "),
                    self.text_of("report-detail-heading"))
        shown = [[cell.text for cell in line.find_elements(By.CSS_SELECTOR, "td")]
                 for line in self.css("#report-detail-body table.failure-details tbody tr")]
        wanted = [[failure["resultType"], failure["receivingMX"], failure["receivingIP"], failure["sendingIP"],
                   str(failure["sessions"])] for failure in detail["failures"]]
        self.expect([cells[:5] for cells in shown] == wanted, f"failure details {shown}, seeded {wanted}")
        self.expect("X509_V_ERR_CERT_HAS_EXPIRED" in shown[0][5], f"the reason code: {shown[0]}")

        link = self.by_id("report-download")
        self.expect(link.get_attribute("download") == detail["fileName"],
                    f"the file name {link.get_attribute('download')!r}, expected {detail['fileName']!r}")
        self.expect(link.get_attribute("href").startswith("blob:"), "the JSON comes from the page itself")
        self.screen("21-tls-report", element_id="report-detail", guide_dir=self.guide)
        self.by_id("report-download").click()
        path = os.path.join(self.arguments.download_dir, detail["fileName"])
        self.wait(lambda d: os.path.exists(path) and os.path.getsize(path) > 0, f"{path} downloaded")
        with open(path, encoding="utf-8") as file:
            downloaded = json.load(file)
        self.expect(downloaded == json.loads(detail["raw"]), f"the download is the raw report: {downloaded}")

        self.click("report-detail-close")
        self.wait(lambda d: not self.by_id("report-detail").is_displayed(), "the report closed")
        self.wait(lambda d: d.switch_to.active_element == row.find_element(By.CSS_SELECTOR, "button.open-report"),
                  "focus back on the report's Open button")
        self.expect(self.by_id("report-download").get_attribute("href") is None, "the download released")

    def enforce_verdict(self):
        expected = self.expected
        step("testing → enforce: refused with the reports' verdict, nothing saved")
        self.click("reports-back")
        self.visible("policy-panel")
        self.wait(lambda d: self.by_id("policy-mode-testing").is_selected(), "the policy loaded")
        self.choose("policy-mode-enforce")
        self.click("policy-save")
        self.visible("policy-force-verdict")
        self.focused("policy-force-verdict")
        missing = self.summary()["enforce_readiness"]["missing"]
        self.expect(self.texts("#policy-force-missing li") == missing, f"the verdict {self.texts('#policy-force-missing li')}")
        self.expect(expected["blockingSentence"] in missing, f"the seeded failures in the verdict: {missing}")
        self.text_in("policy-force-verdict", "Not switched to enforce: the TLS reports do not show that it is safe yet.")
        self.expect(self.hidden("policy-force-choice"), "no checkbox: an explicit button instead")
        self.expect(self.by_id("policy-enforce-anyway").is_displayed(), "Enforce anyway offered")
        self.expect(self.policy()["mode"] == "testing", "nothing saved")
        self.expect(self.hidden("policy-result"), "no second copy of the refusal")
        self.no_api_speak("enforce refused")
        self.screen("22-enforce-anyway", guide_dir=self.guide, scroll_to="policy-max-age")

        step("Enforce anyway, from the keyboard: saved as enforce")
        self.press_enter(self.by_id("policy-enforce-anyway"))
        self.text_in("policy-status", "Saved: new id")
        policy = self.policy()
        self.expect(policy["mode"] == "enforce", f"the API's policy: {policy}")
        self.text_in("policy-current", f"In force: mode enforce · mx mx1.{self.domain}")
        self.wait(lambda d: not self.by_id("policy-force-field").is_displayed(), "the override gone")
        self.wait(lambda d: not self.by_id("policy-readiness").is_displayed(), "no readiness under enforce")
        self.expect(self.active_id() in ("policy-save", "policy-status"), f"focus stays in the form: {self.active_id()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("base-url", "email", "password", "expectations", "platform-rua", "download-dir", "output-dir",
                 "chromium", "chromedriver"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--guide-dir", default=None, help="save the guide's screenshots (docs/guide/) here")
    arguments = parser.parse_args()
    journey = ReportsJourney(arguments)
    try:
        journey.run()
    except Exception as error:
        try:
            journey.collect_console()
            for entry in journey.console:
                print(f"CONSOLE {entry.get('level')} {entry.get('message')}", flush=True)
            path = os.path.join(arguments.output_dir, "reports-failure.png")
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
