package audit

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
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
}

// cloudWatchQuery is CloudWatch's awsQuery protocol (form-encoded requests, XML answers), the
// one its API reference documents (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/making-api-requests.html).
// The SDK's client speaks CloudWatch's newer Smithy RPCv2 CBOR protocol by default; CloudWatch
// serves both (its model declares both, and the SDK's IAM and SNS clients use this same
// implementation), and emulators such as moto_server answer only the query protocol, so the
// audit, and its tests against moto, use this one.
var cloudWatchQuery = awsquery.New(cwschemas.GraniteServiceVersion20100801)

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
			o.BaseEndpoint = ep
			o.Protocol = cloudWatchQuery
		}),
		SNS:            sns.NewFromConfig(cfg, func(o *sns.Options) { o.BaseEndpoint = ep }),
		KMS:            kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = ep }),
		Events:         eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) { o.BaseEndpoint = ep }),
		Organizations:  organizations.NewFromConfig(cfg, func(o *organizations.Options) { o.BaseEndpoint = ep }),
		STS:            sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = ep }),
		CloudFormation: cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) { o.BaseEndpoint = ep }),
	}
}
