package notify

import (
	"github.com/rootwatch/rootwatch/internal/policy"
)

// Sids of the forwarding role's statements.
const (
	SidEventBridgeAssumeRole = "EventBridgeForwardRootEvents"
	SidPutEventsHomeBus      = "PutEventsToHomeDefaultBus"
)

func arn(e policy.Env, service, region, account, resource string) string {
	return "arn:" + e.Partition + ":" + service + ":" + region + ":" + account + ":" + resource
}

// RuleARN is the ARN of a rule on a region's default event bus (rule/<name>; rules on other buses
// are rule/<bus>/<name>).
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html#amazoneventbridge-resources-for-iam-policies
func RuleARN(e policy.Env, region, name string) string {
	return arn(e, "events", region, e.AccountID, "rule/"+name)
}

// DefaultBusARN is the ARN of a region's default event bus.
func DefaultBusARN(e policy.Env, region string) string {
	return arn(e, "events", region, e.AccountID, "event-bus/default")
}

// ForwardTrust is the trust policy of the role a forwarding rule uses: only EventBridge, only on
// behalf of that one rule of this account (the confused-deputy guard: EventBridge sets
// aws:SourceArn to the rule's ARN when it assumes a target role).
// https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
func ForwardTrust(e policy.Env, ruleARN string) policy.Document {
	return policy.Document{
		Version: policy.Version,
		Kind:    policy.TrustPolicy,
		Statement: []policy.Statement{{
			Sid:       SidEventBridgeAssumeRole,
			Effect:    "Allow",
			Principal: policy.ServicePrincipals(e.ServicePrincipal("events")),
			Action:    []string{"sts:AssumeRole"},
			Condition: policy.Condition{"StringEquals": {
				"aws:SourceAccount": {e.AccountID},
				"aws:SourceArn":     {ruleARN},
			}},
		}},
	}
}

// ForwardPutEvents is the role policy of a forwarding role: events:PutEvents on exactly the home
// region's default bus, the permission a rule needs to target an event bus in another Region.
// https://repost.aws/knowledge-center/eventbridge-centralized-bus-to-bus
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
func ForwardPutEvents(homeBusARN string) policy.Document {
	return policy.Document{
		Version: policy.Version,
		Kind:    policy.IdentityPolicy,
		Statement: []policy.Statement{{
			Sid:      SidPutEventsHomeBus,
			Effect:   "Allow",
			Action:   []string{"events:PutEvents"},
			Resource: []string{homeBusARN},
		}},
	}
}
