// Command gen writes realistic CloudTrail log files for the scan benchmark. Every record is a real
// event from the project's CloudTrail corpus (testdata/cloudtrail: Stratus Red Team recordings, AWS
// documentation samples, Panther scenarios) with a fresh eventTime, eventID, source IP and account,
// so the data compresses like real logs rather than like a file repeated a thousand times. Files
// are gzip-compressed {"Records":[...]} in the account layout
// AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/, 200 to 2000 records each.
//
//	go run ./bench/gen -corpus testdata/cloudtrail -out /tmp/ct -size 2GB
//
// About one record in 1000 is a root event. The totals are written to OUT/manifest.json.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"
)

// template is an event split around the fields each copy rewrites.
type template struct {
	parts [][]byte // parts[i] precedes field[i]; the last part ends the record
	field []string // "time", "id", "ip", "acct"
	root  bool
}

const (
	sTime = "@@TIME@@"
	sID   = "@@ID@@"
	sIP   = "@@IP@@"
	sAcct = "@@ACCT@@"
)

func load(corpus string) (bg, root []template) {
	var files []string
	for _, g := range []string{"stratus/*.json", "awsdocs/*.json", "curated/*.json", "panther_scenarios/*.json"} {
		m, _ := filepath.Glob(filepath.Join(corpus, g))
		if len(m) == 0 {
			log.Fatalf("no corpus events %s under %s (the layout of testdata/cloudtrail)", g, corpus)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		log.Fatalf("no corpus events under %s", corpus)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "INDEX.json") || strings.Contains(f, "SYNTHETIC") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		b = bytes.TrimSpace(b)
		if b[0] != '[' {
			b = append(append([]byte{'['}, b...), ']')
		}
		var evs []map[string]any
		if err := json.Unmarshal(b, &evs); err != nil {
			log.Fatalf("%s: %v", f, err)
		}
		for _, e := range evs {
			if _, ok := e["eventTime"]; !ok {
				continue
			}
			e["eventTime"] = sTime
			e["eventID"] = sID
			if ip, ok := e["sourceIPAddress"].(string); ok && strings.Count(ip, ".") == 3 {
				e["sourceIPAddress"] = sIP
			}
			e["recipientAccountId"] = sAcct
			js, err := json.Marshal(e)
			if err != nil {
				log.Fatal(err)
			}
			t := split(js)
			ui, _ := e["userIdentity"].(map[string]any)
			t.root = ui["type"] == "Root"
			if t.root {
				root = append(root, t)
			} else {
				bg = append(bg, t)
			}
		}
	}
	return bg, root
}

func split(js []byte) template {
	var t template
	for {
		best, which := -1, ""
		for _, s := range []string{sTime, sID, sIP, sAcct} {
			if i := bytes.Index(js, []byte(s)); i >= 0 && (best < 0 || i < best) {
				best, which = i, s
			}
		}
		if best < 0 {
			t.parts = append(t.parts, js)
			return t
		}
		t.parts = append(t.parts, js[:best])
		t.field = append(t.field, which)
		js = js[best+len(which):]
	}
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	for suf, m := range map[string]int64{"GB": 1e9, "MB": 1e6, "G": 1e9, "M": 1e6} {
		if strings.HasSuffix(s, suf) {
			s, mult = strings.TrimSuffix(s, suf), m
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return int64(f * float64(mult)), err
}

var regions = []string{
	"us-east-1",
	"us-east-1",
	"us-east-1",
	"us-west-2",
	"eu-west-1",
	"eu-central-1",
	"ap-southeast-2",
}

func main() {
	corpus := flag.String("corpus", "testdata/cloudtrail", "the corpus folder (the layout of testdata/cloudtrail)")
	out := flag.String("out", "", "output folder (created)")
	sizeFlag := flag.String("size", "2GB", "total uncompressed JSON to write (e.g. 500MB, 2GB)")
	rootRate := flag.Float64("root-rate", 0.001, "fraction of records that are root events")
	flag.Parse()
	if *out == "" {
		log.Fatal("-out is required")
	}
	target, err := parseSize(*sizeFlag)
	if err != nil {
		log.Fatalf("-size: %v", err)
	}
	bg, root := load(*corpus)
	accounts := []string{"111122223333", "444455556666", "777788889999"}
	now := time.Now().UTC()

	var written, compressed, events, roots, files atomic.Int64
	var wg sync.WaitGroup
	for w := range runtime.NumCPU() {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w)+1, 42))
			var raw bytes.Buffer
			zbuf := new(bytes.Buffer)
			zw, _ := gzip.NewWriterLevel(zbuf, gzip.DefaultCompression)
			for written.Load() < target {
				acct := accounts[rng.IntN(len(accounts))]
				region := regions[rng.IntN(len(regions))]
				t0 := now.Add(-time.Duration(rng.Int64N(int64(80 * 24 * time.Hour)))).Truncate(time.Minute)
				n := 200 + rng.IntN(1801)
				raw.Reset()
				raw.WriteString(`{"Records":[`)
				for i := range n {
					if i > 0 {
						raw.WriteByte(',')
					}
					tpl := &bg[rng.IntN(len(bg))]
					if rng.Float64() < *rootRate {
						tpl = &root[rng.IntN(len(root))]
						roots.Add(1)
					}
					for j, f := range tpl.field {
						raw.Write(tpl.parts[j])
						switch f {
						case sTime:
							raw.WriteString(t0.Add(-time.Duration(rng.IntN(300)) * time.Second).Format(time.RFC3339))
						case sID:
							fmt.Fprintf(&raw, "%08x-%04x-%04x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint64()&0xffffffffffff)
						case sIP:
							fmt.Fprintf(&raw, "%d.%d.%d.%d", 1+rng.IntN(223), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254))
						case sAcct:
							raw.WriteString(acct)
						}
					}
					raw.Write(tpl.parts[len(tpl.parts)-1])
				}
				raw.WriteString("]}")
				zbuf.Reset()
				zw.Reset(zbuf)
				zw.Write(raw.Bytes())
				zw.Close()
				name := fmt.Sprintf(
					"%s_CloudTrail_%s_%s_%08x.json.gz",
					acct,
					region,
					t0.Format("20060102T1504Z"),
					rng.Uint32(),
				)
				dir := filepath.Join(*out, "AWSLogs", acct, "CloudTrail", region, t0.Format("2006/01/02"))
				if err := os.MkdirAll(dir, 0o755); err != nil {
					log.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), zbuf.Bytes(), 0o644); err != nil {
					log.Fatal(err)
				}
				written.Add(int64(raw.Len()))
				compressed.Add(int64(zbuf.Len()))
				events.Add(int64(n))
				files.Add(1)
			}
		})
	}
	wg.Wait()
	m := map[string]int64{
		"files":              files.Load(),
		"bytes_uncompressed": written.Load(),
		"bytes_compressed":   compressed.Load(),
		"events":             events.Load(),
		"root_events":        roots.Load(),
	}
	f, err := os.Create(filepath.Join(*out, "manifest.json"))
	if err != nil {
		log.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	json.NewEncoder(bw).Encode(m)
	bw.Flush()
	f.Close()
	fmt.Printf("%d files, %d events (%d root), %.1f MB JSON, %.1f MB gzip\n", m["files"], m["events"], m["root_events"], float64(m["bytes_uncompressed"])/1e6, float64(m["bytes_compressed"])/1e6)
}
