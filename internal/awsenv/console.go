package awsenv

import (
	"net/url"
	"strings"
)

// eventPath is the CloudTrail console's event-history page of one event; <region> and <eventID>
// are filled in.
const eventPath = "/cloudtrail/home?region=<region>#/events/<eventID>"

// EventConsoleTemplate is the link to an event in the CloudTrail console's event history of
// partition, with the region and event id left as the placeholders <region> and <eventID>
// (EventBridge input-template variables, as notify's messages use them); "" for a partition whose
// console domain rootwatch does not know.
func EventConsoleTemplate(partition string) string {
	c := ConsoleURL(partition)
	if c == "" {
		return ""
	}
	return c + eventPath
}

// EventConsoleURL is the event-history link of the event eventID recorded in region, in the
// console of the region's partition (rootwatch scan's findings); "" when the region's partition
// console is unknown or a value is missing.
func EventConsoleURL(region, eventID string) string {
	t := EventConsoleTemplate(RegionPartition(region))
	if t == "" || region == "" || eventID == "" {
		return ""
	}
	// The template's two placeholders, filled without a strings.Replacer: a scan builds one link
	// per finding, and a Replacer costs more to build than the link.
	t = strings.Replace(t, "<region>", url.QueryEscape(region), 1)
	return strings.Replace(t, "<eventID>", url.PathEscape(eventID), 1)
}
