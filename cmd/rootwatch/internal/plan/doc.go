// Package plan is the engine of `rootwatch plan`. It shows what `pulumi up` would create.
//
// Run reads Pulumi.yaml and Pulumi.<stack>.yaml with Pulumi's own loaders (offline.LoadStackConfig),
// runs the program (program.Build) under internal/offline's mock monitor for a placeholder or
// given account, with the configuration handed over as a value, and describes the result as a
// Report: the resources with their security settings (settingsTable), the warnings pulumi up would
// print, the stack outputs known before deployment (values the mock made up for what AWS assigns
// at creation are shown as placeholders, and outputs holding them as known after up), and the
// policies another account must hold for a bucket or key the stack brings. Write prints a Report
// as text or JSON. Nothing is sent to AWS.
package plan
