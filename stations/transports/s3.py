"""S3 drop: one JSON object per delivery, under <prefix>/<uri>/v<version>.json."""

import os

from django.conf import settings

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .base import FAIL, RETRY, AttemptResult
from .ssrf import check_url_allowed


def object_key(destination, uri, version):
    prefix = destination.s3_prefix.strip("/")
    name = f"{uri}/v{version:06d}.json"
    return f"{prefix}/{name}" if prefix else name


def client_for(destination):
    ref = destination.s3_credentials_ref
    credentials = {}
    if ref:
        credentials = {
            "aws_access_key_id": os.environ.get(f"{ref}_ACCESS_KEY_ID"),
            "aws_secret_access_key": os.environ.get(f"{ref}_SECRET_ACCESS_KEY"),
        }
    return boto3.client(
        "s3",
        region_name=destination.s3_region or None,
        endpoint_url=destination.s3_endpoint_url or None,
        config=Config(
            connect_timeout=settings.STATION_PUSH_CONNECT_TIMEOUT,
            read_timeout=settings.STATION_PUSH_READ_TIMEOUT,
            retries={"max_attempts": 1},  # our own state machine retries
        ),
        **credentials,
    )


def send(destination, body, event, idempotency_key, uri, version):
    if destination.s3_endpoint_url:
        problem = check_url_allowed(destination.s3_endpoint_url)
        if problem:
            return AttemptResult(FAIL, error=problem)
    try:
        client_for(destination).put_object(
            Bucket=destination.s3_bucket,
            Key=object_key(destination, uri, version),
            Body=body,
            ContentType="application/json; charset=utf-8",
            Metadata={
                "qiaoyin-event": event,
                "idempotency-key": str(idempotency_key),
                "version": str(version),
            },
        )
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 500
        code = error.response.get("Error", {}).get("Code", "")
        return AttemptResult.from_status(status, f"{code} {error}")
    except BotoCoreError as error:
        return AttemptResult(RETRY, error=f"{type(error).__name__}: {error}"[:2000])
    return AttemptResult.from_status(200)
