package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// daemon is a long-running sluice process (node, devnet) under test.
type daemon struct {
	cmd    *exec.Cmd
	lines  chan string // stderr, line by line
	mu     sync.Mutex
	stderr bytes.Buffer
	done   chan struct{}
	err    error
}

// startDaemon starts sluice with args; stdout is returned for the caller to read, stderr
// is collected and streamed line by line. The process is killed if the test ends first.
func startDaemon(t *testing.T, env []string, args ...string) (*daemon, io.Reader) {
	t.Helper()
	d := &daemon{cmd: exec.Command(binPath, args...), lines: make(chan string, 1024), done: make(chan struct{})}
	d.cmd.Env = env
	stdout, err := d.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var copied sync.WaitGroup
	copied.Add(1)
	go func() {
		defer copied.Done()
		defer close(d.lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			d.mu.Lock()
			d.stderr.WriteString(sc.Text() + "\n")
			d.mu.Unlock()
			select {
			case d.lines <- sc.Text():
			default:
			}
		}
	}()
	go func() {
		copied.Wait()
		d.err = d.cmd.Wait()
		close(d.done)
	}()
	t.Cleanup(func() {
		select {
		case <-d.done:
		default:
			_ = d.cmd.Process.Kill()
			<-d.done
		}
	})
	return d, stdout
}

func (d *daemon) stderrText() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stderr.String()
}

// stop sends sig and requires a clean exit (code 0) within timeout.
func (d *daemon) stop(t *testing.T, sig os.Signal, timeout time.Duration) {
	t.Helper()
	if err := d.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal: %v", err)
	}
	select {
	case <-d.done:
	case <-time.After(timeout):
		t.Fatalf("process did not exit within %s of %v\nstderr:\n%s", timeout, sig, d.stderrText())
	}
	if d.err != nil {
		t.Fatalf("process exited with %v after %v\nstderr:\n%s", d.err, sig, d.stderrText())
	}
}
