package awsenv

import (
	"strings"
	"testing"
)

// TestEnvEventBridgeAndSNSARNs: the ARNs notify's forwarding role and the topic check are built from
// carry the partition, the region asked for and the account.
func TestEnvEventBridgeAndSNSARNs(t *testing.T) {
	e := Env{Partition: "aws-cn", DNSSuffix: "amazonaws.com.cn", AccountID: "111122223333", Region: "cn-north-1"}
	for got, want := range map[string]string{
		e.EventRuleARN("cn-northwest-1", "rw-root-events-to-cn-north-1"): "arn:aws-cn:events:cn-northwest-1:111122223333:rule/rw-root-events-to-cn-north-1",
		e.DefaultEventBusARN("cn-north-1"):                               "arn:aws-cn:events:cn-north-1:111122223333:event-bus/default",
		e.SNSTopicARN(""):                                                "arn:aws-cn:sns:cn-north-1:111122223333:",
		e.SNSTopicARN("alerts"):                                          "arn:aws-cn:sns:cn-north-1:111122223333:alerts",
	} {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

const account = "111122223333"

var (
	envAWS   = Env{Partition: "aws", DNSSuffix: "amazonaws.com", AccountID: account, Region: "us-east-1"}
	envCN    = Env{Partition: "aws-cn", DNSSuffix: "amazonaws.com.cn", AccountID: account, Region: "cn-north-1"}
	envGov   = Env{Partition: "aws-us-gov", DNSSuffix: "amazonaws.com", AccountID: account, Region: "us-gov-west-1"}
	partEnvs = []Env{envAWS, envCN, envGov}
)

func TestEnvValidate(t *testing.T) {
	for _, e := range append(partEnvs,
		Env{Partition: "aws-iso-b", DNSSuffix: "sc2s.sgov.gov", AccountID: account, Region: "us-isob-east-1"},
		Env{Partition: "aws-eusc", DNSSuffix: "amazonaws.eu", AccountID: account, Region: "eusc-de-east-1"},
	) {
		if err := e.Validate(); err != nil {
			t.Errorf("%+v: %v", e, err)
		}
	}
	cases := []struct {
		name string
		mut  func(*Env)
		want []string
	}{
		{
			"empty partition",
			func(e *Env) { e.Partition = "" },
			[]string{`Partition "" is empty; want one of aws, aws-cn, aws-us-gov`},
		},
		{
			"unknown partition",
			func(e *Env) { e.Partition = "aws-mars" },
			[]string{`Partition "aws-mars" is not an AWS partition`},
		},
		{
			"short account",
			func(e *Env) { e.AccountID = "12345" },
			[]string{`AccountID "12345" is not an AWS account id; want exactly 12 digits`},
		},
		{
			"letters in account",
			func(e *Env) { e.AccountID = "11112222333a" },
			[]string{`AccountID "11112222333a" is not an AWS account id`},
		},
		{"empty dns suffix", func(e *Env) { e.DNSSuffix = "" }, []string{`DNSSuffix "" is empty`}},
		{
			"bad dns suffix",
			func(e *Env) { e.DNSSuffix = "amazonaws com" },
			[]string{`DNSSuffix "amazonaws com" is not a DNS suffix`},
		},
		{"empty region", func(e *Env) { e.Region = "" }, []string{`Region "" is empty`}},
		{"bad region", func(e *Env) { e.Region = "US East" }, []string{`Region "US East" is not an AWS region name`}},
		{
			"region of another partition",
			func(e *Env) { e.Region = "us-east-1"; e.Partition = "aws-cn"; e.DNSSuffix = "amazonaws.com.cn" },
			[]string{`Region "us-east-1" is not a region of partition aws-cn`},
		},
		{"several", func(e *Env) { e.AccountID = ""; e.Region = "" }, []string{`AccountID ""`, `Region ""`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := envAWS
			c.mut(&e)
			err := e.Validate()
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "policy: invalid AWS environment: ") {
				t.Errorf("error %q lacks the prefix", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestRegionPartition(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1": "aws", "eu-west-1": "aws", "cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov",
		"us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "eu-isoe-west-1": "aws-iso-e",
		"us-isof-south-1": "aws-iso-f", "eusc-de-east-1": "aws-eusc",
	} {
		if got := RegionPartition(region); got != want {
			t.Errorf("RegionPartition(%q) = %q, want %q", region, got, want)
		}
	}
	if err := (Env{Partition: "aws", DNSSuffix: "amazonaws.com", AccountID: account, Region: "us-gov-west-1"}).Validate(); err == nil || !strings.Contains(err.Error(), `Region "us-gov-west-1" is not a region of partition aws (it is in aws-us-gov)`) {
		t.Errorf("aws env with a GovCloud region: %v", err)
	}
}
