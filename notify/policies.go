package notify

import (
	"github.com/rootwatch/rootwatch/internal/policy"
)

// Sids of the forwarding role's statements.
const (
	SidEventBridgeAssumeRole = "EventBridgeForwardRootEvents"
	SidPutEventsHomeBus      = "PutEventsToHomeDefaultBus"
)

// RuleARN is the ARN of a rule on a region's default event bus (policy.Env.EventRuleARN).
func RuleARN(e policy.Env, region, name string) string { return e.EventRuleARN(region, name) }

// DefaultBusARN is the ARN of a region's default event bus (policy.Env.DefaultEventBusARN).
func DefaultBusARN(e policy.Env, region string) string { return e.DefaultEventBusARN(region) }

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
