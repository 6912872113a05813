"""Schemathesis hooks for the contract run (Tests/ContractTests): authentication, the domains DELETE may not
touch, and a check that valid requests are refused only for reasons of state.

Loaded through SCHEMATHESIS_HOOKS with this folder on PYTHONPATH. The test signs up one account and passes
its address and password in MTASTS_CONTRACT_EMAIL and MTASTS_CONTRACT_PASSWORD; every authenticated request
carries a session of that account. A request the generator makes may end that session (DELETE
/v1/sessions/current, DELETE /v1/sessions/{id} with an id it read from GET /v1/sessions): the 401 that
follows makes Schemathesis log in again and replay the request (retry_on), so the run keeps testing as the
account instead of collecting 401s. Logins come from 127.0.0.2: the wrong passwords the generator sends from
127.0.0.1 (DELETE /v1/account, PUT /v1/account/password) slow down that address's attempts for the account,
by design, and must not hold up logging in again.
"""

import http.client
import json
import os
import urllib.parse

import schemathesis


@schemathesis.auth(refresh_interval=3600, retry_on=[401]).skip_for(operation_id=["createAccount", "createSession"])
class SessionAuth:
    """A session of the contract account, from POST /v1/sessions."""

    def get(self, case, context):
        base = urllib.parse.urlsplit(os.environ["MTASTS_CONTRACT_BASE_URL"])
        body = json.dumps(
            {"email": os.environ["MTASTS_CONTRACT_EMAIL"], "password": os.environ["MTASTS_CONTRACT_PASSWORD"]}
        )
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=30, source_address=("127.0.0.2", 0))
        try:
            connection.request("POST", "/v1/sessions", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        if response.status != 201:
            raise RuntimeError(f"POST /v1/sessions answered {response.status}: {payload[:500]!r}")
        return json.loads(payload)["value"]

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


# The account's domains every other operation works on. DELETE /v1/domains/{name} would offboard or delete them
# for the rest of the run (generated names come from the dictionary in schemathesis.toml and from names seen in
# responses), so it is sent for the domain kept for it instead.
PROTECTED_DOMAINS = {"live.contract.test", "pending.contract.test"}
DELETABLE_DOMAIN = "doomed.contract.test"


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    """Points DELETE /v1/domains/{name} for a protected domain (any case, trailing dot or not) elsewhere."""
    if case.method.upper() != "DELETE" or case.path != "/v1/domains/{name}" or not case.path_parameters:
        return
    name = case.path_parameters.get("name")
    if isinstance(name, str) and name.lower().rstrip(".") in PROTECTED_DOMAINS:
        case.path_parameters["name"] = DELETABLE_DOMAIN


# Schema-valid requests the server may still refuse, because the reason is state or configuration the schema cannot
# know: a wrong password, a TXT record not yet published, live MX hosts a policy leaves uncovered, an If-Match that
# does not name the current policy, MX patterns an MX change adds or removes that the policy already has or lacks,
# a webhook URL on a non-public address (MTASTS_WEBHOOK_ALLOW_PRIVATE is off). schemathesis.toml lets these
# operations answer 412/422 to valid data; this check then insists that such a refusal has one of these problem
# types, and for validation problems that every field error is one of the named (field, rule) pairs ("add" also
# stands for "add[0]" and so on).
STATE_REFUSALS = {
    "DELETE /v1/account": {(422, "validation-failed", frozenset({("password", "password")}))},
    "PUT /v1/account/password": {(422, "validation-failed", frozenset({("current_password", "password")}))},
    "POST /v1/domains/{name}/verify": {(422, "verification-failed", None)},
    "PUT /v1/domains/{name}/policy": {
        (422, "mx-not-covered", frozenset({("mx", "covers_mx")})),
        (422, "mx-check-failed", frozenset({("mx", "mx_lookup")})),
        (412, "policy-changed", None),
    },
    "POST /v1/domains/{name}/mx-change": {
        (
            422,
            "validation-failed",
            frozenset({("add", "already_in_policy"), ("remove", "not_in_policy"), ("remove", "keeps_none")}),
        ),
    },
    "POST /v1/webhooks": {(422, "validation-failed", frozenset({("url", "public_address")}))},
}


def names_only(errors, allowed):
    """Whether every (field, rule) of errors is an allowed pair, a field matching its indexed elements too."""
    return bool(errors) and all(
        any(rule == allowed_rule and (field == base or field.startswith(base + "[")) for base, allowed_rule in allowed)
        for field, rule in errors
    )


@schemathesis.check
def valid_requests_are_refused_only_for_state(ctx, response, case):
    """A schema-valid request answered 412 or 422 must be refused for one of the STATE_REFUSALS reasons."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code not in (412, 422):
        return None
    # The coverage phase can put a negative value in one component of a case it labels positive (it has no
    # valid value for a header whose pattern needs characters beyond letters and digits, such as If-Match's
    # quotes, and keeps an invalid one there); such a request is not schema-valid.
    if any(info.mode.is_negative for info in meta.components.values()):
        return None
    label = f"{case.method.upper()} {case.path}"
    allowed = STATE_REFUSALS.get(label)
    if allowed is None:
        return None  # positive_data_acceptance already fails it
    problem = response.json()
    name = str(problem.get("type", "")).rsplit("/", 1)[-1]
    errors = [(str(item.get("field")), item.get("rule")) for item in problem.get("errors", [])]
    for status, expected_name, pairs in allowed:
        if response.status_code == status and name == expected_name and (pairs is None or names_only(errors, pairs)):
            return None
    raise AssertionError(
        f"{label} refused a schema-valid request with {response.status_code} {name} {errors}; "
        f"only {sorted(allowed, key=str)} depend on state the schema cannot describe"
    )
