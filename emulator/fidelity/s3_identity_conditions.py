"""Evaluate the Condition of an identity policy's statement on S3 requests, with ``s3:prefix``.

moto evaluates a role's own (identity) policies with no request context: a
condition on a key the request lacks counts as matched, so ``s3:ListBucket``
allowed only for ``StringLike {"s3:prefix": "acme/*"}`` lists any prefix and the
whole bucket. And a statement whose condition does not match counts as a Deny.

AWS: a statement applies only when its conditions match the request context; a
statement that does not apply is neutral. For ``s3:ListBucket`` (ListObjects,
ListObjectsV2) the context holds ``s3:prefix``, the request's ``prefix``
parameter, when the request names one; a request without it (a listing of the
whole bucket, HeadBucket) lacks the key (``s3:delimiter`` likewise holds the
``delimiter`` parameter), and a ``StringLike`` condition on an
absent key does not match, so it is refused. The S3 user guide's examples
restrict ``s3:ListBucket`` with ``s3:prefix`` exactly so.

This patch builds that context for each S3 request (``s3:prefix`` and
``s3:delimiter`` from the query string when present, even empty; ``aws:SecureTransport`` ``true``, as the loopback
port stands in for S3's HTTPS endpoint) and evaluates each identity-policy
statement's Condition with trust_conditions' operator rules: a statement whose
condition does not match is neutral. Action and resource matching stay moto's
(moto matches a resource ARN with ``*`` anywhere, as IAM does, so
``arn:aws:s3:::bucket/acme/*`` covers exactly the keys under ``acme/``).

https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
"""
from __future__ import annotations

import contextvars
from typing import Any
from urllib.parse import parse_qs, urlparse

from .trust_conditions import conditions_match

_S3_CONTEXT: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("s3_request_context", default=None)


def s3_request_context(path: str) -> dict[str, str]:
    """The condition keys of an S3 request that the patch evaluates."""
    context = {"aws:SecureTransport": "true"}
    query = parse_qs(urlparse(path).query, keep_blank_values=True)
    for parameter in ("prefix", "delimiter"):
        if parameter in query:
            context[f"s3:{parameter}"] = query[parameter][0]
    return context


def apply() -> None:
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult, S3IAMRequest

    original_check = S3IAMRequest.check_action_permitted

    def check_action_permitted(self: Any, resource: str) -> None:
        token = _S3_CONTEXT.set(s3_request_context(self._path))
        try:
            original_check(self, resource)
        finally:
            _S3_CONTEXT.reset(token)

    S3IAMRequest.check_action_permitted = check_action_permitted

    original_statement = IAMPolicyStatement.is_action_permitted

    def is_action_permitted(
        self: Any,
        action: str,
        resource: str = "*",
        principal: str | None = None,
        incoming_condition_values: dict[str, str] | None = None,
    ) -> Any:
        context = _S3_CONTEXT.get()
        raw = self._statement
        # Only an identity policy on an S3 request: trust policies carry a principal or their own context.
        if context is None or principal is not None or incoming_condition_values is not None or not raw.get("Condition"):
            return original_statement(self, action, resource, principal, incoming_condition_values)
        if not conditions_match(raw["Condition"], context):
            return PermissionResult.NEUTRAL
        unconditioned = IAMPolicyStatement({k: v for k, v in raw.items() if k != "Condition"})
        return original_statement(unconditioned, action, resource, principal, incoming_condition_values)

    IAMPolicyStatement.is_action_permitted = is_action_permitted
