// Package scan is the engine of `rootwatch scan`. It reads CloudTrail log files (local files,
// directories, S3 prefixes), evaluates the catalogue's filter patterns on every event with
// filterpattern (the same patterns the alarms deploy), and reports the matching events.
//
// Design:
//   - Sources (LocalSource, S3Source) are checked first (Check: a missing path or bucket, no
//     credentials stop the scan before it starts), then enumerate inputs; a bounded pool of workers reads them in
//     parallel. S3 listing walks the key layout by delimiter listing down to the region folders
//     and then lists only the YYYY/MM/DD/ folders of the time window.
//   - A worker streams each input: gzip (klauspost/compress, detected by magic bytes, not by
//     name) into a RecordReader that splits {"Records":[...]} at record boundaries without
//     decoding. Memory per worker is a 256 KiB read buffer, the decompressor, and the largest
//     record seen, whatever the file size.
//   - Patterns run on the raw record bytes; only matching records are decoded (encoding/json)
//     into a Finding and checked against the window by eventTime.
//   - Every finding names its credential (userIdentity.accessKeyId: long-term key, session,
//     console sign-in). Records that may be sts:AssumeRoot events (a byte search for
//     "AssumeRoot") are decoded for the few fields of the root session they open, whatever the
//     selected controls; once every input is read, root findings made with a session key are
//     linked to the AssumeRoot event that returned that key, so file order does not matter.
//   - One rule (isLogKey) decides, for a directory walk and an S3 listing alike, which files are
//     CloudTrail log files; the others (digests, AWS Config files) are skipped and counted
//     (Result.NotLogs), not reported as damage. A source that yields no log file at all is a
//     Problem (NoLogFiles); when every source is such, Result.NothingRead is set: nothing was read.
//   - A damaged or unreadable input is a Problem (reported and counted); the scan goes on, and
//     findings from the part of a file before its damage are kept.
package scan
