package main

// TestREADMEOperatorWalkthroughOnAnvil runs README.md's operator walkthrough (the shell
// blocks between <!-- walkthrough:begin --> and <!-- walkthrough:end -->) as written:
// the real scripts/anvil (a block every second, no manual evm_mine), the sluice binary,
// two node processes, and every client command, until the channel is settled and the
// audit says CONSISTENT (issue 21's acceptance). The only changes to the text are the
// ones a reader makes too: the values the README leaves for the reader to copy
// (NNNNN, 0x..., 16Uiu2..., 0x<channel>) are taken from the output of the commands
// before, and the fixed ports (7520...) become free ones so parallel runs do not clash.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sluicepay/sluice/contracts/anviltest"
	"github.com/sluicepay/sluice/node/api"
)

// walkthroughStep is one command line of the walkthrough.
type walkthroughStep struct {
	line    string // as written, without its comment
	comment string // the trailing comment, if any
}

// readWalkthrough extracts the command lines of README's marked walkthrough.
func readWalkthrough(t *testing.T, readme string) []walkthroughStep {
	t.Helper()
	begin := strings.Index(readme, "<!-- walkthrough:begin -->")
	end := strings.Index(readme, "<!-- walkthrough:end -->")
	if begin < 0 || end < begin {
		t.Fatal("README.md has no <!-- walkthrough:begin --> ... <!-- walkthrough:end --> section")
	}
	var steps []walkthroughStep
	inCode := false
	for _, raw := range strings.Split(readme[begin:end], "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case strings.HasPrefix(line, "```"):
			inCode = !inCode
			continue
		case !inCode, line == "", strings.HasPrefix(line, "#"):
			continue
		}
		step := walkthroughStep{line: line}
		if i := commentStart(line); i >= 0 {
			step.line, step.comment = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		}
		steps = append(steps, step)
	}
	if len(steps) < 10 {
		t.Fatalf("walkthrough has %d command lines; the markers lost the code blocks?", len(steps))
	}
	return steps
}

// commentStart is the index of a " #" comment outside double quotes, or -1.
func commentStart(line string) int {
	quoted := false
	for i, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case r == '#' && !quoted && i > 0 && (line[i-1] == ' ' || line[i-1] == '\t'):
			return i
		}
	}
	return -1
}

// walkthrough is the state of a run: shell variables, outputs so far, background processes.
type walkthrough struct {
	t       *testing.T
	dir     string
	env     []string
	vars    map[string]string
	ports   map[string]string // README port -> free port
	outputs []string          // every command's stdout+stderr, oldest first
	procs   []*exec.Cmd
	mu      sync.Mutex
}

var (
	readmePort  = regexp.MustCompile(`(127\.0\.0\.1:|/tcp/)(7[0-9]{3})\b`)
	assignment  = regexp.MustCompile(`^([A-Z_]+)=(.*)$`)
	placeholder = regexp.MustCompile(`NNNNN|\.\.\.|<[a-z]+>`)
	durationNum = regexp.MustCompile(`[0-9]+(\.[0-9]+)?(ns|µs|us|ms|s)`)
)

func TestREADMEOperatorWalkthroughOnAnvil(t *testing.T) {
	t.Parallel()
	start := time.Now()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	anvil, err := anviltest.Binary()
	if err != nil {
		t.Fatalf("the walkthrough needs Anvil: %v", err)
	}
	w := &walkthrough{t: t, dir: t.TempDir(), vars: map[string]string{}, ports: map[string]string{}}
	w.env = cliEnv(t, anviltest.EnvBinary+"="+anvil)
	// scripts/ is where the README runs it from: the clone's root.
	if err := os.Symlink(filepath.Join(root, "scripts"), filepath.Join(w.dir, "scripts")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.stopAll)

	for _, step := range readWalkthrough(t, string(readme)) {
		w.run(step)
	}

	// Where the walkthrough must have led: a settled channel, an audit that found nothing.
	var ch api.Channel
	res := w.sluice(false, "--datadir", "./alice", "--json", "channel", "list")
	var list []api.Channel
	if err := json.Unmarshal([]byte(res), &list); err != nil || len(list) != 1 {
		t.Fatalf("alice's channels after the walkthrough: %s (%v)", res, err)
	}
	ch = list[0]
	if ch.Status != "settled" || ch.Payments != 1 {
		t.Fatalf("alice's channel after the walkthrough: status %s, %d payments; want settled with 1", ch.Status, ch.Payments)
	}
	if took := time.Since(start); took > 90*time.Second {
		t.Errorf("the walkthrough took %s, want < 90 s", took)
	}
	t.Logf("README walkthrough: %d commands in %s", len(w.outputs), time.Since(start).Round(time.Millisecond))
}

// run performs one line: a variable assignment, a background process or a command.
func (w *walkthrough) run(step walkthroughStep) {
	t := w.t
	t.Helper()
	line := readmePort.ReplaceAllStringFunc(step.line, w.freePort)
	if m := assignment.FindStringSubmatch(line); m != nil {
		value := strings.Trim(m[2], `"`)
		if placeholder.MatchString(value) {
			value = w.fill(value)
		}
		w.vars[m[1]] = w.expandQuoted(value)
		return
	}
	args := w.words(line)
	switch {
	case line == "go build -o sluice ./cmd/sluice":
		// The test binary's own build of ./cmd/sluice (TestMain) stands in for it.
		if err := os.Symlink(binPath, filepath.Join(w.dir, "sluice")); err != nil {
			t.Fatal(err)
		}
		return
	case args[0] == "scripts/anvil" && strings.Contains(step.comment, "leave it running"):
		w.background(args, "http://")
		return
	case args[0] == "./sluice" && slicesIndex(args, "node") >= 0:
		w.background(args, "api:")
		return
	case args[0] != "./sluice":
		t.Fatalf("walkthrough line %q: the test knows how to run ./sluice, scripts/anvil and go build only", step.line)
	}
	out := w.sluice(true, args[1:]...)
	if want := expectation(step.comment); want != nil && !want.MatchString(out) {
		t.Fatalf("walkthrough line %q: output does not show %q (its comment):\n%s", step.line, want, out)
	}
}

// expectation turns a comment's promise about the output into a pattern: a quoted
// example ("acknowledged in 1.7ms", any duration) or an audit RESULT line.
func expectation(comment string) *regexp.Regexp {
	if strings.HasPrefix(comment, "RESULT: ") {
		return regexp.MustCompile(regexp.QuoteMeta(comment))
	}
	i := strings.Index(comment, `"`)
	j := strings.LastIndex(comment, `"`)
	if i < 0 || j <= i {
		return nil
	}
	example := comment[i+1 : j]
	var pattern strings.Builder
	last := 0
	for _, loc := range durationNum.FindAllStringIndex(example, -1) {
		pattern.WriteString(regexp.QuoteMeta(example[last:loc[0]]))
		pattern.WriteString(`[0-9.]+(ns|µs|us|ms|s)`)
		last = loc[1]
	}
	pattern.WriteString(regexp.QuoteMeta(example[last:]))
	return regexp.MustCompile(pattern.String())
}

// freePort maps each of README's fixed ports to one free port, consistently.
func (w *walkthrough) freePort(m string) string {
	sub := readmePort.FindStringSubmatch(m)
	p, ok := w.ports[sub[2]]
	if !ok {
		p = strconv.Itoa(freeTCPPort(w.t))
		w.ports[sub[2]] = p
	}
	return sub[1] + p
}

// fill replaces a value the README leaves to the reader with the newest output that
// matches its shape: NNNNN is a number, ... the rest of an id, <name> a 32-byte hex id
// printed on a "name" line.
func (w *walkthrough) fill(template string) string {
	w.t.Helper()
	var pattern strings.Builder
	named := ""
	last := 0
	for _, loc := range placeholder.FindAllStringIndex(template, -1) {
		pattern.WriteString(regexp.QuoteMeta(template[last:loc[0]]))
		switch ph := template[loc[0]:loc[1]]; ph {
		case "NNNNN":
			pattern.WriteString(`[0-9]+`)
		case "...":
			pattern.WriteString(`[0-9A-Za-z]+`)
		default:
			named = strings.Trim(ph, "<>")
			pattern.WriteString(`[0-9a-fA-F]{64}`)
		}
		last = loc[1]
	}
	pattern.WriteString(regexp.QuoteMeta(template[last:]))
	re := regexp.MustCompile(pattern.String())
	if named != "" {
		re = regexp.MustCompile(`(?m)^` + named + `:?\s+(` + pattern.String() + `)`)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := len(w.outputs) - 1; i >= 0; i-- {
		if m := re.FindStringSubmatch(w.outputs[i]); m != nil {
			return m[len(m)-1]
		}
	}
	w.t.Fatalf("no output so far shows %q (pattern %s)", template, re)
	return ""
}

// words splits a command line like sh: double quotes group, unquoted $VAR splits.
func (w *walkthrough) words(line string) []string {
	var out []string
	for _, field := range splitQuoted(line) {
		switch {
		case strings.HasPrefix(field, `"`):
			out = append(out, w.expandQuoted(strings.Trim(field, `"`)))
		case strings.HasPrefix(field, "$"):
			out = append(out, strings.Fields(w.vars[field[1:]])...)
		default:
			if placeholder.MatchString(field) {
				field = w.fill(field)
			}
			out = append(out, field)
		}
	}
	return out
}

func (w *walkthrough) expandQuoted(s string) string {
	return os.Expand(s, func(name string) string { return w.vars[name] })
}

func splitQuoted(line string) []string {
	var fields []string
	var cur strings.Builder
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case (r == ' ' || r == '\t') && !quoted:
			if cur.Len() > 0 {
				fields = append(fields, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		fields = append(fields, cur.String())
	}
	return fields
}

func slicesIndex(xs []string, x string) int {
	for i, s := range xs {
		if s == x {
			return i
		}
	}
	return -1
}

// sluice runs ./sluice args in the walkthrough's directory and requires exit 0 when
// record is set (the walkthrough's own commands); it returns stdout and stderr.
func (w *walkthrough) sluice(record bool, args ...string) string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "./sluice", args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	out := stdout.String() + stderr.String()
	if record {
		w.mu.Lock()
		w.outputs = append(w.outputs, out)
		w.mu.Unlock()
	}
	if err != nil {
		w.t.Fatalf("./sluice %s: %v\n%s\n--- background processes ---\n%s", strings.Join(args, " "), err, out, w.backgroundLogs())
	}
	if record {
		return out
	}
	return stdout.String()
}

// background starts a long-running command (Anvil, a node) in its own process group
// and waits until its output shows ready.
func (w *walkthrough) background(args []string, ready string) {
	w.t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir, cmd.Env = w.dir, w.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		w.t.Fatalf("start %v: %v", args, err)
	}
	w.mu.Lock()
	w.procs = append(w.procs, cmd)
	idx := len(w.outputs)
	w.outputs = append(w.outputs, "")
	w.mu.Unlock()
	exited := make(chan struct{}) // closed once Wait has returned; ProcessState is Wait's to write
	go func() {
		_ = cmd.Wait()
		close(exited)
		pw.Close()
	}()
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			w.mu.Lock()
			w.outputs[idx] += sc.Text() + "\n"
			w.mu.Unlock()
		}
	}()
	waitUntil(w.t, 60*time.Second, fmt.Sprintf("%v to be ready (%q in its output)", args, ready), func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		select {
		case <-exited:
			w.t.Fatalf("%v exited: %s", args, w.outputs[idx])
		default:
		}
		return strings.Contains(w.outputs[idx], ready)
	})
}

func (w *walkthrough) backgroundLogs() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var b strings.Builder
	for _, out := range w.outputs {
		b.WriteString(lastLines(out, 15))
		b.WriteString("\n")
	}
	return b.String()
}

// stopAll ends every background process group: SIGTERM, then SIGKILL.
func (w *walkthrough) stopAll() {
	w.mu.Lock()
	procs := w.procs
	w.mu.Unlock()
	for i := len(procs) - 1; i >= 0; i-- {
		_ = syscall.Kill(-procs[i].Process.Pid, syscall.SIGTERM)
	}
	time.Sleep(500 * time.Millisecond)
	for _, p := range procs {
		_ = syscall.Kill(-p.Process.Pid, syscall.SIGKILL)
	}
	if w.t.Failed() {
		w.t.Logf("--- output of the walkthrough ---\n%s", w.backgroundLogs())
	}
}
