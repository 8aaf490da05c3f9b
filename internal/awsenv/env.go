package awsenv

import (
	"slices"
	"strings"

	"github.com/rootwatch/rootwatch/internal/validate"
)

// Env says where a stack deploys, and so where its policies apply: the partition, its DNS suffix,
// the account and the region (as aws:getPartition, aws:getCallerIdentity and aws:getRegion report
// them).
type Env struct {
	Partition string // "aws", "aws-cn", "aws-us-gov", ...
	DNSSuffix string // "amazonaws.com", "amazonaws.com.cn", ...
	AccountID string // 12 digits
	Region    string // "us-east-1", "cn-north-1", "us-gov-west-1", ...
}

// Validate reports every problem with e in one error, each naming the field, its value and what is
// allowed.
func (e Env) Validate() error {
	var es validate.Errors
	switch {
	case e.Partition == "":
		es.Add("Partition", e.Partition, "is empty; want one of "+strings.Join(Partitions, ", "), "")
	case !slices.Contains(Partitions, e.Partition):
		es.Add("Partition", e.Partition, "is not an AWS partition; want one of "+strings.Join(Partitions, ", "), "")
	}
	switch {
	case e.DNSSuffix == "":
		es.Add("DNSSuffix", e.DNSSuffix, "is empty; want the partition's DNS suffix, e.g. amazonaws.com or "+
			"amazonaws.com.cn", "")
	case !IsDNSName(e.DNSSuffix):
		es.Add("DNSSuffix", e.DNSSuffix, "is not a DNS suffix such as amazonaws.com or amazonaws.com.cn", "")
	}
	if !IsAccountID(e.AccountID) {
		es.Add("AccountID", e.AccountID, "is not an AWS account id; want exactly 12 digits, leading zeros included", "")
	}
	switch {
	case e.Region == "":
		es.Add("Region", e.Region, "is empty; want a region such as us-east-1", "")
	case !IsRegion(e.Region):
		es.Add("Region", e.Region, "is not an AWS region name such as us-east-1, cn-north-1 or us-gov-west-1", "")
	case e.Partition != "" && RegionPartition(e.Region) != e.Partition:
		es.Add(
			"Region",
			e.Region,
			"is not a region of partition "+e.Partition+" (it is in "+RegionPartition(e.Region)+")",
			"",
		)
	}
	// The prefix is the one the policy builders have always reported (checkEnv trims it).
	return es.Inline("policy: invalid AWS environment")
}

// ARN builds arn:<partition>:<service>:<region>:<account>:<resource> in e's partition.
func (e Env) ARN(service, region, account, resource string) string {
	return ARN(e.Partition, service, region, account, resource)
}

// AccountRootARN is the account principal, arn:<partition>:iam::<account>:root: naming it in a
// resource policy delegates to the account's IAM policies.
func (e Env) AccountRootARN() string { return e.ARN("iam", "", e.AccountID, "root") }

// InAccount is e in another account of the same partition and region: where a resource the
// deploying account creates is owned by another (an organization trail a delegated administrator
// creates belongs to the management account).
func (e Env) InAccount(account string) Env {
	e.AccountID = account
	return e
}

// TrailARN is arn:<partition>:cloudtrail:<region>:<account>:trail/<name>.
func (e Env) TrailARN(name string) string {
	return e.ARN("cloudtrail", e.Region, e.AccountID, "trail/"+name)
}

// LogGroupARN is arn:<partition>:logs:<region>:<account>:log-group:<name>, without the ":*" suffix
// some APIs (CloudTrail's CloudWatchLogsLogGroupArn) want. It is the form CloudWatch Logs puts in
// the kms:EncryptionContext:aws:logs:arn encryption context.
func (e Env) LogGroupARN(name string) string {
	return e.ARN("logs", e.Region, e.AccountID, "log-group:"+name)
}

// SNSTopicARN is arn:<partition>:sns:<region>:<account>:<name>; with name "" it is the prefix every
// topic of the account and region shares.
func (e Env) SNSTopicARN(name string) string { return e.ARN("sns", e.Region, e.AccountID, name) }

// EventRuleARN is the ARN of a rule on a region's default event bus,
// arn:<partition>:events:<region>:<account>:rule/<name> (rules on other buses are
// rule/<bus>/<name>).
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html#amazoneventbridge-resources-for-iam-policies
func (e Env) EventRuleARN(region, name string) string {
	return e.ARN("events", region, e.AccountID, "rule/"+name)
}

// DefaultEventBusARN is the ARN of a region's default event bus,
// arn:<partition>:events:<region>:<account>:event-bus/default.
func (e Env) DefaultEventBusARN(region string) string {
	return e.ARN("events", region, e.AccountID, "event-bus/default")
}

// EventBusARN is the ARN of the event bus name in region, arn:<partition>:events:<region>:<account>:event-bus/<name>.
func (e Env) EventBusARN(region, name string) string {
	return e.ARN("events", region, e.AccountID, "event-bus/"+name)
}

// ServicePrincipal is the global service principal of svc ("cloudtrail" -> "cloudtrail.amazonaws.com").
//
// It is <svc>.amazonaws.com in every partition, aws-cn included: AWS now documents the
// .amazonaws.com form for the services rootwatch names (cloudtrail, logging.s3, cloudwatch, events,
// sns), and the CDK and Terraform providers map them to .amazonaws.com in China too. A handful of
// older services (ec2, s3 itself, elasticmapreduce, codedeploy) still want .amazonaws.com.cn in
// aws-cn; they are not used here. Regional principals (CloudWatch Logs) use LogsServicePrincipal.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services
func (e Env) ServicePrincipal(svc string) string { return svc + ".amazonaws.com" }

// LogsServicePrincipal is CloudWatch Logs' regional service principal, logs.<region>.<dnsSuffix>
// (logs.us-east-1.amazonaws.com, logs.cn-north-1.amazonaws.com.cn), the one a key policy must name
// for a log group encrypted with the key.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
func (e Env) LogsServicePrincipal() string { return "logs." + e.Region + "." + e.DNSSuffix }
