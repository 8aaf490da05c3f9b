package awsenv

import (
	"regexp"
	"strings"

	"github.com/rootwatch/rootwatch/internal/validate"
)

var (
	arnRe = regexp.MustCompile(
		`^arn:(` + strings.Join(Partitions, "|") + `):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$`,
	)
	accountRe = regexp.MustCompile(`^[0-9]{12}$`)
	regionRe  = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-[0-9]+$`)
)

// ARN builds arn:<partition>:<service>:<region>:<account>:<resource>.
func ARN(partition, service, region, account, resource string) string {
	return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource
}

// ARNParts are the parts of an ARN: arn:Partition:Service:Region:Account:Resource.
type ARNParts struct {
	Partition, Service, Region, Account, Resource string
}

// ParseARN splits s into its parts if it is an ARN: a known partition (Partitions), a service, a
// region (or none), a 12-digit account (or none) and a non-empty resource. It is the one ARN
// syntax every check in rootwatch applies; callers add what they require of the parts.
func ParseARN(s string) (ARNParts, bool) {
	m := arnRe.FindStringSubmatch(s)
	if m == nil {
		return ARNParts{}, false
	}
	return ARNParts{Partition: m[1], Service: m[2], Region: m[3], Account: m[4], Resource: m[5]}, true
}

// CheckARN checks that s is an ARN of the given service ("" for any); it returns the parsed parts.
// A problem names field and shows example.
func CheckARN(es *validate.Errors, field, s, service, example string) (ARNParts, bool) {
	p, ok := ParseARN(s)
	if !ok || (service != "" && p.Service != service) {
		es.Add(field, s, "is not "+article(service)+" ARN", "an ARN such as "+example)
		return ARNParts{}, false
	}
	return p, true
}

func article(service string) string {
	if service == "" {
		return "an"
	}
	// Service names are read letter by letter ("an SNS", "an IAM", "a KMS").
	if strings.ContainsRune("aefhilmnorsx", rune(service[0])) {
		return "an " + strings.ToUpper(service)
	}
	return "a " + strings.ToUpper(service)
}

// IsAccountID says whether s is an AWS account id: exactly 12 digits, leading zeros included.
func IsAccountID(s string) bool { return accountRe.MatchString(s) }

// IsRegion says whether s has the form of an AWS region name (us-east-1, cn-north-1,
// us-gov-west-1, eu-isoe-west-1); KnownRegion says whether it is one.
func IsRegion(s string) bool { return regionRe.MatchString(s) }
