package audit

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// StackInstancesAPI is the CloudFormation call the member-forwarding check makes.
type StackInstancesAPI interface {
	ListStackInstances(
		context.Context,
		*cloudformation.ListStackInstancesInput,
		...func(*cloudformation.Options),
	) (*cloudformation.ListStackInstancesOutput, error)
}

// CheckMemberForwarding is the id of the organization audit's check that a member account has
// the forwarding stack of rootwatch:memberAccountNotifications in every watched region.
const CheckMemberForwarding = "member-forwarding"

var memberForwarding = Result{ID: CheckMemberForwarding,
	Title: "The account forwards its root activity to the central bus (its StackSet instances are current)",
	Remediation: "look at the StackSet's operations for the account (aws cloudformation " +
		"list-stack-set-operation-results), fix the cause (a service control policy, a suspended account), then run " +
		"pulumi up or aws cloudformation update-stack-instances for it"}

// memberFailedInvocations says what the audit cannot see: a forwarding rule that fails to deliver
// shows only in the member account's own metrics, which the audit's root session (IAM only) cannot
// read.
const memberFailedInvocations = "; a forwarding rule failing to deliver shows only in that account's AWS/Events " +
	"FailedInvocations metric, which this audit cannot read"

// MemberForwardingChecks judges, for each member account, the instances of the StackSet that
// rootwatch:memberAccountNotifications deploys (stack output memberStackSetName): PASS when the
// account has an instance in at least one region and every one is CURRENT (and its detailed status,
// where given, SUCCEEDED); FAIL when one is OUTDATED or INOPERABLE, naming the region and reason;
// WARN when the account has none (outside the StackSet's organizational units, or not reached yet
// by automatic deployment: its root activity is then alerted only by the CIS alarm).
// delegatedAdmin makes the call as CloudFormation StackSets' delegated administrator (CallAs
// DELEGATED_ADMIN); the management account calls as SELF. Results carry their account.
func MemberForwardingChecks(
	ctx context.Context,
	c StackInstancesAPI,
	stackSet string,
	members []string,
	delegatedAdmin bool,
) []Result {
	callAs := cftypes.CallAsSelf
	if delegatedAdmin {
		callAs = cftypes.CallAsDelegatedAdmin
	}
	byAccount := map[string][]cftypes.StackInstanceSummary{}
	p := cloudformation.NewListStackInstancesPaginator(
		c,
		&cloudformation.ListStackInstancesInput{StackSetName: aws.String(stackSet), CallAs: callAs},
	)
	var listErr error
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			listErr = err
			break
		}
		for _, in := range page.Summaries {
			a := aws.ToString(in.Account)
			byAccount[a] = append(byAccount[a], in)
		}
	}
	var notFound *cftypes.StackSetNotFoundException
	rs := make([]Result, 0, len(members))
	for _, id := range members {
		r := memberForwarding
		r.Account = id
		switch {
		case errors.As(listErr, &notFound):
			r.Status, r.Detail = Fail, fmt.Sprintf("no StackSet named %s%s: the member accounts' root activity is "+
				"not forwarded (is rootwatch:memberAccountNotifications on?)", stackSet, cfIn(c))
		case listErr != nil:
			r = Errored(r, "cloudformation:ListStackInstances", listErr)
		default:
			r.Status, r.Detail = judgeInstances(stackSet, byAccount[id])
		}
		rs = append(rs, r)
	}
	return rs
}

// cfIn is " in REGION", the region ListStackInstances asked (the stack's memberEventBusArn's,
// else the audit's), "" for a client that does not say.
func cfIn(c StackInstancesAPI) string {
	if o, ok := c.(interface{ Options() cloudformation.Options }); ok && o.Options().Region != "" {
		return " in " + o.Options().Region
	}
	return ""
}

func judgeInstances(stackSet string, ins []cftypes.StackInstanceSummary) (Status, string) {
	if len(ins) == 0 {
		return Warn, fmt.Sprintf("no instance of StackSet %s in this account: it is outside the StackSet's "+
			"organizational units, or automatic deployment has not reached it yet; its root activity is alerted only "+
			"by the CIS alarm on the organization trail", stackSet)
	}
	sort.Slice(ins, func(i, j int) bool { return aws.ToString(ins[i].Region) < aws.ToString(ins[j].Region) })
	var bad, good []string
	for _, in := range ins {
		region := aws.ToString(in.Region)
		detailed := ""
		if in.StackInstanceStatus != nil {
			detailed = string(in.StackInstanceStatus.DetailedStatus)
		}
		if in.Status == cftypes.StackInstanceStatusCurrent &&
			(detailed == "" || detailed == string(cftypes.StackInstanceDetailedStatusSucceeded)) {
			good = append(good, region)
			continue
		}
		what := string(in.Status)
		if detailed != "" {
			what += "/" + detailed
		}
		if reason := aws.ToString(in.StatusReason); reason != "" {
			what += ": " + reason
		}
		bad = append(bad, region+" "+what)
	}
	if len(bad) > 0 {
		return Fail, fmt.Sprintf("StackSet %s's instances are not current in %s: root activity there may "+
			"not be forwarded", stackSet, strings.Join(bad, "; "))
	}
	return Pass, fmt.Sprintf(
		"StackSet %s's instances are current in %s%s",
		stackSet,
		strings.Join(good, ", "),
		memberFailedInvocations,
	)
}
