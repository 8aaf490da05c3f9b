package alarms

import (
	"fmt"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/filterpattern"
)

// checkPatterns parses every pattern about to be deployed with the offline filter-pattern engine,
// so a pattern CloudWatch Logs would reject fails the preview with the parse error instead of
// failing halfway through `pulumi up`.
func checkPatterns(controls []catalog.Control) error {
	for _, c := range controls {
		for _, p := range c.Patterns() {
			if _, err := filterpattern.Parse(p); err != nil {
				return fmt.Errorf("alarms: control %s: filter pattern %q: %w", c.ID, p, err)
			}
		}
	}
	return nil
}

// Runbook is the alarm description: what fired, where to look, what to do first. CloudWatch allows
// 1024 characters; the catalogue test holds every description to that. An extra has no CIS number
// or Security Hub control, so its prefix names it as a rootwatch extra instead.
func Runbook(c catalog.Control) string {
	if c.Extra {
		return fmt.Sprintf("rootwatch %s (rootwatch extra, not a CIS control): %s", c.ID, c.Description)
	}
	return fmt.Sprintf("rootwatch %s (CIS %s, %s): %s", c.ID, c.CISv7_0, securityHubOrNone(c), c.Description)
}

func securityHubOrNone(c catalog.Control) string {
	if c.SecurityHub == "" {
		return "no Security Hub control"
	}
	return "Security Hub " + c.SecurityHub
}
