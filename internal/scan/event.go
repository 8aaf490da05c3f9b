package scan

import (
	"encoding/json"
	"time"
)

// Finding is one matching event for one control: the fields a reviewer needs to answer "was root
// used, by whom, from where, with MFA?".
type Finding struct {
	Time         time.Time `json:"-"`
	EventTime    string    `json:"time"` // eventTime as written by CloudTrail
	Account      string    `json:"account"`
	Region       string    `json:"region"`
	Control      string    `json:"control"`
	EventName    string    `json:"event_name"`
	EventSource  string    `json:"event_source"`
	Outcome      string    `json:"outcome"` // "success" or "failure"
	ErrorCode    string    `json:"error_code,omitempty"`
	ErrorMessage string    `json:"error_message,omitempty"`
	SourceIP     string    `json:"source_ip"`
	UserAgent    string    `json:"user_agent"`
	MFA          string    `json:"mfa_used"` // see mfaOf
	IdentityType string    `json:"identity_type"`
	IdentityARN  string    `json:"identity_arn,omitempty"`
	EventID      string    `json:"event_id,omitempty"`
	Input        string    `json:"input"` // the log file (path or s3:// URL) that held the event
}

// cloudTrailEvent holds the fields of a CloudTrail record that a Finding reports.
type cloudTrailEvent struct {
	EventTime          string `json:"eventTime"`
	EventName          string `json:"eventName"`
	EventSource        string `json:"eventSource"`
	AWSRegion          string `json:"awsRegion"`
	SourceIPAddress    string `json:"sourceIPAddress"`
	UserAgent          string `json:"userAgent"`
	RecipientAccountID string `json:"recipientAccountId"`
	EventID            string `json:"eventID"`
	ErrorCode          string `json:"errorCode"`
	ErrorMessage       string `json:"errorMessage"`
	UserIdentity       struct {
		Type           string `json:"type"`
		ARN            string `json:"arn"`
		AccountID      string `json:"accountId"`
		SessionContext struct {
			Attributes struct {
				MFAAuthenticated any `json:"mfaAuthenticated"`
			} `json:"attributes"`
		} `json:"sessionContext"`
	} `json:"userIdentity"`
	ResponseElements    json.RawMessage `json:"responseElements"`
	AdditionalEventData json.RawMessage `json:"additionalEventData"`
}

// decodeEvent extracts a Finding's fields from a record that matched. Only matching records are
// decoded, so the cost of encoding/json is paid for a handful of events, not for the stream.
func decodeEvent(rec []byte) (Finding, error) {
	var e cloudTrailEvent
	if err := json.Unmarshal(rec, &e); err != nil {
		return Finding{}, err
	}
	f := Finding{
		EventTime:    e.EventTime,
		Account:      e.RecipientAccountID,
		Region:       e.AWSRegion,
		EventName:    e.EventName,
		EventSource:  e.EventSource,
		ErrorCode:    e.ErrorCode,
		ErrorMessage: e.ErrorMessage,
		SourceIP:     e.SourceIPAddress,
		UserAgent:    e.UserAgent,
		IdentityType: e.UserIdentity.Type,
		IdentityARN:  e.UserIdentity.ARN,
		EventID:      e.EventID,
		Outcome:      "success",
	}
	if f.Account == "" {
		f.Account = e.UserIdentity.AccountID
	}
	if t, err := time.Parse(time.RFC3339, e.EventTime); err == nil {
		f.Time = t.UTC()
	}
	// responseElements and additionalEventData are objects, null, or (rarely) other shapes:
	// decode them leniently.
	var resp struct {
		ConsoleLogin string `json:"ConsoleLogin"`
	}
	_ = json.Unmarshal(e.ResponseElements, &resp)
	var add struct {
		MFAUsed any `json:"MFAUsed"`
	}
	_ = json.Unmarshal(e.AdditionalEventData, &add)
	if e.ErrorCode != "" || resp.ConsoleLogin == "Failure" {
		f.Outcome = "failure"
	}
	f.MFA = mfaOf(add.MFAUsed, e.UserIdentity.SessionContext.Attributes.MFAAuthenticated)
	return f, nil
}

// mfaOf reports whether MFA was used: additionalEventData.MFAUsed verbatim when the event has it
// (sign-in events: "Yes", "No", and in AWS's own root example "YES"); otherwise the session's
// userIdentity.sessionContext.attributes.mfaAuthenticated ("true"/"false") for API calls; "-"
// when the event says nothing.
func mfaOf(mfaUsed, mfaAuthenticated any) string {
	if s := scalarString(mfaUsed); s != "" {
		return s
	}
	if s := scalarString(mfaAuthenticated); s != "" {
		return s
	}
	return "-"
}

func scalarString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		if v {
			return "true"
		}
		return "false"
	case float64:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return ""
}
