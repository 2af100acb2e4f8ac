package contracts_test

import (
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// Environment of the adversary run (docs/contract.md, "Adversary test").
const (
	envAdvSequences = "SLUICE_ADVERSARY_SEQUENCES" // how many sequences (default 60)
	envAdvSeed      = "SLUICE_ADVERSARY_SEED"      // run seed (default advDefaultSeed)
	envAdvFrom      = "SLUICE_ADVERSARY_FROM"      // first sequence index, to replay one
	envAdvContract  = "SLUICE_ADVERSARY_CONTRACT"  // a compile-contracts artifact to attack instead
	envAdvKeepGoing = "SLUICE_ADVERSARY_KEEP_GOING"

	advDefaultSequences = 60
	advProgressEvery    = 1000
	advChainSequences   = 100
	advDefaultSeed      = 20261206
)

// TestAdversary plays random sequences of an honest party H, an attacker M (its channel
// partner) and a third party T against SluiceChannels on the pinned Anvil, and checks after
// every sequence what the protocol entitles H to (adversary_model_test.go), that what left
// the channel equals what entered it, that the channel paid once, and that the contract
// holds exactly its open channels and outstanding credits, for ETH and an ERC-20.
func TestAdversary(t *testing.T) {
	sequences := advEnvInt(t, envAdvSequences, advDefaultSequences)
	from := advEnvInt(t, envAdvFrom, 0)
	run := &advRun{
		seed:      uint64(advEnvInt(t, envAdvSeed, advDefaultSeed)),
		keepGoing: os.Getenv(envAdvKeepGoing) != "",
		tally:     map[string]int{},
		start:     time.Now(),
	}
	t.Logf("adversary: seed %d, sequences %d from %d (replay one: %s=%d %s=N %s=1)",
		run.seed, sequences, from, envAdvSeed, run.seed, envAdvFrom, envAdvSequences)
	// A fresh chain every advChainSequences: Anvil slows down as its chain grows (a run on one
	// chain fell from 12 to 1.6 sequences/s within 1,000 sequences; 250 per chain still
	// slowed down, 100 per chain holds its rate).
	for first := from; first < from+sequences; first += advChainSequences {
		n := min(advChainSequences, from+sequences-first)
		t.Run(fmt.Sprintf("chain%d", first/advChainSequences), func(t *testing.T) { run.onFreshChain(t, first, n) })
		if run.failed > 0 && !run.keepGoing {
			break
		}
	}
	elapsed := time.Since(run.start)
	t.Logf("adversary: %d sequences, %d transactions in %s (%.1f sequences/s, %.0f tx/s), %d failed",
		run.ran, run.txs, elapsed.Round(time.Millisecond), float64(run.ran)/elapsed.Seconds(),
		float64(run.txs)/elapsed.Seconds(), run.failed)
	tally, failed := run.tally, run.failed
	t.Logf("adversary tally (action outcome: count):\n%s", advFormatTally(tally))
	// A run this long reaches every path; a harness change that quietly stops one fails here.
	if sequences >= advDefaultSequences && failed == 0 {
		for _, kind := range advMustReach {
			if tally[kind] == 0 {
				t.Errorf("%d sequences never ran %q", sequences, kind)
			}
		}
	}
}

// advMustReach are the outcomes every run of advDefaultSequences reaches.
var advMustReach = []string{
	"off-chain H accepts", "off-chain H rejects", "off-chain H pays", "off-chain withdrawal co-signed",
	"withdraw ok", "withdraw reverted", "deposit(T) reverted", "closeCooperative ok",
	"close(H, best proof) ok", "close(M, any proof of H) ok", "bogus close reverted",
	"defend(H updateProof) ok", "defend(T updateProofFor with H's endorsement) ok",
	"updateProof(M, any proof) reverted", "updateProofFor(M's proof, forged endorsement) reverted",
	"late updateProof(M's eraser) reverted", "settle early reverted", "settle ok", "settle again reverted",
	"claim(H's refusing wallet) ok", "sequence with H a contract refusing ETH",
}

// advRun is what a run keeps across its chains.
type advRun struct {
	seed             uint64
	keepGoing        bool
	tally            map[string]int
	start            time.Time
	ran, failed, txs int
}

// onFreshChain plays sequences first..first+n-1 on a chain of their own: SluiceChannels (or
// the contract under attack), an ERC-20, a refusing wallet per party and two bystander
// channels.
func (run *advRun) onFreshChain(t *testing.T, first, n int) {
	e := newEVM(t)
	runFor := 4 * time.Hour
	if deadline, ok := t.Deadline(); ok {
		runFor = time.Until(deadline)
	}
	advContext(e, runFor)
	if path := os.Getenv(envAdvContract); path != "" {
		e.channels = e.deploy(e.accounts[0], &bind.MetaData{Bin: advArtifactBytecode(t, path)}, nil)
		t.Logf("attacking the contract built in %s at %s", path, e.channels)
	}
	pool := e.accounts[1:8]
	token := e.deployToken(e.accounts[1:], new(big.Int).Lsh(big.NewInt(1), 200))
	for _, a := range e.accounts[1:] {
		e.mustSend(a, token, nil, testToken.PackApprove(e.channels, maxUint256))
	}
	// Bystander channels: funds a double payout would have to come from.
	reserve := map[common.Address]*big.Int{{}: eth(100), token: eth(100)}
	e.openETH(e.accounts[8], e.accounts[9].Address, eth(100), 600)
	e.openToken(e.accounts[8], e.accounts[9].Address, token, eth(100), 600)
	wallets := map[common.Address]common.Address{}
	for _, a := range pool {
		wallets[a.Address] = e.deploy(a, &testbindings.RejectingReceiverMetaData, rejecting.PackConstructor(e.channels))
	}
	c := newAdvChain(e)
	defer func() { run.txs += c.txs }()
	credits := map[common.Address]map[common.Address]*big.Int{{}: {}, token: {}}
	for i := first; i < first+n; i++ {
		r := rand.New(rand.NewPCG(run.seed, uint64(i)))
		perm := r.Perm(len(pool))
		asset := common.Address{}
		if r.IntN(2) == 0 {
			asset = token
		}
		s := newAdvSequence(c, r, run.tally, asset, r.IntN(2) == 0, pool[perm[0]], pool[perm[1]], pool[perm[2]])
		if asset == (common.Address{}) && r.IntN(5) == 0 {
			s.hWallet = wallets[s.H.Address]
			run.tally["sequence with H a contract refusing ETH"]++
		}
		before := advSnapshot(s)
		s.play()
		s.checkOutcome(before, credits[asset])
		s.checkSolvency(reserve[asset], credits[asset])
		run.ran++
		if len(s.violations) > 0 {
			run.failed++
			t.Errorf("sequence %d (seed %d) broke %d invariant(s):\n  %s\nreplay: %s=%d %s=%d %s=1 go test ./contracts -run TestAdversary",
				i, run.seed, len(s.violations), strings.Join(s.log, "\n  "), envAdvSeed, run.seed, envAdvFrom, i, envAdvSequences)
			if !run.keepGoing {
				return
			}
		}
		if run.ran%advProgressEvery == 0 {
			t.Logf("adversary: %d sequences in %s, %d failed", run.ran, time.Since(run.start).Round(time.Second), run.failed)
		}
	}
}

// advBalances is what the sequence's three parties hold (gas paid added back) and are owed
// before or after it.
type advBalances struct {
	holdings, credits [3]*big.Int
}

func (s *advSequence) parties() [3]devchain.Account { return [3]devchain.Account{s.H, s.M, s.T} }

// advSnapshot reads what H, M and T hold; H's holdings include its wallet contract's, if any.
func advSnapshot(s *advSequence) advBalances {
	var b advBalances
	for i, a := range s.parties() {
		b.holdings[i] = s.c.holdings(s.token, a.Address)
		if s.token == (common.Address{}) {
			b.holdings[i].Add(b.holdings[i], s.c.gasSpent(a.Address))
		}
		payee := a.Address
		if i == 0 && !s.hSigns() {
			payee = s.hWallet
			b.holdings[i].Add(b.holdings[i], s.c.holdings(s.token, payee))
		}
		b.credits[i] = s.c.e.claimable(payee, s.token)
	}
	return b
}

// checkOutcome checks the sequence's channel: settled exactly once, everything that entered
// left, and H got at least what the protocol entitles it to.
func (s *advSequence) checkOutcome(before advBalances, credits map[common.Address]*big.Int) {
	after := advSnapshot(s)
	if s.status != 3 {
		s.violate("the channel never settled (status %d)", s.status)
	}
	if s.settled != 1 {
		s.violate("the channel paid out %d times", s.settled)
	}
	// net is what each party got from the escrow, less what it put in, gas aside.
	var net [3]*big.Int
	sum := new(big.Int)
	for i := range net {
		net[i] = new(big.Int).Sub(after.holdings[i], before.holdings[i])
		owed := new(big.Int).Sub(after.credits[i], before.credits[i])
		credits[s.payee(i)] = after.credits[i]
		sum.Add(sum, net[i]).Add(sum, owed)
	}
	if sum.Sign() != 0 {
		s.violate("payouts + withdrawals + credits - deposits = %s, want 0", sum)
	}
	// H's take from the channel: what it got back plus what it put in, less its withdrawals.
	take := new(big.Int).Set(net[0])
	if d := s.depositedBy[s.H.Address]; d != nil {
		take.Add(take, d)
	}
	take.Sub(take, s.withdrawnTo[0])
	want := s.v.entitlement(s.coop)
	if take.Cmp(want) < 0 {
		s.violate("H was paid %s at settlement, the protocol entitles it to %s (cooperative %v; deposits %v, withdrawn %v, paid %s, best received nonce %d transferred %s)",
			take, want, s.coop, s.v.deposit, s.v.withdrawn, s.v.paid.transferred, s.v.received.nonce, s.v.received.transferred)
	}
	s.logf("H's take %s, entitlement %s", take, want)
}

// checkSolvency checks that the escrow holds exactly the bystander channel and the
// outstanding credits of the token: all the sequence channels are settled.
func (s *advSequence) checkSolvency(reserve *big.Int, credits map[common.Address]*big.Int) {
	want := new(big.Int).Set(reserve)
	for _, c := range credits {
		want.Add(want, c)
	}
	got := s.c.holdings(s.token, s.c.e.channels)
	if got.Cmp(want) != 0 {
		s.violate("the escrow holds %s of %s, its open channels and credits %s", got, s.tokenName(), want)
	}
}

// payee is the address party i (H, M, T) is paid at.
func (s *advSequence) payee(i int) common.Address {
	if i < 2 {
		return s.addr(i)
	}
	return s.T.Address
}

func advEnvInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("$%s=%q: want a non-negative integer", name, v)
	}
	return n
}

// advArtifactBytecode reads the creation bytecode of a scripts/compile-contracts artifact.
func advArtifactBytecode(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var art struct {
		Bytecode string `json:"bytecode"`
	}
	if err := json.Unmarshal(raw, &art); err != nil || art.Bytecode == "" {
		t.Fatalf("artifact %s: no bytecode (%v)", path, err)
	}
	return art.Bytecode
}

func advFormatTally(tally map[string]int) string {
	keys := make([]string, 0, len(tally))
	for k := range tally {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-70s %d\n", k, tally[k])
	}
	return b.String()
}
