#!/usr/bin/env python3
"""The Activity page of the web form in headless Chromium (run by WebFormActivityTests.swift).

Signed up, from the app's menu to Activity: the sign-up is there, done by "You" from 127.0.0.1. Behind the page's
back an API token is created and acts (adds a domain), and enough tokens are created and revoked to fill more than a
page. Back on Activity (opened again, so read again): newest first, each row with its time, actor, action, target and
source address; the API token shown by its id, never its secret; "Load more" adds the older entries below, says how
many, moves focus to the first of them and disappears at the end, the sign-up last. Fails on any console error.

Every wait is an explicit condition with a deadline (WebDriverWait), never a fixed sleep.
"""

import argparse
import json
import os
import sys

from selenium.webdriver.common.by import By

from journey_support import Browser, JourneyFailure, step

PASSWORD = "correct horse battery staple"
PAGE = 50


class ActivityJourney(Browser):
    def rows(self):
        """(data-action, data-actor, cell texts) of every row shown."""
        result = []
        for row in self.css("#activity-list > tr"):
            cells = [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")]
            result.append((row.get_attribute("data-action"), row.get_attribute("data-actor"), cells))
        return result

    def open_activity(self):
        self.click("nav-activity")
        self.visible("activity-view")
        self.expect(self.hash() == "#/activity", f"the Activity page's address {self.hash()!r}")
        self.focused("activity-heading")
        self.expect(self.by_id("nav-activity").get_attribute("aria-current") == "page", "Activity is the current page")

    def run(self):
        step("sign up; Activity from the menu shows the sign-up, by you, from 127.0.0.1")
        self.driver.get(self.base + "/")
        self.visible("auth-view")
        self.fill("signup-email", "admin@activity.example")
        self.fill("signup-password", PASSWORD)
        self.by_id("signup-form").submit()
        self.visible("list-view")
        self.expect(self.by_id("nav-activity").is_displayed(), "Activity is in the app's menu")
        self.open_activity()
        self.wait(lambda d: len(self.rows()) == 1, "the sign-up listed")
        action, actor, cells = self.rows()[0]
        self.expect(action == "account.create" and actor == "account", f"the first entry: {action} by {actor}")
        self.expect(len(cells) == 5, f"time, actor, action, target, source address: {cells}")
        self.expect(cells[1].startswith("You (session "), f"the actor: {cells[1]!r}")
        self.expect("Account created" in cells[2], f"the action: {cells[2]!r}")
        self.expect(cells[3] == "—" and cells[4] == "127.0.0.1", f"target and source: {cells}")
        self.expect(self.hidden("activity-more"), "no more to load")
        self.expect(self.by_id("activity-empty").is_displayed() is False, "not empty")

        step("behind the page's back: an API token acts, and tokens are created and revoked past a page")
        status, created = self.api("POST", "/v1/tokens", {"name": "deploy"})
        self.expect(status == 201, f"token created: {status} {created}")
        token_id, secret = created["id"], created["value"]
        status, _ = self.api("POST", "/v1/domains", {"name": "activity.example.test"}, anonymous=True,
                             headers={"Authorization": f"Bearer {secret}"})
        self.expect(status == 201, f"domain added with the API token: {status}")
        for index in range(27):
            status, body = self.api("POST", "/v1/tokens", {"name": f"throwaway {index}"})
            self.expect(status == 201, f"token {index}: {status}")
            status, _ = self.api("DELETE", f"/v1/tokens/{body['id']}")
            self.expect(status == 204, f"token {index} revoked: {status}")
        total = 1 + 2 + 2 * 27

        step("Activity again: newest first, a full page, the API token by its id and never its secret")
        self.click("nav-domains")
        self.visible("list-view")
        self.open_activity()
        self.wait(lambda d: len(self.rows()) == PAGE, f"{PAGE} entries listed")
        rows = self.rows()
        self.expect(rows[0][0] == "token.revoke" and rows[1][0] == "token.create", f"newest first: {rows[:2]}")
        self.expect(all(row[2][4] == "127.0.0.1" for row in rows), "every entry from 127.0.0.1")
        self.expect(secret not in self.page_text(), "the token's secret is never shown")
        self.expect(self.by_id("activity-more").is_displayed(), "Load more offered")
        self.expect(self.by_id("activity-more").text == "Load more", self.by_id("activity-more").text)

        step("Load more: the older entries below, announced, focus on the first of them, then no more")
        self.click("activity-more")
        self.wait(lambda d: len(self.rows()) == total, f"all {total} entries listed")
        self.text_in("activity-more-status", f"{total - PAGE} older entries added: that is all of them.")
        self.wait(lambda d: self.driver.execute_script(
            "return document.activeElement && document.activeElement.dataset.entryId") ==
            self.css("#activity-list > tr")[PAGE].get_attribute("data-entry-id"), "focus on the first older entry")
        self.expect(self.hidden("activity-more"), "Load more gone at the end")
        rows = self.rows()
        by_token = [row for row in rows if row[0] == "domain.create"]
        self.expect(len(by_token) == 1 and by_token[0][1] == "token", f"the domain added by the token: {by_token}")
        self.expect(by_token[0][2][1] == f"API token {token_id[:8]}…", f"the token's actor: {by_token[0][2][1]!r}")
        self.expect(by_token[0][2][3] == "activity.example.test", f"the target: {by_token[0][2][3]!r}")
        self.expect("Domain added" in by_token[0][2][2], by_token[0][2][2])
        self.expect(rows[-1][0] == "account.create", f"the sign-up last: {rows[-1]}")
        ids = [int(row.get_attribute("data-entry-id")) for row in self.css("#activity-list > tr")]
        self.expect(ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids), "newest first, no repeats")
        self.expect(secret not in self.page_text(), "the token's secret is never shown")

        self.collect_console()
        unexpected = [entry for entry in self.console if entry.get("level") == "SEVERE"]
        self.expect(not unexpected, f"console errors: {json.dumps(unexpected, indent=2)}")
        print("ACTIVITY JOURNEY COMPLETE", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("base-url", "output-dir", "chromium", "chromedriver"):
        parser.add_argument(f"--{name}", required=True)
    arguments = parser.parse_args()
    journey = ActivityJourney(arguments)
    try:
        journey.run()
    except Exception as error:
        try:
            journey.collect_console()
            for entry in journey.console:
                print(f"CONSOLE {entry.get('level')} {entry.get('message')}", flush=True)
            path = os.path.join(arguments.output_dir, "activity-failure.png")
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
