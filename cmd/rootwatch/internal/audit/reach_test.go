package audit

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/internal/testkit/corpus"
	"github.com/rootwatch/rootwatch/notify"
)

// TestRootEventsAreTheCorpus checks that the events root-activity-rules matches the rules against
// are the corpus records they say they are, wrapped as EventBridge delivers them.
func TestRootEventsAreTheCorpus(t *testing.T) {
	files := []string{"root_consolelogin_success_mfa_YES__awsdocs.json", "root_enablemfadevice_apicall__awsdocs.json"}
	if len(files) != len(rootEvents) {
		t.Fatal("one corpus file per root event")
	}
	for i, f := range files {
		b, err := corpus.ReadFile("curated/" + f)
		if err != nil {
			t.Fatal(err)
		}
		var rec map[string]any
		if err := json.Unmarshal(b, &rec); err != nil {
			t.Fatal(err)
		}
		var ev map[string]any
		if err := json.Unmarshal([]byte(rootEvents[i].event), &ev); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"AwsConsoleSignIn": notify.DetailTypeSignIn, "AwsApiCall": notify.DetailTypeAPICall}[rec["eventType"].(string)]
		if ev["detail-type"] != want || ev["source"] != "aws."+strings.TrimSuffix(rec["eventSource"].(string), ".amazonaws.com") ||
			ev["time"] != rec["eventTime"] || ev["region"] != rec["awsRegion"] ||
			ev["account"] != rec["recipientAccountId"] {
			t.Errorf("%s: the envelope of %q does not follow the record", f, rootEvents[i].name)
		}
		gotDetail, _ := json.Marshal(ev["detail"])
		wantDetail, _ := json.Marshal(rec)
		if !bytes.Equal(gotDetail, wantDetail) {
			t.Errorf("%s: %q's detail is not the corpus record", f, rootEvents[i].name)
		}
	}
}

func TestJudgePolicy(t *testing.T) {
	const head = `{"Version":"2012-10-17","Statement":`
	for _, tc := range []struct {
		name, doc string
		want      Status
		says      string
	}{
		{"service principals as a list, action as sns:*", head + `{"Effect":"Allow","Principal":{"Service":["cloudwatch.amazonaws.com","events.amazonaws.com"]},"Action":"sns:*","Resource":"*"}}`, Pass, "allows sns:Publish"},
		{"one service missing", head + `[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}]}`, Fail, "does not allow sns:Publish to events.amazonaws.com"},
		{"a plain deny", head + `[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Sid":"No","Effect":"Deny","Principal":{"Service":"events.amazonaws.com"},"Action":"SNS:Publish","Resource":"*"}]}`, Fail, "statement No denies sns:Publish to events.amazonaws.com"},
		{"a conditioned deny", head + `[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Sid":"Maybe","Effect":"Deny","Principal":"*","Action":"sns:Publish","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"1"}}}]}`, Warn, "may deny"},
		{"the TLS-only deny", head + `[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"sns:Publish","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`, Pass, "allows"},
		{"NotAction", head + `[{"Sid":"Odd","Effect":"Allow","Principal":"*","NotAction":"sns:DeleteTopic","Resource":"*"}]}`, Warn, "not evaluated"},
		{"not JSON", `{`, Fail, "not a JSON policy document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, d := judgePolicy(tc.doc, []string{"sns:Publish"}, "the topic policy")
			if s != tc.want || !strings.Contains(d, tc.says) {
				t.Errorf("%s %q, want %s mentioning %q", s, d, tc.want, tc.says)
			}
		})
	}
}
