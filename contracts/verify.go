package contracts

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/sluicepay/sluice/channel"
)

// ErrNotSluiceChannels means the configured address does not hold a SluiceChannels
// contract of the version this build speaks: no code at all, another contract, or an
// older SluiceChannels whose typed data differs.
var ErrNotSluiceChannels = errors.New("not a SluiceChannels contract of this version")

// VerifyContract checks, before a node or tool relies on it, that the configured address
// holds code, that its EIP-712 domain is this chain's and this address's, and that it hashes
// a balance proof and a proof endorsement exactly as package channel does (so signatures
// made off chain will verify on chain). Three reads; run it once at start.
func (c *Client) VerifyContract(ctx context.Context) error {
	code, err := c.backend.CodeAt(ctx, c.contract, nil)
	if err != nil {
		return fmt.Errorf("check contract %s: read code: %w", c.contract, err)
	}
	if len(code) == 0 {
		return fmt.Errorf("no contract at %s on chain %s: %w (deploy one with 'sluice deploy', or check --contract and --rpc)", c.contract, c.chainID, ErrNotSluiceChannels)
	}
	d := c.Domain()
	wantSep, err := d.Separator()
	if err != nil {
		return fmt.Errorf("check contract %s: %w", c.contract, err)
	}
	sep, err := c.DomainSeparator(ctx)
	if err != nil {
		return fmt.Errorf("contract at %s on chain %s does not answer domainSeparator(): %w (%w)", c.contract, c.chainID, ErrNotSluiceChannels, err)
	}
	if sep != wantSep {
		return fmt.Errorf("contract at %s on chain %s: domain separator %s, want %s: %w", c.contract, c.chainID, sep, wantSep, ErrNotSluiceChannels)
	}
	probe := channel.BalanceProof{Channel: channel.ID{0x51, 0x75}, Nonce: 7, Transferred: big.NewInt(1234567)}
	for _, h := range []struct {
		what     string
		onChain  func() ([32]byte, error)
		offChain func() ([32]byte, error)
	}{
		{"hashBalanceProof", func() ([32]byte, error) { return c.HashBalanceProof(ctx, probe) }, func() ([32]byte, error) { return d.BalanceProofDigest(probe) }},
		{"hashEndorsement", func() ([32]byte, error) { return c.HashEndorsement(ctx, probe) }, func() ([32]byte, error) { return d.EndorsementDigest(probe) }},
	} {
		on, err := h.onChain()
		if err != nil {
			return fmt.Errorf("contract at %s on chain %s does not answer %s(): %w (%w)", c.contract, c.chainID, h.what, ErrNotSluiceChannels, err)
		}
		off, err := h.offChain()
		if err != nil {
			return fmt.Errorf("check contract %s: %w", c.contract, err)
		}
		if on != off {
			return fmt.Errorf("contract at %s on chain %s: %s differs from this build's: %w", c.contract, c.chainID, h.what, ErrNotSluiceChannels)
		}
	}
	return nil
}
