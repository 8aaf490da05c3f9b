// Package alerttopic builds an SNS topic that reaches people. It makes a customer managed KMS key
// whose policy lets CloudWatch alarms and EventBridge rules use it, the encrypted topic, a topic
// policy that lets only this account's alarms and rules of the topic's region publish (over TLS),
// and the subscriptions. rootwatch's alert topic, its health topic (the second, independent path
// for alarms about the alert path itself) and the health topics of the other watched regions are
// all made by New, each with its own key and policy, so that a broken key or policy never silences
// more than one path.
package alerttopic

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/hardened"
	"github.com/rootwatch/rootwatch/internal/policy"
)

// Subscribers are the endpoints subscribed to a topic. E-mail and HTTPS subscriptions stay pending
// until their owner confirms them; an SQS queue's policy must let the topic send to it.
type Subscribers struct {
	Emails         []string
	HTTPSEndpoints []string
	SQSQueueARNs   []string
}

// Count is the number of endpoints.
func (s Subscribers) Count() int {
	return len(s.Emails) + len(s.HTTPSEndpoints) + len(s.SQSQueueARNs)
}

// Args configures one topic.
type Args struct {
	// Env is the account, partition and region of the topic (the region of the provider it is
	// created with).
	Env awsenv.Env
	// DisplayName is the topic's display name (the sender name of its e-mails).
	DisplayName string
	// KeyDescription describes the key.
	KeyDescription string
	// AliasName is the key alias ("alias/..."); characters KMS refuses are replaced.
	AliasName string
	// Subscribers are subscribed to the topic.
	Subscribers Subscribers
	// KeyAdminARNs administer the key (default: the account).
	KeyAdminARNs []string
	// Tags go on the key and the topic.
	Tags pulumi.StringMap
}

// Topic is what New made.
type Topic struct {
	Arn    pulumi.StringOutput
	KeyArn pulumi.StringOutput
	// Ready are the resources a publisher should wait for: the topic policy and the key (an alarm
	// created before them could fire into a topic that refuses it).
	Ready []pulumi.Resource
}

// New creates the key, alias, topic, topic policy and subscriptions, named name+"-topic-key",
// name+"-topic-key-alias", name+"-topic", name+"-topic-policy" and name+"-<protocol>-<i>". opts
// (parent, provider) go on every resource. The key is retained on delete: it protects messages
// about evidence, and deleting it is what CIS 5.7 watches for.
func New(ctx *pulumi.Context, name string, a Args, opts ...pulumi.ResourceOption) (*Topic, error) {
	keyPolicy, err := policy.TopicKey(policy.TopicKeyArgs{Env: a.Env, AdminARNs: a.KeyAdminARNs}).JSON()
	if err != nil {
		return nil, err
	}
	// A customer managed key, because a topic encrypted with the AWS managed alias/aws/sns key
	// silently drops CloudWatch alarm notifications: its policy cannot be changed to let
	// cloudwatch.amazonaws.com use it.
	// https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
	key, err := hardened.Key(ctx, name+"-topic-key", hardened.KeyArgs{
		Description: pulumi.String(a.KeyDescription),
		Policy:      keyPolicy,
		Alias:       a.AliasName,
		Tags:        a.Tags,
		Retain:      true,
	}, opts...)
	if err != nil {
		return nil, err
	}
	topic, err := sns.NewTopic(ctx, name+"-topic", &sns.TopicArgs{
		DisplayName:    pulumi.String(a.DisplayName),
		KmsMasterKeyId: key.Arn,
		Tags:           a.Tags,
	}, opts...)
	if err != nil {
		return nil, err
	}
	env := a.Env
	topicPolicy := topic.Arn.ApplyT(func(arn string) (string, error) {
		return policy.Topic(policy.TopicArgs{Env: env, TopicARN: arn}).JSON()
	}).(pulumi.StringOutput)
	tp, err := sns.NewTopicPolicy(ctx, name+"-topic-policy", &sns.TopicPolicyArgs{
		Arn:    topic.Arn,
		Policy: topicPolicy,
	}, opts...)
	if err != nil {
		return nil, err
	}
	for _, s := range []struct {
		protocol  string
		endpoints []string
	}{
		{"email", a.Subscribers.Emails},
		{"https", a.Subscribers.HTTPSEndpoints},
		{"sqs", a.Subscribers.SQSQueueARNs},
	} {
		for i, ep := range s.endpoints {
			subName := fmt.Sprintf("%s-%s-%d", name, s.protocol, i)
			if _, err := sns.NewTopicSubscription(ctx, subName, &sns.TopicSubscriptionArgs{
				Topic:    topic.Arn,
				Protocol: pulumi.String(s.protocol),
				Endpoint: pulumi.String(ep),
			}, opts...); err != nil {
				return nil, err
			}
		}
	}
	return &Topic{Arn: topic.Arn, KeyArn: key.Arn, Ready: []pulumi.Resource{tp, key}}, nil
}

// AliasPart cleans a name prefix for use inside a key alias.
func AliasPart(prefix, suffix string) string {
	return strings.Trim(prefix+suffix, "-/")
}
