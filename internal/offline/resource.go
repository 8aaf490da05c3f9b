package offline

import (
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NewResource records a registration and returns the outputs AWS would compute.
func (m *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	env := m.record(registration(args), args)
	o := &made{args: args, env: env, id: args.Name + "-id", out: args.Inputs.Copy(), management: m.managementAccount}
	if fill := computed[args.TypeToken]; fill != nil {
		fill(o)
	}
	m.noteAssigned(args, o.id, o.out)
	return o.id, o.out, nil
}

// registration is the Resource args register: its options and its dependencies, explicit and
// through its inputs, sorted.
func registration(args pulumi.MockResourceArgs) Resource {
	r := Resource{Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Inputs: args.Inputs}
	rpc := args.RegisterRPC
	if rpc == nil {
		return r
	}
	r.Parent = rpc.GetParent()
	r.RetainOnDelete = rpc.RetainOnDelete != nil && *rpc.RetainOnDelete
	r.Protect = rpc.Protect != nil && *rpc.Protect
	r.IgnoreChanges = rpc.GetIgnoreChanges()
	deps := map[string]bool{}
	for _, d := range rpc.GetDependencies() {
		deps[d] = true
	}
	for _, pd := range rpc.GetPropertyDependencies() {
		for _, d := range pd.GetUrns() {
			deps[d] = true
		}
	}
	for d := range deps {
		r.Dependencies = append(r.Dependencies, d)
	}
	sort.Strings(r.Dependencies)
	return r
}

// record keeps r and returns the account the resource lives in: a resource created through an
// explicit aws provider lives in that provider's region, and its ARNs say so, as AWS's would.
func (m *Recorder) record(r Resource, args pulumi.MockResourceArgs) Env {
	e := m.Env
	m.mu.Lock()
	defer m.mu.Unlock()
	m.resources = append(m.resources, r)
	if args.TypeToken == "pulumi:providers:aws" {
		if v, ok := args.Inputs["region"]; ok && v.IsString() {
			if m.providerRegions == nil {
				m.providerRegions = map[string]string{}
			}
			m.providerRegions[args.Name] = v.StringValue()
		}
	} else if parts := strings.Split(args.Provider, "::"); len(parts) >= 2 {
		if region := m.providerRegions[parts[len(parts)-2]]; region != "" {
			e.Region = region
		}
	}
	return e
}

// noteAssigned remembers the values the mock made up for what AWS or Pulumi assign at creation
// (auto-names, key ids, resource ids): the id and the string outputs that are not inputs, other
// than ARNs. See Assigned.
func (m *Recorder) noteAssigned(args pulumi.MockResourceArgs, id string, out resource.PropertyMap) {
	inputs := map[string]bool{}
	for _, v := range args.Inputs {
		if v.IsString() {
			inputs[v.StringValue()] = true
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.assigned == nil {
		m.assigned = map[string]string{}
	}
	note := func(key, s string) {
		if s == "" || inputs[s] || strings.HasPrefix(s, "arn:") {
			return
		}
		if strings.HasPrefix(s, args.Name+"-") && key != "id" {
			m.assigned[s] = args.Name + "-xxxxxxx"
		} else {
			m.assigned[s] = "<" + args.Name + "." + key + ">"
		}
	}
	note("id", id)
	for k, v := range out {
		if _, in := args.Inputs[k]; !in && v.IsString() {
			note(string(k), v.StringValue())
		}
	}
}

// Assigned maps each value the mock made up for what AWS or Pulumi assign at creation to what
// stands for it before deployment: NAME-xxxxxxx for an auto-name (Pulumi appends seven random
// characters), <NAME.KEY> for an id or another assigned output. Outputs holding one are known
// only after deployment.
func (m *Recorder) Assigned() map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.assigned)
}

// made is one resource's outputs as the mock computes them.
type made struct {
	args       pulumi.MockResourceArgs
	env        Env // the account and region the resource lives in
	id         string
	out        resource.PropertyMap
	management func() string // the organization's management account
}

// arn sets out[key] to the ARN of res in service, region and account of the resource's partition.
func (o *made) arn(key, service, region, account, res string) string {
	a := fmt.Sprintf("arn:%s:%s:%s:%s:%s", o.env.Partition, service, region, account, res)
	o.out[resource.PropertyKey(key)] = resource.NewProperty(a)
	return a
}

// str is the string input k ("" when unset or not a string).
func (o *made) str(k string) string {
	if v, ok := o.args.Inputs[resource.PropertyKey(k)]; ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}

// autoName is input k, or the name Pulumi would make up for it, which it also sets as output k.
func (o *made) autoName(k string) string {
	name := o.str(k)
	if name == "" {
		name = o.args.Name + "-0123456"
	}
	o.out[resource.PropertyKey(k)] = resource.NewProperty(name)
	return name
}

// computed fills, per resource type, the id and the outputs AWS computes (ARNs, ids, names)
// that the components feed into their policies; other types get NAME-id and their inputs.
var computed = map[string]func(*made){
	"aws:s3/bucketV2:BucketV2": func(o *made) {
		o.id = o.autoName("bucket")
		o.arn("arn", "s3", "", "", o.id)
	},
	"aws:kms/key:Key": func(o *made) {
		o.id = "1234abcd-12ab-34cd-56ef-" + fmt.Sprintf("%012x", len(o.args.Name))
		o.out["keyId"] = resource.NewProperty(o.id)
		o.arn("arn", "kms", o.env.Region, o.env.AccountID, "key/"+o.id)
	},
	"aws:kms/alias:Alias": func(o *made) {
		o.id = o.str("name")
		o.arn("arn", "kms", o.env.Region, o.env.AccountID, o.id)
	},
	"aws:cloudwatch/logGroup:LogGroup": func(o *made) {
		o.id = o.str("name")
		o.arn("arn", "logs", o.env.Region, o.env.AccountID, "log-group:"+o.id)
	},
	"aws:iam/role:Role": func(o *made) {
		o.id = o.autoName("name")
		o.arn("arn", "iam", "", o.env.AccountID, "role/"+o.id)
	},
	"aws:iam/policy:Policy": func(o *made) {
		o.id = o.arn("arn", "iam", "", o.env.AccountID, "policy/"+o.autoName("name"))
	},
	"aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration": func(o *made) {
		o.id = o.arn("chatConfigurationArn", "chatbot", "", o.env.AccountID,
			"chat-configuration/slack-channel/"+o.str("configurationName"))
	},
	"aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration": func(o *made) {
		o.id = o.arn("chatConfigurationArn", "chatbot", "", o.env.AccountID,
			"chat-configuration/microsoft-teams-channel/"+o.str("configurationName"))
	},
	"aws:cloudtrail/trail:Trail": func(o *made) {
		o.id = o.str("name")
		// The management account owns an organization trail, also one that CloudTrail's delegated
		// administrator (the mock's account) creates: AWS records its ARN there.
		owner := o.env.AccountID
		if v, ok := o.args.Inputs["isOrganizationTrail"]; ok && v.IsBool() && v.BoolValue() {
			owner = o.management()
		}
		o.arn("arn", "cloudtrail", o.env.Region, owner, "trail/"+o.id)
	},
	"aws:sns/topic:Topic": func(o *made) {
		o.id = o.arn("arn", "sns", o.env.Region, o.env.AccountID, o.autoName("name"))
	},
	"aws:cloudwatch/metricAlarm:MetricAlarm": func(o *made) {
		o.arn("arn", "cloudwatch", o.env.Region, o.env.AccountID, "alarm:"+o.str("name"))
	},
	"aws:cfg/rule:Rule": func(o *made) {
		o.id = o.str("name")
		ruleID := fmt.Sprintf("config-rule-%06x", len(o.id))
		o.out["ruleId"] = resource.NewProperty(ruleID)
		o.arn("arn", "config", o.env.Region, o.env.AccountID, "config-rule/"+ruleID)
	},
	"aws:organizations/policy:Policy": func(o *made) {
		org := DefaultOrganization
		if o.env.Organization != nil {
			org = *o.env.Organization
		}
		o.id = fmt.Sprintf("p-%08x", len(o.args.Name))
		o.arn("arn", "organizations", "", o.management(), "policy/"+org.ID+"/service_control_policy/"+o.id)
	},
	"aws:iam/organizationsFeatures:OrganizationsFeatures": func(o *made) {
		org := DefaultOrganization
		if o.env.Organization != nil {
			org = *o.env.Organization
		}
		o.id = org.ID
	},
	"aws:cloudwatch/eventRule:EventRule": func(o *made) {
		name := o.autoName("name")
		// A rule on a custom bus is rule/<bus>/<name>.
		if bus := o.str("eventBusName"); bus != "" && bus != "default" {
			name = bus + "/" + name
		}
		o.arn("arn", "events", o.env.Region, o.env.AccountID, "rule/"+name)
	},
	"aws:cloudwatch/eventBus:EventBus": func(o *made) {
		o.id = o.str("name")
		o.arn("arn", "events", o.env.Region, o.env.AccountID, "event-bus/"+o.id)
	},
	"aws:cloudformation/stackSet:StackSet": func(o *made) {
		o.id = o.str("name")
		stackSetID := o.id + ":01234567-89ab-cdef-0123-456789abcdef"
		o.out["stackSetId"] = resource.NewProperty(stackSetID)
		o.arn("arn", "cloudformation", o.env.Region, o.env.AccountID, "stackset/"+stackSetID)
	},
	"aws:cloudformation/stackSetInstance:StackSetInstance": func(o *made) {
		// The provider's id: stack set name, deployment targets (OU ids joined by /), region.
		var ous []string
		if t, ok := o.args.Inputs["deploymentTargets"]; ok && t.IsObject() {
			if v, ok := t.ObjectValue()["organizationalUnitIds"]; ok && v.IsArray() {
				for _, x := range v.ArrayValue() {
					ous = append(ous, x.StringValue())
				}
			}
		}
		o.id = o.str("stackSetName") + "," + strings.Join(ous, "/") + "," + o.str("region")
	},
}
