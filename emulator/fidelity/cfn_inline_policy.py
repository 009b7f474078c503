"""Store a CloudFormation role's inline policies as JSON documents.

moto's CloudFormation hands each ``AWS::IAM::Role`` ``Policies[].PolicyDocument``
to the role as a Python dict, so ``GetRolePolicy`` returns the dict's Python repr
(single quotes, ``True``) instead of a JSON document, and fails with HTTP 500 once
IAM enforcement is on. AWS stores the document as JSON and ``GetRolePolicy``
returns it URL-encoded (RFC 3986), exactly like a policy put with ``PutRolePolicy``.

https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-iam-role-policy.html
https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
"""
import copy
import json
from datetime import date
from typing import Any


def _json_default(value: Any) -> str:
    # moto reads YAML templates with YAML 1.1 rules, under which an unquoted 2012-10-17 is a date.
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    raise TypeError(f"cannot serialize {type(value).__name__} in a policy document")


def apply() -> None:
    from moto.iam.models import Role

    original = Role.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # type: ignore[no-untyped-def]
        template = copy.deepcopy(cloudformation_json)
        for policy in template.get("Properties", {}).get("Policies", []) or []:
            document = policy.get("PolicyDocument")
            if not isinstance(document, str):
                policy["PolicyDocument"] = json.dumps(document, default=_json_default)
        return original(cls, resource_name, template, account_id, region_name, **kwargs)

    Role.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)  # type: ignore[method-assign]
