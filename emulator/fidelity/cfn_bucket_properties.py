"""Apply a CloudFormation bucket's configuration, and create ``AWS::S3::BucketPolicy``.

moto's CloudFormation creates an ``AWS::S3::Bucket`` with its name, its default
encryption (algorithm and key, without ``BucketKeyEnabled``) and its tags, and
ignores ``VersioningConfiguration``, ``PublicAccessBlockConfiguration``,
``OwnershipControls``, ``LifecycleConfiguration``, ``NotificationConfiguration``
and ``LoggingConfiguration``. It has no model for ``AWS::S3::BucketPolicy``: the
resource is skipped and the bucket gets no policy.

AWS applies each of these properties when it creates or updates the bucket
(an update clears a configuration the new template no longer has), and attaches
a bucket policy resource's document to its bucket; deleting the stack removes
that policy unless the resource's DeletionPolicy is Retain.

This patch sets each property through moto's own S3 backend, in the form the
matching PUT API hands it (PutBucketVersioning, PutPublicAccessBlock,
PutBucketOwnershipControls, PutBucketEncryption, PutBucketLifecycleConfiguration,
PutBucketNotificationConfiguration, PutBucketLogging), and adds a bucket policy
model (create: PutBucketPolicy; update: the new document; delete:
DeleteBucketPolicy). A sub-property moto does not model is reported on stderr.

https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucketpolicy.html
"""
from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

# Lifecycle rule properties (CloudFormation name) this patch translates.
LIFECYCLE_RULE_KEYS = {
    "Id", "Status", "Prefix", "TagFilters", "AbortIncompleteMultipartUpload", "ExpirationInDays",
    "ExpirationDate", "ExpiredObjectDeleteMarker", "NoncurrentVersionExpiration",
    "NoncurrentVersionExpirationInDays", "Transitions", "NoncurrentVersionTransitions",
}


def _report(what: str) -> None:
    print(f"fidelity: CloudFormation {what} is not applied by the emulator", file=sys.stderr)


def _flag(value: Any) -> str:
    """A CloudFormation boolean (YAML bool or string) in the text form S3's XML carries."""
    return str(value).lower()


def _encryption(config: dict[str, Any]) -> dict[str, Any]:
    from moto.s3.cloud_formation import cfn_to_api_encryption

    encryption = cfn_to_api_encryption(config)
    bucket_key = config["ServerSideEncryptionConfiguration"][0].get("BucketKeyEnabled")
    if bucket_key is not None:
        encryption["Rule"]["BucketKeyEnabled"] = _flag(bucket_key)
    return encryption


def _lifecycle_filter(rule: dict[str, Any]) -> dict[str, Any]:
    tags = [{"Key": t["Key"], "Value": t["Value"]} for t in rule.get("TagFilters") or []]
    prefix = rule.get("Prefix")
    if not tags:
        # No prefix and no tag: the rule covers every object, which S3's API spells as an empty prefix.
        return {"Prefix": prefix or ""}
    if len(tags) == 1 and prefix is None:
        return {"Tag": tags[0]}
    return {"And": {"Prefix": prefix or "", "Tag": tags}}


def _pick(source: dict[str, Any], names: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The (CloudFormation name, API name) pairs present in source, as S3's XML text."""
    return {api: _flag(source[cfn]) if isinstance(source[cfn], bool) else str(source[cfn]) for cfn, api in names if source.get(cfn) is not None}


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    for key in sorted(set(rule) - LIFECYCLE_RULE_KEYS):
        _report(f"LifecycleConfiguration.Rules[].{key}")
    api: dict[str, Any] = {"ID": rule.get("Id"), "Status": rule["Status"], "Filter": _lifecycle_filter(rule)}
    if "AbortIncompleteMultipartUpload" in rule:
        api["AbortIncompleteMultipartUpload"] = _pick(rule["AbortIncompleteMultipartUpload"], (("DaysAfterInitiation", "DaysAfterInitiation"),))
    expiration = _pick(rule, (("ExpirationInDays", "Days"), ("ExpirationDate", "Date"), ("ExpiredObjectDeleteMarker", "ExpiredObjectDeleteMarker")))
    if expiration:
        api["Expiration"] = expiration
    noncurrent = _pick(rule.get("NoncurrentVersionExpiration") or {}, (("NoncurrentDays", "NoncurrentDays"),)) or _pick(
        rule, (("NoncurrentVersionExpirationInDays", "NoncurrentDays"),)
    )
    if noncurrent:
        api["NoncurrentVersionExpiration"] = noncurrent
    if rule.get("Transitions"):
        names = (("StorageClass", "StorageClass"), ("TransitionInDays", "Days"), ("TransitionDate", "Date"))
        api["Transition"] = [_pick(t, names) for t in rule["Transitions"]]
    if rule.get("NoncurrentVersionTransitions"):
        names = (("StorageClass", "StorageClass"), ("TransitionInDays", "NoncurrentDays"), ("NewerNoncurrentVersions", "NewerNoncurrentVersions"))
        api["NoncurrentVersionTransition"] = [_pick(t, names) for t in rule["NoncurrentVersionTransitions"]]
    return api


def _notification(config: dict[str, Any]) -> dict[str, Any]:
    for key in sorted(set(config) - {"EventBridgeConfiguration"}):
        _report(f"NotificationConfiguration.{key}")
    event_bridge = config.get("EventBridgeConfiguration") or {}
    # moto keeps an EventBridge destination as an empty dict, as its XML parser does.
    return {"EventBridgeConfiguration": {}} if _flag(event_bridge.get("EventBridgeEnabled", True)) == "true" else {}


def _logging(config: dict[str, Any], bucket_name: str) -> dict[str, Any]:
    if "TargetObjectKeyFormat" in config:
        _report("LoggingConfiguration.TargetObjectKeyFormat")
    # Without a destination, AWS writes the logs into the bucket itself.
    return {"TargetBucket": config.get("DestinationBucketName", bucket_name), "TargetPrefix": config.get("LogFilePrefix", "")}


def apply_bucket_properties(backend: Any, bucket_name: str, properties: dict[str, Any], updating: bool) -> None:
    """Set what moto's CloudFormation leaves out; on an update, clear what the template dropped."""
    if "VersioningConfiguration" in properties:
        backend.put_bucket_versioning(bucket_name, properties["VersioningConfiguration"]["Status"])
    if "BucketEncryption" in properties:
        backend.put_bucket_encryption(bucket_name, _encryption(properties["BucketEncryption"]))

    block = properties.get("PublicAccessBlockConfiguration")
    if block is not None:
        backend.put_public_access_block(bucket_name, {k: _flag(v) for k, v in block.items()})
    elif updating:
        backend.delete_public_access_block(bucket_name)

    ownership = properties.get("OwnershipControls")
    if ownership is not None:
        backend.put_bucket_ownership_controls(bucket_name, ownership=ownership["Rules"][0]["ObjectOwnership"])
    elif updating:
        backend.delete_bucket_ownership_controls(bucket_name)

    lifecycle = properties.get("LifecycleConfiguration")
    if lifecycle is not None:
        backend.put_bucket_lifecycle_configuration(bucket_name, [_lifecycle_rule(r) for r in lifecycle.get("Rules", [])])
    elif updating:
        backend.delete_bucket_lifecycle(bucket_name)

    notification = properties.get("NotificationConfiguration")
    if notification is not None or updating:
        backend.put_bucket_notification_configuration(bucket_name, _notification(notification) if notification is not None else {})

    logging = properties.get("LoggingConfiguration")
    if logging is not None or updating:
        backend.put_bucket_logging(bucket_name, _logging(logging, bucket_name) if logging is not None else {})


def _policy_text(document: Any) -> bytes:
    def default(value: Any) -> str:
        # moto reads YAML templates with YAML 1.1 rules, under which an unquoted 2012-10-17 is a date.
        if isinstance(value, date):
            return value.strftime("%Y-%m-%d")
        raise TypeError(f"cannot serialize {type(value).__name__} in a bucket policy")

    return (document if isinstance(document, str) else json.dumps(document, default=default)).encode("utf-8")


def _s3_backend(account_id: str, region_name: str) -> Any:
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    return s3_backends[account_id][get_partition(region_name)]


def _define_bucket_policy_model() -> None:
    from moto.core.common_models import CloudFormationModel
    from moto.s3.exceptions import MissingBucket

    class FakeBucketPolicy(CloudFormationModel):
        def __init__(self, bucket_name: str, account_id: str, region_name: str) -> None:
            self.bucket_name = bucket_name
            self.account_id = account_id
            self.region_name = region_name

        @property
        def physical_resource_id(self) -> str:
            return self.bucket_name

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::S3::BucketPolicy"

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return False

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
        ) -> "FakeBucketPolicy":
            properties = cloudformation_json["Properties"]
            _s3_backend(account_id, region_name).put_bucket_policy(properties["Bucket"], _policy_text(properties["PolicyDocument"]))
            return cls(properties["Bucket"], account_id, region_name)

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
        ) -> "FakeBucketPolicy":
            if cloudformation_json["Properties"]["Bucket"] != original_resource.bucket_name:
                original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

        @classmethod
        def delete_from_cloudformation_json(  # type: ignore[override]
            cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
        ) -> None:
            try:
                _s3_backend(account_id, region_name).delete_bucket_policy(resource_name)
            except MissingBucket:
                pass

        def delete(self, account_id: str, region_name: str) -> None:
            self.delete_from_cloudformation_json(self.bucket_name, {}, account_id, region_name)

    # moto finds models through CloudFormationModel.__subclasses__() and caches the map on first
    # use. Importing its parser here would add seconds to every start (it imports every service),
    # so the cache is cleared only if something loaded it already.
    parsing = sys.modules.get("moto.cloudformation.parsing")
    if parsing is not None:
        parsing.get_model_map.cache_clear()
        parsing.get_name_type_map.cache_clear()


def apply() -> None:
    from moto.s3.models import FakeBucket

    moto_create = FakeBucket.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]
    moto_update = FakeBucket.update_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # type: ignore[no-untyped-def]
        bucket = moto_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        properties = cloudformation_json.get("Properties", {})
        apply_bucket_properties(_s3_backend(account_id, region_name), bucket.name, properties, updating=False)
        return bucket

    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):  # type: ignore[no-untyped-def]
        bucket = moto_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        # A replacement went through create_from_cloudformation_json above; an in-place update did not.
        if bucket is original_resource:
            properties = cloudformation_json.get("Properties", {})
            apply_bucket_properties(_s3_backend(account_id, region_name), bucket.name, properties, updating=True)
        return bucket

    FakeBucket.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)  # type: ignore[method-assign]
    FakeBucket.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)  # type: ignore[method-assign]
    _define_bucket_policy_model()
