package scan

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
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

// BenchmarkScan scans the whole corpus 20 times over (8,620 records in gzip log files; a third
// of them are findings of some control, far more than in real logs) with root-usage alone and with
// every control, on one worker: MB/s of JSON, and the live heap the result holds per finding.
func BenchmarkScan(b *testing.B) {
	dir := corpusLogFiles(b, 20)
	for _, sel := range []string{"root-usage", "all"} {
		b.Run(sel, func(b *testing.B) {
			rs := rules(b, sel)
			var res *Result
			for b.Loop() {
				res = Run(
					context.Background(),
					[]Source{LocalSource{Path: dir}},
					Options{Window: wide, Rules: rs, Workers: 1},
					nil,
				)
			}
			b.SetBytes(res.BytesDecoded)
			var before, after runtime.MemStats
			res = nil
			runtime.GC()
			runtime.ReadMemStats(&before)
			res = Run(
				context.Background(),
				[]Source{LocalSource{Path: dir}},
				Options{Window: wide, Rules: rs, Workers: 1},
				nil,
			)
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(len(res.Findings)), "findings")
			b.ReportMetric(
				float64(max(0, int64(after.HeapAlloc)-int64(before.HeapAlloc)))/float64(max(1, len(res.Findings))),
				"heap-B/finding",
			)
		})
	}
}
