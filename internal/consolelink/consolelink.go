// Package consolelink builds links to an event in the CloudTrail console's event history, in the
// console of the event's partition (aws, aws-cn, aws-us-gov). The EventBridge messages (notify)
// use the template form, with EventBridge's <region> and <eventID> variables; rootwatch scan
// fills in a finding's region and event id.
package consolelink

import (
	"net/url"
	"strings"

	"github.com/rootwatch/rootwatch/internal/policy"
)

// path is the event-history page of one event; <region> and <eventID> are filled in.
const path = "/cloudtrail/home?region=<region>#/events/<eventID>"

// consoles maps a partition to its console's address; the isolated partitions are left out, as
// their console domains are not public.
var consoles = map[string]string{
	"aws":        "https://console.aws.amazon.com",
	"aws-cn":     "https://console.amazonaws.cn",
	"aws-us-gov": "https://console.amazonaws-us-gov.com",
}

// Template is the event-history link for partition with the region and event id left as the
// placeholders <region> and <eventID> (EventBridge input-template variables); "" for a partition
// whose console domain rootwatch does not know.
func Template(partition string) string {
	c, ok := consoles[partition]
	if !ok {
		return ""
	}
	return c + path
}

// Event is the event-history link of the event eventID recorded in region, in the console of the
// region's partition; "" when the region's partition console is unknown or a value is missing.
func Event(region, eventID string) string {
	t := Template(policy.RegionPartition(region))
	if t == "" || region == "" || eventID == "" {
		return ""
	}
	// Template's two placeholders, filled without a strings.Replacer: a scan builds one link per
	// finding, and a Replacer costs more to build than the link.
	t = strings.Replace(t, "<region>", url.QueryEscape(region), 1)
	return strings.Replace(t, "<eventID>", url.PathEscape(eventID), 1)
}
