#!/usr/bin/env python3
"""The Alerts page of the web form in headless Chromium (run by WebFormAlertsTests.swift).

Signed up, from the app's menu to Alerts: the explanation of what alerts; a webhook URL refused beside the field; a
webhook added, its signing secret shown once (copied, then gone after a reload); the same URL refused as a duplicate;
"Send test event" pressed with the keyboard, the delivery log following by itself until the receiver (an
http.server in this script answering 204) has it, signed with the secret the page showed; a second webhook whose
receiver answers 500, shown as retried; that webhook deleted after a confirmation. E-mail: addresses added line by
line, a bad one refused beside its own line with nothing saved, removed, the rest saved and still there after a
reload. On a second server without a mail relay the page says that no e-mail is sent and offers no form.
Fails on any console error except the HTTP errors the journey provokes on purpose.

Every wait is an explicit condition with a deadline (WebDriverWait), never a fixed sleep.
"""

import argparse
import hashlib
import hmac
import http.server
import json
import os
import re
import sys
import threading

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from journey_support import Browser, JourneyFailure, step

PASSWORD = "correct horse battery staple"

EXPECTED_NETWORK_ERRORS = [
    re.compile(r"/v1/webhooks - Failed to load resource: the server responded with a status of 422"),
    re.compile(r"/v1/webhooks - Failed to load resource: the server responded with a status of 409"),
    re.compile(r"/v1/account/alerts - Failed to load resource: the server responded with a status of 422"),
]

API_SPEAK = ["email_recipients", "public_address", "validation-failed", "webhook-exists", "Invalid fields",
             "Request failed", "next_attempt_at", "alert.opened", "{\""]


class Receiver:
    """An HTTP server on loopback that records every POST: /fail answers 500, anything else 204."""

    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.requests.append((self.path, dict(self.headers), body))
                self.send_response(500 if self.path == "/fail" else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *arguments):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self, path):
        with self.lock:
            return [entry for entry in self.requests if entry[0] == path]

    def close(self):
        self.server.shutdown()


class AlertsJourney(Browser):
    def __init__(self, arguments, receiver):
        super().__init__(arguments)
        self.receiver = receiver
        self.guide = arguments.guide_dir
        self.no_relay = arguments.no_relay_url.rstrip("/")

    # MARK: - helpers

    def no_api_speak(self, where):
        text = self.page_text()
        found = [phrase for phrase in API_SPEAK if phrase in text]
        self.expect(not found, f"{where}: API wording on the page: {found}")

    def field_error(self, element_id, expected, what):
        message = self.text_in(f"{element_id}-error", expected)
        self.expect(self.by_id(element_id).get_attribute("aria-invalid") == "true", f"{what}: #{element_id} invalid")
        return message

    def webhook_item(self, url):
        for item in self.css("#webhook-list > li"):
            if item.find_element(By.CSS_SELECTOR, ".webhook-url").text == url:
                return item
        return None

    def first_delivery(self, url):
        """(status attribute, text) of the newest delivery shown for the webhook of `url`."""
        rows = self.webhook_item(url).find_elements(By.CSS_SELECTOR, ".delivery-log > li")
        return (rows[0].get_attribute("data-status"), rows[0].text) if rows else (None, "")

    def sign_up(self, base, email):
        self.driver.get(base + "/")
        self.visible("auth-view")
        self.fill("signup-email", email)
        self.fill("signup-password", PASSWORD)
        self.by_id("signup-form").submit()
        self.visible("list-view")
        self.expect(self.by_id("nav-alerts").is_displayed(), "Alerts is in the app's menu")
        self.click("nav-alerts")
        self.visible("alerts-view")
        self.expect(self.hash() == "#/alerts", f"the Alerts page's address {self.hash()!r}")
        self.focused("alerts-heading")
        self.expect(self.by_id("nav-alerts").get_attribute("aria-current") == "page", "Alerts is the current page")

    # MARK: - the journey

    def run(self):
        step("sign up; Alerts from the menu, with what triggers an alert")
        self.sign_up(self.base, "admin@alerts.example")
        self.grant_clipboard()
        intro = self.text_of("alerts-intro")
        for words in ("checks find a new problem", "cannot be renewed or expires within 14 days", "your MX records change",
                      "switch your MX records", "once when it appears and once when it clears"):
            self.expect(words in intro, f"{words!r} in the explanation: {intro!r}")
        self.expect(self.by_id("webhook-list-empty").is_displayed(), "no webhooks yet")
        self.webhooks()
        self.email()
        self.no_relay_server()
        self.collect_console()
        unexpected = [entry for entry in self.console if entry.get("level") == "SEVERE"
                      and not any(pattern.search(entry.get("message", "")) for pattern in EXPECTED_NETWORK_ERRORS)]
        self.expect(not unexpected, f"console errors: {json.dumps(unexpected, indent=2)}")
        print("ALERTS JOURNEY COMPLETE", flush=True)

    def webhooks(self):
        hook = self.receiver.base + "/hook"
        failing = self.receiver.base + "/fail"

        step("a URL the platform refuses: the sentence beside the field, nothing added")
        self.fill("webhook-url", "ftp://127.0.0.1/hook")
        self.click("webhook-add")
        self.field_error("webhook-url", "The address must start with https://", "bad scheme")
        self.focused("webhook-url")
        self.expect(self.api("GET", "/v1/webhooks")[1]["webhooks"] == [], "nothing added")
        self.no_api_speak("refused URL")

        step("add a webhook: its secret is shown once, prominently, with a copy button and how to verify")
        self.fill("webhook-url", hook)
        self.fill("webhook-description", "ops channel")
        self.click("webhook-add")
        self.visible("webhook-secret")
        self.focused("webhook-secret-heading")
        self.expect(self.by_id("webhook-url").get_attribute("aria-invalid") is None, "the field is valid again")
        secret = self.text_of("webhook-secret-value")
        self.expect(re.fullmatch(r"whsec_[A-Za-z0-9_-]{43}", secret), f"the secret shown: {secret!r}")
        box = self.text_of("webhook-secret")
        self.expect("the platform will not show it again" in box and hook in box, box)
        self.expect("X-MTASTS-Signature" in box and "HMAC-SHA256" in box, "how to verify a delivery")
        copy = self.driver.find_element(By.CSS_SELECTOR, "#webhook-secret button.copy")
        copied = self.clipboard_after_clicking(copy)
        self.expect(copied == secret, f"the copy button copied {copied!r}")
        self.text_in("webhook-status", f"Webhook added: alerts now go to {hook}.")
        status, listed = self.api("GET", "/v1/webhooks")
        self.expect(status == 200 and [(w["url"], w["description"]) for w in listed["webhooks"]]
                    == [(hook, "ops channel")], f"the API's list: {listed}")
        self.wait(lambda d: self.webhook_item(hook), "the webhook in the list")
        self.expect("ops channel · added " in self.webhook_item(hook).text, self.webhook_item(hook).text)
        self.expect(self.webhook_item(hook).find_element(By.CSS_SELECTOR, ".delivery-empty").is_displayed(),
                    "nothing sent yet")

        step("reload: the secret is gone for good")
        self.driver.refresh()
        self.visible("alerts-view")
        self.wait(lambda d: self.webhook_item(hook), "the webhook listed after the reload")
        self.expect(self.hidden("webhook-secret") and secret not in self.page_text(), "the secret is not shown again")

        step("the same URL again: refused beside the field")
        self.fill("webhook-url", hook)
        self.click("webhook-add")
        self.field_error("webhook-url", "You already have a webhook for this address", "duplicate")
        self.expect(len(self.api("GET", "/v1/webhooks")[1]["webhooks"]) == 1, "still one webhook")
        self.fill("webhook-url", "")

        step("send a test event with the keyboard: the log follows by itself until it is delivered")
        button = self.webhook_item(hook).find_element(By.CSS_SELECTOR, ".actions button")
        self.expect(button.text == "Send test event", button.text)
        button.send_keys(Keys.ENTER)
        text = self.timed(lambda d: self.first_delivery(hook)[0] == "delivered" and self.first_delivery(hook)[1],
                          "the test delivery shown delivered", timeout=30)
        self.expect(text.startswith("delivered Test event") or text.startswith("delivered\nTest event"), text)
        self.expect("1 attempt · your receiver answered HTTP 204" in text, text)
        self.wait(lambda d: self.webhook_item(hook).find_element(By.CSS_SELECTOR, ".webhook-live").text
                  == "The test event was delivered: your receiver answered HTTP 204.", "the outcome announced")
        received = self.receiver.received("/hook")
        self.expect(len(received) == 1, f"the receiver got {len(received)} requests")
        _, headers, body = received[0]
        self.expect(headers.get("X-MTASTS-Event") == "test", f"headers {headers}")
        expected = "sha256=" + hmac.new(secret.encode(), headers["X-MTASTS-Timestamp"].encode() + b"." + body,
                                        hashlib.sha256).hexdigest()
        self.expect(hmac.compare_digest(expected, headers.get("X-MTASTS-Signature", "")),
                    "the delivery is signed with the secret the page showed")

        step("a receiver that answers 500: the log says the platform tries again")
        self.fill("webhook-url", failing)
        self.click("webhook-add")
        self.visible("webhook-secret")
        self.wait(lambda d: self.webhook_item(failing), "the second webhook listed")
        self.click("webhook-secret-done")
        self.expect(self.hidden("webhook-secret"), "the secret put away")
        self.focused("webhook-url")
        self.webhook_item(failing).find_element(By.CSS_SELECTOR, ".actions button").click()
        def retried(driver):
            status, text = self.first_delivery(failing)
            badge = self.webhook_item(failing).find_element(By.CSS_SELECTOR, ".delivery-log .badge")
            return status == "pending" and "HTTP 500" in text and (text, badge.get_attribute("data-status"))
        text, colour = self.timed(retried, "the failed attempt shown", timeout=30)
        self.expect(text.replace("\n", " ").startswith("not delivered yet Test event")
                    and re.search(r"1 attempt · your receiver answered HTTP 500 · tries again \w", text), text)
        self.expect(colour == "retrying", f"coloured as {colour}")
        self.wait(lambda d: self.webhook_item(failing).find_element(By.CSS_SELECTOR, ".webhook-live").text
                  .startswith("The test event was not delivered: your receiver answered HTTP 500. The platform tries "
                              "again "), "the failed attempt announced")
        self.screen("19-alerts", element_id="webhooks-panel", guide_dir=self.guide)
        self.no_api_speak("delivery log")

        step("delete the failing webhook: a confirmation first")
        delete = self.webhook_item(failing).find_elements(By.CSS_SELECTOR, ".actions button")[1]
        delete.click()
        self.visible("confirm-dialog")
        self.expect(self.text_of("confirm-dialog-heading") == f"Delete the webhook for {failing}?",
                    self.text_of("confirm-dialog-heading"))
        self.focused("confirm-no")
        self.click("confirm-yes")
        self.text_in("webhook-status", f"Webhook deleted: alerts no longer go to {failing}.")
        self.wait(lambda d: not self.webhook_item(failing), "the webhook gone from the list")
        self.expect([w["url"] for w in self.api("GET", "/v1/webhooks")[1]["webhooks"]] == [hook], "the API agrees")
        self.focused("webhook-url")

    def email(self):
        step("e-mail: add addresses line by line; a bad one is refused beside its own line")
        self.visible("email-form")
        self.expect(self.hidden("email-unavailable"), "e-mail is available")
        self.expect(len(self.css("#email-lines input")) == 1, "one empty line to start with")
        self.fill("email-recipient-1", "ops@example.com")
        self.click("email-add-line")
        self.focused("email-recipient-2")
        self.fill("email-recipient-2", "not-an-address")
        self.click("email-add-line")
        self.fill("email-recipient-3", "oncall@example.com")
        self.click("email-save")
        self.field_error("email-recipient-2", "“not-an-address” is not an e-mail address.", "bad address")
        self.focused("email-recipient-2")
        for other in ("email-recipient-1", "email-recipient-3"):
            self.expect(self.by_id(other).get_attribute("aria-invalid") is None, f"#{other} is fine")
        self.text_in("email-problem", "Nothing was saved.")
        self.expect(self.api("GET", "/v1/account/alerts")[1]["email_recipients"] == [], "nothing saved")
        self.no_api_speak("refused address")

        step("remove the bad line and save: the addresses stay after a reload")
        self.by_id("email-lines").find_elements(By.CSS_SELECTOR, "li")[1].find_element(By.TAG_NAME, "button").click()
        self.expect([field.get_attribute("value") for field in self.css("#email-lines input")]
                    == ["ops@example.com", "oncall@example.com"], "the other lines kept")
        self.focused("email-recipient-2")
        self.click("email-save")
        self.text_in("email-status", "Saved: alerts go by e-mail to these 2 addresses.")
        self.expect(self.api("GET", "/v1/account/alerts")[1]["email_recipients"]
                    == ["ops@example.com", "oncall@example.com"], "the API has both")
        self.driver.refresh()
        self.visible("email-form")
        self.wait(lambda d: [field.get_attribute("value") for field in self.css("#email-lines input")]
                  == ["ops@example.com", "oncall@example.com"], "the saved addresses shown after a reload")
        self.no_api_speak("e-mail")

    def no_relay_server(self):
        step("a platform without a mail relay: the page says no e-mail is sent and suggests a webhook")
        self.base = self.no_relay
        self.sign_up(self.base, "admin@norelay.example")
        self.visible("email-unavailable")
        self.expect("sends no e-mail" in self.text_of("email-unavailable")
                    and "add a webhook" in self.text_of("email-unavailable"), self.text_of("email-unavailable"))
        self.expect(self.hidden("email-form"), "no e-mail form")
        status, settings = self.api("GET", "/v1/account/alerts")
        self.expect(status == 200 and settings["email_available"] is False, f"the API: {settings}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("base-url", "no-relay-url", "output-dir", "chromium", "chromedriver"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--guide-dir", default=None, help="save the guide's screenshots (docs/guide/) here")
    arguments = parser.parse_args()
    receiver = Receiver()
    journey = AlertsJourney(arguments, receiver)
    try:
        journey.run()
    except Exception as error:
        try:
            journey.collect_console()
            for entry in journey.console:
                print(f"CONSOLE {entry.get('level')} {entry.get('message')}", flush=True)
            path = os.path.join(arguments.output_dir, "alerts-failure.png")
            journey.driver.save_screenshot(path)
            print(f"FAILURE screenshot {path}", flush=True)
            print(f"FAILURE page text:\n{journey.driver.find_element(By.TAG_NAME, 'body').text}", flush=True)
        except Exception as inner:
            print(f"(could not capture the failure state: {inner})", flush=True)
        print(f"FAILED: {type(error).__name__}: {error}", flush=True)
        return 1
    finally:
        journey.close()
        receiver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
