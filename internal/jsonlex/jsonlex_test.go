package jsonlex

import "testing"

func TestEscaped(t *testing.T) {
	for _, c := range []struct {
		s    string
		i    int
		want bool
	}{
		{`"abc"`, 4, false},
		{`"a\"b"`, 3, true},
		{`"a\\"b"`, 4, false},
		{`"a\\\"b"`, 5, true},
		{`""`, 1, false},
		{`"`, 0, false},
	} {
		if got := Escaped([]byte(c.s), c.i); got != c.want {
			t.Errorf("Escaped(%s, %d) = %v, want %v", c.s, c.i, got, c.want)
		}
	}
}
