// Package policy builds the JSON policy documents rootwatch attaches to AWS resources. They are the
// KMS key policies, the S3 bucket policies, the SNS topic policies, the IAM role policies and the
// root guardrail's service control policy (RootGuardrail). Its builders are pure functions (no
// provider call), so every document can be built and tested without a Pulumi engine or AWS.
//
// Every ARN and service principal is derived from an awsenv.Env, never hard-coded to the aws
// partition (the guardrail matches the root user in any partition, arn:*:iam::*:root, as
// RootPrincipalPattern explains), so the same documents work in the aws, aws-cn and aws-us-gov partitions (and the
// isolated ones).
package policy
