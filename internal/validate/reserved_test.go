package validate

import "testing"

// TestReservedDomain: the RFC 2606 second-level names and their subdomains, and the RFC 2606 /
// RFC 6761 top-level names, in any case and with a trailing dot; nothing that merely looks alike.
func TestReservedDomain(t *testing.T) {
	for host, want := range map[string]string{
		"example.com": "example.com", "mail.EXAMPLE.com": "example.com", "example.net": "example.net",
		"a.b.example.org.": "example.org", "corp.example": ".example", "x.test": ".test",
		"host.invalid": ".invalid", "localhost": ".localhost", "api.localhost": ".localhost",
	} {
		if got, ok := ReservedDomain(host); !ok || got != want {
			t.Errorf("ReservedDomain(%q) = %q, %v; want %q", host, got, ok, want)
		}
	}
	for _, host := range []string{"examples.com", "myexample.com", "example.co", "example.com.au", "testing.io", "rootwatch.github.io", "contest", ""} {
		if got, ok := ReservedDomain(host); ok {
			t.Errorf("ReservedDomain(%q) = %q, reserved", host, got)
		}
	}
}
