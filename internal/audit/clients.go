package audit

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
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
}

// NewClients builds every client from cfg; endpoint "" means AWS's own endpoints.
func NewClients(cfg aws.Config, endpoint string) *Clients {
	var ep *string
	if endpoint != "" {
		ep = aws.String(endpoint)
	}
	return &Clients{
		IAM:        iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = ep }),
		CloudTrail: &CloudTrail{Config: cfg, Endpoint: endpoint},
		Logs:       cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { o.BaseEndpoint = ep }),
		CloudWatch: cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
			if o.BaseEndpoint = ep; ep != nil {
				o.Protocol = cloudWatchEmulatorProtocol()
			}
		}),
		SNS:           sns.NewFromConfig(cfg, func(o *sns.Options) { o.BaseEndpoint = ep }),
		KMS:           kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = ep }),
		Events:        eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) { o.BaseEndpoint = ep }),
		Organizations: organizations.NewFromConfig(cfg, func(o *organizations.Options) { o.BaseEndpoint = ep }),
		STS:           sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = ep }),
	}
}

// cloudWatchEmulatorProtocol is CloudWatch's AWS JSON 1.0 protocol, which CloudWatch accepts beside
// the Smithy RPC v2 CBOR the SDK speaks by default (and awsQuery). With an endpoint given the
// audit speaks JSON 1.0: emulators such as moto_server 5.2 serve CloudWatch's JSON and query
// protocols but not CBOR (its /service/.../operation/... paths answer 404).
func cloudWatchEmulatorProtocol() *awsjson.Protocol {
	return awsjson.New10(cwschemas.GraniteServiceVersion20100801)
}
