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

// The lock crash test is the payment crash test (crash_test.go) for hashlocks: a child
// writes lock updates (each step adds a lock and unlocks the one added lockWindow steps
// earlier, storing its secret) and acknowledges each commit; the parent SIGKILLs it and
// checks that every acknowledged lock set and secret survived, that the proof and the
// lock set on disk always come from the same step, and that the tombstones of the unlocks
// rebuild every earlier list (ADR 0037).
const (
	envLockCrashDir   = "SLUICE_STORE_LOCK_CRASH_DIR"
	envLockCrashRound = "SLUICE_STORE_LOCK_CRASH_ROUND"
	lockCrashWriters  = 4
	lockWindow        = 5
)

func lockCrashSecret(round, w int, j uint64) [32]byte {
	var s [32]byte
	s[0], s[1], s[2] = 0x5e, byte(round), byte(w)
	big.NewInt(int64(j)).FillBytes(s[24:])
	return s
}

func lockCrashLock(round, w int, j uint64) channel.Lock {
	return channel.Lock{Amount: new(big.Int).SetUint64(j*10 + 1), Expiration: 1_000_000 + j, SecretHash: channel.SecretHash(lockCrashSecret(round, w, j))}
}

// lockCrashState is a direction after step n: locks n-4..n pending, 1..n-5 unlocked.
func lockCrashState(round, w int, n uint64) (locks []channel.Lock, transferred *big.Int) {
	first := uint64(1)
	if n > lockWindow-1 {
		first = n - (lockWindow - 1)
	}
	for j := first; j <= n; j++ {
		locks = append(locks, lockCrashLock(round, w, j))
	}
	k := first - 1 // unlocked: 1..k
	return locks, new(big.Int).SetUint64(10*k*(k+1)/2 + k)
}

func lockCrashBatch(round, w int, n uint64) (*Batch, error) {
	ch := crashChannel(round, w)
	locks, transferred := lockCrashState(round, w, n)
	root, err := channel.LocksRoot(locks)
	if err != nil {
		return nil, err
	}
	p := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: ch, Nonce: n, Transferred: transferred, LocksRoot: root}, Sig: testSig(byte(n))}
	b := NewBatch()
	var unlock error
	if n > lockWindow-1 && n-(lockWindow-1) > 1 {
		// Step n unlocks lock n-lockWindow and adds lock n under one proof: two changes
		// in one batch, the second header wins.
		b.PutSecret(lockCrashSecret(round, w, n-lockWindow))
		// Our direction: the unlocked lock keeps its tombstone (ADR 0037).
		unlock = b.PutLockChange(ch, channel.PartyA, LockChange{Nonce: n, Root: root, Count: len(locks),
			Update: channel.Unlock(lockCrashSecret(round, w, n-lockWindow)),
			Ours:   true, Removed: lockCrashLock(round, w, n-lockWindow), Added: n - lockWindow})
	}
	add := b.PutLockChange(ch, channel.PartyA, LockChange{Nonce: n, Root: root, Count: len(locks), Update: channel.AddLock(locks[len(locks)-1])})
	return b, errors.Join(b.PutProof(channel.PartyA, &p), unlock, add)
}

// runLockCrashChild writes lock updates until it is killed, printing each acknowledgement.
func runLockCrashChild(dir string) {
	round, _ := strconv.Atoi(os.Getenv(envLockCrashRound))
	s, err := Open(dir, Options{})
	if err != nil {
		fmt.Fprintf(os.Stdout, "open-error %v\n", err)
		os.Exit(3)
	}
	fmt.Fprintln(os.Stdout, "ready")
	var out sync.Mutex
	ack := func(w int, n uint64) {
		out.Lock()
		fmt.Fprintf(os.Stdout, "ack %d %d\n", w, n)
		out.Unlock()
	}
	fail := func(what string, err error) {
		fmt.Fprintf(os.Stdout, "%s %v\n", what, err)
		os.Exit(4)
	}
	var wg sync.WaitGroup
	for w := range lockCrashWriters {
		wg.Go(func() {
			// Writer 0 pipelines with Submit, the others wait in Commit.
			const window = 8
			var pending []<-chan error
			for n := uint64(1); ; n++ {
				b, err := lockCrashBatch(round, w, n)
				if err != nil {
					fail("batch-error", err)
				}
				if w != 0 {
					if err := s.Commit(context.Background(), b); err != nil {
						fail("commit-error", err)
					}
					ack(w, n)
					continue
				}
				pending = append(pending, s.Submit(b))
				if len(pending) == window {
					if err := <-pending[0]; err != nil {
						fail("commit-error", err)
					}
					pending = pending[1:]
					ack(w, n-window+1)
				}
			}
		})
	}
	wg.Wait()
}

func TestCrashAtRandomMomentsLosesNoAcknowledgedLockOrSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)
	const rounds = 12
	acked := make([][lockCrashWriters]uint64, rounds)
	total := 0
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envLockCrashDir+"="+dir, envLockCrashRound+"="+strconv.Itoa(round))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The clock starts once the child has the store open: under -race, starting up
		// alone can take longer than the kill window.
		killAfter := time.Duration(10+rng.IntN(300)) * time.Millisecond
		var timer *time.Timer
		lines := bufio.NewScanner(stdout)
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
			case len(f) == 1 && f[0] == "ready" && timer == nil:
				timer = time.AfterFunc(killAfter, func() { cmd.Process.Signal(syscall.SIGKILL) })
			default:
				t.Fatalf("round %d: child said %q", round, lines.Text())
			}
		}
		if timer == nil {
			cmd.Process.Kill()
			t.Fatalf("round %d: child never opened the store", round)
		}
		timer.Stop()
		err = cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended with %v, want SIGKILL", round, err)
		}
		verifyLockCrashRounds(t, dir, acked[:round+1])
	}
	t.Logf("%d acknowledged lock updates over %d kills, all present", total, rounds)
	if total == 0 {
		t.Fatal("no commit was acknowledged in any round; the test proved nothing")
	}
}

// verifyLockCrashRounds reopens the store: for every direction, the step on disk is at
// least the last acknowledged one, its proof and lock set are from that same step, and
// every secret it unlocked is there.
func verifyLockCrashRounds(t *testing.T, dir string, acked [][lockCrashWriters]uint64) {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	if rep, err := s.Check(); err != nil || rep.BadCount != 0 {
		t.Fatalf("check after kill: %+v, %v", rep, err)
	}
	for round, writers := range acked {
		for w, last := range writers {
			if last == 0 {
				continue
			}
			ch := crashChannel(round, w)
			p, ok, err := s.GetProof(ch, channel.PartyA)
			if err != nil || !ok || p.Nonce < last {
				t.Fatalf("round %d writer %d: proof %+v (found=%v err=%v), want nonce >= %d", round, w, p, ok, err, last)
			}
			m := p.Nonce
			wantLocks, wantTransferred := lockCrashState(round, w, m)
			rec, ok, err := s.GetLocks(ch, channel.PartyA)
			if err != nil || !ok || rec.Nonce != m || !sameLockList(rec.Locks, wantLocks) {
				t.Fatalf("round %d writer %d: proof at step %d but locks %+v (found=%v err=%v)", round, w, m, rec, ok, err)
			}
			if p.Transferred.Cmp(wantTransferred) != 0 {
				t.Fatalf("round %d writer %d: step %d transferred %s, want %s", round, w, m, p.Transferred, wantTransferred)
			}
			// The earlier lists are rebuilt from the tombstones written with the unlocks
			// (the last 64 steps and the first few: the rest is the same kind of read).
			for k := uint64(1); k <= m; k++ {
				if k > 8 && k+64 < m {
					continue
				}
				want, _ := lockCrashState(round, w, k)
				got, _, err := s.LocksAt(ch, channel.PartyA, k)
				if err != nil || !sameLockList(got, want) {
					t.Fatalf("round %d writer %d: step %d on disk, list of step %d rebuilt as %d locks (%v), want %d", round, w, m, k, len(got), err, len(want))
				}
			}
			for j := uint64(1); j+lockWindow <= m; j++ {
				sec := lockCrashSecret(round, w, j)
				got, ok, err := s.GetSecret(channel.SecretHash(sec))
				if err != nil || !ok || got != sec {
					t.Fatalf("round %d writer %d: secret of unlocked lock %d lost (found=%v err=%v)", round, w, j, ok, err)
				}
			}
		}
	}
}
