// Package athena is the rootwatch:athena:Athena Pulumi component: Athena over the trail's bucket. A
// platform team reviews an organization's CloudTrail history where it already is, with the same
// filter patterns the alarms deploy.
//
// # What it creates
//
//   - a Glue database and a table shaped as AWS's Athena guide defines the CloudTrail table
//     (athenasql.Columns; Hive's JSON SerDe over CloudTrail's input format), partitioned by
//     projection: account and region as enums, the day (yyyy/MM/dd) as a date, under the layout
//     the trail writes, [prefix/]AWSLogs/[organization id/]<account>/CloudTrail/<region>/<day>/.
//     No crawler and no MSCK REPAIR TABLE are ever needed; a query names the days it reads;
//   - a customer managed KMS key (rotation on) for query results, usable only through S3 in the
//     stack's region by this account's principals (internal/policy.AthenaResultsKey);
//   - the results bucket: BucketOwnerEnforced, all public access blocked, SSE-KMS with that key and
//     an S3 Bucket Key, results expiring after ResultsExpirationDays, a policy that denies requests
//     without TLS and results encrypted otherwise (internal/policy.AthenaResultsBucket);
//   - an Athena workgroup (engine version 3) that enforces its settings over the clients' (results
//     location, SSE_KMS with the key), caps the bytes one query may scan, and publishes CloudWatch
//     metrics;
//   - named queries: one per catalogue control (its filter patterns translated by package
//     athenasql, the same events its alarm counts) and a root-activity summary (who, with which
//     credential, from where, when, per account), each over the last QueryDays days of the
//     projected partition, so it reads only those days' log files.
//
// The key and the bucket are retained when removed from the stack unless ForceDestroy is set.
//
// Readers need, in their IAM policies: athena:StartQueryExecution and the other query actions
// on the workgroup (and athena:GetWorkGroup, which rootwatch scan --athena calls first),
// glue:GetDatabase/GetTable on the database and table, s3:GetObject and s3:ListBucket on the
// trail bucket's log files, kms:Decrypt on the trail key (log files) and
// kms:GenerateDataKey/kms:Decrypt on the results key, and s3:PutObject/GetObject on the results
// bucket. docs/athena.md lists them.
package athena
