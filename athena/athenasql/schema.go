package athenasql

import "strings"

// kind is how a CloudTrail record member is stored in AWS's Athena CloudTrail table.
type kind int

const (
	// kString: a STRING column or struct field holding a JSON string of the record. Absent (and, in
	// the table, null) is SQL NULL.
	kString kind = iota
	// kBool: a STRING column holding a JSON boolean of the record as 'true' or 'false'.
	kBool
	// kStruct: a STRUCT column or field holding a JSON object of the record.
	kStruct
	// kJSON: a STRING column holding a JSON object of the record as JSON text (requestparameters,
	// responseelements, additionaleventdata, serviceeventdetails, edgedevicedetails). Selectors
	// below it are evaluated with the engine's JSON functions.
	kJSON
	// kOther: an ARRAY or MAP column (resources, webidfederationdata.attributes) that the translator
	// does not reach into.
	kOther
)

// member is one member of a CloudTrail record as AWS's table defines it.
type member struct {
	name   string // CloudTrail's (case-sensitive) member name
	column string // the table's (lower-case) name for it
	kind   kind
	hive   string    // kOther: its Hive type
	fields []*member // kStruct, in the table's order
}

func (m *member) field(name string) *member {
	for _, f := range m.fields {
		if f.name == name {
			return f
		}
	}
	return nil
}

// hiveType is the member's type in Hive DDL (and in the Glue table).
func (m *member) hiveType() string {
	switch m.kind {
	case kStruct:
		parts := make([]string, len(m.fields))
		for i, f := range m.fields {
			parts[i] = f.column + ":" + f.hiveType()
		}
		return "struct<" + strings.Join(parts, ",") + ">"
	case kOther:
		return m.hive
	}
	return "string"
}

func str(name string) *member {
	return &member{name: name, column: strings.ToLower(name), kind: kString}
}
func js(name string) *member { return &member{name: name, column: strings.ToLower(name), kind: kJSON} }
func strct(name string, fields ...*member) *member {
	return &member{name: name, column: strings.ToLower(name), kind: kStruct, fields: fields}
}
func strs(names ...string) []*member {
	out := make([]*member, len(names))
	for i, n := range names {
		out[i] = str(n)
	}
	return out
}

// record is the table's columns in the table's order, each named by the CloudTrail record member
// it holds, as AWS's Athena guide defines the table ("Create a table for CloudTrail logs in Athena
// using manual partitioning", https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table.html;
// the partition projection variant has the same columns). The member names are CloudTrail's own
// spelling ("CloudTrail record contents",
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html):
// a filter pattern's selectors are case-sensitive, while the table's JSON SerDe matches member
// names without regard to case, so a selector spelled otherwise (for example $.sourceIpAddress) is
// refused rather than translated to a column that would match it.
var record = strct("",
	str("eventVersion"),
	strct("userIdentity", append(
		strs("type", "principalId", "arn", "accountId", "invokedBy", "accessKeyId", "userName"),
		strct("onBehalfOf", strs("userId", "identityStoreArn")...),
		strct("sessionContext",
			strct("attributes", strs("mfaAuthenticated", "creationDate")...),
			strct("sessionIssuer", strs("type", "principalId", "arn", "accountId", "userName")...),
			str("ec2RoleDelivery"),
			strct("webIdFederationData",
				str("federatedProvider"),
				&member{name: "attributes", column: "attributes", kind: kOther, hive: "map<string,string>"},
			),
		),
	)...),
	str("eventTime"),
	str("eventSource"),
	str("eventName"),
	str("awsRegion"),
	str("sourceIPAddress"),
	str("userAgent"),
	str("errorCode"),
	str("errorMessage"),
	js("requestParameters"),
	js("responseElements"),
	js("additionalEventData"),
	str("requestID"),
	str("eventID"),
	&member{name: "readOnly", column: "readonly", kind: kBool},
	&member{name: "resources", column: "resources", kind: kOther,
		hive: "array<struct<arn:string,accountid:string,type:string>>"},
	str("eventType"),
	str("apiVersion"),
	str("recipientAccountId"),
	js("serviceEventDetails"),
	str("sharedEventID"),
	str("vpcEndpointId"),
	str("vpcEndpointAccountId"),
	str("eventCategory"),
	strct("addendum", strs("reason", "updatedFields", "originalRequestID", "originalEventID")...),
	str("sessionCredentialFromConsole"),
	js("edgeDeviceDetails"),
	strct("tlsDetails", strs("tlsVersion", "cipherSuite", "clientProvidedHostHeader")...),
)

// Column is one column of AWS's Athena CloudTrail table, or one field of a struct column.
type Column struct {
	// Name is the column's name, lower case as in AWS's DDL.
	Name string
	// Type is its Hive type, as Glue and Athena DDL write it (string, struct<...>, array<...>).
	Type string
	// Member is the CloudTrail record member it holds, in CloudTrail's spelling.
	Member string
	// Holds says what the member is in a CloudTrail record and how the table keeps it:
	// "string" (a JSON string, kept as a string), "boolean" (a JSON boolean, kept as the string
	// 'true' or 'false'), "json" (a JSON object kept as its JSON text in a string column),
	// "struct" (a JSON object, kept as a struct; see Fields), "other" (an array or map).
	Holds string
	// Fields are a struct's fields, in order.
	Fields []Column
}

// Columns returns the table's columns in order, as AWS's Athena CloudTrail guide defines them
// (without the partition keys, which depend on how the table is partitioned).
func Columns() []Column { return columns(record.fields) }

func columns(ms []*member) []Column {
	out := make([]Column, len(ms))
	for i, m := range ms {
		out[i] = Column{Name: m.column, Type: m.hiveType(), Member: m.name, Holds: [...]string{
			kString: "string", kBool: "boolean", kStruct: "struct", kJSON: "json", kOther: "other",
		}[m.kind]}
		if m.kind == kStruct {
			out[i].Fields = columns(m.fields)
		}
	}
	return out
}
