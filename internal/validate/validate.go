// Package validate holds the argument checks shared by rootwatch's components and its program.
//
// A component validates its Args and reports each problem as a *FieldError naming the Go field
// (for example "LogRetentionDays"). The program's config loader maps those field names to its
// config keys ("rootwatch:logRetentionDays"), so one check serves both audiences and every error
// names what the reader typed, the bad value, and what is allowed.
package validate

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// FieldError is one invalid argument.
type FieldError struct {
	Field   string // the argument's name as its reader knows it (Go field or config key)
	Value   any    // the bad value
	Problem string // what is wrong, e.g. "is not a retention CloudWatch Logs accepts"
	Allowed string // what is allowed, e.g. "1, 3, 5, ..."
}

func (e *FieldError) Error() string {
	msg := e.Problem
	if e.Field != "" {
		msg = fmt.Sprintf("%s: %s %s", e.Field, quote(e.Value), e.Problem)
	}
	return msg + e.allowed()
}

// inline is the one-line form Errors.Inline joins: `Field "value" problem`.
func (e *FieldError) inline() string {
	if e.Field == "" {
		return e.Problem + e.allowed()
	}
	return e.Field + " " + quote(e.Value) + " " + e.Problem + e.allowed()
}

func (e *FieldError) allowed() string {
	if e.Allowed == "" {
		return ""
	}
	return "; allowed: " + e.Allowed
}

func quote(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	return fmt.Sprint(v)
}

// Hidden stands for a value an error must not repeat (it may be a secret).
type Hidden struct{}

func (Hidden) String() string { return "(value not shown)" }

// Errors collects every problem found, so a user fixes them all in one pass.
type Errors []*FieldError

// Add appends a problem.
func (es *Errors) Add(field string, value any, problem, allowed string) {
	*es = append(*es, &FieldError{Field: field, Value: value, Problem: problem, Allowed: allowed})
}

// Addf appends a problem that is not about one field's value, a sentence of its own (for example
// "statement 0: no Action"). It has no Field.
func (es *Errors) Addf(format string, args ...any) {
	*es = append(*es, &FieldError{Problem: fmt.Sprintf(format, args...)})
}

// Inline returns nil when there is no problem, else a one-line error: prefix, ": ", then each
// problem as `Field "value" problem` (or Addf's sentence), separated by "; ". It is the form of
// the errors of pure functions such as the policy builders, whose callers wrap them.
func (es Errors) Inline(prefix string) error {
	if len(es) == 0 {
		return nil
	}
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.inline()
	}
	// Not a *ListError: Fields must not mistake these for a component's argument errors, which
	// a program renames to config keys.
	return errors.New(prefix + ": " + strings.Join(parts, "; "))
}

// Err returns nil when there is no problem, else an error listing them all, one a line.
func (es Errors) Err(prefix string) error {
	if len(es) == 0 {
		return nil
	}
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = "  " + e.Error()
	}
	noun := "problem"
	if len(es) > 1 {
		noun = "problems"
	}
	return &ListError{
		Prefix: prefix,
		Fields: es,
		msg:    fmt.Sprintf("%s: %d %s:\n%s", prefix, len(es), noun, strings.Join(lines, "\n")),
	}
}

// ListError is the error Errors.Err returns; Fields lets a caller rename fields.
type ListError struct {
	Prefix string
	Fields Errors
	msg    string
}

func (e *ListError) Error() string { return e.msg }

// Fields returns the field errors inside err, or nil if err is not from Errors.Err.
func Fields(err error) Errors {
	var le *ListError
	if errors.As(err, &le) {
		return le.Fields
	}
	return nil
}

// CloudWatchRetentionDays are the values CloudWatch Logs accepts for a log group's retention
// (PutRetentionPolicy, retentionInDays).
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
var CloudWatchRetentionDays = []int{
	1,
	3,
	5,
	7,
	14,
	30,
	60,
	90,
	120,
	150,
	180,
	365,
	400,
	545,
	731,
	1096,
	1827,
	2192,
	2557,
	2922,
	3288,
	3653,
}

// JoinInts renders allowed integer values.
func JoinInts(vs []int) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ", ")
}

// Retention checks a CloudWatch Logs retention value.
func Retention(es *Errors, field string, days int) {
	if !slices.Contains(CloudWatchRetentionDays, days) {
		es.Add(field, days, "is not a retention CloudWatch Logs accepts", JoinInts(CloudWatchRetentionDays))
	}
}

// NonNegative checks a day count or similar.
func NonNegative(es *Errors, field string, v int) bool {
	if v < 0 {
		es.Add(field, v, "is negative", "0 (off) or a positive whole number")
		return false
	}
	return true
}

var (
	trailNameChars = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$`)
	adjacentPunct  = regexp.MustCompile(`[._-]{2}`)
	ipLike         = regexp.MustCompile(`^\d{1,3}(\.\d{1,3}){3}$`)
)

// TrailNameRule is CloudTrail's rule for trail names (CreateTrail, Name).
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
const TrailNameRule = "3 to 128 ASCII letters, digits, '.', '_' or '-', starting and ending with a letter or digit, " +
	"no two of '._-' adjacent, not an IP address"

// TrailName checks a CloudTrail trail name.
func TrailName(es *Errors, field, name string) {
	if !trailNameChars.MatchString(name) || adjacentPunct.MatchString(name) || ipLike.MatchString(name) {
		es.Add(field, name, "is not a valid CloudTrail trail name", TrailNameRule)
	}
}

var logGroupName = regexp.MustCompile(`^[A-Za-z0-9._/#-]{1,512}$`)

// LogGroupName checks a CloudWatch Logs log group name (CreateLogGroup, logGroupName).
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
func LogGroupName(es *Errors, field, name string) {
	if !logGroupName.MatchString(name) || strings.HasPrefix(name, "aws/") {
		es.Add(field, name, "is not a valid CloudWatch Logs log group name",
			"1 to 512 characters from a-z A-Z 0-9 . _ - / #, not starting with \"aws/\"")
	}
}

var keyPrefix = regexp.MustCompile(`^[A-Za-z0-9!_.*'()/-]{0,200}$`)

// S3KeyPrefix checks the "folder" CloudTrail writes under. CloudTrail allows at most 200
// characters (CreateTrail, S3KeyPrefix); rootwatch also keeps to S3's safe characters and refuses
// the leading, trailing or doubled "/" that would make the AWSLogs path differ from the one the
// bucket policy allows.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
func S3KeyPrefix(es *Errors, field, p string) {
	if p == "" {
		return
	}
	if !keyPrefix.MatchString(p) || strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") ||
		strings.Contains(p, "//") {
		es.Add(field, p, "is not a usable S3 key prefix",
			"empty, or up to 200 characters from a-z A-Z 0-9 ! _ . * ' ( ) - /, with no leading, trailing "+
				"or doubled \"/\"")
	}
}

var tagChars = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// Tags checks tags against the rules every service rootwatch tags shares (at most 50 tags, keys
// of 1 to 128 and values of at most 256 characters, no "aws:" prefix).
// https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
func Tags(es *Errors, field string, tags map[string]string) {
	if len(tags) > 50 {
		es.Add(field, fmt.Sprintf("%d tags", len(tags)), "is too many", "at most 50 tags")
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := tags[k]
		switch {
		case len(k) < 1 || len([]rune(k)) > 128 || !tagChars.MatchString(k):
			es.Add(field, k, "is not a valid tag key", "1 to 128 letters, digits, spaces and _ . : / = + - @")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			es.Add(field, k, "is a reserved tag key", "keys not starting with \"aws:\"")
		}
		if len([]rune(v)) > 256 || !tagChars.MatchString(v) {
			es.Add(field+"."+k, v, "is not a valid tag value", "up to 256 letters, digits, spaces and _ . : / = + - @")
		}
	}
}

// Email checks that s is a bare e-mail address ("name@example.com", no display name).
func Email(es *Errors, field, s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		es.Add(field, s, "is not an e-mail address", "a bare address such as security@yourcompany.com")
		return false
	}
	return true
}

// ReservedProblem is the problem of an address or URL at a domain reserved for examples and tests.
const ReservedProblem = "is at a domain reserved for examples and tests (RFC 2606, RFC 6761): nothing sent " +
	"there reaches anyone"

// ReservedDomain says whether host is, or is under, a domain that can never receive mail or serve
// a real endpoint: example.com, example.net and example.org (RFC 2606 section 3) and the top-level
// domains .example, .test, .invalid and .localhost (RFC 2606 section 2, RFC 6761 section 6). It
// returns the reserved name host falls under.
// https://www.rfc-editor.org/rfc/rfc2606 https://www.rfc-editor.org/rfc/rfc6761
func ReservedDomain(host string) (string, bool) {
	h := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	for _, d := range []string{"example.com", "example.net", "example.org", "example", "test", "invalid", "localhost"} {
		if h == d || strings.HasSuffix(h, "."+d) {
			if !strings.Contains(d, ".") {
				d = "." + d
			}
			return d, true
		}
	}
	return "", false
}

// NotReservedEmail refuses an e-mail address (already checked by Email) at a reserved domain.
func NotReservedEmail(es *Errors, field, s string) {
	if _, ok := ReservedDomain(s[strings.LastIndex(s, "@")+1:]); ok {
		es.Add(field, s, ReservedProblem, "an address your team reads, such as security@yourcompany.com")
	}
}

// NotReservedURL refuses a URL (already checked by HTTPSURL) whose host is at a reserved domain.
func NotReservedURL(es *Errors, field, s string) {
	u, err := url.Parse(s)
	if err != nil {
		return
	}
	if _, ok := ReservedDomain(u.Hostname()); ok {
		es.Add(field, s, ReservedProblem, "an HTTPS endpoint your team runs, such as "+
			"https://hooks.yourcompany.com/rootwatch")
	}
}

var orgIDRe = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)

// OrganizationIDRule is what an AWS Organizations id looks like.
const OrganizationIDRule = "o- followed by 10 to 32 lowercase letters or digits"

// IsOrganizationID says whether s is an AWS Organizations id (OrganizationIDRule).
func IsOrganizationID(s string) bool { return orgIDRe.MatchString(s) }

// The Organizations API reference's patterns for a root id and an organizational unit id.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html
var (
	rootIDRe = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
	ouIDRe   = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
)

// RootIDRule and OrganizationalUnitIDRule are what an organization root's id and an OU's id look
// like.
const (
	RootIDRule               = "r- followed by 4 to 32 lowercase letters or digits, e.g. r-ab12"
	OrganizationalUnitIDRule = "ou- followed by 4 to 32 lowercase letters or digits, \"-\", then 8 to 32 more, " +
		"e.g. ou-ab12-11111111"
)

// IsRootID says whether s is an organization root's id (RootIDRule).
func IsRootID(s string) bool { return rootIDRe.MatchString(s) }

// IsOrganizationalUnitID says whether s is an organizational unit's id (OrganizationalUnitIDRule).
func IsOrganizationalUnitID(s string) bool { return ouIDRe.MatchString(s) }

var namePrefixRe = regexp.MustCompile(`^[A-Za-z0-9._-]{0,32}$`)

// NamePrefixRule says which name prefixes the EventBridge-based components (notify, posture)
// accept: the characters EventBridge rule names and IAM role names share, short enough for the
// longest role name (prefix + "root-events-fwd-" + region) to stay within IAM's 64 characters.
const NamePrefixRule = "up to 32 characters from a-z A-Z 0-9 . _ -"

// NamePrefix checks such a name prefix (NamePrefixRule).
func NamePrefix(es *Errors, field, s string) {
	if !namePrefixRe.MatchString(s) {
		es.Add(field, s, "is not a usable name prefix", NamePrefixRule)
	}
}

// HTTPSURL checks an HTTPS subscription endpoint: an absolute https:// URL with a host (SNS
// refuses an HTTPS subscription whose endpoint does not start with https://).
// https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
func HTTPSURL(es *Errors, field, s string) bool {
	u, err := url.Parse(s)
	if !strings.HasPrefix(s, "https://") || err != nil || u.Hostname() == "" || strings.ContainsAny(s, " \t\n") {
		es.Add(field, s, "is not an HTTPS URL", "a URL starting with https:// and a host name, such as "+
			"https://hooks.yourcompany.com/rootwatch")
		return false
	}
	return true
}

// OneOf checks a string against a fixed set.
func OneOf(es *Errors, field, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		es.Add(field, v, "is not supported", strings.Join(allowed, ", "))
	}
}

var (
	notAliasChar = regexp.MustCompile(`[^A-Za-z0-9/_-]`)
	notTopicChar = regexp.MustCompile(`[^A-Za-z0-9_-]`)
)

// KMSAliasName makes a KMS alias name from a name built of user input: KMS allows only letters,
// digits, "/", "_" and "-" (and 256 characters), so anything else (a "." in a trail name, a "#"
// in a prefix) becomes "-". https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html
func KMSAliasName(s string) string {
	s = notAliasChar.ReplaceAllString(s, "-")
	if len(s) > 256 {
		s = s[:256]
	}
	return s
}

// SNSTopicName does the same for an SNS topic name: letters, digits, "_" and "-", at most 256.
// https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
func SNSTopicName(s string) string {
	s = notTopicChar.ReplaceAllString(s, "-")
	if len(s) > 256 {
		s = s[:256]
	}
	return s
}
