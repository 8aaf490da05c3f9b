package audit

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Options configure Run.
type Options struct {
	Config   aws.Config // credentials, region, HTTP client (from config.LoadDefaultConfig)
	Endpoint string     // one endpoint for every service (tests, emulators); "" for AWS's
	Trail    string     // the trail's name or ARN; "" for the first multi-region trail
	Now      time.Time  // the time delivery ages are measured from; zero for time.Now
	// Stack is what rootwatch deployed, from the stack's outputs; zero to discover it from the
	// account (an account rootwatch did not deploy, or no outputs at hand).
	Stack StackOutputs
}

// Run runs every check, in order: the root user's credentials, then the trail.
func Run(ctx context.Context, o Options) []Result {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	c := NewClients(o.Config, o.Endpoint)
	trailName := o.Trail
	if trailName == "" {
		trailName = o.Stack.TrailName
	}
	rs := RootChecks(ctx, c.IAM)
	rs = append(rs, CredentialReportChecks(ctx, c.IAM, now)...)
	rs = append(rs, CentralizedRootAccessCheck(ctx, c.Organizations, c.IAM))
	trs, _ := TrailChecks(ctx, c.CloudTrail, trailName, now)
	return append(rs, trs...)
}
