package audit

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// Options configure Run.
type Options struct {
	Config   aws.Config // credentials, region, HTTP client (from config.LoadDefaultConfig)
	Endpoint string     // one endpoint for every service (tests, emulators); "" for AWS's
	Trail    string     // the trail's name or ARN; "" for the first multi-region trail
	Now      time.Time  // the time delivery ages are measured from; zero for time.Now
}

// Run runs every check, in order: the root user's credentials, then the trail.
func Run(ctx context.Context, o Options) []Result {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	ic := iam.NewFromConfig(o.Config, func(io *iam.Options) {
		if o.Endpoint != "" {
			io.BaseEndpoint = aws.String(o.Endpoint)
		}
	})
	rs := RootChecks(ctx, ic)
	trs, _ := TrailChecks(ctx, &CloudTrail{Config: o.Config, Endpoint: o.Endpoint}, o.Trail, now)
	return append(rs, trs...)
}
