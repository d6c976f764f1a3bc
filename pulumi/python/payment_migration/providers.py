"""One explicit AWS provider per region, carrying the default tags (and an optional deploy role).

Every resource is created through the provider of its region, so the program is explicit about
where things live (eu-central-1 primary, eu-central-2 secondary) and every resource carries the
EnvironmentSuffix tag. With `deployRoleArn` set, both providers assume that role.
"""

import pulumi
import pulumi_aws as aws

from .config import PROJECT


def common_tags(c):
    return {
        "Project": PROJECT,
        "EnvironmentSuffix": c.environment_suffix,
        "MigrationDirection": c.direction,
        "Compliance": "PCI-DSS",
        "ManagedBy": "pulumi",
    }


def make_providers(c):
    providers = {}
    for region in c.regions:
        kwargs = {}
        if c.deploy_role_arn:
            kwargs["assume_roles"] = [
                aws.ProviderAssumeRoleArgs(
                    role_arn=c.deploy_role_arn,
                    session_name=c.name("payment-migration-deploy"),
                    duration="1h",
                )
            ]
        providers[region] = aws.Provider(
            c.name(f"aws-{region}"),
            region=region,
            default_tags=aws.ProviderDefaultTagsArgs(tags=common_tags(c)),
            **kwargs,
        )
    return providers


def opts(provider, **kwargs):
    return pulumi.ResourceOptions(provider=provider, **kwargs)


def invoke_opts(provider):
    return pulumi.InvokeOutputOptions(provider=provider)
