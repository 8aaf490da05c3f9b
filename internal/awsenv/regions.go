package awsenv

import (
	"fmt"
	"slices"
	"strings"
)

// PartitionRegions are the regions of the partitions rootwatch knows region by region, as the AWS
// SDKs' partition data lists them (aws-sdk-go-v2 internal/endpoints/awsrulesfn/partitions.json,
// v1.48.0; the same list as https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html).
// A region AWS opens later is refused until it is added here: a misspelt region would otherwise
// become a forwarding rule in a region that does not exist, and that deployment fails half-way.
// Regions of other partitions (aws-iso*, aws-eusc) are checked for their syntax only.
var PartitionRegions = map[string][]string{
	"aws": {
		"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
		"eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1", "me-central-1", "me-south-1", "me-west-1", "mx-central-1", "sa-east-1", "sa-west-1",
		"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	},
	"aws-cn":     {"cn-north-1", "cn-northwest-1"},
	"aws-us-gov": {"us-gov-east-1", "us-gov-west-1"},
}

// KnownRegion says whether region is a region of the partition its name belongs to
// (RegionPartition). For a partition without a list in PartitionRegions it is true. When
// it is false, allowed says shortly what is: that partition's regions of the same area (eu-, ap-,
// ...) when there are any, else all of them, and where the whole list is.
func KnownRegion(region string) (partition string, ok bool, allowed string) {
	partition = RegionPartition(region)
	regions, listed := PartitionRegions[partition]
	if !listed || slices.Contains(regions, region) {
		return partition, true, ""
	}
	area, _, _ := strings.Cut(region, "-")
	var near []string
	for _, r := range regions {
		if strings.HasPrefix(r, area+"-") {
			near = append(near, r)
		}
	}
	if len(near) == 0 || len(near) == len(regions) {
		return partition, false, "a region of partition " + partition + ": " + strings.Join(regions, ", ")
	}
	return partition, false, fmt.Sprintf(
		"a region of partition %s, such as %s (all %d: internal/awsenv/regions.go)",
		partition,
		strings.Join(near, ", "),
		len(regions),
	)
}
