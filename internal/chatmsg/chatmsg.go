// Package chatmsg builds the messages rootwatch sends to chat channels. The channels are those of
// Amazon Q Developer in chat applications (formerly AWS Chatbot). Chatbot renders CloudWatch alarm
// notifications itself, but an SNS message with arbitrary text is not rendered; other messages must
// be custom notifications, a JSON document with version "1.0" and source "custom".
// https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
package chatmsg

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Notification is a custom notification (the fields rootwatch uses of the documented schema).
type Notification struct {
	// Version must be "1.0".
	Version string `json:"version"`
	// Source must be "custom".
	Source  string  `json:"source"`
	Content Content `json:"content"`
}

// Content is what the channel shows.
type Content struct {
	// TextType: "client-markdown", the only one supported: the chat client's own markdown.
	TextType    string   `json:"textType"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Keywords    []string `json:"keywords,omitempty"`
}

// Schema values.
const (
	Version  = "1.0"
	Source   = "custom"
	TextType = "client-markdown"
)

// FromText makes the notification of a plain-text message: its first line is the title, the rest
// the description, so that the e-mail text and the chat message say the same.
func FromText(text string, keywords ...string) Notification {
	title, desc, _ := strings.Cut(text, "\n")
	return Notification{
		Version: Version,
		Source:  Source,
		Content: Content{TextType: TextType, Title: title, Description: desc, Keywords: keywords},
	}
}

// JSON renders n without HTML escaping, so that EventBridge input-template placeholders such as
// <eventName> survive (json.Marshal would write "<" as \u003c).
func (n Notification) JSON() string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(n); err != nil {
		panic(err) // strings only: cannot fail
	}
	return strings.TrimSpace(b.String())
}

// Valid reports whether doc is a custom notification rootwatch can send: valid JSON with the
// required version and source, the supported text type, and a title.
func Valid(doc []byte) (Notification, bool) {
	var n Notification
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&n); err != nil {
		return n, false
	}
	return n, n.Version == Version && n.Source == Source && n.Content.TextType == TextType && n.Content.Title != ""
}
