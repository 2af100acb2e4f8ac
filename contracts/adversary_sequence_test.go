package contracts_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/contracts/devchain"
)

// advProof is a signed balance proof and who signed it (true: the honest party).
type advProof struct {
	proof
	byH bool
}

// advWithdrawal is a Withdrawal co-signed by both parties, as the attacker may hold it.
type advWithdrawal struct {
	side   int // 0 = H, 1 = M
	total  *big.Int
	expiry uint64
	sigA   []byte
	sigB   []byte
}

// advEndorsed is a proof of M's payments with H's ProofEndorsement, as H hands it to a
// watchtower (and as the attacker may see it).
type advEndorsed struct {
	p   proof
	sig []byte
}

// advSequence is one channel's life between an honest party H and an attacker M, with a
// third party T, played against the real contract.
type advSequence struct {
	c       *advChain
	r       *rand.Rand
	tally   map[string]int
	token   common.Address // address(0) = ETH
	hIsA    bool
	H, M, T devchain.Account
	// hWallet, if set, is a RejectingReceiver owned by H's key that is H on chain: it
	// refuses ETH (payouts to it become credits to claim) and cannot sign, so H only receives.
	hWallet common.Address

	id        [32]byte
	challenge uint64
	v         *honestView
	status    uint8 // 1 open, 2 closing, 3 settled: as the successful transactions showed
	deadline  uint64
	coop      bool // settled by closeCooperative
	settled   int  // ChannelSettled events seen for id
	defended  bool // H's best proof is on chain (H sent it or a tower did with H's endorsement)

	// The attacker's pocket: everything it signed, received or saw.
	hSigned     []proof
	mSigned     []proof
	endorsed    []advEndorsed
	withdrawals []advWithdrawal
	settlement  *[2][]byte // co-signed Settlement (sigA, sigB) on H's balances, if any
	settleBal   [2]*big.Int
	// totalTouched: a participant changed the channel's total after the Settlement was signed.
	totalTouched bool

	depositedBy map[common.Address]*big.Int
	withdrawnTo [2]*big.Int // executed withdrawal amounts per side
	log         []string
	violations  []string
}

func newAdvSequence(c *advChain, r *rand.Rand, tally map[string]int, token common.Address, hIsA bool, h, m, t devchain.Account) *advSequence {
	return &advSequence{
		c: c, r: r, tally: tally, token: token, hIsA: hIsA, H: h, M: m, T: t,
		v: newHonestView(), depositedBy: map[common.Address]*big.Int{},
		withdrawnTo: [2]*big.Int{new(big.Int), new(big.Int)},
	}
}

func (s *advSequence) logf(format string, args ...any) {
	s.log = append(s.log, fmt.Sprintf(format, args...))
}

func (s *advSequence) violate(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.violations = append(s.violations, msg)
	s.logf("VIOLATION: %s", msg)
}

func (s *advSequence) name(a devchain.Account) string {
	switch a.Address {
	case s.H.Address:
		return "H"
	case s.M.Address:
		return "M"
	case s.T.Address:
		return "T"
	}
	return a.Address.Hex()
}

// addr is the address of side (0 = H, 1 = M); ab orders a pair of H/M values as (a, b).
func (s *advSequence) addr(side int) common.Address {
	if side == 0 && s.hWallet != (common.Address{}) {
		return s.hWallet
	}
	return [2]common.Address{s.H.Address, s.M.Address}[side]
}

// hSigns reports whether H can sign (it is not a contract).
func (s *advSequence) hSigns() bool { return s.hWallet == (common.Address{}) }

func (s *advSequence) ab(h, m []byte) ([]byte, []byte) {
	if s.hIsA {
		return h, m
	}
	return m, h
}

func (s *advSequence) abBig(h, m *big.Int) (*big.Int, *big.Int) {
	if s.hIsA {
		return h, m
	}
	return m, h
}

// do sends one action's transaction, records it and counts it in the tally.
func (s *advSequence) do(action string, from devchain.Account, value *big.Int, data []byte) (*types.Receipt, bool) {
	to := s.c.e.channels
	if from.Address == s.H.Address && !s.hSigns() {
		to, data = s.hWallet, rejecting.PackForward(data)
	}
	rec, ok := s.c.send(from, to, value, data)
	outcome := "reverted"
	if ok {
		outcome = "ok"
		if ev := maybeEvent(rec, s.c.e.sc.UnpackChannelSettledEvent); ev != nil && ev.Id == s.id {
			s.settled++
		}
	}
	s.tally[action+" "+outcome]++
	s.logf("%s by %s -> %s", action, s.name(from), outcome)
	return rec, ok
}

func (s *advSequence) ethValue(amount *big.Int) *big.Int {
	if s.token == (common.Address{}) {
		return amount
	}
	return nil
}

func (s *advSequence) now() uint64 { return s.c.e.now() }

// milli returns n milli-ether.
func milli(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e15)) }

// upTo returns a random amount in (0, max], in whole milli-ether when max allows, or nil.
func (s *advSequence) upTo(max *big.Int) *big.Int {
	if max.Sign() <= 0 {
		return nil
	}
	m := new(big.Int).Div(max, milli(1))
	if m.Sign() == 0 {
		return new(big.Int).Set(max)
	}
	n := int64(10_000)
	if m.IsInt64() && m.Int64() < n {
		n = m.Int64()
	}
	return milli(s.r.Int64N(n) + 1)
}

// open has the opener (H if H is a, else M) open the channel with a random deposit.
func (s *advSequence) open() bool {
	opener, partner := s.H, s.addr(1)
	if !s.hIsA {
		opener, partner = s.M, s.addr(0)
	}
	s.challenge = uint64(120 + s.r.IntN(480))
	amount := milli(s.r.Int64N(10_000))
	if s.r.IntN(6) == 0 {
		amount = new(big.Int)
	}
	rec, ok := s.do("open", opener, s.ethValue(amount), s.c.e.sc.PackOpen(partner, s.token, amount, s.challenge))
	if !ok {
		s.violate("open of %s by a funded participant reverted", amount)
		return false
	}
	s.id = findEvent(s.c.e.t, rec, s.c.e.sc.UnpackChannelOpenedEvent).Id
	s.status = 1
	s.credit(opener, map[bool]int{true: 0, false: 1}[opener.Address == s.H.Address], amount)
	s.logf("channel %x: H is %s, token %s, challenge %ds", s.id[:6], map[bool]string{true: "a", false: "b"}[s.hIsA], s.tokenName(), s.challenge)
	return true
}

func (s *advSequence) tokenName() string {
	if s.token == (common.Address{}) {
		return "ETH"
	}
	return "ERC-20"
}

// credit books a deposit that reached the chain: side's deposit grows, payer paid it.
func (s *advSequence) credit(payer devchain.Account, side int, amount *big.Int) {
	s.v.deposit[side].Add(s.v.deposit[side], amount)
	d := s.depositedBy[payer.Address]
	if d == nil {
		d = new(big.Int)
		s.depositedBy[payer.Address] = d
	}
	d.Add(d, amount)
}

// play runs the whole sequence: off-chain and on-chain moves while open, a close, the
// challenge period, settlement and claims.
func (s *advSequence) play() {
	if !s.open() {
		return
	}
	for range s.r.IntN(16) {
		s.openStep()
		if s.status == 3 {
			break
		}
	}
	if s.status == 1 {
		s.close()
	}
	if s.status == 2 {
		s.challengePeriod()
		s.afterDeadline()
	}
	s.lateMoves()
	s.claims()
}

// openStep is one random move while the channel is open.
func (s *advSequence) openStep() {
	switch n := s.r.IntN(100); {
	case n < 18:
		s.hPays()
	case n < 34:
		s.mPaysHonestly()
	case n < 44:
		s.mSignsJunk(true)
	case n < 50:
		s.mSignsJunk(false)
	case n < 60:
		s.deposit()
	case n < 68:
		s.requestWithdrawal()
	case n < 76:
		s.submitWithdrawal()
	case n < 82:
		s.cooperativeClose()
	case n < 86:
		s.submitSettlement()
	case n < 92:
		s.attackWhileOpen()
	default:
		s.c.e.advance(time.Duration(1+s.r.IntN(120)) * time.Second)
		s.logf("time +")
	}
}

// close starts the challenge period: H with its best received proof, or M with any proof
// H signed (or none), after a few attempts that must fail.
func (s *advSequence) close() {
	e := s.c.e
	if s.r.IntN(4) == 0 {
		s.bogusClose()
	}
	var rec *types.Receipt
	ok := false
	if s.r.IntN(2) == 0 {
		p := s.v.received
		rec, ok = s.do("close(H, best proof)", s.H, nil, e.sc.PackClose(s.id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig))
		if ok && p.nonce > 0 {
			s.defended = true
		}
	} else {
		p := proof{transferred: new(big.Int)}
		if len(s.hSigned) > 0 && s.r.IntN(4) != 0 {
			p = s.hSigned[s.r.IntN(len(s.hSigned))]
		}
		rec, ok = s.do("close(M, any proof of H)", s.M, nil, e.sc.PackClose(s.id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig))
	}
	if !ok {
		s.violate("a participant's close with a proof its partner signed reverted")
		return
	}
	s.status = 2
	s.deadline = findEvent(e.t, rec, e.sc.UnpackChannelClosedEvent).SettleAfter
}
