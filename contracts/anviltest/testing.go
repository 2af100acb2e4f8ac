package anviltest

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// Start runs Anvil for the duration of a test (or benchmark) and returns its HTTP URL.
// It fails the test, never skips it, when Anvil is missing or does not start.
func Start(tb testing.TB, args ...string) string {
	tb.Helper()
	return StartProcess(tb, args...).URL
}

// StartProcess is Start returning the process, for tests that freeze it.
func StartProcess(tb testing.TB, args ...string) *Anvil {
	tb.Helper()
	a, err := Run(context.Background(), args...)
	if err != nil {
		tb.Fatalf("anviltest: %v", err)
	}
	tb.Cleanup(func() {
		_ = a.Thaw() // a frozen Anvil would not see the stop signal
		if err := a.Stop(); err != nil {
			tb.Errorf("anviltest: %v", err)
		}
	})
	return a
}

// Main runs a test package against one Anvil: it starts Anvil, hands its URL to setup,
// runs the tests, stops Anvil and exits. Use it from TestMain:
//
//	func TestMain(m *testing.M) { anviltest.Main(m, func(url string) { anvilURL = url }) }
func Main(m *testing.M, setup func(url string)) {
	os.Exit(runMain(m, setup))
}

// runner is what runMain needs of *testing.M.
type runner interface{ Run() int }

func runMain(m runner, setup func(url string)) int {
	a, err := Run(context.Background())
	if err != nil {
		fmt.Fprintf(os.Stderr, "anviltest: %v\n", err)
		return 1
	}
	// Deferred so a panicking test still takes Anvil down with it.
	defer func() {
		if err := a.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "anviltest: %v\n", err)
		}
	}()
	setup(a.URL)
	return m.Run()
}
