"""Authorize HeadBucket as ``s3:ListBucket``.

moto authorizes HeadBucket as ``s3:HeadBucket``, an action that does not exist in
IAM, so no real policy can allow it. AWS: "To use this operation, you must have
permissions to perform the s3:ListBucket action."

https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
"""


def apply() -> None:
    from moto.s3.responses import ACTION_MAP

    ACTION_MAP["BUCKET"]["HEAD"]["DEFAULT"] = "ListBucket"
