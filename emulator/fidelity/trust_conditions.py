"""Evaluate a trust policy's Condition block as AWS does.

moto checks only the condition keys a request happens to carry, so
``StringEquals {"sts:ExternalId": ...}`` passes when AssumeRole sends no external
ID, and it evaluates no operator but ``StringEquals``: a ``StringLike`` or
``StringEqualsIgnoreCase`` condition is taken as matched whatever the value.

AWS, per operator (IAM JSON policy elements: Condition operators):

- ``StringEquals``: exact, case-sensitive. ``StringNotEquals``: negated.
- ``StringEqualsIgnoreCase``: exact, ignoring case. ``StringNotEqualsIgnoreCase``:
  negated, ignoring case.
- ``StringLike``: case-sensitive; a value may hold the multi-character wildcard
  ``*`` and the single-character wildcard ``?`` anywhere. ``StringNotLike``: negated.
- ``ArnEquals`` and ``ArnLike`` (and their negations): ``*`` and ``?`` as above.
- ``Bool``; ``Null`` tests whether the key is present.
- ``...IfExists``: the operator when the key is present, true when it is absent.
- A key absent from the request context: the condition does not match, except for
  ``...IfExists``, the negated operators (``StringNotEquals``,
  ``StringNotEqualsIgnoreCase``, ``StringNotLike``, ``ArnNotEquals``,
  ``ArnNotLike``), which match, and ``Null``.
- Set operators: ``ForAllValues:<op>`` matches when every value of the key in the
  request matches, and also when the key is absent; ``ForAnyValue:<op>`` when at
  least one does, never when the key is absent. Every key in the AssumeRole context
  built here is single-valued, so with the key present both reduce to ``<op>``.
- Keys are case-insensitive; several values for one key match if any does (a
  negated operator: if none does); several keys and operators must all match.

The AssumeRole request context built here carries ``sts:ExternalId`` (when
given), ``sts:RoleSessionName``, ``aws:PrincipalAccount``, ``aws:PrincipalArn``,
``aws:PrincipalType`` and, for users, ``aws:username``.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_externalid

Operators other than the String, Arn, Bool and Null families do not match (the
condition is false) and are reported on stderr: no trust policy here needs them.
"""
from __future__ import annotations

import re
import sys
from typing import Any, Callable

from .trust_principal import parse_caller


def _like(pattern: str, value: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None


POSITIVE: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda expected, actual: expected == actual,
    "StringEqualsIgnoreCase": lambda expected, actual: expected.lower() == actual.lower(),
    "StringLike": _like,
    "ArnEquals": _like,
    "ArnLike": _like,
    "Bool": lambda expected, actual: expected.lower() == actual.lower(),
}
# A negated operator matches when no value matches, and also when the key is absent.
NEGATED: dict[str, str] = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _values(expected: Any) -> list[str]:
    items = expected if isinstance(expected, list) else [expected]
    return [str(v).lower() if isinstance(v, bool) else str(v) for v in items]


SET_QUALIFIERS = ("ForAllValues", "ForAnyValue")


def condition_matches(operator: str, key: str, expected: Any, context: dict[str, str]) -> bool:
    """One operator/key pair against a request context whose keys are lower-case."""
    qualifier, _, unqualified = operator.rpartition(":")
    if qualifier and qualifier not in SET_QUALIFIERS:
        print(f"fidelity: condition operator {operator} is not evaluated; treated as not matching", file=sys.stderr)
        return False
    if_exists = unqualified.endswith("IfExists")
    base = unqualified[: -len("IfExists")] if if_exists else unqualified
    actual = context.get(key.lower())
    values = _values(expected)
    if base == "Null" and not qualifier:
        return (actual is None) == (values[0].lower() == "true")
    if base not in POSITIVE and base not in NEGATED:
        print(f"fidelity: condition operator {operator} is not evaluated; treated as not matching", file=sys.stderr)
        return False
    if actual is None:
        if if_exists:
            return True
        if qualifier:
            # The request's set of values is empty: "all of them" match, "any of them" does not.
            return qualifier == "ForAllValues"
        return base in NEGATED
    # Single-valued context: the request's set is {actual}, and either qualifier is the plain test on it.
    if base in NEGATED:
        test = POSITIVE[NEGATED[base]]
        return not any(test(v, actual) for v in values)
    return any(POSITIVE[base](v, actual) for v in values)


def conditions_match(block: dict[str, dict[str, Any]], context: dict[str, str]) -> bool:
    lowered = {k.lower(): v for k, v in context.items()}
    return all(
        condition_matches(operator, key, expected, lowered)
        for operator, pairs in block.items()
        for key, expected in pairs.items()
    )


def assume_role_context(data: dict[str, Any], caller_arn: str) -> dict[str, str]:
    """The request context AWS evaluates a trust policy against for AssumeRole."""
    from moto.iam.models import iam_backends

    def param(name: str) -> str | None:
        value = data.get(name)
        return value[0] if isinstance(value, list) else value

    account, kind, name = parse_caller(caller_arn)
    partition = caller_arn.split(":")[1]
    context = {"aws:PrincipalAccount": account}
    if kind == "role":
        try:
            principal_arn = iam_backends[account][partition].get_role(name).arn
        except Exception:  # a session whose role was deleted since
            principal_arn = f"arn:{partition}:iam::{account}:role/{name}"
        context.update({"aws:PrincipalArn": principal_arn, "aws:PrincipalType": "AssumedRole"})
    else:
        context.update({"aws:PrincipalArn": caller_arn, "aws:PrincipalType": "User", "aws:username": name})
    for request_key, context_key in (("ExternalId", "sts:ExternalId"), ("RoleSessionName", "sts:RoleSessionName")):
        value = param(request_key)
        if value is not None:
            context[context_key] = value
    return context


def apply() -> None:
    from moto.iam.access_control import IAMPolicyStatement

    moto_check_conditions = IAMPolicyStatement._check_conditions

    def _check_conditions(self: Any, incoming: dict[str, str] | None) -> bool:
        # moto passes no context when it evaluates identity policies: keep its behaviour there.
        if incoming is None:
            return moto_check_conditions(self, incoming)
        return conditions_match(self._statement.get("Condition") or {}, incoming)

    IAMPolicyStatement._check_conditions = _check_conditions
