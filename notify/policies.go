package notify

import (
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/policy"
)

// Sids of the forwarding role's statements.
const (
	SidEventBridgeAssumeRole = policy.SidEventBridgeAssumeRole
	SidPutEventsHomeBus      = policy.SidPutEventsHomeBus
)

// ForwardTrust is the trust policy of the role a forwarding rule uses
// (policy.EventBridgeForwardTrust): only EventBridge, only on behalf of that one rule.
func ForwardTrust(e awsenv.Env, ruleARN string) policy.Document {
	return policy.EventBridgeForwardTrust(e, ruleARN)
}

// ForwardPutEvents is the role policy of a forwarding role (policy.EventBridgePutEvents):
// events:PutEvents on exactly the home region's default bus.
func ForwardPutEvents(homeBusARN string) policy.Document {
	return policy.EventBridgePutEvents(homeBusARN)
}
