package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/rootwatch/rootwatch/internal/offline"
)

// Write prints p as text or (format "json") as JSON; with policies, only the policies other
// accounts' owners must apply before the first pulumi up.
func Write(w io.Writer, p *Report, format string, policies bool) error {
	switch {
	case format == "json" && policies:
		return writeJSON(w, struct {
			Project  string          `json:"project"`
			Stack    string          `json:"stack"`
			Account  string          `json:"account"`
			Policies []ForeignPolicy `json:"policies"`
		}{p.Project, p.Stack, p.Account, p.Policies})
	case format == "json":
		return writeJSON(w, p)
	case policies:
		writePoliciesText(w, p)
	default:
		writeText(w, p)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeHeader prints what was planned, for which account, and that nothing was sent.
func writeHeader(w io.Writer, p *Report) {
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
		fmt.Fprintf(
			w,
			"  secrets:      %s cannot be decrypted offline; planned with %q\n",
			strings.Join(p.Secrets, ", "),
			offline.SecretPlaceholder,
		)
	}
	for _, a := range p.Assumed {
		fmt.Fprintf(w, "  assumed:      %s\n", a)
	}
	fmt.Fprintf(w, "  Nothing was sent to AWS: the program ran against Pulumi's mocks, which answer for the "+
		"account above.\n")
	if len(p.Warnings) > 0 {
		fmt.Fprintf(w, "\nWarnings pulumi up would print (%d):\n", len(p.Warnings))
		for _, m := range p.Warnings {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
}

// writeText prints the plan: header, resource tree, outputs, foreign policies and counts.
func writeText(w io.Writer, p *Report) {
	writeHeader(w, p)
	fmt.Fprintf(w, "\nResources pulumi up would create (%d):\n", len(p.Resources))
	children := map[string][]Resource{}
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
				text = "policy document, statements " + strings.Join(sids(s), ", ") + " (rootwatch plan --policies " +
					"prints it when another account must apply it)"
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
		fmt.Fprintf(
			w,
			"Known after pulumi up (names or ids assigned at creation): %s\n",
			strings.Join(p.KnownAfterUp, ", "),
		)
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

// writePoliciesText prints the header and the policies other accounts must hold.
func writePoliciesText(w io.Writer, p *Report) {
	writeHeader(w, p)
	fmt.Fprintln(w)
	if len(p.Policies) == 0 {
		fmt.Fprintf(w, "No other account must hold a policy for stack %s: it creates its own log bucket "+
			"and KMS key and\n"+
			"sets their policies itself (rootwatch:existingBucketName and rootwatch:existingKeyArn are not set).\n",
			p.Stack)
		return
	}
	fmt.Fprintf(w, "Apply these before the first pulumi up: CloudTrail refuses a bucket or key it cannot write to.\n"+
		"Each is the stack output named, exactly as pulumi up will export it for account %s.\n", p.Account)
	for _, fp := range p.Policies {
		fmt.Fprintf(
			w,
			"\n%s: the %s of %s (%s), owned by %s.\n",
			fp.Output,
			fp.Kind,
			fp.Resource,
			fp.ConfigKey,
			fp.Account,
		)
		if fp.KnownAfterUp {
			fmt.Fprintf(w, "  It names values assigned at creation; it is known only after pulumi up.\n")
			continue
		}
		fmt.Fprintf(w, "Merge its statements (Sids %s) into the existing policy; do not replace it "+
			"(docs/log-archive.md).\n", strings.Join(fp.Sids, ", "))
		fmt.Fprintf(w, "%s\n", strings.TrimRight(string(fp.Policy), "\n"))
	}
}
