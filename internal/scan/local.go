package scan

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// LocalSource reads a log file, or every CloudTrail log file (*.json, *.json.gz) under a
// directory, recursively. A file named explicitly is always read, whatever its name.
type LocalSource struct{ Path string }

func (s LocalSource) String() string { return s.Path }

// deliveryRe matches the delivery time in a CloudTrail log file name:
// <account>_CloudTrail_<region>_<YYYYMMDD>T<hhmm>Z_<unique>.json.gz
var deliveryRe = regexp.MustCompile(`_CloudTrail_[a-z0-9-]+_(\d{8}T\d{4}Z)_[A-Za-z0-9]+\.json(\.gz)?$`)

// DeliveryMargin is how long after an event CloudTrail may deliver it that the scan allows for
// when it prunes files and S3 day prefixes by delivery time. AWS delivers within about 5
// minutes on average; a day leaves room for delays. A file delivered before the window
// starts cannot hold events in the window, so that side needs only a margin for clock skew.
const DeliveryMargin = 24 * time.Hour

const clockSkew = 15 * time.Minute

// outsideWindow reports whether a CloudTrail log file's name shows it cannot hold events in w.
func outsideWindow(name string, w Window) bool {
	m := deliveryRe.FindStringSubmatch(name)
	if m == nil {
		return false
	}
	t, err := time.Parse("20060102T1504Z", m[1])
	if err != nil {
		return false
	}
	return t.Before(w.Since.Add(-clockSkew)) || !t.Before(w.Until.Add(DeliveryMargin))
}

// isLogFileName reports whether a file found in a directory walk is read.
func isLogFileName(name string) bool {
	return strings.HasSuffix(name, ".json.gz") || strings.HasSuffix(name, ".json")
}

func openLocal(path string) func(context.Context) (io.ReadCloser, error) {
	return func(context.Context) (io.ReadCloser, error) { return os.Open(path) }
}

func (s LocalSource) Enumerate(ctx context.Context, w Window, emit func(Input) bool, problem func(string, error)) {
	st, err := os.Stat(s.Path)
	if err != nil {
		problem(s.Path, err)
		return
	}
	if !st.IsDir() {
		emit(Input{Name: s.Path, Size: st.Size(), Open: openLocal(s.Path)})
		return
	}
	_ = filepath.WalkDir(s.Path, func(path string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return fs.SkipAll
		}
		if err != nil {
			problem(path, err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			// Digest files prove integrity; they hold no events.
			if path != s.Path && (d.Name() == "CloudTrail-Digest") {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		if !isLogFileName(d.Name()) || outsideWindow(d.Name(), w) {
			return nil
		}
		var size int64 = -1
		if info, err := d.Info(); err == nil {
			size = info.Size()
		}
		if !emit(Input{Name: path, Size: size, Open: openLocal(path)}) {
			return fs.SkipAll
		}
		return nil
	})
}
