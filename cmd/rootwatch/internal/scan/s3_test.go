package scan

import (
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		lv     level
		acct   string
	}{
		{"", lvAbove, ""},
		{"trail/", lvAbove, ""},
		{"AWSLogs/", lvAWSLogs, ""},
		{"trail/AWSLogs/", lvAWSLogs, ""},
		{"AWSLogs/o-aa111bb222/", lvOrg, ""},
		{"AWSLogs/111122223333/", lvAccount, "111122223333"},
		{"AWSLogs/o-aa111bb222/111122223333/", lvAccount, "111122223333"},
		{"AWSLogs/111122223333/CloudTrail/", lvCloudTrail, "111122223333"},
		{"p/AWSLogs/o-aa111bb222/111122223333/CloudTrail/eu-west-1/", lvRegion, "111122223333"},
		{"AWSLogs/111122223333/CloudTrail/us-east-1/2025/", lvDay, "111122223333"},
		{"AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/01/", lvDay, "111122223333"},
		{"AWSLogs/111122223333/CloudTrail-Digest/", lvOther, "111122223333"},
		{"AWSLogs/111122223333/elasticloadbalancing/", lvOther, "111122223333"},
		{"AWSLogs/not-an-account/", lvOther, ""},
	} {
		lv, acct := classify(tc.prefix)
		if lv != tc.lv || acct != tc.acct {
			t.Errorf("classify(%q) = %v, %q; want %v, %q", tc.prefix, lv, acct, tc.lv, tc.acct)
		}
	}
}

func TestDayPrefixes(t *testing.T) {
	w := Window{
		Since: time.Date(2025, 2, 27, 0, 5, 0, 0, time.UTC),
		Until: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
	}
	got := dayPrefixes(w)
	// from the day before (clock-skew margin reaches 2025-02-26) to a day after the end
	want := []string{"2025/02/26/", "2025/02/27/", "2025/02/28/", "2025/03/01/", "2025/03/02/"}
	if len(got) != len(want) {
		t.Fatalf("dayPrefixes = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("dayPrefixes = %v, want %v", got, want)
		}
	}
	if n := len(dayPrefixes(Window{Since: w.Until.AddDate(0, 0, -90), Until: w.Until})); n < 91 || n > 93 {
		t.Errorf("90 days -> %d day prefixes", n)
	}
}

func TestParseS3URL(t *testing.T) {
	b, p, err := ParseS3URL("s3://my-bucket/trail/AWSLogs/")
	if err != nil || b != "my-bucket" || p != "trail/AWSLogs/" {
		t.Errorf("got %q %q %v", b, p, err)
	}
	for _, bad := range []string{"s3://", "s3:///x", "https://b/x"} {
		if _, _, err := ParseS3URL(bad); err == nil {
			t.Errorf("ParseS3URL(%q) accepted", bad)
		}
	}
}

// TestIsLogKey: one rule for the directory walk and the S3 listing.
func TestIsLogKey(t *testing.T) {
	for key, want := range map[string]bool{
		"AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/01/111122223333_CloudTrail_us-east-1_20250301T0000Z_a.json.gz": true,
		"/data/trail/AWSLogs/o-aa111bb222/111122223333/CloudTrail/eu-west-1/2025/03/01/x.json":                            true,
		"/data/background/f01.json":                                         true, // outside an AWSLogs/ tree: read
		"export/111122223333_CloudTrail_us-east-1_20250301T0000Z_a.json.gz": true,
		"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/03/01/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20250301T000000Z.json.gz": false,
		"AWSLogs/111122223333/Config/us-east-1/2025/3/1/ConfigSnapshot/111122223333_Config_us-east-1_ConfigSnapshot_20250301T000000Z_x.json.gz":     false,
		"export/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20250301T000000Z.json.gz":                                                      false,
		"export/111122223333_Config_us-east-1_ConfigHistory_AWS::S3::Bucket_20250301T000000Z_20250301T010000Z_1.json.gz":                            false,
		"AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/01/notes.txt":                                                                            false,
		"AWSLogs/111122223333/CloudTrail/us-east-1/x.json.gz":                                                                                       false, // not in a day folder
		"README.txt": false,
	} {
		if got := isLogKey(key); got != want {
			t.Errorf("isLogKey(%q) = %v, want %v", key, got, want)
		}
	}
}
