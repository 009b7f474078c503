"""Store a CloudFormation role's inline policies as JSON documents.

moto's CloudFormation hands each ``AWS::IAM::Role`` ``Policies[].PolicyDocument``
to the role as a Python dict, so ``GetRolePolicy`` returns the dict's Python repr
(single quotes, ``True``) instead of a JSON document, and fails with HTTP 500 once
IAM enforcement is on. AWS stores the document as JSON and ``GetRolePolicy``
returns it URL-encoded (RFC 3986), exactly like a policy put with ``PutRolePolicy``.

A stack update that changes a role's ``AssumeRolePolicyDocument`` or ``Policies``
(a rotation's ``AdditionalExternalId``, say) is applied by AWS in place, without
replacing the role; moto's update of an ``AWS::IAM::Role`` only sets its description
and keeps the old trust and inline policies. The patch applies both on update.

https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-iam-role-policy.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html (AssumeRolePolicyDocument, Policies: update requires no interruption)
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

    original_update = Role.update_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):  # type: ignore[no-untyped-def]
        from moto.iam.models import iam_backends
        from moto.utilities.utils import get_partition

        role = original_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        backend = iam_backends[account_id][get_partition(region_name)]
        properties = cloudformation_json.get("Properties", {})
        trust = properties.get("AssumeRolePolicyDocument")
        if trust is not None:
            backend.update_assume_role_policy(role.name, trust if isinstance(trust, str) else json.dumps(trust, default=_json_default))
        policies = properties.get("Policies") or []
        wanted = {policy["PolicyName"] for policy in policies if "PolicyName" in policy}
        for name in list(role.policies):
            if name not in wanted:
                backend.delete_role_policy(role.name, name)
        for policy in policies:
            document = policy.get("PolicyDocument")
            text = document if isinstance(document, str) else json.dumps(document, default=_json_default)
            backend.put_role_policy(role.name, policy["PolicyName"], text)
        return role

    Role.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)  # type: ignore[method-assign]
