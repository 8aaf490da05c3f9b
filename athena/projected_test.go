package athena

import (
	"slices"
	"strings"
	"testing"
)

// TestReadProjectionReadsWhatProjectionWrites: the audit's check athena-accounts-projected reads
// the table's accounts and layout back with ReadProjection; for both layouts it gives back what
// Projection was given, and it refuses a table whose accounts it cannot know.
func TestReadProjectionReadsWhatProjectionWrites(t *testing.T) {
	accounts := []string{"111122223333", "444455556666"}
	for _, tc := range []struct{ prefix, org string }{
		{"", "o-a1b2c3d4e5"}, {"logs/org", "o-a1b2c3d4e5"}, {"", ""}, {"logs", ""},
	} {
		p, err := ReadProjection(
			Projection("bucket", LogFilesPrefix(tc.prefix, tc.org), accounts, []string{"eu-west-1"},
				DefaultProjectionStart),
		)
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		if !slices.Equal(p.Accounts, accounts) || p.OrganizationID != tc.org {
			t.Errorf("%+v: read %+v", tc, p)
		}
	}
	good := Projection("bucket", LogFilesPrefix("", "o-a1b2c3d4e5"), accounts, []string{"eu-west-1"},
		DefaultProjectionStart)
	for name, change := range map[string]func(map[string]string){
		"projection off":   func(m map[string]string) { m["projection.enabled"] = "false" },
		"injected account": func(m map[string]string) { m["projection.account.type"] = "injected" },
		"no account in the template": func(m map[string]string) {
			m["storage.location.template"] =
				"s3://bucket/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/${region}/${timestamp}"
		},
		"account not under AWSLogs": func(m map[string]string) {
			m["storage.location.template"] = strings.Replace(
				m["storage.location.template"], "AWSLogs/o-a1b2c3d4e5", "elsewhere", 1,
			)
		},
	} {
		m := map[string]string{}
		for k, v := range good {
			m[k] = v
		}
		change(m)
		if p, err := ReadProjection(m); err == nil {
			t.Errorf("%s: read %+v, want an error", name, p)
		}
	}
}
