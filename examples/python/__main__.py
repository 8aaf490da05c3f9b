"""rootwatch's example stack (the Go program's Pulumi.dev.yaml) through the rootwatch component
package: the same trail, alarms and notifications, under the same names."""

import pulumi
import pulumi_rootwatch as rootwatch

config = pulumi.Config()
alert_email = config.require("alertEmail")
# The Go program's defaults: rootwatch-<stack>, and the same with a dash as the name prefix.
trail_name = f"rootwatch-{pulumi.get_stack()}"
name_prefix = f"{trail_name}-"
tags = {"team": "platform-security", "environment": "dev"}

trail = rootwatch.trail.Trail(
    "rootwatch",
    trail_name=trail_name,
    s3_key_prefix="cloudtrail",
    log_retention_days=365,
    tags=tags,
)

alarms = rootwatch.alarms.Alarms(
    "rootwatch",
    log_group_name=trail.log_group_name,
    emails=[alert_email],
    name_prefix=name_prefix,
    tags=tags,
    heartbeat_notes=[
        pulumi.Output.format(
            "Trail: {0}, log files in s3://{1}/cloudtrail/.", trail.trail_name, trail.bucket_name
        ),
        pulumi.Output.format(
            "Review the period's root activity: rootwatch scan s3://{0}/cloudtrail/ --since 7d",
            trail.bucket_name,
        ),
    ],
)

notify = rootwatch.notify.Notify(
    "rootwatch",
    topic_arn=alarms.topic_arn,
    name_prefix=name_prefix,
    tags=tags,
    health=rootwatch.notify.HealthArgs(topic_arn=alarms.health_topic_arn, emails=[alert_email]),
)

pulumi.export("trailArn", trail.trail_arn)
pulumi.export("bucketName", trail.bucket_name)
pulumi.export("logGroupName", trail.log_group_name)
pulumi.export("alertTopicArn", alarms.topic_arn)
pulumi.export("healthTopicArn", alarms.health_topic_arn)
pulumi.export("alarmArns", alarms.alarm_arns)
pulumi.export("rootEventRuleArns", notify.rule_arns)
