"""Evaluate a bucket policy's conditions against the request, with TLS as the transport.

moto evaluates a bucket policy (on object requests) with no request context: a
condition on a key the request lacks counts as matched, and a statement whose
condition does not match counts as a Deny. So the TLS-only policy every
destination bucket carries (Deny ``s3:*`` when ``aws:SecureTransport`` is
``false``) denies every object request, including those that came over TLS.

AWS: a statement applies only when its conditions match the request context, and
``aws:SecureTransport`` is ``true`` for a request sent over TLS; a statement that
does not apply is neutral.

The emulator's plain-HTTP loopback port stands in for S3's HTTPS endpoint (the
toolkit speaks TLS to AWS unless told otherwise), so this patch evaluates each
statement against a context of ``aws:SecureTransport`` ``true``; a condition on
any other key follows AWS's rule for absent keys (see trust_conditions). Action,
resource and principal matching stay moto's.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
"""
from __future__ import annotations

import json
from typing import Any

from .trust_conditions import conditions_match

# What every request to the emulator stands in for: a request over TLS.
REQUEST_CONTEXT = {"aws:SecureTransport": "true"}


def apply() -> None:
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult
    from moto.s3.models import FakeBucket

    def _in_scope(statement: Any, raw: dict[str, Any], element: str, value: str) -> bool:
        negated = f"Not{element}"
        if negated in raw:
            return not statement._check_element_matches(negated, value)
        return element in raw and statement._check_element_matches(element, value)

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        document = json.loads(self.policy)
        statements = document.get("Statement", [])
        result = PermissionResult.NEUTRAL
        for raw in statements if isinstance(statements, list) else [statements]:
            statement = IAMPolicyStatement(raw)
            if (
                not _in_scope(statement, raw, "Action", action)
                or statement.is_unknown_principal(raw.get("Principal"))
                or not _in_scope(statement, raw, "Resource", resource)
                or not conditions_match(raw.get("Condition") or {}, REQUEST_CONTEXT)
            ):
                continue
            if raw.get("Effect") == "Deny":
                return PermissionResult.DENIED
            result = PermissionResult.PERMITTED
        return result

    FakeBucket.get_permission = get_permission
