// Package pulumitest holds the test helpers over package offline, which runs rootwatch's programs
// and components under the Pulumi Go SDK's mock resource monitor.
package pulumitest

import (
	"testing"
	"time"

	"github.com/rootwatch/rootwatch/internal/offline"
)

// One returns the resource with the given type and logical name, failing the test if there is none.
func One(t testing.TB, rs []offline.Resource, token, name string) offline.Resource {
	t.Helper()
	r, ok := offline.Find(rs, token, name)
	if !ok {
		var have []string
		for _, x := range offline.ByType(rs, token) {
			have = append(have, x.Name)
		}
		t.Fatalf("no %s named %s; registered of that type: %v", token, name, have)
	}
	return r
}

// Wait returns c's watched values, failing the test if one has not resolved within 10 seconds.
func Wait(t testing.TB, c *offline.Collector) map[string]any {
	t.Helper()
	vals, err := c.Wait(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return vals
}
