package scan

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkRecordReader splits a synthetic 1,000-record CloudTrail log file (strings with escaped
// quotes and backslashes, nested objects and arrays) into records.
func BenchmarkRecordReader(b *testing.B) {
	var f bytes.Buffer
	f.WriteString(`{"Records": [`)
	for i := range 1000 {
		if i > 0 {
			f.WriteString(",\n")
		}
		fmt.Fprintf(&f, `{"eventVersion":"1.08","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},`+
			`"eventTime":"2026-01-01T00:00:%02dZ","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1",`+
			`"sourceIPAddress":"192.0.2.%d","userAgent":"Mozilla/5.0 \"quoted\" C:\\path\\","requestParameters":null,`+
			`"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No","list":[1,2,{"a":[true,false,null]}]},`+
			`"eventID":"%08d-0000-4000-8000-000000000000","eventType":"AwsConsoleSignIn","recipientAccountId":"111122223333"}`, i%60, i%256, i)
	}
	f.WriteString("]}\n")
	data := f.Bytes()
	r := bytes.NewReader(data)
	rr := NewRecordReader(r)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(data)
		rr.Reset(r)
		n, err := countRecords(rr)
		if err != nil {
			b.Fatal(err)
		}
		if n != 1000 {
			b.Fatalf("%d records, want 1000", n)
		}
	}
}
