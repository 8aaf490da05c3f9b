package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// S3 request retries: the SDK's standard retryer (exponential backoff with jitter, on throttling,
// 5xx and connection errors) with more attempts than its default 3 and without its client-side
// retry quota, so that a long scan rides out throttling instead of giving up on objects.
const (
	s3MaxAttempts = 10
	s3MaxBackoff  = 20 * time.Second
	// s3BodyRetries is how many times a download that breaks mid-body is resumed (by a new GET;
	// the records already scanned are skipped).
	s3BodyRetries = 3
	// s3ListConcurrency bounds concurrent ListObjectsV2 calls.
	s3ListConcurrency = 8
)

// S3Client reads CloudTrail logs from S3 with the default credential chain.
type S3Client struct {
	cfg      aws.Config
	endpoint string
	mu       sync.Mutex
	byRegion map[string]*s3.Client
	region   string // the configured region
	explicit bool   // region given by the user or the environment (not the us-east-1 fallback)
}

// NewS3Client loads the AWS configuration (environment, shared config and credentials files,
// SSO, web identity, container and instance roles: the SDK's default chain). region overrides
// the configured region; endpointURL, if set, is used for every request with path-style
// addressing (MinIO, LocalStack, gofakes3, VPC endpoints).
func NewS3Client(ctx context.Context, region, endpointURL string) (*S3Client, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = s3MaxAttempts
				o.MaxBackoff = s3MaxBackoff
				o.RateLimiter = ratelimit.None
			})
		}),
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	c := &S3Client{
		cfg:      cfg,
		endpoint: endpointURL,
		byRegion: map[string]*s3.Client{},
		region:   cfg.Region,
		explicit: cfg.Region != "",
	}
	if c.region == "" {
		c.region = "us-east-1"
	}
	return c, nil
}

func (c *S3Client) client(region string) *s3.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.byRegion[region]; ok {
		return cl
	}
	cl := s3.NewFromConfig(c.cfg, func(o *s3.Options) {
		o.Region = region
		// S3-compatible servers send no checksums; don't log that for every object.
		o.DisableLogOutputChecksumValidationSkipped = true
		if c.endpoint != "" {
			o.BaseEndpoint = aws.String(c.endpoint)
			o.UsePathStyle = true
		}
	})
	c.byRegion[region] = cl
	return cl
}

// checkCredentials asks the default chain for credentials (they are cached for the requests
// that follow), so that having none is said in one line before any request fails on it.
func (c *S3Client) checkCredentials(ctx context.Context) error {
	if c.cfg.Credentials == nil {
		return errors.New(noCredentials)
	}
	if _, err := c.cfg.Credentials.Retrieve(ctx); err != nil {
		return errors.New(noCredentials)
	}
	return nil
}

const noCredentials = "no AWS credentials: the SDK's default chain found none (set AWS_PROFILE, or AWS_ACCESS_KEY_ID " +
	"and AWS_SECRET_ACCESS_KEY, or run aws sso login)"

// bucketClient returns a client for the bucket's own region. When the region was not configured,
// it asks S3 where the bucket is (HeadBucket answers with x-amz-bucket-region even when it
// redirects), so that "rootwatch scan s3://bucket" works without --region.
func (c *S3Client) bucketClient(ctx context.Context, bucket string) *s3.Client {
	cl := c.client(c.region)
	if c.explicit || c.endpoint != "" {
		return cl
	}
	out, err := cl.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	region := ""
	if err == nil && out.BucketRegion != nil {
		region = *out.BucketRegion
	}
	var re *awshttp.ResponseError
	if err != nil && errors.As(err, &re) && re.Response != nil {
		region = re.Response.Header.Get("X-Amz-Bucket-Region")
	}
	if region == "" || region == c.region {
		return cl
	}
	return c.client(region)
}

// ParseS3URL splits s3://bucket/prefix.
func ParseS3URL(u string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(u, "s3://")
	if !ok {
		return "", "", fmt.Errorf("%q is not an s3:// URL", u)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("%q names no bucket", u)
	}
	return bucket, prefix, nil
}

// S3Source enumerates the CloudTrail log files under s3://Bucket/Prefix whose delivery day lies
// in the scan window. Prefix may be the trail's key prefix (the folder above AWSLogs/), or any
// folder below it down to .../CloudTrail/<region>/ or a single day. Accounts, organization IDs
// and regions are discovered by delimiter listing, in both layouts CloudTrail writes:
//
//	[prefix/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/       (account trail)
//	[prefix/]AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/  (organization trail)
//
// and then only the day prefixes inside the window are listed.
type S3Source struct {
	Client *S3Client
	Bucket string
	Prefix string
}

func (s *S3Source) String() string { return "s3://" + s.Bucket + "/" + s.Prefix }

var dayPathRe = regexp.MustCompile(`^\d{4}(/\d{2}(/\d{2})?)?/?$`)

// level says where a key prefix sits in the CloudTrail layout.
type level int

const (
	lvAbove      level = iota // the user's trail prefix, above AWSLogs/
	lvAWSLogs                 // AWSLogs/: accounts or organization IDs below
	lvOrg                     // AWSLogs/<org-id>/: accounts below
	lvAccount                 // .../<account>/: services (CloudTrail, CloudTrail-Digest, ...) below
	lvCloudTrail              // .../CloudTrail/: regions below
	lvRegion                  // .../CloudTrail/<region>/: YYYY/MM/DD/ below
	lvDay                     // inside a region's date folders: listed whole
	lvOther                   // not part of the CloudTrail layout (skipped)
)

// classify returns the level of a folder prefix (ending in "/", or empty) and the account ID it
// names, if any.
func classify(prefix string) (level, string) {
	segs := strings.Split(strings.TrimSuffix(prefix, "/"), "/")
	if prefix == "" {
		return lvAbove, ""
	}
	i := -1
	for j, s := range segs {
		if s == "AWSLogs" {
			i = j
		}
	}
	if i < 0 {
		return lvAbove, ""
	}
	rest := segs[i+1:]
	if len(rest) == 0 {
		return lvAWSLogs, ""
	}
	if validate.IsOrganizationID(rest[0]) {
		if len(rest) == 1 {
			return lvOrg, ""
		}
		rest = rest[1:]
	}
	if !awsenv.IsAccountID(rest[0]) {
		return lvOther, ""
	}
	acct := rest[0]
	switch {
	case len(rest) == 1:
		return lvAccount, acct
	case rest[1] != "CloudTrail":
		return lvOther, acct
	case len(rest) == 2:
		return lvCloudTrail, acct
	case len(rest) == 3:
		return lvRegion, acct
	case dayPathRe.MatchString(strings.Join(rest[3:], "/")):
		return lvDay, acct
	}
	return lvOther, acct
}

func (s *S3Source) url(key string) string { return "s3://" + s.Bucket + "/" + key }

// Check asks for credentials and for the bucket (HeadBucket): no credentials, or a bucket that
// does not exist, stop the scan before it starts. A denied HeadBucket does not: a policy may
// allow s3:ListBucket on the trail's prefix only, which the listing then uses (and reports on).
func (s *S3Source) Check(ctx context.Context) error {
	if err := s.Client.checkCredentials(ctx); err != nil {
		return fmt.Errorf("s3://%s: %w", s.Bucket, err)
	}
	cl := s.Client.bucketClient(ctx, s.Bucket)
	_, err := cl.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.Bucket)})
	var ae smithy.APIError
	if err == nil || (errors.As(err, &ae) && (ae.ErrorCode() == "Forbidden" || ae.ErrorCode() == "AccessDenied")) {
		return nil
	}
	if errors.As(err, &ae) && (ae.ErrorCode() == "NotFound" || ae.ErrorCode() == "NoSuchBucket") {
		return fmt.Errorf("s3://%s: no such bucket", s.Bucket)
	}
	return fmt.Errorf("s3://%s: %w", s.Bucket, err)
}

// LookedFor describes the key layout Enumerate walks.
func (s *S3Source) LookedFor(w Window) string {
	return fmt.Sprintf("looked for *.json.gz and *.json objects in "+
		"AWSLogs/[<org-id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/ day folders from %s to %s",
		w.Since.Add(-clockSkew).UTC().Format("2006-01-02"), w.Until.Add(DeliveryMargin).UTC().Format("2006-01-02"))
}

// Enumerate lists the log files in the window.
func (s *S3Source) Enumerate(ctx context.Context, w Window, l Lister) {
	cl := s.Client.bucketClient(ctx, s.Bucket)
	prefix := s.Prefix
	if isLogFileName(prefix) { // a single object
		l.Emit(s.input(cl, prefix, -1, ""))
		return
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	// Walk down the layout with delimiter listings to the region folders (few calls), then
	// list the day folders of every region in parallel.
	type job struct{ prefix, account string }
	var days []job
	var walk func(p string, depthAbove int)
	walk = func(p string, depthAbove int) {
		if ctx.Err() != nil {
			return
		}
		lv, acct := classify(p)
		switch lv {
		case lvRegion:
			for _, d := range dayPrefixes(w) {
				days = append(days, job{p + d, acct})
			}
			return
		case lvDay:
			days = append(days, job{p, acct})
			return
		case lvOther:
			return
		}
		children, err := s.listFolders(ctx, cl, p)
		if err != nil {
			l.Problem(s.url(p), err)
			return
		}
		for _, c := range children {
			name := strings.TrimSuffix(strings.TrimPrefix(c, p), "/")
			switch lv {
			case lvAbove:
				if name != "AWSLogs" && depthAbove >= 3 {
					continue
				}
				walk(c, depthAbove+1)
			case lvAWSLogs, lvOrg:
				if awsenv.IsAccountID(name) || (lv == lvAWSLogs && validate.IsOrganizationID(name)) {
					walk(c, depthAbove)
				}
			case lvAccount:
				if name == "CloudTrail" {
					walk(c, depthAbove)
				}
			case lvCloudTrail:
				walk(c, depthAbove)
			}
		}
	}
	walk(prefix, 0)

	jobs := make(chan job)
	var wg sync.WaitGroup
	for range s3ListConcurrency {
		wg.Go(func() {
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				s.listDay(ctx, cl, j.prefix, j.account, w, l)
			}
		})
	}
	for _, j := range days {
		select {
		case jobs <- j:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
}

// dayPrefixes lists the YYYY/MM/DD/ folders that can hold files with events in w: from the day
// the window starts (less clock skew) to the day it ends plus DeliveryMargin.
func dayPrefixes(w Window) []string {
	first := w.Since.Add(-clockSkew).UTC().Truncate(24 * time.Hour)
	last := w.Until.Add(DeliveryMargin).UTC()
	var out []string
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format("2006/01/02/"))
	}
	return out
}

func (s *S3Source) listFolders(ctx context.Context, cl *s3.Client, prefix string) ([]string, error) {
	var out []string
	p := s3.NewListObjectsV2Paginator(
		cl,
		&s3.ListObjectsV2Input{Bucket: aws.String(s.Bucket), Prefix: aws.String(prefix), Delimiter: aws.String("/")},
	)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return out, err
		}
		for _, cp := range page.CommonPrefixes {
			out = append(out, aws.ToString(cp.Prefix))
		}
	}
	return out, nil
}

func (s *S3Source) listDay(ctx context.Context, cl *s3.Client, prefix, account string, w Window, l Lister) {
	p := s3.NewListObjectsV2Paginator(
		cl,
		&s3.ListObjectsV2Input{Bucket: aws.String(s.Bucket), Prefix: aws.String(prefix)},
	)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			if ctx.Err() == nil {
				l.Problem(s.url(prefix), err)
			}
			return
		}
		for _, o := range page.Contents {
			key := aws.ToString(o.Key)
			if !isLogKey(key) {
				l.NotLog(s.url(key))
				continue
			}
			if outsideWindow(key, w) {
				continue
			}
			if !l.Emit(s.input(cl, key, aws.ToInt64(o.Size), account)) {
				return
			}
		}
	}
}

func (s *S3Source) input(cl *s3.Client, key string, size int64, account string) Input {
	if account == "" {
		_, account = classify(key[:strings.LastIndex(key, "/")+1])
	}
	return Input{
		Name:    s.url(key),
		Size:    size,
		Account: account,
		Retries: s3BodyRetries,
		Open: func(ctx context.Context) (io.ReadCloser, error) {
			out, err := cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(key)})
			if err != nil {
				return nil, err // the SDK's retryer has already retried what was transient
			}
			return out.Body, nil
		},
	}
}
