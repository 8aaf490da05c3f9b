package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// Sids of the root guardrail SCP's statements; the expiry statements are numbered after
// SidRootExemptionExpired (1, 2, ...), in order of expiry.
const (
	SidDenyRootExceptAssumeRoot = "DenyRootExceptAssumeRoot"
	SidRootExemptionExpired     = "DenyRootExemptionExpired"
	SidDenyRootAlways           = "DenyRootAccessKeysAndEscapes"
)

// RootPrincipalPattern is the ARN pattern the guardrail matches the root user with: every account's
// root user in any partition, as Control Tower's AWS-GR_RESTRICT_ROOT_USER writes it. An SCP only
// ever evaluates the principals of its own organization, which live in one partition, so a
// partition-specific arn:<partition>:iam::*:root would match exactly the same principals; the
// wildcard cannot match none of them should the partition be misread, so it fails closed, and the
// document is the same in every partition.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
const RootPrincipalPattern = "arn:*:iam::*:root"

// RootAlwaysDenied are the actions no exemption lifts: creating root access keys, and the two ways
// an exempted root user could outlast its exemption: leaving the organization, which takes the
// account out from under every SCP
// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_LeaveOrganization.html), and
// sts:GetFederationToken, whose federated-user sessions (principal arn:...:sts::<account>:federated-user/...,
// not the root ARN, for up to an hour when root calls it) the root deny does not match
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html).
var RootAlwaysDenied = []string{"iam:CreateAccessKey", "organizations:LeaveOrganization", "sts:GetFederationToken"}

// MaxSCPSize is the largest SCP AWS Organizations accepts, in characters: every character of the
// content sent through the API counts, white space included, so the guardrail is sent minified.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
const MaxSCPSize = 5120

// Exemption is a break-glass exemption from the guardrail's root deny: one member account or one
// organizational unit (with every account below it), until Expires. Its reason or ticket is kept
// by the caller (in the policy's description and tags), never in the document.
type Exemption struct {
	Account string // a 12-digit account id, or
	OU      string // an OU id, ou-...
	Expires time.Time
}

// Target is the account or OU id the exemption names.
func (x Exemption) Target() string { return x.Account + x.OU }

// String names the exemption in errors: "account 111122223333 until 2027-01-15T00:00:00Z".
func (x Exemption) String() string {
	kind := "account"
	if x.OU != "" {
		kind = "OU"
	}
	return kind + " " + x.Target() + " until " + expiry(x.Expires)
}

// RootGuardrailArgs configures RootGuardrail.
type RootGuardrailArgs struct {
	// OrganizationID (o-...) starts the aws:PrincipalOrgPaths patterns of OU exemptions; it is
	// required when there is one.
	OrganizationID string
	Exemptions     []Exemption
}

// RootGuardrail is the root guardrail SCP (CIS AWS Foundations 2.1.2, an authorization guardrail
// on every account). Statements are OR'ed and a statement's conditions AND'ed:
//
//   - DenyRootExceptAssumeRoot denies every action to a member account's root user
//     (aws:PrincipalArn like RootPrincipalPattern) unless the request comes from an sts:AssumeRoot
//     session (Null aws:AssumedRoot "true": the key is absent, which it is in every request but an
//     AssumeRoot session's; AWS's own example SCP, docs.aws.amazon.com/IAM/latest/UserGuide/
//     reference_policies_condition-keys.html#condition-keys-assumedroot), and unless the account
//     is exempted (StringNotEquals aws:PrincipalAccount) or sits under an
//     exempted OU (ForAllValues:StringNotLike aws:PrincipalOrgPaths "<org>/*/<ou>/*": StringLike's
//     "*" matches any characters, "/" included, so the pattern matches the OU and every OU below
//     it; ForAllValues is true when the key is absent, so a request without org paths is denied:
//     fail closed).
//   - DenyRootExemptionExpiredN, one per expiry (and per kind: accounts, OUs), denies the same to
//     the exemptions expiring then once aws:CurrentTime is past the expiry (DateGreaterThan): an
//     expired exemption closes without a redeploy. An account exempted both by its id and through
//     an OU is let in until the earlier of the two expiries.
//   - DenyRootAccessKeysAndEscapes denies RootAlwaysDenied to the root user outright: no AssumeRoot
//     carve-out (the root task policies delete, audit or recover credentials and unlock resource
//     policies; none needs these) and no exemption, so a break-glass root cannot outlast its expiry.
func RootGuardrail(a RootGuardrailArgs) Document {
	var es validate.Errors
	checkExemptions(&es, a)
	var accounts, ous []string
	for _, x := range a.Exemptions {
		if x.Account != "" {
			accounts = append(accounts, x.Account)
		} else if x.OU != "" {
			ous = append(ous, ouPathPattern(a.OrganizationID, x.OU))
		}
	}
	deny := rootDeny(SidDenyRootExceptAssumeRoot)
	if len(accounts) > 0 {
		deny.Condition["StringNotEquals"] = map[string][]string{"aws:PrincipalAccount": accounts}
	}
	if len(ous) > 0 {
		deny.Condition["ForAllValues:StringNotLike"] = map[string][]string{"aws:PrincipalOrgPaths": ous}
	}
	sts := append([]Statement{deny}, expiryStatements(a)...)
	sts = append(sts, Statement{
		Sid:       SidDenyRootAlways,
		Effect:    "Deny",
		Action:    RootAlwaysDenied,
		Resource:  []string{"*"},
		Condition: Condition{"ArnLike": {"aws:PrincipalArn": {RootPrincipalPattern}}},
	})
	return newDoc(ServiceControlPolicy, es.Inline("policy: RootGuardrail"), sts...)
}

// RootGuardrailJSON is RootGuardrail's document minified, refused when it exceeds MaxSCPSize with
// an error naming its size and the exemptions that make it up.
func RootGuardrailJSON(a RootGuardrailArgs) (string, error) {
	s, err := RootGuardrail(a).CompactJSON()
	if err != nil {
		return "", err
	}
	if len(s) > MaxSCPSize {
		names := make([]string, len(a.Exemptions))
		for i, x := range a.Exemptions {
			names[i] = x.String()
		}
		return "", fmt.Errorf(tooLarge, len(s), MaxSCPSize, len(a.Exemptions), strings.Join(names, ", "))
	}
	return s, nil
}

const tooLarge = "policy: RootGuardrail: the SCP is %d characters minified, over the %d AWS Organizations accepts; " +
	"its %d exemptions make it so (%s): remove expired or unneeded ones, " +
	"or give exemptions of one kind the same expiry (they then share one statement)"

// rootDeny denies every action to long-term root user credentials (not AssumeRoot sessions).
func rootDeny(sid string) Statement {
	return Statement{
		Sid:      sid,
		Effect:   "Deny",
		Action:   []string{"*"},
		Resource: []string{"*"},
		Condition: Condition{
			"ArnLike": {"aws:PrincipalArn": {RootPrincipalPattern}},
			"Null":    {"aws:AssumedRoot": {"true"}},
		},
	}
}

// expiryStatements re-deny the exemptions once they expire: one statement per expiry for the
// accounts, one per expiry for the OUs, in order of expiry.
func expiryStatements(a RootGuardrailArgs) []Statement {
	type group struct {
		at       time.Time
		ou       bool
		patterns []string
	}
	var groups []*group
	find := func(at time.Time, ou bool) *group {
		for _, g := range groups {
			if g.at.Equal(at) && g.ou == ou {
				return g
			}
		}
		g := &group{at: at, ou: ou}
		groups = append(groups, g)
		return g
	}
	for _, x := range a.Exemptions {
		if x.OU != "" {
			g := find(x.Expires, true)
			g.patterns = append(g.patterns, ouPathPattern(a.OrganizationID, x.OU))
		} else if x.Account != "" {
			g := find(x.Expires, false)
			g.patterns = append(g.patterns, x.Account)
		}
	}
	slices.SortStableFunc(groups, func(x, y *group) int {
		if c := x.at.Compare(y.at); c != 0 {
			return c
		}
		if x.ou == y.ou {
			return 0
		} else if x.ou {
			return 1
		}
		return -1
	})
	var out []Statement
	for i, g := range groups {
		s := rootDeny(fmt.Sprintf("%s%d", SidRootExemptionExpired, i+1))
		if g.ou {
			s.Condition["ForAnyValue:StringLike"] = map[string][]string{"aws:PrincipalOrgPaths": g.patterns}
		} else {
			s.Condition["StringEquals"] = map[string][]string{"aws:PrincipalAccount": g.patterns}
		}
		s.Condition["DateGreaterThan"] = map[string][]string{"aws:CurrentTime": {expiry(g.at)}}
		out = append(out, s)
	}
	return out
}

// ouPathPattern matches the organization path of every account in ou or below it. OU ids are
// unique in an organization, so the levels between the root and the OU need not be known.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// (#condition-keys-principalorgpaths)
func ouPathPattern(org, ou string) string { return org + "/*/" + ou + "/*" }

// expiry is the form aws:CurrentTime is compared with (ISO 8601, UTC, seconds).
func expiry(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// checkExemptions reports exemptions that name neither or both an account and an OU, malformed
// ids, a missing expiry, duplicates, and OU exemptions without an organization id. Whether an
// expiry is still in the future is the caller's to check (the document needs no clock).
func checkExemptions(es *validate.Errors, a RootGuardrailArgs) {
	seen := map[string]bool{}
	hasOU := false
	for i, x := range a.Exemptions {
		field := fmt.Sprintf("Exemptions[%d]", i)
		switch {
		case (x.Account == "") == (x.OU == ""):
			es.Add(field, x.Target(), "must name exactly one account or one OU", "")
		case x.Account != "" && !awsenv.IsAccountID(x.Account):
			es.Add(field+".Account", x.Account, "is not an account id", "12 digits")
		case x.OU != "" && !validate.IsOrganizationalUnitID(x.OU):
			es.Add(field+".OU", x.OU, "is not an OU id", validate.OrganizationalUnitIDRule)
		}
		hasOU = hasOU || x.OU != ""
		if x.Expires.IsZero() {
			es.Add(field+".Expires", "", "is missing", "an RFC 3339 time in UTC")
		}
		if seen[x.Target()] {
			es.Add(field, x.Target(), "is exempted twice", "one exemption per account or OU")
		}
		seen[x.Target()] = true
	}
	if hasOU && !validate.IsOrganizationID(a.OrganizationID) {
		es.Add("OrganizationID", a.OrganizationID, "is needed for OU exemptions and is not an organization id",
			validate.OrganizationIDRule)
	}
}
