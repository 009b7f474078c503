"""The fidelity layer: small, documented patches that bring moto to AWS's semantics."""


def apply() -> None:
    """Apply every patch. Each patch module documents the AWS behaviour it restores."""
    from . import cross_account_trust, expected_bucket_owner, head_bucket_action, session_expiry, trust_conditions, trust_principal
    from . import canonical_request
    from . import cfn_inline_policy
    from . import s3_kms_key_access
    from . import bucket_policy_conditions, cfn_bucket_properties, s3_eventbridge_notification
    from . import checksum_headers
    from . import s3_identity_conditions
    from . import multipart_initiated

    cross_account_trust.apply()
    trust_principal.apply()
    trust_conditions.apply()
    head_bucket_action.apply()
    session_expiry.apply()
    expected_bucket_owner.apply()
    canonical_request.apply()
    cfn_inline_policy.apply()
    s3_kms_key_access.apply()
    cfn_bucket_properties.apply()
    bucket_policy_conditions.apply()
    s3_eventbridge_notification.apply()
    checksum_headers.apply()
    s3_identity_conditions.apply()
    multipart_initiated.apply()
