package awsenv

import (
	"regexp"
	"strings"
)

// Partitions are the AWS partitions rootwatch accepts (in Env, in ARNs).
var Partitions = []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

// partitions are AWS's partitions other than aws: the prefix of their regions' names and their
// DNS suffix (the AWS SDKs' partition data, aws-sdk-go-v2 internal/endpoints/awsrulesfn/partitions.json).
var partitions = []struct{ prefix, partition, dnsSuffix string }{
	{"cn-", "aws-cn", "amazonaws.com.cn"}, {"us-gov-", "aws-us-gov", "amazonaws.com"},
	{"us-isob-", "aws-iso-b", "sc2s.sgov.gov"}, {"us-isof-", "aws-iso-f", "csp.hci.ic.gov"},
	{"us-iso-", "aws-iso", "c2s.ic.gov"}, {"eu-isoe-", "aws-iso-e", "cloud.adc-e.uk"},
	{"eusc-", "aws-eusc", "amazonaws.eu"},
}

// RegionPartition is the partition a region belongs to, from its name's documented prefix
// (cn-, us-gov-, us-iso-, us-isob-, eu-isoe-, us-isof-, eusc-; anything else is aws).
func RegionPartition(region string) string {
	for _, p := range partitions {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return "aws"
}

// PartitionDNSSuffix is a partition's DNS suffix: amazonaws.com, amazonaws.com.cn, ...
func PartitionDNSSuffix(partition string) string {
	for _, p := range partitions {
		if p.partition == partition {
			return p.dnsSuffix
		}
	}
	return "amazonaws.com"
}

var dnsNameRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$`)

// IsDNSName says whether s is a lower-case DNS name of two labels or more: the form of a DNS
// suffix (amazonaws.com.cn) and of a service principal (cloudtrail.amazonaws.com).
func IsDNSName(s string) bool { return dnsNameRe.MatchString(s) }

// consoles maps a partition to its AWS console's address; the isolated partitions are left out, as
// their console domains are not public.
var consoles = map[string]string{
	"aws":        "https://console.aws.amazon.com",
	"aws-cn":     "https://console.amazonaws.cn",
	"aws-us-gov": "https://console.amazonaws-us-gov.com",
}

// ConsoleURL is the address of partition's AWS console, such as https://console.aws.amazon.com;
// "" for a partition whose console domain rootwatch does not know.
func ConsoleURL(partition string) string { return consoles[partition] }
