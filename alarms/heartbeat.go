package alarms

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/internal/chatmsg"
	"github.com/rootwatch/rootwatch/internal/eventrule"
)

// Schedule is the EventBridge schedule expression of a heartbeat every days days ("rate(1 day)",
// "rate(7 days)": the unit is singular for 1).
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-rate-expressions
func Schedule(days int) string {
	if days == 1 {
		return "rate(1 day)"
	}
	return fmt.Sprintf("rate(%d days)", days)
}

// HeartbeatMessage is the text of the heartbeat: that the path works, what is watched, what to do
// when it stops arriving, and how to review the period. logGroup is the trail's log group; notes
// are further lines (the trail and its bucket, the scan command).
func HeartbeatMessage(days int, controls []catalog.Control, logGroup string, notes []string) string {
	ids := make([]string, len(controls))
	for i, c := range controls {
		ids[i] = c.ID
	}
	every := "every day"
	if days > 1 {
		every = fmt.Sprintf("every %d days", days)
	}
	lines := []string{
		"rootwatch heartbeat: the alert path works.",
		"This message went from EventBridge through the alert topic and its KMS key to you; it is sent " + every + ".",
		"If it stops arriving, the path is broken and alarms and root notifications will not reach you either: check " +
			"that the topic's KMS key is enabled, the topic policy, and your subscription (rootwatch's health topic " +
			"also reports a failed delivery).",
		"Watched: CloudTrail log group " + logGroup + "; alarms: " + strings.Join(ids, ", ") + ".",
	}
	lines = append(lines, notes...)
	if len(notes) == 0 {
		lines = append(
			lines,
			fmt.Sprintf("Review the period: rootwatch scan s3://<trail bucket>/<prefix> --since %dd", days),
		)
	}
	return strings.Join(lines, "\n")
}

var ruleNameUnsafe = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// ruleName is prefix+suffix with the characters EventBridge rule names refuse replaced, cut to
// their 64 characters.
func ruleName(prefix, suffix string) string {
	n := ruleNameUnsafe.ReplaceAllString(prefix, "-") + suffix
	if len(n) > 64 {
		n = n[len(n)-64:]
	}
	return n
}

// heartbeat schedules the heartbeat through the alert topic, with a FailedInvocations alarm on
// the path's own health.
func (b *builder) heartbeat(controls []catalog.Control) error {
	b.comp.HeartbeatRuleArn = pulumi.String("").ToStringOutput()
	days := *b.a.HeartbeatDays
	if days == 0 {
		return nil
	}
	name := ruleName(b.a.NamePrefix, "heartbeat")
	notes := pulumi.StringArray{}.ToStringArrayOutput()
	if b.a.HeartbeatNotes != nil {
		notes = b.a.HeartbeatNotes.ToStringArrayOutput()
	}
	// Input is JSON: the message as one JSON string, which SNS delivers as its text.
	input := pulumi.All(b.a.LogGroupName, notes).ApplyT(func(xs []any) (string, error) {
		msg := HeartbeatMessage(days, controls, xs[0].(string), xs[1].([]string))
		j, err := json.Marshal(msg)
		return string(j), err
	}).(pulumi.StringOutput)
	afterTopics := []pulumi.ResourceOption{pulumi.DependsOn(b.deps)}
	targets := []eventrule.Target{
		{Suffix: "topic", ID: "rootwatch-alert-topic", Arn: b.topicArn, Input: input, Opts: afterTopics},
	}
	if b.chatArn != nil {
		// The chat channels get the same text as a custom notification (Chatbot does not render
		// plain text); it is marshalled here, so no value can break its JSON.
		chatInput := input.ApplyT(func(j string) (string, error) {
			var msg string
			if err := json.Unmarshal([]byte(j), &msg); err != nil {
				return "", err
			}
			msg = strings.Replace(msg, "through the alert topic and its KMS key", "through rootwatch's chat "+
				"topic and its KMS key", 1)
			return chatmsg.FromText(msg, "rootwatch", "heartbeat").JSON(), nil
		}).(pulumi.StringOutput)
		targets = append(
			targets,
			eventrule.Target{
				Suffix: "chat",
				ID:     "rootwatch-chat-topic",
				Arn:    b.chatArn,
				Input:  chatInput,
				Opts:   afterTopics,
			},
		)
	}
	d, err := eventrule.New(b.ctx, b.name+"-heartbeat", eventrule.Args{
		Name: name,
		Description: fmt.Sprintf(
			"rootwatch: a heartbeat through the alert topic %s; when it stops arriving, the alert path is broken",
			Schedule(days),
		),
		Schedule: Schedule(days),
		Targets:  targets,
		Alarm: &eventrule.Alarm{
			Description: fmt.Sprintf("rootwatch: the heartbeat rule %s could not deliver to the alert topic: the "+
				"alert path is broken. Check that the alert topic's KMS key is enabled and its policy, and the topic "+
				"policy; until fixed, alarms and root notifications may not reach anyone, so read CloudTrail event "+
				"history for the period.", name),
			Actions: b.pathActions(),
		},
		Tags: b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	b.comp.HeartbeatRuleArn = d.Rule.Arn
	return nil
}
