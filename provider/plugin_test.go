package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-go-provider/integration/fake"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
)

// TestPluginBinary builds the plugin as Pulumi builds a source-based Go package (go build in
// provider/), starts it the way the engine does (its argument is the engine's address; it answers
// with its port), and talks to it over gRPC only: GetSchema returns schema.json, and Construct of
// the dev stack's trail, its children registered with a resource monitor over gRPC, registers what
// trail.New registers.
func TestPluginBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "pulumi-resource-rootwatch")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx := t.Context()
	engineAddr, _, err := fake.StartEngineServer(ctx, fake.NewEngineServer())
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin, engineAddr)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	port := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		port <- strings.TrimSpace(line)
	}()
	var addr string
	select {
	case p := <-port:
		addr = "127.0.0.1:" + p
	case <-time.After(30 * time.Second):
		t.Fatal("the plugin did not print its port")
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := pulumirpc.NewResourceProviderClient(conn)

	schema, err := client.GetSchema(ctx, &pulumirpc.GetSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if schema.Schema != string(want) {
		t.Errorf(
			"the plugin serves another schema than schema.json:\n%s",
			pulumitest.FirstDiff(string(want), schema.Schema),
		)
	}

	dev := components[0] // the dev stack's trail
	rec := offline.NewRecorder(offline.DefaultEnv)
	monitorAddr, _, err := fake.StartMonitorServer(ctx, fake.NewResourceMonitorServer(rec))
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := plugin.MarshalProperties(
		resource.NewPropertyMapFromMap(dev.inputs),
		plugin.MarshalOptions{KeepSecrets: true},
	)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Construct(ctx, &pulumirpc.ConstructRequest{
		Project: "rootwatch", Stack: "dev", Type: dev.token, Name: dev.name,
		Inputs: inputs, MonitorEndpoint: monitorAddr, Parallel: 1,
		AcceptsOutputValues: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(resp.Urn, "::"+dev.token+"::"+dev.name) {
		t.Errorf("Construct answered URN %s", resp.Urn)
	}
	goRec, err := offline.Run(offline.Options{}, func(ctx *pulumi.Context) error { return dev.goNew(ctx, dev.name) })
	if err != nil {
		t.Fatal(err)
	}
	ws, err := offline.Snapshot(goRec.Resources())
	if err != nil {
		t.Fatal(err)
	}
	gs, err := offline.Snapshot(rec.Resources())
	if err != nil {
		t.Fatal(err)
	}
	if string(ws) != string(gs) {
		t.Errorf(
			"the plugin registered something else than trail.New:\n%s",
			pulumitest.FirstDiff(string(ws), string(gs)),
		)
	}
}
