"""SNS topics for the operations team: alerts (alarms, rollbacks) and migration status.

Both topics are encrypted with the primary region's KMS key; every configured operations e-mail
address is subscribed to both.
"""

import pulumi_aws as aws

from .providers import opts


def build(c, key, provider):
    topics = {}
    for kind, display in (("alerts", "Payment migration alerts"), ("status", "Payment migration status")):
        topic = aws.sns.Topic(
            c.name(f"migration-{kind}"),
            name=c.name(f"payment-migration-{kind}"),
            display_name=display,
            kms_master_key_id=key.arn,
            opts=opts(provider),
        )
        for i, email in enumerate(c.ops_emails):
            aws.sns.TopicSubscription(
                c.name(f"migration-{kind}-ops-{i}"),
                topic=topic.arn,
                protocol="email",
                endpoint=email,
                opts=opts(provider, parent=topic),
            )
        topics[kind] = topic
    return topics
