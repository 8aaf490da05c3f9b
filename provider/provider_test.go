package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	pschema "github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/guardrail"
	"github.com/rootwatch/rootwatch/internal/alerttopic"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
	"github.com/rootwatch/rootwatch/notify"
	"github.com/rootwatch/rootwatch/posture"
	"github.com/rootwatch/rootwatch/trail"
)

var update = flag.Bool("update", false, "rewrite schema.json from the schema the provider serves")

// server starts the provider in-process behind pulumi-go-provider's test harness: its gRPC
// methods, with child registrations and invokes answered by rec (the mock engine the Go tests use).
func server(t *testing.T, rec *offline.Recorder) integration.Server {
	t.Helper()
	prov, err := Provider()
	if err != nil {
		t.Fatal(err)
	}
	opts := []integration.ServerOption{integration.WithProvider(prov)}
	if rec != nil {
		opts = append(opts, integration.WithMocks(rec))
	}
	s, err := integration.NewServer(t.Context(), Name, semver.MustParse(Version), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func servedSchema(t *testing.T) string {
	t.Helper()
	resp, err := server(t, nil).GetSchema(p.GetSchemaRequest{Version: 0})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Schema
}

// TestSchema holds schema.json equal to what the provider serves, and loads it with Pulumi's own
// schema loader, as `pulumi package add` does before generating an SDK.
func TestSchema(t *testing.T) {
	got := servedSchema(t)
	pulumitest.Golden(t, "schema.json", []byte(got), *update)

	var spec pschema.PackageSpec
	if err := json.Unmarshal([]byte(got), &spec); err != nil {
		t.Fatal(err)
	}
	pkg, diags, err := pschema.BindSpec(spec, noPackages{}, pschema.ValidationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diags.HasErrors() {
		t.Fatalf("schema does not bind: %v", diags)
	}
	if _, err := pschema.ImportSpec(spec, nil, noPackages{}, pschema.ValidationOptions{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		trail.TypeToken:     true,
		alarms.TypeToken:    true,
		notify.TypeToken:    true,
		posture.TypeToken:   true,
		athena.TypeToken:    true,
		guardrail.TypeToken: true,
	}
	for _, r := range pkg.Resources {
		if !r.IsComponent {
			t.Errorf("%s is not a component", r.Token)
		}
		if !want[r.Token] {
			t.Errorf("unexpected resource %s", r.Token)
		}
		delete(want, r.Token)
	}
	for tok := range want {
		t.Errorf("%s is not served", tok)
	}
	// Plain Go values (which resources exist) stay plain; pulumi.*Input fields take outputs.
	inputs := spec.Resources[alarms.TypeToken].InputProperties
	if !inputs["emails"].Plain || inputs["emails"].Items == nil || !inputs["emails"].Items.Plain {
		t.Errorf("alarms emails should be a plain list: %+v", inputs["emails"])
	}
	if !inputs["tags"].Plain || !spec.Resources[notify.TypeToken].InputProperties["health"].Plain {
		t.Errorf("plain maps and structs should be plain")
	}
	if inputs["logGroupName"].Plain {
		t.Errorf("alarms logGroupName should accept an output")
	}
	if notes := inputs["heartbeatNotes"]; notes.Plain || notes.Items == nil || notes.Items.Plain {
		t.Errorf("alarms heartbeatNotes should be a list of outputs: %+v", notes)
	}
	if spec.Types["rootwatch:notify:Health"].Properties["topicArn"].Plain {
		t.Errorf("health.topicArn should accept an output")
	}
	if got := spec.Resources[trail.TypeToken].RequiredInputs; len(got) != 1 || got[0] != "trailName" {
		t.Errorf("trail's required inputs = %v, want [trailName]", got)
	}
	if !strings.Contains(spec.Resources[trail.TypeToken].InputProperties["logRetentionDays"].Description, "365") {
		t.Errorf("logRetentionDays' description does not say its default")
	}
	ath := spec.Resources[athena.TypeToken]
	if ath.InputProperties["bucketName"].Plain || !ath.InputProperties["accountIds"].Plain ||
		!ath.InputProperties["accountIds"].Items.Plain {
		t.Errorf(
			"athena bucketName should accept an output, accountIds be a plain list: %+v %+v",
			ath.InputProperties["bucketName"],
			ath.InputProperties["accountIds"],
		)
	}
	if got := strings.Join(ath.RequiredInputs, ","); got != "accountIds,bucketName" && got != "bucketName,accountIds" {
		t.Errorf("athena's required inputs = %v, want bucketName and accountIds", ath.RequiredInputs)
	}
	if got := spec.Resources[guardrail.TypeToken].RequiredInputs; len(got) != 1 || got[0] != "targets" {
		t.Errorf("guardrail's required inputs = %v, want [targets]", got)
	}
	if got := strings.Join(spec.Types["rootwatch:guardrail:Exemption"].Required, ","); got != "expires,reason" {
		t.Errorf("an exemption's required properties = %s, want expires,reason", got)
	}
}

// noPackages is the schema loader for a package that refers to no other package: the components
// only name rootwatch's own types, so any lookup is an error.
type noPackages struct{}

func (noPackages) LoadPackage(pkg string, _ *semver.Version) (*pschema.Package, error) {
	return nil, fmt.Errorf("schema refers to package %s", pkg)
}

func (noPackages) LoadPackageV2(_ context.Context, d *pschema.PackageDescriptor) (*pschema.Package, error) {
	return nil, fmt.Errorf("schema refers to package %s", d.Name)
}

func (noPackages) LoadPackageReference(pkg string, _ *semver.Version) (pschema.PackageReference, error) {
	return nil, fmt.Errorf("schema refers to package %s", pkg)
}

func (noPackages) LoadPackageReferenceV2(
	_ context.Context,
	d *pschema.PackageDescriptor,
) (pschema.PackageReference, error) {
	return nil, fmt.Errorf("schema refers to package %s", d.Name)
}

// component is one component called both ways: Go's New with goArgs, the package's Construct with
// inputs (what a TypeScript, Python or YAML program sends).
type component struct {
	token, name string
	inputs      map[string]any
	goNew       func(ctx *pulumi.Context, name string) error
}

const (
	devTopic  = "arn:aws:sns:us-east-1:111122223333:rootwatch-alerts"
	devHealth = "arn:aws:sns:us-east-1:111122223333:rootwatch-health"
	devPrefix = "rootwatch-dev-"
)

var devTags = map[string]string{"team": "platform-security", "environment": "dev"}

func tagsAny() map[string]any {
	out := map[string]any{}
	for k, v := range devTags {
		out[k] = v
	}
	return out
}

func ptr[T any](v T) *T { return &v }

var components = []component{
	{trail.TypeToken, "rootwatch", map[string]any{
		"trailName": "rootwatch-dev", "s3KeyPrefix": "cloudtrail", "logRetentionDays": 365, "tags": tagsAny(),
	}, func(ctx *pulumi.Context, name string) error {
		_, err := trail.New(
			ctx,
			name,
			&trail.Args{TrailName: "rootwatch-dev", S3KeyPrefix: "cloudtrail", LogRetentionDays: 365, Tags: devTags},
		)
		return err
	}},
	{trail.TypeToken, "org", map[string]any{
		"trailName": "org-trail", "organizationTrail": true, "organizationId": "o-a1b2c3d4e5",
		"deliveryNotifications": true,
		"forceDestroy":          true, "keyAdminArns": []any{"arn:aws:iam::111122223333:user/deployer"},
		"lifecycle": map[string]any{
			"archiveAfterDays":    30,
			"archiveStorageClass": "STANDARD_IA",
			"expireAfterDays":     400,
		},
	}, func(ctx *pulumi.Context, name string) error {
		_, err := trail.New(ctx, name, &trail.Args{
			TrailName: "org-trail", OrganizationTrail: true, OrganizationID: "o-a1b2c3d4e5",
			DeliveryNotifications: true,
			ForceDestroy:          true, KeyAdminARNs: []string{"arn:aws:iam::111122223333:user/deployer"},
			Lifecycle: &trail.Lifecycle{ArchiveAfterDays: 30, ArchiveStorageClass: "STANDARD_IA", ExpireAfterDays: 400},
		})
		return err
	}},
	{alarms.TypeToken, "rootwatch", map[string]any{
		"logGroupName": "/aws/cloudtrail/rootwatch-dev", "emails": []any{pulumitest.TestAlertEmail},
		"namePrefix": devPrefix, "tags": tagsAny(), "heartbeatNotes": []any{"Trail: rootwatch-dev."},
	}, func(ctx *pulumi.Context, name string) error {
		_, err := alarms.New(ctx, name, &alarms.Args{
			LogGroupName: pulumi.String("/aws/cloudtrail/rootwatch-dev"), Emails: []string{pulumitest.TestAlertEmail},
			NamePrefix: devPrefix, Tags: devTags,
			HeartbeatNotes: pulumi.ToStringArray([]string{"Trail: rootwatch-dev."}),
		})
		return err
	}},
	{alarms.TypeToken, "chat", map[string]any{
		"logGroupName": "trail-logs", "controls": []any{"none"},
		"httpsEndpoints": []any{"https://hooks.rootwatch.github.io/alerts"},
		"heartbeatDays":  0, "alarmPeriodSeconds": 300, "okActions": true, "metricNamespace": "Root",
		"slackChannels": []any{map[string]any{"workspaceId": "T07EA123LEP", "channelId": "C07EZ1ABC23"}},
		"teamsChannels": []any{
			map[string]any{
				"tenantId":  "a1b2c3d4-0000-1111-2222-333344445555",
				"teamId":    "b1b2c3d4-0000-1111-2222-333344445555",
				"channelId": "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2",
			},
		},
		"chatRegion": "eu-west-1", "chatProviderProfile": "security",
	}, func(ctx *pulumi.Context, name string) error {
		_, err := alarms.New(ctx, name, &alarms.Args{
			LogGroupName: pulumi.String(
				"trail-logs",
			), Controls: []string{"none"}, HTTPSEndpoints: []string{"https://hooks.rootwatch.github.io/alerts"},
			HeartbeatDays: ptr(0), AlarmPeriodSeconds: 300, OKActions: true, MetricNamespace: "Root",
			SlackChannels: []alarms.SlackChannel{{WorkspaceID: "T07EA123LEP", ChannelID: "C07EZ1ABC23"}},
			TeamsChannels: []alarms.TeamsChannel{
				{
					TenantID:  "a1b2c3d4-0000-1111-2222-333344445555",
					TeamID:    "b1b2c3d4-0000-1111-2222-333344445555",
					ChannelID: "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2",
				},
			},
			ChatRegion: "eu-west-1", ChatProvider: profileProvider("security"),
		})
		return err
	}},
	{notify.TypeToken, "rootwatch", map[string]any{
		"topicArn": devTopic, "namePrefix": devPrefix, "tags": tagsAny(),
		"health": map[string]any{"topicArn": devHealth, "emails": []any{pulumitest.TestAlertEmail}},
	}, func(ctx *pulumi.Context, name string) error {
		_, err := notify.New(ctx, name, &notify.Args{
			TopicARN: pulumi.String(devTopic), NamePrefix: devPrefix, Tags: devTags,
			Health: &notify.Health{
				TopicARN:    pulumi.String(devHealth),
				Subscribers: alerttopic.Subscribers{Emails: []string{pulumitest.TestAlertEmail}},
			},
		})
		return err
	}},
	{notify.TypeToken, "org", map[string]any{
		"topicArn": devTopic, "regions": []any{"eu-west-1", "us-east-1"}, "regionProviderProfile": "security",
		"chatTopicArn": "arn:aws:sns:us-east-1:111122223333:chat",
		"members":      map[string]any{"organizationalUnits": []any{"ou-a1b2-c3d4e5f6"}},
	}, func(ctx *pulumi.Context, name string) error {
		_, err := notify.New(ctx, name, &notify.Args{
			TopicARN: pulumi.String(
				devTopic,
			), Regions: []string{"eu-west-1", "us-east-1"}, RegionProvider: profileProvider("security"),
			ChatTopicARN: pulumi.String("arn:aws:sns:us-east-1:111122223333:chat"),
			Members:      &notify.Members{OrganizationalUnits: []string{"ou-a1b2-c3d4e5f6"}},
		})
		return err
	}},
	{posture.TypeToken, "rootwatch", map[string]any{
		"rootCredentialsManagement": true, "configRules": true, "topicArn": devTopic, "healthTopicArn": devHealth,
		"namePrefix": devPrefix, "tags": tagsAny(),
	}, func(ctx *pulumi.Context, name string) error {
		_, err := posture.New(ctx, name, &posture.Args{
			RootCredentialsManagement: true, ConfigRules: true, TopicARN: pulumi.String(devTopic),
			HealthTopicARN: pulumi.String(devHealth), NamePrefix: devPrefix, Tags: devTags,
		})
		return err
	}},
	{athena.TypeToken, "rootwatch-athena", map[string]any{
		"bucketName": "rootwatch-dev-logs", "s3KeyPrefix": "cloudtrail", "accountIds": []any{"111122223333"},
		"tags": tagsAny(),
	}, func(ctx *pulumi.Context, name string) error {
		_, err := athena.New(ctx, name, &athena.Args{
			BucketName: pulumi.String(
				"rootwatch-dev-logs",
			), S3KeyPrefix: "cloudtrail", AccountIDs: []string{"111122223333"}, Tags: devTags,
		})
		return err
	}},
	{athena.TypeToken, "org", map[string]any{
		"bucketName": "org-root-watch-logs", "organizationId": "o-a1b2c3d4e5",
		"accountIds": []any{"111122223333", "444455556666"},
		"regions": []any{
			"us-east-1",
			"eu-west-1",
		}, "databaseName": "org_trail", "tableName": "records", "workgroupName": "org-review",
		"bytesScannedCutoffPerQuery": 10 << 30, "resultsExpirationDays": 7, "queryDays": 90,
		"projectionStart": "2024/01/01",
		"keyAdminArns":    []any{"arn:aws:iam::111122223333:role/SecurityAdmin"}, "forceDestroy": true,
	}, func(ctx *pulumi.Context, name string) error {
		_, err := athena.New(ctx, name, &athena.Args{
			BucketName: pulumi.String(
				"org-root-watch-logs",
			), OrganizationID: "o-a1b2c3d4e5", AccountIDs: []string{"111122223333", "444455556666"},
			Regions: []string{
				"us-east-1",
				"eu-west-1",
			}, DatabaseName: "org_trail", TableName: "records", WorkgroupName: "org-review",
			BytesScannedCutoffPerQuery: 10 << 30, ResultsExpirationDays: 7, QueryDays: 90,
			ProjectionStart: "2024/01/01",
			KeyAdminARNs:    []string{"arn:aws:iam::111122223333:role/SecurityAdmin"}, ForceDestroy: true,
		})
		return err
	}},
	{guardrail.TypeToken, "rootwatch", map[string]any{
		"targets": []any{devRoot},
	}, func(ctx *pulumi.Context, name string) error {
		_, err := guardrail.New(ctx, name, &guardrail.Args{Targets: []string{devRoot}})
		return err
	}},
	{guardrail.TypeToken, "break-glass", glassInputs(), func(ctx *pulumi.Context, name string) error {
		_, err := guardrail.New(ctx, name, glassArgs())
		return err
	}},
}

// construct calls the package's Construct for token and name over gRPC, the way the engine does for
// a program in another language, and returns what was registered.
func construct(
	t *testing.T,
	token, name string,
	inputs map[string]any,
) ([]offline.Resource, p.ConstructResponse, error) {
	t.Helper()
	rec := offline.NewRecorder(offline.DefaultEnv)
	urn := resource.NewURN("dev", "rootwatch", "", tokens.Type(token), name)
	resp, err := server(t, rec).Construct(p.ConstructRequest{
		Urn:    urn,
		Inputs: resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(inputs)),
	})
	return rec.Resources(), resp, err
}

// TestConstructMatchesGo: for each component, the package registers exactly what the Go New
// registers with the same arguments: the same types, names, parents, options and inputs (the
// policy documents included), compared as the offline snapshot the plan goldens use.
func TestConstructMatchesGo(t *testing.T) {
	for _, c := range components {
		t.Run(c.token+"/"+c.name, func(t *testing.T) {
			goRec, err := offline.Run(
				offline.Options{},
				func(ctx *pulumi.Context) error { return c.goNew(ctx, c.name) },
			)
			if err != nil {
				t.Fatalf("Go New: %v", err)
			}
			got, resp, err := construct(t, c.token, c.name, c.inputs)
			if err != nil {
				t.Fatalf("Construct: %v", err)
			}
			want := goRec.Resources()
			if len(want) < 2 {
				t.Fatalf("Go New registered %d resources", len(want))
			}
			ws, err := offline.Snapshot(want)
			if err != nil {
				t.Fatal(err)
			}
			gs, err := offline.Snapshot(got)
			if err != nil {
				t.Fatal(err)
			}
			if string(ws) != string(gs) {
				t.Errorf(
					"Construct registered something else than Go New (%d resources vs %d):\n%s",
					len(got),
					len(want),
					pulumitest.FirstDiff(string(ws), string(gs)),
				)
			}
			t.Logf("%d resources registered both ways", len(want))
			if resp.Urn.Type() != tokens.Type(c.token) || resp.Urn.Name() != c.name {
				t.Errorf("Construct answered URN %s", resp.Urn)
			}
			if resp.State.Len() == 0 {
				t.Errorf("Construct answered no outputs")
			}
		})
	}
}

// TestBadInputsFailLikeGo: invalid arguments come back from Construct with the Go component's own
// error, naming the Go field, the value and what is allowed, and register nothing.
func TestBadInputsFailLikeGo(t *testing.T) {
	cases := []component{
		{
			trail.TypeToken,
			"bad",
			map[string]any{"trailName": "rootwatch-dev", "logRetentionDays": 42},
			func(ctx *pulumi.Context, name string) error {
				_, err := trail.New(ctx, name, &trail.Args{TrailName: "rootwatch-dev", LogRetentionDays: 42})
				return err
			},
		},
		{
			alarms.TypeToken,
			"bad",
			map[string]any{
				"logGroupName":       "lg",
				"emails":             []any{pulumitest.ExampleStackAddress},
				"alarmPeriodSeconds": 30,
			},
			func(ctx *pulumi.Context, name string) error {
				_, err := alarms.New(
					ctx,
					name,
					&alarms.Args{
						LogGroupName:       pulumi.String("lg"),
						Emails:             []string{pulumitest.ExampleStackAddress},
						AlarmPeriodSeconds: 30,
					},
				)
				return err
			},
		},
		{
			notify.TypeToken,
			"bad",
			map[string]any{"topicArn": devTopic, "regions": []any{"mars-north-1"}, "namePrefix": "bad prefix"},
			func(ctx *pulumi.Context, name string) error {
				_, err := notify.New(
					ctx,
					name,
					&notify.Args{
						TopicARN:   pulumi.String(devTopic),
						Regions:    []string{"mars-north-1"},
						NamePrefix: "bad prefix",
					},
				)
				return err
			},
		},
		{posture.TypeToken, "bad", map[string]any{"configRules": true}, func(ctx *pulumi.Context, name string) error {
			_, err := posture.New(ctx, name, &posture.Args{ConfigRules: true})
			return err
		}},
		{athena.TypeToken, "bad", map[string]any{
			"bucketName": "logs", "accountIds": []any{"1111"}, "regions": []any{"mars-north-1"}, "databaseName": "Bad-Name",
			"bytesScannedCutoffPerQuery": 1000, "queryDays": 5000, "projectionStart": "2013-11-01",
		}, func(ctx *pulumi.Context, name string) error {
			_, err := athena.New(ctx, name, &athena.Args{
				BucketName: pulumi.String(
					"logs",
				), AccountIDs: []string{"1111"}, Regions: []string{"mars-north-1"}, DatabaseName: "Bad-Name",
				BytesScannedCutoffPerQuery: 1000, QueryDays: 5000, ProjectionStart: "2013-11-01",
			})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.token, func(t *testing.T) { failsLikeGo(t, c) })
	}
	t.Run("posture without a mode", func(t *testing.T) {
		got, _, err := construct(t, posture.TypeToken, "off", map[string]any{"namePrefix": devPrefix})
		if err == nil || !strings.Contains(err.Error(), "nothing to create") {
			t.Errorf("Construct of a Posture with no mode on: %v", err)
		}
		if len(got) != 0 {
			t.Errorf("registered %d resources", len(got))
		}
	})
}

// failsLikeGo: Go's New and the package's Construct both refuse c's arguments, Construct with
// Go's error whole (the engine prints the provider's error), registering nothing.
func failsLikeGo(t *testing.T, c component) {
	t.Helper()
	var goErr error
	_, _ = offline.Run(offline.Options{}, func(ctx *pulumi.Context) error {
		goErr = c.goNew(ctx, c.name)
		return goErr
	})
	if goErr == nil {
		t.Fatal("Go New accepted the arguments")
	}
	got, _, err := construct(t, c.token, c.name, c.inputs)
	if err == nil {
		t.Fatal("Construct accepted the arguments")
	}
	if want := goErr.Error(); !strings.Contains(err.Error(), want) {
		t.Errorf("Construct's error\n%v\ndoes not carry Go's\n%s", err, want)
	}
	if len(got) != 0 {
		t.Errorf("Construct registered %d resources before failing", len(got))
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(m.Run())
}
