package policy

import "github.com/rootwatch/rootwatch/internal/awsenv"

// RegionPartition is awsenv.RegionPartition.
//
// Transitional: call awsenv.RegionPartition. It stays only for cmd/rootwatch/plan.go, which another
// change is moving; delete it once that file calls awsenv.
func RegionPartition(region string) string { return awsenv.RegionPartition(region) }

// PartitionDNSSuffix is awsenv.PartitionDNSSuffix.
//
// Transitional: call awsenv.PartitionDNSSuffix; kept only for cmd/rootwatch/plan.go, as
// RegionPartition is.
func PartitionDNSSuffix(partition string) string { return awsenv.PartitionDNSSuffix(partition) }
