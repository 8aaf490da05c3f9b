package stack

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
	"github.com/rootwatch/rootwatch/notify"
	"github.com/rootwatch/rootwatch/posture"
	"github.com/rootwatch/rootwatch/trail"
)

// namespace is the config namespace, the project name.
const namespace = "rootwatch"

// configKey describes one stack config key. The table is the single source for parsing, for the
// mapping of component argument names back to config keys in errors, and for the tests that hold
// Pulumi.yaml and docs/configuration.md's config reference to it.
type configKey struct {
	Name        string // without the namespace
	Type        string // Pulumi.yaml type: string, integer, boolean, array, object
	Default     any    // as in Pulumi.yaml
	Description string
	Arg         string // the component argument it sets: "trail.TrailName", "alarms.Emails"
}

var configKeys = []configKey{
	{"trailName", "string", "", "Name of the CloudTrail trail. Empty: rootwatch-<stack>.", "trail.TrailName"},
	{"s3KeyPrefix", "string", "", "The console's \"folder\": S3 key prefix for log files (empty for none).", "trail.S3KeyPrefix"},
	{"logGroupName", "string", "", "CloudWatch Logs group receiving the trail. Empty: /aws/cloudtrail/<trailName>.", "trail.LogGroupName"},
	{"logRetentionDays", "integer", 365, "Retention of the log group, one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).", "trail.LogRetentionDays"},
	{"logArchiveDays", "integer", 90, "Days after which log files of 128 KB or more move to logArchiveStorageClass (0: never). Smaller ones (most CloudTrail files are a few KB) stay in S3 Standard, which is cheaper for them: GLACIER_IR and STANDARD_IA bill 128 KB per object, GLACIER and DEEP_ARCHIVE add 40 KB per object, and each transition is billed.", "trail.Lifecycle.ArchiveAfterDays"},
	{"logArchiveStorageClass", "string", "GLACIER_IR", "S3 storage class log files move to: STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER or DEEP_ARCHIVE.", "trail.Lifecycle.ArchiveStorageClass"},
	{"logExpirationDays", "integer", 0, "Days after which log files are deleted (0: never; evidence is kept by default).", "trail.Lifecycle.ExpireAfterDays"},
	{"noncurrentVersionExpirationDays", "integer", 365, "Days after which overwritten or deleted log file versions are deleted (0: never).", "trail.Lifecycle.NoncurrentExpireAfterDays"},
	{"organizationTrail", "boolean", false, "Create an organization trail (deploy from the organization's management account).", "trail.OrganizationTrail"},
	{"organizationId", "string", "", "AWS Organizations id (o-...), required when organizationTrail is true.", "trail.OrganizationID"},
	{"forceDestroy", "boolean", false, "Let `pulumi destroy` delete the trail's log buckets with their contents, its log group and its key. Off: they are retained (the alert topic's key always is).", "trail.ForceDestroy"},
	{"logDeliveryNotifications", "boolean", false, "Create an SNS topic notified on each log file delivery (the console's optional SNS notification).", "trail.DeliveryNotifications"},
	{"existingKeyArn", "string", "", "Log-archive pattern: the KMS key (key ARN, not an alias) of another account that encrypts the logs, instead of creating one; its owners apply the requiredKeyPolicy output.", "trail.ExistingKeyARN"},
	{"existingBucketName", "string", "", "Log-archive pattern: the bucket of another account the trail writes to, instead of creating one (needs existingKeyArn); its owners apply the requiredBucketPolicy output.", "trail.ExistingBucketName"},
	{"existingTrailName", "string", "", "Use this trail the organization already runs (e.g. Control Tower's aws-controltower-BaselineCloudTrail) instead of creating one; needs existingLogGroupName. No trail, bucket, trail key or log group is created; the trail must be logging, multi-region, with global service events and all management events, and deliver to that log group (checked before anything is created).", "existing.TrailName"},
	{"existingLogGroupName", "string", "", "The CloudWatch Logs group existingTrailName delivers to, in the stack's region (e.g. aws-controltower/CloudTrailLogs); the alarms' metric filters go on it.", "existing.LogGroupName"},
	{"keyAdminArns", "array", []any{}, "IAM principals (ARNs) that administer the KMS keys. Empty: the account, through its IAM policies. Otherwise include the deploying identity (for an assumed role, its role) or the account root (arn:aws:iam::ACCOUNT:root): KMS refuses a key policy that locks out its creator.", "trail.KeyAdminARNs"},
	{"tags", "object", map[string]any{}, "Tags applied to every taggable resource.", "trail.Tags"},
	{"alertEmails", "array", []any{}, "E-mail addresses subscribed to the alert topic (each must confirm).", "alarms.Emails"},
	{"alertHttpsEndpoints", "array", []any{}, "HTTPS endpoints subscribed to the alert topic.", "alarms.HTTPSEndpoints"},
	{"alertSqsQueueArns", "array", []any{}, "SQS queue ARNs subscribed to the alert topic (their policies must allow the topic).", "alarms.SQSQueueARNs"},
	{"slackChannels", "array", []any{}, "Slack channels that receive the alarms, root-activity notifications and heartbeat through Amazon Q Developer in chat applications (AWS Chatbot), each WORKSPACE_ID/CHANNEL_ID such as T07EA123LEP/C07EZ1ABC23. Authorize the workspace once in the Chatbot console first. See docs/alert-routes.md.", "alarms.SlackChannels"},
	{"teamsChannels", "array", []any{}, "Microsoft Teams channels that receive the same through Amazon Q Developer in chat applications, each TENANT_ID/TEAM_ID/CHANNEL_ID (the channel id URL-encoded, as in the channel's link). Authorize the team once in the Chatbot console first.", "alarms.TeamsChannels"},
	{"chatRegion", "string", "us-east-2", "Region of the Amazon Q Developer in chat applications API where the channel configurations are created: us-east-2, us-west-2, eu-west-1 or ap-southeast-1 (the topics stay in the stack's region).", "alarms.ChatRegion"},
	{"alertTopicArn", "string", "", "Send alarms to this existing SNS topic instead of creating one (no subscriptions are then made).", "alarms.TopicARN"},
	{"cisControls", "array", []any{"all"}, "CIS monitoring controls to deploy: [\"all\"] (the 15 CIS controls and root-session-opened, an sts:AssumeRoot call), [\"none\"] (root usage only), or ids such as root-usage, 5.3, CloudWatch.1, root-session-opened; add \"extras\" or the ids root-access-key-created, root-password-change, root-mfa-removed for rootwatch's off-by-default extras. Root usage is always on.", "alarms.Controls"},
	{"alarmPeriodSeconds", "integer", 60, "Alarm period in seconds: a multiple of 60, at most 604800 (seven days). The metric filters publish one data point a minute, so shorter, high-resolution periods are refused (the alarms would sit in INSUFFICIENT_DATA).", "alarms.AlarmPeriodSeconds"},
	{"metricNamespace", "string", "CISBenchmark", "CloudWatch namespace of the metric filters' metrics.", "alarms.MetricNamespace"},
	{"namePrefix", "string", "", "Prefix of metric, filter and alarm names. Empty: rootwatch-<stack>-.", "alarms.NamePrefix"},
	{"alarmOkActions", "boolean", false, "Also notify the topic when an alarm returns to OK.", "alarms.OKActions"},
	{"heartbeatDays", "integer", 7, "Days between heartbeat messages through the alert topic, saying the path works, what is watched and how to review the period; when they stop arriving, the path is broken (1-90; 0: no heartbeat).", "alarms.HeartbeatDays"},
	{"rootEventNotifications", "boolean", true, "Near-real-time EventBridge notifications to the alert topic of every root sign-in, every root API call (naming the credential: long-term access key, session or sign-in, with its key id) and every sts:AssumeRoot root session opened from this account, beside the CIS alarm.", "notify"},
	{"rootCredentialsManagement", "boolean", false, "Organizations: turn on centralized root access (IAM features RootCredentialsManagement and RootSessions) for the member accounts. Deploy from the management account of an organization with all features and trusted access for iam.amazonaws.com.", "posture.RootCredentialsManagement"},
	{"configRules", "boolean", false, "AWS Config managed rules on the root user (MFA, hardware MFA where offered, no access keys) with compliance changes sent to the alert topic. Needs a configuration recorder that is recording; deploy in one region.", "posture.ConfigRules"},
	{"regions", "array", []any{}, "Further regions whose root activity (API calls, sign-ins, sts:AssumeRoot calls, which are recorded in the region of the STS endpoint used) is forwarded to the stack region's notification rules, each forwarding rule with a FailedInvocations alarm on that region's own health topic. The stack region, and us-east-1 in the aws partition (where root console sign-ins and IAM calls arrive), are always watched.", "notify.Regions"},
}

// sharedArgs are component arguments set from a key another component's argument already names:
// the config key to report their errors under, or "" when that key's own component reports them.
var sharedArgs = map[string]string{
	"alarms.Tags":         "",
	"alarms.KeyAdminARNs": "",
	"notify.Tags":         "",
	"notify.NamePrefix":   "namePrefix",
	"posture.Tags":        "",
	"posture.NamePrefix":  "",
	"posture.TopicARN":    "",
}

// settings is the validated stack configuration, as component arguments.
type settings struct {
	Trail  trail.Args
	Alarms alarms.Args
	// Notify is used when RootEventNotifications is on.
	Notify                 notify.Args
	RootEventNotifications bool
	// Posture is used when one of its modes is on.
	Posture posture.Args
	// Existing is set when the stack uses an existing trail instead of creating Trail; existing is
	// what the lookup found (set by loadSettings' preflight).
	Existing *trail.ExistingArgs
	existing *trail.ExistingTrail
}

// createdTrailOnly are the keys that configure only a trail rootwatch creates, and why each makes
// no sense with rootwatch:existingTrailName.
var createdTrailOnly = []struct{ key, why string }{
	{"trailName", "names the trail rootwatch would create; the existing trail is named by rootwatch:existingTrailName"},
	{"s3KeyPrefix", "is the created trail's S3 folder; the existing trail keeps writing where it is configured to"},
	{"logGroupName", "names the log group rootwatch would create; the existing one is rootwatch:existingLogGroupName"},
	{"logRetentionDays", "is the retention of the log group rootwatch would create; the existing log group keeps its own"},
	{"logArchiveDays", "is a lifecycle rule of the bucket rootwatch would create; the existing trail's bucket keeps its own"},
	{"logArchiveStorageClass", "is a lifecycle rule of the bucket rootwatch would create; the existing trail's bucket keeps its own"},
	{"logExpirationDays", "is a lifecycle rule of the bucket rootwatch would create; the existing trail's bucket keeps its own"},
	{"noncurrentVersionExpirationDays", "is a lifecycle rule of the bucket rootwatch would create; the existing trail's bucket keeps its own"},
	{"organizationTrail", "makes the created trail an organization trail; whether the existing trail is one is its own setting"},
	{"organizationId", "belongs to organizationTrail, which only applies to a trail rootwatch creates"},
	{"forceDestroy", "lets `pulumi destroy` delete the created trail's buckets, log group and key; with an existing trail rootwatch creates none of them"},
	{"logDeliveryNotifications", "adds a delivery topic to the trail rootwatch would create"},
	{"existingKeyArn", "brings a key for the trail rootwatch would create; the existing trail keeps its own"},
	{"existingBucketName", "brings a bucket for the trail rootwatch would create; the existing trail keeps its own"},
}

// reader reads raw config values and records every parse problem under its config key.
type reader struct {
	ctx *pulumi.Context
	es  validate.Errors
}

func (r *reader) raw(name string) (string, bool) {
	v, err := config.Try(r.ctx, namespace+":"+name)
	if err != nil || v == "" {
		return "", false
	}
	return v, true
}

func (r *reader) str(name, def string) string {
	if v, ok := r.raw(name); ok {
		return v
	}
	return def
}

func (r *reader) integer(name string, def int) int {
	v, ok := r.raw(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		r.es.Add(namespace+":"+name, v, "is not a whole number", "a whole number")
		return def
	}
	return n
}

func (r *reader) boolean(name string, def bool) bool {
	v, ok := r.raw(name)
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		r.es.Add(namespace+":"+name, v, "is not a boolean", "true or false")
		return def
	}
	return b
}

// list reads an array of strings: JSON (what Pulumi passes for arrays) or, for convenience on the
// command line, a comma-separated string.
func (r *reader) list(name string, def []string) []string {
	v, ok := r.raw(name)
	if !ok {
		return def
	}
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "[") {
		var out []string
		if err := json.Unmarshal([]byte(v), &out); err != nil {
			r.es.Add(namespace+":"+name, v, "is not a list of strings", `a YAML list of strings, or JSON such as ["a","b"]`)
			return def
		}
		return out
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (r *reader) object(name string) map[string]string {
	v, ok := r.raw(name)
	if !ok {
		return nil
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		r.es.Add(namespace+":"+name, v, "is not a map of strings to strings", "a YAML map such as {team: security, env: prod}")
		return nil
	}
	return out
}

// changed returns the raw value of name when it is set to something other than its Pulumi.yaml
// default (the Pulumi CLI passes the defaults of keys a stack leaves out, so "set" alone says
// nothing).
func (r *reader) changed(name string) (string, bool) {
	v, ok := r.raw(name)
	if !ok {
		return "", false
	}
	for _, k := range configKeys {
		if k.Name != name {
			continue
		}
		switch d := k.Default.(type) {
		case string:
			return v, v != d
		case int:
			n, err := strconv.Atoi(strings.TrimSpace(v))
			return v, err != nil || n != d
		case bool:
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			return v, err != nil || b != d
		}
	}
	return v, true
}

// existingTrail reads rootwatch:existingTrailName and rootwatch:existingLogGroupName: both or
// neither, and none of the keys that configure only a created trail.
func (r *reader) existingTrail() *trail.ExistingArgs {
	name, lg := r.str("existingTrailName", ""), r.str("existingLogGroupName", "")
	if name == "" && lg == "" {
		return nil
	}
	if name == "" {
		r.es.Add(namespace+":existingTrailName", "", "is required with rootwatch:existingLogGroupName", "the name of the trail that delivers to "+strconv.Quote(lg)+", e.g. aws-controltower-BaselineCloudTrail")
	}
	if lg == "" {
		r.es.Add(namespace+":existingLogGroupName", "", "is required with rootwatch:existingTrailName", "the name of the CloudWatch Logs group trail "+strconv.Quote(name)+" delivers to, e.g. aws-controltower/CloudTrailLogs")
	}
	for _, c := range createdTrailOnly {
		if v, ok := r.changed(c.key); ok {
			r.es.Add(namespace+":"+c.key, v, "is set together with rootwatch:existingTrailName, but it "+c.why, "leave it unset when using an existing trail")
		}
	}
	return &trail.ExistingArgs{TrailName: name, LogGroupName: lg}
}

func ptr[T any](v T) *T { return &v }

// slackChannels reads WORKSPACE_ID/CHANNEL_ID entries; alarms validates the ids.
func (r *reader) slackChannels(name string) []alarms.SlackChannel {
	var out []alarms.SlackChannel
	for i, v := range r.list(name, nil) {
		ws, ch, ok := strings.Cut(v, "/")
		if !ok || strings.Contains(ch, "/") {
			r.es.Add(fmt.Sprintf("%s:%s[%d]", namespace, name, i), v, "is not WORKSPACE_ID/CHANNEL_ID", "a Slack workspace id and channel id joined by /, such as T07EA123LEP/C07EZ1ABC23")
			continue
		}
		out = append(out, alarms.SlackChannel{WorkspaceID: ws, ChannelID: ch})
	}
	return out
}

// teamsChannels reads TENANT_ID/TEAM_ID/CHANNEL_ID entries (a channel id may itself hold "/").
func (r *reader) teamsChannels(name string) []alarms.TeamsChannel {
	var out []alarms.TeamsChannel
	for i, v := range r.list(name, nil) {
		parts := strings.SplitN(v, "/", 3)
		if len(parts) != 3 {
			r.es.Add(fmt.Sprintf("%s:%s[%d]", namespace, name, i), v, "is not TENANT_ID/TEAM_ID/CHANNEL_ID", "a Microsoft Teams tenant id, team id and URL-encoded channel id joined by /")
			continue
		}
		out = append(out, alarms.TeamsChannel{TenantID: parts[0], TeamID: parts[1], ChannelID: parts[2]})
	}
	return out
}

// stackDefaultName derives a valid trail or prefix name from the stack name.
func stackDefaultName(stack string) string {
	s := regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(stack, "-")
	return strings.Trim("rootwatch-"+s, "-")
}

// loadSettings reads and validates the whole stack configuration before any resource is
// registered. Every problem is reported at once, each naming its config key, the bad value and
// what is allowed.
func loadSettings(ctx *pulumi.Context) (*settings, error) {
	r := &reader{ctx: ctx}
	def := stackDefaultName(ctx.Stack())
	s := &settings{
		Trail: trail.Args{
			TrailName:        r.str("trailName", def),
			S3KeyPrefix:      r.str("s3KeyPrefix", ""),
			LogGroupName:     r.str("logGroupName", ""),
			LogRetentionDays: r.integer("logRetentionDays", trail.DefaultLogRetentionDays),
			Lifecycle: &trail.Lifecycle{
				ArchiveAfterDays:          r.integer("logArchiveDays", trail.DefaultLifecycle().ArchiveAfterDays),
				ArchiveStorageClass:       r.str("logArchiveStorageClass", trail.DefaultLifecycle().ArchiveStorageClass),
				ExpireAfterDays:           r.integer("logExpirationDays", 0),
				NoncurrentExpireAfterDays: r.integer("noncurrentVersionExpirationDays", trail.DefaultLifecycle().NoncurrentExpireAfterDays),
			},
			OrganizationTrail:     r.boolean("organizationTrail", false),
			OrganizationID:        r.str("organizationId", ""),
			ForceDestroy:          r.boolean("forceDestroy", false),
			DeliveryNotifications: r.boolean("logDeliveryNotifications", false),
			ExistingKeyARN:        r.str("existingKeyArn", ""),
			ExistingBucketName:    r.str("existingBucketName", ""),
			KeyAdminARNs:          r.list("keyAdminArns", nil),
			Tags:                  r.object("tags"),
		},
		Alarms: alarms.Args{
			Emails:             r.list("alertEmails", nil),
			HTTPSEndpoints:     r.list("alertHttpsEndpoints", nil),
			SQSQueueARNs:       r.list("alertSqsQueueArns", nil),
			TopicARN:           r.str("alertTopicArn", ""),
			Controls:           r.list("cisControls", []string{"all"}),
			AlarmPeriodSeconds: r.integer("alarmPeriodSeconds", alarms.DefaultAlarmPeriodSeconds),
			MetricNamespace:    r.str("metricNamespace", alarms.DefaultMetricNamespace),
			NamePrefix:         r.str("namePrefix", defaultPrefix(def)),
			OKActions:          r.boolean("alarmOkActions", false),
			HeartbeatDays:      ptr(r.integer("heartbeatDays", alarms.DefaultHeartbeatDays)),
			SlackChannels:      r.slackChannels("slackChannels"),
			TeamsChannels:      r.teamsChannels("teamsChannels"),
			ChatRegion:         r.str("chatRegion", alarms.DefaultChatRegion),
		},
	}
	s.Existing = r.existingTrail()
	s.Alarms.KeyAdminARNs = s.Trail.KeyAdminARNs
	s.Alarms.Tags = s.Trail.Tags
	s.RootEventNotifications = r.boolean("rootEventNotifications", true)
	s.Notify = notify.Args{Regions: r.list("regions", nil), NamePrefix: s.Alarms.NamePrefix, Tags: s.Trail.Tags}
	// The forwarding regions' explicit providers read none of the stack's aws:* settings; pass the
	// profile on (the most common one), and notify pins them to the stack's account in any case.
	if profile, err := config.Try(ctx, "aws:profile"); err == nil && profile != "" {
		s.Notify.RegionProvider = &aws.ProviderArgs{Profile: pulumi.StringPtr(profile)}
		s.Alarms.ChatProvider = &aws.ProviderArgs{Profile: pulumi.StringPtr(profile)}
	}
	s.Posture = posture.Args{
		RootCredentialsManagement: r.boolean("rootCredentialsManagement", false),
		ConfigRules:               r.boolean("configRules", false),
		NamePrefix:                s.Alarms.NamePrefix,
		Tags:                      s.Trail.Tags,
	}

	// Parse problems first, then each component's own validation, renamed to config keys. The log
	// group is wired by main, so alarms validation gets a placeholder for it here.
	es := r.es
	es = append(es, unknownKeys(os.Getenv(pulumi.EnvConfig))...)
	if s.Existing == nil {
		es = append(es, renamed("trail", s.Trail.Validate())...)
	} else {
		// No trail is created: of its arguments only the shared ones (tags, key administrators)
		// matter, and the keys that configure a created trail were refused above.
		shared := trail.Args{TrailName: def, KeyAdminARNs: s.Trail.KeyAdminARNs, Tags: s.Trail.Tags}
		es = append(es, renamed("trail", shared.Validate())...)
		if s.Existing.TrailName != "" && s.Existing.LogGroupName != "" {
			es = append(es, renamed("existing", s.Existing.Validate())...)
		}
	}
	probe := s.Alarms
	probe.LogGroupName = probeLogGroup
	es = append(es, renamed("alarms", probe.Validate())...)
	if s.RootEventNotifications {
		np := s.Notify
		np.TopicARN = probeTopic
		es = append(es, renamed("notify", np.Validate())...)
	}
	if s.Posture.Enabled() {
		pp := s.Posture
		pp.TopicARN = probeTopic
		es = append(es, renamed("posture", pp.Validate())...)
	}
	if len(es) == 0 {
		// What AWS would refuse only after other resources exist needs the provider's account and
		// identity: invokes, no resources. The key administrators must include the deploying
		// identity wherever rootwatch creates a KMS key: trail.Preflight checks the trail's key, and
		// when the trail brings its key, or an existing trail is used, the alert topic's key is
		// checked here (errors under the trail's name, which renames to rootwatch:keyAdminArns).
		// An existing trail and its log group are looked up and judged; forwarding regions must be
		// in the stack's partition.
		for _, pf := range []struct {
			component string
			check     func() error
		}{
			{"trail", func() error {
				if s.Existing != nil {
					return nil
				}
				return trail.Preflight(ctx, &s.Trail)
			}},
			{"trail", func() error {
				if s.Trail.ExistingKeyARN == "" && s.Existing == nil || s.Alarms.TopicARN != "" {
					return nil
				}
				return awsenv.CheckKeyAdmins(ctx, "KeyAdminARNs", s.Alarms.KeyAdminARNs)
			}},
			{"existing", func() error {
				if s.Existing == nil {
					return nil
				}
				found, err := trail.LookupExisting(ctx, s.Existing)
				s.existing = found
				return err
			}},
			{"notify", func() error {
				if !s.RootEventNotifications {
					return nil
				}
				return notify.Preflight(ctx, &s.Notify)
			}},
			{"posture", func() error { return posture.Preflight(ctx, &s.Posture) }},
			{"alarms", func() error { return alarms.Preflight(ctx, &s.Alarms) }},
		} {
			if err := pf.check(); err != nil {
				if validate.Fields(err) == nil {
					return nil, err
				}
				es = append(es, renamed(pf.component, err)...)
			}
		}
	}
	if len(es) == 0 {
		return s, nil
	}
	for _, e := range es {
		howToSet(e)
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].Field < es[j].Field })
	return nil, es.Err("rootwatch: invalid stack configuration")
}

// unknownKeys reports rootwatch:* keys the program does not read: a typo such as
// rootwatch:alertEmail would otherwise leave the topic without subscribers and nobody would hear
// of it. cfg is the engine's configuration as the Go SDK receives it (the PULUMI_CONFIG JSON
// object, keys "project:key" or "project:config:key"); other namespaces (aws:) are not ours.
func unknownKeys(cfg string) validate.Errors {
	if cfg == "" {
		return nil
	}
	var all map[string]any
	if err := json.Unmarshal([]byte(cfg), &all); err != nil {
		return nil // the SDK itself rejects a malformed configuration
	}
	known := map[string]bool{}
	var names []string
	for _, k := range configKeys {
		known[k.Name] = true
		names = append(names, k.Name)
	}
	var es validate.Errors
	for key := range all {
		rest, ok := strings.CutPrefix(key, namespace+":")
		if !ok {
			continue
		}
		rest = strings.TrimPrefix(rest, "config:")
		if known[rest] {
			continue
		}
		allowed := "one of the keys in Pulumi.yaml's config block"
		if near := nearest(rest, names); near != "" {
			allowed = "did you mean " + namespace + ":" + near + "? (" + allowed + ")"
		}
		es.Add(namespace+":"+rest, validate.Hidden{}, "is not a rootwatch setting", allowed)
	}
	return es
}

// nearest returns the name within edit distance 3 of s (ignoring case), if there is one.
func nearest(s string, names []string) string {
	best, bestD := "", 4
	for _, n := range names {
		if d := editDistance(strings.ToLower(s), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// howToSet adds the command that replaces a subscriber at a reserved example domain (the address
// a copied example stack carries) to its error.
func howToSet(e *validate.FieldError) {
	if e.Problem != validate.ReservedProblem {
		return
	}
	example := "security@yourcompany.com"
	if strings.HasPrefix(e.Field, namespace+":alertHttpsEndpoints") {
		example = "https://hooks.yourcompany.com/rootwatch"
	}
	e.Allowed += "; set it with: pulumi config set --path '" + e.Field + "' " + example
}

// probeLogGroup and probeTopic stand in for the trail's log group and the alarms' topic while
// validating the other arguments of the components that receive them.
var (
	probeLogGroup = pulumi.String("validated-by-trail")
	probeTopic    = pulumi.String("validated-by-alarms")
)

// defaultPrefix is the default name prefix, rootwatch-<stack>-, cut to the 32 characters the
// notification rules' names leave for it (EventBridge rule and IAM role names stop at 64).
func defaultPrefix(stackName string) string {
	const max = 32
	if len(stackName)+1 > max {
		stackName = strings.TrimRight(stackName[:max-1], "-")
	}
	return stackName + "-"
}

// renamed maps a component's field errors to config keys. Keys shared by both components (tags,
// key administrators) are reported once, under the trail.
func renamed(component string, err error) validate.Errors {
	if err == nil {
		return nil
	}
	fields := validate.Fields(err)
	if fields == nil {
		return validate.Errors{{Field: namespace, Value: component, Problem: err.Error()}}
	}
	var out validate.Errors
	for _, f := range fields {
		key, ok := keyForArg(component, f.Field)
		if !ok {
			continue // a shared key, already reported by the trail
		}
		c := *f
		c.Field = key
		out = append(out, &c)
	}
	return out
}

// keyForArg finds the config key for a component field error such as "Lifecycle.ArchiveAfterDays"
// or "Emails[2]" (the index is kept: "rootwatch:alertEmails[2]").
func keyForArg(component, field string) (string, bool) {
	base, suffix := field, ""
	if i := strings.IndexAny(field, "[."); i >= 0 && !strings.HasPrefix(field, "Lifecycle.") {
		base, suffix = field[:i], field[i:]
	}
	if key, ok := sharedArgs[component+"."+base]; ok {
		return namespace + ":" + key + suffix, key != ""
	}
	for _, k := range configKeys {
		if k.Arg == component+"."+base {
			return namespace + ":" + k.Name + suffix, true
		}
	}
	return namespace + ":" + component + "." + field, true
}
