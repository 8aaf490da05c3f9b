package plan

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/program"
)

// PlaceholderAccount is the account plan pretends to deploy to without Options.Account.
const PlaceholderAccount = "123456789012"

// Options says what to plan.
type Options struct {
	// Dir is where Pulumi.yaml is looked for: there and in the directories above, as the Pulumi
	// CLI does.
	Dir string
	// Stack names Pulumi.<stack>.yaml; "" means the only stack file, else dev.
	Stack string
	// Account is the 12-digit account to plan for; "" means PlaceholderAccount.
	Account string
}

// ConfigError is an error of the program itself (program.Build): the stack's configuration.
// Its message is the program's own, as pulumi up prints it.
type ConfigError struct{ err error }

func (e ConfigError) Error() string { return e.err.Error() }

// Report is what plan prints, in both formats.
type Report struct {
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
	Warnings  []string   `json:"warnings"`
	Resources []Resource `json:"resources"`
	// Outputs are the stack outputs known before deployment; KnownAfterUp names the others (they
	// hold names or ids AWS or Pulumi assign at creation).
	Outputs      map[string]any  `json:"outputs"`
	KnownAfterUp []string        `json:"knownAfterUp"`
	Policies     []ForeignPolicy `json:"policies"`
	Counts       map[string]int  `json:"counts"`
}

type Resource struct {
	Type     string   `json:"type"`
	Name     string   `json:"name"`
	Parent   string   `json:"parent,omitempty"` // type::name of the parent component
	Settings settings `json:"settings"`

	urn, parentURN string
}

// Run loads the stack's configuration, runs the program offline and describes the result. On
// a configuration error the report still says which keys held secrets.
func Run(opts Options) (*Report, error) {
	p := &Report{}
	sc, err := loadStack(opts, p)
	if err != nil {
		return p, err
	}
	env, org := p.account(sc, opts.Account)
	rec, outs, err := run(sc, env)
	if err != nil {
		return p, err
	}
	p.Warnings = rec.Messages()
	if p.Warnings == nil {
		p.Warnings = []string{}
	}
	if name := sc.Config[sc.Project+":"+program.KeyExistingTrailName]; name != "" {
		p.Assumed = append(p.Assumed, fmt.Sprintf("trail %s and log group %s exist, and the trail logs every "+
			"management event of every region to that log group (pulumi up checks this against AWS first)",
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

// loadStack finds the project and the stack and loads the configuration the CLI would hand the
// program, noting the project, stack, stack file and secret keys in p.
func loadStack(opts Options, p *Report) (*offline.StackConfig, error) {
	projectFile, err := offline.FindProject(opts.Dir)
	if err != nil {
		return nil, err
	}
	stacks, err := offline.Stacks(projectFile)
	if err != nil {
		return nil, err
	}
	name := opts.Stack
	if name == "" {
		name = "dev"
		if len(stacks) == 1 {
			name = stacks[0]
		}
	}
	stackFile, err := offline.StackFile(projectFile, name)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(stackFile); err != nil {
		if opts.Stack != "" || len(stacks) > 0 {
			available := "none"
			if len(stacks) > 0 {
				available = strings.Join(stacks, ", ")
			}
			return nil, fmt.Errorf("no stack %q: %s does not exist (stacks with a stack file in %s: %s)",
				name, filepath.Base(stackFile), filepath.Dir(stackFile), available)
		}
		stackFile = "" // a new stack: Pulumi.yaml's defaults alone
	}
	sc, err := offline.LoadStackConfig(projectFile, name, stackFile)
	if err != nil {
		return nil, err
	}
	p.Project, p.Stack, p.Secrets = sc.Project, sc.Stack, sc.Secrets
	if stackFile != "" {
		p.StackFile, _ = filepath.Rel(filepath.Dir(projectFile), stackFile)
	}
	return sc, nil
}

// account is the account the mocks answer for: the stack's region (else us-east-1) and its
// partition, account (else PlaceholderAccount) and organization (rootwatch:organizationId, else
// the default one); p notes which are placeholders.
func (p *Report) account(sc *offline.StackConfig, account string) (offline.Env, offline.Organization) {
	env := offline.Env{Region: sc.Config["aws:region"], AccountID: account}
	if env.Region == "" {
		env.Region, p.RegionPlaceholder = "us-east-1", true
	}
	if env.AccountID == "" {
		env.AccountID, p.AccountPlaceholder = PlaceholderAccount, true
	}
	env.Partition = awsenv.RegionPartition(env.Region)
	env.DNSSuffix = awsenv.PartitionDNSSuffix(env.Partition)
	org := offline.DefaultOrganization
	if id := sc.Config[sc.Project+":"+program.KeyOrganizationID]; id != "" {
		org.ID = id
	} else {
		p.OrganizationPlaceholder = true
	}
	env.Organization = &org
	p.Region, p.Partition, p.Account = env.Region, env.Partition, env.AccountID
	return env, org
}

// run runs the program offline with sc's configuration and returns the recorder and the exported
// outputs' values as plain JSON values (map[string]any, []any, string, ...), nil for those known
// only after deployment: those holding a value the mock made up (Recorder.Assigned).
func run(sc *offline.StackConfig, env offline.Env) (*offline.Recorder, map[string]any, error) {
	var c offline.Collector
	rec, err := offline.Run(offline.Options{Project: sc.Project, Stack: sc.Stack, Env: &env, Config: sc.Config},
		func(ctx *pulumi.Context) error { return program.Build(ctx, sc.Config, c.Watch) })
	if err != nil {
		return nil, nil, ConfigError{err}
	}
	vals, err := c.Wait(30 * time.Second)
	if err != nil {
		return nil, nil, err
	}
	assigned := rec.Assigned()
	for k, v := range vals {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, nil, err
		}
		var plain any
		if err := json.Unmarshal(b, &plain); err != nil {
			return nil, nil, err
		}
		vals[k] = plain
		for s := range assigned {
			if strings.Contains(string(b), s) {
				vals[k] = nil
				break
			}
		}
	}
	return rec, vals, nil
}

// replacer replaces the values the mock made up with what plan shows for them, longest first.
func replacer(assigned map[string]string) *strings.Replacer {
	olds := slices.Sorted(maps.Keys(assigned))
	sort.SliceStable(olds, func(i, j int) bool { return len(olds[i]) > len(olds[j]) })
	var pairs []string
	for _, o := range olds {
		pairs = append(pairs, o, assigned[o])
	}
	return strings.NewReplacer(pairs...)
}

// describe fills the report from the recorded resources and the outputs.
func (p *Report) describe(rec *offline.Recorder, outs map[string]any, sc *offline.StackConfig) {
	rs := rec.Resources()
	made := replacer(rec.Assigned())
	p.Counts = map[string]int{}
	for _, r := range rs {
		if !r.Custom && strings.HasPrefix(r.Type, "pulumi:pulumi:") {
			continue
		}
		pr := Resource{Type: r.Type, Name: r.Name, Settings: settingsOf(r, made)}
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
	p.Policies = []ForeignPolicy{}
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
		p.Policies = append(p.Policies, ForeignPolicy{
			Output: fp.output, ConfigKey: sc.Project + ":" + fp.configKey, Kind: fp.kind, Resource: resource,
			Account: owner, Sids: sids(doc), Policy: json.RawMessage(doc), KnownAfterUp: doc == "",
		})
	}
}
