package risk

import (
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
)

// StepUpType is the EIP-712 struct a client's device signs to confirm one payment. It
// lives in the Sluice domain, so ordinary wallets can sign it with eth_signTypedData_v4.
const StepUpType = "StepUp(bytes32 challenge,bytes32 channelId,uint256 amount,bytes16 paymentId)"

var stepUpTypeHash = crypto.Keccak256Hash([]byte(StepUpType))

// Challenge is a one-time step-up challenge bound to one payment.
type Challenge struct {
	ID        [32]byte
	Client    string
	Channel   channel.ID
	Amount    Amount
	PaymentID [16]byte
	Expires   time.Time
}

// StepUpProof answers a Challenge: the device key's EIP-712 signature of StepUp.
type StepUpProof struct {
	Challenge [32]byte
	Signature channel.Signature
}

// StepUpDigest is the EIP-712 digest of StepUp under the domain separator sep.
func StepUpDigest(sep common.Hash, challenge [32]byte, ch channel.ID, amount Amount, paymentID [16]byte) common.Hash {
	var enc [5 * 32]byte
	copy(enc[0:], stepUpTypeHash[:])
	copy(enc[32:], challenge[:])
	copy(enc[64:], ch[:])
	var amt [16]byte
	copy(enc[96+16:128], amount.appendBinary(amt[:0])) // uint256: high 16 bytes stay zero
	copy(enc[128:], paymentID[:])                      // bytesN is left-aligned, zero-padded
	structHash := crypto.Keccak256Hash(enc[:])
	var msg [2 + 32 + 32]byte
	msg[0], msg[1] = 0x19, 0x01
	copy(msg[2:], sep[:])
	copy(msg[34:], structHash[:])
	return crypto.Keccak256Hash(msg[:])
}

// Digest is the digest a device signs for c in the engine's domain.
func (e *Engine) Digest(c *Challenge) common.Hash {
	return StepUpDigest(e.sep, c.ID, c.Channel, c.Amount, c.PaymentID)
}

// maxChallengesPerClient bounds each client's outstanding challenges, so a client cannot
// grow memory by asking for step-ups it never answers, and, being per client, cannot evict
// another client's pending step-up either (issue 22, finding 8). A client at the bound
// loses its own oldest challenge. Clients are configured, so the total is bounded too.
const maxChallengesPerClient = 256

type challengeBook struct {
	mu       sync.Mutex
	open     map[[32]byte]*Challenge
	byClient map[string][]*Challenge // outstanding, oldest first
}

func (b *challengeBook) init() {
	b.open = make(map[[32]byte]*Challenge)
	b.byClient = make(map[string][]*Challenge)
}

func (b *challengeBook) issue(client string, req Request, amount Amount, now, expires time.Time) *Challenge {
	c := &Challenge{Client: client, Channel: req.Channel, Amount: amount, PaymentID: req.PaymentID, Expires: expires}
	// crypto/rand.Read never fails on supported platforms (Go 1.24+ crashes instead).
	_, _ = rand.Read(c.ID[:])
	b.mu.Lock()
	defer b.mu.Unlock()
	mine := b.byClient[client]
	if len(mine) >= maxChallengesPerClient {
		kept := mine[:0]
		for _, o := range mine {
			if now.After(o.Expires) {
				delete(b.open, o.ID)
			} else {
				kept = append(kept, o)
			}
		}
		mine = kept
		for len(mine) >= maxChallengesPerClient {
			delete(b.open, mine[0].ID)
			mine = mine[1:]
		}
	}
	b.open[c.ID] = c
	b.byClient[client] = append(mine, c)
	return c
}

// take removes and returns a challenge: every answer, right or wrong, uses it up, so a
// challenge can never be replayed.
func (b *challengeBook) take(id [32]byte) *Challenge {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.open[id]
	if c == nil {
		return nil
	}
	delete(b.open, id)
	mine := b.byClient[c.Client]
	for i, o := range mine {
		if o == c {
			b.byClient[c.Client] = append(mine[:i], mine[i+1:]...)
			break
		}
	}
	if len(b.byClient[c.Client]) == 0 {
		delete(b.byClient, c.Client)
	}
	return c
}

// verifyStepUp checks req.StepUp against its challenge and the client's device; the
// caller holds cs.mu.
func (e *Engine) verifyStepUp(cs *clientState, req Request, amount Amount, now time.Time) (Reason, bool) {
	c := e.challenges.take(req.StepUp.Challenge)
	switch {
	case c == nil:
		return ReasonStepUpInvalid, false
	case now.After(c.Expires):
		return ReasonStepUpExpired, false
	case c.Client != cs.name || c.Channel != req.Channel || c.Amount != amount || c.PaymentID != req.PaymentID:
		return ReasonStepUpInvalid, false
	case !cs.hasDevice:
		return ReasonNoDevice, false
	}
	signer, err := channel.Recover(e.Digest(c), req.StepUp.Signature)
	if err != nil || signer != cs.device {
		return ReasonStepUpBadSignature, false
	}
	return 0, true
}

// ErrDeviceBound refuses to replace a client's device without the right to replace it.
var ErrDeviceBound = errors.New("a device is already registered")

// RegisterDevice binds client's step-up device key: the operator's call, the only one that
// may replace a bound device (with replace). A client binds its own first device with
// EnrollDevice and a one-time code. It is durable when it returns.
func (e *Engine) RegisterDevice(client string, device common.Address, replace bool) error {
	if device == (common.Address{}) {
		return fmt.Errorf("register device for %s: the zero address cannot sign", client)
	}
	cs := e.client(client)
	if cs == nil {
		return fmt.Errorf("register device for %s: %w", client, ErrUnknownClient)
	}
	// The client lock is held across the write so two first registrations cannot both win.
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.hasDevice && !replace && cs.device != device {
		return fmt.Errorf("register device for %s: %w (%s)", client, ErrDeviceBound, cs.device)
	}
	if cs.hasDevice && cs.device == device {
		return nil
	}
	if err := e.persistDevice(client, device); err != nil {
		return fmt.Errorf("register device for %s: %w", client, err)
	}
	action := ActionDeviceEnrolled
	if cs.hasDevice {
		action = ActionDeviceReplaced
	}
	cs.device, cs.hasDevice = device, true
	e.audit.action(client, action, device, e.now())
	e.log.Info("risk: device registered by the operator", "client", client, "device", device, "action", action)
	return nil
}
