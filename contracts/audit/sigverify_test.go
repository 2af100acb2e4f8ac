package audit

import (
	"context"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings"
)

// sigFixture is a channel between two real keys under a fixed domain.
type sigFixture struct {
	domain   channel.Domain
	a, b     *channel.KeySigner
	ch       *rebuilt
	contract common.Address
	calls    *bindings.SluiceChannels
}

func newSigFixture(t *testing.T) *sigFixture {
	t.Helper()
	signer := func() *channel.KeySigner {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		s, err := channel.NewKeySigner(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	f := &sigFixture{a: signer(), b: signer(), contract: common.HexToAddress("0xc0ffee"), calls: bindings.NewSluiceChannels()}
	f.domain = channel.Domain{ChainID: big.NewInt(31337), Contract: f.contract}
	f.ch = newRebuilt(chanID)
	f.ch.participants = [2]common.Address{f.a.Address(), f.b.Address()}
	return f
}

func (f *sigFixture) sign(t *testing.T, s *channel.KeySigner, digest common.Hash, err error) []byte {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := s.SignDigest(digest)
	if err != nil {
		t.Fatal(err)
	}
	return sig[:]
}

func (f *sigFixture) proofSig(t *testing.T, s *channel.KeySigner, nonce uint64, transferred int64) []byte {
	d, err := f.domain.BalanceProofDigest(channel.BalanceProof{Channel: chanID, Nonce: nonce, Transferred: big.NewInt(transferred)})
	return f.sign(t, s, d, err)
}

// highS turns a signature into its malleable twin (s -> n-s, v flipped), which recovers
// to the same key but which the contract and channel.Recover reject.
func highS(sig []byte) []byte {
	out := slices.Clone(sig)
	s := new(big.Int).SetBytes(out[32:64])
	new(big.Int).Sub(crypto.S256().Params().N, s).FillBytes(out[32:64])
	out[64] ^= 1
	return out
}

func TestSignatureVerificationAgainstCalldata(t *testing.T) {
	f := newSigFixture(t)
	closer := f.b.Address()
	closeJob := sigJob{kind: callClose, ch: f.ch, closer: closer, signer: f.a.Address(), nonce: 3, amount: big.NewInt(30)}
	updateJob := sigJob{kind: callUpdateProof, ch: f.ch, signer: f.b.Address(), receiver: f.a.Address(), nonce: 2, amount: big.NewInt(5)}
	endorseDigest, err := f.domain.EndorsementDigest(channel.BalanceProof{Channel: chanID, Nonce: 2, Transferred: big.NewInt(5)})
	if err != nil {
		t.Fatal(err)
	}
	setDigest, err := f.domain.SettlementDigest(channel.Settlement{Channel: chanID, BalanceA: big.NewInt(4), BalanceB: big.NewInt(6)})
	if err != nil {
		t.Fatal(err)
	}
	coopJob := sigJob{kind: callCloseCooperative, ch: f.ch, balA: big.NewInt(4), balB: big.NewInt(6)}
	wd := channel.Withdrawal{Channel: chanID, Participant: f.a.Address(), TotalWithdrawn: big.NewInt(2), Expiry: 99}
	wdDigest, err := f.domain.WithdrawalDigest(wd)
	if err != nil {
		t.Fatal(err)
	}
	wdJob := sigJob{kind: callWithdraw, ch: f.ch, participant: f.a.Address(), amount: big.NewInt(2)}
	stranger := common.HexToAddress("0x5742")

	tests := []struct {
		name     string
		job      sigJob
		to       common.Address
		from     common.Address
		input    []byte
		noTracer bool
		verified int
		fail     []Code
		warn     []Code
	}{
		{"close carrying the partner's proof", closeJob, f.contract, closer,
			f.calls.PackClose(chanID, 3, big.NewInt(30), new(big.Int), [32]byte{}, f.proofSig(t, f.a, 3, 30)), false, 1, nil, nil},
		{"close carrying a proof signed by the closer itself", closeJob, f.contract, closer,
			f.calls.PackClose(chanID, 3, big.NewInt(30), new(big.Int), [32]byte{}, f.proofSig(t, f.b, 3, 30)), false, 0, []Code{CodeBadSignature}, nil},
		{"close whose calldata carries another nonce than the event", closeJob, f.contract, closer,
			f.calls.PackClose(chanID, 4, big.NewInt(30), new(big.Int), [32]byte{}, f.proofSig(t, f.a, 4, 30)), false, 0, []Code{CodeCalldataMismatch}, nil},
		{"close sent by someone other than the event's closer", closeJob, f.contract, stranger,
			f.calls.PackClose(chanID, 3, big.NewInt(30), new(big.Int), [32]byte{}, f.proofSig(t, f.a, 3, 30)), false, 1, []Code{CodeCalldataMismatch}, nil},
		{"close with a malleable high-s signature", closeJob, f.contract, closer,
			f.calls.PackClose(chanID, 3, big.NewInt(30), new(big.Int), [32]byte{}, highS(f.proofSig(t, f.a, 3, 30))), false, 0, []Code{CodeBadSignature}, nil},
		{"close with a truncated signature", closeJob, f.contract, closer,
			f.calls.PackClose(chanID, 3, big.NewInt(30), new(big.Int), [32]byte{}, f.proofSig(t, f.a, 3, 30)[:64]), false, 0, []Code{CodeBadSignature}, nil},
		{"updateProof signed by the credited signer, sent by the receiver", updateJob, f.contract, f.a.Address(),
			f.calls.PackUpdateProof(chanID, 2, big.NewInt(5), new(big.Int), [32]byte{}, f.proofSig(t, f.b, 2, 5)), false, 1, nil, nil},
		{"updateProof sent by someone other than the receiver", updateJob, f.contract, stranger,
			f.calls.PackUpdateProof(chanID, 2, big.NewInt(5), new(big.Int), [32]byte{}, f.proofSig(t, f.b, 2, 5)), false, 1, []Code{CodeNoConsent}, nil},
		{"updateProof sent by the payer itself", updateJob, f.contract, f.b.Address(),
			f.calls.PackUpdateProof(chanID, 2, big.NewInt(5), new(big.Int), [32]byte{}, f.proofSig(t, f.b, 2, 5)), false, 1, []Code{CodeNoConsent}, nil},
		{"updateProofFor with the receiver's endorsement", updateJob, f.contract, stranger,
			f.calls.PackUpdateProofFor(chanID, 2, big.NewInt(5), new(big.Int), [32]byte{}, f.proofSig(t, f.b, 2, 5), f.sign(t, f.a, endorseDigest, nil)), false, 2, nil, nil},
		{"updateProofFor endorsed by the payer", updateJob, f.contract, stranger,
			f.calls.PackUpdateProofFor(chanID, 2, big.NewInt(5), new(big.Int), [32]byte{}, f.proofSig(t, f.b, 2, 5), f.sign(t, f.b, endorseDigest, nil)), false, 1, []Code{CodeBadSignature}, nil},
		{"updateProofFor whose endorsement is a balance-proof signature", updateJob, f.contract, stranger,
			f.calls.PackUpdateProofFor(chanID, 2, big.NewInt(5), new(big.Int), [32]byte{}, f.proofSig(t, f.b, 2, 5), f.proofSig(t, f.a, 2, 5)), false, 1, []Code{CodeBadSignature}, nil},
		{"a transaction calling another function", updateJob, f.contract, stranger,
			f.calls.PackSettle(chanID), false, 0, []Code{CodeCalldataMismatch}, nil},
		{"cooperative close signed by both", coopJob, f.contract, stranger,
			f.calls.PackCloseCooperative(chanID, big.NewInt(4), big.NewInt(6), f.sign(t, f.a, setDigest, nil), f.sign(t, f.b, setDigest, nil)), false, 2, nil, nil},
		{"cooperative close whose second signature is A's again", coopJob, f.contract, stranger,
			f.calls.PackCloseCooperative(chanID, big.NewInt(4), big.NewInt(6), f.sign(t, f.a, setDigest, nil), f.sign(t, f.a, setDigest, nil)), false, 1, []Code{CodeBadSignature}, nil},
		{"withdrawal signed by both", wdJob, f.contract, stranger,
			f.calls.PackWithdraw(chanID, f.a.Address(), big.NewInt(2), 99, f.sign(t, f.a, wdDigest, nil), f.sign(t, f.b, wdDigest, nil)), false, 2, nil, nil},
		{"withdrawal with signatures over another expiry", wdJob, f.contract, stranger,
			f.calls.PackWithdraw(chanID, f.a.Address(), big.NewInt(2), 100, f.sign(t, f.a, wdDigest, nil), f.sign(t, f.b, wdDigest, nil)), false, 0, []Code{CodeBadSignature, CodeBadSignature}, nil},
		{"call through another contract on a node that cannot trace", updateJob, stranger, stranger,
			[]byte{1, 2, 3, 4}, true, 0, nil, []Code{CodeUnverifiable}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			found := newFindings()
			hasher, err := channel.NewHasher(f.domain)
			if err != nil {
				t.Fatal(err)
			}
			f.ch.sigsVerified = 0
			v := newSigVerifier(newChainReader(nil, f.contract, 10), hasher, found)
			v.noTracer = tc.noTracer
			to := tc.to
			job := tc.job
			if err := v.verify(context.Background(), &job, &txCall{From: tc.from, To: &to, Input: tc.input}, nil); err != nil {
				t.Fatal(err)
			}
			if v.verified != tc.verified || f.ch.sigsVerified != tc.verified {
				t.Errorf("verified %d (channel %d), want %d", v.verified, f.ch.sigsVerified, tc.verified)
			}
			if got := codes(found.discrepancies); !slices.Equal(got, tc.fail) {
				t.Errorf("discrepancies %v, want %v: %v", got, tc.fail, found.discrepancies)
			}
			if got := codes(found.warnings); !slices.Equal(got, tc.warn) {
				t.Errorf("warnings %v, want %v", got, tc.warn)
			}
		})
	}
}

// fakeEth serves eth_getTransactionByHash and eth_getBlockByNumber from maps; unknown
// hashes and blocks are not found.
type fakeEth struct {
	txs    map[common.Hash]*txCall
	blocks map[uint64][]fakeBlockTx
}

type fakeBlockTx struct {
	Hash  common.Hash     `json:"hash"`
	To    *common.Address `json:"to"`
	Input hexutil.Bytes   `json:"input"`
}

func (f *fakeEth) GetTransactionByHash(h common.Hash) (*txCall, error) { return f.txs[h], nil }

func (f *fakeEth) GetBlockByNumber(n hexutil.Uint64, full bool) (map[string]any, error) {
	txs, ok := f.blocks[uint64(n)]
	if !ok || !full {
		return nil, nil
	}
	return map[string]any{"transactions": txs}, nil
}

// A block holding many of the wanted transactions is read whole: the fake node serves
// them only that way.
func TestFlushReadsDenseBlocksWhole(t *testing.T) {
	f := newSigFixture(t)
	var block []fakeBlockTx
	var jobs []sigJob
	for n := uint64(1); n <= denseBlock; n++ {
		h := common.Hash{byte(n)}
		block = append(block, fakeBlockTx{Hash: h, To: &f.contract, Input: f.calls.PackUpdateProof(chanID, n, big.NewInt(int64(n)), new(big.Int), [32]byte{}, f.proofSig(t, f.b, n, int64(n)))})
		jobs = append(jobs, sigJob{kind: callUpdateProof, ch: f.ch, ref: eventRef{block: 7, tx: h}, signer: f.b.Address(), nonce: n, amount: big.NewInt(int64(n))})
	}
	v, found := fakeVerifier(t, f, &fakeEth{blocks: map[uint64][]fakeBlockTx{7: block}})
	for _, j := range jobs {
		v.add(j)
	}
	if err := v.flush(context.Background()); err != nil {
		t.Fatalf("flush: %v", err)
	}
	if v.verified != denseBlock || len(found.discrepancies)+len(found.warnings) != 0 {
		t.Errorf("verified %d of %d; findings %v %v", v.verified, denseBlock, found.discrepancies, found.warnings)
	}
}

func fakeVerifier(t *testing.T, f *sigFixture, eth *fakeEth) (*sigVerifier, *findings) {
	t.Helper()
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", eth); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	client := rpc.DialInProc(srv)
	t.Cleanup(client.Close)
	hasher, err := channel.NewHasher(f.domain)
	if err != nil {
		t.Fatal(err)
	}
	found := newFindings()
	return newSigVerifier(newChainReader(client, f.contract, 10), hasher, found), found
}

func TestFlushWarnsWhenTheNodeDoesNotServeATransaction(t *testing.T) {
	f := newSigFixture(t)
	served, unknown := common.Hash{1}, common.Hash{2}
	input := f.calls.PackUpdateProof(chanID, 2, big.NewInt(5), new(big.Int), [32]byte{}, f.proofSig(t, f.b, 2, 5))
	v, found := fakeVerifier(t, f, &fakeEth{txs: map[common.Hash]*txCall{served: {To: &f.contract, Input: input}}})
	for _, tx := range []common.Hash{served, unknown} {
		v.add(sigJob{kind: callUpdateProof, ch: f.ch, ref: eventRef{block: 5, tx: tx}, signer: f.b.Address(), nonce: 2, amount: big.NewInt(5)})
	}
	if err := v.flush(context.Background()); err != nil {
		t.Fatalf("flush: %v", err)
	}
	if v.verified != 1 || len(found.discrepancies) != 0 {
		t.Errorf("verified %d, discrepancies %v; want the served transaction verified", v.verified, found.discrepancies)
	}
	if len(found.warnings) != 1 || found.warnings[0].Code != CodeUnverifiable || found.warnings[0].Tx != unknown {
		t.Errorf("warnings %v, want one unverifiable for %s", found.warnings, unknown)
	}
	if len(v.pending) != 0 {
		t.Errorf("%d jobs left pending after flush", len(v.pending))
	}
}
