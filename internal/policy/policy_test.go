package policy

import (
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/testkit/policytest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

const account = "111122223333"

var (
	envAWS = awsenv.Env{Partition: "aws", DNSSuffix: "amazonaws.com", AccountID: account, Region: "us-east-1"}
	envCN  = awsenv.Env{Partition: "aws-cn", DNSSuffix: "amazonaws.com.cn", AccountID: account, Region: "cn-north-1"}
	envGov = awsenv.Env{
		Partition: "aws-us-gov",
		DNSSuffix: "amazonaws.com",
		AccountID: account,
		Region:    "us-gov-west-1",
	}
	partEnvs = []awsenv.Env{envAWS, envCN, envGov}
)

const (
	trailName = "org-root-watch"
	// management is the organization's management account, which owns an organization trail that
	// CloudTrail's delegated administrator (account) creates.
	management = "999988887777"
	lgName     = "/aws/cloudtrail/org-root-watch"
	orgID      = "o-a1b2c3d4e5"
)

func bucketARN(e awsenv.Env, name string) string { return "arn:" + e.Partition + ":s3:::" + name }
func topicARN(e awsenv.Env, name string) string {
	return "arn:" + e.Partition + ":sns:" + e.Region + ":" + e.AccountID + ":" + name
}

// docs are every document rootwatch builds, for one environment, by golden-file name.
func docs(e awsenv.Env) []struct {
	name string
	doc  Document
} {
	trail := e.TrailARN(trailName)
	return []struct {
		name string
		doc  Document
	}{
		{"trail_key", TrailKey(TrailKeyArgs{Env: e, TrailARN: trail, LogGroupARN: e.LogGroupARN(lgName)})},
		{"trail_key_org_admins_notifications", TrailKey(TrailKeyArgs{
			Env: e, TrailARN: trail, LogGroupARN: e.LogGroupARN(lgName), OrganizationID: orgID,
			AdminARNs: []string{
				"arn:" + e.Partition + ":iam::" + account + ":role/SecurityAdmin",
				"arn:" + e.Partition + ":iam::" + account + ":role/BreakGlass",
			},
			DeliveryNotifications: true,
		})},
		{
			"trail_bucket",
			TrailBucket(
				TrailBucketArgs{Env: e, BucketARN: bucketARN(e, "ct-bucket"), KeyPrefix: "ct", TrailARN: trail},
			),
		},
		{
			"trail_bucket_org_no_prefix",
			TrailBucket(
				TrailBucketArgs{Env: e, BucketARN: bucketARN(e, "ct-bucket"), TrailARN: trail, OrganizationID: orgID},
			),
		},
		// Deployed from CloudTrail's delegated administrator: key and bucket in e's account, the
		// trail the management account's.
		{"trail_key_org_delegated_admin", TrailKey(TrailKeyArgs{Env: e, TrailARN: e.InAccount(management).TrailARN(trailName), LogGroupARN: e.LogGroupARN(lgName), OrganizationID: orgID})},
		{"trail_bucket_org_delegated_admin", TrailBucket(TrailBucketArgs{Env: e, BucketARN: bucketARN(e, "ct-bucket"), KeyPrefix: "ct", TrailARN: e.InAccount(management).TrailARN(trailName), OrganizationID: orgID})},
		{"access_log_bucket", AccessLogBucket(AccessLogBucketArgs{Env: e, BucketARN: bucketARN(e, "ct-access-logs"), SourceBucketARN: bucketARN(e, "ct-bucket"), TargetPrefix: "s3-access/"})},
		{"cloudtrail_logs_trust", CloudTrailLogsTrust(e, trail)},
		{"cloudtrail_logs_delivery", CloudTrailLogsDelivery(e, lgName)},
		{"topic_key", TopicKey(TopicKeyArgs{Env: e})},
		{
			"topic_key_admins",
			TopicKey(
				TopicKeyArgs{
					Env:       e,
					AdminARNs: []string{"arn:" + e.Partition + ":iam::" + account + ":role/SecurityAdmin"},
				},
			),
		},
		{"topic", Topic(TopicArgs{Env: e, TopicARN: topicARN(e, "rootwatch-alerts")})},
		{"delivery_topic", DeliveryTopic(e, topicARN(e, trailName+"-log-delivery"), trail)},
		{
			"eventbridge_forward_trust",
			EventBridgeForwardTrust(e, e.EventRuleARN("eu-west-1", "rootwatch-prod-root-events-to-"+e.Region)),
		},
		{"eventbridge_put_events", EventBridgePutEvents(e.DefaultEventBusARN(e.Region))},
		{"organization_bus", OrganizationBus(e, e.EventBusARN(e.Region, "rootwatch-prod-member-root-events"), orgID)},
		{"member_forward_trust", MemberForwardTrust(e, "rootwatch-prod-root-events-to-central")},
		{"member_put_events", MemberPutEvents(e.EventBusARN(e.Region, "rootwatch-prod-member-root-events"))},
		{"chatbot_trust", ChatbotTrust(e)},
		{"chatbot_notifications", ChatbotNotifications()},
		{"root_guardrail", RootGuardrail(RootGuardrailArgs{})},
		{"root_guardrail_exemptions", RootGuardrail(guardrailExemptions)},
		{"athena_results_key", AthenaResultsKey(AthenaResultsKeyArgs{Env: e})},
		{
			"athena_results_bucket",
			AthenaResultsBucket(
				AthenaResultsBucketArgs{
					Env:       e,
					BucketARN: bucketARN(e, "rootwatch-athena-results"),
					KeyARN:    e.ARN("kms", e.Region, e.AccountID, "key/1234abcd-12ab-34cd-56ef-1234567890ab"),
				},
			),
		},
	}
}

// TestGolden compares every document, in every partition, with its golden file:
// testdata/<name>.<partition>.golden.json, or testdata/<name>.golden.json for a document that is the
// same in every partition (one file, not three copies; should it start to differ by partition, its
// per-partition files are missing and the test fails). Regenerate with: go test ./internal/policy -update
func TestGolden(t *testing.T) {
	byName := map[string]map[string]string{} // name -> partition -> JSON
	var names []string
	for _, e := range partEnvs {
		for _, d := range docs(e) {
			got, err := d.doc.JSON()
			if err != nil {
				t.Fatalf("%s in %s: %v", d.name, e.Partition, err)
			}
			if byName[d.name] == nil {
				byName[d.name] = map[string]string{}
				names = append(names, d.name)
			}
			byName[d.name][e.Partition] = got
		}
	}
	for _, name := range names {
		files := map[string]string{} // golden file -> JSON
		same := true
		for _, e := range partEnvs {
			same = same && byName[name][e.Partition] == byName[name][partEnvs[0].Partition]
		}
		for _, e := range partEnvs {
			file := name + "." + e.Partition + ".golden.json"
			if same {
				file = name + ".golden.json"
			}
			files[file] = byName[name][e.Partition]
		}
		for file, got := range files {
			t.Run(file, func(t *testing.T) {
				path := filepath.Join("testdata", file)
				if *update {
					if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/policy -update)", err)
				}
				if got+"\n" != string(want) {
					t.Errorf("%s differs from the golden file (run go test ./internal/policy -update and "+
						"review the diff):\n%s", path, got)
				}
			})
		}
	}
}

// TestPartitions_NoLiteralAWSPartition: outside the aws partition no document names an arn:aws: ARN,
// and each names its own partition's ARNs and CloudWatch Logs principal.
func TestPartitions_NoLiteralAWSPartition(t *testing.T) {
	for _, e := range []awsenv.Env{envCN, envGov} {
		var all strings.Builder
		for _, d := range docs(e) {
			s := d.doc.MustJSON()
			if strings.Contains(s, "arn:aws:") {
				t.Errorf("%s in %s names an arn:aws: ARN:\n%s", d.name, e.Partition, s)
			}
			all.WriteString(s)
		}
		for _, want := range []string{"arn:" + e.Partition + ":cloudtrail:" + e.Region + ":" + account + ":trail/" + trailName, "logs." + e.Region + "." + e.DNSSuffix} {
			if !strings.Contains(all.String(), want) {
				t.Errorf("%s documents do not name %s", e.Partition, want)
			}
		}
	}
}

// parsed is a marshalled document read back as AWS would.
type parsed = policytest.Doc

func parse(t *testing.T, d Document) parsed {
	t.Helper()
	return policytest.Parse(t, d.MustJSON())
}

var (
	list = policytest.List
	sid  = policytest.Sid
	cond = policytest.Cond
)

func eq(got []string, want ...string) bool { return fmt.Sprint(got) == fmt.Sprint(want) }

// TestCloudTrail_KMSKeyPolicy_SourceArn: CloudTrail uses the trail key only as this trail.
func TestCloudTrail_KMSKeyPolicy_SourceArn(t *testing.T) {
	for _, e := range partEnvs {
		p := parse(
			t,
			TrailKey(
				TrailKeyArgs{
					Env:                   e,
					TrailARN:              e.TrailARN(trailName),
					LogGroupARN:           e.LogGroupARN(lgName),
					DeliveryNotifications: true,
				},
			),
		)
		for _, id := range []string{SidCloudTrailEncryptLogs, SidCloudTrailDescribeKey, SidCloudTrailEncryptTopic} {
			s := sid(t, p, id)
			if fmt.Sprint(s.Principal) != "map[Service:cloudtrail.amazonaws.com]" {
				t.Errorf("%s %s: principal %v", e.Partition, id, s.Principal)
			}
			if !eq(cond(s, "StringEquals", "aws:SourceArn"), e.TrailARN(trailName)) {
				t.Errorf("%s %s: aws:SourceArn %v", e.Partition, id, s.Condition)
			}
		}
	}
}

// TestCloudTrail_KMSKeyPolicy_EncryptionContext: CloudTrail encrypts, and account principals
// decrypt, only CloudTrail files of this account's trails.
func TestCloudTrail_KMSKeyPolicy_EncryptionContext(t *testing.T) {
	for _, e := range partEnvs {
		p := parse(
			t,
			TrailKey(
				TrailKeyArgs{
					Env:            e,
					TrailARN:       e.TrailARN(trailName),
					LogGroupARN:    e.LogGroupARN(lgName),
					OrganizationID: orgID,
				},
			),
		)
		want := "arn:" + e.Partition + ":cloudtrail:*:" + account + ":trail/*"
		enc := sid(t, p, SidCloudTrailEncryptLogs)
		if !eq(list(enc.Action), "kms:GenerateDataKey*") ||
			!eq(cond(enc, "StringLike", "kms:EncryptionContext:aws:cloudtrail:arn"), want) {
			t.Errorf("%s encrypt statement %+v", e.Partition, enc)
		}
		dec := sid(t, p, SidAccountDecryptLogs)
		if !eq(list(dec.Action), "kms:Decrypt", "kms:ReEncryptFrom") ||
			!eq(cond(dec, "StringEquals", "kms:CallerAccount"), account) ||
			!eq(cond(dec, "StringLike", "kms:EncryptionContext:aws:cloudtrail:arn"), want) {
			t.Errorf("%s decrypt statement %+v", e.Partition, dec)
		}
		if fmt.Sprint(dec.Principal) != "map[AWS:*]" {
			t.Errorf("%s decrypt principal %v", e.Partition, dec.Principal)
		}
	}
}

// TestOrganizationTrailFromDelegatedAdmin: deployed from CloudTrail's delegated administrator, the
// key and bucket policies name the trail as AWS records it, the management account's (it owns the
// organization trail): aws:SourceArn, the encryption context and the trail owner's AWSLogs folder;
// only the key's own readers stay the deploying account's. An account trail of another account is
// refused.
func TestOrganizationTrailFromDelegatedAdmin(t *testing.T) {
	for _, e := range partEnvs {
		trail := e.InAccount(management).TrailARN(trailName)
		if want := "arn:" + e.Partition + ":cloudtrail:" + e.Region + ":" + management + ":trail/" + trailName; trail != want {
			t.Fatalf("%s trail ARN %s, want %s", e.Partition, trail, want)
		}
		key := parse(
			t,
			TrailKey(
				TrailKeyArgs{
					Env:                   e,
					TrailARN:              trail,
					LogGroupARN:           e.LogGroupARN(lgName),
					OrganizationID:        orgID,
					DeliveryNotifications: true,
				},
			),
		)
		for _, id := range []string{SidCloudTrailEncryptLogs, SidCloudTrailDescribeKey, SidCloudTrailEncryptTopic} {
			if s := sid(t, key, id); !eq(cond(s, "StringEquals", "aws:SourceArn"), trail) {
				t.Errorf("%s %s: aws:SourceArn %v", e.Partition, id, s.Condition)
			}
		}
		context := "arn:" + e.Partition + ":cloudtrail:*:" + management + ":trail/*"
		if s := sid(t, key, SidCloudTrailEncryptLogs); !eq(
			cond(s, "StringLike", "kms:EncryptionContext:aws:cloudtrail:arn"),
			context,
		) {
			t.Errorf("%s encrypt: encryption context %v", e.Partition, s.Condition)
		}
		dec := sid(t, key, SidAccountDecryptLogs)
		if !eq(cond(dec, "StringEquals", "kms:CallerAccount"), account) ||
			!eq(cond(dec, "StringLike", "kms:EncryptionContext:aws:cloudtrail:arn"), context) {
			t.Errorf("%s decrypt: %v", e.Partition, dec.Condition)
		}

		bucket := parse(
			t,
			TrailBucket(
				TrailBucketArgs{
					Env:            e,
					BucketARN:      bucketARN(e, "ct-bucket"),
					KeyPrefix:      "ct",
					TrailARN:       trail,
					OrganizationID: orgID,
				},
			),
		)
		for id, folder := range map[string]string{SidCloudTrailWrite: management, SidCloudTrailOrgWrite: orgID} {
			s := sid(t, bucket, id)
			if !eq(list(s.Resource), bucketARN(e, "ct-bucket")+"/ct/AWSLogs/"+folder+"/*") ||
				!eq(cond(s, "StringEquals", "aws:SourceArn"), trail) {
				t.Errorf("%s %s: %v %v", e.Partition, id, s.Resource, s.Condition)
			}
		}
		if s := sid(t, bucket, SidCloudTrailAclCheck); !eq(cond(s, "StringEquals", "aws:SourceArn"), trail) {
			t.Errorf("%s acl check: %v", e.Partition, s.Condition)
		}

		for name, err := range map[string]error{
			"key":    TrailKey(TrailKeyArgs{Env: e, TrailARN: trail, LogGroupARN: e.LogGroupARN(lgName)}).Err(),
			"bucket": TrailBucket(TrailBucketArgs{Env: e, BucketARN: bucketARN(e, "ct-bucket"), TrailARN: trail}).Err(),
		} {
			if err == nil || !strings.Contains(err.Error(), "belongs to account "+management) {
				t.Errorf("%s %s: account trail of another account: %v", e.Partition, name, err)
			}
		}
	}
}

// TestCloudTrail_KMSKeyPolicy_Administration: the account root administers the key unless
// administrators are named; then exactly they do (deduplicated).
func TestCloudTrail_KMSKeyPolicy_Administration(t *testing.T) {
	base := TrailKeyArgs{Env: envAWS, TrailARN: envAWS.TrailARN(trailName), LogGroupARN: envAWS.LogGroupARN(lgName)}
	s := sid(t, parse(t, TrailKey(base)), SidKeyAdministration)
	if !eq(list(s.Action), "kms:*") || fmt.Sprint(s.Principal) != "map[AWS:arn:aws:iam::"+account+":root]" {
		t.Errorf("default administration %+v", s)
	}
	role := "arn:aws:iam::" + account + ":role/SecurityAdmin"
	base.AdminARNs = []string{role, role, "arn:aws:iam::444455556666:root"}
	s = sid(t, parse(t, TrailKey(base)), SidKeyAdministration)
	if got := list(s.Principal.(map[string]any)["AWS"]); !eq(got, role, "arn:aws:iam::444455556666:root") {
		t.Errorf("administrators %v", got)
	}
}

// TestCloudWatchLogs_KMSKeyPolicy_LogGroupOnly: the regional CloudWatch Logs principal may use the
// key only for the trail's log group.
func TestCloudWatchLogs_KMSKeyPolicy_LogGroupOnly(t *testing.T) {
	for _, e := range partEnvs {
		s := sid(
			t,
			parse(
				t,
				TrailKey(TrailKeyArgs{Env: e, TrailARN: e.TrailARN(trailName), LogGroupARN: e.LogGroupARN(lgName)}),
			),
			SidCloudWatchLogsUseKey,
		)
		if fmt.Sprint(s.Principal) != "map[Service:logs."+e.Region+"."+e.DNSSuffix+"]" {
			t.Errorf("%s logs principal %v", e.Partition, s.Principal)
		}
		if !eq(
			cond(s, "ArnEquals", "kms:EncryptionContext:aws:logs:arn"),
			"arn:"+e.Partition+":logs:"+e.Region+":"+account+":log-group:"+lgName,
		) {
			t.Errorf("%s logs condition %v", e.Partition, s.Condition)
		}
	}
}

// TestCloudTrail_KMSKeyPolicy_NotificationsOptional: CloudTrail gets Decrypt for the delivery topic
// only when notifications are on.
func TestCloudTrail_KMSKeyPolicy_NotificationsOptional(t *testing.T) {
	p := parse(
		t,
		TrailKey(
			TrailKeyArgs{Env: envAWS, TrailARN: envAWS.TrailARN(trailName), LogGroupARN: envAWS.LogGroupARN(lgName)},
		),
	)
	for _, s := range p.Statement {
		if s.Sid == SidCloudTrailEncryptTopic {
			t.Error("topic statement present without DeliveryNotifications")
		}
	}
}

// TestS3_5_DenyInsecureTransport (CIS 2.1.1): both buckets deny every non-TLS request, on the
// bucket and its objects.
func TestS3_5_DenyInsecureTransport(t *testing.T) {
	for _, e := range partEnvs {
		b := bucketARN(e, "ct-bucket")
		for name, d := range map[string]Document{
			"trail bucket": TrailBucket(TrailBucketArgs{Env: e, BucketARN: b, TrailARN: e.TrailARN(trailName)}),
			"access log bucket": AccessLogBucket(
				AccessLogBucketArgs{Env: e, BucketARN: b, SourceBucketARN: bucketARN(e, "other")},
			),
		} {
			s := sid(t, parse(t, d), SidDenyInsecureTransport)
			if s.Effect != "Deny" || s.Principal != "*" || !eq(list(s.Action), "s3:*") ||
				!eq(list(s.Resource), b, b+"/*") || !eq(cond(s, "Bool", "aws:SecureTransport"), "false") {
				t.Errorf("%s %s: %+v", e.Partition, name, s)
			}
		}
	}
}

// TestCloudTrail_6_BucketPolicyLeastPrivilege (CIS 3.3): CloudTrail reads the ACL and writes only
// the account's folder under the prefix, as this trail, with bucket-owner-full-control.
func TestCloudTrail_6_BucketPolicyLeastPrivilege(t *testing.T) {
	for _, e := range partEnvs {
		trail := e.TrailARN(trailName)
		p := parse(
			t,
			TrailBucket(
				TrailBucketArgs{Env: e, BucketARN: bucketARN(e, "ct-bucket"), KeyPrefix: "a/b", TrailARN: trail},
			),
		)
		acl := sid(t, p, SidCloudTrailAclCheck)
		if !eq(list(acl.Action), "s3:GetBucketAcl") || !eq(list(acl.Resource), bucketARN(e, "ct-bucket")) ||
			!eq(cond(acl, "StringEquals", "aws:SourceArn"), trail) {
			t.Errorf("%s ACL check %+v", e.Partition, acl)
		}
		w := sid(t, p, SidCloudTrailWrite)
		if !eq(list(w.Resource), bucketARN(e, "ct-bucket")+"/a/b/AWSLogs/"+account+"/*") ||
			!eq(cond(w, "StringEquals", "s3:x-amz-acl"), "bucket-owner-full-control") ||
			!eq(cond(w, "StringEquals", "aws:SourceArn"), trail) {
			t.Errorf("%s write %+v", e.Partition, w)
		}
		if len(p.Statement) != 3 {
			t.Errorf("%s: %d statements, want deny, ACL check and write only", e.Partition, len(p.Statement))
		}
	}
}

// TestCloudTrail_BucketPolicy_OrganizationTrail: an organization trail also writes AWSLogs/<org id>/.
func TestCloudTrail_BucketPolicy_OrganizationTrail(t *testing.T) {
	trail := envAWS.TrailARN(trailName)
	p := parse(
		t,
		TrailBucket(
			TrailBucketArgs{Env: envAWS, BucketARN: bucketARN(envAWS, "b"), TrailARN: trail, OrganizationID: orgID},
		),
	)
	org := sid(t, p, SidCloudTrailOrgWrite)
	if !eq(list(org.Resource), "arn:aws:s3:::b/AWSLogs/"+orgID+"/*") ||
		!eq(cond(org, "StringEquals", "aws:SourceArn"), trail) ||
		!eq(cond(org, "StringEquals", "s3:x-amz-acl"), "bucket-owner-full-control") {
		t.Errorf("org write %+v", org)
	}
	if acct := sid(t, p, SidCloudTrailWrite); !eq(list(acct.Resource), "arn:aws:s3:::b/AWSLogs/"+account+"/*") {
		t.Errorf("account write %+v", acct)
	}
}

// TestConfusedDeputy_ServerAccessLogs: S3 log delivery writes only logs of the source bucket of
// this account.
func TestConfusedDeputy_ServerAccessLogs(t *testing.T) {
	for _, e := range partEnvs {
		s := sid(
			t,
			parse(
				t,
				AccessLogBucket(
					AccessLogBucketArgs{
						Env:             e,
						BucketARN:       bucketARN(e, "logs"),
						SourceBucketARN: bucketARN(e, "src"),
						TargetPrefix:    "s3-access/",
					},
				),
			),
			SidServerAccessLogs,
		)
		if fmt.Sprint(s.Principal) != "map[Service:logging.s3.amazonaws.com]" || !eq(list(s.Action), "s3:PutObject") ||
			!eq(list(s.Resource), bucketARN(e, "logs")+"/s3-access/*") ||
			!eq(cond(s, "ArnLike", "aws:SourceArn"), bucketARN(e, "src")) ||
			!eq(cond(s, "StringEquals", "aws:SourceAccount"), account) {
			t.Errorf("%s: %+v", e.Partition, s)
		}
	}
}

// TestConfusedDeputy_CloudTrailLogsRole: the delivery role trusts only the CloudTrail service, with
// no source conditions (CloudTrail does not send them for this role, see CloudTrailLogsTrust), and
// may only write the log group's streams.
func TestConfusedDeputy_CloudTrailLogsRole(t *testing.T) {
	for _, e := range partEnvs {
		trail := e.TrailARN(trailName)
		p := parse(t, CloudTrailLogsTrust(e, trail))
		if len(p.Statement) != 1 {
			t.Fatalf("%d trust statements", len(p.Statement))
		}
		s := p.Statement[0]
		if s.Effect != "Allow" || !eq(list(s.Action), "sts:AssumeRole") ||
			fmt.Sprint(s.Principal) != "map[Service:cloudtrail.amazonaws.com]" ||
			s.Resource != nil ||
			len(s.Condition) != 0 {
			t.Errorf("%s trust %+v", e.Partition, s)
		}
		var actions []string
		for _, s := range parse(t, CloudTrailLogsDelivery(e, lgName)).Statement {
			if s.Principal != nil || !eq(list(s.Resource), e.LogGroupARN(lgName)+":log-stream:*") {
				t.Errorf("%s delivery %+v", e.Partition, s)
			}
			actions = append(actions, list(s.Action)...)
		}
		if !eq(actions, "logs:CreateLogStream", "logs:PutLogEvents") {
			t.Errorf("%s delivery actions %v", e.Partition, actions)
		}
	}
}

// TestConfusedDeputy_EveryServiceGrantIsScoped: every Allow to an AWS service, in every document,
// is limited by aws:SourceArn, aws:SourceAccount or the service's encryption context, except the
// three grants where AWS does not send (or documents no value for) those keys: EventBridge on the
// topic key (TopicKey; the topic policy scopes it), CloudTrail assuming its CloudWatch Logs role
// (CloudTrailLogsTrust; the role's own policy scopes it to one log group) and Amazon Q Developer in
// chat applications assuming the channel role (ChatbotTrust; the role can only read CloudWatch,
// ChatbotNotifications).
func TestConfusedDeputy_EveryServiceGrantIsScoped(t *testing.T) {
	scoping := []string{"aws:SourceArn", "aws:SourceAccount", "kms:EncryptionContext:aws:logs:arn"}
	for _, e := range partEnvs {
		for _, d := range docs(e) {
			for _, s := range parse(t, d.doc).Statement {
				m, ok := s.Principal.(map[string]any)
				if s.Effect != "Allow" || !ok || m["Service"] == nil {
					continue
				}
				if s.Sid == SidCloudTrailAssumeRole {
					continue // CloudTrail sends no source keys when assuming the logs role (CloudTrailLogsTrust)
				}
				if s.Sid == SidChatbotAssumeRole {
					continue // no documented source keys for the chat channel role (ChatbotTrust); it only reads CloudWatch
				}
				if s.Sid == SidEventBridgeUseKey {
					if len(s.Condition) != 0 {
						t.Errorf("%s %s: EventBridge's KMS requests carry no source keys; a condition here drops "+
							"every rule notification: %v", e.Partition, d.name, s.Condition)
					}
					continue
				}
				scoped := false
				for _, keys := range s.Condition {
					for _, k := range scoping {
						if _, ok := keys[k]; ok {
							scoped = true
						}
					}
				}
				if !scoped {
					t.Errorf(
						"%s %s %s: service grant without a confused-deputy condition: %v",
						e.Partition,
						d.name,
						s.Sid,
						s.Condition,
					)
				}
			}
		}
	}
}

// TestNoUnconditionedWildcardPrincipal: no document allows "*" (or AWS "*") without a condition.
func TestNoUnconditionedWildcardPrincipal(t *testing.T) {
	for _, e := range partEnvs {
		for _, d := range docs(e) {
			for _, s := range parse(t, d.doc).Statement {
				if s.Effect == "Allow" && strings.Contains(fmt.Sprint(s.Principal), "*") && len(s.Condition) == 0 {
					t.Errorf("%s %s %s allows anyone without a condition", e.Partition, d.name, s.Sid)
				}
			}
		}
	}
}

// TestSNS_TopicPolicy_DeniesNonTLS (SNS encryption in transit): both topics deny Publish without TLS.
func TestSNS_TopicPolicy_DeniesNonTLS(t *testing.T) {
	for _, e := range partEnvs {
		arn := topicARN(e, "t")
		for name, d := range map[string]Document{
			"alarm topic":    Topic(TopicArgs{Env: e, TopicARN: arn}),
			"delivery topic": DeliveryTopic(e, arn, e.TrailARN(trailName)),
		} {
			s := sid(t, parse(t, d), SidDenyInsecurePublish)
			if s.Effect != "Deny" || s.Principal != "*" || !eq(list(s.Action), "sns:Publish") ||
				!eq(list(s.Resource), arn) ||
				!eq(cond(s, "Bool", "aws:SecureTransport"), "false") {
				t.Errorf("%s %s: %+v", e.Partition, name, s)
			}
		}
	}
}

// TestSNS_TopicPolicy_PublishOnlyByThisAccount: only this account's alarms and rules publish, and
// the owner statement names the account, not "*".
func TestSNS_TopicPolicy_PublishOnlyByThisAccount(t *testing.T) {
	for _, e := range partEnvs {
		arn := topicARN(e, "t")
		p := parse(t, Topic(TopicArgs{Env: e, TopicARN: arn}))
		for id, want := range map[string][2]string{
			SidCloudWatchPublish:  {"cloudwatch.amazonaws.com", "arn:" + e.Partition + ":cloudwatch:" + e.Region + ":" + account + ":alarm:*"},
			SidEventBridgePublish: {"events.amazonaws.com", "arn:" + e.Partition + ":events:" + e.Region + ":" + account + ":rule/*"},
		} {
			s := sid(t, p, id)
			if fmt.Sprint(s.Principal) != "map[Service:"+want[0]+"]" || !eq(list(s.Action), "sns:Publish") ||
				!eq(list(s.Resource), arn) ||
				!eq(cond(s, "StringEquals", "aws:SourceAccount"), account) ||
				!eq(cond(s, "ArnLike", "aws:SourceArn"), want[1]) {
				t.Errorf("%s %s: %+v", e.Partition, id, s)
			}
		}
		owner := sid(t, p, SidTopicOwner)
		if fmt.Sprint(owner.Principal) != "map[AWS:"+e.AccountRootARN()+"]" ||
			!eq(cond(owner, "StringEquals", "AWS:SourceOwner"), account) ||
			!eq(list(owner.Action), TopicOwnerActions...) {
			t.Errorf("%s owner %+v", e.Partition, owner)
		}
	}
}

// TestSNS_DeliveryTopic_OnlyThisTrail: CloudTrail publishes delivery notifications only as this trail.
func TestSNS_DeliveryTopic_OnlyThisTrail(t *testing.T) {
	trail := envGov.TrailARN(trailName)
	s := sid(t, parse(t, DeliveryTopic(envGov, topicARN(envGov, "d"), trail)), SidCloudTrailPublish)
	if fmt.Sprint(s.Principal) != "map[Service:cloudtrail.amazonaws.com]" ||
		!eq(cond(s, "StringEquals", "aws:SourceArn"), trail) {
		t.Errorf("%+v", s)
	}
}

// TestSNS_1_TopicKey_ServicesOfThisAccountOnly: CloudWatch (this account's alarms only) and
// EventBridge (scoped by the topic policy, see TopicKey) may use the topic key.
func TestSNS_1_TopicKey_ServicesOfThisAccountOnly(t *testing.T) {
	for _, e := range partEnvs {
		p := parse(t, TopicKey(TopicKeyArgs{Env: e}))
		for id, svc := range map[string]string{
			SidCloudWatchUseKey: "cloudwatch.amazonaws.com", SidEventBridgeUseKey: "events.amazonaws.com",
		} {
			s := sid(t, p, id)
			wantAccount := []string{account}
			if id == SidEventBridgeUseKey {
				wantAccount = nil
			}
			if fmt.Sprint(s.Principal) != "map[Service:"+svc+"]" ||
				!eq(list(s.Action), "kms:GenerateDataKey*", "kms:Decrypt") ||
				!eq(cond(s, "StringEquals", "aws:SourceAccount"), wantAccount...) {
				t.Errorf("%s %s: %+v", e.Partition, id, s)
			}
		}
		if s := sid(t, p, SidKeyAdministration); fmt.Sprint(s.Principal) != "map[AWS:"+e.AccountRootARN()+"]" {
			t.Errorf("%s admin %+v", e.Partition, s)
		}
	}
}

// keyUseOrChange are KMS actions that use the key or change who controls it: none may reach the
// account's IAM policies when administrators are named (rootwatch:keyAdminArns).
// https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html
var keyUseOrChange = []string{
	"kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
	"kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:GenerateMac", "kms:Sign",
	"kms:PutKeyPolicy", "kms:CreateGrant", "kms:RetireGrant", "kms:RevokeGrant", "kms:ScheduleKeyDeletion",
	"kms:CancelKeyDeletion", "kms:DisableKey", "kms:EnableKey", "kms:UpdateAlias", "kms:CreateAlias",
	"kms:TagResource", "kms:UntagResource", "kms:ImportKeyMaterial",
}

// actionMatches says whether an IAM action pattern (* wildcards, any case) matches action.
func actionMatches(pattern, action string) bool {
	ok, _ := path.Match(strings.ToLower(pattern), strings.ToLower(action))
	return ok
}

// TestKMS_TopicKey_KeyAdmins_AccountMayReadNotUse: with named key administrators the account's IAM
// policies may still read the topic key's metadata and policy (what rootwatch audit's
// alert-topic-encryption calls, with the documented read-only policy), and nothing else: no
// statement naming the account root, or everyone, allows using the key or changing its policy or
// grants. Without named administrators the account root administers the key and no read statement
// is added; nor when the administrators include the account root.
func TestKMS_TopicKey_KeyAdmins_AccountMayReadNotUse(t *testing.T) {
	for _, e := range partEnvs {
		admin := "arn:" + e.Partition + ":iam::" + account + ":role/SecurityAdmin"
		p := parse(t, TopicKey(TopicKeyArgs{Env: e, AdminARNs: []string{admin}}))
		s := sid(t, p, SidAccountReadKey)
		if fmt.Sprint(s.Principal) != "map[AWS:"+e.AccountRootARN()+"]" ||
			!eq(list(s.Action), "kms:DescribeKey", "kms:GetKeyPolicy") ||
			s.Effect != "Allow" ||
			len(s.Condition) != 0 {
			t.Errorf("%s: read statement %+v", e.Partition, s)
		}
		if a := sid(t, p, SidKeyAdministration); fmt.Sprint(a.Principal) != "map[AWS:"+admin+"]" {
			t.Errorf("%s: administration %+v", e.Partition, a)
		}
		for _, st := range p.Statement {
			who := fmt.Sprint(st.Principal)
			if st.Effect != "Allow" ||
				!(strings.Contains(who, e.AccountRootARN()) || strings.Contains(who, "AWS:*") || who == "*") {
				continue
			}
			for _, pat := range list(st.Action) {
				if !slices.Contains(AccountReadKeyActions, pat) {
					t.Errorf(
						"%s: statement %s allows %s to the account's IAM policies; want only %v",
						e.Partition,
						st.Sid,
						pat,
						AccountReadKeyActions,
					)
				}
				for _, act := range keyUseOrChange {
					if actionMatches(pat, act) {
						t.Errorf(
							"%s: statement %s lets the account's IAM policies %s the key",
							e.Partition,
							st.Sid,
							act,
						)
					}
				}
			}
		}
		for name, d := range map[string]Document{
			"no administrators":         TopicKey(TopicKeyArgs{Env: e}),
			"administrators incl. root": TopicKey(TopicKeyArgs{Env: e, AdminARNs: []string{admin, e.AccountRootARN()}}),
		} {
			for _, st := range parse(t, d).Statement {
				if st.Sid == SidAccountReadKey {
					t.Errorf("%s %s: a read statement beside the account root's administration", e.Partition, name)
				}
			}
		}
	}
}

func TestEnvHelpers(t *testing.T) {
	cases := []struct{ got, want string }{
		{envAWS.AccountRootARN(), "arn:aws:iam::111122223333:root"},
		{envCN.AccountRootARN(), "arn:aws-cn:iam::111122223333:root"},
		{envGov.TrailARN("t"), "arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/t"},
		{envCN.LogGroupARN("/a/b"), "arn:aws-cn:logs:cn-north-1:111122223333:log-group:/a/b"},
		{envCN.ServicePrincipal("cloudtrail"), "cloudtrail.amazonaws.com"},
		{envCN.LogsServicePrincipal(), "logs.cn-north-1.amazonaws.com.cn"},
		{envGov.LogsServicePrincipal(), "logs.us-gov-west-1.amazonaws.com"},
		{envAWS.LogsServicePrincipal(), "logs.us-east-1.amazonaws.com"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}

// TestConstructorArgumentErrors: bad arguments surface from JSON with the function and field.
func TestConstructorArgumentErrors(t *testing.T) {
	trail := envAWS.TrailARN(trailName)
	lg := envAWS.LogGroupARN(lgName)
	cases := []struct {
		name string
		doc  Document
		want string
	}{
		{"bad env", TrailKey(TrailKeyArgs{Env: awsenv.Env{Partition: "aws", DNSSuffix: "amazonaws.com", AccountID: "1", Region: "us-east-1"}, TrailARN: trail, LogGroupARN: lg}),
			`policy: TrailKey: Env: invalid AWS environment: AccountID "1" is not an AWS account id`},
		{"empty trail", TrailKey(TrailKeyArgs{Env: envAWS, LogGroupARN: lg}), `policy: TrailKey: TrailARN "" is not a cloudtrail ARN of partition aws`},
		{"trail of other partition", TrailKey(TrailKeyArgs{Env: envCN, TrailARN: trail, LogGroupARN: envCN.LogGroupARN(lgName)}), `TrailARN "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-root-watch" is not a cloudtrail ARN of partition aws-cn`},
		{"log group with star", TrailKey(TrailKeyArgs{Env: envAWS, TrailARN: trail, LogGroupARN: lg + ":*"}), `ends with ":*"`},
		{"bad org", TrailKey(TrailKeyArgs{Env: envAWS, TrailARN: trail, LogGroupARN: lg, OrganizationID: "org"}), `OrganizationID "org" is not an AWS Organizations id`},
		{"bad admin", TrailKey(TrailKeyArgs{Env: envAWS, TrailARN: trail, LogGroupARN: lg, AdminARNs: []string{"root"}}), `AdminARNs[0] "root" is not an IAM principal ARN`},
		{"bad bucket", TrailBucket(TrailBucketArgs{Env: envAWS, BucketARN: "ct-bucket", TrailARN: trail}), `policy: TrailBucket: BucketARN "ct-bucket" is not an S3 bucket ARN of partition aws like arn:aws:s3:::my-bucket`},
		{"slash prefix", TrailBucket(TrailBucketArgs{Env: envAWS, BucketARN: bucketARN(envAWS, "b"), KeyPrefix: "ct/", TrailARN: trail}), `KeyPrefix "ct/" starts or ends with "/"`},
		{"self logging", AccessLogBucket(AccessLogBucketArgs{Env: envAWS, BucketARN: bucketARN(envAWS, "b"), SourceBucketARN: bucketARN(envAWS, "b")}), "loops forever"},
		{"wildcard log prefix", AccessLogBucket(AccessLogBucketArgs{Env: envAWS, BucketARN: bucketARN(envAWS, "b"), SourceBucketARN: bucketARN(envAWS, "c"), TargetPrefix: "logs/*"}), `TargetPrefix "logs/*" is not a key prefix`},
		{"trust without trail", CloudTrailLogsTrust(envAWS, ""), `policy: CloudTrailLogsTrust: trailARN ""`},
		{"empty log group", CloudTrailLogsDelivery(envAWS, ""), `logGroupName "" is not a CloudWatch Logs group name`},
		{
			"topic key admin",
			TopicKey(TopicKeyArgs{Env: envAWS, AdminARNs: []string{"arn:aws-cn:iam::111122223333:root"}}),
			`AdminARNs[0] "arn:aws-cn:iam::111122223333:root" is not an IAM principal ARN of partition aws`,
		},
		{
			"bad topic",
			Topic(TopicArgs{Env: envAWS, TopicARN: "arn:aws:sns:us-east-1:1:t"}),
			`policy: Topic: TopicARN "arn:aws:sns:us-east-1:1:t" is not an SNS topic ARN`,
		},
		{"delivery topic", DeliveryTopic(envAWS, topicARN(envAWS, "t"), "x"), `policy: DeliveryTopic: trailARN "x"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.doc.JSON()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to contain %q", err, c.want)
			}
			if c.doc.Err() == nil {
				t.Error("Err() is nil")
			}
		})
	}
}

// TestJSON_Validation: JSON refuses documents AWS would refuse or that say something unintended.
func TestJSON_Validation(t *testing.T) {
	ok := Statement{
		Sid:       "A",
		Effect:    "Allow",
		Principal: ServicePrincipals("cloudtrail.amazonaws.com"),
		Action:    []string{"s3:GetBucketAcl"},
		Resource:  []string{"arn:aws:s3:::b"},
	}
	with := func(f func(*Statement)) Statement { s := ok; f(&s); return s }
	cases := []struct {
		name string
		doc  Document
		want string
	}{
		{"no statement", Document{Version: Version}, "the document has no statement"},
		{"version", Document{Version: "2008-10-17", Statement: []Statement{ok}}, `Version is "2008-10-17"`},
		{"effect", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Effect = "allow" })}}, `Effect "allow" is neither Allow nor Deny`},
		{"no action", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Action = nil })}}, "no Action"},
		{"bad action", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Action = []string{"GetBucketAcl"} })}}, `Action "GetBucketAcl" is not service:Action`},
		{"empty action", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Action = []string{""} })}}, "Action has an empty value"},
		{"duplicate action", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Action = []string{"s3:A", "s3:A"} })}}, `Action lists "s3:A" twice`},
		{"no resource", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Resource = nil })}}, "no Resource"},
		{"bad resource", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Resource = []string{"bucket"} })}}, `Resource "bucket" is neither "*" nor an ARN`},
		{"no principal", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Principal = nil })}}, "a resource policy statement needs a Principal"},
		{"empty principal", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Principal = &Principal{} })}}, "needs a Principal"},
		{"any and named", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Principal = &Principal{Any: true, AWS: []string{"*"}} })}}, `Principal "*" cannot also name`},
		{"empty service", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Principal = ServicePrincipals("") })}}, "Principal.Service has an empty value"},
		{"bad aws principal", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Principal = AWSPrincipal("root") })}}, `Principal.AWS "root" is neither`},
		{"duplicate sid", Document{Version: Version, Statement: []Statement{ok, ok}}, `statement 1 (A): Sid "A" is also used by statement 0`},
		{"sid characters", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Sid = "Allow CloudTrail" })}}, "may contain only letters and digits"},
		{"empty condition", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Condition = Condition{"StringEquals": {}} })}}, "Condition StringEquals has no key"},
		{"empty condition value", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Condition = Condition{"StringEquals": {"aws:SourceArn": {""}}} })}}, "Condition StringEquals aws:SourceArn has an empty value"},
		{"no condition value", Document{Version: Version, Statement: []Statement{with(func(s *Statement) { s.Condition = Condition{"StringEquals": {"aws:SourceArn": nil}} })}}, "aws:SourceArn has no value"},
		{"trust with resource", Document{Version: Version, Kind: TrustPolicy, Statement: []Statement{with(func(s *Statement) { s.Action = []string{"sts:AssumeRole"} })}}, "a trust policy names no Resource"},
		{"trust non-sts action", Document{Version: Version, Kind: TrustPolicy, Statement: []Statement{with(func(s *Statement) { s.Resource = nil })}}, "is not an sts: action"},
		{"identity with principal", Document{Version: Version, Kind: IdentityPolicy, Statement: []Statement{ok}}, "an identity policy names no Principal"},
		{"unknown kind", Document{Version: Version, Kind: Kind(7), Statement: []Statement{ok}}, "unknown Kind 7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.doc.JSON()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
	if _, err := (Document{Version: Version, Statement: []Statement{ok}}).JSON(); err != nil {
		t.Errorf("valid document: %v", err)
	}
}

func TestMustJSONPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustJSON did not panic on an invalid document")
		}
	}()
	Document{}.MustJSON()
}

// TestJSON_Deterministic: the same document gives the same bytes, whatever the map order, with
// sorted condition operators and keys and single values as strings.
func TestJSON_Deterministic(t *testing.T) {
	mk := func() Document {
		c := Condition{}
		for _, op := range []string{"StringLike", "ArnLike", "StringEquals", "Bool", "Null"} {
			c[op] = map[string][]string{}
			for _, k := range []string{"z:key", "a:key", "m:key"} {
				c[op][k] = []string{"v"}
			}
		}
		return Document{
			Version: Version,
			Statement: []Statement{
				{
					Sid:       "S",
					Effect:    "Allow",
					Principal: AnyPrincipal(),
					Action:    []string{"s3:GetObject"},
					Resource:  []string{"*"},
					Condition: c,
				},
			},
		}
	}
	first := mk().MustJSON()
	for i := 0; i < 50; i++ {
		if got := mk().MustJSON(); got != first {
			t.Fatalf("run %d differs:\n%s\n%s", i, first, got)
		}
	}
	compact := strings.Join(strings.Fields(first), "")
	want := `"Condition":{"ArnLike":{"a:key":"v","m:key":"v","z:key":"v"},"Bool":`
	if !strings.Contains(compact, want) {
		t.Errorf("conditions not sorted or not single strings:\n%s", first)
	}
	if !strings.Contains(compact, `"Principal":"*"`) || !strings.Contains(compact, `"Action":"s3:GetObject"`) {
		t.Errorf("single values not marshalled as strings:\n%s", first)
	}
	if !strings.HasPrefix(compact, `{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Principal"`) {
		t.Errorf("element order:\n%s", first)
	}
	for _, e := range partEnvs {
		for _, d := range docs(e) {
			if once, again := d.doc.MustJSON(), d.doc.MustJSON(); once != again {
				t.Errorf("%s not deterministic", d.name)
			}
		}
	}
}

// TestJSON_NoHTMLEscaping: characters like & stay readable.
func TestJSON_NoHTMLEscaping(t *testing.T) {
	d := Document{
		Version: Version,
		Statement: []Statement{
			{Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/a&b<c>"},
				Condition: Condition{"StringLike": {"s3:prefix": {"a&b"}}}},
		},
		Kind: IdentityPolicy,
	}
	s := d.MustJSON()
	if strings.Contains(s, `\u0026`) || !strings.Contains(s, "a&b<c>") {
		t.Errorf("escaped: %s", s)
	}
}

// TestChatbotChannelRoleIsNotificationsOnly: the chat channel role and its guardrail allow reading
// CloudWatch and nothing else (no IAM, no logs, no SNS), so a channel member cannot act through it.
func TestChatbotChannelRoleIsNotificationsOnly(t *testing.T) {
	d := parse(t, ChatbotNotifications())
	if len(d.Statement) != 1 {
		t.Fatalf("%d statements", len(d.Statement))
	}
	s := d.Statement[0]
	if s.Effect != "Allow" || !eq(list(s.Action), "cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*") {
		t.Errorf("chat notifications %+v", s)
	}
}

// TestEventBridgePutEventsOnlyOneBus: the forwarding role may put events on the one bus it names,
// and a bus ARN that is not one is refused.
func TestEventBridgePutEventsOnlyOneBus(t *testing.T) {
	bus := "arn:aws:events:us-east-1:111122223333:event-bus/default"
	s := parse(t, EventBridgePutEvents(bus)).Statement[0]
	if !eq(list(s.Action), "events:PutEvents") || !eq(list(s.Resource), bus) {
		t.Errorf("put events %+v", s)
	}
	if _, err := EventBridgePutEvents("arn:aws:events:us-east-1:111122223333:event-bus/*").JSON(); err == nil {
		t.Error("a wildcard bus is accepted")
	}
	if _, err := EventBridgePutEvents("arn:aws:sns:us-east-1:111122223333:topic").JSON(); err == nil {
		t.Error("a topic ARN is accepted as an event bus")
	}
}

// TestOrganizationBusOnlyTheOrganizationsForwardingRoles: the central bus admits events:PutEvents
// on itself alone, from principals of this organization alone, and of those only the forwarding
// roles under the bus's own rootwatch path (aws:PrincipalArn, ArnLike, any account, this
// partition): not every user and role of the organization. A bad organization id or bus ARN is
// refused.
func TestOrganizationBusOnlyTheOrganizationsForwardingRoles(t *testing.T) {
	for _, e := range []awsenv.Env{envAWS, envCN} {
		bus := e.EventBusARN(e.Region, "central")
		s := parse(t, OrganizationBus(e, bus, orgID)).Statement[0]
		want := "map[ArnLike:map[aws:PrincipalArn:arn:" + e.Partition + ":iam::*:role/rootwatch/central/*] " +
			"StringEquals:map[aws:PrincipalOrgID:o-a1b2c3d4e5]]"
		if s.Action != "events:PutEvents" || s.Resource != bus || s.Principal != "*" ||
			fmt.Sprint(s.Condition) != want {
			t.Errorf("statement %+v, want condition %s", s, want)
		}
		d := parse(t, OrganizationBus(e, bus, orgID))
		if len(d.Statement) != 2 {
			t.Fatalf("%d statements, want the grant and the partner deny", len(d.Statement))
		}
		deny := d.Statement[1]
		if deny.Effect != "Deny" || deny.Action != "events:PutEvents" || deny.Resource != bus ||
			deny.Principal != "*" ||
			fmt.Sprint(deny.Condition) != "map[ForAnyValue:StringLike:map[events:source:aws.partner/*]]" {
			t.Errorf("partner deny %+v", deny)
		}
		if p := MemberForwardRolePath(bus); p != "/rootwatch/central/" {
			t.Errorf("forwarding role path %q", p)
		}
	}
	bus := envAWS.EventBusARN("us-east-1", "central")
	for _, d := range []Document{OrganizationBus(envAWS, bus, "o-nope"), OrganizationBus(envAWS, "arn:aws:sns:us-east-1:111122223333:t", orgID), MemberPutEvents("arn:aws:events:us-east-1:111122223333:event-bus/*"), MemberForwardTrust(envAWS, "a/b")} {
		if _, err := d.JSON(); err == nil {
			t.Errorf("accepted %+v", d.Statement)
		}
	}
}

// TestMemberForwardTrustIsTheMembersOwnRule: the member role trusts EventBridge only for the
// forwarding rule of its own account and region, written as CloudFormation substitutions.
func TestMemberForwardTrustIsTheMembersOwnRule(t *testing.T) {
	s := parse(t, MemberForwardTrust(envCN, "fwd")).Statement[0]
	want := "map[StringEquals:map[aws:SourceAccount:${AWS::AccountId} " +
		"aws:SourceArn:arn:aws-cn:events:${AWS::Region}:${AWS::AccountId}:rule/fwd]]"
	if fmt.Sprint(s.Condition) != want {
		t.Errorf("condition %v, want %s", s.Condition, want)
	}
}

// TestAthena_ResultsKey_OnlyThroughS3OfThisAccount: besides its administrators, the results key is
// usable only for what SSE_KMS query results need (GenerateDataKey, Decrypt), only through S3 in
// the stack's region and only by this account's principals; no service principal holds it.
func TestAthena_ResultsKey_OnlyThroughS3OfThisAccount(t *testing.T) {
	for _, e := range partEnvs {
		p := parse(t, AthenaResultsKey(AthenaResultsKeyArgs{Env: e}))
		if len(p.Statement) != 2 {
			t.Fatalf("%s: %d statements, want administration and use", e.Partition, len(p.Statement))
		}
		s := sid(t, p, SidAthenaResultsUseKey)
		if fmt.Sprint(s.Principal) != "map[AWS:"+e.AccountRootARN()+"]" ||
			!eq(list(s.Action), "kms:GenerateDataKey", "kms:Decrypt") ||
			!eq(cond(s, "StringEquals", "kms:ViaService"), "s3."+e.Region+"."+e.DNSSuffix) ||
			!eq(cond(s, "StringEquals", "kms:CallerAccount"), account) {
			t.Errorf("%s: %+v", e.Partition, s)
		}
	}
	admin := "arn:aws:iam::" + account + ":role/KeyAdmin"
	p := parse(t, AthenaResultsKey(AthenaResultsKeyArgs{Env: envAWS, AdminARNs: []string{admin}}))
	if s := sid(t, p, SidKeyAdministration); fmt.Sprint(s.Principal) != "map[AWS:"+admin+"]" {
		t.Errorf("administrators: %+v", s)
	}
	if _, err := AthenaResultsKey(
		AthenaResultsKeyArgs{Env: envAWS, AdminARNs: []string{"arn:aws-cn:iam::" + account + ":root"}},
	).JSON(); err == nil {
		t.Error("an administrator of another partition was accepted")
	}
}

// TestAthena_ResultsBucket_TLSAndTheKeyOnly: the results bucket grants nothing, refuses requests
// without TLS and result files encrypted otherwise than with the results key.
func TestAthena_ResultsBucket_TLSAndTheKeyOnly(t *testing.T) {
	for _, e := range partEnvs {
		b := bucketARN(e, "results")
		key := e.ARN("kms", e.Region, account, "key/1234abcd-12ab-34cd-56ef-1234567890ab")
		p := parse(t, AthenaResultsBucket(AthenaResultsBucketArgs{Env: e, BucketARN: b, KeyARN: key}))
		for _, s := range p.Statement {
			if s.Effect != "Deny" {
				t.Errorf("%s: the results bucket policy grants %+v", e.Partition, s)
			}
		}
		if s := sid(t, p, SidDenyInsecureTransport); !eq(list(s.Resource), b, b+"/*") {
			t.Errorf("%s TLS: %+v", e.Partition, s)
		}
		if s := sid(t, p, SidDenyOtherEncryption); !eq(list(s.Action), "s3:PutObject") ||
			!eq(cond(s, "StringNotEqualsIfExists", "s3:x-amz-server-side-encryption-aws-kms-key-id"), key) {
			t.Errorf("%s key: %+v", e.Partition, s)
		}
		if s := sid(t, p, SidDenyOtherEncryptionType); !eq(
			cond(s, "StringNotEqualsIfExists", "s3:x-amz-server-side-encryption"),
			"aws:kms",
		) {
			t.Errorf("%s encryption: %+v", e.Partition, s)
		}
	}
	if _, err := AthenaResultsBucket(
		AthenaResultsBucketArgs{Env: envAWS, BucketARN: bucketARN(envAWS, "results"), KeyARN: "alias/x"},
	).JSON(); err == nil {
		t.Error("a key that is not a key ARN was accepted")
	}
}
