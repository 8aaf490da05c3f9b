package plan

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/rootwatch/rootwatch/internal/offline"
)

// kv is one shown setting.
type kv struct{ key, value string }

// settings are a resource's shown settings, in the table's order (a JSON object in that order).
type settings []kv

func (s settings) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteString("{")
	for i, x := range s {
		if i > 0 {
			b.WriteString(",")
		}
		k, _ := json.Marshal(x.key)
		v, _ := json.Marshal(x.value)
		b.Write(k)
		b.WriteString(":")
		b.Write(v)
	}
	b.WriteString("}")
	return []byte(b.String()), nil
}

// show is one column of settingsTable: the label, where the value is (a dotted path into the
// inputs, [n] for a list element, or @retainOnDelete / @protect for the resource options) and how
// to render it.
type show struct {
	label, path string
	render      func(any) string // nil: the value as it is
}

// settingsTable says, for each resource type, which settings a plan shows: the security-relevant
// ones. Types not listed are shown with their name only.
var settingsTable = map[string][]show{
	"aws:cloudtrail/trail:Trail": {
		{"name", "name", nil}, {"multi-region", "isMultiRegionTrail", nil},
		{"organization", "isOrganizationTrail", nil},
		{"global-service-events", "includeGlobalServiceEvents", nil},
		{"log-file-validation", "enableLogFileValidation", nil},
		{"management-events", "eventSelectors[0].readWriteType", nil}, {"bucket", "s3BucketName", nil},
		{"prefix", "s3KeyPrefix", nil},
		{"kms-key", "kmsKeyId", nil}, {"cloudwatch-logs", "cloudWatchLogsGroupArn", nil}, {"sns", "snsTopicName", nil},
	},
	"aws:kms/key:Key": {
		{"rotation", "enableKeyRotation", nil}, {"deletion-window-days", "deletionWindowInDays", nil},
		{"retained-on-delete", "@retainOnDelete", nil}, {"policy", "policy", renderSids},
	},
	"aws:kms/alias:Alias": {{"name", "name", nil}},
	"aws:s3/bucketV2:BucketV2": {
		{"bucket", "bucket", nil},
		{"force-destroy", "forceDestroy", nil},
		{"retained-on-delete", "@retainOnDelete", nil},
	},
	"aws:s3/bucketVersioningV2:BucketVersioningV2": {
		{"versioning", "versioningConfiguration.status", nil}, {"mfa-delete", "versioningConfiguration.mfaDelete", nil},
		{"retained-on-delete", "@retainOnDelete", nil},
	},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
		{"block-public-acls", "blockPublicAcls", nil}, {"block-public-policy", "blockPublicPolicy", nil},
		{"ignore-public-acls", "ignorePublicAcls", nil}, {"restrict-public-buckets", "restrictPublicBuckets", nil},
	},
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {
		{"encryption", "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm", nil},
		{"kms-key", "rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId", nil},
		{"bucket-key", "rules[0].bucketKeyEnabled", nil},
	},
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls": {{"object-ownership", "rule.objectOwnership", nil}},
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": {
		{"archive-after-days", "rules[0].transitions[0].days", nil},
		{"archive-class", "rules[0].transitions[0].storageClass", nil},
		{"min-object-size", "transitionDefaultMinimumObjectSize", nil},
		{"expire-after-days", "rules[0].expiration.days", nil},
		{"noncurrent-expire-after-days", "rules[0].noncurrentVersionExpiration.noncurrentDays", nil},
	},
	"aws:s3/bucketLoggingV2:BucketLoggingV2": {
		{"target-bucket", "targetBucket", nil},
		{"target-prefix", "targetPrefix", nil},
	},
	"aws:s3/bucketPolicy:BucketPolicy": {{"bucket", "bucket", nil}, {"policy", "policy", renderSids}},
	"aws:cloudwatch/logGroup:LogGroup": {
		{"name", "name", nil}, {"retention-days", "retentionInDays", nil}, {"kms-key", "kmsKeyId", nil},
		{"retained-on-delete", "@retainOnDelete", nil},
	},
	"aws:cloudwatch/logMetricFilter:LogMetricFilter": {
		{"metric", "metricTransformation.name", nil},
		{"namespace", "metricTransformation.namespace", nil},
	},
	"aws:cloudwatch/metricAlarm:MetricAlarm": {
		{"metric", "metricName", nil}, {"statistic", "statistic", nil}, {"comparison", "comparisonOperator", nil},
		{"threshold", "threshold", nil},
		{"period", "period", nil}, {"evaluation-periods", "evaluationPeriods", nil},
		{"missing-data", "treatMissingData", nil},
		{"actions", "alarmActions", renderNames}, {"ok-actions", "okActions", renderNames},
	},
	"aws:cloudwatch/eventBus:EventBus": {{"name", "name", nil}},
	"aws:cloudwatch/eventBusPolicy:EventBusPolicy": {
		{"bus", "eventBusName", nil},
		{"principals", "policy", renderPrincipals},
		{"policy", "policy", renderSids},
	},
	"aws:cloudformation/stackSet:StackSet": {
		{"name", "name", nil}, {"permission-model", "permissionModel", nil}, {"call-as", "callAs", nil},
		{"auto-deployment", "autoDeployment.enabled", nil},
		{"retain-on-account-removal", "autoDeployment.retainStacksOnAccountRemoval", nil},
		{"capabilities", "capabilities", nil}, {"template", "templateBody", renderTemplate},
	},
	"aws:cloudformation/stackSetInstance:StackSetInstance": {
		{"region", "region", nil}, {"call-as", "callAs", nil},
		{"organizational-units", "deploymentTargets.organizationalUnitIds", nil}, {"retain-stack", "retainStack", nil},
	},
	"aws:cloudwatch/eventRule:EventRule": {
		{"name", "name", nil}, {"bus", "eventBusName", nil}, {"state", "state", nil},
		{"pattern", "eventPattern", renderPattern}, {"schedule", "scheduleExpression", nil},
	},
	"aws:cloudwatch/eventTarget:EventTarget": {
		{"rule", "rule", nil},
		{"target", "arn", renderNames},
		{"role", "roleArn", renderNames},
		{"dead-letter", "deadLetterConfig.arn", renderNames},
	},
	"aws:iam/role:Role": {
		{"name", "name", nil},
		{"trust", "assumeRolePolicy", renderPrincipals},
	},
	"aws:iam/rolePolicy:RolePolicy": {
		{"role", "role", nil},
		{"actions", "policy", renderActions},
	},
	"aws:sns/topic:Topic":             {{"name", "name", nil}, {"kms-key", "kmsMasterKeyId", nil}},
	"aws:sns/topicPolicy:TopicPolicy": {{"policy", "policy", renderSids}},
	"aws:sns/topicSubscription:TopicSubscription": {
		{"protocol", "protocol", nil},
		{"endpoint", "endpoint", nil},
	},
	"aws:iam/organizationsFeatures:OrganizationsFeatures": {{"features", "enabledFeatures", nil}},
	"aws:cfg/rule:Rule": {
		{"name", "name", nil},
		{"source", "source.sourceIdentifier", nil},
	},
	"pulumi:providers:aws": {
		{"region", "region", nil},
		{"allowed-accounts", "allowedAccountIds", nil},
	},
}

var pathPart = regexp.MustCompile(`^([A-Za-z0-9_-]+)(?:\[(\d+)\])?$`)

// lookup finds path in v (Plain inputs).
func lookup(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		m := pathPart.FindStringSubmatch(part)
		obj, ok := v.(map[string]any)
		if m == nil || !ok {
			return nil, false
		}
		if v, ok = obj[m[1]]; !ok {
			return nil, false
		}
		if m[2] != "" {
			i, _ := strconv.Atoi(m[2])
			arr, ok := v.([]any)
			if !ok || i >= len(arr) {
				return nil, false
			}
			v = arr[i]
		}
	}
	return v, true
}

func settingsOf(r offline.Resource, made *strings.Replacer) settings {
	inputs := offline.Plain(r.Inputs)
	var out settings
	for _, s := range settingsTable[r.Type] {
		var v any
		switch s.path {
		case "@retainOnDelete":
			v = r.RetainOnDelete
		case "@protect":
			v = r.Protect
		default:
			var ok bool
			if v, ok = lookup(inputs, s.path); !ok {
				continue
			}
		}
		render := s.render
		if render == nil {
			render = plainString
		}
		if str := render(v); str != "" {
			out = append(out, kv{s.label, made.Replace(str)})
		}
	}
	return out
}

func plainString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, plainString(e))
		}
		return strings.Join(parts, ",")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// renderSids shows a policy document by its statements' Sids.
func renderSids(v any) string {
	s, _ := v.(string)
	return strings.Join(sids(s), ",")
}

// renderNames shows ARNs by their last part (the topic, role or key name).
func renderNames(v any) string {
	var out []string
	var add func(any)
	add = func(v any) {
		switch x := v.(type) {
		case string:
			if i := strings.LastIndexAny(x, ":/"); i >= 0 && strings.HasPrefix(x, "arn:") {
				x = x[i+1:]
			}
			out = append(out, x)
		case []any:
			for _, e := range x {
				add(e)
			}
		}
	}
	add(v)
	return strings.Join(out, ",")
}

// renderPrincipals shows a trust policy by the principals it lets assume the role.
func renderPrincipals(v any) string {
	s, _ := v.(string)
	d, _ := parsePolicy(s)
	var out []string
	for _, st := range d.Statement {
		if m, ok := st.Principal.(map[string]any); ok {
			for _, kind := range slices.Sorted(maps.Keys(m)) {
				out = append(out, plainString(m[kind]))
			}
		} else if st.Principal != nil {
			out = append(out, plainString(st.Principal))
		}
	}
	return strings.Join(out, ",")
}

// renderActions shows a permissions policy by its actions.
func renderActions(v any) string {
	s, _ := v.(string)
	d, _ := parsePolicy(s)
	var out []string
	for _, st := range d.Statement {
		out = append(out, plainString(st.Action))
	}
	return strings.Join(out, ",")
}

// renderTemplate shows a CloudFormation template by its resources (logical id:type).
func renderTemplate(v any) string {
	s, _ := v.(string)
	var t struct {
		Resources map[string]struct{ Type string }
	}
	if json.Unmarshal([]byte(s), &t) != nil {
		return ""
	}
	var out []string
	for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
		out = append(out, id+":"+t.Resources[id].Type)
	}
	return strings.Join(out, ",")
}

// renderPattern shows an EventBridge pattern by its detail-types and event names.
func renderPattern(v any) string {
	s, _ := v.(string)
	var p struct {
		DetailType []string `json:"detail-type"`
		Detail     struct {
			EventName []string `json:"eventName"`
		} `json:"detail"`
	}
	if json.Unmarshal([]byte(s), &p) != nil {
		return ""
	}
	out := strings.Join(p.DetailType, "|")
	if len(p.Detail.EventName) > 0 {
		out += " " + strings.Join(p.Detail.EventName, "|")
	}
	return out
}
