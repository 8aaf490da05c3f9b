// rootwatch's example stack (the Go program's Pulumi.dev.yaml) through the rootwatch component
// package: the same trail, alarms and notifications, under the same names.
import * as pulumi from "@pulumi/pulumi";
import * as rootwatch from "@pulumi/rootwatch";

const config = new pulumi.Config();
const alertEmail = config.require("alertEmail");
// The Go program's defaults: rootwatch-<stack>, and the same with a dash as the name prefix.
const trailName = `rootwatch-${pulumi.getStack()}`;
const namePrefix = `${trailName}-`;
const tags = { team: "platform-security", environment: "dev" };

const trail = new rootwatch.trail.Trail("rootwatch", {
    trailName,
    s3KeyPrefix: "cloudtrail",
    logRetentionDays: 365,
    tags,
});

const alarms = new rootwatch.alarms.Alarms("rootwatch", {
    logGroupName: trail.logGroupName,
    emails: [alertEmail],
    namePrefix,
    tags,
    heartbeatNotes: [
        pulumi.interpolate`Trail: ${trail.trailName}, log files in s3://${trail.bucketName}/cloudtrail/.`,
        pulumi.interpolate`Review the period's root activity: rootwatch scan s3://${trail.bucketName}/cloudtrail/ --since 7d`,
    ],
});

const notify = new rootwatch.notify.Notify("rootwatch", {
    topicArn: alarms.topicArn,
    namePrefix,
    tags,
    health: { topicArn: alarms.healthTopicArn, emails: [alertEmail] },
});

export const trailArn = trail.trailArn;
export const bucketName = trail.bucketName;
export const logGroupName = trail.logGroupName;
export const alertTopicArn = alarms.topicArn;
export const healthTopicArn = alarms.healthTopicArn;
export const alarmArns = alarms.alarmArns;
export const rootEventRuleArns = notify.ruleArns;
