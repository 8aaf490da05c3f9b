package audit

import (
	"encoding/json"
	"fmt"
)

// StackOutputs are the outputs of a rootwatch stack the audit reads to find what rootwatch
// deployed (`pulumi stack output --json`; docs/stack-outputs.md documents each). The zero value
// means "no stack": the audit then discovers the trail, its log group, the filters, alarms and
// topics from the account itself.
//
// The ARNs among them say where each resource is: the audit asks each resource's own region (and,
// for the trail, by its ARN, which also finds an organization trail from a member account), so a
// stack deployed in another region than --region is judged where it is.
type StackOutputs struct {
	TrailArn         string            `json:"trailArn"`
	TrailName        string            `json:"trailName"`
	LogGroupArn      string            `json:"logGroupArn"`
	LogGroupName     string            `json:"logGroupName"`
	AlertTopicArn    string            `json:"alertTopicArn"`
	HealthTopicArn   string            `json:"healthTopicArn"`
	ChatTopicArn     string            `json:"chatTopicArn"`
	HeartbeatRuleArn string            `json:"heartbeatRuleArn"`
	RootEventRules   map[string]string `json:"rootEventRuleArns"` // notification id -> EventBridge rule ARN
	AlarmArns        map[string]string `json:"alarmArns"`         // control id -> CloudWatch alarm ARN
	AlarmNames       map[string]string `json:"alarmNames"`
	CISControls      []string          `json:"cisControls"`
	MetricNamespace  string            `json:"metricNamespace"`
	// MemberStackSet is the StackSet forwarding member accounts' root activity ("" when
	// rootwatch:memberAccountNotifications is off); audit --organization checks its instances.
	MemberStackSet string `json:"memberStackSetName"`
	// AthenaDatabase and AthenaTable are rootwatch:athena's Glue table ("" when it is off);
	// athena-accounts-projected checks the accounts it projects.
	AthenaDatabase string `json:"athenaDatabase"`
	AthenaTable    string `json:"athenaTable"`
	// MemberEventBusArn is the central bus the StackSet forwards to; the stack made both in its
	// region, so the StackSet's instances are listed there.
	MemberEventBusArn string `json:"memberEventBusArn"`
}

// ParseStackOutputs reads `pulumi stack output --json`. It refuses a document that is not a JSON
// object or that lacks trailName (not a rootwatch stack's outputs), naming what it lacks.
func ParseStackOutputs(data []byte) (StackOutputs, error) {
	var s StackOutputs
	if err := json.Unmarshal(data, &s); err != nil {
		return StackOutputs{}, fmt.Errorf(
			"stack outputs: not the JSON object `pulumi stack output --json` prints: %w",
			err,
		)
	}
	if s.TrailName == "" {
		return StackOutputs{}, fmt.Errorf("stack outputs: no trailName: this is not a rootwatch stack's `pulumi " +
			"stack output --json` (want the outputs docs/stack-outputs.md lists)")
	}
	return s, nil
}
