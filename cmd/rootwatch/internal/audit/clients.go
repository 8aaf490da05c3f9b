package audit

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
	"github.com/rootwatch/rootwatch/internal/awsenv"
)

// Clients are the AWS SDK clients the checks call, all built from one configuration and, when
// Endpoint is set, pointed at one endpoint (an emulator such as moto_server).
type Clients struct {
	IAM           *iam.Client
	CloudTrail    *CloudTrail
	Logs          *cloudwatchlogs.Client
	CloudWatch    *cloudwatch.Client
	SNS           *sns.Client
	KMS           *kms.Client
	Events        *eventbridge.Client
	Organizations *organizations.Client
	STS           *sts.Client
	// CloudFormation lists the member-notification StackSet's instances (audit --organization).
	CloudFormation *cloudformation.Client
	// Glue reads rootwatch:athena's table (athena-accounts-projected).
	Glue *glue.Client
}

// cloudWatchQuery is CloudWatch's awsQuery protocol (form-encoded requests, XML answers), the
// one its API reference documents (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/making-api-requests.html).
// The SDK's client speaks CloudWatch's newer Smithy RPCv2 CBOR protocol by default; CloudWatch
// serves both (its model declares both, and the SDK's IAM and SNS clients use this same
// implementation), and emulators such as moto_server answer only the query protocol, so the
// audit, and its tests against moto, use this one.
var cloudWatchQuery = awsquery.New(cwschemas.GraniteServiceVersion20100801)

// NewClients builds every client from cfg, in cfg.Region. endpoint "" leaves each client's
// endpoint to the SDK, which reads the standard settings (AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_<SERVICE>, a profile's endpoint_url and its services section) into the clients
// config.LoadDefaultConfig's configuration builds, else AWS's own endpoints; a non-empty endpoint
// (--endpoint-url) wins over those settings for every service.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
func NewClients(cfg aws.Config, endpoint string) *Clients {
	var ep *string // nil: keep what the SDK resolved from cfg
	if endpoint != "" {
		ep = aws.String(endpoint)
	}
	at := func(base **string) {
		if ep != nil {
			*base = ep
		}
	}
	return &Clients{
		IAM:        iam.NewFromConfig(cfg, func(o *iam.Options) { at(&o.BaseEndpoint) }),
		CloudTrail: &CloudTrail{Config: cfg, Endpoint: endpoint},
		Logs:       cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { at(&o.BaseEndpoint) }),
		CloudWatch: cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
			at(&o.BaseEndpoint)
			o.Protocol = cloudWatchQuery
		}),
		SNS:            sns.NewFromConfig(cfg, func(o *sns.Options) { at(&o.BaseEndpoint) }),
		KMS:            kms.NewFromConfig(cfg, func(o *kms.Options) { at(&o.BaseEndpoint) }),
		Events:         eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) { at(&o.BaseEndpoint) }),
		Organizations:  organizations.NewFromConfig(cfg, func(o *organizations.Options) { at(&o.BaseEndpoint) }),
		STS:            sts.NewFromConfig(cfg, func(o *sts.Options) { at(&o.BaseEndpoint) }),
		CloudFormation: cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) { at(&o.BaseEndpoint) }),
		Glue:           glue.NewFromConfig(cfg, func(o *glue.Options) { at(&o.BaseEndpoint) }),
	}
}

// Regions hands out the audit's clients per region, each set built once, when first asked for,
// from one configuration (a copy of it with the region changed), so that every call about a
// resource goes to the resource's own region whatever --region says.
type Regions struct {
	cfg      aws.Config
	endpoint string
	mu       sync.Mutex
	by       map[string]*Clients
}

// NewRegions is the clients of cfg, per region; cfg.Region is the default region (--region, else
// the SDK's region settings).
func NewRegions(cfg aws.Config, endpoint string) *Regions {
	return &Regions{cfg: cfg, endpoint: endpoint, by: map[string]*Clients{}}
}

// In returns the clients of region ("" for the default region).
func (r *Regions) In(region string) *Clients {
	if region == "" {
		region = r.cfg.Region
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.by[region]; ok {
		return c
	}
	cfg := r.cfg.Copy()
	cfg.Region = region
	c := NewClients(cfg, r.endpoint)
	c.CloudTrail.regions = r
	r.by[region] = c
	return c
}

// Of returns the clients of the region of the first of arns that is an ARN naming a region, else
// of the default region.
func (r *Regions) Of(arns ...string) *Clients {
	for _, a := range arns {
		if region := regionOf(a); region != "" {
			return r.In(region)
		}
	}
	return r.In("")
}

// regionOf returns the region of an ARN ("" when it is not an ARN with a region).
func regionOf(arn string) string {
	if p, ok := awsenv.ParseARN(arn); ok {
		return p.Region
	}
	return ""
}
