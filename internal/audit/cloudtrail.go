package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
)

// CloudTrail is a minimal CloudTrail client: the three read-only calls the trail checks make,
// over CloudTrail's JSON protocol (awsJson1.1), signed with SigV4 from the SDK's credentials.
// The SDK's generated cloudtrail module is not used because the Go module proxy this project
// builds against does not serve it; swap this for it when it does (the calls and fields are the
// same). It does not retry.
type CloudTrail struct {
	Config   aws.Config // credentials, region and HTTP client
	Endpoint string     // e.g. http://127.0.0.1:5000; default https://cloudtrail.REGION.amazonaws.com
}

// apiError is CloudTrail's JSON error; it satisfies smithy.APIError.
type apiError struct{ code, message string }

func (e *apiError) Error() string                 { return fmt.Sprintf("api error %s: %s", e.code, e.message) }
func (e *apiError) ErrorCode() string             { return e.code }
func (e *apiError) ErrorMessage() string          { return e.message }
func (e *apiError) ErrorFault() smithy.ErrorFault { return smithy.FaultUnknown }

func (c *CloudTrail) endpoint() string {
	if c.Endpoint != "" {
		return strings.TrimRight(c.Endpoint, "/")
	}
	host := "amazonaws.com"
	if strings.HasPrefix(c.Config.Region, "cn-") {
		host = "amazonaws.com.cn"
	}
	return "https://cloudtrail." + c.Config.Region + "." + host
}

// call POSTs in as operation op and decodes the answer into out.
func (c *CloudTrail) call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint()+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."+op)
	if c.Config.Credentials == nil {
		return fmt.Errorf("no AWS credentials")
	}
	creds, err := c.Config.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("retrieving AWS credentials: %w", err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "cloudtrail", c.Config.Region, time.Now()); err != nil {
		return err
	}
	hc := c.Config.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Type     string `json:"__type"`
			Message  string `json:"message"`
			Message2 string `json:"Message"`
		}
		_ = json.Unmarshal(data, &e)
		code := e.Type
		if i := strings.LastIndexAny(code, "#"); i >= 0 {
			code = code[i+1:]
		}
		if h := resp.Header.Get("X-Amzn-Errortype"); code == "" && h != "" {
			code, _, _ = strings.Cut(h, ":")
		}
		if code == "" {
			code = resp.Status
		}
		msg := e.Message
		if msg == "" {
			msg = e.Message2
		}
		return &apiError{code: code, message: msg}
	}
	return json.Unmarshal(data, out)
}

// Trail is the part of DescribeTrails' trail the checks read.
type Trail struct {
	Name                       string
	TrailARN                   string
	HomeRegion                 string
	IsMultiRegionTrail         bool
	IncludeGlobalServiceEvents bool
	LogFileValidationEnabled   bool
	KmsKeyID                   string `json:"KmsKeyId"`
	CloudWatchLogsLogGroupArn  string
	CloudWatchLogsRoleArn      string
	S3BucketName               string
	IsOrganizationTrail        bool
}

// DescribeTrails is cloudtrail:DescribeTrails (names empty: every trail, shadow trails included).
func (c *CloudTrail) DescribeTrails(ctx context.Context, names []string) ([]Trail, error) {
	in := map[string]any{"includeShadowTrails": true}
	if len(names) > 0 {
		in["trailNameList"] = names
	}
	var out struct {
		TrailList []Trail `json:"trailList"`
	}
	err := c.call(ctx, "DescribeTrails", in, &out)
	return out.TrailList, err
}

// epoch is a JSON-protocol timestamp (seconds since 1970, fractional).
type epoch float64

func (e epoch) Time() time.Time {
	if e == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(float64(e)*1e9)).UTC()
}

// TrailStatus is the part of GetTrailStatus's answer the checks read.
type TrailStatus struct {
	IsLogging                         bool
	LatestDeliveryError               string
	LatestDeliveryTime                epoch
	LatestCloudWatchLogsDeliveryError string
	LatestCloudWatchLogsDeliveryTime  epoch
}

// GetTrailStatus is cloudtrail:GetTrailStatus.
func (c *CloudTrail) GetTrailStatus(ctx context.Context, name string) (*TrailStatus, error) {
	var out TrailStatus
	if err := c.call(ctx, "GetTrailStatus", map[string]any{"Name": name}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// EventSelectors is GetEventSelectors' answer: basic or advanced selectors.
type EventSelectors struct {
	EventSelectors []struct {
		ReadWriteType           string
		IncludeManagementEvents *bool
	}
	AdvancedEventSelectors []struct {
		Name           string
		FieldSelectors []struct {
			Field     string
			Equals    []string
			NotEquals []string
		}
	}
}

// GetEventSelectors is cloudtrail:GetEventSelectors.
func (c *CloudTrail) GetEventSelectors(ctx context.Context, name string) (*EventSelectors, error) {
	var out EventSelectors
	if err := c.call(ctx, "GetEventSelectors", map[string]any{"TrailName": name}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
