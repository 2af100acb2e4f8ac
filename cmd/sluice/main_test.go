package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// binPath is the sluice binary built once for all tests: the CLI is tested as users run it,
// a separate process with real exit codes, stdout and stderr.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sluice-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "sluice")
	args := []string{"build", "-o", binPath}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build sluice: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type cliResult struct {
	code           int
	stdout, stderr string
}

// cliEnv is a clean environment: no SLUICE_* from the developer's shell and a private
// HOME, so tests never read or write a real ~/.sluice.
func cliEnv(t *testing.T, extra ...string) []string {
	t.Helper()
	env := []string{"HOME=" + t.TempDir()}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "SLUICE_") || strings.HasPrefix(kv, "HOME=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

func runCLI(t *testing.T, env []string, args ...string) cliResult {
	t.Helper()
	return runCLIWithin(t, 60*time.Second, env, args...)
}

// runCLIWithin is runCLI for a command known to be slow (standard scrypt under -race).
func runCLIWithin(t *testing.T, timeout time.Duration, env []string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := cliResult{stdout: stdout.String(), stderr: stderr.String()}
	if exitErr, ok := err.(*exec.ExitError); ok {
		res.code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("run sluice %v: %v", args, err)
	}
	assertNoStackTrace(t, res)
	return res
}

func assertNoStackTrace(t *testing.T, res cliResult) {
	t.Helper()
	for _, marker := range []string{"goroutine ", "panic:", ".go:"} {
		if strings.Contains(res.stderr, marker) {
			t.Fatalf("stderr looks like a stack trace (%q):\n%s", marker, res.stderr)
		}
	}
}
