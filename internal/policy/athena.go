package policy

import (
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// Sids of the Athena documents.
const (
	SidAthenaResultsUseKey     = "AthenaQueryResultsThroughS3"
	SidDenyOtherEncryption     = "DenyResultsNotEncryptedWithTheKey"
	SidDenyOtherEncryptionType = "DenyResultsNotEncryptedWithKMS"
)

// AthenaResultsKeyArgs are the inputs of AthenaResultsKey.
type AthenaResultsKeyArgs struct {
	Env awsenv.Env
	// AdminARNs administer the key; none means the account root (the account's IAM policies).
	AdminARNs []string
}

// AthenaResultsKey is the key policy of the customer managed key that encrypts the Athena
// workgroup's query results (SSE_KMS). With SSE_KMS, S3 encrypts and decrypts the result files
// with the key on behalf of whoever runs the query or reads its results, with that principal's
// permissions: the principal needs kms:GenerateDataKey and kms:Decrypt on the key
// (https://docs.aws.amazon.com/athena/latest/ug/encryption.html,
// https://docs.aws.amazon.com/athena/latest/ug/querying-with-kms-encrypted-results.html). So besides
// its administrators the key lets this account's principals (as their IAM policies allow: the
// account-root principal delegates to IAM) use it only through S3 in this region (kms:ViaService)
// and only from this account (kms:CallerAccount)
// (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
// No service principal is named: Athena itself never holds the key.
func AthenaResultsKey(a AthenaResultsKeyArgs) Document {
	e := a.Env
	var es validate.Errors
	checkEnv(&es, e)
	checkAdmins(&es, e, "AdminARNs", a.AdminARNs)
	return newDoc(ResourcePolicy, es.Inline("policy: AthenaResultsKey"),
		keyAdministration(e, a.AdminARNs),
		Statement{
			Sid:       SidAthenaResultsUseKey,
			Effect:    "Allow",
			Principal: AWSPrincipal(e.AccountRootARN()),
			Action:    []string{"kms:GenerateDataKey", "kms:Decrypt"},
			Resource:  []string{"*"},
			Condition: Condition{"StringEquals": {
				"kms:CallerAccount": {e.AccountID},
				"kms:ViaService":    {"s3." + e.Region + "." + e.DNSSuffix},
			}},
		},
	)
}

// AthenaResultsBucketArgs are the inputs of AthenaResultsBucket.
type AthenaResultsBucketArgs struct {
	Env       awsenv.Env
	BucketARN string
	// KeyARN is the results key (AthenaResultsKey), the bucket's default encryption.
	KeyARN string
}

// AthenaResultsBucket is the bucket policy of the Athena query-results bucket. It grants nothing
// (the workgroup's users write and read results with their own IAM permissions,
// https://docs.aws.amazon.com/athena/latest/ug/querying.html#query-results-specify-location) and
// denies: requests without TLS; result files written with another KMS key, or with other than
// KMS encryption, so a client that overrides the encryption cannot leave results the key does
// not protect (https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html).
// A PutObject without encryption headers takes the bucket's default encryption, this key.
func AthenaResultsBucket(a AthenaResultsBucketArgs) Document {
	e := a.Env
	var es validate.Errors
	checkEnv(&es, e)
	checkBucketARN(&es, e, "BucketARN", a.BucketARN)
	checkARN(
		&es,
		e,
		"KeyARN",
		a.KeyARN,
		"kms",
		"key/",
		e.ARN("kms", e.Region, e.AccountID, "key/1234abcd-12ab-34cd-56ef-1234567890ab"),
	)
	objects := a.BucketARN + "/*"
	return newDoc(ResourcePolicy, es.Inline("policy: AthenaResultsBucket"),
		denyInsecureTransport(SidDenyInsecureTransport, []string{"s3:*"}, a.BucketARN, objects),
		Statement{
			Sid:       SidDenyOtherEncryptionType,
			Effect:    "Deny",
			Principal: AnyPrincipal(),
			Action:    []string{"s3:PutObject"},
			Resource:  []string{objects},
			Condition: Condition{"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": {"aws:kms"}}},
		},
		Statement{
			Sid:       SidDenyOtherEncryption,
			Effect:    "Deny",
			Principal: AnyPrincipal(),
			Action:    []string{"s3:PutObject"},
			Resource:  []string{objects},
			Condition: Condition{
				"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": {a.KeyARN}},
			},
		},
	)
}
