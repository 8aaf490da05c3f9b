package filterpattern

import (
	"errors"
	"strings"
	"testing"
)

type matchCase struct {
	pattern string
	msg     string
	want    bool
}

func runMatch(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, c := range cases {
		p, err := Parse(c.pattern)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.pattern, err)
			continue
		}
		if got := p.Match([]byte(c.msg)); got != c.want {
			t.Errorf("Parse(%q).Match(%q) = %v, want %v", c.pattern, c.msg, got, c.want)
		}
		// The canonical form must behave the same.
		q, err := Parse(p.String())
		if err != nil {
			t.Errorf("Parse(String()=%q): %v", p.String(), err)
			continue
		}
		if got := q.Match([]byte(c.msg)); got != c.want {
			t.Errorf("canonical %q: Match(%q) = %v, want %v", p.String(), c.msg, got, c.want)
		}
	}
}

// The JSON event from AWS's "JSON Metric Filter Examples"
// (awsdocs/amazon-cloudwatch-logs-user-guide, doc_source/FilterAndPatternSyntax.md).
const awsDocEvent = `{
  "eventType": "UpdateTrail",
  "sourceIPAddress": "111.111.111.111",
  "arrayKey": [
        "value",
        "another value"
  ],
  "objectList": [
       {
         "name": "a",
         "id": 1
       },
       {
         "name": "b",
         "id": 2
       }
  ],
  "SomeObject": null,
  "ThisFlag": true
}`

// The event from the same page's "JSON Compound Conditions".
const awsDocCompound = `{
    "user": {
        "id": 1, 
        "email": "John.Stiles@example.com"
    },
    "users": [
        {
         "id": 2,
         "email": "John.Doe@example.com"
        },
        {
         "id": 3,
         "email": "Jane.Doe@example.com"
        }
    ],
    "actions": [
        "GET",
        "PUT",
        "DELETE"
    ],
    "coordinates": [
        [0, 1, 2],
        [4, 5, 6],
        [7, 8, 9]
    ]
}`

func TestAWSDocJSONExamples(t *testing.T) {
	runMatch(t, []matchCase{
		{`{ $.eventType = "UpdateTrail" }`, awsDocEvent, true},
		{`{ $.sourceIPAddress != 123.123.* }`, awsDocEvent, true},
		{`{ $.sourceIPAddress != 111.111.* }`, awsDocEvent, false},
		{`{ $.arrayKey[0] = "value" }`, awsDocEvent, true},
		{`{ $.arrayKey[1] = "another value" }`, awsDocEvent, true},
		{`{ $.eventType[0] = "UpdateTrail" }`, awsDocEvent, false}, // not an array: false
		{`{ $.objectList[1].id = 2 }`, awsDocEvent, true},
		{`{ $.objectList[1].name = "b" }`, awsDocEvent, true},
		{`{ $.objectList[2].id = 2 }`, awsDocEvent, false},
		{`{ $.SomeObject IS NULL }`, awsDocEvent, true},
		{`{ $.ThisFlag IS NULL }`, awsDocEvent, false},
		{`{ $.SomeOtherObject NOT EXISTS }`, awsDocEvent, true},
		{`{ $.SomeObject NOT EXISTS }`, awsDocEvent, false},
		{`{ $.ThisFlag IS TRUE }`, awsDocEvent, true},
		{`{ $.ThisFlag IS FALSE }`, awsDocEvent, false},
		// Compound conditions: () > && > ||.
		{`{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }`, awsDocCompound, true},
		{`{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }`, awsDocCompound, false},
		{
			`{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }`,
			awsDocCompound,
			true,
		},
		{
			`{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }`,
			awsDocCompound,
			false,
		},
		{`{ $.coordinates[2][0] = 7 }`, awsDocCompound, true},
		{`{ $.coordinates[1][2] > 5.5 }`, awsDocCompound, true},
		// Special considerations: a selector pointing at an array or object
		// matches neither = nor !=.
		{`{ $.users = 1 }`, `{"users": [1, 2, 3]}`, false},
		{`{ $.users != 1 }`, `{"users": [1, 2, 3]}`, false},
		{`{ $.user != "x" }`, awsDocCompound, false},
		// OR in JSON filters (same page).
		{`{$.foo = bar}`, `{"foo": "bar"}`, true},
		{`{$.foo = baz }`, `{"foo": "bar"}`, false},
		{`{$.foo = bar || $.foo = baz }`, `{"foo": "baz"}`, true},
		// Publishing numerical values: { $.latency = * } matches any value.
		{`{ $.latency = * }`, `{"latency": 50, "requestType": "GET"}`, true},
		{`{ $.latency = * }`, `{"requestType": "GET"}`, false},
	})
}

func TestWildcards(t *testing.T) {
	runMatch(t, []matchCase{
		// AWS: "*Event will match PutEvent and GetEvent. Event* will match
		// EventId and EventName. Ev*ent will only match the actual string Ev*ent."
		{`{ $.a = *Event }`, `{"a":"PutEvent"}`, true},
		{`{ $.a = "*Event" }`, `{"a":"GetEvent"}`, true},
		{`{ $.a = *Event }`, `{"a":"PutEvents"}`, false},
		{`{ $.a = Event* }`, `{"a":"EventName"}`, true},
		{`{ $.a = Event* }`, `{"a":"MyEventName"}`, false},
		{`{ $.a = Ev*ent }`, `{"a":"Ev*ent"}`, true},
		{`{ $.a = Ev*ent }`, `{"a":"Event"}`, false},
		{`{ $.a = *vent* }`, `{"a":"PutEventX"}`, true},
		{`{ $.a = "*" }`, `{"a":""}`, true},
		{`{ $.a != "*" }`, `{"a":"x"}`, false},
		{`{ $.a = "" }`, `{"a":""}`, true},
		{`{ $.a = "" }`, `{"a":"x"}`, false},
	})
}

func TestNumbers(t *testing.T) {
	ev := `{"latency": 1500, "numbers": [0.001, 9999], "processes": [{},{},{},{},{"averageRuntime": 55.5}], "errorCode": 400, "neg": -3, "big": 1e3, "s": "250"}`
	runMatch(t, []matchCase{
		// The doc's numeric examples.
		{`{ $.latency >= 500 }`, ev, true},
		{`{ $.numbers[0] < 10e3 }`, ev, true},
		{`{ $.numbers[0] < 10e-3 }`, ev, true},
		{`{ $.numbers[1] < 10e-3 }`, ev, false},
		{`{ $.processes[4].averageRuntime <= 55.5 }`, ev, true},
		{`{ $.processes[4].averageRuntime < 55.5 }`, ev, false},
		{`{ $.errorCode = 400 }`, ev, true},
		{`{ $.errorCode != 500 }`, ev, true},
		{`{ $.errorCode != 400 }`, ev, false},
		{`{ $.latency > +1000 }`, ev, true},
		{`{ $.neg < -2.5 }`, ev, true},
		{`{ $.neg > -2.5 }`, ev, false},
		{`{ $.big = 1000 }`, ev, true},
		{`{ $.errorCode = 4e2 }`, ev, true},
		{`{ $.errorCode = .4E+3 }`, ev, true},
		{`{ $.latency > 1E-2 }`, ev, true},
		// Numeric comparison with a string that holds a number (decision).
		{`{ $.s > 200 }`, ev, true},
		{`{ $.s = 250 }`, ev, true},
		{`{ $.missing < 1 }`, ev, false},
		{`{ $.processes > 1 }`, ev, false},
	})
}

func TestJSONScanner(t *testing.T) {
	runMatch(t, []matchCase{
		// Escapes in values and keys.
		{`{ $.a = "say \"hi\"" }`, `{"a":"say \"hi\""}`, true},
		{`{ $.a = "back\\slash" }`, `{"a":"back\\slash"}`, true},
		{`{ $.a = "café" }`, `{"a":"caf\u00e9"}`, true},
		{`{ $.a = "café" }`, `{"a":"café"}`, true},
		{`{ $.a = "😀" }`, `{"a":"\ud83d\ude00"}`, true},
		{`{ $.a = "x/y" }`, `{"a":"x\/y"}`, true},
		{`{ $.a = "line*" }`, `{"a":"line\nbreak"}`, true},
		{`{ $.key = 1 }`, `{"k\u0065y": 1}`, true},
		{`{ $.a = "\\" }`, `{"a":"\\"}`, true},
		{`{ $.b = 2 }`, `{"a":"\\\"","b":2}`, true},
		// Whitespace everywhere.
		{`{ $.a.b[1] = x }`, " \n{ \"a\" :\t{ \"b\" : [ 1 , \"x\" ] } } \r\n", true},
		// Nested skipping of unselected parts.
		{`{ $.z = 1 }`, `{"a":{"b":[{"c":[[],{}]},"}",{"d":"]"}]},"z":1}`, true},
		// Duplicate keys: the last one wins.
		{`{ $.a = 2 }`, `{"a":1,"a":2}`, true},
		// Malformed or non-object events never match, not even NOT EXISTS.
		{`{ $.x NOT EXISTS }`, `{"a":1`, false},
		{`{ $.x NOT EXISTS }`, `{"a":1} trailing`, false},
		{`{ $.x NOT EXISTS }`, `[1,2]`, false},
		{`{ $.x NOT EXISTS }`, `not json`, false},
		{`{ $.x NOT EXISTS }`, ``, false},
		{`{ $.x NOT EXISTS }`, `{"a":tru}`, false},
		{`{ $.x NOT EXISTS }`, `{"a" 1}`, false},
		{`{ $.x NOT EXISTS }`, `{"a":1,}`, false},
		{`{ $.x NOT EXISTS }`, `{}`, true},
		{`{ $.a = "x" }`, `{"a":"\q"}`, false},
		{`{ $.a-b_c = 1 }`, `{"a-b_c":1}`, true},
	})
}

func TestRegex(t *testing.T) {
	runMatch(t, []matchCase{
		{`{ $.eventName = %^Delete% }`, `{"eventName":"DeleteTrail"}`, true},
		{`{ $.eventName = %^Delete% }`, `{"eventName":"UndeleteTrail"}`, false},
		{`{ $.eventName != %Trail$% }`, `{"eventName":"StopLogging"}`, true},
		{`{ $.eventName = %[hc]at% }`, `{"eventName":"that"}`, true},
		{`{ $.eventName = %colou?r% }`, `{"eventName":"color"}`, true},
		{`{ $.eventName = %a{3,5}% }`, `{"eventName":"aaa"}`, true},
		{`{ $.ip = %10\.10\.0\.1% }`, `{"ip":"10.10.0.1"}`, true},
		{`{ $.ip = %10\.10\.0\.1% }`, `{"ip":"10x10.0.1"}`, false},
		{`{ $.n = %^4% }`, `{"n":404}`, true},
		{`%ERROR|WARN%`, `[WARN] x`, true},
		{`%^ERROR%`, `x ERROR`, false},
		{`[w1=%ERROR|WARN%, w2]`, `WARN message`, true},
		{`[w1=%ERROR|WARN%, w2]`, `INFO message`, false},
	})
}

// Term patterns, from the AWS doc's "Matching Terms in Log Events".
func TestTerms(t *testing.T) {
	runMatch(t, []matchCase{
		{``, `anything`, true},
		{`   `, ``, true},
		{`""`, `anything`, true},
		{`ERROR`, `[ERROR] A fatal exception has occurred`, true},
		{`ERROR`, `Exiting with ERRORCODE: -1`, true}, // substring match
		{`"ERROR" - "Exiting"`, `Exiting with ERRORCODE: -1`, false},
		{`"ERROR" - "Exiting"`, `[ERROR] A fatal exception has occurred`, true},
		{`ERROR Exception`, `[ERROR] Caught IllegalArgumentException`, true},
		{`ERROR Exception`, `[ERROR] Unhandled Exception`, true},
		{`ERROR Exception`, `[ERROR] Unhandled`, false},
		{`Failed to process the request`, `[WARN] Failed to process the request`, true},
		{`Failed to process the request`, `[ERROR] Unable to continue: Failed to process the request`, true},
		{`"Failed to process the request"`, `Failed to process a request`, false},
		// OR pattern matching.
		{`ERROR`, `ERROR WARN message`, true},
		{`ERROR`, `WARN message`, false},
		{`?ERROR ?WARN`, `ERROR message`, true},
		{`?ERROR ?WARN`, `WARN message`, true},
		{`?ERROR ?WARN`, `INFO message`, false},
		{`ERROR WARN`, `ERROR WARN message`, true},
		{`ERROR WARN`, `ERROR message`, false},
		{`ERROR -WARN`, `ERROR message`, true},
		{`ERROR -WARN`, `ERROR WARN message`, false},
		// Case sensitivity.
		{`error`, `ERROR message`, false},
		// Mixed: required, optional and excluded together (decision).
		{`message ?ERROR ?WARN -DEBUG`, `WARN message`, true},
		{`message ?ERROR ?WARN -DEBUG`, `INFO message`, false},
		{`message ?ERROR ?WARN -DEBUG`, `WARN DEBUG message`, false},
		{`"a \"quoted\" word"`, `a "quoted" word`, true},
	})
}

// Space-delimited patterns, from the AWS doc's "Using Metric Filters to
// Extract Values from Space-Delimited Log Events".
func TestSpaceDelimited(t *testing.T) {
	l1 := `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`
	l2 := `127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324`
	l3 := `127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /index.html HTTP/1.0" 404 434`
	runMatch(t, []matchCase{
		{`[ip, user, username, timestamp, request, status_code, bytes]`, l1, true},
		{`[ip, user, username, timestamp, request, status_code]`, l1, false},
		{`[..., status_code, bytes]`, l1, true},
		{`[ip, user, ..., status_code, bytes]`, l1, true},
		{`[ip, user, ...]`, l1, true},
		{`[ip, user, username, timestamp, request, status_code, bytes > 1000]`, l1, true},
		{`[ip, user, username, timestamp, request, status_code, bytes > 1000]`, l3, false},
		{`[ip, user, username, timestamp, request, status_code = 200, bytes]`, l1, true},
		{`[ip, user, username, timestamp, request, status_code = 200, bytes]`, l2, false},
		{`[ip, user, username, timestamp, request, status_code = 4*, bytes]`, l3, true},
		{`[ip, user, username, timestamp, request, status_code = 4*, bytes]`, l1, false},
		{`[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]`, l3, true},
		{`[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]`, l1, false},
		{`[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]`, l3, true},
		{`[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]`, l2, false},
		{`[ip, user, username, timestamp = "10/Oct/2000:13:50:35 -0700", ...]`, l3, true},
		{`[..., request = "GET /index.html HTTP/1.0", status_code, bytes]`, l3, true},
		// status_code = 4* && bytes > 1000 names "bytes", which is no field of
		// this 6-field pattern: that comparison is false (decision).
		{`[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]`, l3, false},
		{`[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]`, l3, true},
		// The doc's example with a trailing comma: the empty last field is an
		// anonymous field (AWS extracts it as "$7").
		{
			`[..., request=*.html*, status_code=4*,]`,
			`127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534`,
			true,
		},
		// w1/w2 examples from "OR Pattern Matching".
		{`[w1=ERROR, w2]`, `ERROR message`, true},
		{`[w1=ERROR, w2]`, `ERROR WARN message`, false},
		{`[w1=ERROR || w1=WARN, w2]`, `WARN message`, true},
		{`[w1=ERROR || w1=WARN, w2]`, `INFO message`, false},
		{`[w1!=ERROR&&w1!=WARN, w2]`, `INFO message`, true},
		{`[w1!=ERROR&&w1!=WARN, w2]`, `WARN message`, false},
		// Conditions on other fields, several ellipses, parentheses.
		{`[a, ..., b = x, ..., c = y]`, `1 2 x 3 4 y`, true},
		{`[a, ..., b = x, ..., c = y]`, `1 2 x 3 4 z`, false},
		{`[a = 1 && c = y, ..., b = x, ..., c]`, `1 2 x 3 y`, true},
		{`[a = 1 && c = z, ..., b = x, ..., c]`, `1 2 x 3 y`, false},
		{`[(a = 1 || a = 2) && a != 3, b]`, `2 x`, true},
		{`[a, , c]`, `1 2 3`, true},
		{`[a, b]`, "  1 \t 2  ", true},
		{`[a > 10, b]`, `abc x`, false},
		{`[a != 10, b]`, `abc x`, true},
	})
}

// TestDecisions pins the behaviour chosen where AWS's documentation is
// ambiguous; doc.go gives the reasons and sources.
func TestDecisions(t *testing.T) {
	runMatch(t, []matchCase{
		// != on a missing field does not match (DevelopersIO test against AWS).
		{`{ $.user.phone != "08000000000" }`, `{"user":{"id":"1"}}`, false},
		{`{ ($.user.phone != "08000000000") || ($.user.phone NOT EXISTS) }`, `{"user":{"id":"1"}}`, true},
		// != on null, object or array does not match.
		{`{ $.a != "x" }`, `{"a":null}`, false},
		{`{ $.a != "x" }`, `{"a":{}}`, false},
		{`{ $.a = * }`, `{"a":null}`, false},
		{`{ $.a = * }`, `{"a":[]}`, false},
		// String matching is case-sensitive.
		{`{ $.MFAUsed = "Yes" }`, `{"MFAUsed":"YES"}`, false},
		{`{ $.MFAUsed != "Yes" }`, `{"MFAUsed":"YES"}`, true},
		// Keywords are accepted in any case.
		{`{ $.a is true }`, `{"a":true}`, true},
		{`{ $.a Not Exists }`, `{}`, true},
		{`{ $.a is null }`, `{"a":null}`, true},
		// A string value is compared with the text of a number or boolean.
		{`{ $.a = "400" }`, `{"a":400}`, true},
		{`{ $.a = "4*" }`, `{"a":404}`, true},
		{`{ $.a = "4e2" }`, `{"a":400}`, false},
		{`{ $.a = true }`, `{"a":true}`, true},
		{`{ $.a = 1 }`, `{"a":true}`, false},
		// A numeric value is compared numerically with a number, and with a
		// string only if the string is a number.
		{`{ $.a = 400 }`, `{"a":"400"}`, true},
		{`{ $.a = 400 }`, `{"a":"400.0"}`, true},
		{`{ $.a = 400 }`, `{"a":"four"}`, false},
		{`{ $.a != 400 }`, `{"a":"four"}`, true},
		{`{ $.recipientAccountId = 123456789012 }`, `{"recipientAccountId":"123456789012"}`, true},
		// Terms are case-sensitive substrings.
		{`Root`, `{"type":"Root"}`, true},
		{`root`, `{"type":"Root"}`, false},
	})
}

func TestSelectorsAndKind(t *testing.T) {
	p := mustParse(t, `{ $.a.b = 1 && ($.c[0].d IS TRUE || $.a.b != 2) && $.e NOT EXISTS }`)
	if got := strings.Join(p.Selectors(), " "); got != "$.a.b $.c[0].d $.e" {
		t.Errorf("Selectors = %q", got)
	}
	if p.Kind() != KindJSON || p.Kind().String() != "json" {
		t.Errorf("Kind = %v", p.Kind())
	}
	if k := mustParse(t, `[a, b]`).Kind(); k != KindSpaceDelimited || k.String() != "space-delimited" {
		t.Errorf("Kind = %v", k)
	}
	if k := mustParse(t, `ERROR`).Kind(); k != KindTerms || k.String() != "terms" {
		t.Errorf("Kind = %v", k)
	}
	if k := mustParse(t, ``).Kind(); k != KindTerms {
		t.Errorf("Kind = %v", k)
	}
	if s := mustParse(t, `ERROR`).Selectors(); s != nil {
		t.Errorf("Selectors of a term pattern = %v", s)
	}
	if s := Kind(9).String(); s != "Kind(9)" {
		t.Errorf("Kind(9) = %q", s)
	}
}

func TestCanonicalString(t *testing.T) {
	cases := map[string]string{
		cisRoot:  `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
		cisKMS:   `{ $.eventSource = "kms.amazonaws.com" && ($.eventName = "DisableKey" || $.eventName = "ScheduleKeyDeletion") }`,
		cisNoMFA: `{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes" }`,
		`{ ($.a = 1 || $.b = 2) && $.c is null }`:    `{ ($.a = 1 || $.b = 2) && $.c IS NULL }`,
		`{ $.a = 1 || ($.b = 2 && ($.c = 3)) }`:      `{ $.a = 1 || $.b = 2 && $.c = 3 }`,
		`{ $.a = "q\"\\" }`:                          `{ $.a = "q\"\\" }`,
		`{$.n>=+1.5e3}`:                              `{ $.n >= +1.5e3 }`,
		`{ $.r = %^a.b$% }`:                          `{ $.r = %^a.b$% }`,
		`? ERROR ?"two words" - WARN   %x%`:          `?ERROR ?"two words" -WARN %x%`,
		`[ip,user ,...,status_code=4*&&bytes>1000,]`: `[ip, user, ..., status_code = "4*" && bytes > 1000, ]`,
		`[ (a=1||a=2) && b=3 , b]`:                   `[(a = 1 || a = 2) && b = 3, b]`,
		``:                                           ``,
	}
	for in, want := range cases {
		p := mustParse(t, in)
		got := p.String()
		if got != want {
			t.Errorf("Parse(%q).String() =\n %q, want\n %q", in, got, want)
			continue
		}
		again := mustParse(t, got).String()
		if again != got {
			t.Errorf("String not stable: %q -> %q", got, again)
		}
	}
}

func TestLengthLimit(t *testing.T) {
	ok := strings.Repeat("a", MaxLength)
	if _, err := Parse(ok); err != nil {
		t.Errorf("1024 characters: %v", err)
	}
	// 1024 characters, some multi-byte, is still within the limit.
	if _, err := Parse(`"` + strings.Repeat("é", MaxLength-2) + `"`); err != nil {
		t.Errorf("1024 characters with multi-byte: %v", err)
	}
	_, err := Parse(ok + "a")
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("1025 characters: err = %v", err)
	}
	if se.Offset != 1025 || se.Error() != "filterpattern: at offset 1025: pattern is 1025 characters long; "+
		"the limit is 1024" {
		t.Errorf("err = %v", se)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		pattern string
		offset  int
		msg     string
	}{
		{`{ $.eventName && $.x = 1 }`, 14, `expected "=", "!=", "<", "<=", ">", ">=", "IS TRUE", "IS FALSE", "IS NULL" or "NOT EXISTS" after selector $.eventName, found "&&"`},
		{`{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed }`, 67, `expected "=", "!=", "<", "<=", ">", ">=", "IS TRUE", "IS FALSE", "IS NULL" or "NOT EXISTS" after selector $.additionalEventData.MFAUsed, found "}"`},
		{`{ $.a`, 5, `expected "=", "!=", "<", "<=", ">", ">=", "IS TRUE", "IS FALSE", "IS NULL" or "NOT EXISTS" after selector $.a, found end of pattern`},
		{`{}`, 1, `expected a condition such as $.field = value inside {}, found "}"`},
		{`{`, 1, `expected a selector such as $.field or "(", found end of pattern`},
		{`{ eventName = x }`, 2, `expected a selector such as $.field or "(", found "eventName"`},
		{`{ $eventName = x }`, 3, `expected "." and a property name after "$", found "eventName"`},
		{`{ $. = x }`, 4, `expected a property name (letters, digits, - and _) after ".", found " "`},
		{`{ $.a[x] = 1 }`, 6, `expected an array index (digits) after "[", found "x"`},
		{`{ $.a[1 = 1 }`, 7, `expected "]" to close "[" at offset 5, found " "`},
		{`{ $.a[1234567890] = 1 }`, 6, `array index 1234567890 is too large`},
		{`{ $.a = 1 `, 10, `expected "}" to close the JSON pattern, found end of pattern`},
		{`{ $.a = 1 ) }`, 10, `expected "&&", "||" or "}", found ")"`},
		{`{ $.a = 1 } x`, 12, `expected end of pattern after "}", found "x"`},
		{`{ ($.a = 1 }`, 11, `expected ")" to close "(" at offset 2, found "}"`},
		{`{ $.a = }`, 8, `expected a value after selector $.a =, found "}"`},
		{`{ $.a =`, 7, `expected a value after selector $.a =, found end of pattern`},
		{`{ $.a = @x }`, 8, `expected a value after selector $.a =, found "@" (quote values that contain other than letters, digits, _ - . * : / +)`},
		{`{ $.a > abc }`, 8, `expected a number after ">", found "abc"`},
		{`{ $.a <= "1" }`, 9, `expected a number after "<=", found "\"1\""`},
		{`{ $.a >= %1% }`, 9, `expected a number after ">=", found "%"`},
		{`{ $.a = "abc }`, 8, `unterminated quoted string: expected a closing '"'`},
		{`{ $.a IS MAYBE }`, 9, `expected TRUE, FALSE or NULL after $.a IS, found "MAYBE"`},
		{`{ $.a NOT THERE }`, 10, `expected EXISTS after $.a NOT, found "THERE"`},
		{`{ $.a ISTRUE }`, 6, `expected "=", "!=", "<", "<=", ">", ">=", "IS TRUE", "IS FALSE", "IS NULL" or "NOT EXISTS" after selector $.a, found "ISTRUE"`},
		{`{ $.a = %abc }`, 8, `unterminated regex: expected a closing '%'`},
		{`{ $.a = %% }`, 8, `empty regex %%`},
		{`{ $.a = %(a)% }`, 9, `unsupported character in regex: found "(" (allowed: letters, digits, _ # = @ / ; , - : space and the operators ^ $ ? [ ] { } | \ * + .)`},
		{`{ $.a = %something!% }`, 18, `unsupported character in regex: found "!" (allowed: letters, digits, _ # = @ / ; , - : space and the operators ^ $ ? [ ] { } | \ * + .)`},
		{`{ $.a = %é% }`, 9, `unsupported character in regex: found a multi-byte character (allowed: letters, digits, _ # = @ / ; , - : space and the operators ^ $ ? [ ] { } | \ * + .)`},
		{`{ $.a = %[a% }`, 9, "invalid regex \"[a\": error parsing regexp: missing closing ]: `[a`"},
		{
			`{ $.a = %a% || $.b = %b% || $.c = %c% }`,
			0,
			`pattern has 3 regular expressions; AWS allows at most 2 in a JSON pattern`,
		},
		{
			`{ ($.errorMessage = Failed authentication) }`,
			27,
			`expected ")" to close "(" at offset 2, found "authentication"`,
		},
		{
			`{ ` + strings.Repeat("(", maxNesting+1) + `$.a = 1` + strings.Repeat(")", maxNesting+1) + ` }`,
			2 + maxNesting,
			`parentheses nested more than 64 deep`,
		},
		// Terms.
		{`ERROR:`, 5, `expected a space or end of pattern after a term, found ":"; quote terms that contain characters other than letters, digits and _`},
		{`@home`, 0, `expected a term (letters, digits and _), a "quoted phrase" or a %regex%, found "@"; quote terms that contain other characters`},
		{`ERROR -`, 7, `expected a term after "-", found end of pattern`},
		{`?`, 1, `expected a term after "?", found end of pattern`},
		{`"open`, 0, `unterminated quoted string: expected a closing '"'`},
		{`%a(b%`, 2, `unsupported character in regex: found "(" (allowed: letters, digits, _ # = @ / ; , - : space and the operators ^ $ ? [ ] { } | \ * + .)`},
		// Space-delimited.
		{`[]`, 1, `expected a field name, "..." or a condition inside [], found "]"`},
		{`[a, b`, 5, `expected "," or "]" to close "[" at offset 0, found end of pattern`},
		{`[a,`, 3, `expected a field name, "..." or a condition, found end of pattern`},
		{`[a b]`, 3, `expected "=", "!=", "<", "<=", ">" or ">=" after field a, found "b"`},
		{`[a = 1 b]`, 7, `expected ",", "]", "&&" or "||" after a field, found "b"`},
		{`[a] x`, 4, `expected end of pattern after "]", found "x"`},
		{`[@]`, 1, `expected a field name (letters, digits and _), "..." or a condition, found "@"`},
		{`[a = 1 && ]`, 10, `expected a field name (letters, digits and _) or "(", found "]"`},
		{`[a = 1 && `, 10, `expected a field condition, found end of pattern`},
		{`[a > x]`, 5, `expected a number after ">", found "x"`},
		{
			`[a = %a%, b = %b%, c = %c%]`,
			0,
			`pattern has 3 regular expressions; AWS allows at most 2 in a space-delimited pattern`,
		},
	}
	for _, c := range cases {
		_, err := Parse(c.pattern)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): err = %v, want a *SyntaxError", c.pattern, err)
			continue
		}
		if se.Offset != c.offset || se.Msg != c.msg {
			t.Errorf(
				"Parse(%q):\n got offset %d: %s\nwant offset %d: %s",
				c.pattern,
				se.Offset,
				se.Msg,
				c.offset,
				c.msg,
			)
		}
		if !strings.HasPrefix(err.Error(), "filterpattern: at offset ") {
			t.Errorf("Error() = %q", err.Error())
		}
	}
}

// TestSpaceDelimitedLarge: alignment with several "..." stays fast and
// exact on long lines.
func TestSpaceDelimitedLarge(t *testing.T) {
	words := make([]string, 20000)
	for i := range words {
		words[i] = "w"
	}
	words[0], words[7000], words[19999] = "1", "x", "y"
	line := strings.Join(words, " ")
	runMatch(t, []matchCase{
		{`[a, ..., b = x, ..., c = y]`, line, true},
		{`[a, ..., b = x, ..., c = z]`, line, false},
		{`[a = 1, ..., b = x, ..., c = y, d]`, line, false},
		{`[..., b = x, ..., c = w, ..., d = y]`, line, true},
	})
}

func TestTestdataCopies(t *testing.T) {
	// The corpus files the tests and benchmarks read must load.
	recs := loadFiles(t, corpusFiles...)
	if len(recs) < 30 {
		t.Fatalf("the corpus files hold %d records", len(recs))
	}
}
