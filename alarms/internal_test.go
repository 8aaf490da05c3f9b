package alarms

import (
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/catalog"
)

// TestCheckPatternsRejectsWhatAWSWouldReject: a pattern CloudWatch Logs would refuse fails the
// preview with the parse error, naming the control.
func TestCheckPatternsRejectsWhatAWSWouldReject(t *testing.T) {
	bad := catalog.Control{ID: "broken", Pattern: `{ $.eventName = "ConsoleLogin" && }`}
	err := checkPatterns([]catalog.Control{bad})
	if err == nil || !strings.Contains(err.Error(), "control broken") || !strings.Contains(err.Error(), "offset") {
		t.Errorf("checkPatterns: %v", err)
	}
	if err := checkPatterns(catalog.All()); err != nil {
		t.Errorf("the catalogue's own patterns do not parse: %v", err)
	}
}
