package eventpattern_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/internal/eventpattern"
)

// Sources of the examples (EventBridge User Guide):
const (
	docPatterns  = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html"
	docArrays    = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html"
	docFiltering = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html"
	docOperators = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html"
)

// ec2Event is the EC2 event of the "Event patterns" page.
const ec2Event = `{
  "version": "0",
  "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "111122223333",
  "time": "2017-12-22T18:43:48Z",
  "region": "us-west-1",
  "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  "detail": {"instance-id": "i-1234567890abcdef0", "state": "terminated"}
}`

// macieEvent is the (truncated) Macie event of the "Event patterns" page, made valid JSON.
const macieEvent = `{
  "version": "0", "id": "3e355723-fca9-4de3-9fd7-154c289d6b59", "detail-type": "Macie Alert",
  "source": "aws.macie", "account": "123456789012", "time": "2017-04-24T22:28:49Z", "region": "us-east-1",
  "resources": ["arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_id", "arn:aws:macie:us-east-1:123456789012:trigger/trigger_id"],
  "detail": {"notification-type": "ALERT_CREATED", "name": "Scanning bucket policies", "tags": ["Custom_Alert", "Insider"],
    "risk-score": 80, "trigger": {"rule-arn": "arn:aws:macie:us-east-1:123456789012:trigger/trigger_id", "alert-type": "basic", "risk": 8}}
}`

// The two events of the "Exists matching" section, made valid JSON (the page omits a comma).
const (
	existsEvent1 = `{"detail-type": ["EC2 Instance State-change Notification"], "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341"], "detail": {"state": ["initializing", "running"]}}`
	existsEvent2 = `{"detail-type": ["EC2 Instance State-change Notification"], "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341"], "detail": {"state": ["initializing", "running"], "c-count": {"c1": 100}}}`
)

func match(t *testing.T, pattern, event string) bool {
	t.Helper()
	p, err := eventpattern.Parse([]byte(pattern))
	if err != nil {
		t.Fatalf("Parse(%s): %v", pattern, err)
	}
	ok, err := p.Match([]byte(event))
	if err != nil {
		t.Fatalf("Match: %v", err)
	}
	return ok
}

func TestAWSDocExamples(t *testing.T) {
	cases := []struct {
		name, source, pattern, event string
		want                         bool
	}{
		{"ec2_termination_pattern_matches", docPatterns, `{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], "detail": {"state": ["terminated"]}}`, ec2Event, true},
		{"ec2_other_state_does_not_match", docPatterns, `{"source": ["aws.ec2"], "detail": {"state": ["running"]}}`, ec2Event, false},
		{"or_within_array_ec2_or_fargate", docPatterns, `{"source": ["aws.ec2", "aws.fargate"]}`, ec2Event, true},
		{"field_missing_from_event_does_not_match", docPatterns, `{"detail": {"no-such-field": ["x"]}}`, ec2Event, false},
		{"macie_risk_score_80_and_trigger_risk_8", docPatterns, `{"source": ["aws.macie"], "detail-type": ["Macie Alert"], "detail": {"risk-score": [80], "trigger": {"risk": [8]}}}`, macieEvent, true},
		{"numbers_compare_as_text_80_0_is_not_80", docPatterns, `{"detail": {"risk-score": [80.0]}}`, macieEvent, false},
		{"strings_are_case_sensitive", docPatterns, `{"source": ["AWS.EC2"]}`, ec2Event, false},
		{"array_intersection_resources", docArrays, `{"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f", "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"]}`,
			`{"resources": ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate", "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]}`, true},
		{"array_no_intersection", docArrays, `{"resources": ["arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"]}`,
			`{"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]}`, false},
		{"prefix_time_2017_10_02", docFiltering, `{"time": [{"prefix": "2017-10-02"}]}`, `{"time": "2017-10-02T18:43:48Z"}`, true},
		{"prefix_other_day", docFiltering, `{"time": [{"prefix": "2017-10-02"}]}`, ec2Event, false},
		{
			"anything_but_initializing_running",
			docFiltering,
			`{"detail": {"state": [{"anything-but": "initializing"}]}}`,
			`{"detail": {"state": "running"}}`,
			true,
		},
		{
			"anything_but_initializing_initializing",
			docFiltering,
			`{"detail": {"state": [{"anything-but": "initializing"}]}}`,
			`{"detail": {"state": "initializing"}}`,
			false,
		},
		{
			"anything_but_number_123",
			docFiltering,
			`{"detail": {"x-limit": [{"anything-but": 123}]}}`,
			`{"detail": {"x-limit": 124}}`,
			true,
		},
		{
			"anything_but_number_123_is_123",
			docFiltering,
			`{"detail": {"x-limit": [{"anything-but": 123}]}}`,
			`{"detail": {"x-limit": 123}}`,
			false,
		},
		{
			"anything_but_list_stopped_overloaded",
			docFiltering,
			`{"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}`,
			`{"detail": {"state": "overloaded"}}`,
			false,
		},
		{
			"anything_but_list_running",
			docFiltering,
			`{"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}`,
			`{"detail": {"state": "running"}}`,
			true,
		},
		{
			"anything_but_number_list",
			docFiltering,
			`{"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}}`,
			`{"detail": {"x-limit": 200}}`,
			false,
		},
		{
			"anything_but_needs_the_field",
			docFiltering,
			`{"detail": {"state": [{"anything-but": "initializing"}]}}`,
			`{"detail": {}}`,
			false,
		},
		{"exists_false_field_absent", docFiltering, `{"detail": {"c-count": [{"exists": false}]}}`, existsEvent1, true},
		{"exists_false_intermediate_node_counts_as_absent", docFiltering, `{"detail": {"c-count": [{"exists": false}]}}`, existsEvent2, true},
		{"exists_false_leaf_present", docFiltering, `{"detail": {"c-count": [{"exists": false}]}}`, `{"detail": {"c-count": 3}}`, false},
		{"exists_true_leaf_present", docFiltering, `{"detail": {"c-count": [{"exists": true}]}}`, `{"detail": {"c-count": 3}}`, true},
		{"exists_true_intermediate_node", docFiltering, `{"detail": {"c-count": [{"exists": true}]}}`, existsEvent2, false},
		{"anything_but_prefix_region_not_us", docOperators, `{"Region": [{"anything-but": {"prefix": "us-"}}]}`, `{"Region": "eu-west-1"}`, true},
		{"anything_but_prefix_region_us", docOperators, `{"Region": [{"anything-but": {"prefix": "us-"}}]}`, `{"Region": "us-east-1"}`, false},
		{"anything_but_prefix_needs_the_field", docOperators, `{"Region": [{"anything-but": {"prefix": "us-"}}]}`, `{"Other": "x"}`, false},
		{"anything_but_prefix_or_absent", docOperators, `{"Region": [{"anything-but": {"prefix": "us-"}}, {"exists": false}]}`, `{"Other": "x"}`, true},
		{"or_first_alternative", docOperators, `{"source": ["aws.ec2"], "$or": [{"detail": {"state": ["terminated"]}}, {"detail": {"instance-id": ["i-other"]}}]}`, ec2Event, true},
		{"or_second_alternative", docOperators, `{"$or": [{"detail": {"state": ["running"]}}, {"detail": {"instance-id": ["i-1234567890abcdef0"]}}]}`, ec2Event, true},
		{"or_no_alternative", docOperators, `{"$or": [{"detail": {"state": ["running"]}}, {"region": ["eu-west-1"]}]}`, ec2Event, false},
		{"or_and_other_fields", docOperators, `{"source": ["aws.fargate"], "$or": [{"detail": {"state": ["terminated"]}}, {"region": ["us-west-1"]}]}`, ec2Event, false},
		{"or_nested", docOperators, `{"detail": {"$or": [{"state": ["running"]}, {"instance-id": [{"prefix": "i-1234"}]}]}}`, ec2Event, true},
		{"and_across_fields", docFiltering, `{"time": [{"prefix": "2017-10-02"}], "detail": {"state": [{"anything-but": "initializing"}]}}`, `{"time": "2017-10-02T00:00:00Z", "detail": {"state": "initializing"}}`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := match(t, c.pattern, c.event); got != c.want {
				t.Errorf("%s\npattern %s\nevent %s\nmatch = %v, want %v", c.source, c.pattern, c.event, got, c.want)
			}
		})
	}
}

// TestRefusesWhatItDoesNotImplement: each of these is valid EventBridge syntax (or invalid) that
// this evaluator does not implement; Parse must refuse it rather than guess.
func TestRefusesWhatItDoesNotImplement(t *testing.T) {
	for name, pattern := range map[string]string{
		"numeric":                  `{"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}}`,
		"cidr":                     `{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}}`,
		"suffix":                   `{"FileName": [{"suffix": ".png"}]}`,
		"wildcard":                 `{"FilePath": [{"wildcard": "*/lib/*"}]}`,
		"equals_ignore_case":       `{"state": [{"equals-ignore-case": "x"}]}`,
		"prefix_ignore_case":       `{"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}`,
		"anything_but_suffix":      `{"detail": {"state": [{"anything-but": {"suffix": "ing"}}]}}`,
		"anything_but_mixed_list":  `{"x": [{"anything-but": ["a", 1]}]}`,
		"or_one_alternative":       `{"$or": [{"a": ["x"]}]}`,
		"or_not_objects":           `{"$or": ["a", "b"]}`,
		"other_dollar_operator":    `{"$and": [{"a": ["x"]}, {"b": ["y"]}]}`,
		"null_literal":             `{"detail": {"responseElements": [null]}}`,
		"bool_literal":             `{"detail": {"readOnly": [true]}}`,
		"bare_string":              `{"source": "aws.ec2"}`,
		"empty_array":              `{"source": []}`,
		"empty_object":             `{"detail": {}}`,
		"two_operators_one_object": `{"x": [{"prefix": "a", "exists": true}]}`,
		"exists_non_bool":          `{"x": [{"exists": "yes"}]}`,
		"not_an_object":            `["aws.ec2"]`,
		"not_json":                 `{source: [aws.ec2]}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := eventpattern.Parse([]byte(pattern))
			var pe *eventpattern.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%s) = %v, want a *ParseError", pattern, err)
			}
			if !strings.HasPrefix(err.Error(), "eventpattern: ") {
				t.Errorf("error %q", err)
			}
		})
	}
}
