package trail_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/policytest"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
	"github.com/rootwatch/rootwatch/trail"
)

const (
	tKey       = "aws:kms/key:Key"
	tAlias     = "aws:kms/alias:Alias"
	tBucket    = "aws:s3/bucketV2:BucketV2"
	tOwnership = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	tPAB       = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tVersion   = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	tSSE       = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tLifecycle = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	tLogging   = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	tPolicy    = "aws:s3/bucketPolicy:BucketPolicy"
	tLogGroup  = "aws:cloudwatch/logGroup:LogGroup"
	tRole      = "aws:iam/role:Role"
	tRolePol   = "aws:iam/rolePolicy:RolePolicy"
	tTrail     = "aws:cloudtrail/trail:Trail"
	tTopic     = "aws:sns/topic:Topic"
	tTopicPol  = "aws:sns/topicPolicy:TopicPolicy"
)

// deployed runs trail.New under the recording mock.
type deployed struct {
	t   *testing.T
	rs  []offline.Resource
	env offline.Env
}

func deploy(t *testing.T, args trail.Args, env *offline.Env) deployed {
	t.Helper()
	rec, err := offline.Run(offline.Options{Env: env}, func(ctx *pulumi.Context) error {
		_, err := trail.New(ctx, "ct", &args)
		return err
	})
	if err != nil {
		t.Fatalf("trail.New: %v", err)
	}
	d := deployed{t: t, rs: rec.Resources(), env: rec.Env}
	return d
}

func (d deployed) one(typ, name string) offline.Resource {
	d.t.Helper()
	return pulumitest.One(d.t, d.rs, typ, name)
}

func in(r offline.Resource) map[string]any { return offline.Plain(r.Inputs) }

// statement is a policy statement read back from a resource's JSON input.
type statement = policytest.Statement

func policyOf(t *testing.T, r offline.Resource, key string) []statement {
	t.Helper()
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok || !v.IsString() {
		t.Fatalf("%s has no %s string input", r.Name, key)
	}
	return policytest.Parse(t, v.StringValue()).Statement
}

var (
	list = policytest.List
	cond = policytest.Cond
	find = policytest.Find
	has  = slices.Contains[[]string, string]
)

var base = trail.Args{TrailName: "org-root-watch", S3KeyPrefix: "ct", Tags: map[string]string{"team": "sec"}}

const (
	trailARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-root-watch"
	lgARN    = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/cloudtrail/org-root-watch"
)

// control is one control a test proves: its id (CIS, Security Hub, Prowler where they exist) and
// the check that fails when it regresses.
type control struct {
	control string
	check   func() error
}

// runControls runs each control as a subtest named prefix + its id.
func runControls(t *testing.T, prefix string, cases []control) {
	t.Helper()
	for _, c := range cases {
		t.Run(prefix+c.control, func(t *testing.T) {
			if err := c.check(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestTrailControls proves the trail's own settings, one control per case.
func TestTrailControls(t *testing.T) {
	d := deploy(t, base, nil)
	tr := in(d.one(tTrail, "ct-trail"))
	cases := []control{
		{"CIS_3.1_CloudTrail.1_cloudtrail_multi_region_enabled", func() error {
			if tr["isMultiRegionTrail"] != true || tr["includeGlobalServiceEvents"] != true ||
				tr["enableLogging"] != true {
				return fmt.Errorf("multi-region %v, global %v, logging %v", tr["isMultiRegionTrail"],
					tr["includeGlobalServiceEvents"], tr["enableLogging"])
			}
			sel := tr["eventSelectors"].([]any)[0].(map[string]any)
			if sel["readWriteType"] != "All" || sel["includeManagementEvents"] != true {
				return fmt.Errorf("event selector %v does not record all management events", sel)
			}
			return nil
		}},
		{"CIS_3.2_CloudTrail.4_cloudtrail_log_file_validation_enabled", func() error {
			if tr["enableLogFileValidation"] != true {
				return fmt.Errorf("enableLogFileValidation = %v", tr["enableLogFileValidation"])
			}
			return nil
		}},
		{"CIS_3.4_CloudTrail.5_cloudtrail_cloudwatch_logging_enabled", func() error {
			if tr["cloudWatchLogsGroupArn"] != lgARN+":*" {
				return fmt.Errorf("cloudWatchLogsGroupArn = %v", tr["cloudWatchLogsGroupArn"])
			}
			if !strings.HasPrefix(fmt.Sprint(tr["cloudWatchLogsRoleArn"]), "arn:aws:iam::111122223333:role/") {
				return fmt.Errorf("cloudWatchLogsRoleArn = %v", tr["cloudWatchLogsRoleArn"])
			}
			return nil
		}},
		{"CIS_3.7_CloudTrail.2_cloudtrail_kms_encryption_enabled", func() error {
			if !strings.HasPrefix(fmt.Sprint(tr["kmsKeyId"]), "arn:aws:kms:us-east-1:111122223333:key/") {
				return fmt.Errorf("kmsKeyId = %v", tr["kmsKeyId"])
			}
			return nil
		}},
		{"trail_name_and_prefix", func() error {
			if tr["name"] != "org-root-watch" || tr["s3KeyPrefix"] != "ct" || tr["isOrganizationTrail"] != false {
				return fmt.Errorf("name %v prefix %v org %v", tr["name"], tr["s3KeyPrefix"], tr["isOrganizationTrail"])
			}
			return nil
		}},
		{"trail_waits_for_bucket_policy_key_and_role", func() error {
			deps := strings.Join(d.one(tTrail, "ct-trail").Dependencies, " ")
			for _, want := range []string{"::ct-bucket-policy", "::ct-key", "::ct-logs-role-policy",
				"::ct-bucket-public-access-block", "::ct-bucket-encryption"} {
				if !strings.Contains(deps, want) {
					return fmt.Errorf("the trail does not depend on %s (deps: %s)", want, deps)
				}
			}
			return nil
		}},
	}
	runControls(t, "", cases)
}

// TestKeyControls proves the KMS key's settings and its policy.
func TestKeyControls(t *testing.T) {
	d := deploy(t, base, nil)
	keyRes := d.one(tKey, "ct-key")
	runControls(t, "", keySettingControls(d, keyRes))
	runControls(t, "", keyPolicyControls(policyOf(t, keyRes, "policy")))
}

// keySettingControls are the KMS key's own settings.
func keySettingControls(d deployed, keyRes offline.Resource) []control {
	key := in(keyRes)
	return []control{

		{"CIS_3.8_KMS.4_kms_cmk_rotation_enabled", func() error {
			if key["enableKeyRotation"] != true {
				return fmt.Errorf("enableKeyRotation = %v", key["enableKeyRotation"])
			}
			return nil
		}},
		{"deletion_window_30_days", func() error {
			if key["deletionWindowInDays"] != float64(30) {
				return fmt.Errorf("deletionWindowInDays = %v", key["deletionWindowInDays"])
			}
			return nil
		}},
		{"retain_on_delete", func() error {
			if !keyRes.RetainOnDelete {
				return fmt.Errorf("the key is not RetainOnDelete")
			}
			return nil
		}},
		{"alias", func() error {
			a := in(d.one(tAlias, "ct-key-alias"))
			if a["name"] != "alias/rootwatch/trail/org-root-watch" {
				return fmt.Errorf("alias %v", a["name"])
			}
			return nil
		}},
	}
}

// keyPolicyControls are the statements of the KMS key's policy.
func keyPolicyControls(sts []statement) []control {
	return []control{
		{"account_administration", func() error {
			ss := find(sts, "Allow", "kms:*", "arn:aws:iam::111122223333:root")
			if len(ss) != 1 {
				return fmt.Errorf("no single kms:* statement for the account root: %+v", sts)
			}
			return nil
		}},
		{"cloudtrail_encrypts_only_as_this_trail", func() error {
			ss := find(sts, "Allow", "kms:GenerateDataKey*", "cloudtrail.amazonaws.com")
			if len(ss) == 0 {
				return fmt.Errorf("CloudTrail cannot GenerateDataKey*")
			}
			for _, s := range ss {
				if !has(cond(s, "StringEquals", "aws:SourceArn"), trailARN) {
					return fmt.Errorf("GenerateDataKey* for CloudTrail without aws:SourceArn %s: %+v", trailARN,
						s.Condition)
				}
				if !has(cond(s, "StringLike", "kms:EncryptionContext:aws:cloudtrail:arn"),
					"arn:aws:cloudtrail:*:111122223333:trail/*") {
					return fmt.Errorf(
						"GenerateDataKey* for CloudTrail without the encryption context of this account's trails: %+v",
						s.Condition,
					)
				}
			}
			return nil
		}},
		{"cloudtrail_describe_key", func() error {
			ss := find(sts, "Allow", "kms:DescribeKey", "cloudtrail.amazonaws.com")
			if len(ss) == 0 {
				return fmt.Errorf("CloudTrail cannot DescribeKey")
			}
			return nil
		}},
		{"cloudwatch_logs_only_for_this_log_group", func() error {
			ss := find(sts, "Allow", "kms:GenerateDataKey*", "logs.us-east-1.amazonaws.com")
			if len(ss) != 1 {
				return fmt.Errorf("want one statement for logs.us-east-1.amazonaws.com, got %d", len(ss))
			}
			if !has(cond(ss[0], "ArnEquals", "kms:EncryptionContext:aws:logs:arn"), lgARN) {
				return fmt.Errorf("CloudWatch Logs statement not limited to %s: %+v", lgARN, ss[0].Condition)
			}
			return nil
		}},
		{"decrypt_only_for_this_account", func() error {
			ss := find(sts, "Allow", "kms:Decrypt", "")
			found := false
			for _, s := range ss {
				if has(cond(s, "StringEquals", "kms:CallerAccount"), "111122223333") {
					found = true
				}
			}
			if !found {
				return fmt.Errorf("no kms:Decrypt statement limited by kms:CallerAccount")
			}
			return nil
		}},
		{"no_unconditioned_wildcard_principal", func() error {
			for _, s := range sts {
				if s.Effect == "Allow" && strings.Contains(fmt.Sprint(s.Principal), "*") && len(s.Condition) == 0 {
					return fmt.Errorf("statement %s allows any principal without a condition", s.Sid)
				}
			}
			return nil
		}},
	}
}

// bucketControls are the settings both of the trail's buckets (b: the trail bucket or the
// access-log bucket) must have.
func bucketControls(t *testing.T, d deployed, b string) []control {
	return []control{
		{"S3.12_s3_bucket_acl_prohibited_BucketOwnerEnforced", func() error {
			o := in(d.one(tOwnership, b+"-ownership"))
			if o["rule"].(map[string]any)["objectOwnership"] != "BucketOwnerEnforced" {
				return fmt.Errorf("ownership %v", o["rule"])
			}
			return nil
		}},
		{"CIS_2.1.4_S3.8_s3_bucket_level_public_access_block", func() error {
			p := in(d.one(tPAB, b+"-public-access-block"))
			for _, k := range []string{
				"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets",
			} {
				if p[k] != true {
					return fmt.Errorf("%s = %v", k, p[k])
				}
			}
			return nil
		}},
		{"S3.14_s3_bucket_object_versioning", func() error {
			v := in(d.one(tVersion, b+"-versioning"))
			if v["versioningConfiguration"].(map[string]any)["status"] != "Enabled" {
				return fmt.Errorf("versioning %v", v["versioningConfiguration"])
			}
			return nil
		}},
		{"S3.13_lifecycle_configured", func() error {
			l := in(d.one(tLifecycle, b+"-lifecycle"))
			rule := l["rules"].([]any)[0].(map[string]any)
			if rule["status"] != "Enabled" {
				return fmt.Errorf("rule %v", rule)
			}
			tr := rule["transitions"].([]any)[0].(map[string]any)
			if tr["days"] != float64(90) || tr["storageClass"] != "GLACIER_IR" {
				return fmt.Errorf("transition %v", tr)
			}
			if rule["noncurrentVersionExpiration"].(map[string]any)["noncurrentDays"] != float64(365) {
				return fmt.Errorf("noncurrent expiry %v", rule["noncurrentVersionExpiration"])
			}
			if _, ok := rule["expiration"]; ok {
				return fmt.Errorf("log files expire by default: %v", rule["expiration"])
			}
			return nil
		}},
		{"evidence_retained_force_destroy_off", func() error {
			r := d.one(tBucket, b)
			if !r.RetainOnDelete || in(r)["forceDestroy"] != false {
				return fmt.Errorf("retainOnDelete %v forceDestroy %v", r.RetainOnDelete, in(r)["forceDestroy"])
			}
			return nil
		}},
		{"CIS_2.1.1_S3.5_s3_bucket_secure_transport_policy", func() error {
			sts := policyOf(t, d.one(tPolicy, b+"-policy"), "policy")
			for _, s := range sts {
				if s.Effect == "Deny" && has(list(s.Action), "s3:*") &&
					has(cond(s, "Bool", "aws:SecureTransport"), "false") {
					return nil
				}
			}
			return fmt.Errorf("no Deny s3:* when aws:SecureTransport is false")
		}},
	}
}

// TestBucketControls proves the trail bucket and access-log bucket settings.
func TestBucketControls(t *testing.T) {
	d := deploy(t, base, nil)
	for _, b := range []string{"ct-bucket", "ct-access-logs"} {
		runControls(t, b+"/", bucketControls(t, d, b))
	}

	// SSE-KMS with the trail's key and without an S3 Bucket Key, whose bucket-ARN encryption
	// context the key policy's CloudTrail conditions would not match (see trail.go).
	t.Run("ct-bucket/S3.17_s3_bucket_kms_encryption_without_bucket_key", func(t *testing.T) {
		rule := in(d.one(tSSE, "ct-bucket-encryption"))["rules"].([]any)[0].(map[string]any)
		def := rule["applyServerSideEncryptionByDefault"].(map[string]any)
		if def["sseAlgorithm"] != "aws:kms" || !strings.Contains(fmt.Sprint(def["kmsMasterKeyId"]), ":key/") ||
			rule["bucketKeyEnabled"] != false {
			t.Errorf("trail bucket encryption %v", rule)
		}
	})
	t.Run("ct-access-logs/SSE-S3_for_server_access_logs", func(t *testing.T) {
		rule := in(d.one(tSSE, "ct-access-logs-encryption"))["rules"].([]any)[0].(map[string]any)
		if rule["applyServerSideEncryptionByDefault"].(map[string]any)["sseAlgorithm"] != "AES256" {
			t.Errorf("access-log bucket encryption %v", rule)
		}
	})
	t.Run("CIS_3.6_CloudTrail.7_cloudtrail_logs_s3_bucket_access_logging_enabled", func(t *testing.T) {
		l := in(d.one(tLogging, "ct-bucket-logging"))
		if !strings.HasPrefix(fmt.Sprint(l["bucket"]), "ct-bucket-") ||
			!strings.HasPrefix(fmt.Sprint(l["targetBucket"]), "ct-access-logs-") {
			t.Errorf("logging %v -> %v", l["bucket"], l["targetBucket"])
		}
	})
	t.Run("access_log_bucket_policy_allows_only_logging_service_for_the_trail_bucket", func(t *testing.T) {
		sts := policyOf(t, d.one(tPolicy, "ct-access-logs-policy"), "policy")
		ss := find(sts, "Allow", "s3:PutObject", "logging.s3.amazonaws.com")
		if len(ss) != 1 {
			t.Fatalf("want one PutObject statement for logging.s3.amazonaws.com, got %d", len(ss))
		}
		if src := fmt.Sprint(ss[0].Condition); !strings.Contains(src, "arn:aws:s3:::ct-bucket-") ||
			!strings.Contains(src, "111122223333") {
			t.Errorf("logging statement not limited to the trail bucket and account: %v", ss[0].Condition)
		}
	})
	t.Run("CIS_3.3_CloudTrail.6_trail_bucket_policy_least_privilege", func(t *testing.T) {
		sts := policyOf(t, d.one(tPolicy, "ct-bucket-policy"), "policy")
		put := find(sts, "Allow", "s3:PutObject", "cloudtrail.amazonaws.com")
		if len(put) != 1 {
			t.Fatalf("want one CloudTrail PutObject statement, got %d", len(put))
		}
		if res := list(put[0].Resource); len(res) != 1 || !strings.HasSuffix(res[0], "/ct/AWSLogs/111122223333/*") {
			t.Errorf("CloudTrail may write to %v, want only <bucket>/ct/AWSLogs/111122223333/*", res)
		}
		if !has(cond(put[0], "StringEquals", "s3:x-amz-acl"), "bucket-owner-full-control") {
			t.Errorf("PutObject without s3:x-amz-acl bucket-owner-full-control: %v", put[0].Condition)
		}
		if !has(cond(put[0], "StringEquals", "aws:SourceArn"), trailARN) {
			t.Errorf("PutObject without aws:SourceArn of this trail: %v", put[0].Condition)
		}
		acl := find(sts, "Allow", "s3:GetBucketAcl", "cloudtrail.amazonaws.com")
		if len(acl) != 1 || !has(cond(acl[0], "StringEquals", "aws:SourceArn"), trailARN) {
			t.Errorf("GetBucketAcl statement missing or not limited to this trail: %+v", acl)
		}
		for _, s := range sts {
			if s.Effect == "Allow" && strings.Contains(fmt.Sprint(s.Principal), "*") && len(s.Condition) == 0 {
				t.Errorf("statement %s allows any principal without condition", s.Sid)
			}
		}
	})
}

// TestLogsControls proves the log group and the delivery role.
func TestLogsControls(t *testing.T) {
	d := deploy(t, base, nil)
	lgRes := d.one(tLogGroup, "ct-log-group")
	lg := in(lgRes)
	t.Run("CloudWatch.Logs_cloudwatch_log_group_kms_encryption_enabled", func(t *testing.T) {
		if !strings.Contains(fmt.Sprint(lg["kmsKeyId"]), ":key/") {
			t.Errorf("log group kmsKeyId %v", lg["kmsKeyId"])
		}
	})
	t.Run("cloudwatch_log_group_retention_policy_specific_days_enabled", func(t *testing.T) {
		if lg["retentionInDays"] != float64(365) || lg["name"] != "/aws/cloudtrail/org-root-watch" {
			t.Errorf("log group %v retention %v", lg["name"], lg["retentionInDays"])
		}
		if !lgRes.RetainOnDelete {
			t.Error("log group not retained")
		}
	})
	t.Run("role_trust_only_cloudtrail_without_source_conditions", func(t *testing.T) {
		sts := policyOf(t, d.one(tRole, "ct-logs-role"), "assumeRolePolicy")
		if len(sts) != 1 {
			t.Fatalf("trust policy has %d statements", len(sts))
		}
		s := sts[0]
		if s.Effect != "Allow" || !has(list(s.Action), "sts:AssumeRole") ||
			fmt.Sprint(s.Principal) != "map[Service:cloudtrail.amazonaws.com]" {
			t.Errorf("trust statement %+v", s)
		}
		// CloudTrail's guide: the role policy for CloudWatch Logs "doesn't support the use of
		// aws:SourceArn and aws:SourceAccount"; with them delivery breaks and every alarm is silent.
		if len(s.Condition) != 0 {
			t.Errorf("trust has conditions CloudTrail does not satisfy: %v", s.Condition)
		}
	})
	t.Run("role_policy_only_create_stream_and_put_events_on_this_group", func(t *testing.T) {
		sts := policyOf(t, d.one(tRolePol, "ct-logs-role-policy"), "policy")
		var actions []string
		for _, s := range sts {
			if s.Effect != "Allow" {
				continue
			}
			actions = append(actions, list(s.Action)...)
			for _, r := range list(s.Resource) {
				if !strings.HasPrefix(r, lgARN+":log-stream:") {
					t.Errorf("statement %s reaches %s, outside the log group's streams", s.Sid, r)
				}
			}
		}
		if len(actions) != 2 || !has(actions, "logs:CreateLogStream") || !has(actions, "logs:PutLogEvents") {
			t.Errorf("role allows %v, want exactly logs:CreateLogStream and logs:PutLogEvents", actions)
		}
	})
}

// TestTagsOnEveryTaggableResource: tags reach every resource that takes them.
func TestTagsOnEveryTaggableResource(t *testing.T) {
	args := base
	args.DeliveryNotifications = true
	d := deploy(t, args, nil)
	for _, r := range d.rs {
		switch r.Type {
		case tKey, tBucket, tLogGroup, tRole, tTrail, tTopic:
			tags, _ := in(r)["tags"].(map[string]any)
			if tags["team"] != "sec" {
				t.Errorf("%s %s has tags %v", r.Type, r.Name, tags)
			}
		}
	}
}

// TestEveryChildIsParented: every resource is a child of the component, named after it.
func TestEveryChildIsParented(t *testing.T) {
	d := deploy(t, base, nil)
	for _, r := range d.rs {
		if r.Type == trail.TypeToken {
			continue
		}
		if !strings.Contains(r.Parent, trail.TypeToken+"::ct") {
			t.Errorf("%s %s has parent %q", r.Type, r.Name, r.Parent)
		}
		if !strings.HasPrefix(r.Name, "ct-") {
			t.Errorf("%s %s is not named after the component", r.Type, r.Name)
		}
	}
}

// TestPartitions: no literal arn:aws outside the aws partition, and service principals follow the
// partition's DNS suffix where AWS says they do.
func TestPartitions(t *testing.T) {
	for _, env := range []offline.Env{
		{Partition: "aws-cn", DNSSuffix: "amazonaws.com.cn", AccountID: "111122223333", Region: "cn-north-1"},
		{Partition: "aws-us-gov", DNSSuffix: "amazonaws.com", AccountID: "111122223333", Region: "us-gov-west-1"},
	} {
		env := env
		t.Run(env.Partition, func(t *testing.T) {
			d := deploy(t, base, &env)
			snap, err := offline.Snapshot(d.rs)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(snap), `"arn:aws:`) || strings.Contains(string(snap), `arn:aws:`) {
				t.Errorf("%s stack contains a literal arn:aws: ARN", env.Partition)
			}
			want := "arn:" + env.Partition + ":cloudtrail:" + env.Region + ":111122223333:trail/org-root-watch"
			if !strings.Contains(string(snap), want) {
				t.Errorf("%s stack does not name %s", env.Partition, want)
			}
			if !strings.Contains(string(snap), "logs."+env.Region+"."+env.DNSSuffix) {
				t.Errorf("%s key policy does not name logs.%s.%s", env.Partition, env.Region, env.DNSSuffix)
			}
		})
	}
}

// TestOrganizationTrail: the org path is allowed in the bucket policy, the trail is an
// organization trail, and (deployed by its owner) it is tagged.
func TestOrganizationTrail(t *testing.T) {
	args := base
	args.OrganizationTrail = true
	args.OrganizationID = "o-a1b2c3d4e5"
	d := deploy(t, args, nil)
	if in(d.one(tTrail, "ct-trail"))["isOrganizationTrail"] != true {
		t.Error("not an organization trail")
	}
	// From the management account, the owner, the organization trail keeps its tags.
	if tags, _ := in(d.one(tTrail, "ct-trail"))["tags"].(map[string]any); tags["team"] != "sec" {
		t.Errorf("organization trail deployed from the management account has tags %v", tags)
	}
	sts := policyOf(t, d.one(tPolicy, "ct-bucket-policy"), "policy")
	var resources []string
	for _, s := range find(sts, "Allow", "s3:PutObject", "cloudtrail.amazonaws.com") {
		resources = append(resources, list(s.Resource)...)
	}
	joined := strings.Join(resources, " ")
	if !strings.Contains(joined, "/ct/AWSLogs/o-a1b2c3d4e5/*") ||
		!strings.Contains(joined, "/ct/AWSLogs/111122223333/*") {
		t.Errorf("organization trail may write to %v", resources)
	}
}

// TestRetainedBucketsKeepTheirHardening: when the stack is destroyed the kept buckets must still
// pass S3.5/S3.8/S3.12/S3.14 and keep versioning: every resource that hardens a bucket is retained
// with it, unless ForceDestroy.
func TestRetainedBucketsKeepTheirHardening(t *testing.T) {
	hardening := []string{
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls",
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
		"aws:s3/bucketVersioningV2:BucketVersioningV2",
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "aws:s3/bucketPolicy:BucketPolicy",
		"aws:s3/bucketLoggingV2:BucketLoggingV2",
	}
	for _, force := range []bool{false, true} {
		args := base
		args.ForceDestroy = force
		d := deploy(t, args, nil)
		n := 0
		for _, typ := range hardening {
			for _, r := range offline.ByType(d.rs, typ) {
				n++
				if r.RetainOnDelete == force {
					t.Errorf("ForceDestroy=%v: %s retainOnDelete=%v", force, r.Name, r.RetainOnDelete)
				}
			}
		}
		if n != 13 {
			t.Errorf("%d hardening resources, want 5 per bucket, 2 policies and the logging config", n)
		}
	}
}

// TestNamesAWSWouldRefuseAreMadeSafe: a "." is valid in a trail name but not in a KMS alias or an
// SNS topic name; the names derived from it are cleaned instead of failing mid-deployment.
func TestNamesAWSWouldRefuseAreMadeSafe(t *testing.T) {
	args := base
	args.TrailName = "acme.audit"
	args.DeliveryNotifications = true
	d := deploy(t, args, nil)
	if got := in(d.one(tAlias, "ct-key-alias"))["name"]; got != "alias/rootwatch/trail/acme-audit" {
		t.Errorf("alias %v", got)
	}
	if got := in(d.one(tTopic, "ct-delivery-topic"))["name"]; got != "acme-audit-log-delivery" {
		t.Errorf("topic %v", got)
	}
	if got := in(d.one(tTrail, "ct-trail"))["name"]; got != "acme.audit" {
		t.Errorf("trail %v", got)
	}
}

// TestForceDestroy: opting in lets destroy remove the evidence stores.
func TestForceDestroy(t *testing.T) {
	args := base
	args.ForceDestroy = true
	d := deploy(t, args, nil)
	for _, name := range []string{"ct-bucket", "ct-access-logs"} {
		r := d.one(tBucket, name)
		if r.RetainOnDelete || in(r)["forceDestroy"] != true {
			t.Errorf("%s: retain %v forceDestroy %v", name, r.RetainOnDelete, in(r)["forceDestroy"])
		}
	}
	if d.one(tKey, "ct-key").RetainOnDelete {
		t.Error("key still retained with ForceDestroy")
	}
}

// TestDeliveryNotifications: the console's optional SNS notification on log delivery.
func TestDeliveryNotifications(t *testing.T) {
	args := base
	args.DeliveryNotifications = true
	d := deploy(t, args, nil)
	topic := in(d.one(tTopic, "ct-delivery-topic"))
	if topic["name"] != "org-root-watch-log-delivery" ||
		!strings.Contains(fmt.Sprint(topic["kmsMasterKeyId"]), ":key/") {
		t.Errorf("delivery topic %v", topic)
	}
	if in(d.one(tTrail, "ct-trail"))["snsTopicName"] != "org-root-watch-log-delivery" {
		t.Error("the trail does not notify the delivery topic")
	}
	sts := policyOf(t, d.one(tTopicPol, "ct-delivery-topic-policy"), "policy")
	pub := find(sts, "Allow", "sns:Publish", "cloudtrail.amazonaws.com")
	if len(pub) != 1 || !has(cond(pub[0], "StringEquals", "aws:SourceArn"), trailARN) {
		t.Errorf("delivery topic policy: %+v", pub)
	}
	keySts := policyOf(t, d.one(tKey, "ct-key"), "policy")
	var ok bool
	for _, s := range find(keySts, "Allow", "kms:Decrypt", "cloudtrail.amazonaws.com") {
		if has(cond(s, "StringEquals", "aws:SourceArn"), trailARN) {
			ok = true
		}
	}
	if !ok {
		t.Error("the key does not let CloudTrail (as this trail) use it for the encrypted delivery topic")
	}
}

// TestBringYourOwn covers the supported key/bucket combinations.
func TestBringYourOwn(t *testing.T) {
	const keyARN = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	t.Run("existing_key", func(t *testing.T) {
		args := base
		args.ExistingKeyARN = keyARN
		d := deploy(t, args, nil)
		if len(offline.ByType(d.rs, tKey)) != 0 {
			t.Error("a key was created although one was brought")
		}
		if in(d.one(tTrail, "ct-trail"))["kmsKeyId"] != keyARN ||
			in(d.one(tLogGroup, "ct-log-group"))["kmsKeyId"] != keyARN {
			t.Error("the brought key is not used by the trail and log group")
		}
		if len(offline.ByType(d.rs, tBucket)) != 2 {
			t.Error("buckets not created")
		}
	})
	t.Run("existing_key_and_bucket_log_archive", func(t *testing.T) {
		args := base
		args.ExistingKeyARN = keyARN
		args.ExistingBucketName = "acme-log-archive"
		var c offline.Collector
		rec, err := offline.Run(offline.Options{}, func(ctx *pulumi.Context) error {
			tr, err := trail.New(ctx, "ct", &args)
			if err != nil {
				return err
			}
			c.Watch("key", tr.RequiredKeyPolicy)
			c.Watch("bucket", tr.RequiredBucketPolicy)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got := pulumitest.Wait(t, &c)
		keyPolicy, _ := got["key"].(string)
		bucketPolicy, _ := got["bucket"].(string)
		if n := len(offline.ByType(rec.Resources(), tBucket)); n != 0 {
			t.Errorf("%d buckets created although one was brought", n)
		}
		if !strings.Contains(bucketPolicy, "arn:aws:s3:::acme-log-archive/ct/AWSLogs/111122223333/*") {
			t.Errorf("required bucket policy does not name the brought bucket's path:\n%s", bucketPolicy)
		}
		if !strings.Contains(keyPolicy, "arn:aws:iam::444455556666:root") || !strings.Contains(keyPolicy, trailARN) {
			t.Errorf("required key policy not administered by the key's account or not naming the trail:\n%s",
				keyPolicy)
		}
	})
}

// TestInvalidArgsRegisterNothing: each bad argument gives one error naming the field, the value
// and what is allowed, before anything is registered.
func TestInvalidArgsRegisterNothing(t *testing.T) {
	cases := []struct {
		name string
		mut  func(*trail.Args)
		want string
	}{
		{"missing name", func(a *trail.Args) { a.TrailName = "" }, `TrailName: "" is required`},
		{
			"bad retention",
			func(a *trail.Args) { a.LogRetentionDays = 42 },
			"LogRetentionDays: 42 is not a retention CloudWatch Logs accepts",
		},
		{"negative archive", func(a *trail.Args) {
			a.Lifecycle = &trail.Lifecycle{ArchiveAfterDays: -1, ArchiveStorageClass: "GLACIER"}
		}, "Lifecycle.ArchiveAfterDays: -1 is negative"},
		{"IA too early", func(a *trail.Args) {
			a.Lifecycle = &trail.Lifecycle{ArchiveAfterDays: 7, ArchiveStorageClass: "STANDARD_IA"}
		}, "Lifecycle.ArchiveAfterDays: 7 is under 30"},
		{
			"org id without org trail",
			func(a *trail.Args) { a.OrganizationID = "o-a1b2c3d4e5" },
			`OrganizationID: "o-a1b2c3d4e5" is set but OrganizationTrail is false`,
		},
		{
			"bad org id",
			func(a *trail.Args) { a.OrganizationTrail = true; a.OrganizationID = "org-1" },
			`OrganizationID: "org-1" is not an AWS Organizations id`,
		},
		{
			"bucket without key",
			func(a *trail.Args) { a.ExistingBucketName = "acme-logs" },
			`ExistingBucketName: "acme-logs" is set without ExistingKeyARN`,
		},
		{
			"alias instead of key",
			func(a *trail.Args) { a.ExistingKeyARN = "arn:aws:kms:us-east-1:111122223333:alias/ct" },
			"is not a key ARN",
		},
		{
			"not a KMS ARN",
			func(a *trail.Args) { a.ExistingKeyARN = "arn:aws:s3:::bucket" },
			`ExistingKeyARN: "arn:aws:s3:::bucket" is not a KMS ARN`,
		},
		{"bad bucket name", func(a *trail.Args) {
			a.ExistingKeyARN = "arn:aws:kms:us-east-1:111122223333:key/abc"
			a.ExistingBucketName = "Bad_Bucket"
		}, `ExistingBucketName: "Bad_Bucket" is not an S3 bucket name`},
		{
			"bad admin",
			func(a *trail.Args) { a.KeyAdminARNs = []string{"root"} },
			`KeyAdminARNs[0]: "root" is not an IAM ARN`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := base
			c.mut(&args)
			rec, err := offline.Run(offline.Options{}, func(ctx *pulumi.Context) error {
				_, err := trail.New(ctx, "ct", &args)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
			if len(rec.Resources()) != 0 || len(rec.Invokes()) != 0 {
				t.Errorf("bad args registered %d resources and made %d invokes", len(rec.Resources()),
					len(rec.Invokes()))
			}
		})
	}
	t.Run("nil args", func(t *testing.T) {
		_, err := offline.Run(offline.Options{}, func(ctx *pulumi.Context) error {
			_, err := trail.New(ctx, "ct", nil)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "TrailName") {
			t.Errorf("nil args: %v", err)
		}
	})
}

// TestPreflightKeyAdminsMustIncludeTheDeployer: for a stack that imports the component, Preflight
// reports KeyAdminARNs that leave out the deploying role (KMS would refuse the key policy) with
// invokes only; it makes no invoke when there are no administrators or the key is brought.
func TestPreflightKeyAdminsMustIncludeTheDeployer(t *testing.T) {
	env := offline.DefaultEnv
	env.CallerARN = offline.AssumedRoleCaller(env, "Deployer", "ci")
	run := func(mut func(*trail.Args)) (*offline.Recorder, error) {
		args := base
		mut(&args)
		return offline.Run(offline.Options{Env: &env}, func(ctx *pulumi.Context) error {
			return trail.Preflight(ctx, &args)
		})
	}
	rec, err := run(func(a *trail.Args) { a.KeyAdminARNs = []string{"arn:aws:iam::111122223333:role/KeyAdmin"} })
	if err == nil || !strings.Contains(err.Error(), "KeyAdminARNs: ") || !strings.Contains(err.Error(), env.CallerARN) {
		t.Errorf("error %v, want KeyAdminARNs naming %s", err, env.CallerARN)
	}
	if len(rec.Resources()) != 0 {
		t.Errorf("%d resources registered", len(rec.Resources()))
	}
	if _, err := run(
		func(a *trail.Args) { a.KeyAdminARNs = []string{"arn:aws:iam::111122223333:role/deploy/Deployer"} },
	); err != nil {
		t.Errorf("the deploying role under a path: %v", err)
	}
	for name, mut := range map[string]func(*trail.Args){
		"no administrators": func(a *trail.Args) { a.KeyAdminARNs = nil },
		"brought key": func(a *trail.Args) {
			a.KeyAdminARNs = []string{"arn:aws:iam::111122223333:role/KeyAdmin"}
			a.ExistingKeyARN = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
		},
	} {
		rec, err := run(mut)
		if err != nil || len(rec.Invokes()) != 0 {
			t.Errorf("%s: error %v, invokes %v; want neither", name, err, rec.Invokes())
		}
	}
}

// TestSmallLogFilesStayInStandardAndStillExpire: both buckets' lifecycle configurations pin S3's
// 128 KB transition floor (small CloudTrail and access-log files cost less in S3 Standard than in
// any archive class), and the rule itself selects every object, so expiration and noncurrent
// expiration still reach the small files that never move.
func TestSmallLogFilesStayInStandardAndStillExpire(t *testing.T) {
	args := base
	args.Lifecycle = &trail.Lifecycle{
		ArchiveAfterDays:          120,
		ArchiveStorageClass:       "DEEP_ARCHIVE",
		ExpireAfterDays:           2555,
		NoncurrentExpireAfterDays: 30,
	}
	for name, a := range map[string]trail.Args{"default lifecycle": base, "custom lifecycle": args} {
		d := deploy(t, a, nil)
		for _, b := range []string{"ct-bucket", "ct-access-logs"} {
			l := in(d.one(tLifecycle, b+"-lifecycle"))
			if l["transitionDefaultMinimumObjectSize"] != "all_storage_classes_128K" {
				t.Errorf("%s %s: transitionDefaultMinimumObjectSize %v, want all_storage_classes_128K", name, b,
					l["transitionDefaultMinimumObjectSize"])
			}
			rules := l["rules"].([]any)
			if len(rules) != 1 {
				t.Fatalf("%s %s: %d rules, want 1", name, b, len(rules))
			}
			rule := rules[0].(map[string]any)
			filter := rule["filter"].(map[string]any)
			if len(filter) != 1 || filter["prefix"] != "" {
				t.Errorf("%s %s: filter %v, want every object (prefix \"\", no size or tag filter)", name, b, filter)
			}
			if name == "custom lifecycle" {
				tr := rule["transitions"].([]any)[0].(map[string]any)
				if tr["days"] != float64(120) || tr["storageClass"] != "DEEP_ARCHIVE" {
					t.Errorf("%s %s: transition %v", name, b, tr)
				}
				if rule["expiration"].(map[string]any)["days"] != float64(2555) ||
					rule["noncurrentVersionExpiration"].(map[string]any)["noncurrentDays"] != float64(30) {
					t.Errorf("%s %s: expiration %v noncurrent %v", name, b, rule["expiration"],
						rule["noncurrentVersionExpiration"])
				}
			}
		}
	}
}

// TestOrganizationTrailPreflight: an organization trail may be deployed from the management account
// (with CloudTrail's trusted access) or from CloudTrail's delegated administrator, which Preflight
// checks with organizations:ListDelegatedServicesForAccount; any other account is refused with the
// command that registers it, before anything is registered.
func TestOrganizationTrailPreflight(t *testing.T) {
	const management = "999988887777"
	for name, c := range map[string]struct {
		org  func(o *offline.Organization)
		want []string // "" : accepted
	}{
		"management account": {func(o *offline.Organization) {}, nil},
		"management account without trusted access": {
			func(o *offline.Organization) { o.ServiceAccessPrincipals = []string{"iam.amazonaws.com"} },
			[]string{"OrganizationTrail: true needs trusted access for CloudTrail in organization o-a1b2c3d4e5"}},
		"delegated administrator of CloudTrail": {func(o *offline.Organization) {
			o.ManagementAccountID = management
			o.DelegatedServices = []string{"cloudtrail.amazonaws.com"}
		}, nil},
		"member account, not registered": {func(o *offline.Organization) { o.ManagementAccountID = management },
			[]string{"OrganizationTrail: true cannot be created from account 111122223333, not organization " +
				"o-a1b2c3d4e5's management account (999988887777): account 111122223333 is not a delegated " +
				"administrator of CloudTrail (cloudtrail.amazonaws.com); it administers: none",
				"aws cloudtrail register-organization-delegated-admin --member-account-id 111122223333"}},
		"delegated administrator of StackSets only": {func(o *offline.Organization) {
			o.ManagementAccountID = management
			o.DelegatedServices = []string{"member.org.stacksets.cloudformation.amazonaws.com"}
		}, []string{"it administers: member.org.stacksets.cloudformation.amazonaws.com",
			"register-organization-delegated-admin"}},
	} {
		t.Run(name, func(t *testing.T) {
			env := offline.DefaultEnv
			org := offline.DefaultOrganization
			c.org(&org)
			env.Organization = &org
			args := base
			args.OrganizationTrail, args.OrganizationID = true, "o-a1b2c3d4e5"
			rec, err := offline.Run(offline.Options{Env: &env},
				func(ctx *pulumi.Context) error { return trail.Preflight(ctx, &args) })
			if len(rec.Resources()) != 0 {
				t.Errorf("%d resources registered", len(rec.Resources()))
			}
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			for _, w := range c.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestOrganizationTrailFromDelegatedAdmin: deployed from CloudTrail's delegated administrator, the
// key, bucket and log group are the deploying account's, and every aws:SourceArn, the encryption
// context and the trail owner's AWSLogs folder name the trail as AWS records it: the management
// account's. The trail's ARN (as the mock computes it, like AWS) is that same ARN. The trail is
// not tagged (tagging another account's trail from here is not proven); everything the deploying
// account owns is.
func TestOrganizationTrailFromDelegatedAdmin(t *testing.T) {
	const management = "999988887777"
	env := offline.DefaultEnv
	org := offline.DefaultOrganization
	org.ManagementAccountID = management
	org.DelegatedServices = []string{"cloudtrail.amazonaws.com"}
	env.Organization = &org
	args := base
	args.OrganizationTrail, args.OrganizationID, args.DeliveryNotifications = true, "o-a1b2c3d4e5", true
	trailARN := "arn:aws:cloudtrail:us-east-1:" + management + ":trail/org-root-watch"
	var recorded sync.Map
	rec, err := offline.Run(offline.Options{Env: &env}, func(ctx *pulumi.Context) error {
		tr, err := trail.New(ctx, "ct", &args)
		if err != nil {
			return err
		}
		tr.TrailArn.ApplyT(func(v string) string { recorded.Store("arn", v); return v })
		return nil
	})
	if err != nil {
		t.Fatalf("trail.New: %v", err)
	}
	if v, _ := recorded.Load("arn"); v != trailARN {
		t.Errorf("trail ARN %v, want %s", v, trailARN)
	}
	d := deployed{t: t, rs: rec.Resources(), env: rec.Env}

	var sourceArns []string
	for _, r := range []offline.Resource{
		d.one(tKey, "ct-key"), d.one(tPolicy, "ct-bucket-policy"), d.one(tTopicPol, "ct-delivery-topic-policy"),
	} {
		for _, s := range policyOf(t, r, "policy") {
			sourceArns = append(sourceArns, cond(s, "StringEquals", "aws:SourceArn")...)
		}
	}
	if len(sourceArns) < 7 {
		t.Fatalf("only %d aws:SourceArn conditions: %v", len(sourceArns), sourceArns)
	}
	for _, v := range sourceArns {
		if v != trailARN {
			t.Errorf("aws:SourceArn %s, want %s", v, trailARN)
		}
	}
	keySts := policyOf(t, d.one(tKey, "ct-key"), "policy")
	for _, s := range find(keySts, "Allow", "kms:GenerateDataKey*", "cloudtrail.amazonaws.com") {
		if ctx := cond(s, "StringLike", "kms:EncryptionContext:aws:cloudtrail:arn"); ctx != nil &&
			!has(ctx, "arn:aws:cloudtrail:*:"+management+":trail/*") {
			t.Errorf("encryption context %v, want the management account's trails", ctx)
		}
	}
	var resources []string
	for _, s := range find(
		policyOf(t, d.one(tPolicy, "ct-bucket-policy"), "policy"), "Allow", "s3:PutObject", "cloudtrail.amazonaws.com",
	) {
		resources = append(resources, list(s.Resource)...)
	}
	if joined := strings.Join(resources, " "); !strings.Contains(joined, "/ct/AWSLogs/o-a1b2c3d4e5/*") ||
		!strings.Contains(joined, "/ct/AWSLogs/"+management+"/*") ||
		strings.Contains(joined, "111122223333") {
		t.Errorf("CloudTrail may write to %v", resources)
	}
	if lg := in(d.one(tLogGroup, "ct-log-group")); lg["name"] != "/aws/cloudtrail/org-root-watch" {
		t.Errorf("log group %v", lg["name"])
	}
	// The management account's trail is not tagged from here; what this account owns still is.
	for _, r := range d.rs {
		tags, _ := in(r)["tags"].(map[string]any)
		switch r.Type {
		case tTrail:
			if len(tags) != 0 {
				t.Errorf("the management account's trail is tagged from the delegated administrator: %v", tags)
			}
			// A stack from an earlier release tagged it: with its tags ignored, no RemoveTags
			// reaches the management account's trail either.
			if fmt.Sprint(r.IgnoreChanges) != "[tags tagsAll]" {
				t.Errorf("the delegated administrator's trail ignores changes to %v, want [tags tagsAll]",
					r.IgnoreChanges)
			}
		case tKey, tBucket, tLogGroup, tRole, tTopic:
			if tags["team"] != "sec" {
				t.Errorf("%s %s has tags %v", r.Type, r.Name, tags)
			}
		}
	}
}
