"""Upload one file with boto3's managed transfer (upload_fileobj), for the delivery benchmark.

Usage: python3 upload_boto3.py ENDPOINT BUCKET KEY FILE PART_SIZE CONCURRENCY
Prints {"seconds": S, "bytes": N, "cpuSeconds": C} on stdout (C: this process's CPU
time during the upload, all threads). Same part size, concurrency, endpoint,
checksum algorithm (CRC32) and checksum type (FULL_OBJECT, which makes the emulator's
CompleteMultipartUpload compute the whole object's CRC32) as the Node side, so the two
numbers compare the clients. Both sides build their client and send one HeadBucket
before their clock starts.

deliver_boto3.py imports make_client and upload_file from here.
"""
import json
import os
import resource
import sys
import time

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

# What ion-dest sends with every archive: a CRC32 of each part, and the whole object's CRC32.
CHECKSUM_ARGS = {"ChecksumAlgorithm": "CRC32", "ChecksumType": "FULL_OBJECT"}


def make_client(endpoint: str, concurrency: int):
    """An S3 client for the emulator: path-style, the emulator's credentials, a connection per thread."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}, max_pool_connections=concurrency + 2),
    )


def upload_file(client, bucket: str, key: str, path: str, part_size: int, concurrency: int) -> None:
    """upload_fileobj with parts of part_size (multipart from one part up), concurrency threads, CRC32 FULL_OBJECT."""
    config = TransferConfig(
        multipart_threshold=part_size,
        multipart_chunksize=part_size,
        max_concurrency=concurrency,
        use_threads=True,
    )
    with open(path, "rb") as f:
        client.upload_fileobj(f, bucket, key, ExtraArgs=CHECKSUM_ARGS, Config=config)


def main() -> None:
    endpoint, bucket, key, path, part_size, concurrency = sys.argv[1:7]
    client = make_client(endpoint, int(concurrency))
    # As on the Node side (bench-stage.ts): one HeadBucket before the clock starts.
    client.head_bucket(Bucket=bucket)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    upload_file(client, bucket, key, path, int(part_size), int(concurrency))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({"seconds": seconds, "bytes": os.path.getsize(path), "cpuSeconds": cpu}))


if __name__ == "__main__":
    main()
