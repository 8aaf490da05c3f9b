package program

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
)

// eventPatterns returns every event pattern the recorded program registers, by where it is: the
// EventBridge rules (home rules, forwarders, central bus rules, the AWS Config compliance rule) and
// the rules of the CloudFormation templates it deploys (the member StackSet's forwarding rule).
func eventPatterns(t *testing.T, rs []offline.Resource) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range offline.ByType(rs, "aws:cloudwatch/eventRule:EventRule") {
		if p, ok := offline.Plain(r.Inputs)["eventPattern"].(string); ok {
			out["rule "+r.Name] = p
		}
	}
	for _, r := range offline.ByType(rs, "aws:cloudformation/stackSet:StackSet") {
		body, _ := offline.Plain(r.Inputs)["templateBody"].(string)
		var tpl struct {
			Resources map[string]struct {
				Type       string
				Properties map[string]any
			}
		}
		if err := json.Unmarshal([]byte(body), &tpl); err != nil {
			t.Fatalf("StackSet %s template: %v", r.Name, err)
		}
		for id, res := range tpl.Resources {
			if res.Type != "AWS::Events::Rule" {
				continue
			}
			p, err := json.Marshal(res.Properties["EventPattern"])
			if err != nil || res.Properties["EventPattern"] == nil {
				t.Fatalf("StackSet %s: rule %s has no event pattern", r.Name, id)
			}
			out["StackSet "+r.Name+" "+id] = string(p)
		}
	}
	return out
}

// awsSourceOnly says whether a pattern's source clause admits AWS services' events alone: every
// alternative is a source, or a prefix, that starts with "aws." (EventBridge's reserved prefix,
// which PutEvents refuses to custom events).
func awsSourceOnly(pattern string) bool {
	var p map[string]any
	if err := json.Unmarshal([]byte(pattern), &p); err != nil {
		return false
	}
	alts, ok := p["source"].([]any)
	if !ok || len(alts) == 0 {
		return false
	}
	for _, a := range alts {
		switch x := a.(type) {
		case string:
			if !strings.HasPrefix(x, "aws.") || x == "aws." {
				return false
			}
		case map[string]any:
			pre, ok := x["prefix"].(string)
			if len(x) != 1 || !ok || !strings.HasPrefix(pre, "aws.") {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// TestEveryEventRuleRequiresAnAWSSource (forged root alerts): every event pattern the program
// registers, in every example stack and with the optional features on (member accounts, extra
// regions, chat, AWS Config rules), on every bus and in the StackSet's template, matches only
// events whose source starts with "aws.", so no principal allowed events:PutEvents (a developer of
// the account, a member account on the central bus) can raise a rootwatch alert with a custom
// event.
func TestEveryEventRuleRequiresAnAWSSource(t *testing.T) {
	stacks, err := filepath.Glob(pulumitest.StackFixture("Pulumi.*.yaml"))
	if err != nil || len(stacks) == 0 {
		t.Fatalf("no stack files: %v", err)
	}
	configs := map[string]map[string]string{}
	for _, f := range stacks {
		configs[filepath.Base(f)] = offlineStackConfig(t, filepath.Base(f))
	}
	all := offlineStackConfig(t, "Pulumi.dev.yaml")
	all["rootwatch:configRules"] = "true"
	all["rootwatch:slackChannels"] = `["T07EA123LEP/C07EZ1ABC23"]`
	all["rootwatch:regions"] = `["eu-west-1"]`
	configs["Pulumi.dev.yaml with config rules, chat and an extra region"] = all
	kinds := map[string]bool{}
	for name, cfg := range configs {
		rec, err := runProgram(cfg, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ps := eventPatterns(t, rec.Resources())
		if len(ps) == 0 {
			t.Errorf("%s: no event pattern registered", name)
		}
		for where, p := range ps {
			if !awsSourceOnly(p) {
				t.Errorf("%s: %s matches events of any source (forgeable with PutEvents): %s", name, where, p)
			}
			switch {
			case strings.HasPrefix(where, "StackSet "):
				kinds["member template"] = true
			case strings.Contains(where, "-member-"):
				kinds["central bus"] = true
			case strings.Contains(where, "-forward-"):
				kinds["forwarder"] = true
			case strings.HasSuffix(where, "-posture-compliance"):
				kinds["config"] = true
			default:
				kinds["home"] = true
			}
		}
	}
	for _, k := range []string{"home", "forwarder", "central bus", "member template", "config"} {
		if !kinds[k] {
			t.Errorf("no %s rule was checked", k)
		}
	}
}
