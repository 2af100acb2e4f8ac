package anviltest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// EnvBinary names the environment variable that overrides the Anvil binary path.
const EnvBinary = "SLUICE_ANVIL"

// binaryInModule is where `npm ci` in contracts/ installs Anvil, relative to the module root.
const binaryInModule = "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"

const (
	startTimeout = 30 * time.Second
	stopGrace    = 5 * time.Second
	// keptLines bounds how much Anvil output is quoted when it fails to start.
	keptLines = 40
)

// Binary returns the path of the Anvil binary: $SLUICE_ANVIL if set, otherwise the
// npm-installed one under the module root found above the working directory.
func Binary() (string, error) {
	if p := os.Getenv(EnvBinary); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("anvil binary from $%s: %w", EnvBinary, err)
		}
		return p, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, binaryInModule)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("anvil binary %s not found: run `npm ci` in %s (or set $%s): %w",
			p, filepath.Join(root, "contracts"), EnvBinary, err)
	}
	return p, nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find module root: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Anvil is a running Anvil process.
type Anvil struct {
	// URL is the HTTP JSON-RPC endpoint, e.g. http://127.0.0.1:41234. Anvil serves
	// WebSocket on the same port (ws://...).
	URL string

	cmd      *exec.Cmd
	exited   chan struct{} // closed once the process has been reaped
	stopOnce sync.Once
	stopErr  error
}

// Run starts Anvil on 127.0.0.1 with --port 0 and waits until it reports its port.
// Extra arguments are passed through (e.g. "--block-time", "1"). The caller must Stop it.
func Run(ctx context.Context, args ...string) (*Anvil, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	// Osaka is pinned so gas figures match the embedded dev chain.
	argv := append([]string{"--host", "127.0.0.1", "--port", "0", "--hardfork", "osaka"}, args...)
	cmd := exec.Command(bin, argv...)
	// A process group of its own lets Stop kill Anvil and anything it spawns, and keeps
	// a test's Ctrl-C from racing our own shutdown.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("anvil stdout: %w", err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start anvil %s: %w", bin, err)
	}
	a := &Anvil{cmd: cmd, exited: make(chan struct{})}

	addr := make(chan string, 1)
	out := &tail{}
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		scanListening(stdout, addr, out)
	}()
	go func() {
		<-scanned // Wait must not run before all pipe reads are done.
		_ = cmd.Wait()
		close(a.exited)
	}()

	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case hostPort := <-addr:
		a.URL = "http://" + hostPort
		return a, nil
	case <-a.exited:
		return nil, fmt.Errorf("anvil exited before listening: %s\n%s", cmd.ProcessState, out)
	case <-timer.C:
		_ = a.Stop()
		return nil, fmt.Errorf("anvil did not report a port within %s:\n%s", startTimeout, out)
	case <-ctx.Done():
		_ = a.Stop()
		return nil, fmt.Errorf("start anvil: %w", ctx.Err())
	}
}

// scanListening reads Anvil's output until EOF, sending the first "Listening on
// host:port" address. It keeps draining afterwards so Anvil never blocks on a full pipe.
func scanListening(r io.Reader, addr chan<- string, out *tail) {
	const marker = "Listening on "
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	found := false
	for sc.Scan() {
		line := sc.Text()
		if found {
			continue
		}
		out.add(line)
		if i := strings.Index(line, marker); i >= 0 {
			addr <- strings.TrimSpace(line[i+len(marker):])
			found = true
		}
	}
	// Scanner errors (an over-long line) must not leave Anvil writing into a full pipe.
	_, _ = io.Copy(io.Discard, r)
}

// Stop kills Anvil's process group (SIGTERM, then SIGKILL after a grace period) and
// waits for it to exit. It is safe to call more than once.
func (a *Anvil) Stop() error {
	a.stopOnce.Do(func() {
		pgid := a.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-a.exited:
		case <-time.After(stopGrace):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-a.exited
		}
		// Anything anvil left in its group dies with it.
		if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
			a.stopErr = fmt.Errorf("kill anvil process group %d: %w", pgid, err)
		}
	})
	return a.stopErr
}

// Exited is closed once the Anvil process has exited.
func (a *Anvil) Exited() <-chan struct{} { return a.exited }

// tail keeps the first lines Anvil prints, for error messages.
type tail struct {
	mu    sync.Mutex
	lines []string
}

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) < keptLines {
		t.lines = append(t.lines, line)
	}
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}

// Freeze stops the Anvil process (SIGSTOP): its port stays open and every request
// hangs, which is what a stalled RPC looks like to a client. Thaw resumes it.
func (a *Anvil) Freeze() error { return a.cmd.Process.Signal(syscall.SIGSTOP) }

// Thaw resumes a frozen Anvil (SIGCONT).
func (a *Anvil) Thaw() error { return a.cmd.Process.Signal(syscall.SIGCONT) }
