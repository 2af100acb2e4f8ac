package main

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/contracts/bindings"
	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
)

// Report is the gas used by each SluiceChannels operation, as printed by --json.
type Report struct {
	OpenETH          uint64 `json:"open_eth"`
	OpenERC20        uint64 `json:"open_erc20"`
	Deposit          uint64 `json:"deposit"`
	Withdraw         uint64 `json:"withdraw"`
	CloseCooperative uint64 `json:"close_cooperative"`
	Close            uint64 `json:"close"`
	UpdateProof      uint64 `json:"update_proof"`
	UpdateProofFor   uint64 `json:"update_proof_for"`
	Settle           uint64 `json:"settle"`
	Claim            uint64 `json:"claim"`
	RegisterSecret   uint64 `json:"register_secret"`
	RegisterSecrets  uint64 `json:"register_secrets_4"` // registerSecrets of 4 new secrets
	Unlock1          uint64 `json:"unlock_1"`
	Unlock6          uint64 `json:"unlock_6"`
}

// SadPath is the gas of a unilateral exit: close, one challenge, settle.
func (r Report) SadPath() uint64 { return r.Close + r.UpdateProof + r.Settle }

var (
	sluice = bindings.NewSluiceChannels()
	token  = testbindings.NewTestToken()
	reject = testbindings.NewRejectingReceiver()
)

// measure deploys fresh contracts and runs every operation once in a realistic state.
// keys[0] deploys; keys[1] and keys[2] are the participants. Set-up transactions (deploys,
// mints, approvals, a first token deposit that creates the escrow's token balance) are
// not measured, so each figure is what a user pays in steady state.
func measure(ctx context.Context, c *chain, keys []*ecdsa.PrivateKey) (Report, error) {
	var r Report
	if len(keys) < 3 {
		return r, fmt.Errorf("need 3 funded keys, have %d", len(keys))
	}
	deployer, a, b := keys[0], keys[1], keys[2]
	addrA, addrB := crypto.PubkeyToAddress(a.PublicKey), crypto.PubkeyToAddress(b.PublicKey)
	eth := func(milli int64) *big.Int { return new(big.Int).Mul(big.NewInt(milli), big.NewInt(1e15)) }

	deploy := func(step string, code []byte) (common.Address, error) {
		rec, err := c.send(ctx, step, deployer, nil, nil, code)
		if err != nil {
			return common.Address{}, err
		}
		return rec.ContractAddress, nil
	}
	channels, err := deploy("deploy SluiceChannels", common.FromHex(bindings.SluiceChannelsMetaData.Bin))
	if err != nil {
		return r, err
	}
	tok, err := deploy("deploy TestToken", append(common.FromHex(testbindings.TestTokenMetaData.Bin), token.PackConstructor("Gas", "GAS")...))
	if err != nil {
		return r, err
	}
	call := func(step string, key *ecdsa.PrivateKey, to common.Address, value *big.Int, data []byte) (*types.Receipt, error) {
		return c.send(ctx, step, key, &to, value, data)
	}
	gasOf := func(dst *uint64, step string, key *ecdsa.PrivateKey, to common.Address, value *big.Int, data []byte) (*types.Receipt, error) {
		rec, err := call(step, key, to, value, data)
		if err == nil {
			*dst = rec.GasUsed
		}
		return rec, err
	}
	openedID := func(rec *types.Receipt) ([32]byte, error) {
		for _, l := range rec.Logs {
			if ev, err := sluice.UnpackChannelOpenedEvent(l); err == nil {
				return ev.Id, nil
			}
		}
		return [32]byte{}, fmt.Errorf("no ChannelOpened in %s", rec.TxHash)
	}
	dom := domain{chainID: c.chainID, contract: channels}

	// Token set-up, plus one unmeasured token channel so the escrow's token balance exists.
	for _, step := range []struct {
		name string
		key  *ecdsa.PrivateKey
		data []byte
	}{
		{"mint", deployer, token.PackMint(addrA, eth(1_000_000))},
		{"approve", a, token.PackApprove(channels, eth(1_000_000))},
		{"first token channel", a, sluice.PackOpen(addrB, tok, eth(1), 3600)},
	} {
		to := tok
		if step.name == "first token channel" {
			to = channels
		}
		if _, err := call(step.name, step.key, to, nil, step.data); err != nil {
			return r, err
		}
	}

	rec, err := gasOf(&r.OpenETH, "open ETH", a, channels, eth(1000), sluice.PackOpen(addrB, common.Address{}, eth(1000), 3600))
	if err != nil {
		return r, err
	}
	id, err := openedID(rec)
	if err != nil {
		return r, err
	}
	if _, err := gasOf(&r.OpenERC20, "open ERC-20", a, channels, nil, sluice.PackOpen(addrB, tok, eth(1000), 3600)); err != nil {
		return r, err
	}
	if _, err := gasOf(&r.Deposit, "deposit", b, channels, eth(500), sluice.PackDeposit(id, addrB, eth(500))); err != nil {
		return r, err
	}

	head, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return r, fmt.Errorf("head: %w", err)
	}
	expiry := head.Time + 3600
	wdA, wdB, err := signBoth(dom.withdrawal(id, addrA, eth(100), expiry), a, b)
	if err != nil {
		return r, err
	}
	if _, err := gasOf(&r.Withdraw, "withdraw", a, channels, nil, sluice.PackWithdraw(id, addrA, eth(100), expiry, wdA, wdB)); err != nil {
		return r, err
	}

	// Cooperative close of a second funded channel.
	rec, err = call("open for cooperative close", a, channels, eth(1000), sluice.PackOpen(addrB, common.Address{}, eth(1000), 3600))
	if err != nil {
		return r, err
	}
	coop, err := openedID(rec)
	if err != nil {
		return r, err
	}
	if _, err := call("deposit for cooperative close", b, channels, eth(500), sluice.PackDeposit(coop, addrB, eth(500))); err != nil {
		return r, err
	}
	stA, stB, err := signBoth(dom.settlement(coop, eth(900), eth(600)), a, b)
	if err != nil {
		return r, err
	}
	if _, err := gasOf(&r.CloseCooperative, "close cooperative", b, channels, nil, sluice.PackCloseCooperative(coop, eth(900), eth(600), stA, stB)); err != nil {
		return r, err
	}

	// A watchtower's defense: on a third channel that a closed, a relayer (the deployer)
	// submits a's proof with b's endorsement. Same storage writes as b's own updateProof.
	rec, err = call("open for watchtower", a, channels, eth(1000), sluice.PackOpen(addrB, common.Address{}, eth(1000), 3600))
	if err != nil {
		return r, err
	}
	towered, err := openedID(rec)
	if err != nil {
		return r, err
	}
	if _, err := call("close for watchtower", a, channels, nil, sluice.PackClose(towered, 0, new(big.Int), new(big.Int), [32]byte{}, nil)); err != nil {
		return r, err
	}
	toB, err := signDigest(a, dom.balanceProof(towered, 75, eth(350)))
	if err != nil {
		return r, err
	}
	endorsed, err := signDigest(b, dom.endorsement(towered, 75, eth(350)))
	if err != nil {
		return r, err
	}
	if _, err := gasOf(&r.UpdateProofFor, "update proof for receiver", deployer, channels, nil, sluice.PackUpdateProofFor(towered, 75, eth(350), new(big.Int), [32]byte{}, toB, endorsed)); err != nil {
		return r, err
	}

	// Unilateral exit of the first channel: a closes with b's proof, b answers with a's
	// newer proof, anyone settles after the challenge period.
	fromB, err := signDigest(b, dom.balanceProof(id, 40, eth(200)))
	if err != nil {
		return r, err
	}
	if _, err := gasOf(&r.Close, "close", a, channels, nil, sluice.PackClose(id, 40, eth(200), new(big.Int), [32]byte{}, fromB)); err != nil {
		return r, err
	}
	fromA, err := signDigest(a, dom.balanceProof(id, 75, eth(350)))
	if err != nil {
		return r, err
	}
	if _, err := gasOf(&r.UpdateProof, "update proof", b, channels, nil, sluice.PackUpdateProof(id, 75, eth(350), new(big.Int), [32]byte{}, fromA)); err != nil {
		return r, err
	}
	if err := c.advance(ctx, 3601); err != nil {
		return r, err
	}
	if _, err := gasOf(&r.Settle, "settle", b, channels, nil, sluice.PackSettle(id)); err != nil {
		return r, err
	}

	// claim needs a credited payout: a receiver contract that refuses ETH at settlement,
	// then accepts it. Its claim goes through the contract's forwarder, so the figure
	// includes that forwarding call.
	recv, err := deploy("deploy RejectingReceiver", append(common.FromHex(testbindings.RejectingReceiverMetaData.Bin), reject.PackConstructor(channels)...))
	if err != nil {
		return r, err
	}
	rec, err = call("receiver opens", deployer, recv, eth(100), reject.PackForward(sluice.PackOpen(addrB, common.Address{}, eth(100), 1)))
	if err != nil {
		return r, err
	}
	credited, err := openedID(rec)
	if err != nil {
		return r, err
	}
	if _, err := call("receiver closes", deployer, recv, nil, reject.PackForward(sluice.PackClose(credited, 0, new(big.Int), new(big.Int), [32]byte{}, nil))); err != nil {
		return r, err
	}
	if err := c.advance(ctx, 2); err != nil {
		return r, err
	}
	if _, err := call("settle with refused push", b, channels, nil, sluice.PackSettle(credited)); err != nil {
		return r, err
	}
	if _, err := call("receiver accepts ETH", deployer, recv, nil, reject.PackSetAccepting(true)); err != nil {
		return r, err
	}
	if _, err := gasOf(&r.Claim, "claim", deployer, recv, nil, reject.PackForward(sluice.PackClaim(common.Address{}))); err != nil {
		return r, err
	}
	if err := measureLocks(ctx, c, channels, dom, a, b, &r); err != nil {
		return r, err
	}
	return r, nil
}
