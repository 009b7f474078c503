"""Evaluate the role's trust policy on every AssumeRole, whichever account calls.

moto looks the role up in the caller's own account, so when the caller is in
another account (the vendor assuming a customer's role) it finds no role and
skips the trust policy; a role that does not exist can be "assumed" too.
AWS: a cross-account AssumeRole needs both the role's trust policy (in the role's
account) to allow the caller and the caller's own identity policy to allow
``sts:AssumeRole`` on the role; a role that does not exist is AccessDenied.
Within the trust policy an explicit Deny wins, a matching Allow allows, and a
statement whose principal or condition does not match is neutral.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html

moto already requires the identity policy; this patch supplies the trust side.
Principal and condition matching come from trust_principal and trust_conditions.
"""
from __future__ import annotations

import json
from typing import Any

from .trust_conditions import assume_role_context

ASSUME_ROLE_ACTION = "sts:AssumeRole"


def find_role(role_arn: str) -> Any | None:
    """The role named by an ARN, looked up in the account the ARN names."""
    from moto.iam.models import iam_backends

    parts = role_arn.split(":", 5)
    if len(parts) != 6 or not parts[4]:
        return None
    try:
        return iam_backends[parts[4]][parts[1]].get_role_by_arn(role_arn)
    except Exception:
        return None


def trust_policy_allows(document: Any, action: str, caller_arn: str, context: dict[str, str]) -> bool:
    from moto.iam.access_control import IAMPolicyStatement

    policy = json.loads(document) if isinstance(document, str) else document
    statements = policy.get("Statement", [])
    allowed = False
    for raw in statements if isinstance(statements, list) else [statements]:
        statement = IAMPolicyStatement(raw)
        in_scope = (
            not statement._check_element_matches("NotAction", action)
            if "NotAction" in raw
            else statement._check_element_matches("Action", action)
        )
        if not in_scope or not statement._check_principal(caller_arn) or not statement._check_conditions(context):
            continue
        if raw.get("Effect") == "Deny":
            return False
        allowed = True
    return allowed


def apply() -> None:
    from moto.iam.access_control import IAMRequestBase

    def _is_assuming_role_operation(self: Any, resource_arn: str) -> bool:
        return self._action == ASSUME_ROLE_ACTION and ":role/" in resource_arn

    def _check_role_trust_relationship(self: Any, role_arn: str) -> bool:
        role = find_role(role_arn)
        if role is None:
            return False
        caller_arn = self._access_key.arn
        context = assume_role_context(self._data, caller_arn)
        return trust_policy_allows(role.assume_role_policy_document, self._action, caller_arn, context)

    IAMRequestBase._is_assuming_role_operation = _is_assuming_role_operation
    IAMRequestBase._check_role_trust_relationship = _check_role_trust_relationship
