package contracts_test

import (
	"crypto/ecdsa"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// The EIP-712 digests here come from go-ethereum's apitypes, an implementation independent
// of the contract; TestHashViewsEqualTypedDataDigests pins the two together.

var typedDataTypes = apitypes.Types{
	"EIP712Domain": {
		{Name: "name", Type: "string"},
		{Name: "version", Type: "string"},
		{Name: "chainId", Type: "uint256"},
		{Name: "verifyingContract", Type: "address"},
	},
	"BalanceProof": {
		{Name: "channelId", Type: "bytes32"},
		{Name: "nonce", Type: "uint64"},
		{Name: "transferred", Type: "uint256"},
		{Name: "locked", Type: "uint256"},
		{Name: "locksRoot", Type: "bytes32"},
	},
	"ProofEndorsement": {
		{Name: "proof", Type: "BalanceProof"},
	},
	"Settlement": {
		{Name: "channelId", Type: "bytes32"},
		{Name: "balanceA", Type: "uint256"},
		{Name: "balanceB", Type: "uint256"},
	},
	"Withdrawal": {
		{Name: "channelId", Type: "bytes32"},
		{Name: "participant", Type: "address"},
		{Name: "totalWithdrawn", Type: "uint256"},
		{Name: "expiry", Type: "uint64"},
	},
}

func (e *evm) typedDigest(primary string, msg apitypes.TypedDataMessage) []byte {
	e.t.Helper()
	digest, _, err := apitypes.TypedDataAndHash(apitypes.TypedData{
		Types:       typedDataTypes,
		PrimaryType: primary,
		Domain: apitypes.TypedDataDomain{
			Name:              "Sluice",
			Version:           "1",
			ChainId:           (*math.HexOrDecimal256)(e.chainID),
			VerifyingContract: e.channels.Hex(),
		},
		Message: msg,
	})
	if err != nil {
		e.t.Fatalf("EIP-712 %s digest: %v", primary, err)
	}
	return digest
}

func (e *evm) proofDigest(id [32]byte, nonce uint64, transferred *big.Int) []byte {
	return e.typedDigest("BalanceProof", apitypes.TypedDataMessage{
		"channelId": id[:], "nonce": new(big.Int).SetUint64(nonce), "transferred": transferred,
		"locked": new(big.Int), "locksRoot": make([]byte, 32),
	})
}

// endorsementDigest is the receiver's consent to updateProofFor of one proof (a nested struct).
func (e *evm) endorsementDigest(id [32]byte, nonce uint64, transferred *big.Int) []byte {
	return e.typedDigest("ProofEndorsement", apitypes.TypedDataMessage{
		"proof": map[string]any{"channelId": id[:], "nonce": new(big.Int).SetUint64(nonce), "transferred": transferred,
			"locked": new(big.Int), "locksRoot": make([]byte, 32)},
	})
}

func (e *evm) settlementDigest(id [32]byte, balanceA, balanceB *big.Int) []byte {
	return e.typedDigest("Settlement", apitypes.TypedDataMessage{
		"channelId": id[:], "balanceA": balanceA, "balanceB": balanceB,
	})
}

func (e *evm) withdrawalDigest(id [32]byte, participant common.Address, total *big.Int, expiry uint64) []byte {
	return e.typedDigest("Withdrawal", apitypes.TypedDataMessage{
		"channelId": id[:], "participant": participant.Hex(), "totalWithdrawn": total,
		"expiry": new(big.Int).SetUint64(expiry),
	})
}

// sign returns the 65-byte r || s || v signature (v in {27, 28}) wallets produce.
func sign(t *testing.T, key *ecdsa.PrivateKey, digest []byte) []byte {
	t.Helper()
	sig, err := crypto.Sign(digest, key)
	if err != nil {
		t.Fatalf("sign digest: %v", err)
	}
	sig[64] += 27
	return sig
}

// secp256k1N is the curve order; n - s with the flipped v is the malleable twin of a
// signature, valid for ecrecover but not canonical.
var secp256k1N = crypto.S256().Params().N

func highS(sig []byte) []byte {
	out := append([]byte(nil), sig...)
	s := new(big.Int).SetBytes(out[32:64])
	copy(out[32:64], common.LeftPadBytes(new(big.Int).Sub(secp256k1N, s).Bytes(), 32))
	out[64] = 55 - out[64] // 27 <-> 28
	return out
}

// proof is a signed balance proof as the off-chain protocol exchanges it.
type proof struct {
	nonce       uint64
	transferred *big.Int
	sig         []byte
}

func (e *evm) signProof(key *ecdsa.PrivateKey, id [32]byte, nonce uint64, transferred *big.Int) proof {
	return proof{nonce: nonce, transferred: transferred, sig: sign(e.t, key, e.proofDigest(id, nonce, transferred))}
}

func (e *evm) endorse(key *ecdsa.PrivateKey, id [32]byte, p proof) []byte {
	return sign(e.t, key, e.endorsementDigest(id, p.nonce, p.transferred))
}

func (e *evm) signSettlement(id [32]byte, balanceA, balanceB *big.Int, a, b *ecdsa.PrivateKey) (sigA, sigB []byte) {
	d := e.settlementDigest(id, balanceA, balanceB)
	return sign(e.t, a, d), sign(e.t, b, d)
}

func (e *evm) signWithdrawal(id [32]byte, participant common.Address, total *big.Int, expiry uint64, a, b *ecdsa.PrivateKey) (sigA, sigB []byte) {
	d := e.withdrawalDigest(id, participant, total, expiry)
	return sign(e.t, a, d), sign(e.t, b, d)
}

// openETH opens a channel from a to b with depositA wei and returns its id.
func (e *evm) openETH(a devchain.Account, b common.Address, depositA *big.Int, challenge uint64) [32]byte {
	e.t.Helper()
	rec := e.mustSend(a, e.channels, depositA, e.sc.PackOpen(b, common.Address{}, depositA, challenge))
	return e.openedID(rec)
}

// openToken approves and opens a token channel from a to b.
func (e *evm) openToken(a devchain.Account, b, token common.Address, depositA *big.Int, challenge uint64) [32]byte {
	e.t.Helper()
	e.approve(a, token, depositA)
	rec := e.mustSend(a, e.channels, nil, e.sc.PackOpen(b, token, depositA, challenge))
	return e.openedID(rec)
}

func (e *evm) openedID(rec *types.Receipt) [32]byte {
	e.t.Helper()
	ev := findEvent(e.t, rec, e.sc.UnpackChannelOpenedEvent)
	return ev.Id
}

// findEvent returns the first log of the receipt that unpacks as the wanted event.
func findEvent[T any](t *testing.T, rec *types.Receipt, unpack func(*types.Log) (*T, error)) *T {
	t.Helper()
	if ev := maybeEvent(rec, unpack); ev != nil {
		return ev
	}
	var zero T
	t.Fatalf("receipt %s has no %T event", rec.TxHash, zero)
	return nil
}

func maybeEvent[T any](rec *types.Receipt, unpack func(*types.Log) (*T, error)) *T {
	for _, l := range rec.Logs {
		if ev, err := unpack(l); err == nil {
			return ev
		}
	}
	return nil
}

var (
	testToken = testbindings.NewTestToken()
	noBool    = testbindings.NewNoBoolToken()
)

// deployToken deploys a mintable ERC-20 and mints amount to each holder.
func (e *evm) deployToken(holders []devchain.Account, amount *big.Int) common.Address {
	e.t.Helper()
	ctor := testToken.PackConstructor("Test", "TST")
	token := e.deploy(e.accounts[0], &testbindings.TestTokenMetaData, ctor)
	e.mint(token, holders, amount)
	return token
}

func (e *evm) deployNoBoolToken(holders []devchain.Account, amount *big.Int) common.Address {
	e.t.Helper()
	token := e.deploy(e.accounts[0], &testbindings.NoBoolTokenMetaData, nil)
	e.mint(token, holders, amount)
	return token
}

func (e *evm) deployFeeToken(holders []devchain.Account, amount *big.Int) common.Address {
	e.t.Helper()
	token := e.deploy(e.accounts[0], &testbindings.FeeTokenMetaData, nil)
	e.mint(token, holders, amount)
	return token
}

// mint and approve use TestToken's selectors; every test token shares them.
func (e *evm) mint(token common.Address, holders []devchain.Account, amount *big.Int) {
	e.t.Helper()
	for _, h := range holders {
		e.mustSend(e.accounts[0], token, nil, testToken.PackMint(h.Address, amount))
	}
}

func (e *evm) approve(owner devchain.Account, token common.Address, amount *big.Int) {
	e.t.Helper()
	e.mustSend(owner, token, nil, testToken.PackApprove(e.channels, amount))
}

func (e *evm) tokenBalance(token, holder common.Address) *big.Int {
	e.t.Helper()
	b, err := testToken.UnpackBalanceOf(e.call(token, testToken.PackBalanceOf(holder)))
	if err != nil {
		e.t.Fatalf("token balance: %v", err)
	}
	return b
}

// errID returns a SluiceChannels custom error id by name, failing on a typo.
func errID(t *testing.T, name string) common.Hash {
	t.Helper()
	e, ok := sluiceABI.Errors[name]
	if !ok {
		t.Fatalf("SluiceChannels has no error %s", name)
	}
	return e.ID
}
