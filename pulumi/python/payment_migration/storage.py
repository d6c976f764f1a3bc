"""S3 buckets for migration checkpoints and rollback state (primary region).

Each bucket: versioning enabled, SSE-KMS with the region's key (bucket keys on), all public
access blocked, and a bucket policy that refuses non-TLS requests (encryption in transit). The
rollback-state bucket exists only when the rollback path is enabled. force_destroy keeps the
stack destroyable in CI.
"""

import json

import pulumi
import pulumi_aws as aws

from .providers import opts


def _bucket(c, base, account_id, key, provider):
    name = pulumi.Output.concat(f"{base}-{c.environment_suffix}-", account_id)
    bucket = aws.s3.Bucket(c.name(base), bucket=name, force_destroy=True, opts=opts(provider))
    child = opts(provider, parent=bucket)
    aws.s3.BucketVersioning(
        c.name(f"{base}-versioning"),
        bucket=bucket.id,
        versioning_configuration={"status": "Enabled"},
        opts=child,
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        c.name(f"{base}-sse"),
        bucket=bucket.id,
        rules=[
            {
                "apply_server_side_encryption_by_default": {
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": key.arn,
                },
                "bucket_key_enabled": True,
            }
        ],
        opts=child,
    )
    block = aws.s3.BucketPublicAccessBlock(
        c.name(f"{base}-public-access"),
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=child,
    )
    aws.s3.BucketPolicy(
        c.name(f"{base}-tls-only"),
        bucket=bucket.id,
        policy=bucket.arn.apply(
            lambda arn: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "DenyInsecureTransport",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [arn, f"{arn}/*"],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ],
                },
                sort_keys=True,
            )
        ),
        opts=opts(provider, parent=bucket, depends_on=[block]),
    )
    return bucket


def build(c, account_id, key, provider):
    """{'checkpoints': Bucket, 'rollback': Bucket | None}"""
    return {
        "checkpoints": _bucket(c, "pm-checkpoints", account_id, key, provider),
        "rollback": _bucket(c, "pm-rollback-state", account_id, key, provider) if c.enable_rollback else None,
    }
