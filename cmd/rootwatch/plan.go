package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/policy"
	"github.com/rootwatch/rootwatch/internal/validate"
	"github.com/rootwatch/rootwatch/program"
)

// exitConfig is plan's exit code for a stack configuration the program refuses (pulumi up would
// fail the same way), and for a project or stack file that cannot be read.
const exitConfig = exitUsage

// placeholderAccount is the account plan pretends to deploy to without --account.
const placeholderAccount = "123456789012"

// planFlags are rootwatch plan's flags.
type planFlags struct {
	stack, dir, account, format string
	policies                    bool
}

const planUsageHead = `Usage: rootwatch plan [--stack NAME] [--policies] [--dir DIR] [--account ID] [--format text|json]

Shows what ` + "`pulumi up`" + ` would create for a stack, with no AWS account and no Pulumi CLI: it reads
Pulumi.yaml and Pulumi.<stack>.yaml with Pulumi's own loaders, runs the program against Pulumi's
mocks with a placeholder account, and prints the resources as a tree with their security
settings, the warnings pulumi up would print, the stack outputs known before deployment, and
(--policies) the bucket and key policies another account must hold. Nothing is sent to AWS.
Exit codes: 0 planned, 2 usage or configuration error (the same message pulumi up would print).

Flags:
`

func runPlan(args []string, stdout, stderr io.Writer) int {
	var f planFlags
	fs := flag.NewFlagSet("rootwatch plan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.stack, "stack", "", "stack name: reads Pulumi.<stack>.yaml (default: the only stack file, else dev)")
	fs.StringVar(&f.dir, "dir", ".", "directory of the project; Pulumi.yaml is looked for there and in the directories above, as the Pulumi CLI does")
	fs.StringVar(&f.account, "account", "", "the 12-digit AWS account id to plan for (default: the placeholder "+placeholderAccount+")")
	fs.StringVar(&f.format, "format", "text", "output format: text or json")
	fs.BoolVar(&f.policies, "policies", false, "print only the policies other accounts' owners must apply before the first pulumi up (log-archive pattern)")
	rest, code, ok := parseFlags(fs, planUsageHead, args, stdout, stderr)
	if !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "rootwatch plan: "+format+"\n", a...)
		return exitUsage
	}
	if len(rest) > 0 {
		return usageErr("unexpected argument %q (the stack is chosen with --stack)", rest[0])
	}
	if f.format != "text" && f.format != "json" {
		return usageErr("--format %q: want text or json", f.format)
	}
	if f.account != "" && !validate.IsAccountID(f.account) {
		return usageErr("--account %q: want a 12-digit AWS account id", f.account)
	}
	p, err := plan(f)
	if err != nil {
		var ce configError
		if errors.As(err, &ce) {
			// The program's own message, as pulumi up prints it.
			fmt.Fprintln(stderr, ce.err)
			if len(p.Secrets) > 0 {
				fmt.Fprintf(stderr, "(rootwatch plan cannot decrypt secrets: %s held %q)\n", strings.Join(p.Secrets, ", "), offline.SecretPlaceholder)
			}
			return exitConfig
		}
		fmt.Fprintf(stderr, "rootwatch plan: %v\n", err)
		return exitConfig
	}
	switch {
	case f.format == "json" && f.policies:
		err = writeJSON(stdout, struct {
			Project  string          `json:"project"`
			Stack    string          `json:"stack"`
			Account  string          `json:"account"`
			Policies []foreignPolicy `json:"policies"`
		}{p.Project, p.Stack, p.Account, p.Policies})
	case f.format == "json":
		err = writeJSON(stdout, p)
	case f.policies:
		writePoliciesText(stdout, p)
	default:
		writePlanText(stdout, p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "rootwatch plan: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// configError is an error of the program itself (program.Build): the stack's configuration.
type configError struct{ err error }

func (e configError) Error() string { return e.err.Error() }

// planReport is what plan prints, in both formats.
type planReport struct {
	Project            string `json:"project"`
	Stack              string `json:"stack"`
	StackFile          string `json:"stackFile,omitempty"`
	Region             string `json:"region"`
	RegionPlaceholder  bool   `json:"regionPlaceholder,omitempty"`
	Partition          string `json:"partition"`
	Account            string `json:"account"`
	AccountPlaceholder bool   `json:"accountPlaceholder,omitempty"`
	// Organization is set when the program asked for the organization.
	Organization            string   `json:"organization,omitempty"`
	OrganizationPlaceholder bool     `json:"organizationPlaceholder,omitempty"`
	Secrets                 []string `json:"secrets,omitempty"`
	// Assumed lists what plan cannot check offline and pulumi up checks against AWS (an existing
	// trail and log group).
	Assumed []string `json:"assumed,omitempty"`
	// Warnings are the warnings pulumi up would print.
	Warnings  []string       `json:"warnings"`
	Resources []planResource `json:"resources"`
	// Outputs are the stack outputs known before deployment; KnownAfterUp names the others (they
	// hold names or ids AWS or Pulumi assign at creation).
	Outputs      map[string]any  `json:"outputs"`
	KnownAfterUp []string        `json:"knownAfterUp"`
	Policies     []foreignPolicy `json:"policies"`
	Counts       map[string]int  `json:"counts"`
}

type planResource struct {
	Type     string   `json:"type"`
	Name     string   `json:"name"`
	Parent   string   `json:"parent,omitempty"` // type::name of the parent component
	Settings settings `json:"settings"`

	urn, parentURN string
}

// plan loads the stack's configuration, runs the program offline and describes the result. On
// a configuration error the report still says which keys held secrets.
func plan(f planFlags) (*planReport, error) {
	p := &planReport{}
	projectFile, err := offline.FindProject(f.dir)
	if err != nil {
		return p, err
	}
	stacks, err := offline.Stacks(projectFile)
	if err != nil {
		return p, err
	}
	name := f.stack
	if name == "" {
		name = "dev"
		if len(stacks) == 1 {
			name = stacks[0]
		}
	}
	stackFile, err := offline.StackFile(projectFile, name)
	if err != nil {
		return p, err
	}
	if _, err := os.Stat(stackFile); err != nil {
		if f.stack != "" || len(stacks) > 0 {
			available := "none"
			if len(stacks) > 0 {
				available = strings.Join(stacks, ", ")
			}
			return p, fmt.Errorf("no stack %q: %s does not exist (stacks with a stack file in %s: %s)", name, filepath.Base(stackFile), filepath.Dir(stackFile), available)
		}
		stackFile = "" // a new stack: Pulumi.yaml's defaults alone
	}
	sc, err := offline.LoadStackConfig(projectFile, name, stackFile)
	if err != nil {
		return p, err
	}
	p.Project, p.Stack, p.Secrets = sc.Project, sc.Stack, sc.Secrets
	if stackFile != "" {
		p.StackFile, _ = filepath.Rel(filepath.Dir(projectFile), stackFile)
	}

	env := offline.Env{Region: sc.Config["aws:region"], AccountID: f.account}
	if env.Region == "" {
		env.Region, p.RegionPlaceholder = "us-east-1", true
	}
	if env.AccountID == "" {
		env.AccountID, p.AccountPlaceholder = placeholderAccount, true
	}
	env.Partition = policy.RegionPartition(env.Region)
	env.DNSSuffix = policy.PartitionDNSSuffix(env.Partition)
	org := offline.DefaultOrganization
	if id := sc.Config[sc.Project+":"+program.KeyOrganizationID]; id != "" {
		org.ID = id
	} else {
		p.OrganizationPlaceholder = true
	}
	env.Organization = &org
	p.Region, p.Partition, p.Account = env.Region, env.Partition, env.AccountID

	rec, outs, err := runOffline(sc, env)
	if err != nil {
		return p, err
	}
	p.Warnings = rec.log.Messages()
	if p.Warnings == nil {
		p.Warnings = []string{}
	}
	if name := sc.Config[sc.Project+":"+program.KeyExistingTrailName]; name != "" {
		p.Assumed = append(p.Assumed, fmt.Sprintf("trail %s and log group %s exist, and the trail logs every management event of every region to that log group (pulumi up checks this against AWS first)",
			name, sc.Config[sc.Project+":"+program.KeyExistingLogGroupName]))
	}
	if slices.Contains(rec.Invokes(), "aws:organizations/getOrganization:getOrganization") {
		p.Organization = org.ID
	} else {
		p.OrganizationPlaceholder = false
	}
	p.describe(rec, outs, sc)
	return p, nil
}

// assigned wraps the recorder and remembers the values the mock makes up for what AWS or Pulumi
// assign at creation (auto-names, key ids, resource ids): outputs holding one are not known
// before deployment.
type assigned struct {
	*offline.Recorder
	mu sync.Mutex
	// vals maps each made-up value to what plan shows instead: <name>-xxxxxxx for an auto-name
	// (Pulumi appends seven random characters), <name.key> for an id.
	vals map[string]string
	// log keeps the warnings the program logs.
	log offline.Log
}

// replacer replaces the made-up values with what plan shows, longest first.
func (a *assigned) replacer() *strings.Replacer {
	a.mu.Lock()
	defer a.mu.Unlock()
	olds := slices.Sorted(maps.Keys(a.vals))
	sort.SliceStable(olds, func(i, j int) bool { return len(olds[i]) > len(olds[j]) })
	var pairs []string
	for _, o := range olds {
		pairs = append(pairs, o, a.vals[o])
	}
	return strings.NewReplacer(pairs...)
}

func (a *assigned) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id, outs, err := a.Recorder.NewResource(args)
	inputs := map[string]bool{}
	for _, v := range args.Inputs {
		if v.IsString() {
			inputs[v.StringValue()] = true
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	note := func(key, s string) {
		if s == "" || inputs[s] || strings.HasPrefix(s, "arn:") {
			return
		}
		if strings.HasPrefix(s, args.Name+"-") && key != "id" {
			a.vals[s] = args.Name + "-xxxxxxx"
		} else {
			a.vals[s] = "<" + args.Name + "." + key + ">"
		}
	}
	note("id", id)
	for k, v := range outs {
		if _, in := args.Inputs[k]; !in && v.IsString() {
			note(string(k), v.StringValue())
		}
	}
	return id, outs, err
}

// runOffline runs the program under the offline engine with sc's configuration, as
// offline.Run does, and returns the recorder and the exported outputs' values (nil for those
// known only after deployment).
func runOffline(sc *offline.StackConfig, env offline.Env) (*assigned, map[string]any, error) {
	// The program reports rootwatch:* keys it does not know from the configuration the engine
	// passes in PULUMI_CONFIG; hand it over the same way.
	cfgJSON, err := json.Marshal(sc.Config)
	if err != nil {
		return nil, nil, err
	}
	old, had := os.LookupEnv(pulumi.EnvConfig)
	os.Setenv(pulumi.EnvConfig, string(cfgJSON))
	defer func() {
		if had {
			os.Setenv(pulumi.EnvConfig, old)
		} else {
			os.Unsetenv(pulumi.EnvConfig)
		}
	}()

	mon := &assigned{Recorder: offline.NewRecorder(env), vals: map[string]string{}}
	var c offline.Collector
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		ctx.Log = &mon.log // the mock engine drops what the program logs; pulumi up prints it
		return program.Build(ctx, c.Watch)
	}, pulumi.WithMocks(sc.Project, sc.Stack, mon), func(info *pulumi.RunInfo) { info.Config = sc.Config })
	if err != nil {
		return nil, nil, configError{err}
	}
	vals, err := c.Wait(30 * time.Second)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range vals {
		// Plain JSON values (map[string]any, []any, string), and nil when a made-up value is in it.
		b, err := json.Marshal(v)
		if err != nil {
			return nil, nil, err
		}
		var plain any
		if err := json.Unmarshal(b, &plain); err != nil {
			return nil, nil, err
		}
		vals[k] = plain
		for s := range mon.vals {
			if strings.Contains(string(b), s) {
				vals[k] = nil
				break
			}
		}
	}
	return mon, vals, nil
}

// describe fills the report from the recorded resources and the outputs.
func (p *planReport) describe(rec *assigned, outs map[string]any, sc *offline.StackConfig) {
	rs := rec.Resources()
	made := rec.replacer()
	p.Counts = map[string]int{}
	for _, r := range rs {
		if !r.Custom && strings.HasPrefix(r.Type, "pulumi:pulumi:") {
			continue
		}
		pr := planResource{Type: r.Type, Name: r.Name, Settings: settingsOf(r, made)}
		pr.parentURN = r.Parent
		if strings.Contains(r.Parent, "::pulumi:pulumi:Stack::") {
			pr.parentURN = ""
		}
		qualified := r.Type
		if pr.parentURN != "" {
			parts := strings.Split(pr.parentURN, "::")
			if len(parts) >= 4 {
				qualified = parts[2] + "$" + r.Type
				types := strings.Split(parts[2], "$")
				pr.Parent = types[len(types)-1] + "::" + parts[3]
			}
		}
		pr.urn = fmt.Sprintf("urn:pulumi:%s::%s::%s::%s", sc.Stack, sc.Project, qualified, r.Name)
		p.Resources = append(p.Resources, pr)
		p.Counts[r.Type]++
	}
	sort.Slice(p.Resources, func(i, j int) bool {
		a, b := p.Resources[i], p.Resources[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Name < b.Name
	})
	p.Outputs = map[string]any{}
	p.KnownAfterUp = []string{}
	for k, v := range outs {
		if v == nil {
			p.KnownAfterUp = append(p.KnownAfterUp, k)
		} else {
			p.Outputs[k] = v
		}
	}
	sort.Strings(p.KnownAfterUp)
	p.Policies = []foreignPolicy{}
	for _, fp := range foreignPolicies {
		resource := sc.Config[sc.Project+":"+fp.configKey]
		if resource == "" {
			continue
		}
		doc, _ := outs[fp.output].(string)
		owner := fp.owner(resource)
		if owner == p.Account {
			owner += " (the deploying account)"
		}
		p.Policies = append(p.Policies, foreignPolicy{
			Output: fp.output, ConfigKey: sc.Project + ":" + fp.configKey, Kind: fp.kind, Resource: resource,
			Account: owner, Sids: sids(doc), Policy: json.RawMessage(doc), KnownAfterUp: doc == "",
		})
	}
}

// foreignPolicy is a policy that a resource rootwatch does not own must hold.
type foreignPolicy struct {
	Output       string          `json:"output"`    // the stack output that holds it after pulumi up
	ConfigKey    string          `json:"configKey"` // the key that names the resource
	Kind         string          `json:"kind"`      // "bucket policy", "key policy"
	Resource     string          `json:"resource"`
	Account      string          `json:"account"` // the account that owns the resource
	Sids         []string        `json:"sids"`
	Policy       json.RawMessage `json:"policy,omitempty"`
	KnownAfterUp bool            `json:"knownAfterUp,omitempty"`
}

// foreignPolicies: the resources a stack may bring (config key) and the output holding the policy
// their owners apply.
var foreignPolicies = []struct {
	configKey, output, kind string
	owner                   func(resource string) string
}{
	{program.KeyExistingBucketName, program.OutRequiredBucketPolicy, "bucket policy", func(string) string {
		return "the account that owns the bucket"
	}},
	{program.KeyExistingKeyArn, program.OutRequiredKeyPolicy, "key policy", func(arn string) string {
		if a, ok := validate.ParseARN(arn); ok && a.Account != "" {
			return a.Account
		}
		return "the account that owns the key"
	}},
}

// policyDoc is the part of a policy document plan reads.
type policyDoc struct {
	Statement []struct {
		Sid       string
		Principal any
		Action    any
	}
}

func parsePolicy(s string) (policyDoc, bool) {
	var d policyDoc
	return d, s != "" && json.Unmarshal([]byte(s), &d) == nil
}

func sids(doc string) []string {
	d, _ := parsePolicy(doc)
	out := []string{}
	for _, st := range d.Statement {
		out = append(out, st.Sid)
	}
	return out
}

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
		{"name", "name", nil}, {"multi-region", "isMultiRegionTrail", nil}, {"organization", "isOrganizationTrail", nil},
		{"global-service-events", "includeGlobalServiceEvents", nil}, {"log-file-validation", "enableLogFileValidation", nil},
		{"management-events", "eventSelectors[0].readWriteType", nil}, {"bucket", "s3BucketName", nil}, {"prefix", "s3KeyPrefix", nil},
		{"kms-key", "kmsKeyId", nil}, {"cloudwatch-logs", "cloudWatchLogsGroupArn", nil}, {"sns", "snsTopicName", nil},
	},
	"aws:kms/key:Key": {
		{"rotation", "enableKeyRotation", nil}, {"deletion-window-days", "deletionWindowInDays", nil},
		{"retained-on-delete", "@retainOnDelete", nil}, {"policy", "policy", renderSids},
	},
	"aws:kms/alias:Alias":      {{"name", "name", nil}},
	"aws:s3/bucketV2:BucketV2": {{"bucket", "bucket", nil}, {"force-destroy", "forceDestroy", nil}, {"retained-on-delete", "@retainOnDelete", nil}},
	"aws:s3/bucketVersioningV2:BucketVersioningV2": {
		{"versioning", "versioningConfiguration.status", nil}, {"mfa-delete", "versioningConfiguration.mfaDelete", nil}, {"retained-on-delete", "@retainOnDelete", nil},
	},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
		{"block-public-acls", "blockPublicAcls", nil}, {"block-public-policy", "blockPublicPolicy", nil},
		{"ignore-public-acls", "ignorePublicAcls", nil}, {"restrict-public-buckets", "restrictPublicBuckets", nil},
	},
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {
		{"encryption", "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm", nil},
		{"kms-key", "rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId", nil}, {"bucket-key", "rules[0].bucketKeyEnabled", nil},
	},
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls": {{"object-ownership", "rule.objectOwnership", nil}},
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": {
		{"archive-after-days", "rules[0].transitions[0].days", nil}, {"archive-class", "rules[0].transitions[0].storageClass", nil},
		{"min-object-size", "transitionDefaultMinimumObjectSize", nil}, {"expire-after-days", "rules[0].expiration.days", nil},
		{"noncurrent-expire-after-days", "rules[0].noncurrentVersionExpiration.noncurrentDays", nil},
	},
	"aws:s3/bucketLoggingV2:BucketLoggingV2": {{"target-bucket", "targetBucket", nil}, {"target-prefix", "targetPrefix", nil}},
	"aws:s3/bucketPolicy:BucketPolicy":       {{"bucket", "bucket", nil}, {"policy", "policy", renderSids}},
	"aws:cloudwatch/logGroup:LogGroup": {
		{"name", "name", nil}, {"retention-days", "retentionInDays", nil}, {"kms-key", "kmsKeyId", nil}, {"retained-on-delete", "@retainOnDelete", nil},
	},
	"aws:cloudwatch/logMetricFilter:LogMetricFilter": {{"metric", "metricTransformation.name", nil}, {"namespace", "metricTransformation.namespace", nil}},
	"aws:cloudwatch/metricAlarm:MetricAlarm": {
		{"metric", "metricName", nil}, {"statistic", "statistic", nil}, {"comparison", "comparisonOperator", nil}, {"threshold", "threshold", nil},
		{"period", "period", nil}, {"evaluation-periods", "evaluationPeriods", nil}, {"missing-data", "treatMissingData", nil},
		{"actions", "alarmActions", renderNames}, {"ok-actions", "okActions", renderNames},
	},
	"aws:cloudwatch/eventBus:EventBus":             {{"name", "name", nil}},
	"aws:cloudwatch/eventBusPolicy:EventBusPolicy": {{"bus", "eventBusName", nil}, {"principals", "policy", renderPrincipals}, {"policy", "policy", renderSids}},
	"aws:cloudformation/stackSet:StackSet": {
		{"name", "name", nil}, {"permission-model", "permissionModel", nil}, {"call-as", "callAs", nil},
		{"auto-deployment", "autoDeployment.enabled", nil}, {"retain-on-account-removal", "autoDeployment.retainStacksOnAccountRemoval", nil},
		{"capabilities", "capabilities", nil}, {"template", "templateBody", renderTemplate},
	},
	"aws:cloudformation/stackSetInstance:StackSetInstance": {
		{"region", "region", nil}, {"call-as", "callAs", nil}, {"organizational-units", "deploymentTargets.organizationalUnitIds", nil}, {"retain-stack", "retainStack", nil},
	},
	"aws:cloudwatch/eventRule:EventRule": {
		{"name", "name", nil}, {"bus", "eventBusName", nil}, {"state", "state", nil}, {"pattern", "eventPattern", renderPattern}, {"schedule", "scheduleExpression", nil},
	},
	"aws:cloudwatch/eventTarget:EventTarget":              {{"rule", "rule", nil}, {"target", "arn", renderNames}, {"role", "roleArn", renderNames}, {"dead-letter", "deadLetterConfig.arn", renderNames}},
	"aws:iam/role:Role":                                   {{"name", "name", nil}, {"trust", "assumeRolePolicy", renderPrincipals}},
	"aws:iam/rolePolicy:RolePolicy":                       {{"role", "role", nil}, {"actions", "policy", renderActions}},
	"aws:sns/topic:Topic":                                 {{"name", "name", nil}, {"kms-key", "kmsMasterKeyId", nil}},
	"aws:sns/topicPolicy:TopicPolicy":                     {{"policy", "policy", renderSids}},
	"aws:sns/topicSubscription:TopicSubscription":         {{"protocol", "protocol", nil}, {"endpoint", "endpoint", nil}},
	"aws:iam/organizationsFeatures:OrganizationsFeatures": {{"features", "enabledFeatures", nil}},
	"aws:cfg/rule:Rule":                                   {{"name", "name", nil}, {"source", "source.sourceIdentifier", nil}},
	"pulumi:providers:aws":                                {{"region", "region", nil}, {"allowed-accounts", "allowedAccountIds", nil}},
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

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeHeader prints what was planned, for which account, and that nothing was sent.
func writeHeader(w io.Writer, p *planReport) {
	fmt.Fprintf(w, "rootwatch plan: project %s, stack %s", p.Project, p.Stack)
	if p.StackFile != "" {
		fmt.Fprintf(w, " (%s)\n", p.StackFile)
	} else {
		fmt.Fprintf(w, " (no stack file: Pulumi.yaml's defaults only)\n")
	}
	region := p.Region + " (aws:region)"
	if p.RegionPlaceholder {
		region = p.Region + " (placeholder: the stack sets no aws:region, which pulumi up needs)"
	}
	fmt.Fprintf(w, "  region:       %s, partition %s\n", region, p.Partition)
	account := p.Account
	if p.AccountPlaceholder {
		account += " (placeholder: --account ID plans for your account; ARNs and policies name it)"
	}
	fmt.Fprintf(w, "  account:      %s\n", account)
	if p.Organization != "" {
		org := p.Organization + " (rootwatch:organizationId), the account as its management account"
		if p.OrganizationPlaceholder {
			org = p.Organization + " (placeholder), the account as its management account"
		}
		fmt.Fprintf(w, "  organization: %s\n", org)
	}
	if len(p.Secrets) > 0 {
		fmt.Fprintf(w, "  secrets:      %s cannot be decrypted offline; planned with %q\n", strings.Join(p.Secrets, ", "), offline.SecretPlaceholder)
	}
	for _, a := range p.Assumed {
		fmt.Fprintf(w, "  assumed:      %s\n", a)
	}
	fmt.Fprintf(w, "  Nothing was sent to AWS: the program ran against Pulumi's mocks, which answer for the account above.\n")
	if len(p.Warnings) > 0 {
		fmt.Fprintf(w, "\nWarnings pulumi up would print (%d):\n", len(p.Warnings))
		for _, m := range p.Warnings {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
}

func writePlanText(w io.Writer, p *planReport) {
	writeHeader(w, p)
	fmt.Fprintf(w, "\nResources pulumi up would create (%d):\n", len(p.Resources))
	children := map[string][]planResource{}
	for _, r := range p.Resources {
		children[r.parentURN] = append(children[r.parentURN], r)
	}
	var tree func(parent, indent string)
	tree = func(parent, indent string) {
		for _, r := range children[parent] {
			fmt.Fprintf(w, "%s%s %s", indent, r.Type, r.Name)
			for _, s := range r.Settings {
				v := s.value
				if strings.ContainsAny(v, " \"") {
					v = strconv.Quote(v)
				}
				fmt.Fprintf(w, " %s=%s", s.key, v)
			}
			fmt.Fprintln(w)
			tree(r.urn, indent+"  ")
		}
	}
	tree("", "  ")

	fmt.Fprintf(w, "\nStack outputs known before deployment:\n")
	for _, k := range slices.Sorted(maps.Keys(p.Outputs)) {
		v := p.Outputs[k]
		var text string
		if s, ok := v.(string); ok {
			text = s
			if _, isPolicy := parsePolicy(s); isPolicy && strings.HasPrefix(strings.TrimSpace(s), "{") {
				text = "policy document, statements " + strings.Join(sids(s), ", ") + " (rootwatch plan --policies prints it when another account must apply it)"
			} else if s == "" {
				text = `""`
			}
		} else if m, ok := v.(map[string]any); ok && len(m) > 0 {
			fmt.Fprintf(w, "  %s:\n", k)
			for _, mk := range slices.Sorted(maps.Keys(m)) {
				fmt.Fprintf(w, "    %s = %s\n", mk, plainString(m[mk]))
			}
			continue
		} else {
			b, _ := json.Marshal(v)
			text = string(b)
		}
		fmt.Fprintf(w, "  %s = %s\n", k, text)
	}
	if len(p.KnownAfterUp) > 0 {
		fmt.Fprintf(w, "Known after pulumi up (names or ids assigned at creation): %s\n", strings.Join(p.KnownAfterUp, ", "))
	}

	fmt.Fprintf(w, "\nPolicies other accounts must hold: ")
	if len(p.Policies) == 0 {
		fmt.Fprintf(w, "none (the stack creates its own bucket and key)\n")
	} else {
		var names []string
		for _, fp := range p.Policies {
			names = append(names, fp.Output)
		}
		fmt.Fprintf(w, "%s (rootwatch plan --stack %s --policies prints them)\n", strings.Join(names, ", "), p.Stack)
	}

	var counts []string
	for _, t := range slices.Sorted(maps.Keys(p.Counts)) {
		counts = append(counts, fmt.Sprintf("%d %s", p.Counts[t], t))
	}
	fmt.Fprintf(w, "\n%d resources: %s\n", len(p.Resources), strings.Join(counts, ", "))
}

func writePoliciesText(w io.Writer, p *planReport) {
	writeHeader(w, p)
	fmt.Fprintln(w)
	if len(p.Policies) == 0 {
		fmt.Fprintf(w, "No other account must hold a policy for stack %s: it creates its own log bucket and KMS key and\n"+
			"sets their policies itself (rootwatch:existingBucketName and rootwatch:existingKeyArn are not set).\n", p.Stack)
		return
	}
	fmt.Fprintf(w, "Apply these before the first pulumi up: CloudTrail refuses a bucket or key it cannot write to.\n"+
		"Each is the stack output named, exactly as pulumi up will export it for account %s.\n", p.Account)
	for _, fp := range p.Policies {
		fmt.Fprintf(w, "\n%s: the %s of %s (%s), owned by %s.\n", fp.Output, fp.Kind, fp.Resource, fp.ConfigKey, fp.Account)
		if fp.KnownAfterUp {
			fmt.Fprintf(w, "  It names values assigned at creation; it is known only after pulumi up.\n")
			continue
		}
		fmt.Fprintf(w, "Merge its statements (Sids %s) into the existing policy; do not replace it (docs/log-archive.md).\n", strings.Join(fp.Sids, ", "))
		fmt.Fprintf(w, "%s\n", strings.TrimRight(string(fp.Policy), "\n"))
	}
}
