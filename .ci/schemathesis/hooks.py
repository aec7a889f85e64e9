"""Schemathesis hooks for .ci/contract-fuzz (loaded through SCHEMATHESIS_HOOKS).

Two kinds, both narrow and each with its reason:

1. `filter_case`: keeps the fuzzer from destroying the identities the run depends on (never about what the
   server answers). Re-login after a revoked session is handled by the dynamic auth in schemathesis.toml; what
   re-login cannot undo is a changed password or email, a disabled or demoted fuzz admin, or the deleted service
   client that /auth/verify authenticates with.

2. `filter_failure`: drops "schema-valid request rejected" (ST202) failures whose 422 is a rule the document states
   in prose but that JSON Schema cannot express (the password blocklist, "not the email", 72 bytes rather than
   characters, roles that must exist, a role name equal to the one in the path, the caller's current password,
   which the fuzzer cannot know). Only when every field error of the 422 is such a rule; any other code in the
   same answer keeps the failure. Set AUTHD_FUZZ_KEEP_ALL_FAILURES=1 to keep them all, or AUTHD_FUZZ_FILTER_LOG to a
   file path to get one JSON line per dropped failure.
"""

from __future__ import annotations

import json
import os

import schemathesis

ADMIN_ID = os.environ.get("AUTHD_FUZZ_ADMIN_ID", "").lower()
CLIENT_UUID = os.environ.get("AUTHD_FUZZ_CLIENT_UUID", "").lower()
KEEP_ALL_FAILURES = os.environ.get("AUTHD_FUZZ_KEEP_ALL_FAILURES") == "1"
FILTER_LOG = os.environ.get("AUTHD_FUZZ_FILTER_LOG")

# Body fields of PUT /admin/users/{id} that would lock the fuzz admin out if applied to itself.
_CREDENTIAL_FIELDS = ("password", "email", "is_active", "roles")


def _label(case) -> str:
    return f"{case.operation.method.upper()} {case.operation.path}"


def _path_id(case) -> str:
    value = (case.path_parameters or {}).get("id")
    return value.lower() if isinstance(value, str) else ""


@schemathesis.hook
def filter_case(context, case) -> bool:
    label = _label(case)
    if label == "PUT /admin/users/{id}" and ADMIN_ID and _path_id(case) == ADMIN_ID:
        body = case.body
        if isinstance(body, dict) and any(body.get(field) is not None for field in _CREDENTIAL_FIELDS):
            return False
    if label == "DELETE /admin/service-clients/{id}" and CLIENT_UUID and _path_id(case) == CLIENT_UUID:
        return False
    return True


def _problem(response) -> dict | None:
    try:
        value = json.loads(response.content)
    except (ValueError, TypeError):
        return None
    return value if isinstance(value, dict) else None


def _is_prose_rule(label: str, case, error: dict) -> bool:
    field, code = error.get("field"), error.get("code")
    body = case.body if isinstance(case.body, dict) else {}
    if field in ("password", "new_password"):
        if code in ("too_common", "matches_email"):
            return True
        value = body.get(field)
        # maxLength counts characters; the server's limit is 72 UTF-8 bytes (documented).
        if code == "too_long" and isinstance(value, str) and len(value.encode("utf-8")) > 72:
            return True
    if field == "roles" and code == "unknown_role":
        return True
    if label == "PUT /admin/roles/{name}" and field == "name" and code == "not_allowed":
        return body.get("name") != (case.path_parameters or {}).get("name")
    if label == "PUT /auth/me" and field == "current_password" and code in ("required", "incorrect"):
        return True
    if label == "POST /auth/change-password" and field == "current_password" and code == "incorrect":
        return True
    # The caller's password and its authenticator's current code, which the fuzzer cannot know.
    if label in ("POST /auth/mfa/totp", "DELETE /auth/mfa/totp") and field == "current_password" and code == "incorrect":
        return True
    if label.startswith(("POST /auth/mfa/", "DELETE /auth/mfa/")) and field == "code" and code == "incorrect":
        return True
    # Token lifetimes: the maximum (AUTH_PAT_MAX_TTL) and whether tokens may never expire are settings; a name that is
    # only spaces is refused after trimming.
    if label == "POST /auth/tokens":
        if field == "expires_in" and code == "out_of_range" and isinstance(body.get("expires_in"), int):
            return body["expires_in"] >= 60
        if field in ("never_expires", "expires_in") and code in ("not_allowed", "invalid_value"):
            return True
        if field == "name" and code == "invalid_value":
            return True
    return False


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    if KEEP_ALL_FAILURES or getattr(failure, "code", None) != "ST202" or response.status_code != 422:
        return True
    problem = _problem(response)
    if problem is None:
        return True
    errors = problem.get("errors")
    if not isinstance(errors, list) or not errors:
        return True
    label = _label(case)
    if not all(isinstance(e, dict) and _is_prose_rule(label, case, e) for e in errors):
        return True
    if FILTER_LOG:
        with open(FILTER_LOG, "a", encoding="utf-8") as log:
            entry = {"operation": label, "errors": errors, "path": case.path_parameters, "body": case.body}
            log.write(json.dumps(entry, default=str) + "\n")
    return False
