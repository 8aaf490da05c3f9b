// Package filterpattern parses and evaluates CloudWatch Logs filter patterns. It is the language of
// metric filters, subscription filters, FilterLogEvents and Live Tail, run offline so that patterns
// can be checked (for example against CloudTrail log files in S3). It is plain Go with no
// dependencies outside the standard library.
//
// The language is documented by AWS in "Filter pattern syntax for metric
// filters, subscription filters, filter log events, and Live Tail":
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
// (older revisions: github.com/awsdocs/amazon-cloudwatch-logs-user-guide,
// doc_source/FilterAndPatternSyntax.md). Test cases quoting that page say so.
//
// # Usage
//
// Parse a pattern once and call Match for each log event message:
//
//	p, err := filterpattern.Parse(`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`)
//	...
//	if p.Match(event) { ... }
//
// A *Pattern is immutable and safe for concurrent use. Kind reports which
// of the three languages a pattern uses; Selectors lists the JSON selectors a
// JSON pattern reads; String gives a canonical form that parses back to an
// equivalent pattern. Parse errors are *SyntaxError values carrying the byte
// offset and what was expected there.
//
// # The three languages
//
// A pattern starting with "{" is a JSON pattern: selectors ($.a.b, $.a[0].b,
// $.a[0][1]; names of letters, digits, - and _) compared with = or != to a
// string (quoted, or bare if it holds only letters, digits and _ - . * : / +),
// with <, <=, >, >=, = or != to a number (optional sign, decimal point and
// exponent), with = or != to a %regex%; or tested with IS TRUE, IS FALSE,
// IS NULL or NOT EXISTS. && binds tighter than ||; parentheses group.
//
// A pattern starting with "[" is a space-delimited pattern: one entry per
// word of the event, each a name, an empty entry, "..." (any number of
// words), or conditions such as status_code = 4* && bytes > 1000. Words are
// split at spaces; text inside "..." or [...] is one word (without the
// quotes or brackets).
//
// Anything else is a term pattern: terms of letters, digits and _, "quoted
// phrases" and %regex%, each optionally prefixed by ? (at least one of the
// ?terms must occur) or - (must not occur); every other term must occur. The
// empty pattern matches every event (AWS: "The filter pattern "" matches all
// log events").
//
// # Decisions
//
// Where AWS's documentation leaves the behaviour open this package chooses
// as follows; each choice is pinned by TestDecisions or a nearby test.
//
//   - String matching is case-sensitive, in JSON, space-delimited and term
//     patterns alike. Source: AWS ("Metric filters are case sensitive"), and
//     AWS's own root sign-in with MFA example carries "MFAUsed": "YES", which
//     { $.additionalEventData.MFAUsed = "Yes" } does not match, so the CIS
//     no-MFA filter (MFAUsed != "Yes") fires for it.
//   - A comparison on a missing field is false, for != as well as =: the
//     field must exist for { $.x != "v" } to match. Source: DevelopersIO
//     (Classmethod), article cloudwatch-logs-json-notexists-false-001
//     (https://devio-20240701.developers.io/articles/cloudwatch-logs-json-notexists-false-001),
//     which shows AWS behaving so and recommends adding || $.x NOT EXISTS.
//   - A selector that points at an object or an array makes = and != false.
//     Source: AWS ("both {$.users = 1} and {$.users != 1} will fail to match a
//     log event where users is an array"). We treat null the same way: only
//     IS NULL matches it (no public source; null is not a "value node
//     (string or number)" in AWS's words).
//   - "*" is a wildcard only at the start or end of a value; elsewhere it is
//     an ordinary character. Source: AWS ("Ev*ent will only match the actual
//     string Ev*ent"). Quoted values take wildcards too: CIS's own
//     "*UnauthorizedOperation" is quoted. = * (or = "*") matches any
//     string, number or boolean, as in AWS's { $.latency = * } example and
//     the AWS CDK's FilterPattern.exists, which renders as = "*".
//   - A string value compared with a JSON number or boolean is compared with
//     its JSON text ($.a = "4*" matches 404; $.a = true matches true). A
//     number compared with a JSON string compares numerically if the string
//     is a number ($.a = 400 matches "400" and "400.0"); otherwise = is false
//     and != is true. <, <=, >, >= need a number on both sides. No public
//     source shows what AWS does here; these are our choices.
//   - Keywords (IS TRUE, IS FALSE, IS NULL, NOT EXISTS) are accepted in any
//     letter case and printed upper case. AWS documents them upper case; we
//     found no source on lower case and accept it rather than reject a
//     pattern AWS might take.
//   - Unquoted values may hold only letters, digits and _ - . * : / + (AWS:
//     "Strings that consist entirely of alphanumeric characters do not need
//     to be quoted"; its examples add '.', '*' and '-'). So
//     { $.errorMessage = Failed authentication }, found in Prowler's tests,
//     is rejected: quote the value.
//   - Term patterns match a term anywhere in the message, as a substring:
//     AWS's example says ERROR matches "Exiting with ERRORCODE: -1". Unquoted
//     terms hold letters, digits and _ only (AWS: other characters "must be
//     placed inside double quotes"). Mixing plain, ? and - terms is not
//     documented: we require all plain terms, at least one ?term if there are
//     any, and no -term. "-" may be followed by spaces (AWS's example
//     "ERROR" - "Exiting").
//   - Regex (%...%) follows AWS's allowed set: letters, digits, the symbols
//     _ # = @ / ; , : and -, and the operators ^ $ ? [ ] { } | \ * + . ; no
//     parentheses and no multi-byte characters. We also allow a space (the AWS CDK's regexValue
//     example has one). A regex searches anywhere in the value unless
//     anchored with ^ or $. It is compiled with Go's RE2 regexp, so matching
//     time is linear. A JSON or space-delimited pattern may hold at most 2
//     regexes (AWS's quota).
//   - In a space-delimited pattern, a condition may name another field
//     (status_code = 4* && bytes > 1000); a name no field has makes that
//     comparison false. An empty entry (as in AWS's [..., status_code=4*,])
//     is an anonymous field. Without "..." the number of words must equal the
//     number of fields. Fields are aligned to words in O(fields x words)
//     time; only a pattern with two or more "..." and a condition naming
//     another field needs a search, which gives up (no match) after 2^20
//     steps.
//   - AWS documents [w1!=ERROR&&w1!=WARN, w2] as matching "ERROR WARN
//     message", which contradicts its own rules (three words, two fields,
//     and w1 is ERROR); we follow the rules, not that sentence.
//   - Patterns longer than 1024 characters (Unicode code points) are
//     rejected, as the CloudWatch Logs API does. Parentheses nest at most 64
//     deep.
//   - A JSON pattern matches only an event that is one well-formed JSON
//     object (nesting at most 10000 deep); anything else matches nothing, not
//     even NOT EXISTS. If a key repeats, the last value wins.
//
// # Performance
//
// Match on a JSON pattern walks the event's bytes once, descending only into
// the members named by the pattern's selectors (a trie built at Parse time)
// and skipping the rest; it builds no map per event and, unless a selected
// string holds escapes, does not allocate.
//
// A Set (NewSet) matches many patterns against each event: the selectors of
// all its JSON patterns share one trie, so the event is walked once, and a
// literal index skips the patterns that cannot match. (*Pattern).Requires
// derives from the syntax tree a necessary condition of a pattern, such as
// "$.eventName is one of these exact texts", from = comparisons with
// wildcard-free strings only; after the walk the Set looks the indexed
// selectors' values up once and evaluates only the patterns found there and
// those without a condition. set.go explains why that never changes a match.
// An Extractor reads the values at a list of selectors with the same scanner.
package filterpattern
