package jsonlex

import "testing"

func TestQuoteEnd(t *testing.T) {
	for _, c := range []struct {
		s    string
		from int
		want int
	}{
		{`"abc"`, 1, 4},
		{`"a\"b"`, 1, 5},
		{`"a\\"b"`, 1, 4},
		{`"a\\\"b"`, 1, 7},
		{`"\\\\"`, 1, 5},
		{`""`, 1, 1},
		{`"abc`, 1, -1},
		{`"a\"`, 1, -1},
		{`{"k":"v\\"}`, 6, 9},
	} {
		if got := QuoteEnd([]byte(c.s), c.from); got != c.want {
			t.Errorf("QuoteEnd(%s, %d) = %d, want %d", c.s, c.from, got, c.want)
		}
	}
}
