// Package offline runs rootwatch's Pulumi programs and components without AWS or the Pulumi CLI. It
// runs them under the Pulumi Go SDK's mock resource monitor and records every registration: tests
// assert on resource types, names, parents, options and inputs and compare the whole graph with a
// golden snapshot, and `rootwatch plan` prints it.
//
// The mock answers the AWS invokes rootwatch makes (aws:index/getPartition,
// aws:index/getCallerIdentity, aws:index/getRegion, aws:organizations/getOrganization,
// getDelegatedServices, getOrganizationalUnitDescendantOrganizationalUnits, getPoliciesForTarget and
// getPolicy, and for an
// existing trail aws:cloudwatch/getLogGroup and aws:cloudcontrol/getResource) from Env, and fills
// in the computed outputs
// (ARNs, ids, bucket names) that the components feed into their policies, shaped as AWS shapes them,
// so every policy document the program would send to AWS is built and can be read.
package offline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Env is the AWS account the mock pretends to be.
type Env struct {
	Partition string
	DNSSuffix string
	AccountID string
	Region    string
	// Organization is what aws:organizations/getOrganization answers; nil means DefaultOrganization
	// with the account as its management account.
	Organization *Organization
	// CallerARN is the arn aws:index/getCallerIdentity answers, such as an assumed-role session
	// (AssumedRoleCaller); "" means the IAM user arn:PARTITION:iam::ACCOUNT:user/deployer.
	CallerARN string
	// Trails are the trails aws:cloudcontrol/getResource finds (type AWS::CloudTrail::Trail, by
	// name); nil means one, ControlTowerTrail(env). An empty, non-nil list means none.
	Trails []Trail
	// LogGroups are the log groups aws:cloudwatch/getLogGroup finds; nil means one for each log
	// group the Trails deliver to. An empty, non-nil list means none.
	LogGroups []LogGroup
}

// Trail is an existing CloudTrail trail as Cloud Control describes it: its JSON is the Properties
// of AWS::CloudTrail::Trail (the CloudFormation resource's property names).
type Trail struct {
	TrailName                  string
	Arn                        string `json:",omitempty"`
	S3BucketName               string
	S3KeyPrefix                string `json:",omitempty"`
	KMSKeyId                   string `json:",omitempty"`
	CloudWatchLogsLogGroupArn  string `json:",omitempty"`
	CloudWatchLogsRoleArn      string `json:",omitempty"`
	IsLogging                  bool
	IsMultiRegionTrail         bool
	IncludeGlobalServiceEvents bool
	IsOrganizationTrail        bool
	EnableLogFileValidation    bool
	EventSelectors             []map[string]any `json:",omitempty"`
	AdvancedEventSelectors     []map[string]any `json:",omitempty"`
}

// LogGroup is an existing CloudWatch Logs group.
type LogGroup struct {
	Name            string
	KmsKeyID        string
	RetentionInDays int
}

// ControlTowerTrailName and ControlTowerLogGroupName are what AWS Control Tower (landing zone 3.0
// and later) names its organization trail and the log group it delivers to, both in the
// management account and home region.
const (
	ControlTowerTrailName    = "aws-controltower-BaselineCloudTrail"
	ControlTowerLogGroupName = "aws-controltower/CloudTrailLogs"
	// ControlTowerLogArchiveAccountID is the log archive account of the mock's Control Tower.
	ControlTowerLogArchiveAccountID = "444455556666"
)

// ControlTowerTrail is the organization trail Control Tower sets up in env's account (its
// management account) and region: every region, global service events, log file validation, all
// management events, delivered to the log archive account's aws-controltower-logs-ACCOUNT-REGION
// bucket under the organization id and to aws-controltower/CloudTrailLogs; no KMS key (optional
// in Control Tower).
func ControlTowerTrail(env Env) Trail {
	org := DefaultOrganization
	if env.Organization != nil {
		org = *env.Organization
	}
	p := env.Partition
	return Trail{
		TrailName: ControlTowerTrailName,
		Arn: fmt.Sprintf(
			"arn:%s:cloudtrail:%s:%s:trail/%s",
			p,
			env.Region,
			env.AccountID,
			ControlTowerTrailName,
		),
		S3BucketName: fmt.Sprintf(
			"aws-controltower-logs-%s-%s",
			ControlTowerLogArchiveAccountID,
			env.Region,
		),
		S3KeyPrefix: org.ID,
		CloudWatchLogsLogGroupArn: fmt.Sprintf(
			"arn:%s:logs:%s:%s:log-group:%s:*",
			p,
			env.Region,
			env.AccountID,
			ControlTowerLogGroupName,
		),
		CloudWatchLogsRoleArn: fmt.Sprintf(
			"arn:%s:iam::%s:role/aws-controltower-CloudWatchLogsRole",
			p,
			env.AccountID,
		),
		IsLogging:                  true,
		IsMultiRegionTrail:         true,
		IncludeGlobalServiceEvents: true,
		IsOrganizationTrail:        true,
		EnableLogFileValidation:    true,
		EventSelectors:             []map[string]any{{"ReadWriteType": "All", "IncludeManagementEvents": true}},
	}
}

func (e Env) trails() []Trail {
	if e.Trails == nil {
		return []Trail{ControlTowerTrail(e)}
	}
	return e.Trails
}

func (e Env) logGroups() []LogGroup {
	if e.LogGroups != nil {
		return e.LogGroups
	}
	var out []LogGroup
	for _, t := range e.trails() {
		if _, name, ok := strings.Cut(strings.TrimSuffix(t.CloudWatchLogsLogGroupArn, ":*"), ":log-group:"); ok {
			out = append(out, LogGroup{Name: name, RetentionInDays: 365})
		}
	}
	return out
}

// AssumedRoleCaller is the ARN sts:GetCallerIdentity reports for a session of role in env's
// account: arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION (the role's path is not shown).
func AssumedRoleCaller(env Env, role, session string) string {
	return fmt.Sprintf("arn:%s:sts::%s:assumed-role/%s/%s", env.Partition, env.AccountID, role, session)
}

// Caller is the ARN getCallerIdentity answers for e.
func (e Env) Caller() string {
	if e.CallerARN != "" {
		return e.CallerARN
	}
	return fmt.Sprintf("arn:%s:iam::%s:user/deployer", e.Partition, e.AccountID)
}

// Organization is the AWS Organization the mock's account belongs to.
type Organization struct {
	// NotInUse makes getOrganization fail as AWS does for an account outside any organization
	// (AWSOrganizationsNotInUseException).
	NotInUse bool
	ID       string
	// ManagementAccountID is the organization's management ("master") account; "" means the
	// mock's own account.
	ManagementAccountID string
	// FeatureSet is "ALL" or "CONSOLIDATED_BILLING".
	FeatureSet string
	// ServiceAccessPrincipals are the services with trusted access. Like the provider, the mock
	// reports them only to the management account.
	ServiceAccessPrincipals []string
	// RootID is the organization's root (r-...); the mock lists it only to the management account.
	RootID string
	// DelegatedServices are the service principals the mock's account is a delegated administrator
	// for (aws:organizations/getDelegatedServices answers them for that account).
	DelegatedServices []string
	// SCPDisabled turns the SERVICE_CONTROL_POLICY policy type off in the root (it is on
	// otherwise, as in an organization with all features that uses SCPs).
	SCPDisabled bool
	// OUs are the organization's OU ids, at any depth (what
	// getOrganizationalUnitDescendantOrganizationalUnits answers for the root).
	OUs []string
	// SCPs are the service control policies besides FullAWSAccess (p-FullAWSAccess, attached to the
	// root and every OU), with the targets each is attached to (getPoliciesForTarget, getPolicy).
	SCPs []SCP
	// MemberAccountIDs are the accounts besides the management account. The mock lists the
	// accounts only to the management account; the provider lists them to a delegated
	// administrator too (organizations:ListAccounts answers both), which the mock does not model.
	MemberAccountIDs []string
}

// SCP is a service control policy of the mock's organization.
type SCP struct {
	ID, Name, Content string
	AwsManaged        bool
	Targets           []string // root, OU or account ids
}

// FullAWSAccess is the AWS managed SCP attached everywhere by default.
var FullAWSAccess = SCP{
	ID: "p-FullAWSAccess", Name: "FullAWSAccess", AwsManaged: true,
	Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
}

// DefaultOrganization is an organization with all features and trusted access for IAM (centralized
// root access) and CloudTrail (organization trails).
var DefaultOrganization = Organization{
	ID:         "o-a1b2c3d4e5",
	FeatureSet: "ALL",
	ServiceAccessPrincipals: []string{
		"cloudtrail.amazonaws.com",
		"iam.amazonaws.com",
		"member.org.stacksets.cloudformation.amazonaws.com",
	},
	RootID:           "r-a1b2",
	MemberAccountIDs: []string{"444455556666", "777788889999"},
}

// DefaultEnv is the account used by most tests.
var DefaultEnv = Env{Partition: "aws", DNSSuffix: "amazonaws.com", AccountID: "111122223333", Region: "us-east-1"}

// Resource is one registration seen by the mock monitor.
type Resource struct {
	Type           string
	Name           string
	Parent         string // the parent's URN ("" for the stack's direct children)
	Custom         bool
	RetainOnDelete bool
	Protect        bool
	Dependencies   []string // URNs this resource depends on explicitly or through its inputs
	IgnoreChanges  []string // input properties the engine leaves as they are on update
	Inputs         resource.PropertyMap
}

// URN is the mock's URN for r (the same shape as the engine's).
func (r Resource) URN(project, stack string) string {
	return fmt.Sprintf("urn:pulumi:%s::%s::%s::%s", stack, project, r.Type, r.Name)
}

// Recorder is a pulumi.MockResourceMonitor that records every registration.
type Recorder struct {
	Env Env

	mu        sync.Mutex
	resources []Resource
	invokes   []string
	// providerRegions maps explicit aws providers (by resource name) to their region.
	providerRegions map[string]string
	// assigned holds the values the mock made up (see Assigned).
	assigned map[string]string
	// log keeps what the program logs (see Messages).
	log warnings
}

// NewRecorder returns a recorder answering for env.
func NewRecorder(env Env) *Recorder { return &Recorder{Env: env} }

// Resources returns what was registered, in registration order.
func (m *Recorder) Resources() []Resource {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Resource(nil), m.resources...)
}

// Invokes returns the tokens of the invokes made, in order.
func (m *Recorder) Invokes() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.invokes...)
}

// Call answers provider invokes.
func (m *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	m.invokes = append(m.invokes, args.Token)
	m.mu.Unlock()
	switch args.Token {
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": m.Env.Partition, "partition": m.Env.Partition, "dnsSuffix": m.Env.DNSSuffix,
			"reverseDnsPrefix": reverse(m.Env.DNSSuffix),
		}), nil
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": m.Env.AccountID, "accountId": m.Env.AccountID,
			"arn":    m.Env.Caller(),
			"userId": "AIDAEXAMPLE",
		}), nil
	case "aws:index/getRegion:getRegion":
		region := m.Env.Region
		if v, ok := args.Args["region"]; ok && v.IsString() && v.StringValue() != "" {
			region = v.StringValue()
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": region, "name": region, "region": region,
			"endpoint": fmt.Sprintf("ec2.%s.%s", region, m.Env.DNSSuffix), "description": region,
		}), nil
	case "aws:organizations/getOrganization:getOrganization":
		return m.organization()
	case "aws:organizations/getDelegatedServices:getDelegatedServices":
		return m.delegatedServices(args.Args["accountId"].StringValue())
	case descendantOUs, "aws:organizations/getPoliciesForTarget:getPoliciesForTarget",
		"aws:organizations/getPolicy:getPolicy":
		return m.organizationsPolicies(args)
	case "aws:cloudwatch/getLogGroup:getLogGroup":
		name := args.Args["name"].StringValue()
		for _, lg := range m.Env.logGroups() {
			if lg.Name == name {
				return resource.NewPropertyMapFromMap(map[string]any{
					"id": name, "name": name, "kmsKeyId": lg.KmsKeyID, "retentionInDays": lg.RetentionInDays,
					"logGroupClass": "STANDARD", "creationTime": 1700000000000, "tags": map[string]any{},
					"arn": fmt.Sprintf(
						"arn:%s:logs:%s:%s:log-group:%s",
						m.Env.Partition,
						m.Env.Region,
						m.Env.AccountID,
						name,
					),
				}), nil
			}
		}
		return nil, fmt.Errorf("reading CloudWatch Logs Log Group (%s): empty result", name)
	case "aws:cloudcontrol/getResource:getResource":
		typeName, id := args.Args["typeName"].StringValue(), args.Args["identifier"].StringValue()
		if typeName == "AWS::CloudTrail::Trail" {
			for _, t := range m.Env.trails() {
				if t.TrailName == id {
					props, err := json.Marshal(t)
					if err != nil {
						return nil, err
					}
					return resource.NewPropertyMapFromMap(map[string]any{
						"id": id, "identifier": id, "typeName": typeName, "properties": string(props),
					}), nil
				}
			}
		}
		return nil, fmt.Errorf("reading Cloud Control API (%s) Resource (%s): couldn't find resource", typeName, id)
	}
	return nil, fmt.Errorf("offline: no mock for invoke %s", args.Token)
}

// organization answers getOrganization the way the provider does: the management account sees the
// trusted services, a member account does not.
// managementAccount is the organization's management account: the Organization's, or the mock's
// own account when it names none.
func (m *Recorder) managementAccount() string {
	if o := m.Env.Organization; o != nil && o.ManagementAccountID != "" {
		return o.ManagementAccountID
	}
	return m.Env.AccountID
}

func (m *Recorder) organization() (resource.PropertyMap, error) {
	o := DefaultOrganization
	if m.Env.Organization != nil {
		o = *m.Env.Organization
	}
	if o.NotInUse {
		return nil, errors.New("reading Organizations Organization: AWSOrganizationsNotInUseException: Your account " +
			"is not a member of an organization")
	}
	mgmt := m.managementAccount()
	accounts := []any{}
	if mgmt == m.Env.AccountID {
		for _, id := range append([]string{mgmt}, o.MemberAccountIDs...) {
			accounts = append(accounts, map[string]any{
				"id": id, "arn": fmt.Sprintf("arn:%s:organizations::%s:account/%s/%s", m.Env.Partition, mgmt, o.ID, id),
				"email": "aws+" + id + "@example.com", "name": "account-" + id, "status": "ACTIVE",
			})
		}
	}
	principals := []any{}
	if mgmt == m.Env.AccountID && o.FeatureSet == "ALL" {
		for _, p := range o.ServiceAccessPrincipals {
			principals = append(principals, p)
		}
	}
	p := m.Env.Partition
	roots := []any{}
	if mgmt == m.Env.AccountID && o.RootID != "" {
		roots = append(roots, map[string]any{
			"id": o.RootID, "name": "Root",
			"arn":         fmt.Sprintf("arn:%s:organizations::%s:root/%s/%s", p, mgmt, o.ID, o.RootID),
			"policyTypes": rootPolicyTypes(o),
		})
	}
	return resource.NewPropertyMapFromMap(map[string]any{
		"id": o.ID, "arn": fmt.Sprintf("arn:%s:organizations::%s:organization/%s", p, mgmt, o.ID),
		"featureSet":                 o.FeatureSet,
		"masterAccountId":            mgmt,
		"masterAccountArn":           fmt.Sprintf("arn:%s:organizations::%s:account/%s/%s", p, mgmt, o.ID, mgmt),
		"masterAccountEmail":         "management@example.com",
		"masterAccountName":          "management",
		"awsServiceAccessPrincipals": principals,
		"enabledPolicyTypes":         []any{},
		"accounts":                   accounts,
		"nonMasterAccounts":          []any{},
		"roots":                      roots,
	}), nil
}

// delegatedServices answers getDelegatedServices for account: the Organization's
// DelegatedServices when it is the mock's own account, none for another; like AWS, it refuses an
// account outside any organization.
func (m *Recorder) delegatedServices(account string) (resource.PropertyMap, error) {
	o := DefaultOrganization
	if m.Env.Organization != nil {
		o = *m.Env.Organization
	}
	if o.NotInUse {
		return nil, errors.New("reading Organizations Delegated Services: AWSOrganizationsNotInUseException: Your " +
			"account is not a member of an organization")
	}
	services := []any{}
	if account == m.Env.AccountID {
		for _, s := range o.DelegatedServices {
			services = append(
				services,
				map[string]any{"servicePrincipal": s, "delegationEnabledDate": "2026-01-01T00:00:00Z"},
			)
		}
	}
	return resource.NewPropertyMapFromMap(
		map[string]any{"id": account, "accountId": account, "delegatedServices": services},
	), nil
}

func reverse(dns string) string {
	parts := strings.Split(dns, ".")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ".")
}

// Options configures Run.
type Options struct {
	Project string            // default "rootwatch"
	Stack   string            // default "dev"
	Env     *Env              // default DefaultEnv
	Config  map[string]string // fully qualified keys ("rootwatch:trailName") to raw values (JSON for arrays/objects)
}

// Run runs fn under the mock monitor and returns the recorder and fn's error. The configuration
// reaches the SDK as a value (pulumi.RunInfo): Run reads and sets no environment variable. What
// fn logs at warning and error level is kept (Recorder.Messages).
func Run(opts Options, fn pulumi.RunFunc) (*Recorder, error) {
	if opts.Project == "" {
		opts.Project = "rootwatch"
	}
	if opts.Stack == "" {
		opts.Stack = "dev"
	}
	env := DefaultEnv
	if opts.Env != nil {
		env = *opts.Env
	}
	rec := NewRecorder(env)
	ctx, err := pulumi.NewContext(context.Background(), pulumi.RunInfo{
		Project: opts.Project, Stack: opts.Stack, Config: opts.Config, Mocks: rec,
	})
	if err != nil {
		return rec, err
	}
	defer func() { _ = ctx.Close() }()
	ctx.Log = &rec.log // the mock engine drops what the program logs; pulumi up prints it
	return rec, pulumi.RunWithContext(ctx, fn)
}

// ByType returns the recorded resources of type token, in registration order.
func ByType(rs []Resource, token string) []Resource {
	var out []Resource
	for _, r := range rs {
		if r.Type == token {
			out = append(out, r)
		}
	}
	return out
}

// Find returns the resource with the given type and logical name.
func Find(rs []Resource, token, name string) (Resource, bool) {
	for _, r := range rs {
		if r.Type == token && r.Name == name {
			return r, true
		}
	}
	return Resource{}, false
}

// Plain turns a property map into plain Go values (secrets unwrapped and marked, unknowns marked),
// for assertions and for the golden snapshot.
func Plain(pm resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range pm {
		if strings.HasPrefix(string(k), "__") {
			continue
		}
		out[string(k)] = plainValue(v)
	}
	return out
}

func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plainValue(e)
		}
		return out
	case v.IsObject():
		return Plain(v.ObjectValue())
	case v.IsSecret():
		return map[string]any{"secret": plainValue(v.SecretValue().Element)}
	case v.IsComputed():
		return "<computed>"
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return "<unknown>"
		}
		return plainValue(o.Element)
	case v.IsResourceReference():
		return map[string]any{"resourceRef": string(v.ResourceReferenceValue().URN)}
	}
	return fmt.Sprintf("%v", v)
}

// Snapshot renders the resource graph as deterministic, indented JSON: for each resource its type,
// name, parent (type::name), options and inputs. Policy documents held in string inputs are
// re-indented so a change to one statement is one readable hunk in a diff.
func Snapshot(rs []Resource) ([]byte, error) {
	type entry struct {
		Type           string         `json:"type"`
		Name           string         `json:"name"`
		Parent         string         `json:"parent,omitempty"`
		RetainOnDelete bool           `json:"retainOnDelete,omitempty"`
		Protect        bool           `json:"protect,omitempty"`
		DependsOn      []string       `json:"dependsOn,omitempty"`
		IgnoreChanges  []string       `json:"ignoreChanges,omitempty"`
		Inputs         map[string]any `json:"inputs"`
	}
	short := func(urn string) string {
		// urn:pulumi:stack::project::parentType$type::name -> type::name
		parts := strings.Split(urn, "::")
		if len(parts) < 4 {
			return urn
		}
		types := strings.Split(parts[2], "$")
		return types[len(types)-1] + "::" + parts[3]
	}
	entries := make([]entry, 0, len(rs))
	for _, r := range rs {
		e := entry{
			Type:           r.Type,
			Name:           r.Name,
			RetainOnDelete: r.RetainOnDelete,
			Protect:        r.Protect,
			IgnoreChanges:  r.IgnoreChanges,
		}
		if r.Parent != "" && !strings.Contains(r.Parent, "pulumi:pulumi:Stack") {
			e.Parent = short(r.Parent)
		}
		for _, d := range r.Dependencies {
			e.DependsOn = append(e.DependsOn, short(d))
		}
		sort.Strings(e.DependsOn)
		e.Inputs = Plain(r.Inputs)
		for k, v := range e.Inputs {
			if s, ok := v.(string); ok && strings.HasPrefix(strings.TrimSpace(s), "{") {
				var doc any
				if json.Unmarshal([]byte(s), &doc) == nil {
					e.Inputs[k] = map[string]any{"json": doc}
				}
			}
		}
		entries = append(entries, e)
	}
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].Type != entries[j].Type {
			return entries[i].Type < entries[j].Type
		}
		return entries[i].Name < entries[j].Name
	})
	b, err := json.MarshalIndent(entries, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Collector gathers the resolved values of outputs watched during a mocked run. Apply callbacks run
// on their own goroutines and may finish after RunErr returns, so read the values with Wait.
type Collector struct {
	mu   sync.Mutex
	wg   sync.WaitGroup
	vals map[string]any
}

// Watch records the value out resolves to under key.
func (c *Collector) Watch(key string, out pulumi.Input) {
	c.wg.Add(1)
	pulumi.ToOutput(out).ApplyT(func(x any) any {
		defer c.wg.Done()
		c.mu.Lock()
		if c.vals == nil {
			c.vals = map[string]any{}
		}
		c.vals[key] = x
		c.mu.Unlock()
		return x
	})
}

// Wait returns the watched values once every one has resolved, or an error if one has not within
// timeout (an output the mocks leave unknown never resolves).
func (c *Collector) Wait(timeout time.Duration) (map[string]any, error) {
	done := make(chan struct{})
	go func() { c.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
		return nil, errors.New("offline: some watched outputs never resolved")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]any, len(c.vals))
	for k, v := range c.vals {
		out[k] = v
	}
	return out, nil
}

// warnings is a pulumi.Log that keeps what the program logs at warning and error level (the mock
// engine drops every message), so an offline run can show the warnings `pulumi up` would print.
type warnings struct {
	mu       sync.Mutex
	messages []string
}

// Debug drops the message, as pulumi up does by default.
func (l *warnings) Debug(string, *pulumi.LogArgs) error { return nil }

// Info drops the message: rootwatch logs nothing a plan needs at info level.
func (l *warnings) Info(string, *pulumi.LogArgs) error { return nil }

// Warn keeps the message.
func (l *warnings) Warn(msg string, _ *pulumi.LogArgs) error { return l.keep("warning: " + msg) }

// Error keeps the message.
func (l *warnings) Error(msg string, _ *pulumi.LogArgs) error { return l.keep("error: " + msg) }

func (l *warnings) keep(msg string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.messages = append(l.messages, msg)
	return nil
}

// Messages returns what the program run by Run logged at warning and error level, each prefixed
// "warning: " or "error: ", in order.
func (m *Recorder) Messages() []string {
	m.log.mu.Lock()
	defer m.log.mu.Unlock()
	return append([]string(nil), m.log.messages...)
}

const descendantOUs = "aws:organizations/getOrganizationalUnitDescendantOrganizationalUnits:" +
	"getOrganizationalUnitDescendantOrganizationalUnits"

func rootPolicyTypes(o Organization) []any {
	if o.SCPDisabled {
		return []any{}
	}
	return []any{map[string]any{"type": "SERVICE_CONTROL_POLICY", "status": "ENABLED"}}
}

// organizationsPolicies answers the OU and SCP invokes from the Organization, to the management
// account only (a member account that is no delegated administrator may not call them).
func (m *Recorder) organizationsPolicies(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	o := DefaultOrganization
	if m.Env.Organization != nil {
		o = *m.Env.Organization
	}
	if m.managementAccount() != m.Env.AccountID {
		return nil, errors.New("AccessDeniedException: You don't have permissions to access this resource")
	}
	scps := append([]SCP{FullAWSAccess}, o.SCPs...)
	switch {
	case args.Token == descendantOUs:
		children := []any{}
		for _, id := range o.OUs {
			children = append(children, map[string]any{"id": id, "name": "OU " + id,
				"arn": fmt.Sprintf("arn:%s:organizations::%s:ou/%s/%s", m.Env.Partition, m.Env.AccountID, o.ID, id)})
		}
		parent := args.Args["parentId"].StringValue()
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": parent, "parentId": parent, "childrens": children,
		}), nil
	case strings.Contains(args.Token, "getPoliciesForTarget"):
		target := args.Args["targetId"].StringValue()
		ids := []any{}
		for _, p := range scps {
			if p.ID == FullAWSAccess.ID || slices.Contains(p.Targets, target) {
				ids = append(ids, p.ID)
			}
		}
		return resource.NewPropertyMapFromMap(map[string]any{"id": target, "targetId": target,
			"filter": args.Args["filter"].StringValue(), "ids": ids}), nil
	}
	id := args.Args["policyId"].StringValue()
	for _, p := range scps {
		if p.ID == id {
			arn := fmt.Sprintf("arn:%s:organizations::%s:policy/%s/service_control_policy/%s",
				m.Env.Partition, m.Env.AccountID, o.ID, id)
			return resource.NewPropertyMapFromMap(map[string]any{"id": id, "policyId": id, "name": p.Name,
				"content": p.Content, "awsManaged": p.AwsManaged, "type": "SERVICE_CONTROL_POLICY", "description": "",
				"arn": arn}), nil
		}
	}
	return nil, fmt.Errorf("PolicyNotFoundException: no policy %s", id)
}
