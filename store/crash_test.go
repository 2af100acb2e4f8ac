package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// The crash test re-executes this test binary as a child that writes through the group
// committer and reports every acknowledged commit on stdout; the parent SIGKILLs it at a
// random moment and checks that every acknowledgement survived.
const (
	envCrashDir   = "SLUICE_STORE_CRASH_DIR"
	envCrashRound = "SLUICE_STORE_CRASH_ROUND"
	envCrashMode  = "SLUICE_STORE_CRASH_MODE"
	crashWriters  = 8
)

// crashChannel gives each (round, writer) its own channel, so each channel's nonces are
// written in order by exactly one goroutine.
func crashChannel(round, writer int) channel.ID {
	return testChannelID(uint64(round)<<16 | uint64(writer))
}

func crashPayment(round, writer int, nonce uint64) PaymentRecord {
	ch := crashChannel(round, writer)
	var id PaymentID
	copy(id[:4], ch[28:])
	id[4] = byte(round)
	id[5] = byte(writer)
	copy(id[8:], big.NewInt(int64(nonce)).FillBytes(make([]byte, 8)))
	return PaymentRecord{
		ID: id, Channel: ch, Direction: Incoming, Nonce: nonce,
		Amount:      big.NewInt(int64(nonce % 97)),
		Transferred: new(big.Int).SetUint64(nonce * 1000),
		Time:        testEpoch.Add(time.Duration(nonce) * time.Microsecond),
		Memo:        fmt.Sprintf("r%d w%d n%d", round, writer, nonce),
	}
}

// TestMain turns the test binary into the crash child when its parent asks for one, so
// the child needs no test of its own.
func TestMain(m *testing.M) {
	if dir := os.Getenv(envCrashDir); dir != "" {
		runCrashChild(dir)
		os.Exit(0)
	}
	if dir := os.Getenv(envLockCrashDir); dir != "" {
		runLockCrashChild(dir)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runCrashChild writes payments until it is killed, printing each acknowledgement.
func runCrashChild(dir string) {
	// Odd rounds bound groups tightly and linger, so kills also land between the many
	// small groups and inside the linger wait.
	round, _ := strconv.Atoi(os.Getenv(envCrashRound))
	var opts Options
	if round%2 == 1 {
		opts.Commit = CommitConfig{MaxGroupEntries: 30, MaxDelay: time.Millisecond}
	}
	s, err := Open(dir, opts)
	if err != nil {
		fmt.Fprintf(os.Stdout, "open-error %v\n", err)
		os.Exit(3)
	}
	fmt.Fprintln(os.Stdout, "ready")
	if os.Getenv(envCrashMode) == "hold" {
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	var out sync.Mutex
	ack := func(w int, nonce uint64) {
		out.Lock()
		// One write per line: a line is either wholly in the pipe or not at all.
		fmt.Fprintf(os.Stdout, "ack %d %d\n", w, nonce)
		out.Unlock()
	}
	var wg sync.WaitGroup
	for w := range crashWriters {
		wg.Go(func() {
			// Writer 0 pipelines with Submit, the others wait in Commit.
			const window = 16
			var pending []<-chan error
			for nonce := uint64(1); ; nonce++ {
				b := crashBatch(round, w, nonce)
				if w != 0 {
					if err := s.Commit(context.Background(), b); err != nil {
						fmt.Fprintf(os.Stdout, "commit-error %v\n", err)
						os.Exit(4)
					}
					ack(w, nonce)
					continue
				}
				pending = append(pending, s.Submit(b))
				if len(pending) == window {
					if err := <-pending[0]; err != nil {
						fmt.Fprintf(os.Stdout, "commit-error %v\n", err)
						os.Exit(4)
					}
					pending = pending[1:]
					ack(w, nonce-window+1)
				}
			}
		})
	}
	wg.Wait()
}

func crashBatch(round, w int, nonce uint64) *Batch {
	rec := crashPayment(round, w, nonce)
	b := NewBatch()
	p := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: rec.Channel, Nonce: nonce, Transferred: rec.Transferred}, Sig: testSig(byte(nonce))}
	if err := errors.Join(b.PutProof(channel.PartyB, &p), b.PutPayment(&rec)); err != nil {
		fmt.Fprintf(os.Stdout, "batch-error %v\n", err)
		os.Exit(5)
	}
	return b
}

func startCrashChild(t *testing.T, dir string, round int, mode string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), envCrashDir+"="+dir, envCrashRound+"="+strconv.Itoa(round), envCrashMode+"="+mode)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(stdout)
}

func TestCrashAtRandomMomentsLosesNoAcknowledgedPayment(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)
	rounds := 20
	// A soak run can ask for more: SLUICE_STORE_CRASH_ROUNDS=500 go test -run CrashAt.
	if n, err := strconv.Atoi(os.Getenv("SLUICE_STORE_CRASH_ROUNDS")); err == nil && n > rounds {
		rounds = n
	}
	// acked[round][writer] is the highest nonce whose Commit returned; nonces are
	// committed in order per writer, so every lower nonce was acknowledged too.
	acked := make([][crashWriters]uint64, rounds)
	total := 0
	for round := range rounds {
		cmd, lines := startCrashChild(t, dir, round, "crash")
		killAfter := time.Duration(rng.IntN(250)) * time.Millisecond
		timer := time.AfterFunc(killAfter, func() { cmd.Process.Signal(syscall.SIGKILL) })
		for lines.Scan() {
			f := strings.Fields(lines.Text())
			switch {
			case len(f) == 3 && f[0] == "ack":
				w, _ := strconv.Atoi(f[1])
				n, _ := strconv.ParseUint(f[2], 10, 64)
				if n != acked[round][w]+1 {
					t.Fatalf("round %d writer %d: ack %d after %d", round, w, n, acked[round][w])
				}
				acked[round][w] = n
				total++
			case len(f) == 1 && f[0] == "ready":
			default:
				t.Fatalf("round %d: child said %q", round, lines.Text())
			}
		}
		timer.Stop()
		err := cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended with %v, want SIGKILL", round, err)
		}
		verifyCrashRounds(t, dir, acked[:round+1])
	}
	t.Logf("%d acknowledged payments over %d kills, all present", total, rounds)
	if total == 0 {
		t.Fatal("no commit was acknowledged in any round; the test proved nothing")
	}
}

// verifyCrashRounds reopens the store and checks every acknowledged payment of every round
// so far: its record intact, its channel's log gap-free, its proof at least as new.
func verifyCrashRounds(t *testing.T, dir string, acked [][crashWriters]uint64) {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	// Decoding every record is the slow part under -race; every fifth round and the
	// last one suffice, as damage would persist until then.
	if rounds := len(acked); rounds%5 == 0 {
		if rep, err := s.Check(); err != nil || rep.BadCount != 0 {
			t.Fatalf("check after kill %d: %+v, %v", rounds, rep, err)
		}
	}
	for round, writers := range acked {
		for w, last := range writers {
			ch := crashChannel(round, w)
			for n := uint64(1); n <= last; n++ {
				want := crashPayment(round, w, n)
				got, ok, err := s.GetPayment(want.ID)
				if err != nil || !ok {
					t.Fatalf("round %d writer %d: acknowledged payment %d missing (found=%v err=%v)", round, w, n, ok, err)
				}
				if got.Channel != ch || got.Nonce != n || got.Amount.Cmp(want.Amount) != 0 || got.Transferred.Cmp(want.Transferred) != 0 || got.Memo != want.Memo || !got.Time.Equal(want.Time) {
					t.Fatalf("round %d writer %d: payment %d read back as %+v, want %+v", round, w, n, got, want)
				}
			}
			if last == 0 {
				continue
			}
			p, ok, err := s.GetProof(ch, channel.PartyB)
			if err != nil || !ok || p.Nonce < last || p.Transferred.Uint64() != p.Nonce*1000 {
				t.Fatalf("round %d writer %d: proof %+v (found=%v err=%v), want nonce >= %d", round, w, p, ok, err, last)
			}
		}
	}
}

func TestOpenFailsWhileAnotherProcessHoldsTheDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	cmd, lines := startCrashChild(t, dir, 0, "hold")
	defer cmd.Wait()
	defer cmd.Process.Kill()
	if !lines.Scan() || lines.Text() != "ready" {
		t.Fatalf("child did not open the store: %q", lines.Text())
	}
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("err %v, want ErrLocked naming %s", err, dir)
	}
	cmd.Process.Kill()
	cmd.Wait()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("open after the holder died: %v", err)
	}
	s.Close()
}
