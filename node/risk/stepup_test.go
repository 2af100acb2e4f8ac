package risk

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// stepUpSetup returns an engine where any payment above 1000 needs a step-up, and the
// client "w" with its registered device key.
func stepUpSetup(t *testing.T) (*Engine, *fakeClock, func(*Challenge) StepUpProof) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{
		"w": {Profile: ProfileInteractive, StepUpAbove: amt(1000)},
	}}, clock, nil)
	dev := newDeviceKey(t)
	if err := e.RegisterDevice("w", dev.Address(), false); err != nil {
		t.Fatal(err)
	}
	sign := func(c *Challenge) StepUpProof {
		sig, err := dev.SignDigest(e.Digest(c))
		if err != nil {
			t.Fatal(err)
		}
		return StepUpProof{Challenge: c.ID, Signature: sig}
	}
	return e, clock, sign
}

func challenged(t *testing.T, e *Engine, req Request) *Challenge {
	t.Helper()
	d := e.Decide(req)
	if d.Outcome != StepUp || d.Challenge == nil || !d.Reasons.Has(ReasonLargePayment) {
		t.Fatalf("large payment: %s %v challenge %v, want step_up with a challenge", d.Outcome, d.Reasons.Strings(), d.Challenge)
	}
	return d.Challenge
}

func bigPay() Request {
	r := payReq("w", 1, 1, 5000)
	r.PaymentID = [16]byte{1, 2, 3}
	return r
}

func TestStepUpSucceedsWithRegisteredDeviceSignature(t *testing.T) {
	e, _, sign := stepUpSetup(t)
	c := challenged(t, e, bigPay())
	req := bigPay()
	p := sign(c)
	req.StepUp = &p
	d := e.Decide(req)
	if d.Outcome != Approve || !d.Reasons.Has(ReasonStepUpVerified) {
		t.Fatalf("answered step-up: %s %v", d.Outcome, d.Reasons.Strings())
	}
}

func TestStepUpFailures(t *testing.T) {
	tests := []struct {
		name   string
		answer func(t *testing.T, e *Engine, clock *fakeClock, sign func(*Challenge) StepUpProof) Request
		want   Reason
	}{
		{"wrong key", func(t *testing.T, e *Engine, _ *fakeClock, _ func(*Challenge) StepUpProof) Request {
			c := challenged(t, e, bigPay())
			thief := newDeviceKey(t)
			sig, _ := thief.SignDigest(e.Digest(c))
			r := bigPay()
			r.StepUp = &StepUpProof{Challenge: c.ID, Signature: sig}
			return r
		}, ReasonStepUpBadSignature},
		{"wrong challenge", func(t *testing.T, e *Engine, _ *fakeClock, sign func(*Challenge) StepUpProof) Request {
			c := challenged(t, e, bigPay())
			forged := *c
			forged.ID[0] ^= 1
			p := sign(&forged)
			r := bigPay()
			r.StepUp = &p
			return r
		}, ReasonStepUpInvalid},
		{"replayed challenge", func(t *testing.T, e *Engine, _ *fakeClock, sign func(*Challenge) StepUpProof) Request {
			c := challenged(t, e, bigPay())
			p := sign(c)
			r := bigPay()
			r.StepUp = &p
			if d := e.Decide(r); d.Outcome != Approve {
				t.Fatalf("first answer: %s %v", d.Outcome, d.Reasons.Strings())
			}
			return r
		}, ReasonStepUpInvalid},
		{"expired challenge", func(t *testing.T, e *Engine, clock *fakeClock, sign func(*Challenge) StepUpProof) Request {
			c := challenged(t, e, bigPay())
			clock.Advance(defaultChallengeTTL + time.Second)
			p := sign(c)
			r := bigPay()
			r.StepUp = &p
			return r
		}, ReasonStepUpExpired},
		{"other amount", func(t *testing.T, e *Engine, _ *fakeClock, sign func(*Challenge) StepUpProof) Request {
			c := challenged(t, e, bigPay())
			p := sign(c)
			r := bigPay()
			r.Amount = big.NewInt(9000)
			r.StepUp = &p
			return r
		}, ReasonStepUpInvalid},
		{"other channel", func(t *testing.T, e *Engine, _ *fakeClock, sign func(*Challenge) StepUpProof) Request {
			c := challenged(t, e, bigPay())
			p := sign(c)
			r := bigPay()
			r.Channel = chanID(2)
			r.StepUp = &p
			return r
		}, ReasonStepUpInvalid},
		{"signature over other payment id", func(t *testing.T, e *Engine, _ *fakeClock, sign func(*Challenge) StepUpProof) Request {
			c := challenged(t, e, bigPay())
			other := *c
			other.PaymentID[0] ^= 0xff
			p := sign(&other)
			r := bigPay()
			r.StepUp = &p
			return r
		}, ReasonStepUpBadSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, clock, sign := stepUpSetup(t)
			d := e.Decide(tc.answer(t, e, clock, sign))
			if d.Outcome != Decline || !d.Reasons.Has(tc.want) {
				t.Fatalf("%s: %s %v, want decline %s", tc.name, d.Outcome, d.Reasons.Strings(), tc.want)
			}
			if st := e.Clients(); !st[0].SpentToday.IsZero() && tc.name != "replayed challenge" {
				t.Fatalf("%s: a failed step-up moved money: spent %s", tc.name, st[0].SpentToday)
			}
		})
	}
}

func TestStepUpWithoutDeviceDeclines(t *testing.T) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{"w": {StepUpAbove: amt(10)}}}, clock, nil)
	d := e.Decide(payReq("w", 1, 1, 11))
	if d.Outcome != Decline || !d.Reasons.Has(ReasonNoDevice) || d.Challenge != nil {
		t.Fatalf("step-up without device: %s %v", d.Outcome, d.Reasons.Strings())
	}
	if err := e.RegisterDevice("nobody", common.Address{1}, true); err == nil {
		t.Fatal("registering a device for an unknown client succeeded")
	}
	if err := e.RegisterDevice("w", common.Address{}, true); err == nil {
		t.Fatal("registering the zero address succeeded")
	}
}

// TestStepUpDigestMatchesEIP712 checks our hand-rolled digest against go-ethereum's
// generic typed-data hashing, which wallets' eth_signTypedData_v4 agrees with.
func TestStepUpDigestMatchesEIP712(t *testing.T) {
	d := testDomain()
	c := Challenge{ID: [32]byte{9, 8, 7}, Channel: chanID(5), Amount: amt(123456789), PaymentID: [16]byte{0xab, 1}}
	c.Amount = c.Amount.Add(Amount{hi: 3})
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "version", Type: "string"}, {Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"}},
			"StepUp":       {{Name: "challenge", Type: "bytes32"}, {Name: "channelId", Type: "bytes32"}, {Name: "amount", Type: "uint256"}, {Name: "paymentId", Type: "bytes16"}},
		},
		PrimaryType: "StepUp",
		Domain: apitypes.TypedDataDomain{Name: "Sluice", Version: "1", ChainId: (*math.HexOrDecimal256)(d.ChainID),
			VerifyingContract: d.Contract.Hex()},
		Message: apitypes.TypedDataMessage{
			"challenge": hexutil.Encode(c.ID[:]), "channelId": hexutil.Encode(c.Channel[:]),
			"amount": c.Amount.String(), "paymentId": hexutil.Encode(c.PaymentID[:]),
		},
	}
	want, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEngine(t, Config{}, newFakeClock(), nil)
	if got := e.Digest(&c); !bytesEqual(got[:], want) {
		t.Fatalf("StepUp digest %x, go-ethereum apitypes says %x", got, want)
	}
}

func bytesEqual(a, b []byte) bool { return string(a) == string(b) }

func TestDeviceReplacementNeedsTheRightToReplace(t *testing.T) {
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{"w": {}}}, newFakeClock(), nil)
	first, second := common.Address{1}, common.Address{2}
	if err := e.RegisterDevice("w", first, false); err != nil {
		t.Fatal(err)
	}
	if err := e.RegisterDevice("w", first, false); err != nil {
		t.Fatalf("re-registering the same device: %v", err)
	}
	if err := e.RegisterDevice("w", second, false); !errors.Is(err, ErrDeviceBound) {
		t.Fatalf("replacing without the right: %v", err)
	}
	if err := e.RegisterDevice("w", second, true); err != nil {
		t.Fatalf("operator replacing: %v", err)
	}
	if got := e.Clients()[0].Device; got != second {
		t.Fatalf("device %s, want %s", got, second)
	}
}

// Issue 22, finding 8: one client generating ~50,000 challenges evicted everyone's
// pending step-ups. The book is bounded per client now: a flood evicts only the flooder's.
func TestChallengeFloodByOneClientCannotEvictAnothersStepUp(t *testing.T) {
	e, _, sign := stepUpSetup(t)
	if _, err := e.SetClient(t.Context(), "thief", ClientConfig{Profile: ProfileService, StepUpAbove: amt(1)}); err != nil {
		t.Fatal(err)
	}
	if err := e.RegisterDevice("thief", newDeviceKey(t).Address(), false); err != nil {
		t.Fatal(err)
	}
	pending := challenged(t, e, bigPay())
	var first *Challenge
	for i := range 3 * maxChallengesPerClient {
		d := e.Decide(payReq("thief", 2, 2, 2))
		if d.Challenge == nil {
			t.Fatalf("flood request %d: %s %v, no challenge", i, d.Outcome, d.Reasons.Strings())
		}
		if first == nil {
			first = d.Challenge
		}
	}
	e.challenges.mu.Lock()
	open, thief := len(e.challenges.open), len(e.challenges.byClient["thief"])
	e.challenges.mu.Unlock()
	if thief != maxChallengesPerClient || open != maxChallengesPerClient+1 {
		t.Fatalf("after the flood: %d open, %d of the thief's; want %d and %d", open, thief, maxChallengesPerClient+1, maxChallengesPerClient)
	}
	req := bigPay()
	p := sign(pending)
	req.StepUp = &p
	if d := e.Decide(req); d.Outcome != Approve || !d.Reasons.Has(ReasonStepUpVerified) {
		t.Fatalf("the honest client's step-up after another's flood: %s %v", d.Outcome, d.Reasons.Strings())
	}
	if e.challenges.take(first.ID) != nil {
		t.Fatal("the flooder's oldest challenge was kept beyond its bound")
	}
}

func TestEnrollmentCodeIsOneTimeExpiresAndSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	cfg := Config{Clients: map[string]ClientConfig{"w": {}}}
	st := openStore(t, dir)
	e := newTestEngine(t, cfg, clock, st)
	ctx := t.Context()
	dev := newDeviceKey(t).Address()
	if err := e.EnrollDevice(ctx, "w", dev, ""); !errors.Is(err, ErrNoEnrollmentCode) {
		t.Fatalf("no code: %v", err)
	}
	code, _, err := e.IssueEnrollmentCode(ctx, "w", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.IssueEnrollmentCode(ctx, AdminClient, time.Minute); err == nil {
		t.Fatal("an enrollment code for the admin")
	}
	st.Close()
	st = openStore(t, dir)
	defer st.Close()
	e = newTestEngine(t, cfg, clock, st)
	clock.Advance(2 * time.Minute)
	if err := e.EnrollDevice(ctx, "w", dev, code); !errors.Is(err, ErrBadEnrollmentCode) {
		t.Fatalf("expired code after a restart: %v", err)
	}
	code, _, _ = e.IssueEnrollmentCode(ctx, "w", time.Minute)
	if err := e.EnrollDevice(ctx, "w", dev, code); err != nil {
		t.Fatalf("valid code: %v", err)
	}
	if err := e.RevokeDevice(ctx, "w"); err != nil {
		t.Fatal(err)
	}
	if err := e.EnrollDevice(ctx, "w", dev, code); !errors.Is(err, ErrBadEnrollmentCode) {
		t.Fatalf("a used code enrolled again after a revocation: %v", err)
	}
	var actions []string
	for _, ev := range e.Events(EventFilter{Client: "w"}) {
		actions = append(actions, ev.Outcome)
	}
	if strings.Join(actions, ",") != ActionDeviceRevoked+","+ActionDeviceEnrolled {
		t.Fatalf("audit trail of the device: %v", actions)
	}
}
