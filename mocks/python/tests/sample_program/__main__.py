"""Sample program for the bridge tests: an IAM role (AWS API on awssim), a bucket (registry),
invokes (caller identity, policy document, secret)."""

import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
suffix = cfg.require("suffix")
ident = aws.get_caller_identity_output()
trust = aws.iam.get_policy_document_output(statements=[aws.iam.GetPolicyDocumentStatementArgs(
    actions=["sts:AssumeRole"],
    principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service", identifiers=["lambda.amazonaws.com"])],
)])
role = aws.iam.Role("role", name=f"sample-{suffix}", assume_role_policy=trust.json)
bucket = aws.s3.Bucket("bucket", bucket=f"sample-{suffix}")
secret = aws.secretsmanager.get_secret_output(name="sample/secret")
pulumi.export("roleArn", role.arn)
pulumi.export("bucketName", bucket.bucket)
pulumi.export("account", ident.account_id)
pulumi.export("secretArn", secret.arn)
pulumi.export("settings", {"suffix": suffix, "replicas": 2})
