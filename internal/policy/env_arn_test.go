package policy

import "testing"

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
