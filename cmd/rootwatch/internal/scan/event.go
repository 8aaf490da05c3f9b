package scan

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rootwatch/rootwatch/filterpattern"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/jsonlex"
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
	// Principal is who acted, for a ticket: userIdentity.arn, or else "<type> <userName>", or the
	// type alone (see principalOf).
	Principal string `json:"principal"`
	EventID   string `json:"event_id,omitempty"`
	// ConsoleURL is the event's page in the CloudTrail console's event history, in the console of
	// the event region's partition ("" without an event id, or in a partition whose console
	// rootwatch does not know).
	ConsoleURL string `json:"console_url,omitempty"`
	// RequestParameters is requestParameters as compact JSON, cut to RequestSummaryLen characters
	// with a trailing "…" ("" when the event has none).
	RequestParameters string `json:"request_parameters,omitempty"`
	Input             string `json:"input"` // the log file (path or s3:// URL) that held the event
	// AccessKeyID is userIdentity.accessKeyId, the credential the request was signed with ("" for
	// a console sign-in); Credential is its kind, see credentialOf.
	AccessKeyID string `json:"access_key_id"`
	Credential  string `json:"credential"`
	// On an sts:AssumeRoot finding (control root-session-opened), whose caller is IdentityARN:
	// the member account the root session was opened on (requestParameters.targetPrincipal),
	// its task policy (requestParameters.taskPolicyArn.arn) and the session's access key id
	// (responseElements.credentials.accessKeyId; none when the call failed).
	TargetAccount string `json:"target_account,omitempty"`
	TaskPolicyARN string `json:"task_policy_arn,omitempty"` // also set on linked findings: the session's task policy
	SessionKeyID  string `json:"session_access_key_id,omitempty"`
	// On a root finding made with a session key that an AssumeRoot event in the scanned logs
	// opened (see linkSessions): who opened the session (userIdentity.arn of AssumeRoot), from
	// which account, when, and that event's id.
	SessionOpenedBy        string `json:"session_opened_by,omitempty"`
	SessionOpenedByAccount string `json:"session_opened_by_account,omitempty"`
	SessionOpenedAt        string `json:"session_opened_at,omitempty"`
	SessionOpenedEventID   string `json:"session_opened_event_id,omitempty"`
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
		AccessKeyID    string `json:"accessKeyId"`
		UserName       string `json:"userName"`
		SessionContext struct {
			Attributes struct {
				MFAAuthenticated any `json:"mfaAuthenticated"`
			} `json:"attributes"`
		} `json:"sessionContext"`
	} `json:"userIdentity"`
	RequestParameters   json.RawMessage `json:"requestParameters"`
	ResponseElements    json.RawMessage `json:"responseElements"`
	AdditionalEventData json.RawMessage `json:"additionalEventData"`
}

// eventFields are the selectors readEvent reads, in the order of eventFieldsOf.
var eventFields = must(filterpattern.NewExtractor("$.eventTime", "$.eventName", "$.eventSource", "$.awsRegion",
	"$.sourceIPAddress", "$.userAgent", "$.recipientAccountId", "$.eventID", "$.errorCode", "$.errorMessage",
	"$.userIdentity.type", "$.userIdentity.arn", "$.userIdentity.accountId", "$.userIdentity.accessKeyId",
	"$.userIdentity.userName", "$.userIdentity.sessionContext.attributes.mfaAuthenticated",
	"$.requestParameters", "$.responseElements", "$.additionalEventData")).FoldKeys()

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// readEvent fills e from a record in one walk of its bytes (filterpattern's scanner; keys matched
// case-insensitively, as encoding/json matches them to fields), decoding each string field as
// encoding/json would (the field's own JSON text through json.Unmarshal unless it is plain: no
// escape, no control character, valid UTF-8). A field of another type than a string (or null)
// is an error, as with json.Unmarshal. A record the scanner does not take for one well-formed
// JSON object is decoded by json.Unmarshal, which says what is wrong with it. The raw fields of e
// alias rec. Records that json.Unmarshal rejects may be read (the scanner is more lenient: a
// malformed number or a control character in a field not read), and one case reads differently:
// a key repeated with null as its last value ("a":"x","a":null) reads as null, where encoding/json
// keeps "x"; CloudTrail does not repeat keys.
func readEvent(rec []byte, e *cloudTrailEvent) error {
	var buf [19][]byte
	vals, ok := eventFields.Extract(rec, buf[:0])
	if !ok {
		return unmarshalEvent(rec, e)
	}
	u := &e.UserIdentity
	for i, dst := range [...]*string{&e.EventTime, &e.EventName, &e.EventSource, &e.AWSRegion, &e.SourceIPAddress,
		&e.UserAgent, &e.RecipientAccountID, &e.EventID, &e.ErrorCode, &e.ErrorMessage,
		&u.Type, &u.ARN, &u.AccountID, &u.AccessKeyID, &u.UserName} {
		if err := jsonString(vals[i], dst); err != nil {
			return fmt.Errorf("%s: %w", eventFieldNames[i], err)
		}
	}
	if raw := vals[15]; raw != nil {
		if err := json.Unmarshal(raw, &u.SessionContext.Attributes.MFAAuthenticated); err != nil {
			return err
		}
	}
	e.RequestParameters, e.ResponseElements, e.AdditionalEventData = vals[16], vals[17], vals[18]
	return nil
}

var eventFieldNames = [...]string{"eventTime", "eventName", "eventSource", "awsRegion", "sourceIPAddress", "userAgent",
	"recipientAccountId", "eventID", "errorCode", "errorMessage", "userIdentity.type", "userIdentity.arn",
	"userIdentity.accountId", "userIdentity.accessKeyId", "userIdentity.userName"}

// jsonString decodes a string field's JSON text into s as json.Unmarshal does (nil, for a
// missing field, and null leave s as it is), without it when the text is a plain string.
func jsonString(raw []byte, s *string) error {
	if raw == nil {
		return nil
	}
	if n := len(raw); n >= 2 && raw[0] == '"' && plain(raw[1:n-1]) {
		*s = string(raw[1 : n-1])
		return nil
	}
	return json.Unmarshal(raw, s)
}

// plain reports whether a JSON string's contents are its value: no escape, no control character
// (which JSON does not allow), valid UTF-8 (which encoding/json would repair).
func plain(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c < 0x20 {
			return false
		}
	}
	return utf8.Valid(b)
}

// decodeEvent extracts a Finding's fields from a record that matched. Only matching records are
// decoded (readEvent), so the cost is paid for the events found, not for the stream.
func decodeEvent(rec []byte) (Finding, error) { return decodeWith(rec, readEvent) }

// unmarshalEvent is readEvent's reference: encoding/json over the whole record.
func unmarshalEvent(rec []byte, e *cloudTrailEvent) error { return json.Unmarshal(rec, e) }

func decodeWith(rec []byte, read func([]byte, *cloudTrailEvent) error) (Finding, error) {
	var e cloudTrailEvent
	if err := read(rec, &e); err != nil {
		return Finding{}, err
	}
	f := Finding{
		EventTime:         e.EventTime,
		Account:           e.RecipientAccountID,
		Region:            e.AWSRegion,
		EventName:         e.EventName,
		EventSource:       e.EventSource,
		ErrorCode:         e.ErrorCode,
		ErrorMessage:      e.ErrorMessage,
		SourceIP:          e.SourceIPAddress,
		UserAgent:         e.UserAgent,
		IdentityType:      e.UserIdentity.Type,
		IdentityARN:       e.UserIdentity.ARN,
		Principal:         principalOf(&e),
		EventID:           e.EventID,
		ConsoleURL:        awsenv.EventConsoleURL(e.AWSRegion, e.EventID),
		Outcome:           "success",
		RequestParameters: requestSummary(e.RequestParameters),
		AccessKeyID:       e.UserIdentity.AccessKeyID,
		Credential:        credentialOf(e.EventName, e.UserIdentity.AccessKeyID),
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
	if s, ok := sessionOpened(&e); ok {
		f.TargetAccount, f.TaskPolicyARN, f.SessionKeyID = s.TargetAccount, s.TaskPolicyARN, s.KeyID
	}
	return f, nil
}

// principalOf names who made a request: userIdentity.arn when the event has one, else its type
// and userName ("IAMUser alice"), else its type alone ("Root", "AWSService").
func principalOf(e *cloudTrailEvent) string {
	u := &e.UserIdentity
	switch {
	case u.ARN != "":
		return u.ARN
	case u.UserName != "":
		return strings.TrimSpace(u.Type + " " + u.UserName)
	}
	return u.Type
}

// RequestSummaryLen is how many characters of requestParameters a finding carries.
const RequestSummaryLen = 120

// requestSummary is requestParameters as compact JSON, cut to RequestSummaryLen characters with
// "…"; "" for none or null. The reports escape control characters in it as in other fields.
// raw is valid JSON (json.Unmarshal checked it), so compacting is dropping the whitespace outside
// strings, and only as much of it as the summary shows is compacted: 4 bytes per character, and
// one character more, so that a longer value is still cut.
func requestSummary(raw json.RawMessage) string {
	limit := 4 * (RequestSummaryLen + 1)
	out := make([]byte, 0, min(len(raw), limit))
	inStr, esc := false, false
	for _, c := range raw {
		if len(out) >= limit {
			break
		}
		switch {
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
		case c == '"':
			inStr = true
		case jsonlex.IsSpace(c):
			continue
		}
		out = append(out, c)
	}
	if s := string(out); s != "null" {
		return truncate(s, RequestSummaryLen)
	}
	return ""
}

// rootSession is what a scan keeps of an sts:AssumeRoot event to link the member account's root
// findings to it: a few short strings, so memory stays small however many sessions the logs hold.
type rootSession struct {
	KeyID           string // responseElements.credentials.accessKeyId; "" when the call failed
	OpenedBy        string // userIdentity.arn
	OpenedByAccount string // the account that called AssumeRoot
	OpenedAt        string // eventTime, as written
	EventID         string
	TargetAccount   string // requestParameters.targetPrincipal
	TaskPolicyARN   string // requestParameters.taskPolicyArn.arn
	time            time.Time
}

// sessionOpened reads an sts:AssumeRoot event; ok is false for any other event.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html
func sessionOpened(e *cloudTrailEvent) (s rootSession, ok bool) {
	if e.EventSource != "sts.amazonaws.com" || e.EventName != "AssumeRoot" {
		return rootSession{}, false
	}
	var req struct {
		TargetPrincipal string `json:"targetPrincipal"`
		TaskPolicyARN   struct {
			ARN string `json:"arn"`
		} `json:"taskPolicyArn"`
	}
	_ = json.Unmarshal(e.RequestParameters, &req) // null or another shape: leave the fields empty
	var resp struct {
		Credentials struct {
			AccessKeyID string `json:"accessKeyId"`
		} `json:"credentials"`
	}
	_ = json.Unmarshal(e.ResponseElements, &resp)
	s = rootSession{
		KeyID: resp.Credentials.AccessKeyID, OpenedBy: e.UserIdentity.ARN, OpenedByAccount: e.RecipientAccountID,
		OpenedAt: e.EventTime, EventID: e.EventID, TargetAccount: req.TargetPrincipal,
		TaskPolicyARN: req.TaskPolicyARN.ARN,
	}
	if s.OpenedByAccount == "" {
		s.OpenedByAccount = e.UserIdentity.AccountID
	}
	if t, err := time.Parse(time.RFC3339, e.EventTime); err == nil {
		s.time = t.UTC()
	}
	return s, true
}

// before orders AssumeRoot events that returned the same key id (the same event read twice, from
// an organization trail and an account trail for instance): earliest first, then by event id, so
// the link does not depend on the order the files were read in.
func (s rootSession) before(o rootSession) bool {
	if !s.time.Equal(o.time) {
		return o.time.IsZero() || (!s.time.IsZero() && s.time.Before(o.time))
	}
	if s.EventID != o.EventID {
		return s.EventID < o.EventID
	}
	if s.OpenedBy != o.OpenedBy {
		return s.OpenedBy < o.OpenedBy
	}
	return s.OpenedByAccount < o.OpenedByAccount
}

// keep records s in m under its key id unless m holds an AssumeRoot event that comes before it.
func keep(m map[string]rootSession, s rootSession) {
	if s.KeyID == "" {
		return
	}
	if old, ok := m[s.KeyID]; ok && !s.before(old) {
		return
	}
	m[s.KeyID] = s
}

// linkSessions links each root finding made with a session key (ASIA...) to the AssumeRoot event
// that returned that key, if the scanned logs hold it: the key id is the only link between the
// management account's AssumeRoot event and the member account's root calls. It returns how many
// root session findings were linked and how many were not (a root console sign-in session, or a
// session opened in logs that were not scanned).
func linkSessions(fs []Finding, sessions map[string]rootSession) (linked, unlinked int) {
	for i := range fs {
		f := &fs[i]
		if f.IdentityType != "Root" || f.Credential != CredentialSession {
			continue
		}
		s, ok := sessions[f.AccessKeyID]
		if !ok {
			unlinked++
			continue
		}
		linked++
		f.SessionOpenedBy, f.SessionOpenedByAccount = s.OpenedBy, s.OpenedByAccount
		f.SessionOpenedAt, f.SessionOpenedEventID = s.OpenedAt, s.EventID
		f.TaskPolicyARN = s.TaskPolicyARN
	}
	return linked, unlinked
}

// Credential kinds of a Finding (its credential field), from userIdentity.accessKeyId.
const (
	// CredentialLongTermKey is an access key id starting AKIA: a long-term access key. For root it
	// is the worst case: root should have no access key at all.
	CredentialLongTermKey = "long-term-access-key"
	// CredentialSession is an access key id starting ASIA: temporary credentials. For root, either
	// a root console sign-in session or an sts:AssumeRoot session opened by the organization's
	// management account (or IAM's delegated administrator).
	CredentialSession = "session"
	// CredentialConsoleSignIn is a ConsoleLogin event without an access key: the sign-in itself.
	CredentialConsoleSignIn = "console-sign-in"
	// CredentialNone is an event that names no access key and is not a sign-in (for example an
	// event an AWS service records).
	CredentialNone = "none"
	// CredentialUnknown is an access key id of another form.
	CredentialUnknown = "unknown"
)

// credentialOf tells which kind of credential made a request, from its eventName and
// userIdentity.accessKeyId. It holds for any identity, root or not.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html
func credentialOf(eventName, accessKeyID string) string {
	switch {
	case strings.HasPrefix(accessKeyID, "AKIA"):
		return CredentialLongTermKey
	case strings.HasPrefix(accessKeyID, "ASIA"):
		return CredentialSession
	case accessKeyID != "":
		return CredentialUnknown
	case eventName == "ConsoleLogin":
		return CredentialConsoleSignIn
	}
	return CredentialNone
}

// mfaOf reports whether MFA was used: additionalEventData.MFAUsed verbatim when the event has it
// (sign-in events: "Yes", "No", and in AWS's own root example "YES"); otherwise the session's
// userIdentity.sessionContext.attributes.mfaAuthenticated ("true"/"false") for API calls; ""
// when the event says nothing.
func mfaOf(mfaUsed, mfaAuthenticated any) string {
	if s := scalarString(mfaUsed); s != "" {
		return s
	}
	return scalarString(mfaAuthenticated)
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
