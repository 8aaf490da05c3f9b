package athenasql

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/catalog"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.sql")

// TestCatalogGolden translates every pattern of every catalogue control in both dialects and
// compares the SQL with testdata/catalog.<dialect>.golden.sql (refresh with -update). That the SQL
// means what the pattern means is proved on DuckDB in the duckdbtest module.
func TestCatalogGolden(t *testing.T) {
	for _, d := range []Dialect{Trino, DuckDB} {
		var b strings.Builder
		for _, c := range catalog.All() {
			for i, p := range c.Patterns() {
				sql, err := Where(p, d)
				if err != nil {
					t.Fatalf("%s pattern %d: %v", c.ID, i, err)
				}
				fmt.Fprintf(&b, "-- %s pattern %d: %s\n%s\n\n", c.ID, i, p, sql)
			}
		}
		file := filepath.Join("testdata", "catalog."+d.String()+".golden.sql")
		if *update {
			if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test ./athena/athenasql -update)", err)
		}
		if b.String() != string(want) {
			t.Errorf("%s translation of the catalogue differs from %s (run with -update and review the diff)", d, file)
		}
	}
}

func TestTranslations(t *testing.T) {
	for _, tc := range []struct {
		pattern      string
		trino, duckb string
	}{
		{`{ $.userIdentity.invokedBy NOT EXISTS }`, `(useridentity.invokedby IS NULL)`, ``},
		{`{ $.eventName = "Console*" }`, `COALESCE(eventname LIKE 'Console%' ESCAPE '\', FALSE)`, ``},
		{`{ $.errorCode = "*50%_off\\*" }`, `COALESCE(errorcode LIKE '%50\%\_off\\%' ESCAPE '\', FALSE)`, ``},
		{`{ $.eventName != "It's" }`, `COALESCE(NOT (eventname = 'It''s'), FALSE)`, ``},
		{`{ $.readOnly IS TRUE }`, `COALESCE(readonly = 'true', FALSE)`, ``},
		{`{ $.eventName IS TRUE }`, `FALSE`, ``},
		{`{ $.userIdentity.type IS NULL }`, `FALSE`, ``},
		{`{ $.userIdentity = "x" }`, `FALSE`, ``},
		{`{ $.readOnly = 1 }`, `FALSE`, ``},
		{`{ $.requestParameters.userName NOT EXISTS }`,
			`(json_format(json_extract(requestparameters, '$.userName')) IS NULL)`,
			`(CAST(json_extract(requestparameters, '$.userName') AS VARCHAR) IS NULL)`},
		{`{ $.additionalEventData.MFAUsed = "Yes" }`,
			`COALESCE(substr(json_format(json_extract(additionaleventdata, '$.MFAUsed')), 1, 1) NOT IN ('n', '{', '[') AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'Yes', FALSE)`,
			`COALESCE(substr(CAST(json_extract(additionaleventdata, '$.MFAUsed') AS VARCHAR), 1, 1) NOT IN ('n', '{', '[') AND json_extract_string(additionaleventdata, '$.MFAUsed') = 'Yes', FALSE)`},
		{`{ $.requestParameters.a-b[2].c IS NULL }`,
			`COALESCE(json_format(json_extract(requestparameters, '$["a-b"][2].c')) = 'null', FALSE)`,
			`COALESCE(CAST(json_extract(requestparameters, '$."a-b"[2].c') AS VARCHAR) = 'null', FALSE)`},
		{`{ $.eventVersion >= 1.05 }`,
			`COALESCE((regexp_like(eventversion, '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\z') AND TRY_CAST(eventversion AS DOUBLE) >= CAST('1.05' AS DOUBLE)), FALSE)`,
			`COALESCE((regexp_matches(eventversion, '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$') AND TRY_CAST(eventversion AS DOUBLE) >= CAST('1.05' AS DOUBLE)), FALSE)`},
		{`{ $.eventName = %^Get.+s$% }`, `COALESCE(regexp_like(eventname, '^Get[^\n]+s\z'), FALSE)`,
			`COALESCE(regexp_matches(eventname, '^Get.+s$'), FALSE)`},
		{`{ ($.a.b = 1 || $.eventName = x) && $.eventSource = y }`, ``, ``}, // error: $.a
	} {
		for _, d := range []Dialect{Trino, DuckDB} {
			want := tc.trino
			if d == DuckDB && tc.duckb != "" {
				want = tc.duckb
			}
			got, err := Where(tc.pattern, d)
			if want == "" {
				var ue *UnsupportedError
				if !errors.As(err, &ue) {
					t.Errorf("%s %s: got %q, %v; want an UnsupportedError", d, tc.pattern, got, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s %s: %v", d, tc.pattern, err)
			} else if got != want {
				t.Errorf("%s %s:\n got %s\nwant %s", d, tc.pattern, got, want)
			}
		}
	}
}

func TestUnsupported(t *testing.T) {
	for pattern, reason := range map[string]string{
		`ERROR`:                              "only JSON patterns",
		`[ip, user, ...]`:                    "only JSON patterns",
		`{ $.sourceIpAddress = "1.2.3.4" }`:  "CloudTrail spells it sourceIPAddress",
		`{ $.EventName = "x" }`:              "CloudTrail spells it eventName",
		`{ $.noSuchField = "x" }`:            "no column for $.noSuchField",
		`{ $.requestParameters NOT EXISTS }`: "kept as JSON text",
		`{ $.requestParameters IS NULL }`:    "kept as JSON text",
		`{ $.resources[0].ARN = "x" }`:       "array or map column",
		`{ $.userIdentity[0] = "x" }`:        "not an array",
		`{ $.eventName.x NOT EXISTS }`:       "is a string",
		`{ $.readOnly.x = 1 }`:               "is a boolean",
		`{ $.eventName = 1e999 }`:            "out of range",
		`{ $.userIdentity.sessionContext.webIdFederationData.attributes.x = "y" }`: "array or map column",
	} {
		_, err := Where(pattern, Trino)
		var ue *UnsupportedError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), reason) {
			t.Errorf("%s: error %v, want an UnsupportedError saying %q", pattern, err, reason)
		}
	}
	if _, err := Where(`{ $.eventName = `, Trino); err == nil || !strings.Contains(err.Error(), "filterpattern") {
		t.Errorf("a syntax error: %v", err)
	}
}

func TestTrinoRegex(t *testing.T) {
	for re, want := range map[string]string{
		`^a.b$`:        `^a[^\n]b\z`,
		`[.$]x`:        `[.$]x`,
		`[]a]`:         `[]a]`,
		`[^]a].`:       `[^]a][^\n]`,
		`[a[b]`:        `[a\[b]`,
		`a{2}b{1,}c{,`: `a{2}b{1,}c\{,`,
		`\d+\.\w`:      `\d+\.\w`,
		`a|b*?`:        `a|b*?`,
	} {
		got, err := trinoRegex(re)
		if err != nil || got != want {
			t.Errorf("trinoRegex(%q) = %q, %v; want %q", re, got, err, want)
		}
	}
	for _, re := range []string{`\s`, `\pL`, `\Qa\E`, `\z`, `[[:alpha:]]`, `[a[:digit:]]`, `a\`} {
		if got, err := trinoRegex(re); err == nil {
			t.Errorf("trinoRegex(%q) = %q, want an error", re, got)
		}
	}
	// DuckDB runs RE2, as filterpattern does: no rewriting, nothing refused
	if got, err := DuckDB.regex("x", `\s[[:alpha:]]$`); err != nil || got != `regexp_matches(x, '\s[[:alpha:]]$')` {
		t.Errorf("DuckDB regex: %q, %v", got, err)
	}
}

func TestColumns(t *testing.T) {
	cols := Columns()
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
	}
	// AWS's DDL, in order
	want := "eventversion useridentity eventtime eventsource eventname awsregion sourceipaddress useragent errorcode " +
		"errormessage requestparameters responseelements additionaleventdata requestid eventid readonly resources " +
		"eventtype apiversion recipientaccountid serviceeventdetails sharedeventid vpcendpointid " +
		"vpcendpointaccountid eventcategory addendum sessioncredentialfromconsole edgedevicedetails tlsdetails"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("columns:\n got %s\nwant %s", got, want)
	}
	if cols[1].Type != "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,"+
		"accesskeyid:string,username:string,onbehalfof:struct<userid:string,identitystorearn:string>,"+
		"sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,"+
		"sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,"+
		"ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,"+
		"string>>>>" {
		t.Errorf("useridentity type: %s", cols[1].Type)
	}
	if cols[15].Holds != "boolean" || cols[10].Holds != "json" || cols[1].Holds != "struct" ||
		len(cols[1].Fields) != 9 {
		t.Errorf("holds: %+v %+v %+v", cols[15], cols[10], cols[1])
	}
}
