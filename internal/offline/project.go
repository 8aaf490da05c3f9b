package offline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// SecretPlaceholder stands in for every secure: value of a stack file: offline there is no
// secrets provider (passphrase, cloud KMS, Pulumi Cloud) to decrypt it with.
const SecretPlaceholder = "secret-not-decrypted-offline"

// StackConfig is the configuration the Pulumi CLI would hand the program for one stack.
type StackConfig struct {
	Project     string // the project's name (Pulumi.yaml)
	ProjectFile string // the Pulumi.yaml read
	Stack       string
	StackFile   string // the Pulumi.<stack>.yaml read; "" when the stack has none
	// Config maps fully qualified keys ("rootwatch:trailName") to raw values as the CLI passes
	// them: strings as they are, arrays and objects as JSON; Pulumi.yaml's defaults fill the keys
	// the stack file leaves out.
	Config map[string]string
	// Secrets are the keys whose value held secure: parts, replaced by SecretPlaceholder (sorted).
	Secrets []string
}

// FindProject returns the Pulumi.yaml governing dir: in dir or the nearest directory above it, as
// the Pulumi CLI looks for it.
func FindProject(dir string) (string, error) {
	path, err := workspace.DetectProjectPathFrom(dir)
	if err == nil && path == "" {
		err = workspace.ErrProjectNotFound
	}
	if err != nil {
		if errors.Is(err, workspace.ErrProjectNotFound) {
			abs, _ := filepath.Abs(dir)
			return "", fmt.Errorf("no Pulumi.yaml in %s or any directory above it", abs)
		}
		return "", err
	}
	return path, nil
}

// Stacks lists the stacks that have a stack file (Pulumi.<stack>.yaml) beside projectFile, or in
// its stackConfigDir, sorted.
func Stacks(projectFile string) ([]string, error) {
	proj, err := workspace.LoadProject(projectFile)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(workspace.ProjectStackPath(projectFile, proj, "x"))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		for _, ext := range []string{".yaml", ".yml", ".json"} {
			if s, ok := strings.CutSuffix(strings.TrimPrefix(name, "Pulumi."), ext); ok &&
				strings.HasPrefix(name, "Pulumi.") &&
				s != "" &&
				!e.IsDir() {
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// StackFile is the path of stack's Pulumi.<stack>.yaml for projectFile.
func StackFile(projectFile, stack string) (string, error) {
	proj, err := workspace.LoadProject(projectFile)
	if err != nil {
		return "", err
	}
	return workspace.ProjectStackPath(projectFile, proj, tokens.QName(stack)), nil
}

// LoadStackConfig reads projectFile (Pulumi.yaml) and stackFile (Pulumi.<stack>.yaml, or "" for a
// stack without one) with Pulumi's own loaders and returns the config the CLI hands the program:
// the stack's values, then Pulumi.yaml's config values and defaults for the keys it leaves out.
// Secure values become SecretPlaceholder.
func LoadStackConfig(projectFile, stack, stackFile string) (*StackConfig, error) {
	proj, err := workspace.LoadProject(projectFile)
	if err != nil {
		return nil, fmt.Errorf("%s does not load as a Pulumi project: %w", projectFile, err)
	}
	sc := &StackConfig{
		Project:     proj.Name.String(),
		ProjectFile: projectFile,
		Stack:       stack,
		StackFile:   stackFile,
		Config:      map[string]string{},
	}
	if stackFile != "" {
		st, err := workspace.LoadProjectStack(nil, proj, stackFile)
		if err != nil {
			return nil, fmt.Errorf("%s does not load as a Pulumi stack: %w", stackFile, err)
		}
		for k, v := range st.Config {
			var ph placeholder
			s, err := v.Value(&ph)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", stackFile, k, err)
			}
			sc.Config[k.String()] = s
			if ph.used {
				sc.Secrets = append(sc.Secrets, k.String())
			}
		}
		sort.Strings(sc.Secrets)
	}
	for name, ct := range proj.Config {
		key := name
		if !strings.Contains(key, ":") {
			key = sc.Project + ":" + name
		}
		v := ct.Value
		if v == nil {
			v = ct.Default
		}
		if _, set := sc.Config[key]; set || v == nil {
			continue
		}
		raw, err := rawConfig(v)
		if err != nil {
			return nil, fmt.Errorf("%s: config %s: %w", projectFile, name, err)
		}
		sc.Config[key] = raw
	}
	return sc, nil
}

// rawConfig renders a Pulumi.yaml value as the CLI passes it: strings as they are, everything
// else as JSON.
func rawConfig(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// placeholder is a config.Decrypter that answers every ciphertext with SecretPlaceholder and
// remembers that it did.
type placeholder struct{ used bool }

func (p *placeholder) DecryptValue(context.Context, string) (string, error) {
	p.used = true
	return SecretPlaceholder, nil
}

func (p *placeholder) BatchDecrypt(ctx context.Context, ciphertexts []string) ([]string, error) {
	return config.DefaultBatchDecrypt(ctx, p, ciphertexts)
}
