"""Match a trust policy's Principal the way AWS does.

moto compares a principal such as ``arn:aws:iam::111122223333:root`` with the
caller's ARN as a literal string, so no identity of that account ever matches.
AWS reads an account principal (the ``:root`` ARN or the bare 12-digit ID) as
"any identity of that account that the account's own policies allow"; a role ARN
matches that role's sessions, a user ARN that user, ``*`` everyone.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
"""
from __future__ import annotations

import re
from typing import Any

# arn:<partition>:iam::<account>:root, or the bare account ID.
ACCOUNT_PRINCIPAL = re.compile(r"^(?:arn:[a-z-]+:iam::(\d{12}):root|(\d{12}))$")


def parse_caller(caller_arn: str) -> tuple[str, str, str]:
    """(account, kind, name) of a caller ARN: a user, or an assumed-role session (name = role name)."""
    parts = caller_arn.split(":", 5)
    account, resource = parts[4], parts[5]
    if resource.startswith("assumed-role/"):
        return account, "role", resource.split("/")[1]
    return account, resource.split("/")[0], resource.split("/")[-1]


def principal_value_matches(value: str, caller_arn: str) -> bool:
    """Does one value of ``Principal.AWS`` name this caller?"""
    if value == "*":
        return True
    account, kind, name = parse_caller(caller_arn)
    account_match = ACCOUNT_PRINCIPAL.match(value)
    if account_match:
        return account == (account_match.group(1) or account_match.group(2))
    if value == caller_arn:
        return True
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or parts[4] != account:
        return False
    # A role or user ARN with a path still names one identity: match by type and name.
    resource = parts[5]
    return resource.split("/")[0] == kind and resource.split("/")[-1] == name


def principal_matches(principal: Any, caller_arn: str) -> bool:
    """Does a statement's Principal element name this AWS caller?"""
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    values = principal.get("AWS", [])
    if isinstance(values, str):
        values = [values]
    return any(principal_value_matches(v, caller_arn) for v in values)


def apply() -> None:
    from moto.iam.access_control import IAMPolicyStatement

    def _check_principal(self: Any, principal: str) -> bool:
        return principal_matches(self._statement.get("Principal"), principal)

    IAMPolicyStatement._check_principal = _check_principal
