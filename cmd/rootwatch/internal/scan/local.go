package scan

import (
	"context"
	"errors"
	"fmt"
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

// isLogFileName reports whether a name ends like a CloudTrail log file: .json.gz or .json.
func isLogFileName(name string) bool {
	return strings.HasSuffix(name, ".json.gz") || strings.HasSuffix(name, ".json")
}

// serviceFileRe matches the names AWS gives the files it delivers to a log bucket,
// <account>_<service>_...: CloudTrail for log files, CloudTrail-Digest, CloudTrail-Insight,
// Config and others for what is not.
var serviceFileRe = regexp.MustCompile(`^\d{12}_([A-Za-z][A-Za-z0-9-]*)_`)

// isLogKey is the one rule, for a directory walk and for an S3 listing alike, that decides whether
// a file found under a folder (a path with '/' separators, or an S3 key) is read as a CloudTrail
// log file: its name ends in .json.gz or .json; it is not named as another service's file
// (<account>_CloudTrail-Digest_..., <account>_Config_...); and inside an AWSLogs/ tree it lies in
// a CloudTrail day folder (AWSLogs/[<org-id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/), not in
// CloudTrail-Digest/, Config/ or another service's folder. Outside an AWSLogs/ tree any *.json.gz
// or *.json file is read. A file named explicitly on the command line is read whatever its name.
func isLogKey(key string) bool {
	i := strings.LastIndex(key, "/")
	dir, name := key[:i+1], key[i+1:]
	if !isLogFileName(name) {
		return false
	}
	if m := serviceFileRe.FindStringSubmatch(name); m != nil && m[1] != "CloudTrail" {
		return false
	}
	lv, _ := classify(dir)
	return lv == lvAbove || lv == lvDay
}

// LookedForLocal describes what a directory walk reads, for the message when it finds nothing.
const LookedForLocal = "looked for *.json.gz and *.json files, in an AWSLogs/ tree only under " +
	"<account>/CloudTrail/<region>/YYYY/MM/DD/, and of files named like CloudTrail's " +
	"<account>_CloudTrail_<region>_<YYYYMMDDThhmmZ>_<id>.json.gz only those delivered in the window"

func openLocal(path string) func(context.Context) (io.ReadCloser, error) {
	return func(context.Context) (io.ReadCloser, error) { return os.Open(path) }
}

// Check reports a path that does not exist or cannot be examined.
func (s LocalSource) Check(context.Context) error {
	_, err := os.Stat(s.Path)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", s.Path, pe.Err)
	}
	return err
}

// LookedFor describes what Enumerate reads.
func (s LocalSource) LookedFor(Window) string { return LookedForLocal }

func (s LocalSource) Enumerate(ctx context.Context, w Window, l Lister) {
	st, err := os.Stat(s.Path)
	if err != nil {
		l.Problem(s.Path, err)
		return
	}
	if !st.IsDir() {
		l.Emit(Input{Name: s.Path, Size: st.Size(), Open: openLocal(s.Path)})
		return
	}
	_ = filepath.WalkDir(s.Path, func(path string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return fs.SkipAll
		}
		if err != nil {
			l.Problem(path, err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || (!d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0) {
			return nil
		}
		if !isLogKey(filepath.ToSlash(path)) {
			l.NotLog(path)
			return nil
		}
		if outsideWindow(d.Name(), w) {
			return nil
		}
		var size int64 = -1
		if info, err := d.Info(); err == nil {
			size = info.Size()
		}
		if !l.Emit(Input{Name: path, Size: size, Open: openLocal(path)}) {
			return fs.SkipAll
		}
		return nil
	})
}
