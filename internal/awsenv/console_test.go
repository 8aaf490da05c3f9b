package awsenv

import "testing"

func TestEventConsoleURL(t *testing.T) {
	for _, tc := range []struct{ region, id, want string }{
		{"us-east-1", "3038ebd2-c98a-4c65-9b6e-e22506292313", "https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/3038ebd2-c98a-4c65-9b6e-e22506292313"},
		{"cn-north-1", "e1", "https://console.amazonaws.cn/cloudtrail/home?region=cn-north-1#/events/e1"},
		{"us-gov-west-1", "e1", "https://console.amazonaws-us-gov.com/cloudtrail/home?region=us-gov-west-1#/events/e1"},
		{"us-iso-east-1", "e1", ""}, // console domain not public
		{"us-east-1", "", ""},
		{"", "e1", ""},
		{"us-east-1", "a b/#", "https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/a%20b%2F%23"},
	} {
		if got := EventConsoleURL(tc.region, tc.id); got != tc.want {
			t.Errorf("EventConsoleURL(%q, %q) = %q, want %q", tc.region, tc.id, got, tc.want)
		}
	}
}

func TestEventConsoleTemplate(t *testing.T) {
	if got, want := EventConsoleTemplate("aws-cn"), "https://console.amazonaws.cn/cloudtrail/home?region=<region>#/events/<eventID>"; got != want {
		t.Errorf("EventConsoleTemplate(aws-cn) = %q, want %q", got, want)
	}
	if EventConsoleTemplate("aws-iso-b") != "" {
		t.Error("aws-iso-b has a console link")
	}
}
