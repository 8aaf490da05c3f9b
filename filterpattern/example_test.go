package filterpattern_test

import (
	"fmt"

	"github.com/rootwatch/rootwatch/filterpattern"
)

// Parse a filter pattern once, then match it against log events.
func Example() {
	p, err := filterpattern.Parse(
		`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
	)
	if err != nil {
		panic(err)
	}
	root := []byte(`{"userIdentity":{"type":"Root"},"eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn"}`)
	user := []byte(`{"userIdentity":{"type":"IAMUser"},"eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn"}`)
	fmt.Println(p.Kind(), p.Selectors())
	fmt.Println(p.Match(root), p.Match(user))
	// Output:
	// json [$.userIdentity.type $.userIdentity.invokedBy $.eventType]
	// true false
}

// Parse errors give the byte offset and what was expected.
func ExampleParse_error() {
	_, err := filterpattern.Parse(`{ $.eventName && $.x = 1 }`)
	fmt.Println(err)
	// Output:
	// filterpattern: at offset 14: expected "=", "!=", "<", "<=", ">", ">=", "IS TRUE", "IS FALSE", "IS NULL" or "NOT EXISTS" after selector $.eventName, found "&&"
}
